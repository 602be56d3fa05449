// A filled 申报表 sent as a Word file (issue 21): its values go through the same checks as typed
// ones into the draft; what the draft already held is kept and named; the answer card says what was
// filled, what failed and what was not found. Sent before any draft exists, the file starts the draft
// of the open programme whose form it is. Nothing is submitted.
import type { Card } from '../../cards/components.js';
import { type FormImportView, formImportCard } from '../../cards/journey/index.js';
import { campaignState } from '../campaigns/schedule.js';
import type { Campaign, GroupField, ScalarField } from '../campaigns/schema.js';
import type { Tx } from '../db/database.js';
import type { WordRead } from '../files/word.js';
import { type EligibilityContext, firstUnfinished, stepsOf, validateRow, validateSection } from '../forms/engine.js';
import type { Answers, GroupRow } from '../forms/fields.js';
import { isEmpty, parseFieldValue } from '../forms/fields.js';
import { type Recognised, recogniseForm } from '../forms/form-import.js';
import { maskPersonalData } from '../rules/mask.js';
import { type ApplicationRecord, updateApplication } from './repository.js';

/** The open programme (application kind) whose form the document is, the best match first. */
export function formOfDocument(
  campaigns: readonly Campaign[],
  now: Date,
  doc: Extract<WordRead, { ok: true }>['document'],
): { c: Campaign; rec: Recognised } | undefined {
  const matches = campaigns
    .filter((c) => c.kind === 'application' && campaignState(c, now) === 'open')
    .map((c) => ({ c, rec: recogniseForm(c, doc) }))
    .filter((m) => m.rec.isThisForm)
    .sort((a, b) => b.rec.labelsFound / b.rec.labelsInForm - a.rec.labelsFound / a.rec.labelsInForm);
  return matches[0];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Puts what the document holds into the draft, as typed values would be; returns the answer card. */
export async function importIntoDraft(
  tx: Tx,
  c: Campaign,
  app: ApplicationRecord,
  rec: Recognised,
  file: { name: string; uploadId: string },
  ctx: EligibilityContext,
): Promise<Card> {
  const answers: Answers = { ...app.draft.answers };
  const failed: FormImportView['failed'] = [];
  const kept: FormImportView['kept'] = [];
  const groups: FormImportView['groups'] = [];
  let filled = 0;
  const shown = (raw: unknown) => maskPersonalData(Array.isArray(raw) ? raw.join('、') : String(raw ?? ''));

  for (const section of c.form.sections) {
    const submitted: Record<string, unknown> = {};
    for (const f of section.fields) {
      if (f.type === 'group') continue;
      const raw = rec.values[f.id];
      if (raw === undefined || isEmpty(raw)) continue;
      // What the applicant already entered stays; a different value in the file is named, not written.
      if (!isEmpty(answers[f.id])) {
        const parsed = parseFieldValue(f as ScalarField, raw, ctx);
        if (!parsed.ok || !same(parsed.value, answers[f.id])) kept.push({ label: f.label, inFile: shown(raw) });
        continue;
      }
      submitted[f.id] = raw;
    }
    if (Object.keys(submitted).length === 0) continue;
    const result = validateSection(c, section.id, submitted, ctx, answers);
    for (const [id, value] of Object.entries(result.values)) {
      if (isEmpty(value)) continue;
      answers[id] = value;
      filled++;
    }
    for (const [id, e] of Object.entries(result.errors)) {
      const f = section.fields.find((x) => x.id === id);
      failed.push({ label: f?.label ?? id, message: e.message });
    }
  }

  for (const g of c.form.sections.flatMap((s) => s.fields).filter((f): f is GroupField => f.type === 'group')) {
    const rows = rec.groups[g.id] ?? [];
    if (rows.length === 0) continue;
    const existing = Array.isArray(answers[g.id]) ? (answers[g.id] as GroupRow[]) : [];
    if (existing.length) {
      kept.push({ label: g.label, inFile: `${rows.length} 行` });
      continue;
    }
    const good: GroupRow[] = [];
    rows.slice(0, g.maxRows).forEach((row, i) => {
      const r = validateRow(g, row, ctx);
      const errors = Object.entries(r.errors);
      if (errors.length === 0) good.push(r.row);
      else
        for (const [id, e] of errors)
          failed.push({
            label: `${g.label}第 ${i + 1} 行「${g.fields.find((x) => x.id === id)?.label ?? id}」`,
            message: e.message.replace(/^请填写「[^」]*」$/, '没有填写'),
          });
    });
    if (rows.length > g.maxRows) failed.push({ label: g.label, message: `最多 ${g.maxRows} 行，文件中有 ${rows.length} 行，只填入了前 ${g.maxRows} 行` });
    if (good.length) {
      answers[g.id] = good;
      groups.push({ label: g.label, rows: good.length });
      filled += good.length;
    }
  }

  const saved = filled > 0 ? await updateApplication(tx, app, { answers }) : app;
  const steps = stepsOf(c, saved.draft, ctx);
  const next = firstUnfinished(steps);
  const notFound = c.form.sections
    .flatMap((s) => s.fields)
    .filter((f) => rec.notFound.includes(f.id) && isEmpty(saved.draft.answers[f.id]))
    .map((f) => f.label);
  return formImportCard({
    applicationId: saved.id,
    version: saved.version,
    campaignTitle: c.title,
    fileName: file.name,
    filled,
    groups,
    failed,
    notFound,
    kept: kept.map((k) => ({ ...k, inFile: k.inFile.slice(0, 60) })),
    ...(next ? { next: { title: next.title } } : {}),
    uploadId: file.uploadId,
  });
}
