// The form import per programme (issue 21): each application programme's official 申报表, filled
// and retouched the way applicants do, read back into answers through the engine exactly as the bot
// will (validateSection per section with the raw values, validateRow per group row); and the bot's
// own exported 申报表 read back into the very answers it was made from.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaigns/schema.js';
import { applicationFormDocx } from '../../src/exports/application-form.js';
import { readWordFile } from '../../src/files/word.js';
import { type Answers, type FieldContext, visibleFields, visibleSections } from '../../src/forms/engine.js';
import { type Recognised, recogniseForm } from '../../src/forms/form-import.js';
import type { WordDocument } from '../../src/forms/word-document.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { FORM_TODAY, filledOfficialForm } from '../helpers/filled-forms.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { throughEngine as checkThroughEngine } from '../helpers/form-import-check.js';

const PROGRAMMES = ['weihai-2024', 'gongshu-2020', 'lucheng-2024', 'zhenjiang-2023', 'wuhan-2024'];
const ctx: FieldContext = { today: FORM_TODAY };

/** A .docx as the bot reads what an applicant sends: saved, then read by src/files/word.ts. */
async function readDocx(docx: Buffer): Promise<WordDocument> {
  const dir = await mkdtemp(join(tmpdir(), 'form-import-'));
  try {
    const path = join(dir, '申报表.docx');
    await writeFile(path, docx);
    const read = await readWordFile(path, { name: '申报表.docx' });
    if (!read.ok) throw new Error(`${read.problem}: ${read.message}`);
    return read.document;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const throughEngine = (c: Campaign, r: Recognised) => checkThroughEngine(c, r, ctx);

/** Every field of the programme, group columns counted one by one. */
const formSize = (c: Campaign) => c.form.sections.flatMap((s) => s.fields).reduce((n, f) => n + (f.type === 'group' ? f.fields.length : 1), 0);

describe.each(PROGRAMMES)('%s', (id) => {
  const c = shippedCampaign(id);

  it('its official 申报表, filled with the usual variations, gives the fixture’s answers: at least 95 % of the form’s fields, none wrong', async () => {
    const form = await filledOfficialForm(c, { variations: true });
    const r = recogniseForm(c, await readDocx(form.docx));
    expect(r.isThisForm).toBe(true);
    const { answers, errors } = throughEngine(c, r);
    expect(errors).toEqual([]);

    const { values, groups } = form.expected;
    // The form's fields: the scalar fields it has a box for (visible given the answers), and each column of its groups.
    const inForm = Object.keys(values).length + Object.values(groups).reduce((n, rows) => n + Object.keys(rows[0] ?? {}).length, 0);
    let filled = 0;
    for (const [key, value] of Object.entries(answers)) {
      if (Array.isArray(value) && value.length && typeof value[0] === 'object') {
        // Every row, every column as the fixture has it.
        expect(value, key).toEqual(groups[key]);
        filled += Object.keys((groups[key] ?? [])[0] ?? {}).length;
      } else {
        expect(key in values, `${key} is not on the form, yet got ${JSON.stringify(value)}`).toBe(true);
        expect(value, key).toEqual(values[key]);
        filled++;
      }
    }
    const missed = [...Object.keys(values).filter((k) => !(k in answers)), ...Object.keys(groups).filter((k) => !(k in answers))];
    console.log(
      `${id}: fields recognised ${filled} / fields in the form ${inForm} (the programme has ${formSize(c)}; without a value, as not on its paper form or hidden by the answers: ${r.notFound.join(', ')})`,
    );
    expect(missed).toEqual([]);
    expect(filled / inForm).toBeGreaterThanOrEqual(0.95);
  });

  it('the same form as printed, without variations, reads the same', async () => {
    const form = await filledOfficialForm(c, { variations: false });
    const { answers, errors } = throughEngine(c, recogniseForm(c, await readDocx(form.docx)));
    expect(errors).toEqual([]);
    expect(answers).toEqual({ ...form.expected.values, ...form.expected.groups });
  });

  it('the bot’s own exported 申报表 round-trips: every field, every group row', async () => {
    // What the applicant answered, as the engine stores it; the export prints what the answers show.
    const all = storedAnswers(c, FORM_TODAY) as Answers;
    const visible = visibleSections(c, all).flatMap((s) => visibleFields(s, all));
    const answers = Object.fromEntries(visible.filter((f) => f.id in all).map((f) => [f.id, all[f.id]!])) as Answers;
    const region = c.regionField && typeof answers[c.regionField] === 'string' ? (answers[c.regionField] as string) : null;
    const docx = await applicationFormDocx(c, {
      number: `${c.code}${c.year}-0001`,
      submittedText: '2024年7月15日 10:00',
      region,
      answers,
      declarations: {},
      files: {},
    });
    const r = recogniseForm(c, await readDocx(docx));
    expect(r.isThisForm).toBe(true);
    const back = throughEngine(c, r);
    expect(back.errors).toEqual([]);
    expect(back.answers).toEqual(answers);
  });
});
