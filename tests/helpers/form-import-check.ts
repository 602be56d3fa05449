// The form import checked as the bot applies it: the recognised raw values through the engine,
// section by section and row by row (validateSection, validateRow), and scored against what the
// document was filled with. Shared by the per-programme tests and `npm run figures:import`.
import type { Campaign } from '../../src/campaigns/schema.js';
import { type Answers, type FieldContext, validateRow, validateSection } from '../../src/forms/engine.js';
import type { Recognised } from '../../src/forms/form-import.js';

export function throughEngine(c: Campaign, r: Recognised, ctx: FieldContext): { answers: Answers; errors: string[] } {
  const answers: Answers = {};
  const errors: string[] = [];
  for (const section of c.form.sections) {
    const submitted = Object.fromEntries(section.fields.filter((f) => f.type !== 'group' && f.id in r.values).map((f) => [f.id, r.values[f.id]]));
    if (Object.keys(submitted).length) {
      const step = validateSection(c, section.id, submitted, ctx, answers);
      Object.assign(answers, step.values);
      errors.push(...Object.entries(step.errors).map(([id, e]) => `${id}: ${e.message} (${JSON.stringify(e.raw)})`));
    }
    for (const g of section.fields) {
      if (g.type !== 'group' || !r.groups[g.id]) continue;
      answers[g.id] = r.groups[g.id]!.map((raw, i) => {
        const row = validateRow(g, raw, ctx);
        errors.push(...Object.entries(row.errors).map(([id, e]) => `${g.id}[${i}].${id}: ${e.message}`));
        return row.row;
      });
    }
  }
  return { answers, errors };
}

/**
 * How many of the form's fields (scalar fields the document has a box for, and each column of its
 * groups) came out filled and equal to what was written, and how many came out wrong.
 */
export function scoreImport(
  c: Campaign,
  r: Recognised,
  expected: { values: Record<string, unknown>; groups: Record<string, Record<string, unknown>[]> },
  ctx: FieldContext,
): { filled: number; total: number; wrong: number; errors: string[] } {
  const { answers, errors } = throughEngine(c, r, ctx);
  const total = Object.keys(expected.values).length + Object.values(expected.groups).reduce((n, rows) => n + Object.keys(rows[0] ?? {}).length, 0);
  let filled = 0;
  let wrong = 0;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const [key, value] of Object.entries(answers)) {
    const columns = Object.keys(expected.groups[key]?.[0] ?? {}).length;
    if (key in expected.groups) {
      if (same(value, expected.groups[key])) filled += columns;
      else wrong += columns;
    } else if (key in expected.values) {
      if (same(value, expected.values[key])) filled++;
      else wrong++;
    } else wrong++;
  }
  return { filled, total, wrong, errors };
}
