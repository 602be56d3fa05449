// Cards after the district review: an expert's score sheet, the administrators' ranking with the
// quota, the public notice (公示) with objections, and the applicants' results.
import { z } from 'zod';
import { APPLICATION_TERMS, type Terms } from '../src/campaigns/terms.js';
import {
  button,
  buttonRow,
  CARD_LIMIT_BYTES,
  type Card,
  card,
  cardBytes,
  divider,
  type Element,
  firstFitting,
  markdown,
  note,
  plain,
  textBytes,
} from './components.js';
import { color, safe, safeLine } from './journey/common.js';

export const SelectionAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('s.score'), t: z.string() }),
  /** p: the page of the ranking shown (0 = the first, with the selection form). */
  z.object({ a: z.literal('rank.show'), c: z.string(), s: z.string(), p: z.number().int().min(0).max(10_000).optional() }),
  z.object({ a: z.literal('rank.confirm'), c: z.string(), s: z.string() }),
  z.object({ a: z.literal('notice.start'), c: z.string(), s: z.string() }),
  z.object({ a: z.literal('notice.show'), n: z.string() }),
  z.object({ a: z.literal('notice.object'), n: z.string() }),
  z.object({ a: z.literal('notice.objectForm'), n: z.string() }),
  z.object({ a: z.literal('notice.resolve'), n: z.string(), o: z.string() }),
  z.object({ a: z.literal('notice.publish'), n: z.string() }),
  z.object({ a: z.literal('rec.show'), c: z.string(), s: z.string() }),
  z.object({ a: z.literal('rec.confirm'), c: z.string(), s: z.string() }),
  z.object({ a: z.literal('publish.stage'), c: z.string(), s: z.string() }),
]);
export type SelectionAction = z.infer<typeof SelectionAction>;

export interface ScoringView {
  taskId: string;
  stageTitle: string;
  campaignTitle: string;
  number: string;
  unitName: string;
  studioName?: string;
  sections: { title: string; rows: { label: string; value: string }[] }[];
  items: { id: string; category: string; content: string; criteria: string; method: string; max: number; bonus: boolean; value?: string; error?: string }[];
  bonusCap?: number;
  /** 一票否决项: the expert ticks any that applies (the result is then 不合格 whatever the points). */
  veto?: { id: string; text: string }[];
  decided?: { total: number; at: string; vetoes?: string[] };
  /** The application's attachments (the rubric scores the materials too), sent on request. */
  attachments?: { label: string; files: { uploadId: string; name: string }[] }[];
}

function buildScoring(v: ScoringView, max: number): Card {
  const elements: Element[] = [
    markdown(
      `**${safeLine(v.campaignTitle, 60)}**\n编号 ${safeLine(v.number, 20)}　${safeLine(v.unitName, 40)}${v.studioName ? `\n工作室：${safeLine(v.studioName, 60)}` : ''}`,
    ),
  ];
  for (const s of v.sections)
    elements.push({
      tag: 'collapsible_panel',
      expanded: false,
      header: { title: plain(safeLine(s.title, 40)) },
      elements: [markdown(s.rows.map((r) => `**${safeLine(r.label, 40)}**：${safe(r.value, max)}`).join('\n') || '（无）')],
    });
  const files = (v.attachments ?? []).flatMap((a) => a.files.map((f) => ({ ...f, slot: a.label })));
  if (files.length) {
    elements.push(markdown('**附件**（点按钮，我把文件发给您）'));
    elements.push(
      buttonRow(files.slice(0, 20).map((f) => button({ text: safeLine(`${f.slot}：${f.name}`, 30), value: { a: 'r.file', t: v.taskId, u: f.uploadId } }))),
    );
  }
  if (v.decided) {
    elements.push(
      markdown(
        color('green', `您已于 ${v.decided.at} 评分，总分 ${v.decided.total} 分。`) +
          (v.decided.vetoes?.length ? `\n${color('red', `确认一票否决：${v.decided.vetoes.map((x) => safeLine(x, 60)).join('；')}`)}` : ''),
      ),
    );
  } else {
    const form: Element[] = [markdown(`**评分**${v.bonusCap !== undefined ? `（加分项合计不超过${v.bonusCap}分）` : ''}`)];
    for (const it of v.items) {
      form.push(
        markdown(
          `**${safeLine(it.category, 40)} · ${safe(it.content, 120)}**（0–${it.max}分${it.bonus ? '，加分项' : ''}）${it.criteria ? `\n${color('grey', `评分标准：${safe(it.criteria, 200)}`)}` : ''}${it.error ? `\n${color('red', `❗ ${safe(it.error, 120)}`)}` : ''}`,
        ),
      );
      form.push({
        tag: 'input',
        name: it.id,
        placeholder: plain(`0–${it.max}`),
        max_length: 5,
        width: 'fill',
        ...(it.value !== undefined ? { default_value: it.value } : {}),
      });
    }
    if (v.veto?.length) {
      form.push(markdown(`**一票否决项**（存在下列情形之一的，直接确定为不合格）`));
      for (const x of v.veto) form.push({ tag: 'checker', name: `veto_${x.id}`, checked: false, text: plain(safeLine(x.text, 120)) });
    }
    form.push({ tag: 'input', name: 'comment', placeholder: plain('评审意见（选填）'), input_type: 'multiline_text', rows: 2, max_length: 500, width: 'fill' });
    form.push(button({ text: '提交评分', type: 'primary', name: 'score', submit: true, value: { a: 's.score', t: v.taskId } }));
    elements.push(divider(), { tag: 'form', name: 'score_form', elements: form });
  }
  return card({
    title: v.decided ? `已评分 · ${v.stageTitle}` : `待评分 · ${v.stageTitle}`,
    subtitle: `${v.number} ${v.unitName}`,
    template: v.decided ? 'grey' : 'violet',
    summary: `${v.decided ? '已评分' : '待评分'}：${v.number}`,
    elements,
  });
}

export function scoringCard(v: ScoringView): Card {
  return firstFitting([300, 100, 40].map((max) => () => buildScoring(v, max)));
}

export interface RankingView {
  campaignId: string;
  stageId: string;
  campaignTitle: string;
  stageTitle: string;
  quotaText: string;
  rows: {
    applicationId: string;
    number: string;
    unitName: string;
    studioName: string;
    score?: number;
    grade?: string;
    experts: string;
    selected: boolean;
    tags: string[];
  }[];
  problems: string[];
  confirmed?: string;
  /** The programme's words: an evaluation confirms grades, an application chooses within the quota. */
  terms?: Terms;
  /** The page of the ranking shown (RANKING_PAGE rows each); the selection form is on the first. */
  page?: number;
}

/** Rows of the ranking on one page of the card (and checkers in the selection form). */
export const RANKING_PAGE = 60;

export function rankingCard(v: RankingView): Card {
  const t = v.terms ?? APPLICATION_TERMS;
  const elements: Element[] = [markdown(`${safeLine(v.campaignTitle, 60)} · ${safeLine(v.stageTitle, 30)}\n${color('grey', safe(v.quotaText, 200))}`)];
  if (v.problems.length) elements.push(markdown(color('red', v.problems.map((p) => safe(p, 200)).join('\n'))));
  if (v.confirmed) elements.push(markdown(color('green', safe(v.confirmed, 300))));
  const pages = Math.max(1, Math.ceil(v.rows.length / RANKING_PAGE));
  const page = Math.min(v.page ?? 0, pages - 1);
  const rows = v.rows.slice(0, RANKING_PAGE);
  const shown = v.rows.slice(page * RANKING_PAGE, (page + 1) * RANKING_PAGE);
  const list = shown.map(
    (r, i) =>
      `${page * RANKING_PAGE + i + 1}. **${safeLine(r.number, 20)}** ${safeLine(r.studioName || r.unitName, 50)} — ${r.score !== undefined ? `**${r.score}** 分${r.grade ? ` · 等次：**${safeLine(r.grade, 10)}**` : ''}` : color('grey', '评分未完成')}（${safeLine(r.experts, 30)}）${r.tags.length ? ` ${color('orange', r.tags.map((t) => safeLine(t, 20)).join(' '))}` : ''}`,
  );
  elements.push(markdown(list.join('\n') || `还没有进入这个环节的${t.submission}。`));
  if (pages > 1) {
    const at = (p: number) => ({ a: 'rank.show', c: v.campaignId, s: v.stageId, p });
    elements.push(note(`共 ${v.rows.length} 份，第 ${page + 1}/${pages} 页（每页 ${RANKING_PAGE} 份，按得分排序）`));
    elements.push(
      buttonRow([
        ...(page > 0 ? [button({ text: '上一页', value: at(page - 1) })] : []),
        ...(page < pages - 1 ? [button({ text: '下一页', value: at(page + 1) })] : []),
        ...(page > 0 ? [button({ text: t.evaluation ? '回到第一页确认' : '回到第一页确认名单', value: at(0) })] : []),
      ]),
    );
  }
  if (page > 0) return card({ title: t.rankingTitle, template: 'indigo', summary: t.evaluation ? t.rankingTitle : '评审排名', elements });
  if (!v.confirmed && rows.length && t.evaluation) {
    // Nobody is chosen in an evaluation: the administrator confirms the grades the scores earned.
    const scored = rows.filter((r) => r.score !== undefined).length;
    elements.push({
      tag: 'form',
      name: 'rank_form',
      elements: [
        markdown(`**${t.confirmList}**：评分完成的${scored}个工作室按上列等次进入下一环节${scored < rows.length ? '，其余的等专家评分完成后再确认' : ''}。`),
        button({
          text: t.confirmList,
          type: 'primary',
          name: 'confirm',
          submit: true,
          value: { a: 'rank.confirm', c: v.campaignId, s: v.stageId },
          confirm: { title: t.confirmList, text: '确认后，评分完成的工作室带着上列等次进入下一环节；工作室在评估结果公布时得知等次。' },
        }),
      ],
    });
  } else if (!v.confirmed && rows.length) {
    elements.push({
      tag: 'form',
      name: 'rank_form',
      elements: [
        markdown(
          `**确认入选名单**（已按得分和名额预选，可调整）${v.rows.length > RANKING_PAGE ? `\n${color('orange', `只能在排名前 ${RANKING_PAGE} 的申报中勾选；其余 ${v.rows.length - RANKING_PAGE} 份确认后标为未入选。`)}` : ''}`,
        ),
        ...rows.map((r) => ({
          tag: 'checker',
          name: r.applicationId,
          checked: r.selected,
          text: plain(safeLine(`${r.number} ${r.studioName || r.unitName}`, 60)),
        })),
        button({
          text: '确认名单',
          type: 'primary',
          name: 'confirm',
          submit: true,
          value: { a: 'rank.confirm', c: v.campaignId, s: v.stageId },
          confirm: { title: '确认入选名单', text: '确认后，入选的申报进入下一环节，其余的标为未入选。' },
        }),
      ],
    });
  }
  return card({ title: t.rankingTitle, template: 'indigo', summary: t.evaluation ? t.rankingTitle : '评审排名', elements });
}

export interface PublicNoticeView {
  noticeId: string;
  campaignTitle: string;
  issuer: string;
  startText: string;
  endText: string;
  workingDays: number;
  entries: Entry[];
  contact?: string;
  status: 'open' | 'published';
  /** An evaluation's 公示 is of its results: entries carry their grade. */
  terms?: Terms;
}

type Entry = { studioName: string; unitName: string; grade?: string };
const entryLine = (e: Entry, i: number) =>
  `${i + 1}. **${safeLine(e.studioName, 60)}**　${safeLine(e.unitName, 50)}${e.grade ? `　等次：**${safeLine(e.grade, 10)}**` : ''}`;

/** One of the cards a long list is sent in: entries from `first` (0-based), the `index`-th of `count`. */
export interface ListPart {
  first: number;
  index: number;
  count: number;
}

const partTitle = (title: string, part?: ListPart) => (part && part.count > 1 ? `${title}（${part.index + 1}/${part.count}）` : title);
const partLines = (entries: Entry[], total: number, part?: ListPart) => {
  const first = part?.first ?? 0;
  const lines = entries.map((e, i) => entryLine(e, first + i)).join('\n');
  return part && part.count > 1
    ? `${lines}\n${color('grey', `名单共${total}个，分${part.count}条消息发送，这是第${part.index + 1}条（第${first + 1}–${first + entries.length}个）。`)}`
    : lines;
};

/**
 * Cuts a list into cards Lark accepts (30 KB a card), as few as the lines allow: `variants` builds
 * every version a part's message takes (a 公示 is patched from open to published), and each must
 * fit. A part is sized from each line's bytes (measured once) and then built to check; parts are
 * measured with the longest part label the list could need, so the real labels never overflow.
 */
function listParts(entries: Entry[], variants: (slice: Entry[], part: ListPart) => Card[]): { slice: Entry[]; part: ListPart }[] {
  if (entries.length === 0) return [{ slice: [], part: { first: 0, index: 0, count: 1 } }];
  const worst = (first: number): ListPart => ({ first, index: entries.length, count: entries.length + 1 });
  const largest = (from: number, to: number) => Math.max(...variants(entries.slice(from, to), worst(from)).map(cardBytes));
  const lineBytes = entries.map((e, i) => textBytes(`${entryLine(e, i)}\n`));
  const cuts: [number, number][] = [];
  for (let from = 0; from < entries.length; ) {
    // The card around the lines, from the card with the first line alone; one line always fits
    // (every line is cut to its length).
    let used = largest(from, from + 1);
    let to = from + 1;
    while (to < entries.length && used + lineBytes[to]! <= CARD_LIMIT_BYTES) used += lineBytes[to++]!;
    while (to > from + 1 && largest(from, to) > CARD_LIMIT_BYTES) to--;
    cuts.push([from, to]);
    from = to;
  }
  return cuts.map(([from, to], index) => ({ slice: entries.slice(from, to), part: { first: from, index, count: cuts.length } }));
}

export function publicNoticeCard(v: PublicNoticeView, part?: ListPart, total = v.entries.length): Card {
  const elements: Element[] = [
    markdown(
      (v.terms ?? APPLICATION_TERMS).evaluation
        ? `经评估，现将以下${total}个技能大师工作室的评估结果予以公示。`
        : `经评审，拟认定以下${total}个技能大师工作室，现予公示。`,
    ),
    markdown(partLines(v.entries, total, part)),
    markdown(
      v.status === 'open'
        ? `**公示期**：${v.startText} 至 ${v.endText}（${v.workingDays}个工作日）。\n公示期内如有异议，请点“提出异议”写明理由（实名反映）${v.contact ? `，或联系 ${safeLine(v.contact, 60)}` : ''}。`
        : `**公示期**：${v.startText} 至 ${v.endText}（${v.workingDays}个工作日）。`,
    ),
    note(safeLine(v.issuer, 60)),
  ];
  if (v.status === 'open') elements.push(buttonRow([button({ text: '提出异议', value: { a: 'notice.objectForm', n: v.noticeId } })]));
  else elements.push(markdown(color('green', (v.terms ?? APPLICATION_TERMS).evaluation ? '公示已结束，评估结果已发文公布。' : '公示已结束，名单已发文公布。')));
  return card({ title: partTitle(`公示 · ${v.campaignTitle}`, part), template: 'wathet', summary: `公示：${v.campaignTitle}`, elements });
}

/**
 * The 公示 as the groups receive it, in as many cards as the list needs: every part has the period
 * and 提出异议. The i-th card of the open 公示 becomes the i-th of the published one (`status`
 * only changes what follows the list), so both are cut alike.
 */
export function publicNoticeCards(v: PublicNoticeView): Card[] {
  const both = (slice: Entry[], part: ListPart) =>
    (['open', 'published'] as const).map((status) => publicNoticeCard({ ...v, status, entries: slice }, part, v.entries.length));
  return listParts(v.entries, both).map(({ slice, part }) => publicNoticeCard({ ...v, entries: slice }, part, v.entries.length));
}

export interface PublicationView {
  campaignTitle: string;
  issuer: string;
  dateText: string;
  entries: Entry[];
  terms?: Terms;
}

/**
 * 发文公布: what the groups that saw the 公示 receive when the list is published, in the notices'
 * words (经评审和公示……现予公布).
 */
export function publicationCard(v: PublicationView, part?: ListPart, total = v.entries.length): Card {
  return card({
    title: partTitle(`公布 · ${v.campaignTitle}`, part),
    template: 'green',
    summary: `公布：${v.campaignTitle}`,
    elements: [
      markdown(
        (v.terms ?? APPLICATION_TERMS).evaluation
          ? `经评估和公示，现将以下${total}个技能大师工作室的评估结果予以公布。`
          : `经评审和公示，认定以下${total}个技能大师工作室，现予公布。`,
      ),
      markdown(partLines(v.entries, total, part)),
      note(`${safeLine(v.issuer, 60)}　${safeLine(v.dateText, 20)}`),
    ],
  });
}

/** The whole list published, in as many cards as it needs (no name left out, none over Lark's limit). */
export function publicationCards(v: PublicationView): Card[] {
  const one = (slice: Entry[], part: ListPart) => [publicationCard({ ...v, entries: slice }, part, v.entries.length)];
  return listParts(v.entries, one).map(({ slice, part }) => publicationCard({ ...v, entries: slice }, part, v.entries.length));
}

export function objectionFormCard(v: { noticeId: string; campaignTitle: string; error?: string; reason?: string }): Card {
  return card({
    title: '提出异议',
    subtitle: v.campaignTitle,
    template: 'orange',
    summary: '提出异议',
    elements: [
      ...(v.error ? [markdown(color('red', safe(v.error, 200)))] : []),
      {
        tag: 'form',
        name: 'objection_form',
        elements: [
          {
            tag: 'input',
            name: 'reason',
            placeholder: plain('请写明异议对象和理由（最多1000字）'),
            input_type: 'multiline_text',
            rows: 4,
            max_length: 1000,
            width: 'fill',
            ...(v.reason ? { default_value: Array.from(v.reason).slice(0, 1000).join('') } : {}),
          },
          button({ text: '提交异议', type: 'primary', name: 'object', submit: true, value: { a: 'notice.object', n: v.noticeId } }),
        ],
      },
    ],
  });
}

export interface NoticeAdminView {
  noticeId: string;
  campaignTitle: string;
  startText: string;
  endText: string;
  status: 'open' | 'published';
  objections: { id: string; reason: string; at: string; status: 'open' | 'resolved'; resolution?: string }[];
  canPublish: boolean;
  publishBlocker?: string;
  flash?: { kind: 'success' | 'error'; text: string };
}

export function noticeAdminCard(v: NoticeAdminView): Card {
  const elements: Element[] = [];
  if (v.flash) elements.push(markdown(color(v.flash.kind === 'success' ? 'green' : 'red', safe(v.flash.text, 300))));
  elements.push(
    markdown(`${safeLine(v.campaignTitle, 60)}\n公示期：${v.startText} 至 ${v.endText}　状态：${v.status === 'published' ? '已发文公布' : '公示中'}`),
  );
  elements.push(markdown(v.objections.length ? `**异议**（${v.objections.length}）` : '没有收到异议。'));
  for (const o of v.objections.slice(0, 20)) {
    elements.push(
      markdown(
        `${o.status === 'open' ? color('red', '【待处理】') : color('green', '【已处理】')} ${o.at}\n${safe(o.reason, 300)}${o.resolution ? `\n处理结果：${safe(o.resolution, 300)}` : ''}`,
      ),
    );
    if (o.status === 'open') {
      elements.push({
        tag: 'form',
        name: `resolve_${o.id.slice(0, 8)}`,
        elements: [
          { tag: 'input', name: 'resolution', placeholder: plain('处理结果（如 经核实，异议不成立）'), max_length: 500, width: 'fill' },
          button({ text: '标记为已处理', name: 'resolve', submit: true, value: { a: 'notice.resolve', n: v.noticeId, o: o.id } }),
        ],
      });
    }
  }
  if (v.status === 'open') {
    if (v.publishBlocker) elements.push(note(v.publishBlocker));
    elements.push(buttonRow([button({ text: '发文公布', type: v.canPublish ? 'primary' : 'default', value: { a: 'notice.publish', n: v.noticeId } })]));
  }
  return card({ title: '公示管理', template: 'indigo', summary: '公示管理', elements });
}

export function resultCard(v: { title: string; text: string; template: 'green' | 'grey' | 'orange' }): Card {
  return card({ title: v.title, template: v.template, summary: v.title, elements: [markdown(safe(v.text, 1000))] });
}

export interface RecommendationView {
  campaignId: string;
  stageId: string;
  campaignTitle: string;
  stageTitle: string;
  limitText: string;
  regions: { region: string; rows: { applicationId: string; number: string; unitName: string; studioName: string; rank?: number }[] }[];
  problems: string[];
  confirmed?: string;
}

/** A region's reviewer orders the region's applications and recommends up to the limit. */
export function recommendationCard(v: RecommendationView): Card {
  const elements: Element[] = [markdown(`${safeLine(v.campaignTitle, 60)} · ${safeLine(v.stageTitle, 40)}\n${color('grey', safe(v.limitText, 200))}`)];
  if (v.problems.length) elements.push(markdown(color('red', v.problems.map((p) => safe(p, 200)).join('\n'))));
  if (v.confirmed) elements.push(markdown(color('green', safe(v.confirmed, 300))));
  const all = v.regions.flatMap((r) => r.rows);
  if (!all.length) elements.push(markdown('您负责的地区还没有进入这个环节的申报。'));
  if (all.length && !v.confirmed) {
    const options = [{ text: plain('不推荐'), value: '0' }, ...all.map((_, i) => ({ text: plain(`第${i + 1}名`), value: String(i + 1) }))];
    const form: Element[] = [markdown('**为每份申报选择推荐顺位**（1 为最优先）')];
    for (const r of v.regions) {
      form.push(markdown(`**${safeLine(r.region, 30)}**`));
      for (const row of r.rows.slice(0, 30)) {
        form.push(markdown(`${safeLine(row.number, 20)} ${safeLine(row.studioName || row.unitName, 50)}`));
        form.push({
          tag: 'select_static',
          name: row.applicationId,
          width: 'fill',
          placeholder: plain('推荐顺位'),
          options,
          ...(row.rank ? { initial_option: String(row.rank) } : {}),
        });
      }
    }
    form.push(button({ text: '确认推荐', type: 'primary', name: 'recommend', submit: true, value: { a: 'rec.confirm', c: v.campaignId, s: v.stageId } }));
    elements.push({ tag: 'form', name: 'recommend_form', elements: form });
  }
  return card({ title: '推荐名单', template: 'indigo', summary: '推荐名单', elements });
}
