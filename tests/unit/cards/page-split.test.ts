// The pages of a long section are found by adding up each field's share of the card instead of
// rebuilding the card for every field tried. Same pages as rebuilding (the reference below, the
// former algorithm), for every section of every shipped programme, empty and at its worst, at
// versions whose length differs, and for sections long enough that "有 N 处需要修改" reaches two digits.
import { describe, expect, it } from 'vitest';
import { CARD_ELEMENT_LIMIT, cardBytes, cardElements, fits } from '../../../cards/components.js';
import { ERROR_MAX } from '../../../cards/journey/inputs.js';
import { PAGE_BUDGET_BYTES, pageInputs, pageSizer, stepCard, stepCardRichest } from '../../../cards/journey/step.js';
import type { InputView, StepView } from '../../../cards/journey/views.js';
import { stepView } from '../../../src/applications/views.js';
import { applications, worstApplication } from '../../helpers/worst-cards.js';

/** The former split: the whole card rebuilt and measured for every field tried. */
function rebuiltPages(view: StepView): InputView[][] {
  const measured = (inputs: InputView[]) => inputs.map((i) => ({ ...i, error: '错'.repeat(ERROR_MAX) }));
  const base: StepView = { ...view, flashes: [], inputs: [] };
  delete base.page;
  if (fits(stepCardRichest({ ...base, inputs: measured(view.inputs) }), PAGE_BUDGET_BYTES)) return [view.inputs];
  const probe = (inputs: InputView[]) => fits(stepCardRichest({ ...base, inputs: measured(inputs), page: { index: 1, count: 99 } }), PAGE_BUDGET_BYTES);
  const pages: InputView[][] = [];
  let current: InputView[] = [];
  for (const input of view.inputs) {
    if (current.length && !probe([...current, input])) {
      pages.push(current);
      current = [];
    }
    current.push(input);
  }
  if (current.length) pages.push(current);
  return pages;
}

const ctx = { today: '2026-11-21', asOf: '2026-11-21' };
const ids = (pages: InputView[][]) => pages.map((p) => p.map((i) => i.id));

const views: [string, StepView][] = [];
for (const c of applications) {
  const worst = worstApplication(c);
  const empty = { ...worst, draft: { answers: {}, declarations: {}, attachments: {} }, uploads: [] };
  for (const s of c.form.sections) {
    for (const [what, app] of [
      ['worst', worst],
      ['empty', empty],
    ] as const)
      for (const version of [7, 10, 123_456])
        views.push([`${c.id} ${s.id} ${what} v${version}`, stepView({ campaign: c, app: { ...app, version }, sectionId: s.id, ctx })]);
  }
  // A section far longer than any shipped one: every field of the programme on one step, twice.
  const all = c.form.sections.flatMap((s) => stepView({ campaign: c, app: worst, sectionId: s.id, ctx }).inputs);
  const first = stepView({ campaign: c, app: worst, sectionId: c.form.sections[0]!.id, ctx });
  views.push([`${c.id} every field twice`, { ...first, inputs: [...all, ...all].map((i, k) => ({ ...i, id: `${i.id}_${k}` })) }]);
}

describe('pageInputs', () => {
  it('has long sections to split', () => {
    expect(views.filter(([, v]) => rebuiltPages(v).length > 2).length).toBeGreaterThan(3);
    expect(views.some(([, v]) => rebuiltPages(v).some((p) => p.length >= 10))).toBe(true);
  });

  it.each(views)('%s: the same pages as rebuilding the card for every field', (_name, view) => {
    expect(ids(pageInputs(view))).toEqual(ids(rebuiltPages(view)));
  });

  it.each(views.filter(([, v]) => rebuiltPages(v).length > 1))('%s: every page fits with an error on every field', (_name, view) => {
    const pages = pageInputs(view);
    for (const [index, inputs] of pages.entries()) {
      const c = stepCard({ ...view, flashes: [], inputs: inputs.map((i) => ({ ...i, error: '错'.repeat(ERROR_MAX) })), page: { index, count: pages.length } });
      expect(cardBytes(c)).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
      expect(cardElements(c)).toBeLessThanOrEqual(CARD_ELEMENT_LIMIT);
    }
  });

  // Exact, not close: a byte off would move a page's end on some section one day.
  it.each(views.filter(([, v]) => v.inputs.length > 1))('%s: a page measured without building it is the size of the card built', (_name, view) => {
    const whole = pageSizer(view);
    const size = pageSizer(view, { index: 1, count: 99 });
    const n = view.inputs.length;
    const alone = stepCardRichest({ ...view, flashes: [], inputs: view.inputs.map((i) => ({ ...i, error: '错'.repeat(ERROR_MAX) })) });
    expect(whole(0, n)).toEqual({ bytes: cardBytes(alone), elements: cardElements(alone) });
    const ranges = new Set([`0-${n}`, `0-1`, `${n - 1}-${n}`, `1-${Math.min(n, 12)}`, `${Math.floor(n / 3)}-${Math.min(n, Math.floor(n / 3) + 10)}`]);
    for (const r of ranges) {
      const [from, to] = r.split('-').map(Number) as [number, number];
      const built = stepCardRichest({
        ...view,
        flashes: [],
        inputs: view.inputs.slice(from, to).map((i) => ({ ...i, error: '错'.repeat(ERROR_MAX) })),
        page: { index: 1, count: 99 },
      });
      expect(size(from, to), r).toEqual({ bytes: cardBytes(built), elements: cardElements(built) });
    }
  });
});
