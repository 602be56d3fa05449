// 统计: counting by state, region, day and stage is a pure function of the rows; the cards keep
// their shape (every chart present, zeros included) whatever the data, fit Lark's limits, draw a
// value axis and a legend of every state, and print no title twice.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes } from '../../cards/components.js';
import { ExportAction } from '../../cards/exports.js';
import { campaignStatsCard, overviewStatsCard, STATE_COLORS, StatsAction, stackedHeightPx } from '../../cards/stats.js';
import { type ApplicationRow, campaignStats, submissionDays } from '../../src/admin/stats.js';
import { STATE_LABELS, stateOf } from '../../src/campaigns/states.js';
import { shipped, shippedCampaign } from '../helpers/campaigns.js';
import { bodyLines, buttonValues, headerRepeats, headerTexts, lintCard, repeatedHeadings } from '../helpers/card-lint.js';

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
    const s = campaignStats(weihai, [], [], now);
    expect(s.total).toBe(0);
    expect(s.byState.map((x) => x.label)).toEqual([...STATE_LABELS]);
    expect(s.byState.every((x) => x.count === 0)).toBe(true);
    expect(s.byRegion.map((x) => x.label)).toEqual(weihai.regions.items);
    expect(s.perDay).toEqual([
      { day: '07-09', count: 0 },
      { day: '07-10', count: 0 },
      { day: '07-11', count: 0 },
      { day: '07-12', count: 0 },
    ]);
    expect(s.pendingByStage).toEqual([
      { label: weihai.pipeline[0]!.title, count: 0 },
      { label: weihai.pipeline[1]!.title, count: 0 },
    ]);
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
    const s = campaignStats(weihai, apps, [{ stageId: 'district' }, { stageId: 'district' }, { stageId: 'experts' }, { stageId: 'gone' }], now);
    expect(s.total).toBe(6);
    expect(s.submitted).toBe(4);
    expect(Object.fromEntries(s.byState.map((x) => [x.label, x.count]))).toMatchObject({ 填写中: 2, 审核中: 3, 退回修改: 1, 公示中: 0 });
    const region = Object.fromEntries(s.byRegion.map((x) => [x.label, x.count]));
    expect(region).toMatchObject({ 环翠区: 2, 荣成市: 1, 文登区: 1, 未填地区: 2 });
    expect(s.perDay).toEqual([
      { day: '07-09', count: 0 },
      { day: '07-10', count: 1 },
      { day: '07-11', count: 2 },
      { day: '07-12', count: 0 },
    ]);
    expect(s.pendingByStage.map((x) => x.count)).toEqual([2, 1]);
  });
});

describe('stats cards', () => {
  const now = at('2024-07-12T10:00:00');
  const campaigns = shipped.campaigns.filter((c) => c.kind === 'application');
  const empty = campaigns.map((c) => campaignStats(c, [], [], now));
  const many = Array.from({ length: 40 }, (_, i) => ({ ...empty[0]!, campaignId: `c${i}`, title: '技'.repeat(80) }));
  const cards = [
    ['overview, nothing yet', overviewStatsCard({ campaigns: empty, scopeText: '全部项目和地区', at: '2024年7月12日 10:00' })],
    ['overview, no programmes in scope', overviewStatsCard({ campaigns: [], scopeText: '威海 · 环翠区', at: 'x' })],
    ['overview, 40 programmes with long titles', overviewStatsCard({ campaigns: many, scopeText: '技'.repeat(300), at: 'x' })],
    ...campaigns.map((c) => [`${c.id}, empty`, campaignStatsCard({ ...campaignStats(c, [], [], now), scopeText: '全部项目和地区', at: 'x' })] as const),
  ] as const;

  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it.each(cards)('every button on %s carries a stats or export action', (_, c) => {
    for (const v of buttonValues(c)) expect(StatsAction.safeParse(v).success || ExportAction.safeParse(v).success, JSON.stringify(v)).toBe(true);
  });

  it('an empty programme still has its four charts, with zeros', () => {
    const c = campaignStatsCard({ ...campaignStats(weihai, [], [], now), scopeText: 'x', at: 'x' });
    const charts = c.body.elements.filter((e) => e.tag === 'chart') as { chart_spec: { data: { values: { count: number }[] } } }[];
    expect(charts).toHaveLength(4);
    for (const ch of charts) expect(ch.chart_spec.data.values.every((v) => v.count === 0)).toBe(true);
    expect(JSON.stringify(c)).toContain('还没有申报');
  });

  it('the overview lists every programme, even with no applications', () => {
    const c = overviewStatsCard({ campaigns: empty, scopeText: 'x', at: 'x' });
    const text = JSON.stringify(c);
    for (const p of campaigns) expect(text).toContain(p.title.slice(0, 10));
    const chart = c.body.elements.find((e) => e.tag === 'chart') as { chart_spec: { data: { values: unknown[] } } };
    expect(chart.chart_spec.data.values).toHaveLength(campaigns.length * STATE_LABELS.length);
  });
});

// What an administrator sees on the charts: a value axis of whole counts beside the categories,
// every state in the overview's legend with its own colour (已撤回 included), a chart tall enough
// for a phone, and no title printed twice.
describe('stats charts as drawn', () => {
  const now = at('2024-07-12T10:00:00');
  type Spec = {
    type: string;
    direction?: string;
    seriesField?: string;
    data: { values: Record<string, string | number>[] };
    axes: { orient: string; type: string; min?: number; tick?: { noDecimals?: boolean } }[];
    legends?: { visible: boolean; orient: string; maxRow?: number };
    color?: { type: string; domain: string[]; range: string[] };
  };
  type ChartEl = { tag: 'chart'; height?: string; aspect_ratio?: string; chart_spec: Spec };
  const chartsOf = (c: { body: { elements: Record<string, unknown>[] } }) => c.body.elements.filter((e) => e.tag === 'chart') as unknown as ChartEl[];
  const apps = (counts: Record<string, number>) =>
    Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => row(status, { stage: status === 'submitted' ? 'district' : null })));
  const overviewOf = (rows: ApplicationRow[][]) =>
    overviewStatsCard({
      campaigns: rows.map((r, i) => ({ ...campaignStats(weihai, r, [], now), campaignId: `c${i}`, title: `第${i + 1}个项目` })),
      scopeText: '全部项目和地区',
      at: 'x',
    });

  it.each([
    ['nothing yet', [[]], 0],
    ['two withdrawn among others', [apps({ draft: 2, submitted: 1, withdrawn: 2 })], 2],
    ['only withdrawn ones', [apps({ withdrawn: 3 })], 3],
    ['withdrawn in the second programme only', [apps({ draft: 1 }), apps({ withdrawn: 1, rejected: 1 })], 1],
    ['twelve programmes', Array.from({ length: 12 }, () => apps({ submitted: 1, withdrawn: 1 })), 12],
  ] as const)('overview, %s: a linear value axis, every state in the legend with a colour', (_, rows, withdrawn) => {
    const [ch] = chartsOf(overviewOf(rows.map((r) => [...r])));
    const spec = ch!.chart_spec;
    expect(spec).toMatchObject({ type: 'bar', direction: 'horizontal', xField: 'count', yField: 'programme', seriesField: 'state', stack: true });
    // The value axis: counts along the bottom from 0 in whole numbers; the programmes on the left.
    expect(spec.axes).toContainEqual(
      expect.objectContaining({ orient: 'bottom', type: 'linear', min: 0, tick: expect.objectContaining({ noDecimals: true }) }),
    );
    expect(spec.axes).toContainEqual(expect.objectContaining({ orient: 'left', type: 'band' }));
    // Every programme has every state (zeros included), so the legend lists them all.
    for (let i = 0; i < rows.length; i++)
      expect(spec.data.values.filter((v) => v.programme === `第${i + 1}个项目`).map((v) => v.state)).toEqual([...STATE_LABELS]);
    expect(spec.data.values.filter((v) => v.state === '已撤回').reduce((n, v) => n + Number(v.count), 0)).toBe(withdrawn);
    // A bottom legend that may take a row per state: nothing paged away on a narrow screen.
    expect(spec.legends).toMatchObject({ visible: true, orient: 'bottom' });
    expect(spec.legends!.maxRow).toBeGreaterThanOrEqual(STATE_LABELS.length);
    // One colour per state, all different, 已撤回 included.
    expect(spec.color).toEqual({ type: 'ordinal', domain: [...STATE_LABELS], range: STATE_LABELS.map((s) => STATE_COLORS[s]) });
    expect(new Set(spec.color!.range).size).toBe(STATE_LABELS.length);
    expect(spec.color!.domain).toContain('已撤回');
    // A fixed height that grows with the programmes, instead of 16:9 of a phone's width.
    expect(ch!.aspect_ratio).toBeUndefined();
    expect(ch!.height).toBe(`${stackedHeightPx(rows.length)}px`);
  });

  it('the overview chart is taller with more programmes, and never over Lark’s 999 px', () => {
    expect(stackedHeightPx(12)).toBeGreaterThan(stackedHeightPx(3));
    expect(stackedHeightPx(3)).toBeGreaterThanOrEqual(250);
    const [ch] = chartsOf(
      overviewStatsCard({
        campaigns: Array.from({ length: 40 }, (_, i) => ({ ...campaignStats(weihai, [], [], now), campaignId: `c${i}`, title: `项目${i}` })),
        scopeText: 'x',
        at: 'x',
      }),
    );
    expect(Number.parseInt(ch!.height!, 10)).toBeLessThanOrEqual(999);
  });

  it('the overview says how many of each state in words, withdrawn ones too', () => {
    const c = overviewOf([apps({ draft: 1, withdrawn: 2 })]);
    expect(JSON.stringify(c.body)).toContain('已撤回 **2**');
  });

  it.each([
    ['按状态', 0, 'left'],
    ['按地区', 1, 'bottom'],
    ['每日提交数', 2, 'left'],
    ['各环节待审核', 3, 'left'],
  ] as const)('programme card, %s: a linear value axis from 0 in whole numbers beside a band axis', (_, index, valueOrient) => {
    const c = campaignStatsCard({ ...campaignStats(weihai, apps({ draft: 1, withdrawn: 1 }), [], now), scopeText: 'x', at: 'x' });
    const spec = chartsOf(c)[index]!.chart_spec;
    expect(spec.axes).toEqual([
      expect.objectContaining({ orient: valueOrient, type: 'linear', min: 0, tick: expect.objectContaining({ noDecimals: true }) }),
      expect.objectContaining({ orient: valueOrient === 'left' ? 'bottom' : 'left', type: 'band' }),
    ]);
  });

  it('the programme card counts withdrawn applications under 已撤回', () => {
    const c = campaignStatsCard({ ...campaignStats(weihai, apps({ draft: 1, withdrawn: 2 }), [], now), scopeText: 'x', at: 'x' });
    const byState = chartsOf(c)[0]!.chart_spec.data.values;
    expect(byState.map((v) => v.label)).toEqual([...STATE_LABELS]);
    expect(byState.find((v) => v.label === '已撤回')?.count).toBe(2);
    expect(JSON.stringify(c.body)).toContain('已撤回 **2**');
  });
});

describe('stats cards: titles once', () => {
  const now = at('2024-07-12T10:00:00');
  const campaigns = shipped.campaigns.filter((c) => c.kind === 'application');
  const views = campaigns.map((c) => campaignStats(c, [row('draft'), row('withdrawn')], [], now));
  const cards = [
    ['overview', overviewStatsCard({ campaigns: views, scopeText: '全部项目和地区', at: '2024年7月12日 10:00' })],
    ['overview, no programmes in scope', overviewStatsCard({ campaigns: [], scopeText: '威海 · 环翠区', at: 'x' })],
    ...campaigns.map((c, i) => [`${c.id}`, campaignStatsCard({ ...views[i]!, scopeText: '全部项目和地区', at: 'x' })] as const),
  ] as const;

  it.each(cards)('%s: the header’s title and subtitle are not printed again in the body', (_, c) => {
    expect(headerTexts(c)[0]).toBe('申报统计');
    expect(headerRepeats(c)).toEqual([]);
  });

  it.each(cards)('%s: no heading is printed twice (a chart’s title is not also a heading above it)', (_, c) => {
    expect(repeatedHeadings(c)).toEqual([]);
  });

  it('a programme’s card names the programme once, in the header, and starts with its deadline and totals', () => {
    const c = campaignStatsCard({ ...campaignStats(weihai, [row('draft')], [], now), scopeText: 'x', at: 'x' });
    expect(headerTexts(c)).toEqual(['申报统计', weihai.title]);
    expect(bodyLines(c)[0]).toMatch(/^截止时间：.+　共 1 份（已提交 0 份）$/);
    expect(bodyLines(c).filter((l) => l.includes(weihai.title))).toEqual([]);
  });
});
