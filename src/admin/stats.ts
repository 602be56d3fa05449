// 统计: per programme, applications by state and by region, submissions per day and reviews
// pending per stage. The counting is a pure function of the rows; the service only reads the
// rows the administrator's scope covers.

import type { Card } from '../../cards/components.js';
import { type CampaignStatsView, campaignStatsCard, overviewStatsCard } from '../../cards/stats.js';
import { type AdminScope, applicationsWhere, coversCampaign, describeScope } from '../access/scope.js';
import { beijingDay, deadlineInstant, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { STATE_LABELS, type StateLabel, stateOf } from '../campaigns/states.js';
import type { Tx } from '../db/database.js';
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

export function campaignStats(
  c: Campaign,
  apps: readonly ApplicationRow[],
  pendingTasks: readonly { stageId: string }[],
  now: Date,
): Omit<CampaignStatsView, 'scopeText'> {
  const byState = new Map<StateLabel, number>(STATE_LABELS.map((s) => [s, 0]));
  for (const a of apps) byState.set(stateOf(c, a), byState.get(stateOf(c, a))! + 1);

  // Every region of the programme is listed (zero included), drafts too: a region with no one
  // started is what an administrator looks for.
  const regions = new Map<string, number>(c.regions.items.map((r) => [r, 0]));
  let unknownRegion = 0;
  for (const a of apps) {
    if (a.region && regions.has(a.region)) regions.set(a.region, regions.get(a.region)! + 1);
    else unknownRegion++;
  }

  const days = submissionDays(c, now);
  const perDay = new Map(days.map((d) => [d, 0]));
  for (const a of apps) {
    if (!a.submittedAt) continue;
    const d = beijingDay(a.submittedAt);
    if (perDay.has(d)) perDay.set(d, perDay.get(d)! + 1);
  }

  const stages = c.pipeline.filter((s) => s.kind === 'review' || s.kind === 'scoring' || s.kind === 'recommend');
  const pending = new Map(stages.map((s) => [s.id, 0]));
  for (const t of pendingTasks) if (pending.has(t.stageId)) pending.set(t.stageId, pending.get(t.stageId)! + 1);

  const deadline = deadlineInstant(c);
  return {
    campaignId: c.id,
    title: c.title,
    deadlineText: deadline ? formatBeijing(deadline) : '截止时间待定',
    total: apps.length,
    submitted: apps.filter((a) => a.submittedAt !== null).length,
    byState: STATE_LABELS.map((label) => ({ label, count: byState.get(label)! })),
    byRegion: [...regions].map(([label, count]) => ({ label, count })).concat(unknownRegion ? [{ label: '未填地区', count: unknownRegion }] : []),
    regionLabel: c.regions.label,
    perDay: days.map((d) => ({ day: d.slice(5), count: perDay.get(d)! })),
    pendingByStage: stages.map((s) => ({ label: s.title, count: pending.get(s.id)! })),
  };
}

export function createStats(deps: { campaigns: () => Campaign[]; now: () => Date; ledgerUrl?: (campaignId: string) => Promise<string | undefined> }) {
  const titleOf = (id: string) => deps.campaigns().find((c) => c.id === id)?.title ?? id;

  async function statsOf(tx: Tx, c: Campaign, where: Record<string, unknown>) {
    const apps = await tx.application.findMany({ where, select: { id: true, status: true, stage: true, region: true, submittedAt: true } });
    const tasks = apps.length
      ? await tx.reviewTask.findMany({ where: { status: 'pending', applicationId: { in: apps.map((a) => a.id) } }, select: { stageId: true } })
      : [];
    return campaignStats(c, apps, tasks, deps.now());
  }

  return {
    /** Every programme the administrator covers, with its counts (only their regions' applications). */
    async overview(tx: Tx, scope: AdminScope): Promise<Card> {
      const campaigns = deps.campaigns().filter((c) => c.kind === 'application' && coversCampaign(scope, c.id));
      const views = [];
      for (const c of campaigns) views.push(await statsOf(tx, c, applicationsWhere(scope, c.id)));
      return overviewStatsCard({ campaigns: views, scopeText: describeScope(scope, titleOf), at: formatBeijing(deps.now()) });
    },
    /** One programme's charts (the registry checked the scope covers it; regions are filtered here). */
    async campaign(tx: Tx, scope: AdminScope, campaignId: string): Promise<Card | null> {
      const c = deps.campaigns().find((x) => x.id === campaignId);
      if (!c) return null;
      const view = await statsOf(tx, c, applicationsWhere(scope, c.id));
      const ledgerUrl = await deps.ledgerUrl?.(c.id);
      return campaignStatsCard({ ...view, scopeText: describeScope(scope, titleOf), at: formatBeijing(deps.now()), ...(ledgerUrl ? { ledgerUrl } : {}) });
    },
  };
}

export type Stats = ReturnType<typeof createStats>;
