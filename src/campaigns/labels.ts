// Every piece of printed wording a programme file carries (sections, fields, group columns,
// attachments, opinion boxes, rubric items, export columns). Tests check a seed form's labels
// against it; the comparison ignores whitespace, since the paper forms break labels over lines.
import type { Campaign } from './schema.js';

export const normalizeLabel = (s: string): string => s.replace(/[\s\u3000]+/g, '');

export function campaignLabels(c: Campaign): Set<string> {
  const out: string[] = [];
  for (const s of c.form.sections) {
    out.push(s.title);
    for (const f of s.fields) {
      out.push(f.label, ...(f.alsoPrintedAs ?? []));
      if (f.type === 'group') out.push(...f.fields.flatMap((g) => [g.label, ...(g.alsoPrintedAs ?? [])]));
    }
  }
  out.push(...c.form.attachments.map((a) => a.label), ...c.form.declarations.map((d) => d.text));
  for (const st of c.pipeline) out.push(st.title, ...(st.opinionLabel ? [st.opinionLabel] : []));
  for (const r of c.rubrics) for (const i of r.items) out.push(i.category, i.content, i.criteria, i.method);
  for (const r of c.rubrics) out.push(...r.veto.map((v) => v.text), ...Object.values(r.columns));
  if (c.evaluation?.scoreColumns) out.push(c.evaluation.scoreColumns.self, c.evaluation.scoreColumns.review);
  const list = c.exports.summaryList;
  if (list) out.push(list.title, ...list.columns.map((col) => col.header), ...list.header, ...list.footer, ...list.notes);
  return new Set(out.filter(Boolean).map(normalizeLabel));
}

/** The seed labels missing from a programme file. */
export function missingLabels(c: Campaign, seedLabels: readonly string[]): string[] {
  const have = campaignLabels(c);
  return seedLabels.filter((l) => !have.has(normalizeLabel(l)));
}
