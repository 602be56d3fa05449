// Who works on what, as roles change. A revoked role takes back at once every pending task that
// rested on it: the task goes to the remaining holders of the role, or waits (listed in the
// administrators' 待办) until someone is granted it; the revoked person's card says the task is no
// longer theirs. A new grant picks up the work that was waiting for someone to hold it.

import { taskWithdrawnCard } from '../../cards/review.js';
import { activeGrants, expertCovers, expertsFor, type Grant, grantsOfRole, reviewerCovers, reviewersAmong, reviewersFor } from '../access/principal.js';
import type { AdminScope } from '../access/scope.js';
import { unitNameOf } from '../applications/names.js';
import { type ApplicationRecord, findApplication } from '../applications/repository.js';
import type { Campaign, Stage } from '../campaigns/schema.js';
import { Prisma, type Tx } from '../db/database.js';
import { enqueue } from '../outbox/outbox.js';
import { lockApplication } from './pipeline.js';
import { scopeSql } from './scope-sql.js';

export interface StaffingDeps {
  campaigns: () => readonly Campaign[];
  assignReviewer(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number, reviewerId: string): Promise<string>;
  assignExpert(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number, expertId: string): Promise<string>;
  /** Every countersigner still holding the role approved: the stage is passed. */
  advance(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, cause: string): Promise<unknown>;
  /** Every expert still assigned scored: the application gets its score. */
  completeScoring(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number): Promise<boolean>;
}

/** What happened to one application's task when its holder's role changed. */
export interface Reassignment {
  applicationId: string;
  number: string;
  stageTitle: string;
  /** open_ids given the task now. */
  to: string[];
  /** Nobody holds the role: the application waits on the administrators' 待办. */
  waiting: boolean;
  /** The countersigners left had all approved, or the experts left had all scored: the stage completed. */
  completed: boolean;
}

/** An application at a stage where nobody can act (shown in the administrators' 待办). */
export interface WaitingItem {
  applicationId: string;
  campaignId: string;
  region: string | null;
  number: string;
  title: string;
  stageTitle: string;
  why: string;
}

const STAFFED_KINDS = new Set(['review', 'scoring']);

/** The administrator's 待办 lists this many applications nobody can act on (the rest are counted). */
const WAITING_SHOWN = 20;

export function createStaffing(deps: StaffingDeps) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);

  /** The round the application is in at this stage (stored when the stage was entered). */
  async function currentRound(tx: Tx, appId: string, stageId: string, stored: number | null): Promise<number> {
    if (stored) return stored;
    const last = await tx.reviewTask.findFirst({ where: { applicationId: appId, stageId }, orderBy: { round: 'desc' } });
    return last?.round ?? 1;
  }

  /**
   * Makes sure someone can act on the application at its stage: a review stage with nobody pending
   * gets every holder of the role who has no task yet; a scoring stage gets experts up to its number.
   * When the people left have all acted, the stage completes.
   */
  async function staff(
    tx: Tx,
    c: Campaign,
    app: ApplicationRecord,
    stage: Stage,
    round: number,
  ): Promise<Omit<Reassignment, 'applicationId' | 'number' | 'stageTitle'>> {
    const tasks = await tx.reviewTask.findMany({ where: { applicationId: app.id, stageId: stage.id, round } });
    const counting = tasks.filter((t) => t.status !== 'revoked');
    const pending = counting.filter((t) => t.status === 'pending');
    const has = new Set(counting.map((t) => t.reviewerId));
    const to: string[] = [];
    if (stage.kind === 'review') {
      if (pending.length > 0) return { to, waiting: false, completed: false };
      for (const id of await reviewersFor(tx, c, stage, app.region)) {
        if (has.has(id)) continue;
        await deps.assignReviewer(tx, c, app, stage, round, id);
        to.push(id);
      }
      if (to.length) return { to, waiting: false, completed: false };
      // A countersign whose remaining reviewers all approved is passed (a return or a rejection
      // would have settled the stage already).
      const decided = counting.filter((t) => t.status === 'decided');
      if (stage.signing === 'all' && decided.length > 0 && decided.every((t) => t.decision === 'approve')) {
        await deps.advance(tx, c, app, stage, `staffing:${app.id}`);
        return { to, waiting: false, completed: true };
      }
      return { to, waiting: true, completed: false };
    }
    const row = await tx.application.findUnique({ where: { id: app.id }, select: { unitKey: true, score: true } });
    if (row?.score !== null && row?.score !== undefined) return { to, waiting: false, completed: false };
    const need = stage.scoring!.experts - counting.length;
    for (const id of need > 0 ? await expertsFor(tx, c.id, row?.unitKey ?? null) : []) {
      if (to.length >= need) break;
      if (has.has(id)) continue;
      await deps.assignExpert(tx, c, app, stage, round, id);
      to.push(id);
    }
    if (pending.length > 0 || to.length > 0) return { to, waiting: false, completed: false };
    const completed = await deps.completeScoring(tx, c, app, stage, round);
    return { to, waiting: !completed, completed };
  }

  /** Still covered by another grant the person holds? Then the task stays theirs. */
  function stillCovered(grants: readonly Grant[], c: Campaign, stage: Stage, app: { region: string | null; unitKey: string | null }): boolean {
    if (stage.kind === 'scoring')
      return !grants.some((g) => g.role === 'expert' && app.unitKey && g.unitKey === app.unitKey) && grants.some((g) => expertCovers(g, c.id, app.unitKey));
    return grants.some((g) => reviewerCovers(g, c, stage, app.region));
  }

  return {
    staff,

    /** After a grant was revoked: the person's pending tasks no other grant of theirs covers are taken back and handed on. */
    async afterRevocation(tx: Tx, grant: Grant): Promise<Reassignment[]> {
      const remaining = await activeGrants(tx, grant.openId);
      const tasks = await tx.reviewTask.findMany({ where: { reviewerId: grant.openId, status: 'pending' }, orderBy: { createdAt: 'asc' } });
      const out: Reassignment[] = [];
      for (const t of tasks) {
        const row = await tx.application.findUnique({
          where: { id: t.applicationId },
          select: { campaignId: true, region: true, unitKey: true, stage: true, status: true },
        });
        const c = row && campaign(row.campaignId);
        const stage = c?.pipeline.find((s) => s.id === t.stageId);
        const current = row?.status === 'submitted' && row.stage === t.stageId;
        if (c && stage && current && stillCovered(remaining, c, stage, row)) continue;
        // Decisions on one application are taken one at a time (each takes its row first): a decision
        // made at this very moment either lands before (the task is decided, not taken back) or after.
        if (current) await lockApplication(tx, t.applicationId);
        const { count } = await tx.reviewTask.updateMany({ where: { id: t.id, status: 'pending' }, data: { status: 'revoked' } });
        if (count !== 1 || !c || !stage) continue;
        const app = (await findApplication(tx, t.applicationId))!;
        if (t.cardOutboxId) {
          const card = taskWithdrawnCard({
            campaignTitle: c.title,
            number: app.number ?? '',
            unitName: unitNameOf(c, app.draft.answers),
            stageTitle: stage.title,
            scoring: stage.kind === 'scoring',
          });
          await enqueue(tx, { kind: 'patch', outboxRef: t.cardOutboxId, chatId: t.reviewerId, card }, t.id);
        }
        if (!current) continue;
        const result = await staff(tx, c, app, stage, t.round);
        out.push({ applicationId: app.id, number: app.number ?? '', stageTitle: stage.title, ...result });
      }
      return out;
    },

    /** After a grant: applications waiting for someone who holds it are given to the new holder. */
    async afterGrant(tx: Tx, grant: Grant): Promise<Reassignment[]> {
      if (grant.role === 'admin') return [];
      const out: Reassignment[] = [];
      const campaigns = deps.campaigns().filter((c) => !grant.campaignId || c.id === grant.campaignId);
      for (const c of campaigns) {
        const stages = c.pipeline.filter((s) => (grant.role === 'expert' ? s.kind === 'scoring' : s.kind === 'review'));
        if (!stages.length) continue;
        const apps = await tx.application.findMany({
          where: { campaignId: c.id, status: 'submitted', stage: { in: stages.map((s) => s.id) } },
          select: { id: true, stage: true, region: true, unitKey: true, stageRound: true },
          orderBy: { submittedAt: 'asc' },
        });
        for (const a of apps) {
          const stage = stages.find((s) => s.id === a.stage)!;
          if (grant.role === 'reviewer' ? !reviewerCovers(grant, c, stage, a.region) : !expertCovers(grant, c.id, a.unitKey)) continue;
          const round = await currentRound(tx, a.id, stage.id, a.stageRound);
          const pending = await tx.reviewTask.count({ where: { applicationId: a.id, stageId: stage.id, round, status: 'pending' } });
          if (stage.kind === 'review' && pending > 0) continue;
          const app = (await findApplication(tx, a.id))!;
          const result = await staff(tx, c, app, stage, round);
          if (result.to.length || result.completed) out.push({ applicationId: a.id, number: app.number ?? '', stageTitle: stage.title, ...result });
        }
      }
      return out;
    },

    /**
     * Applications the administrator's scope covers at a stage where nobody can act: no pending
     * task at a review or scoring stage, or no reviewer for their region at a recommendation.
     * Counted in the database; the first `shown` are listed.
     */
    async waiting(tx: Tx, scope: AdminScope, shown = WAITING_SHOWN, atStage?: ReadonlyMap<string, number>): Promise<{ items: WaitingItem[]; total: number }> {
      const items: WaitingItem[] = [];
      let total = 0;
      type Row = { id: string; number: string | null; stage: string; region: string | null };
      // The count and the first rows in one query (the count taken over all rows before the LIMIT);
      // once the list is full, only the count. Each condition is its own branch, on its own index.
      const take = async (branches: Prisma.Sql[]) => {
        const union = Prisma.join(
          branches.map(
            (where) =>
              Prisma.sql`SELECT a."id" AS id, a."number" AS number, a."stage" AS stage, a."region" AS region, a."submittedAt" AS "submittedAt" FROM "Application" a WHERE ${where}`,
          ),
          ' UNION ALL ',
        );
        if (items.length >= shown) {
          const n = (await tx.$queryRaw<{ n: number | bigint }[]>(Prisma.sql`SELECT COUNT(*) AS n FROM (${union}) w`))[0]?.n ?? 0;
          total += Number(n);
          return [];
        }
        const rows = await tx.$queryRaw<(Row & { total: number | bigint })[]>(
          Prisma.sql`SELECT w.id AS id, w.number AS number, w.stage AS stage, w.region AS region, COUNT(*) OVER () AS total FROM (${union}) w
            ORDER BY w."submittedAt" ASC, w.id ASC LIMIT ${shown - items.length}`,
        );
        total += Number(rows[0]?.total ?? 0);
        return rows.map(({ total: _, ...r }) => r);
      };
      const push = (c: Campaign, rows: Row[], why: (stage: Stage, r: Row) => string) => {
        for (const r of rows) {
          const stage = c.pipeline.find((s) => s.id === r.stage)!;
          items.push({
            applicationId: r.id,
            campaignId: c.id,
            region: r.region,
            number: r.number ?? '',
            title: c.title,
            stageTitle: stage.title,
            why: why(stage, r),
          });
        }
      };
      // Only programmes and stages that hold applications in review are looked at (one index-only
      // count, or the caller's counts of every programme by stage when it has them).
      const busy = new Set(
        atStage
          ? [...atStage].filter(([, n]) => n > 0).map(([key]) => key)
          : (
              await tx.application.groupBy({
                by: ['campaignId', 'stage'],
                where: { campaignId: { in: deps.campaigns().map((c) => c.id) }, status: 'submitted' },
              })
            ).map((g) => `${g.campaignId}/${g.stage}`),
      );
      let reviewerGrants: Grant[] | undefined;
      for (const c of deps.campaigns()) {
        const inScope = scopeSql(scope, [c.id]);
        const staffed = c.pipeline.filter((s) => STAFFED_KINDS.has(s.kind) && busy.has(`${c.id}/${s.id}`));
        if (staffed.length) {
          // A scored application at a scoring stage waits on the administrator, not on staff: only
          // unscored ones are looked at (a partial index holds them), so the pending-task check
          // runs for the few that may wait, not for every application at the stage.
          const review = staffed.filter((s) => s.kind === 'review').map((s) => s.id);
          const scoring = staffed.filter((s) => s.kind === 'scoring').map((s) => s.id);
          const nobodyPending = Prisma.sql`a."campaignId" = ${c.id} AND a."status" = 'submitted' AND ${inScope}
            AND NOT EXISTS (SELECT 1 FROM "ReviewTask" t WHERE t."applicationId" = a."id" AND t."stageId" = a."stage" AND t."status" = 'pending')`;
          const branches = [
            ...(review.length ? [Prisma.sql`a."stage" IN (${Prisma.join(review)}) AND ${nobodyPending}`] : []),
            ...(scoring.length ? [Prisma.sql`a."stage" IN (${Prisma.join(scoring)}) AND a."score" IS NULL AND ${nobodyPending}`] : []),
          ];
          push(c, await take(branches), (stage, r) =>
            stage.kind === 'scoring' ? '没有可分派的评审专家' : `${stage.scope === 'region' && r.region ? `${r.region}` : ''}没有审核人`,
          );
        }
        for (const stage of c.pipeline.filter((s) => s.kind === 'recommend' && busy.has(`${c.id}/${s.id}`))) {
          // Whether a region has a recommender is a question per region, not per application.
          const regions = await tx.$queryRaw<{ region: string | null }[]>(
            Prisma.sql`SELECT DISTINCT a."region" AS region FROM "Application" a WHERE a."campaignId" = ${c.id} AND a."status" = 'submitted' AND a."stage" = ${stage.id} AND ${inScope}`,
          );
          // The reviewers' grants are read once for every programme and region (a query per region
          // read the whole role each time: 26 reads of every grant for one 待办 at province scale).
          reviewerGrants ??= await grantsOfRole(tx, 'reviewer');
          const without: (string | null)[] = [];
          for (const { region } of regions) if (reviewersAmong(reviewerGrants, c, stage, region).length === 0) without.push(region);
          if (!without.length) continue;
          const named = without.filter((r): r is string => r !== null);
          const inRegions = Prisma.join(
            [...(named.length ? [Prisma.sql`a."region" IN (${Prisma.join(named)})`] : []), ...(without.includes(null) ? [Prisma.sql`a."region" IS NULL`] : [])],
            ' OR ',
          );
          const where = Prisma.sql`a."campaignId" = ${c.id} AND a."status" = 'submitted' AND a."stage" = ${stage.id} AND ${inScope} AND (${inRegions})`;
          push(c, await take([where]), (_, r) => `${r.region ?? ''}还没有推荐人`);
        }
      }
      return { items, total };
    },
  };
}

export type Staffing = ReturnType<typeof createStaffing>;
