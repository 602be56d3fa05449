// 第 k/n 步: one section (or one page of it) as a form.
//
// The form (open.feishu.cn …/card-json-v2-components/containers/form-container) sits at the body
// root and holds the inputs and four submit buttons (form_action_type submit, told apart by their
// `name`: next | back | save | overview, all with the value j.save). The repeating groups are
// listed in the form too: their 管理 buttons submit it (name group, value j.save with the group),
// so what was typed on the step is saved before the group opens.
import {
  button,
  CARD_ELEMENT_LIMIT,
  CARD_LIMIT_BYTES,
  type Card,
  card,
  cardBytes,
  cardElements,
  type Element,
  firstFitting,
  markdown,
  note,
} from '../components.js';
import { act } from './actions.js';
import { color, eligibilityBlock, flashBlock, progressBar, safe, safeLine } from './common.js';
import { ERROR_MAX, renderInput } from './inputs.js';
import type { InputView, StepView } from './views.js';

/** A page leaves this much room under the card limit (flashes and errors added on a later submit). */
export const PAGE_BUDGET_BYTES = CARD_LIMIT_BYTES - 2048;

/** Submit buttons side by side, wrapping on narrow screens (column_set inside the form). */
function submitRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

function groupBlock(view: StepView, g: StepView['groups'][number], previewMax: number): Element[] {
  const range = g.maxRows > 0 && g.maxRows < 1000 ? `至少 ${g.minRows} 条，最多 ${g.maxRows} 条` : `至少 ${g.minRows} 条`;
  const missing = g.rowCount < g.minRows ? `　${color('orange', `还需添加 ${g.minRows - g.rowCount} 条`)}` : g.rowCount > 0 ? `　${color('green', '✓')}` : '';
  const preview = g.preview.slice(0, 3).map((p) => `· ${safeLine(p, previewMax)}`);
  if (g.preview.length > 3) preview.push(`· …共 ${g.rowCount} 条`);
  return [
    markdown(`**${safe(g.label, 60)}**：已填写 ${g.rowCount} 条（${range}）${missing}${preview.length ? `\n${color('grey', preview.join('\n'))}` : ''}`),
    button({
      text: `管理${safeLine(g.rowLabel, 20)}`,
      name: 'group',
      submit: true,
      value: act({
        a: 'j.save',
        app: view.applicationId,
        v: view.version,
        s: view.sectionId,
        ...(view.page && view.page.count > 1 ? { p: view.page.index } : {}),
        g: g.id,
      }),
    }),
  ];
}

interface Limits {
  preview: number;
  flash: number;
  description: number;
  eligibility: number;
}

/** The limits of the richest card. */
const MEASURE_LIMITS: Limits = { preview: 60, flash: 200, description: 300, eligibility: 120 };

function build(view: StepView, l: Limits): Card {
  const k = view.stepIndex + 1;
  const title = `第 ${k}/${view.stepCount} 步 · ${view.title}`;
  const paged = view.page && view.page.count > 1 ? view.page : undefined;
  const subtitle = `${view.campaignTitle}${paged ? ` · 第 ${paged.index + 1}/${paged.count} 页` : ''}`;
  const lastPage = !paged || paged.index === paged.count - 1;
  const firstPage = !paged || paged.index === 0;
  const value = act({ a: 'j.save', app: view.applicationId, v: view.version, s: view.sectionId, ...(paged ? { p: paged.index } : {}) });

  const fields = view.inputs.flatMap((i) => renderInput(i));
  const buttons = [
    button({ text: view.isLast && lastPage ? '保存并检查' : '下一步', type: 'primary', name: 'next', submit: true, value }),
    ...(!view.isFirst || !firstPage ? [button({ text: '上一步', name: 'back', submit: true, value })] : []),
    button({ text: '保存并退出', name: 'save', submit: true, value }),
    button({ text: '总览', name: 'overview', submit: true, value }),
  ];
  const errors = view.inputs.filter((i) => i.error).length;

  const elements: Element[] = [
    note(progressBar(view.doneCount, view.stepCount)),
    ...flashBlock(view.flashes, l.flash),
    ...(errors ? [markdown(color('red', `有 ${errors} 处需要修改，请看下面标红的提示。`))] : []),
    ...(view.description && l.description ? [note(safe(view.description, l.description))] : []),
    ...eligibilityBlock(view.eligibility, { failingOnly: true, heading: '**条件核对**', max: l.eligibility }),
    {
      tag: 'form',
      name: 'step_form',
      elements: [
        ...(fields.length ? fields : view.groups.length ? [] : [note('本页没有需要填写的项目。')]),
        // Rows are added one by one; 管理 saves what was typed above first.
        ...(view.groups.length
          ? [note('以下内容逐条填写：点「管理」添加或修改，上面已填写的内容会先保存。'), ...view.groups.flatMap((g) => groupBlock(view, g, l.preview))]
          : []),
        submitRow(buttons),
      ],
    },
  ];
  return card({ title, subtitle, template: 'blue', summary: title, elements });
}

/** The step card with every message around the answers in full: what a page is measured with. */
export const stepCardRichest = (view: StepView): Card => build(view, MEASURE_LIMITS);

/** The step card of a section (or one page of it: set `page` to what pageInputs gave). */
export function stepCard(view: StepView): Card {
  // The answers are never cut; the messages around them are, when a page is full.
  return firstFitting(
    [MEASURE_LIMITS, { preview: 30, flash: 80, description: 100, eligibility: 60 }, { preview: 12, flash: 40, description: 0, eligibility: 30 }].map(
      (l) => () => build(view, l),
    ),
  );
}

/** Errors are cut to this length on the card; pages are measured as if every field had one. */
const MEASURE_ERROR = '错'.repeat(ERROR_MAX);

/** The bytes a piece of a card's JSON adds to the request body (the card travels escaped once more in `content`). */
const escapedBytes = (json: string): number => Buffer.byteLength(JSON.stringify(json), 'utf8') - 2;

const measuredInputs = (inputs: InputView[]) => inputs.map((i) => ({ ...i, error: MEASURE_ERROR }));

/**
 * Splits the inputs of a section into pages whose step cards stay under the card limit (2 KB
 * spare for flashes) and the 200-element limit; one page when everything fits. Greedy, in field
 * order. The split does not depend on the flashes or on which fields have errors, so the pages
 * stay the same between a save and the card that answers it.
 *
 * A page's size is summed, not rebuilt for every field tried (that was quadratic, and ran on every
 * save of a long section): each input's elements add their escaped JSON and a comma to the form's
 * list, and only the count in "有 N 处需要修改" changes with how many fields a page holds.
 */
export function pageInputs(view: StepView): InputView[][] {
  if (view.inputs.length < 2) return [view.inputs];
  // Most sections fit on one page: one card built and measured tells (cheaper than summing every input).
  const base: StepView = { ...view, flashes: [], inputs: measuredInputs(view.inputs) };
  delete base.page;
  const whole = stepCardRichest(base);
  if (cardBytes(whole) <= PAGE_BUDGET_BYTES && cardElements(whole) <= CARD_ELEMENT_LIMIT) return [view.inputs];
  // Measured as a middle page of many (the longest subtitle, 上一步 shown).
  const size = pageSizer(view, { index: 1, count: 99 });
  const pages: InputView[][] = [];
  let from = 0;
  for (let k = 1; k < view.inputs.length; k++) {
    const s = size(from, k + 1);
    if (s.bytes > PAGE_BUDGET_BYTES || s.elements > CARD_ELEMENT_LIMIT) {
      pages.push(view.inputs.slice(from, k));
      from = k;
    }
  }
  pages.push(view.inputs.slice(from));
  return pages;
}

/**
 * The bytes and elements of the richest step card holding inputs [from, to) of the view, each with
 * an error, without building it: as the only page (no `page`), or as a page of several.
 */
export function pageSizer(view: StepView, page?: StepView['page']): (from: number, to: number) => { bytes: number; elements: number } {
  const base: StepView = { ...view, flashes: [], inputs: [] };
  delete base.page;
  const measured = measuredInputs(view.inputs);
  // Running sums of each input's share, so a page's size is a difference.
  const bytes = [0];
  const elements = [0];
  for (const i of measured) {
    const parts = renderInput(i);
    bytes.push(bytes.at(-1)! + parts.reduce((n, e) => n + escapedBytes(JSON.stringify(e)) + 1, 0));
    elements.push(elements.at(-1)! + parts.reduce((n, e) => n + cardElements(e), 0));
  }
  const one = stepCardRichest({ ...base, inputs: measured.slice(0, 1), ...(page ? { page } : {}) });
  const fixed = { bytes: cardBytes(one) - bytes[1]!, elements: cardElements(one) - elements[1]! };
  return (from, to) => ({
    bytes: fixed.bytes + bytes[to]! - bytes[from]! + String(to - from).length - 1,
    elements: fixed.elements + elements[to]! - elements[from]!,
  });
}
