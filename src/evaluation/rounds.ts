// Evaluation rounds: an administrator opens a programme's round; every eligible studio's contact
// gets a draft self-assessment (prefilled from the registry) and a card to start it. From there the
// self-assessment is an application to the evaluation programme: same cards, drafts, checks,
// attachments and review pipeline.

import { randomUUID } from 'node:crypto';
import type { Card } from '../../cards/components.js';
import { evaluationInviteCard, evaluationListCard, studioCard, studioImportCard, studiosCard } from '../../cards/evaluation.js';
import type { Actor } from '../access/principal.js';
import { type AdminScope, coversCampaign, coversStudio, isUnrestricted } from '../access/scope.js';
import { meetPerson } from '../access/users.js';
import { createDraft, updateApplication } from '../applications/repository.js';
import { beijingDay, campaignState, deadlineInstant, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { lockName, type Tx } from '../db/database.js';
import { isSpreadsheetName, MAX_STUDIO_LIST_BYTES } from '../files/limits.js';
import type { FileStore } from '../files/store.js';
import type { Answers } from '../forms/engine.js';
import { sendCard, toUser } from '../notify.js';
import type { Reply } from '../reply.js';
import { maskPhone } from '../rules/mask.js';
import {
  campaignFamily,
  campaignMatcher,
  importStudios,
  parseStudioRows,
  SpreadsheetTooLarge,
  spreadsheetHeader,
  spreadsheetRows,
  studioHeader,
} from './registry.js';

export interface StudioRecord {
  id: string;
  name: string;
  unitName: string;
  year: number;
  programme: string;
  region: string | null;
  leaderName: string | null;
  occupation: string | null;
  contactId: string | null;
  status: string;
}

/** Which studios a round covers: the programme's family, still designated, within the years. */
export function eligibleStudios<S extends Pick<StudioRecord, 'programme' | 'status' | 'year'>>(c: Campaign, studios: S[]): S[] {
  const rule = c.evaluation?.studios;
  if (!rule) return [];
  return studios.filter(
    (s) =>
      s.programme === (rule.programme ?? campaignFamily(c.id)) &&
      (s.status === 'active' || s.status === 'rectifying') &&
      (rule.designatedBefore === undefined || s.year < rule.designatedBefore) &&
      (rule.designatedFrom === undefined || s.year >= rule.designatedFrom),
  );
}

/** The registry's facts written into the self-assessment's fields of the same meaning. */
export function prefill(c: Campaign, s: StudioRecord): Answers {
  const fields = new Map(c.form.sections.flatMap((x) => x.fields).map((f) => [f.id, f]));
  const candidates: Record<string, string | number | null> = {
    studioName: s.name,
    appliedStudioName: s.name,
    unitName: s.unitName,
    fillingUnit: s.unitName,
    leaderName: s.leaderName,
    masterName: s.leaderName,
    headName: s.leaderName,
    studioOccupation: s.occupation,
    selectedOccupation: s.occupation,
    designatedYear: s.year,
    selectedYear: s.year,
    region: s.region && c.regions.items.includes(s.region) ? s.region : null,
  };
  const out: Answers = {};
  for (const [id, v] of Object.entries(candidates)) {
    const f = fields.get(id);
    if (!f || v === null || v === undefined) continue;
    if (f.type === 'year' && typeof v === 'number') out[id] = v;
    else if (f.type === 'text' || f.type === 'choice' || f.type === 'studioName') out[id] = String(v);
  }
  return out;
}

const periodText = (c: Campaign) => (c.evaluation ? `${c.evaluation.period.from} 至 ${c.evaluation.period.to}` : '');
const deadlineLine = (c: Campaign) => {
  const d = deadlineInstant(c);
  return d ? `截止时间：${formatBeijing(d)}` : '截止时间待定';
};

/** Studios on one page of the studio list. */
const STUDIO_PAGE = 25;

export function createEvaluation(deps: { campaigns: () => Campaign[]; now: () => Date; fileStore: FileStore }) {
  const evaluations = () => deps.campaigns().filter((c) => c.kind === 'evaluation' && c.evaluation);
  const inScope = (scope: AdminScope) => (s: { programme: string; region: string | null }) => coversStudio(scope, s, campaignFamily);
  /** `coversStudio` as a database condition. */
  const studiosWhere = (scope: AdminScope): Record<string, unknown> =>
    isUnrestricted(scope)
      ? {}
      : {
          OR: scope.map((area) => ({
            ...(area.campaignId === null ? {} : { programme: campaignFamily(area.campaignId) }),
            ...(area.region === null ? {} : { region: area.region }),
          })),
        };

  async function list(tx: Tx, scope: AdminScope, flash?: string): Promise<Card> {
    // Counted in the database: studios by what eligibility looks at, rounds' applications by state.
    const groups = await tx.studio.groupBy({ by: ['programme', 'status', 'year', 'region'], where: studiosWhere(scope), _count: { _all: true } });
    const count = (gs: typeof groups) => gs.reduce((n, g) => n + g._count._all, 0);
    const campaigns = [];
    for (const c of evaluations().filter((x) => coversCampaign(scope, x.id))) {
      const byStatus = await tx.application.groupBy({ by: ['status'], where: { campaignId: c.id }, _count: { _all: true } });
      const graded = await tx.application.count({ where: { campaignId: c.id, grade: { not: null } } });
      campaigns.push({
        campaignId: c.id,
        title: c.title,
        periodText: periodText(c),
        deadlineText: deadlineLine(c),
        open: campaignState(c, deps.now()) === 'open',
        eligible: count(eligibleStudios(c, groups)),
        invited: byStatus.reduce((n, g) => n + g._count._all, 0),
        submitted: byStatus.filter((g) => g.status !== 'draft').reduce((n, g) => n + g._count._all, 0),
        graded,
        rules: c.evaluation!.rules,
      });
    }
    const byCampaign = new Map<string, number>();
    for (const g of groups) byCampaign.set(g.programme, (byCampaign.get(g.programme) ?? 0) + g._count._all);
    return evaluationListCard({ campaigns, studios: [...byCampaign].map(([programme, count]) => ({ programme, count })), ...(flash ? { flash } : {}) });
  }

  /** Weihai's rectification ends in re-evaluation on the unit's written request. */
  async function needsRequest(tx: Tx, c: Campaign, studioId: string): Promise<boolean> {
    if (campaignFamily(c.id) !== 'weihai') return false;
    const events = await tx.studioEvent.findMany({ where: { studioId, kind: { in: ['rectification', 'reevaluation'] } }, orderBy: { createdAt: 'asc' } });
    return events.at(-1)?.kind !== 'reevaluation';
  }

  async function requestReevaluation(tx: Tx, actor: Actor, studioId: string): Promise<Reply> {
    const s = await tx.studio.findUnique({ where: { id: studioId } });
    if (!s) return { toast: { type: 'error', content: '这个工作室不存在' } };
    if (s.status !== 'rectifying') return { toast: { type: 'info', content: '工作室不在整改期，无需申请' } };
    const rect = await tx.studioEvent.findFirst({ where: { studioId, kind: 'rectification' }, orderBy: { createdAt: 'desc' } });
    const today = beijingDay(deps.now());
    if (rect?.until && today < rect.until) return { toast: { type: 'warning', content: `整改期至 ${rect.until}，期满后才能申请重新考核评估` } };
    const asked = await tx.studioEvent.findFirst({ where: { studioId, kind: 'reevaluation', createdAt: { gt: rect?.createdAt ?? new Date(0) } } });
    if (asked) return { toast: { type: 'info', content: '已经申请过了，下一轮评估会通知您' } };
    await tx.studioEvent.create({
      data: { id: randomUUID(), studioId, kind: 'reevaluation', effectiveOn: today, detail: '所在单位申请重新考核评估', createdBy: actor.openId },
    });
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'studio.reevaluation_requested', subject: studioId } });
    return { toast: { type: 'success', content: '已申请重新考核评估，下一轮评估开启时会通知您' } };
  }

  return {
    list,

    /** Whether a file an administrator sent is a studio list (its header says so). */
    async isStudioList(file: { name: string; size: number; sha256: string }): Promise<boolean> {
      if (!isSpreadsheetName(file.name) || file.size > MAX_STUDIO_LIST_BYTES) return false;
      const bytes = await deps.fileStore.get(file.sha256);
      if (!bytes) return false;
      // The header is enough to tell: only the first row is read.
      return studioHeader(await spreadsheetHeader(file.name, bytes).catch(() => [])) !== null;
    },

    /** A studio list from an administrator: rows outside their scope are reported, not imported. */
    async importList(tx: Tx, actor: Actor, scope: AdminScope, file: { name: string; sha256: string }): Promise<Card> {
      const bytes = await deps.fileStore.get(file.sha256);
      let rows: string[][] = [];
      try {
        rows = bytes ? await spreadsheetRows(file.name, bytes) : [];
      } catch (error) {
        // Too many rows, or too much inside: nothing is imported, and the sender is told how to send it.
        const reason = error instanceof SpreadsheetTooLarge ? error.message : '表格无法读取，请用 Excel 另存为 .xlsx 或 CSV（UTF-8）后重新发送';
        return studioImportCard({ fileName: file.name, imported: 0, problems: [{ row: 1, reason }] });
      }
      const application = deps.campaigns().filter((c) => c.kind === 'application');
      const regionsOf = (family: string) => [
        ...new Set(
          deps
            .campaigns()
            .filter((c) => campaignFamily(c.id) === family)
            .flatMap((c) => c.regions.items),
        ),
      ];
      const thisYear = new Date(deps.now().getTime() + 8 * 3600_000).getUTCFullYear();
      const parsed = parseStudioRows(rows, { campaigns: campaignMatcher(application), regionsOf, thisYear });
      const covered = inScope(scope);
      const outside = parsed.studios
        .filter((s) => !covered(s))
        .map((s) => ({ row: s.row, reason: `「${s.name}」（${s.programme}${s.region ? ` · ${s.region}` : ''}）不在您的管理范围内，未导入` }));
      const done = await importStudios(tx, parsed.studios.filter(covered), actor.openId);
      const problems = [...parsed.problems, ...outside, ...done.problems].sort((a, b) => a.row - b.row);
      return studioImportCard({ fileName: file.name, imported: done.imported, problems, toClaim: done.toClaim });
    },

    async handle(tx: Tx, actor: Actor, scope: AdminScope, a: { a: string; c?: string; s?: string; p?: number }): Promise<Reply> {
      if (a.a === 'e.reeval') return requestReevaluation(tx, actor, a.s ?? '');
      if (a.a === 'e.list') return { card: await list(tx, scope) };
      if (a.a === 'e.studios') {
        // Paged in the database: counted per status, then one page read in the card's order
        // (整改中, 已撤销, 正常, then the rest; by name within each).
        const where = studiosWhere(scope);
        const counts = await tx.studio.groupBy({ by: ['status'], where, _count: { _all: true } });
        const total = counts.reduce((n, g) => n + g._count._all, 0);
        const order = (st: string) => (st === 'rectifying' ? 0 : st === 'revoked' ? 1 : st === 'active' ? 2 : 3);
        const groups = counts.sort((x, y) => order(x.status) - order(y.status) || (x.status < y.status ? 1 : -1));
        const pages = Math.max(1, Math.ceil(total / STUDIO_PAGE));
        const page = Math.min(Math.max(0, a.p ?? 0), pages - 1);
        const rows = [];
        let skip = page * STUDIO_PAGE;
        for (const g of groups) {
          if (rows.length >= STUDIO_PAGE) break;
          if (skip >= g._count._all) {
            skip -= g._count._all;
            continue;
          }
          rows.push(
            ...(await tx.studio.findMany({
              where: { ...where, status: g.status },
              orderBy: [{ name: 'asc' }, { id: 'asc' }],
              skip,
              take: STUDIO_PAGE - rows.length,
            })),
          );
          skip = 0;
        }
        const last = new Map<string, string>();
        for (const e of await tx.studioEvent.findMany({ where: { studioId: { in: rows.map((r) => r.id) } }, orderBy: { createdAt: 'asc' } }))
          last.set(e.studioId, `${e.effectiveOn} ${e.detail}`);
        return {
          card: studiosCard({
            studios: rows.map((r) => ({
              id: r.id,
              name: r.name,
              programme: r.programme,
              statusText: STATUS_TEXT[r.status] ?? r.status,
              ...(last.has(r.id) ? { last: last.get(r.id)! } : {}),
              ...(r.contactId ? {} : { unclaimed: true }),
            })),
            total,
            page,
            pageSize: STUDIO_PAGE,
          }),
        };
      }
      if (a.a === 'e.cancel') {
        const { count } = await tx.studio.updateMany({ where: { id: a.s ?? '', status: { in: ['active', 'rectifying'] } }, data: { status: 'cancelled' } });
        if (count === 1) {
          await tx.studioEvent.create({
            data: {
              id: randomUUID(),
              studioId: a.s!,
              kind: 'cancellation',
              effectiveOn: beijingDay(deps.now()),
              detail: '管理员取消技能大师工作室称号',
              createdBy: actor.openId,
            },
          });
          await tx.auditLog.create({ data: { actor: actor.openId, action: 'studio.cancelled', subject: a.s! } });
        }
      }
      if (a.a === 'e.studio' || a.a === 'e.cancel') {
        const s = await tx.studio.findUnique({ where: { id: a.s ?? '' } });
        if (!s) return { toast: { type: 'error', content: '这个工作室不存在' } };
        const events = await tx.studioEvent.findMany({ where: { studioId: s.id }, orderBy: { createdAt: 'asc' } });
        const contactName = s.contactId ? (await tx.larkUser.findUnique({ where: { openId: s.contactId } }))?.name : null;
        const lookingUp = [s.contactPhone ? maskPhone(s.contactPhone) : '', s.contactEmail ?? ''].filter(Boolean).join('、');
        const contact = s.contactId
          ? ({ kind: 'known', openId: s.contactId, name: contactName ?? s.contactName } as const)
          : s.claimCode
            ? ({ kind: 'claim', code: s.claimCode, ...(lookingUp ? { lookingUp } : {}) } as const)
            : ({ kind: 'none' } as const);
        return {
          card: studioCard({
            id: s.id,
            name: s.name,
            unitName: s.unitName,
            leaderName: s.leaderName ?? '',
            programme: s.programme,
            year: s.year,
            region: s.region ?? '',
            statusText: STATUS_TEXT[s.status] ?? s.status,
            events: events.map((e) => ({ on: e.effectiveOn, ...(e.until ? { until: e.until } : {}), kind: EVENT_TEXT[e.kind] ?? e.kind, detail: e.detail })),
            contact,
          }),
        };
      }
      const c = evaluations().find((x) => x.id === a.c);
      if (!c) return { card: await list(tx, scope), toast: { type: 'error', content: '这个评估项目不存在' } };
      if (campaignState(c, deps.now()) !== 'open') return { card: await list(tx, scope), toast: { type: 'error', content: '不在评估期内，不能开启' } };
      // One opening at a time: a second click invites nobody twice.
      await lockName(tx, `evaluation:${c.id}`);
      const all = eligibleStudios(c, (await tx.studio.findMany()) as StudioRecord[]);
      // A studio under rectification is re-evaluated when its unit asked for it (Weihai).
      const waiting: string[] = [];
      const studios: StudioRecord[] = [];
      for (const s of all) {
        if (s.status === 'rectifying' && (await needsRequest(tx, c, s.id))) waiting.push(s.name);
        else studios.push(s);
      }
      let invited = 0;
      const noContact: string[] = [];
      for (const s of studios) {
        if (!s.contactId) {
          noContact.push(s.name);
          continue;
        }
        // Once per studio and round, however often the button is clicked.
        const already = await tx.application.findFirst({ where: { campaignId: c.id, OR: [{ studioId: s.id }, { applicantId: s.contactId }] } });
        if (already) continue;
        const draft = await createDraft(tx, c.id, s.contactId, c.form.sections[0]!.id);
        await updateApplication(tx, draft, { answers: prefill(c, s), region: s.region });
        await tx.application.update({ where: { id: draft.id }, data: { studioId: s.id } });
        await meetPerson(tx, { openId: s.contactId });
        await sendCard(
          tx,
          toUser(s.contactId),
          evaluationInviteCard({
            campaignId: c.id,
            title: c.title,
            studioName: s.name,
            periodText: periodText(c),
            deadlineText: deadlineLine(c),
            materials: c.materials,
          }),
          `evaluation:${c.id}:${s.id}`,
        );
        invited++;
      }
      await tx.auditLog.create({ data: { actor: actor.openId, action: 'evaluation.opened', subject: c.id, detail: `${invited} invited` } });
      const flash = `已通知 ${invited} 个工作室${noContact.length ? `；${noContact.length} 个的联系人还没有找到或认领（认领码见工作室详情），无法通知：${noContact.slice(0, 5).join('、')}${noContact.length > 5 ? '等' : ''}` : ''}${waiting.length ? `；${waiting.length} 个整改中的工作室尚未申请重新考核评估` : ''}`;
      return { card: await list(tx, scope, flash), toast: { type: 'success', content: `已通知 ${invited} 个工作室` } };
    },
  };
}

export type Evaluation = ReturnType<typeof createEvaluation>;

const STATUS_TEXT: Record<string, string> = { active: '正常', rectifying: '整改中', revoked: '已撤销', cancelled: '已取消' };
const EVENT_TEXT: Record<string, string> = {
  grade: '等次',
  reward: '奖励',
  rectification: '整改',
  rectified: '整改合格',
  revocation: '撤销',
  extension: '续建',
  not_evaluated: '不列入考核',
  leader_change: '领衔人变更',
  reevaluation: '申请重新考核评估',
  cancellation: '取消称号',
};
