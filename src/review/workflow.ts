// The review workflow for `review` stages: tasks for the stage's reviewers, decisions (or-sign or
// countersign), returns with reasons and the resubmission back to the same stage with a diff.
// Every action checks the actor against the task on the server.

import { randomUUID } from 'node:crypto';
import type { Card } from '../../cards/components.js';
import { noticeCard } from '../../cards/journey/index.js';
import {
  DECISION_TEXT,
  type Decision,
  type ReviewTaskView,
  rejectedCard,
  returnedCard,
  reviewTaskCard,
  stageNoticeCard,
  TODO_SHOWN,
  type TodoView,
  todoCard,
} from '../../cards/review.js';
import { type Actor, reviewersFor } from '../access/principal.js';
import { unitNameOf } from '../applications/names.js';
import { type ApplicationRecord, findApplication, StaleVersion, updateApplication } from '../applications/repository.js';
import { eligibilityLines, summaryValue } from '../applications/views.js';
import { beijingDay, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign, ScalarField, Stage } from '../campaigns/schema.js';
import { termsOf } from '../campaigns/terms.js';
import type { Tx } from '../db/database.js';
import type { FileStore } from '../files/store.js';
import { checkSubmission, type EligibilityContext, visibleFields, visibleSections } from '../forms/engine.js';
import type { Answers } from '../forms/fields.js';
import { type Exposure, mayReveal } from '../forms/privacy-policy.js';
import { sendCard, tellAdmins, toUser } from '../notify.js';
import { enqueue } from '../outbox/outbox.js';
import type { Reply } from '../reply.js';
import { createPipeline } from './pipeline.js';

export interface ReviewDeps {
  campaigns: () => Campaign[];
  now: () => Date;
  adminIds: readonly string[];
  fileStore: FileStore;
  /** Scoring stages are run by the selection module (experts, recusal, score sheets). */
  enterScoring?: (tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number) => Promise<void>;
  /** Recommendation stages: the region's reviewers are told; they recommend from the list. */
  enterRecommend?: (tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage) => Promise<void>;
}

/** Tasks that still count: a task whose reviewer's role was revoked is no longer theirs. */
export const COUNTING = { not: 'revoked' } as const;

type TaskRow = Awaited<ReturnType<Tx['reviewTask']['findFirstOrThrow']>>;

/** Answers as reviewers read them, field by field (masked unless revealed), for the summary and the diff. */
function readable(c: Campaign, answers: Answers, exposure: Exposure): { section: string; label: string; value: string }[] {
  const out: { section: string; label: string; value: string }[] = [];
  for (const s of visibleSections(c, answers))
    for (const f of visibleFields(s, answers)) {
      if (f.type === 'group') {
        const rows = Array.isArray(answers[f.id]) ? (answers[f.id] as Record<string, unknown>[]) : [];
        const value = rows.map((r, i) => `${i + 1}. ${f.fields.map((g) => summaryValue(g, r[g.id] as never, exposure)).join(' / ')}`).join('\n') || '（无）';
        out.push({ section: s.title, label: f.label, value });
      } else out.push({ section: s.title, label: f.label, value: summaryValue(f as ScalarField, answers[f.id], exposure) });
    }
  return out;
}

/** What changed between two versions of the answers: compared in full (a corrected digit under the mask counts), shown as `exposure`. */
export function answerChanges(c: Campaign, before: Answers, after: Answers, exposure: Exposure = 'masked'): { label: string; before: string; after: string }[] {
  const key = (r: { section: string; label: string }) => `${r.section}/${r.label}`;
  const was = new Map(readable(c, before, 'full').map((r) => [key(r), r.value]));
  const wasShown = new Map(readable(c, before, exposure).map((r) => [key(r), r.value]));
  const now = readable(c, after, 'full');
  const nowShown = readable(c, after, exposure);
  return now
    .map((r, i) => ({ r, shown: nowShown[i]! }))
    .filter(({ r }) => (was.get(key(r)) ?? '（未填写）') !== r.value)
    .map(({ r, shown }) => ({ label: r.label, before: wasShown.get(key(r)) ?? '（未填写）', after: shown.value }));
}

export function createReview(deps: ReviewDeps) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);
  const ctx = (): EligibilityContext => ({ today: beijingDay(deps.now()), asOf: beijingDay(deps.now()) });

  async function taskView(
    tx: Tx,
    c: Campaign,
    app: ApplicationRecord,
    task: TaskRow,
    decidedBy?: { by: string; at: Date; decision: Decision; reason?: string | null },
    exposure: Exposure = 'masked',
  ): Promise<ReviewTaskView> {
    const stage = c.pipeline.find((s) => s.id === task.stageId)!;
    const check = checkSubmission(c, app.draft, ctx());
    const rows = readable(c, app.draft.answers, exposure);
    // 查看完整信息 is offered where something is masked and the programme lets reviewers reveal it.
    const masked = exposure === 'masked' && readable(c, app.draft.answers, 'full').some((r, i) => r.value !== rows[i]?.value);
    const sections = [...new Set(rows.map((r) => r.section))].map((title) => ({
      title,
      rows: rows.filter((r) => r.section === title).map((r) => ({ label: r.label, value: r.value })),
    }));
    let changes: ReviewTaskView['changes'];
    let previousReasons: string[] | undefined;
    if (task.round > 1) {
      const ret = await tx.reviewTask.findFirst({ where: { applicationId: app.id, stageId: task.stageId, round: task.round - 1, decision: 'return' } });
      if (ret?.snapshot) changes = answerChanges(c, JSON.parse(ret.snapshot) as Answers, app.draft.answers, exposure);
      if (ret?.reason) previousReasons = [ret.reason];
    }
    return {
      taskId: task.id,
      stageTitle: stage.title,
      approveLabel: stage.approveLabel,
      decisions: (stage.decisions ?? ['approve', 'return', 'reject']) as Decision[],
      campaignTitle: c.title,
      number: app.number ?? '',
      unitName: unitNameOf(c, app.draft.answers),
      ...(typeof app.draft.answers.studioName === 'string' ? { studioName: app.draft.answers.studioName } : {}),
      ...(app.region ? { region: app.region } : {}),
      round: task.round,
      sections,
      eligibility: eligibilityLines(check.eligibility),
      terms: termsOf(c),
      warnings: check.warnings,
      attachments: c.form.attachments.map((s) => ({
        label: s.label,
        files: app.uploads.filter((u) => u.slotId === s.id).map((u) => ({ uploadId: u.id, name: u.name })),
      })),
      ...(changes ? { changes } : {}),
      ...(previousReasons ? { previousReasons } : {}),
      ...(decidedBy
        ? {
            decided: {
              by: decidedBy.by,
              at: formatBeijing(decidedBy.at),
              decision: decidedBy.decision,
              ...(decidedBy.reason ? { reason: decidedBy.reason } : {}),
              mine: false,
            },
          }
        : {}),
      ...(gradesAt(c, stage) ? { grades: gradesAt(c, stage) } : {}),
      ...(exposure === 'full' ? { revealed: true } : masked && mayReveal(c, 'reviewer') && stage.role !== 'expert' ? { revealable: true } : {}),
    };
  }

  /** Evaluations graded directly (Zhenjiang): the experts' stage chooses the grade. */
  function gradesAt(c: Campaign, stage: Stage): string[] | undefined {
    return c.kind === 'evaluation' && c.evaluation?.grading === 'direct' && stage.role === 'expert' ? c.evaluation.grades.map((g) => g.grade) : undefined;
  }

  /**
   * Gives one reviewer a task on the application at this stage and round (again, if their earlier
   * task of the round was taken back when a role was revoked) and sends them its card.
   */
  async function assignReviewer(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number, reviewerId: string): Promise<string> {
    const existing = await tx.reviewTask.findUnique({
      where: { applicationId_stageId_round_reviewerId: { applicationId: app.id, stageId: stage.id, round, reviewerId } },
    });
    const task = existing
      ? await tx.reviewTask.update({ where: { id: existing.id }, data: { status: 'pending', decision: null, decidedAt: null } })
      : await tx.reviewTask.create({ data: { id: randomUUID(), applicationId: app.id, stageId: stage.id, round, reviewerId } });
    const outboxId = await sendCard(tx, toUser(reviewerId), reviewTaskCard(await taskView(tx, c, app, task)), task.id);
    await tx.reviewTask.update({ where: { id: task.id }, data: { cardOutboxId: outboxId } });
    return task.id;
  }

  /** Puts the application at `stage` for round `round` and tells whoever acts there. */
  async function enterStage(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number): Promise<void> {
    await tx.auditLog.create({ data: { actor: 'system', action: 'application.stage_entered', subject: app.id, detail: `${stage.id}#${round}` } });
    // The round is kept even when nobody can act yet: whoever is granted later joins this round.
    await tx.application.updateMany({ where: { id: app.id }, data: { stageRound: round } });
    if (stage.kind === 'scoring' && deps.enterScoring) return deps.enterScoring(tx, c, app, stage, round);
    if (stage.kind === 'recommend' && deps.enterRecommend) return deps.enterRecommend(tx, c, app, stage);
    const t = termsOf(c);
    if (stage.kind === 'publish') {
      const done = t.evaluation ? '的自评已完成全部评估环节' : '的申报已通过全部评审';
      const card = noticeCard({
        title: `可以发文公布`,
        text: `${c.title}：编号 ${app.number ?? ''} ${done}，进入「${stage.title}」。`,
        template: 'green',
        buttons: [{ text: '发文公布', value: { a: 'publish.stage', c: c.id, s: stage.id }, primary: true }],
      });
      await tellAdmins(tx, deps.adminIds, { campaign: c.id }, card, app.id);
      return;
    }
    if (stage.kind !== 'review') {
      // Public notices are started by administrators for a whole list.
      await tellAdmins(
        tx,
        deps.adminIds,
        { campaign: c.id },
        stageNoticeCard({
          title: `${t.submission}进入「${stage.title}」`,
          text: `${c.title}：编号 ${app.number ?? ''} 的${t.submission}已进入「${stage.title}」环节。`,
        }),
        app.id,
      );
      return;
    }
    const reviewers = await reviewersFor(tx, c, stage, app.region);
    if (reviewers.length === 0) {
      const text = `${c.title}：编号 ${app.number ?? ''} 的${t.submission}已到「${stage.title}」，但${app.region ? `「${app.region}」` : ''}还没有审核人。请发送“角色”为该环节${stage.scope === 'region' ? '和地区' : ''}授权审核人；授权后这份${t.submission}会自动分派给他。在此之前它列在管理员的“待办”里。`;
      await tellAdmins(tx, deps.adminIds, { campaign: c.id, region: app.region }, stageNoticeCard({ title: `「${stage.title}」没有审核人`, text }), app.id);
    }
    for (const reviewerId of reviewers) await assignReviewer(tx, c, app, stage, round, reviewerId);
  }

  const pipeline = createPipeline({ adminIds: deps.adminIds, enter: enterStage });

  /** The stage approved: the applicant is told and the application goes on along the pipeline. */
  async function advance(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, cause: string): Promise<ApplicationRecord> {
    const told = (a: ApplicationRecord, next: Stage | undefined) =>
      stageNoticeCard({
        title: `申报已${stage.approveLabel}`,
        text: `您的申报（编号 ${a.number ?? ''}）已通过「${stage.title}」${next ? `，进入「${next.title}」环节` : ''}。`,
      });
    return (await pipeline.advance(tx, c, stage, [app], cause, told))[0]!;
  }

  /** Called when an application is submitted (first time, or again after a return). */
  async function onSubmitted(tx: Tx, c: Campaign, app: ApplicationRecord): Promise<void> {
    const stageId = app.stage ?? c.pipeline[0]?.id;
    const stage = c.pipeline.find((s) => s.id === stageId);
    if (!stage) return;
    const last = await tx.reviewTask.findFirst({ where: { applicationId: app.id, stageId: stage.id }, orderBy: { round: 'desc' } });
    await enterStage(tx, c, app, stage, (last?.round ?? 0) + 1);
  }

  /** The task and its application (whose reviewer the registry has already checked the actor is). */
  async function loadTask(tx: Tx, taskId: string): Promise<{ task: TaskRow; app: ApplicationRecord; c: Campaign; stage: Stage } | Reply> {
    const task = await tx.reviewTask.findUnique({ where: { id: taskId } });
    if (!task) return { toast: { type: 'error', content: '这项审核已不存在' } };
    const app = await findApplication(tx, task.applicationId);
    const c = app && campaign(app.campaignId);
    const stage = c?.pipeline.find((s) => s.id === task.stageId);
    if (!app || !c || !stage) return { toast: { type: 'error', content: '这份申报或其项目已不存在' } };
    return { task, app, c, stage };
  }
  const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && !('task' in x);

  async function decidedCard(tx: Tx, c: Campaign, app: ApplicationRecord, task: TaskRow, exposure: Exposure = 'masked'): Promise<Card> {
    const decider =
      task.status === 'decided'
        ? task
        : await tx.reviewTask.findFirst({
            where: { applicationId: app.id, stageId: task.stageId, round: task.round, status: 'decided' },
            orderBy: { decidedAt: 'asc' },
          });
    if (!decider?.decision || !decider.decidedAt) return reviewTaskCard(await taskView(tx, c, app, task, undefined, exposure));
    const name = (await tx.larkUser.findUnique({ where: { openId: decider.reviewerId } }))?.name;
    // Display names are known only for users whose name was looked up; never show a raw open_id.
    const view = await taskView(
      tx,
      c,
      app,
      task,
      {
        by: decider.reviewerId === task.reviewerId ? '您' : (name ?? '另一位审核人'),
        at: decider.decidedAt,
        decision: decider.decision as Decision,
        reason: decider.reason,
      },
      exposure,
    );
    return reviewTaskCard({ ...view, decided: { ...view.decided!, mine: decider.reviewerId === task.reviewerId } });
  }

  async function decide(tx: Tx, actor: Actor, taskId: string, decision: string | undefined, form: Record<string, unknown>, attempt = 0): Promise<Reply> {
    const loaded = await loadTask(tx, taskId);
    if (isReply(loaded)) return loaded;
    const { task, c, stage } = loaded;
    let { app } = loaded;
    if (task.status !== 'pending' || app.stage !== task.stageId || app.status !== 'submitted') {
      return { card: await decidedCard(tx, c, app, task), toast: { type: 'info', content: '这项审核已经处理过了' } };
    }
    const allowed = (stage.decisions ?? []) as string[];
    if (!decision || !allowed.includes(decision)) return { toast: { type: 'error', content: '这个环节不能作出这个决定' } };
    const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
    const comment = typeof form.comment === 'string' ? form.comment.trim() : '';
    if (decision !== 'approve' && !reason) {
      return {
        card: reviewTaskCard(await taskView(tx, c, app, task)),
        toast: { type: 'error', content: `请写明${DECISION_TEXT[decision as Decision]}的原因` },
      };
    }
    const grades = gradesAt(c, stage);
    const grade = typeof form.grade === 'string' ? form.grade : '';
    if (decision === 'approve' && grades && !grades.includes(grade)) {
      return { card: reviewTaskCard(await taskView(tx, c, app, task)), toast: { type: 'error', content: `请选择评定的等次（${grades.join('、')}）` } };
    }
    // First write: the application's version. Concurrent deciders queue here; the later ones see
    // the version moved and re-read, so no decision is applied twice or half-applied.
    try {
      app = await updateApplication(tx, app, {});
    } catch (error) {
      if (!(error instanceof StaleVersion) || attempt > 2) throw error;
      return decide(tx, actor, taskId, decision, form, attempt + 1);
    }
    const now = deps.now();
    if (decision === 'approve' && grades) await tx.application.update({ where: { id: app.id }, data: { grade } });
    // Guarded on pending: a task taken back (its reviewer's role revoked) in the meantime stays taken back.
    const { count } = await tx.reviewTask.updateMany({
      where: { id: task.id, status: 'pending' },
      data: {
        status: 'decided',
        decision,
        reason: reason || null,
        comment: comment || null,
        decidedAt: now,
        ...(decision === 'return' ? { snapshot: JSON.stringify(app.draft.answers) } : {}),
      },
    });
    if (count !== 1) return { toast: { type: 'info', content: '这项审核已经处理过了，或已不再由您处理' } };
    await tx.auditLog.create({
      data: {
        actor: actor.openId,
        action: `review.${decision}`,
        subject: app.id,
        detail: JSON.stringify({ stage: stage.id, round: task.round, reason, comment }),
      },
    });

    const others = await tx.reviewTask.findMany({
      where: { applicationId: app.id, stageId: stage.id, round: task.round, status: 'pending', NOT: { id: task.id } },
    });
    const countersignPending = stage.signing === 'all' && decision === 'approve' && others.length > 0;
    if (countersignPending) {
      return {
        card: await decidedCard(tx, c, app, { ...task, status: 'decided', decision, reason: reason || null, decidedAt: now }),
        toast: { type: 'success', content: `已${stage.approveLabel}，等待其他审核人` },
      };
    }
    // This decision settles the stage: the other reviewers' cards show who decided and when.
    await tx.reviewTask.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { status: 'superseded' } });
    for (const o of others) {
      if (!o.cardOutboxId) continue;
      const card = await decidedCard(tx, c, app, o);
      await enqueue(tx, { kind: 'patch', outboxRef: o.cardOutboxId, chatId: o.reviewerId, card }, task.id);
    }
    const applicant = toUser(app.applicantId);
    if (decision === 'approve') {
      app = await advance(tx, c, app, stage, task.id);
    } else if (decision === 'return') {
      app = await updateApplication(tx, app, { status: 'returned' });
      await sendCard(
        tx,
        applicant,
        returnedCard({
          campaignTitle: c.title,
          number: app.number ?? '',
          stageTitle: stage.title,
          reasons: [reason],
          applicationId: app.id,
          terms: termsOf(c),
        }),
        task.id,
      );
    } else {
      // A rejected application no longer holds its unit's 统一社会信用代码 (another may apply with it).
      app = await updateApplication(tx, app, { status: 'rejected', unitKey: null });
      await sendCard(
        tx,
        applicant,
        rejectedCard({ campaignTitle: c.title, number: app.number ?? '', stageTitle: stage.title, reason, terms: termsOf(c) }),
        task.id,
      );
    }
    const mine = await tx.reviewTask.findUniqueOrThrow({ where: { id: task.id } });
    return {
      card: await decidedCard(tx, c, app, mine),
      toast: { type: 'success', content: `已${decision === 'approve' ? stage.approveLabel : DECISION_TEXT[decision as Decision]}` },
    };
  }

  return {
    onSubmitted,
    /** Moves an application into a stage of any kind (used after a recommendation). */
    enterStage: (tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage) => enterStage(tx, c, app, stage, 1),
    /** Moving applications to their next stage: every decision that passes a stage goes through it. */
    pipeline,
    assignReviewer,
    advance,
    decide,
    async open(tx: Tx, taskId: string): Promise<Reply> {
      const loaded = await loadTask(tx, taskId);
      if (isReply(loaded)) return loaded;
      const { task, app, c } = loaded;
      if (task.status !== 'pending') return { card: await decidedCard(tx, c, app, task) };
      return { card: reviewTaskCard(await taskView(tx, c, app, task)) };
    },
    /**
     * 查看完整信息: the task card again with personal data in full, as the answer to the click (never
     * stored in the outbox); the reveal is recorded. The permission (review.reveal) decided who.
     */
    async reveal(tx: Tx, actor: Actor, taskId: string): Promise<Reply> {
      const loaded = await loadTask(tx, taskId);
      if (isReply(loaded)) return loaded;
      const { task, app, c } = loaded;
      await tx.auditLog.create({ data: { actor: actor.openId, action: 'personal_data.revealed', subject: app.id, detail: `task:${task.id}` } });
      const view = await taskView(tx, c, app, task, undefined, 'full');
      if (task.status !== 'pending') {
        const card = await decidedCard(tx, c, app, task, 'full');
        return { card, toast: { type: 'info', content: '已显示完整信息，本次查看已记录' } };
      }
      return { card: reviewTaskCard(view), toast: { type: 'info', content: '已显示完整信息，本次查看已记录' } };
    },
    async todo(tx: Tx, actor: Actor, deadline?: TodoView['deadline']): Promise<Card> {
      // Three queries whatever the number pending: the tasks (by the reviewer index), the state of
      // their applications, and the answers of only those the card lists.
      const tasks = await tx.reviewTask.findMany({
        where: { reviewerId: actor.openId, status: 'pending' },
        select: { id: true, applicationId: true, stageId: true, round: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
      });
      const apps = new Map(
        (
          await tx.application.findMany({
            where: { id: { in: [...new Set(tasks.map((t) => t.applicationId))] } },
            select: { id: true, campaignId: true, number: true, stage: true, status: true },
          })
        ).map((a) => [a.id, a]),
      );
      const current = tasks.filter((t) => {
        const app = apps.get(t.applicationId);
        return app && campaign(app.campaignId) && app.stage === t.stageId && app.status === 'submitted';
      });
      const shown = current.slice(0, TODO_SHOWN);
      const answers = new Map(
        (await tx.application.findMany({ where: { id: { in: shown.map((t) => t.applicationId) } }, select: { id: true, answers: true } })).map((a) => [
          a.id,
          JSON.parse(a.answers) as Answers,
        ]),
      );
      const items = shown.map((t) => {
        const app = apps.get(t.applicationId)!;
        const c = campaign(app.campaignId)!;
        return {
          taskId: t.id,
          number: app.number ?? '',
          unitName: unitNameOf(c, answers.get(app.id) ?? {}),
          campaignTitle: c.title,
          stageTitle: c.pipeline.find((s) => s.id === t.stageId)?.title ?? '',
          since: formatBeijing(t.createdAt),
          round: t.round,
        };
      });
      return todoCard({ items, total: current.length, ...(deadline ? { deadline } : {}) });
    },
    /** Sends an attachment of the task's application to its reviewer. */
    async sendFile(tx: Tx, actor: Actor, taskId: string, uploadId: string): Promise<Reply> {
      const loaded = await loadTask(tx, taskId);
      if (isReply(loaded)) return loaded;
      const upload = loaded.app.uploads.find((u) => u.id === uploadId);
      const path = upload && deps.fileStore.path?.(upload.sha256);
      if (!upload || !path) return { toast: { type: 'error', content: '这个附件已不存在' } };
      const fileType =
        upload.kind === 'pdf'
          ? 'pdf'
          : upload.kind === 'doc' || upload.kind === 'docx'
            ? 'doc'
            : upload.kind === 'xls' || upload.kind === 'xlsx'
              ? 'xls'
              : 'stream';
      await enqueue(tx, { kind: 'file', receiveIdType: 'open_id', receiveId: actor.openId, fileName: upload.name, fileType, path }, taskId);
      return { toast: { type: 'success', content: `正在发送“${upload.name}”` } };
    },
    /** The reasons of the latest return, for 进度. */
    async returnReasons(tx: Tx, applicationId: string): Promise<string[]> {
      const t = await tx.reviewTask.findFirst({ where: { applicationId, decision: 'return' }, orderBy: { decidedAt: 'desc' } });
      return t?.reason ? [t.reason] : [];
    },
  };
}

export type Review = ReturnType<typeof createReview>;
