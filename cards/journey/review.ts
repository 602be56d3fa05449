// 检查并提交 (the summary, what is missing, the declarations) and the confirmation after submitting.
//
// Sections are collapsible panels (containers/collapsible-panel: expanded, header.title, border;
// no form inside). A `table` component may only sit at the body root, so the groups inside the
// panels are markdown tables, at most five per card (like the table component), then lists.
// The declarations are checkers (interactive-components/checker: name, checked, text) in the one
// form, submitted by 提交申报 (name submit, value j.submit). Long answers are cut to keep the card
// under 30 KB and 200 elements.

import { APPLICATION_TERMS } from '../../src/campaigns/terms.js';
import { button, buttonRow, type Card, card, type Element, firstFitting, markdown, note, plain } from '../components.js';
import { act } from './actions.js';
import { color, eligibilityBlock, flashBlock, safe, safeLine } from './common.js';
import type { ReviewView, SubmittedView } from './views.js';

/** Markdown tables per card (the table component's limit, applied to markdown tables too). */
const MAX_TABLES = 5;

interface Limits {
  /** Characters of an answer, a table cell, a label or other line; rows per group; blockers shown. */
  value: number;
  cell: number;
  label: number;
  text: number;
  rows: number;
  /** Answers shown per section (the rest counted). */
  sectionRows: number;
  blockers: number;
}

const cellText = (text: string, max: number) => safeLine(text, max) || ' ';

function groupMarkdown(g: ReviewView['sections'][number]['groups'][number], asTable: boolean, l: Limits): string {
  const head = `**${safeLine(g.label, l.label)}**（${g.rows.length} 条）`;
  if (!g.rows.length) return `${head}\n${color('grey', '（未填写）')}`;
  if (l.rows === 0) return head;
  const shown = g.rows.slice(0, l.rows);
  const more = g.rows.length > shown.length ? `\n${color('grey', `…另有 ${g.rows.length - shown.length} 条未显示`)}` : '';
  if (asTable && g.columns.length) {
    const header = `| 序号 | ${g.columns.map((c) => cellText(c, l.label)).join(' | ')} |`;
    const sep = `|${' --- |'.repeat(g.columns.length + 1)}`;
    const body = shown.map((r, i) => `| ${i + 1} | ${g.columns.map((_, j) => cellText(r[j] ?? '', l.cell)).join(' | ')} |`);
    return `${head}\n${[header, sep, ...body].join('\n')}${more}`;
  }
  const list = shown.map(
    (r, i) =>
      `${i + 1}. ${r
        .map((c, j) => (c.trim() ? `${g.columns[j] ? `${safeLine(g.columns[j]!, l.label)}：` : ''}${safeLine(c, l.cell)}` : ''))
        .filter(Boolean)
        .join('｜')}`,
  );
  return `${head}\n${list.join('\n')}${more}`;
}

function buildReview(view: ReviewView, l: Limits): Card {
  const t = view.terms ?? APPLICATION_TERMS;
  let tables = 0;
  const elements: Element[] = [...flashBlock(view.flashes, l.text * 2)];
  if (view.studioName) elements.push({ tag: 'markdown', content: `🏷️ 工作室名称：**${color('blue', safeLine(view.studioName, 60))}**`, text_size: 'heading' });
  // The programme is the header's subtitle; only the deadline is added here.
  if (view.deadlineText) elements.push(note(safeLine(view.deadlineText, 60)));

  if (view.blockers.length) {
    const shown = view.blockers.slice(0, l.blockers);
    const more = view.blockers.length > shown.length ? `\n${color('red', `…还有 ${view.blockers.length - shown.length} 项`)}` : '';
    elements.push(markdown(`**还需完成：**\n${shown.map((b) => `☐ ${color('red', safeLine(b, l.text))}`).join('\n')}${more}`));
  } else {
    elements.push(markdown(color('green', '✅ 必填内容和附件都已齐全。')));
  }
  if (view.warnings.length)
    elements.push(
      markdown(
        view.warnings
          .slice(0, l.blockers)
          .map((w) => `⚠️ ${color('orange', safeLine(w, l.text))}`)
          .join('\n'),
      ),
    );
  elements.push(...eligibilityBlock(view.eligibility, { heading: `**${t.conditions}**`, max: l.text }));

  elements.push(markdown('**填写内容**（点开查看）'));
  view.sections.forEach((s, i) => {
    const rows = s.rows
      .slice(0, l.sectionRows)
      .map((r) => `**${safeLine(r.label, l.label)}**：${r.value.trim() ? safe(r.value, l.value) : color('grey', '（未填写）')}`);
    if (s.rows.length > l.sectionRows) {
      const filled = s.rows.filter((r) => r.value.trim()).length;
      rows.push(color('grey', `…另有 ${s.rows.length - l.sectionRows} 项未显示（本部分共 ${s.rows.length} 项，已填 ${filled} 项）`));
    }
    const inner: Element[] = [];
    if (rows.length) inner.push(markdown(rows.join('\n')));
    for (const g of s.groups) {
      const asTable = tables < MAX_TABLES && g.rows.length > 0 && g.columns.length > 0;
      if (asTable) tables++;
      inner.push(markdown(groupMarkdown(g, asTable, l)));
    }
    if (!inner.length) inner.push(note('（本部分没有内容）'));
    elements.push({
      tag: 'collapsible_panel',
      expanded: false,
      header: { title: plain(`${i + 1}. ${Array.from(s.title).slice(0, 40).join('')}`) },
      border: { color: 'grey', corner_radius: '5px' },
      vertical_spacing: '8px',
      elements: inner,
    });
  });
  if (view.attachments.length) {
    const missing = view.attachments.filter((a) => a.required && !a.files.length).length;
    elements.push({
      tag: 'collapsible_panel',
      expanded: false,
      header: { title: plain(`附件材料（${view.attachments.length} 项${missing ? `，缺 ${missing} 项` : ''}）`) },
      border: { color: 'grey', corner_radius: '5px' },
      elements: [
        markdown(
          view.attachments
            .map((a) => {
              const files = a.files.length
                ? a.files
                    .slice(0, l.rows)
                    .map((f) => safeLine(f, l.cell))
                    .join('、') + (a.files.length > l.rows ? ` 等 ${a.files.length} 个` : '')
                : a.required
                  ? color('red', '未上传')
                  : color('grey', '未上传（选填）');
              return `**${safeLine(a.label, l.label)}**${a.required ? ` ${color('red', '*')}` : ''}：${files}`;
            })
            .join('\n'),
        ),
      ],
    });
  }

  const base = { app: view.applicationId, v: view.version };
  const declarations: Element[] = view.declarations.map((d) => ({
    tag: 'checker',
    name: d.id,
    checked: d.confirmed,
    text: plain(`${Array.from(d.text).slice(0, 1000).join('')}${d.veto ? '（一票否决项）' : ''}`),
    overall_checkable: true,
  }));
  const unconfirmed = view.declarations.filter((d) => !d.confirmed).length;
  elements.push({
    tag: 'form',
    name: 'declare_form',
    elements: [
      markdown(view.declarations.length ? `**${t.submission}声明**（请逐条阅读并勾选）` : `**提交${t.submission}**`),
      ...declarations,
      ...(view.canSubmit
        ? [note('提交后将进入审核，不能再修改。')]
        : [
            markdown(
              color(
                'orange',
                `还有 ${view.blockers.length || unconfirmed} 项未完成，暂时不能提交。可以先勾选声明，点「提交${t.submission}」会保存勾选并再次检查。`,
              ),
            ),
          ]),
      button({ text: `提交${t.submission}`, type: 'primary', name: 'submit', submit: true, value: act({ a: 'j.submit', ...base }) }),
    ],
  });
  elements.push(buttonRow([button({ text: '返回总览', value: act({ a: 'j.overview', ...base }) })]));

  return card({
    title: '检查并提交',
    subtitle: view.campaignTitle,
    template: view.canSubmit ? 'blue' : 'orange',
    summary: view.canSubmit ? `${t.submission}材料已齐全，可以提交` : `还有 ${view.blockers.length || unconfirmed} 项需要完成`,
    elements,
  });
}

export function reviewCard(view: ReviewView): Card {
  return firstFitting(
    [
      { value: 1000, cell: 60, label: 40, text: 120, rows: 50, sectionRows: 100, blockers: 30 },
      { value: 300, cell: 40, label: 30, text: 80, rows: 30, sectionRows: 100, blockers: 30 },
      { value: 150, cell: 30, label: 20, text: 60, rows: 30, sectionRows: 100, blockers: 20 },
      { value: 80, cell: 20, label: 16, text: 40, rows: 20, sectionRows: 100, blockers: 15 },
      { value: 40, cell: 12, label: 12, text: 30, rows: 10, sectionRows: 100, blockers: 10 },
      { value: 20, cell: 8, label: 10, text: 20, rows: 5, sectionRows: 100, blockers: 8 },
      { value: 12, cell: 6, label: 8, text: 16, rows: 3, sectionRows: 12, blockers: 8 },
      { value: 8, cell: 6, label: 8, text: 16, rows: 0, sectionRows: 6, blockers: 5 },
      { value: 6, cell: 6, label: 6, text: 12, rows: 0, sectionRows: 0, blockers: 5 },
    ].map((l) => () => buildReview(view, l)),
  );
}

export function submittedCard(view: SubmittedView): Card {
  const t = view.terms ?? APPLICATION_TERMS;
  // A self-assessment is evaluated, not approved: its contact hears of progress and, at publication, the result.
  const told = t.evaluation ? '评估进展和评估结果' : '审核结果';
  return card({
    title: `${t.submission}已提交`,
    subtitle: view.campaignTitle,
    template: 'green',
    summary: `${t.submission}已提交，编号 ${view.number}`,
    elements: [
      // The header says it was submitted (and for which programme); the body gives the details.
      markdown(
        [
          `**${t.number}**：${safeLine(view.number, 40)}`,
          ...(view.studioName ? [`**工作室名称**：${safeLine(view.studioName, 60)}`] : []),
          `**提交时间**：${safeLine(view.submittedAtText, 40)}`,
        ].join('\n'),
      ),
      markdown(`**接下来**\n${safe(view.nextStageText, 500)}`),
      note(`请记下${t.number}。${told}会在这里通知您，也可随时发送「进度」查看。`),
      buttonRow([button({ text: '查看进度', type: 'primary', value: act({ a: 'j.status' }) })]),
    ],
  });
}
