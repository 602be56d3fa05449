// Keeping the pipeline moving: a daily digest of pending work for reviewers, administrators'
// overview of stuck applications with 催办, and each application's timeline from the audit log.

import type { Card } from '../../cards/components.js';
import { noticeCard } from '../../cards/journey/index.js';
import { personalDataCard, type StuckView, stuckCard, timelineCard } from '../../cards/review.js';
import type { Actor } from '../access/principal.js';
import { type AdminScope, coversWholeCampaign, isUnrestricted } from '../access/scope.js';
import { findApplication } from '../applications/repository.js';
import { beijingDay, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { termsOf } from '../campaigns/terms.js';
import { type Database, isUniqueViolation, Prisma, type Tx } from '../db/database.js';
import { mayReveal, personalLines } from '../forms/privacy-policy.js';
import { sendCard, toUser } from '../notify.js';
import type { Reply } from '../reply.js';
import { maskPersonalData } from '../rules/mask.js';
import type { WorkingDayCalendar } from '../rules/working-days.js';
import { scopeSql } from './scope-sql.js';
import type { Staffing } from './staffing.js';
import type { Review } from './workflow.js';

const ACTION_TEXT: Record<string, string> = {
  'application.started': '开始填写',
  'application.submitted': '提交申报',
  'application.resubmitted': '修改后重新提交',
  'application.stage_entered': '进入环节',
  'review.approve': '审核通过',
  'review.return': '退回修改',
  'review.reject': '审核不通过',
  'review.scored': '专家评分',
  'review.reminded': '催办',
  'application.withdrawn': '撤销申报',
  'application.unit_conflict': '统一社会信用代码冲突',
};

const beijing = (d: Date) => new Date(d.getTime() + 8 * 3600_000);

/** The administrator's 待办 lists this many applications waiting on reviewers (the rest are counted). */
const STUCK_SHOWN = 30;

export function createOversight(deps: {
  db: Database;
  campaigns: () => Campaign[];
  now: () => Date;
  calendar: WorkingDayCalendar;
  review: Review;
  staffing: Staffing;
}) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);

  /**
   * Steps that wait on an administrator of the whole programme: a scored list to confirm, a 公示
   * to start, objections to resolve, a 公示 ended and not yet published, a list to publish; and,
   * for administrators of everything, events given up on.
   */
  async function adminSteps(tx: Tx, scope: AdminScope, atStage: ReadonlyMap<string, number>): Promise<NonNullable<StuckView['steps']>> {
    const steps: NonNullable<StuckView['steps']> = [];
    const today = beijingDay(deps.now());
    const covered = deps.campaigns().filter((c) => coversWholeCampaign(scope, c.id));
    if (!covered.length) return steps;
    const ids = covered.map((c) => c.id);
    // A handful of queries for every programme together: how many are at each stage (counted by
    // the caller), how many of them still have no score, the open 公示 and their open objections.
    const count = async (where: Record<string, unknown>) =>
      new Map(
        (
          await tx.application.groupBy({
            by: ['campaignId', 'stage'],
            where: { campaignId: { in: ids }, status: 'submitted', ...where },
            _count: { _all: true },
          })
        ).map((g) => [`${g.campaignId}/${g.stage}`, g._count._all]),
      );
    const unscored = covered.some((c) => c.pipeline.some((st) => st.kind === 'scoring')) ? await count({ score: null }) : new Map<string, number>();
    const notices = await tx.publicNotice.findMany({
      where: { campaignId: { in: ids }, status: 'open' },
      select: { id: true, campaignId: true, stageId: true, endDate: true },
      orderBy: { createdAt: 'asc' },
    });
    const objections = new Map(
      notices.length
        ? (await tx.objection.groupBy({ by: ['noticeId'], where: { noticeId: { in: notices.map((n) => n.id) }, status: 'open' }, _count: { _all: true } })).map(
            (g) => [g.noticeId, g._count._all],
          )
        : [],
    );
    for (const c of covered) {
      const t = termsOf(c);
      for (const stage of c.pipeline) {
        const at = { length: atStage.get(`${c.id}/${stage.id}`) ?? 0 };
        if (!at.length) continue;
        if (stage.kind === 'scoring' && !unscored.get(`${c.id}/${stage.id}`)) {
          steps.push({
            title: c.title,
            text: `「${stage.title}」${at.length}份${t.submission}评分已完成，请${t.confirmList}`,
            button: { text: '查看排名', value: { a: 'rank.show', c: c.id, s: stage.id } },
          });
        }
        if (stage.kind === 'publicity' && !notices.some((n) => n.campaignId === c.id && n.stageId === stage.id)) {
          steps.push({
            title: c.title,
            text: t.evaluation ? `${at.length}个工作室的评估结果待公示` : `${at.length}份申报待公示`,
            button: { text: '开始公示', value: { a: 'notice.start', c: c.id, s: stage.id } },
          });
        }
        if (stage.kind === 'publish')
          steps.push({
            title: c.title,
            text: t.evaluation ? `${at.length}份自评已完成全部评估环节，待发文公布评估结果` : `${at.length}份申报已通过全部评审，待发文公布`,
            button: { text: '发文公布', value: { a: 'publish.stage', c: c.id, s: stage.id } },
          });
      }
      for (const n of notices.filter((x) => x.campaignId === c.id)) {
        const open = objections.get(n.id) ?? 0;
        if (open) steps.push({ title: c.title, text: `公示收到${open}条异议，待处理`, button: { text: '处理异议', value: { a: 'notice.show', n: n.id } } });
        else if (today > n.endDate)
          steps.push({ title: c.title, text: '公示期已满，待发文公布', button: { text: '发文公布', value: { a: 'notice.show', n: n.id } } });
      }
    }
    if (isUnrestricted(scope)) {
      const dead = await tx.inboxEvent.count({ where: { status: 'dead' } });
      if (dead) steps.push({ title: '系统', text: `${dead}个消息或操作多次处理失败后已放弃（管理员已收到通知）；请查看日志后决定是否请当事人重新操作` });
    }
    return steps;
  }

  /**
   * The administrator's 待办: what waits on them, what nobody can act on (roles missing), then what
   * waits on reviewers, within their scope. Counted in the database: the card lists the oldest
   * STUCK_SHOWN and counts the rest, whatever the number pending.
   */
  async function stuck(tx: Tx, scope: AdminScope): Promise<Card> {
    const known = deps.campaigns().map((c) => c.id);
    // Applications in review per programme and stage, counted once for the steps and for what nobody can act on.
    const atStage = new Map(
      (await tx.application.groupBy({ by: ['campaignId', 'stage'], where: { campaignId: { in: known }, status: 'submitted' }, _count: { _all: true } })).map(
        (g) => [`${g.campaignId}/${g.stage}`, g._count._all],
      ),
    );
    const steps = await adminSteps(tx, scope, atStage);
    const waiting = await deps.staffing.waiting(tx, scope, undefined, atStage);
    const inScope = scopeSql(scope, known);
    const waitingOn = Prisma.sql`FROM "ReviewTask" t JOIN "Application" a ON a."id" = t."applicationId"
      WHERE t."status" = 'pending' AND a."status" = 'submitted' AND a."stage" = t."stageId" AND ${inScope}`;
    // One pass over the pending tasks: the oldest STUCK_SHOWN, each row carrying how many
    // applications wait in all (counted over the groups before the LIMIT).
    const oldest = await tx.$queryRaw<
      { id: string; number: string | null; campaignId: string; stage: string; since: Date | string; reviewers: number | bigint; total: number | bigint }[]
    >(
      Prisma.sql`SELECT w.id AS id, a."number" AS number, a."campaignId" AS "campaignId", a."stage" AS stage, w.since AS since, w.reviewers AS reviewers, w.total AS total
        FROM (SELECT t."applicationId" AS id, MIN(t."createdAt") AS since, COUNT(*) AS reviewers, COUNT(*) OVER () AS total
          ${waitingOn}
          GROUP BY t."applicationId"
          ORDER BY MIN(t."createdAt") ASC, t."applicationId" ASC
          LIMIT ${STUCK_SHOWN}) w
        JOIN "Application" a ON a."id" = w.id
        ORDER BY w.since ASC, w.id ASC`,
    );
    const n = oldest[0]?.total ?? 0;
    const items = oldest.map((r) => {
      const c = campaign(r.campaignId)!;
      return {
        applicationId: r.id,
        number: r.number ?? '',
        title: c.title,
        stageTitle: c.pipeline.find((s) => s.id === r.stage)?.title ?? '',
        waitingDays: Math.floor((deps.now().getTime() - new Date(r.since).getTime()) / 86_400_000),
        pendingReviewers: Number(r.reviewers),
      };
    });
    return stuckCard({
      steps,
      items,
      itemsTotal: Number(n),
      waiting: waiting.items.map((w) => ({ applicationId: w.applicationId, number: w.number, title: w.title, stageTitle: w.stageTitle, why: w.why })),
      waitingTotal: waiting.total,
      canGrant: isUnrestricted(scope),
    });
  }

  return {
    /** Administrators see what waits on reviewers (their 待办). */
    stuck,
    /**
     * 公示期满: once a 公示's last day has passed, the administrator who started it is told, once
     * (a counter key per notice claims it across instances), with the objections still open.
     */
    async noticesEnded(): Promise<number> {
      const today = beijingDay(deps.now());
      const ended = await deps.db.client.publicNotice.findMany({
        where: { status: 'open', endDate: { lt: today } },
        select: { id: true, campaignId: true, endDate: true, createdBy: true },
        orderBy: { endDate: 'asc' },
        take: 200,
      });
      let sent = 0;
      for (const n of ended) {
        const c = campaign(n.campaignId);
        if (!c) continue;
        try {
          sent += await deps.db.transaction(async (tx) => {
            await tx.counter.create({ data: { key: `notice-end:${n.id}`, value: 1 } });
            const open = await tx.objection.count({ where: { noticeId: n.id, status: 'open' } });
            const end = `${Number(n.endDate.slice(0, 4))}年${Number(n.endDate.slice(5, 7))}月${Number(n.endDate.slice(8, 10))}日`;
            const card = noticeCard({
              title: '公示期已满',
              text: open
                ? `「${c.title}」的公示已于${end}期满，还有${open}条异议未处理；处理完后才能发文公布。`
                : `「${c.title}」的公示已于${end}期满，没有未处理的异议，可以发文公布。`,
              template: open ? 'orange' : 'green',
              buttons: [{ text: open ? '处理异议' : '发文公布', value: { a: 'notice.show', n: n.id }, primary: true }],
            });
            await sendCard(tx, toUser(n.createdBy), card, `notice-end:${n.id}`);
            return 1;
          });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      return sent;
    },
    async remind(tx: Tx, actor: Actor, scope: AdminScope, applicationId: string): Promise<Reply> {
      const app = await tx.application.findUnique({ where: { id: applicationId } });
      const tasks = app ? await tx.reviewTask.findMany({ where: { applicationId, stageId: app.stage ?? '', status: 'pending' } }) : [];
      if (!tasks.length) return { card: await stuck(tx, scope), toast: { type: 'info', content: '这份申报当前没有待处理的审核' } };
      for (const t of tasks)
        await sendCard(tx, toUser(t.reviewerId), await deps.review.todo(tx, { openId: t.reviewerId }), `remind:${t.id}:${deps.now().toISOString()}`);
      await tx.auditLog.create({ data: { actor: actor.openId, action: 'review.reminded', subject: applicationId, detail: `${tasks.length}` } });
      return { card: await stuck(tx, scope), toast: { type: 'success', content: `已提醒${tasks.length}位审核人` } };
    },
    /** 查看完整个人信息 (permission application.reveal): the personal answers in full, recorded. */
    async reveal(tx: Tx, actor: Actor, applicationId: string): Promise<Reply> {
      const app = await findApplication(tx, applicationId);
      const c = app && campaign(app.campaignId);
      if (!app || !c) return { toast: { type: 'error', content: '这份申报或其项目已不存在' } };
      const lines = personalLines(c, app.draft.answers);
      await tx.auditLog.create({ data: { actor: actor.openId, action: 'personal_data.revealed', subject: app.id, detail: `fields:${lines.length}` } });
      return {
        card: personalDataCard({ applicationId: app.id, number: app.number ?? '（未提交）', title: c.title, lines }),
        toast: { type: 'info', content: '本次查看已记录' },
      };
    },
    async detail(tx: Tx, applicationId: string, viewer?: Actor): Promise<Reply> {
      const app = await tx.application.findUnique({ where: { id: applicationId } });
      const c = app && campaign(app.campaignId);
      if (!app || !c) return { toast: { type: 'error', content: '这份申报或其项目已不存在' } };
      const rows = await tx.auditLog.findMany({ where: { subject: applicationId }, orderBy: { id: 'asc' } });
      const users = new Map((await tx.larkUser.findMany({ where: { openId: { in: rows.map((r) => r.actor) } } })).map((u) => [u.openId, u.name]));
      const t = termsOf(c);
      const who = (id: string) => (id === 'system' ? '系统' : id === app.applicantId ? t.submitter : (users.get(id) ?? (id.startsWith('ou_') ? '审核人' : id)));
      const events = rows.map((r) => {
        let comment: string | undefined;
        if (r.action.startsWith('review.') && r.detail?.startsWith('{')) {
          const d = JSON.parse(r.detail) as { reason?: string; comment?: string; total?: number };
          comment = maskPersonalData([d.reason, d.comment, d.total !== undefined ? `总分 ${d.total}` : undefined].filter(Boolean).join('；')) || undefined;
        }
        if (r.action === 'application.stage_entered') comment = c.pipeline.find((s) => s.id === r.detail?.split('#')[0])?.title;
        const what = r.action === 'application.submitted' ? `提交${t.submission}` : (ACTION_TEXT[r.action] ?? r.action);
        return { at: formatBeijing(r.createdAt), who: who(r.actor), what, ...(comment ? { comment } : {}) };
      });
      // The reveal button only for someone other than the applicant whose programme allows administrators; the permission decides on the click.
      const reveal = viewer && viewer.openId !== app.applicantId && mayReveal(c, 'administrator') ? { reveal: { applicationId: app.id } } : {};
      return {
        card: timelineCard({
          number: app.number ?? '（未提交）',
          title: c.title,
          statusText: app.status,
          ...(app.stage ? { stageText: `当前环节：${c.pipeline.find((s) => s.id === app.stage)?.title ?? app.stage}` } : {}),
          events,
          ...reveal,
        }),
      };
    },
    /**
     * The daily digest: at 09:00 Beijing on working days, every reviewer with pending work gets 待办.
     * Once per day even with several instances (a unique counter key claims the day).
     */
    async dailyDigest(): Promise<number> {
      const now = beijing(deps.now());
      const day = now.toISOString().slice(0, 10);
      if (now.getUTCHours() < 9 || !deps.calendar.isWorkingDay(day)) return 0;
      try {
        return await deps.db.transaction(async (tx) => {
          await tx.counter.create({ data: { key: `digest:${day}`, value: 1 } });
          const reviewers = (await tx.reviewTask.groupBy({ by: ['reviewerId'], where: { status: 'pending' }, orderBy: { reviewerId: 'asc' } })).map(
            (t) => t.reviewerId,
          );
          for (const r of reviewers) await sendCard(tx, toUser(r), await deps.review.todo(tx, { openId: r }), `digest:${day}`);
          return reviewers.length;
        });
      } catch (error) {
        if (isUniqueViolation(error)) return 0;
        throw error;
      }
    },
  };
}

export type Oversight = ReturnType<typeof createOversight>;
