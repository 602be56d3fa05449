// 统计: per programme, applications by state and by region, submissions per day and reviews
// pending per stage. The counting is a pure function of the rows; the service only reads the
// rows the administrator's scope covers.

import type { Card } from '../../cards/components.js';
import { type CampaignStatsView, campaignStatsCard, overviewStatsCard } from '../../cards/stats.js';
import { type AdminScope, coversCampaign, describeScope } from '../access/scope.js';
import { beijingDay, deadlineInstant, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { STATE_LABELS, type StateLabel, stateOf } from '../campaigns/states.js';
import { Prisma, type Tx } from '../db/database.js';
import { scopeSql } from '../review/scope-sql.js';
import { addDays, formatYmd, parseIsoDate } from '../rules/dates.js';

/** At most this many days on the submissions chart (the last ones of the window). */
export const DAYS_SHOWN = 31;

export interface ApplicationRow {
  status: string;
  stage: string | null;
  region: string | null;
  submittedAt: Date | null;
}

/** The days on the chart: from opening to today (or the deadline, if it passed), the last DAYS_SHOWN of them. */
export function submissionDays(c: Campaign, now: Date): string[] {
  const deadline = deadlineInstant(c);
  const today = beijingDay(now);
  const last = deadline && beijingDay(deadline) < today ? beijingDay(deadline) : today;
  const opens = c.schedule.opensAt;
  if (last < opens) return [opens];
  const days: string[] = [];
  for (let d = last; d >= opens && days.length < DAYS_SHOWN; d = formatYmd(addDays(parseIsoDate(d)!, -1))) days.unshift(d);
  return days;
}

/** What 统计 counts, already aggregated (by the database, or from rows by `campaignStats`). */
export interface StatsCounts {
  /** Applications per status and stage. */
  byStatusStage: readonly { status: string; stage: string | null; count: number }[];
  byRegion: readonly { region: string | null; count: number }[];
  /** Submissions per Beijing day (YYYY-MM-DD). */
  perDay: ReadonlyMap<string, number>;
  submitted: number;
  /** Pending review tasks per stage. */
  pendingByStage: ReadonlyMap<string, number>;
}

/** Counts from rows (the unit tests'); the service counts in the database. */
export function countRows(apps: readonly ApplicationRow[], pendingTasks: readonly { stageId: string }[]): StatsCounts {
  const group = <K>(items: readonly K[], key: (k: K) => string) => {
    const m = new Map<string, { item: K; count: number }>();
    for (const i of items) {
      const k = key(i);
      const e = m.get(k);
      if (e) e.count++;
      else m.set(k, { item: i, count: 1 });
    }
    return [...m.values()];
  };
  const perDay = new Map<string, number>();
  for (const a of apps) if (a.submittedAt) perDay.set(beijingDay(a.submittedAt), (perDay.get(beijingDay(a.submittedAt)) ?? 0) + 1);
  const pendingByStage = new Map<string, number>();
  for (const t of pendingTasks) pendingByStage.set(t.stageId, (pendingByStage.get(t.stageId) ?? 0) + 1);
  return {
    byStatusStage: group(apps, (a) => `${a.status}\u0000${a.stage ?? ''}`).map((g) => ({ status: g.item.status, stage: g.item.stage, count: g.count })),
    byRegion: group(apps, (a) => a.region ?? '\u0000').map((g) => ({ region: g.item.region, count: g.count })),
    perDay,
    submitted: apps.filter((a) => a.submittedAt !== null).length,
    pendingByStage,
  };
}

export function campaignStats(
  c: Campaign,
  apps: readonly ApplicationRow[],
  pendingTasks: readonly { stageId: string }[],
  now: Date,
): Omit<CampaignStatsView, 'scopeText'> {
  return statsView(c, countRows(apps, pendingTasks), now);
}

/** The card's view from the counts: pure. */
export function statsView(c: Campaign, counts: StatsCounts, now: Date): Omit<CampaignStatsView, 'scopeText'> {
  const byState = new Map<StateLabel, number>(STATE_LABELS.map((s) => [s, 0]));
  let total = 0;
  for (const g of counts.byStatusStage) {
    const label = stateOf(c, g);
    byState.set(label, byState.get(label)! + g.count);
    total += g.count;
  }

  // Every region of the programme is listed (zero included), drafts too: a region with no one
  // started is what an administrator looks for.
  const regions = new Map<string, number>(c.regions.items.map((r) => [r, 0]));
  let unknownRegion = 0;
  for (const g of counts.byRegion) {
    if (g.region && regions.has(g.region)) regions.set(g.region, regions.get(g.region)! + g.count);
    else unknownRegion += g.count;
  }

  const days = submissionDays(c, now);
  const stages = c.pipeline.filter((s) => s.kind === 'review' || s.kind === 'scoring' || s.kind === 'recommend');
  const deadline = deadlineInstant(c);
  return {
    campaignId: c.id,
    title: c.title,
    deadlineText: deadline ? formatBeijing(deadline) : '截止时间待定',
    total,
    submitted: counts.submitted,
    byState: STATE_LABELS.map((label) => ({ label, count: byState.get(label)! })),
    byRegion: [...regions].map(([label, count]) => ({ label, count })).concat(unknownRegion ? [{ label: '未填地区', count: unknownRegion }] : []),
    regionLabel: c.regions.label,
    perDay: days.map((d) => ({ day: d.slice(5), count: counts.perDay.get(d) ?? 0 })),
    pendingByStage: stages.map((s) => ({ label: s.title, count: counts.pendingByStage.get(s.id) ?? 0 })),
  };
}

export function createStats(deps: {
  campaigns: () => Campaign[];
  now: () => Date;
  dialect: 'sqlite' | 'postgres';
  ledgerUrl?: (campaignId: string) => Promise<string | undefined>;
}) {
  const titleOf = (id: string) => deps.campaigns().find((c) => c.id === id)?.title ?? id;
  // The Beijing day of a submission, in SQL: SQLite keeps timestamps as ISO text, PostgreSQL as UTC
  // timestamps (grouped by a cheap date cast; only the groups are formatted).
  const beijingDaySql =
    deps.dialect === 'sqlite' ? Prisma.sql`date(substr(a."submittedAt", 1, 19), '+8 hours')` : Prisma.sql`(a."submittedAt" + interval '8 hours')::date`;
  const dayText = deps.dialect === 'sqlite' ? Prisma.sql`day` : Prisma.sql`to_char(day, 'YYYY-MM-DD')`;
  const instant = (d: Date) => (deps.dialect === 'sqlite' ? d.toISOString().replace('Z', '+00:00') : d);

  /**
   * Counted in the database, never by loading rows, in three queries for any number of programmes:
   * one pass over the applications (state, region and submitted together), the submissions of each
   * programme's chart window only, and the pending review tasks.
   */
  async function statsOf(tx: Tx, list: Campaign[], scope: AdminScope) {
    const now = deps.now();
    if (!list.length) return [];
    const inScope = scopeSql(
      scope,
      list.map((c) => c.id),
    );
    const groups = await tx.$queryRaw<
      { campaignId: string; status: string; stage: string | null; region: string | null; n: number | bigint; submitted: number | bigint }[]
    >(
      Prisma.sql`SELECT a."campaignId" AS "campaignId", a."status" AS status, a."stage" AS stage, a."region" AS region, COUNT(*) AS n, COUNT(a."submittedAt") AS submitted
        FROM "Application" a WHERE ${inScope} GROUP BY 1, 2, 3, 4`,
    );
    // Each programme's days on the chart, from 00:00 Beijing of the first to 00:00 after the last:
    // submissions outside them are not shown, so they are neither read nor converted.
    const windows = list.map((c) => {
      const days = submissionDays(c, now);
      const from = new Date(`${days[0]}T00:00:00+08:00`);
      const until = new Date(new Date(`${days.at(-1)}T00:00:00+08:00`).getTime() + 86_400_000);
      return Prisma.sql`(a."campaignId" = ${c.id} AND a."submittedAt" >= ${instant(from)} AND a."submittedAt" < ${instant(until)})`;
    });
    const perDay = await tx.$queryRaw<{ campaignId: string; day: string; n: number | bigint }[]>(
      Prisma.sql`SELECT "campaignId", ${dayText} AS day, n FROM (SELECT a."campaignId" AS "campaignId", ${beijingDaySql} AS day, COUNT(*) AS n FROM "Application" a
        WHERE (${Prisma.join(windows, ' OR ')}) AND ${inScope} GROUP BY 1, 2) d`,
    );
    const pending = await tx.$queryRaw<{ campaignId: string; stageId: string; n: number | bigint }[]>(
      Prisma.sql`SELECT a."campaignId" AS "campaignId", t."stageId" AS "stageId", COUNT(*) AS n FROM "ReviewTask" t JOIN "Application" a ON a."id" = t."applicationId"
        WHERE t."status" = 'pending' AND ${inScope} GROUP BY 1, 2`,
    );
    return list.map((c) => {
      const mine = groups.filter((g) => g.campaignId === c.id);
      const sum = (key: (g: (typeof mine)[number]) => string) => {
        const m = new Map<string, { g: (typeof mine)[number]; count: number }>();
        for (const g of mine) {
          const e = m.get(key(g));
          if (e) e.count += Number(g.n);
          else m.set(key(g), { g, count: Number(g.n) });
        }
        return [...m.values()];
      };
      return statsView(
        c,
        {
          byStatusStage: sum((g) => `${g.status}\u0000${g.stage ?? ''}`).map(({ g, count }) => ({ status: g.status, stage: g.stage, count })),
          byRegion: sum((g) => g.region ?? '\u0000').map(({ g, count }) => ({ region: g.region, count })),
          perDay: new Map(perDay.filter((r) => r.campaignId === c.id).map((r) => [r.day, Number(r.n)])),
          submitted: mine.reduce((n, g) => n + Number(g.submitted), 0),
          pendingByStage: new Map(pending.filter((r) => r.campaignId === c.id).map((r) => [r.stageId, Number(r.n)])),
        },
        now,
      );
    });
  }

  return {
    /** Every programme the administrator covers, with its counts (only their regions' applications). */
    async overview(tx: Tx, scope: AdminScope): Promise<Card> {
      const campaigns = deps.campaigns().filter((c) => c.kind === 'application' && coversCampaign(scope, c.id));
      const views = await statsOf(tx, campaigns, scope);
      return overviewStatsCard({ campaigns: views, scopeText: describeScope(scope, titleOf), at: formatBeijing(deps.now()) });
    },
    /** One programme's charts (the registry checked the scope covers it; regions are filtered here). */
    async campaign(tx: Tx, scope: AdminScope, campaignId: string): Promise<Card | null> {
      const c = deps.campaigns().find((x) => x.id === campaignId);
      if (!c) return null;
      const [view] = await statsOf(tx, [c], scope);
      const ledgerUrl = await deps.ledgerUrl?.(c.id);
      return campaignStatsCard({ ...view!, scopeText: describeScope(scope, titleOf), at: formatBeijing(deps.now()), ...(ledgerUrl ? { ledgerUrl } : {}) });
    },
  };
}

export type Stats = ReturnType<typeof createStats>;
