// Cards of 统计: an overview of every programme the administrator covers, and one programme's
// charts. Charts are Lark's chart component with a VChart spec; empty programmes get the same
// charts with zeros, so the shape of the card never depends on the data.
//
// Chart component (Card JSON 2.0): open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/chart
// — chart_spec is a VChart spec; `height` '[1,999]px' fixes the height (aspect_ratio is then
// ignored); a colour declared in chart_spec overrides color_theme. VChart options:
// visactor.io/vchart/option/barChart (axes: orient + type 'linear' | 'band', tick.noDecimals;
// legends: a bottom legend shows at most maxRow rows, 2 by default, and pages or hides the rest;
// color: { type: 'ordinal', domain, range }).
import { z } from 'zod';
import { STATE_LABELS, type StateLabel } from '../src/campaigns/states.js';
import { button, buttonRow, type Card, card, divider, type Element, firstFitting, markdown, note } from './components.js';
import { safeLine } from './journey/common.js';

export const StatsAction = z.discriminatedUnion('a', [z.object({ a: z.literal('st.all') }), z.object({ a: z.literal('st.show'), c: z.string() })]);

export interface Count {
  label: string;
  count: number;
}

export interface CampaignStatsView {
  campaignId: string;
  title: string;
  deadlineText: string;
  /** Every application, drafts included. */
  total: number;
  submitted: number;
  byState: { label: StateLabel; count: number }[];
  byRegion: Count[];
  regionLabel: string;
  /** day as MM-DD */
  perDay: { day: string; count: number }[];
  pendingByStage: Count[];
  scopeText: string;
  /** The programme's ledger table in 多维表格, once the bot keeps one. */
  ledgerUrl?: string;
}

type Spec = Record<string, unknown>;

/**
 * Each state's colour on the charts, the same on every card. A Record over StateLabel: a state
 * added to STATE_LABELS does not compile until it has a colour.
 */
export const STATE_COLORS: Record<StateLabel, string> = {
  填写中: '#14C0FF',
  审核中: '#3370FF',
  公示中: '#7F3BF5',
  退回修改: '#FF8800',
  已认定: '#34C724',
  未通过: '#F54A45',
  已撤回: '#8F959E',
};

function chart(spec: Spec, size: { aspect?: '16:9' | '4:3' | '2:1'; heightPx?: number } = {}): Element {
  return {
    tag: 'chart',
    ...(size.heightPx ? { height: `${Math.min(999, Math.round(size.heightPx))}px` } : { aspect_ratio: size.aspect ?? '16:9' }),
    color_theme: 'brand',
    chart_spec: spec,
  };
}

/** A value axis of counts (from 0, whole numbers) and a band axis of the categories. */
function countAxes(valueOrient: 'left' | 'bottom'): Spec[] {
  return [
    { orient: valueOrient, type: 'linear', min: 0, label: { visible: true }, tick: { tickMode: 'd3', noDecimals: true }, grid: { visible: true } },
    { orient: valueOrient === 'left' ? 'bottom' : 'left', type: 'band', label: { visible: true } },
  ];
}

/** Bar chart of labelled counts; horizontal when the labels are many or long. */
export function countBars(title: string, counts: Count[], opts: { horizontal?: boolean } = {}): Spec {
  const values = counts.map((c) => ({ label: c.label, count: c.count }));
  const horizontal = opts.horizontal ?? false;
  return {
    type: 'bar',
    title: { text: title },
    data: { values },
    ...(horizontal ? { direction: 'horizontal', xField: 'count', yField: 'label' } : { xField: 'label', yField: 'count' }),
    label: { visible: true },
    axes: countAxes(horizontal ? 'bottom' : 'left'),
  };
}

export function perDayLine(values: { day: string; count: number }[]): Spec {
  return {
    type: 'line',
    title: { text: '每日提交数' },
    data: { values },
    xField: 'day',
    yField: 'count',
    point: { visible: values.length <= 15 },
    axes: countAxes('left'),
  };
}

/**
 * Programmes × states, stacked: the overview's one chart. Every state of STATE_LABELS is a series
 * of every programme (zeros included), so the legend lists them all, in the journey's order, each
 * with its colour; the legend may take a row per state, so none is paged away on a phone.
 */
export function campaignsStacked(campaigns: Pick<CampaignStatsView, 'title' | 'byState'>[]): Spec {
  const values = campaigns.flatMap((p) =>
    STATE_LABELS.map((state) => ({ programme: shortTitle(p.title), state, count: p.byState.find((s) => s.label === state)?.count ?? 0 })),
  );
  return {
    type: 'bar',
    title: { text: '各项目申报情况' },
    data: { values },
    direction: 'horizontal',
    xField: 'count',
    yField: 'programme',
    seriesField: 'state',
    stack: true,
    color: { type: 'ordinal', domain: [...STATE_LABELS], range: STATE_LABELS.map((s) => STATE_COLORS[s]) },
    legends: { visible: true, orient: 'bottom', maxRow: STATE_LABELS.length, item: { spaceCol: 8, spaceRow: 4 } },
    axes: countAxes('bottom'),
  };
}

/**
 * Height of the overview chart: title, value axis and a legend of up to three rows at a phone's
 * width (~375 px), plus a band per programme — a fixed aspect ratio would squeeze twelve
 * programmes and the legend into 190 px there.
 */
export const stackedHeightPx = (campaigns: number) => 170 + 32 * Math.max(campaigns, 1);

/** 威海市2024年市级技能大师工作室… → at most 16 characters for an axis label. */
const shortTitle = (title: string) => (Array.from(title).length > 16 ? `${Array.from(title).slice(0, 15).join('')}…` : title);

const numbersLine = (counts: Count[]) => counts.map((c) => `${safeLine(c.label, 20)} **${c.count}**`).join('　');

export function campaignStatsCard(v: CampaignStatsView & { at: string }): Card {
  // The programme's title is the header's subtitle; the charts carry their own titles, the
  // numbers under a chart are its figures in words.
  const elements: Element[] = [markdown(`截止时间：${safeLine(v.deadlineText, 40)}　共 **${v.total}** 份（已提交 **${v.submitted}** 份）`)];
  if (v.total === 0) elements.push(note('还没有申报：下面的图表会在有人开始填写后出现数字。'));
  elements.push(chart(countBars('按状态', v.byState)));
  elements.push(markdown(numbersLine(v.byState)));
  elements.push(divider());
  elements.push(chart(countBars(`按${v.regionLabel}`, v.byRegion, { horizontal: true }), { aspect: v.byRegion.length > 8 ? '4:3' : '16:9' }));
  elements.push(chart(perDayLine(v.perDay), { aspect: '2:1' }));
  elements.push(divider());
  elements.push(chart(countBars('各环节待审核', v.pendingByStage)));
  elements.push(markdown(v.pendingByStage.length ? numbersLine(v.pendingByStage) : '本项目没有审核环节'));
  elements.push(note(`统计范围：${safeLine(v.scopeText, 200)}　统计时间：${v.at}`));
  elements.push(
    buttonRow([
      button({ text: '返回全部项目', value: { a: 'st.all' } }),
      button({ text: '刷新', value: { a: 'st.show', c: v.campaignId } }),
      button({ text: '导出', value: { a: 'x.menu', c: v.campaignId } }),
      ...(v.ledgerUrl ? [button({ text: '打开台账（多维表格）', url: v.ledgerUrl })] : []),
    ]),
  );
  return card({ title: '申报统计', subtitle: v.title, template: 'wathet', summary: `申报统计：${v.title}`, elements });
}

/** Programmes listed with their own button, and drawn on the chart, at most (then fewer until the card fits). */
export const OVERVIEW_BUTTONS = 20;
export const OVERVIEW_CHARTED = 12;

type OverviewView = { campaigns: Omit<CampaignStatsView, 'scopeText'>[]; scopeText: string; at: string };

export function overviewStatsCard(v: OverviewView): Card {
  const sizes = [
    [OVERVIEW_BUTTONS, OVERVIEW_CHARTED],
    [12, 8],
    [6, 6],
    [3, 3],
  ] as const;
  return firstFitting(
    sizes.map(
      ([buttons, charted]) =>
        () =>
          overview(v, buttons, charted),
    ),
  );
}

function overview(v: OverviewView, buttons: number, charted: number): Card {
  const elements: Element[] = [];
  if (!v.campaigns.length) {
    elements.push(markdown('您的管理范围内还没有申报项目。'));
  } else {
    const total = v.campaigns.reduce((n, p) => n + p.total, 0);
    elements.push(markdown(`共 **${v.campaigns.length}** 个项目，**${total}** 份申报${total === 0 ? '（还没有人开始填写）' : ''}。`));
    elements.push(chart(campaignsStacked(v.campaigns.slice(0, charted)), { heightPx: stackedHeightPx(Math.min(v.campaigns.length, charted)) }));
    for (const p of v.campaigns.slice(0, buttons)) {
      const shown = p.byState.filter((s) => s.count > 0);
      elements.push({
        tag: 'column_set',
        columns: [
          {
            tag: 'column',
            width: 'weighted',
            weight: 4,
            elements: [markdown(`**${safeLine(p.title, 60)}**\n共 ${p.total} 份${shown.length ? `：${numbersLine(shown)}` : ''}`)],
          },
          { tag: 'column', width: 'auto', vertical_align: 'center', elements: [button({ text: '图表', value: { a: 'st.show', c: p.campaignId } })] },
        ],
      });
    }
    if (v.campaigns.length > buttons)
      elements.push(note(`另有 ${v.campaigns.length - buttons} 个项目未列出${v.campaigns.length > charted ? `，图表只画前 ${charted} 个` : ''}。`));
  }
  elements.push(note(`统计范围：${safeLine(v.scopeText, 200)}　统计时间：${v.at}`));
  elements.push(buttonRow([button({ text: '刷新', value: { a: 'st.all' } }), button({ text: '导出', value: { a: 'x.menu' } })]));
  return card({ title: '申报统计', template: 'wathet', summary: '申报统计', elements });
}
