// 统计: counting by state, region, day and stage is a pure function of the rows; the cards keep
// their shape (every chart present, zeros included) whatever the data, and fit Lark's limits.
import { describe, expect, it } from 'vitest';
import { programmeStats, submissionDays, type ApplicationRow } from '../../src/admin/stats.js';
import { stateOf, STATE_LABELS } from '../../src/applications/states.js';
import { shippedCampaign, shipped } from '../helpers/campaigns.js';
import { overviewStatsCard, programmeStatsCard, StatsAction } from '../../cards/stats.js';
import { cardBytes, CARD_LIMIT_BYTES } from '../../cards/components.js';
import { buttonValues, lintCard } from '../helpers/card-lint.js';
import { ExportAction } from '../../cards/exports.js';

const weihai = shippedCampaign('weihai-2024');
const at = (s: string) => new Date(`${s}+08:00`);
const row = (status: string, o: Partial<ApplicationRow> = {}): ApplicationRow => ({ status, stage: null, region: null, submittedAt: null, ...o });

describe('stateOf', () => {
  it.each([
    [row('draft'), '填写中'],
    [row('submitted', { stage: 'district' }), '审核中'],
    [row('submitted', { stage: 'experts' }), '审核中'],
    [row('submitted', { stage: 'publicity' }), '公示中'],
    [row('returned', { stage: 'district' }), '退回修改'],
    [row('designated'), '已认定'],
    [row('rejected'), '未通过'],
    [row('not_selected'), '未通过'],
    [row('not_recommended'), '未通过'],
    [row('withdrawn'), '已撤回'],
  ] as const)('%o → %s', (app, label) => expect(stateOf(weihai, app)).toBe(label));
});

describe('submissionDays', () => {
  it('runs from the opening day to today while the programme is open', () => {
    const days = submissionDays(weihai, at('2024-07-12T10:00:00'));
    expect(days).toEqual(['2024-07-09', '2024-07-10', '2024-07-11', '2024-07-12']);
  });
  it('stops at the deadline once it has passed, and shows at most 31 days', () => {
    const days = submissionDays(weihai, at('2024-09-01T10:00:00'));
    expect(days.at(-1)).toBe('2024-07-31');
    expect(days[0]).toBe('2024-07-09');
    const long = { ...weihai, schedule: { ...weihai.schedule, opensAt: '2024-01-01' } };
    const d2 = submissionDays(long, at('2024-09-01T10:00:00'));
    expect(d2).toHaveLength(31);
    expect(d2[0]).toBe('2024-07-01');
  });
  it('counts Beijing days: 23:30 UTC is already the next day', () => {
    expect(submissionDays(weihai, new Date('2024-07-09T23:30:00Z')).at(-1)).toBe('2024-07-10');
  });
  it('shows the opening day before the programme opens', () => {
    expect(submissionDays(weihai, at('2024-07-01T10:00:00'))).toEqual(['2024-07-09']);
  });
});

describe('programmeStats', () => {
  const now = at('2024-07-12T10:00:00');
  it('with no applications: every state, region, day and stage at zero', () => {
    const s = programmeStats(weihai, [], [], now);
    expect(s.total).toBe(0);
    expect(s.byState.map((x) => x.label)).toEqual([...STATE_LABELS]);
    expect(s.byState.every((x) => x.count === 0)).toBe(true);
    expect(s.byRegion.map((x) => x.label)).toEqual(weihai.regions.items);
    expect(s.perDay).toEqual([{ day: '07-09', count: 0 }, { day: '07-10', count: 0 }, { day: '07-11', count: 0 }, { day: '07-12', count: 0 }]);
    expect(s.pendingByStage).toEqual([{ label: weihai.pipeline[0]!.title, count: 0 }, { label: weihai.pipeline[1]!.title, count: 0 }]);
  });

  it('counts by state, region (unknown ones apart), Beijing submission day and pending stage', () => {
    const apps = [
      row('draft', { region: '环翠区' }),
      row('draft'),
      row('submitted', { stage: 'district', region: '环翠区', submittedAt: new Date('2024-07-10T17:00:00Z') }), // 07-11 01:00 Beijing
      row('submitted', { stage: 'experts', region: '荣成市', submittedAt: at('2024-07-11T09:00:00') }),
      row('returned', { stage: 'district', region: '文登区', submittedAt: at('2024-07-10T09:00:00') }),
      row('submitted', { stage: 'district', region: '火星区', submittedAt: at('2024-07-01T09:00:00') }), // before the chart's window
    ];
    const s = programmeStats(weihai, apps, [{ stageId: 'district' }, { stageId: 'district' }, { stageId: 'experts' }, { stageId: 'gone' }], now);
    expect(s.total).toBe(6);
    expect(s.submitted).toBe(4);
    expect(Object.fromEntries(s.byState.map((x) => [x.label, x.count]))).toMatchObject({ 填写中: 2, 审核中: 3, 退回修改: 1, 公示中: 0 });
    const region = Object.fromEntries(s.byRegion.map((x) => [x.label, x.count]));
    expect(region).toMatchObject({ 环翠区: 2, 荣成市: 1, 文登区: 1, 未填地区: 2 });
    expect(s.perDay).toEqual([{ day: '07-09', count: 0 }, { day: '07-10', count: 1 }, { day: '07-11', count: 2 }, { day: '07-12', count: 0 }]);
    expect(s.pendingByStage.map((x) => x.count)).toEqual([2, 1]);
  });
});

describe('stats cards', () => {
  const now = at('2024-07-12T10:00:00');
  const programmes = shipped.campaigns.filter((c) => c.kind === 'application');
  const empty = programmes.map((c) => programmeStats(c, [], [], now));
  const many = Array.from({ length: 40 }, (_, i) => ({ ...empty[0]!, campaignId: `c${i}`, title: '技'.repeat(80) }));
  const cards = [
    ['overview, nothing yet', overviewStatsCard({ programmes: empty, scopeText: '全部项目和地区', at: '2024年7月12日 10:00' })],
    ['overview, no programmes in scope', overviewStatsCard({ programmes: [], scopeText: '威海 · 环翠区', at: 'x' })],
    ['overview, 40 programmes with long titles', overviewStatsCard({ programmes: many, scopeText: '技'.repeat(300), at: 'x' })],
    ...programmes.map((c) => [`${c.id}, empty`, programmeStatsCard({ ...programmeStats(c, [], [], now), scopeText: '全部项目和地区', at: 'x' })] as const),
  ] as const;

  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it.each(cards)('every button on %s carries a stats or export action', (_, c) => {
    for (const v of buttonValues(c)) expect(StatsAction.safeParse(v).success || ExportAction.safeParse(v).success, JSON.stringify(v)).toBe(true);
  });

  it('an empty programme still has its four charts, with zeros', () => {
    const c = programmeStatsCard({ ...programmeStats(weihai, [], [], now), scopeText: 'x', at: 'x' });
    const charts = c.body.elements.filter((e) => e.tag === 'chart') as { chart_spec: { data: { values: { count: number }[] } } }[];
    expect(charts).toHaveLength(4);
    for (const ch of charts) expect(ch.chart_spec.data.values.every((v) => v.count === 0)).toBe(true);
    expect(JSON.stringify(c)).toContain('还没有申报');
  });

  it('the overview lists every programme, even with no applications', () => {
    const c = overviewStatsCard({ programmes: empty, scopeText: 'x', at: 'x' });
    const text = JSON.stringify(c);
    for (const p of programmes) expect(text).toContain(p.title.slice(0, 10));
    const chart = c.body.elements.find((e) => e.tag === 'chart') as { chart_spec: { data: { values: unknown[] } } };
    expect(chart.chart_spec.data.values).toHaveLength(programmes.length * STATE_LABELS.length);
  });
});
