// The applicant journey end to end for each seed programme: a complete, valid application typed
// through the cards as a person would, files sent in the chat, submitted; what is stored matches
// what was typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, ScalarField } from '../../src/campaigns/schema.js';
import { parseFieldValue } from '../../src/forms/fields.js';
import { findApplication } from '../../src/applications/repository.js';
import { Applicant, buttonsOf, inputNames, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication, type ApplicationFixture, type Typed } from '../helpers/fixtures.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/** Clicks through every step, filling what each card shows from the fixture; returns the number. */
export async function applyThrough(a: Applicant, c: Campaign, fx: ApplicationFixture): Promise<string> {
  await a.say('申报');
  await a.click((b) => b.value.a === 'j.intro' && b.value.c === c.id);
  await a.click((b) => b.value.a === 'j.start');
  for (let guard = 0; guard < 60 && a.hasButton((b) => b.value.a === 'j.save' && b.name === 'next'); guard++) {
    const groupIds = [...new Set(buttonsOf(a.card!).filter((b) => b.value.a === 'j.group').map((b) => String(b.value.g)))];
    for (const gid of groupIds) {
      // Buttons carry the draft version: always take them from the card on screen.
      await a.click((b) => b.value.a === 'j.group' && b.value.g === gid);
      for (const row of fx.rows[gid] ?? []) {
        await a.click((b) => b.value.a === 'j.row' && b.value.r === undefined);
        const save = a.button((b) => b.value.a === 'j.rowSave');
        await a.click((b) => b.value.a === 'j.rowSave', pick(row, inputNames(save.form!)));
        expect(a.lastToast?.type, textOf(a.card!)).not.toBe('error');
      }
      await a.click((b) => b.value.a === 'j.step');
    }
    const next = a.button((b) => b.value.a === 'j.save' && b.name === 'next');
    const section = `${String(next.value.s)}#${String(next.value.p ?? 0)}`;
    await a.click((b) => b.value.a === 'j.save' && b.name === 'next', pick(fx.answers, inputNames(next.form!)));
    if (a.lastToast?.type === 'error') throw new Error(`step ${section} rejected:\n${textOf(a.card!)}`);
    // Questions revealed by this step's answers: the same step comes back asking for them.
    if (a.lastToast?.content === '还有需要填写的内容') {
      const again = a.button((b) => b.value.a === 'j.save' && b.name === 'next');
      await a.click((b) => b.value.a === 'j.save' && b.name === 'next', pick(fx.answers, inputNames(again.form!)));
      if (a.lastToast?.type === 'error') throw new Error(`step ${section} rejected:\n${textOf(a.card!)}`);
    }
  }
  for (const f of fx.files) {
    await a.sendFile(f.name, f.bytes);
    await a.click((b) => b.value.a === 'j.assign' && b.value.slot === f.slot);
    expect(a.lastToast?.type, textOf(a.card!)).not.toBe('error');
  }
  await a.click((b) => b.value.a === 'j.review');
  const submit = a.button((b) => b.value.a === 'j.submit');
  const confirmations = Object.fromEntries(inputNames(submit.form!).map((n) => [n, true]));
  await a.click((b) => b.value.a === 'j.submit', confirmations);
  const text = textOf(a.card!);
  const number = new RegExp(`${c.code}${c.year}-\\d{4}`).exec(text)?.[0];
  if (!number) throw new Error(`not submitted:\n${text}`);
  return number;
}

function pick(values: Record<string, Typed>, names: string[]): Record<string, Typed> {
  return Object.fromEntries(names.filter((n) => n in values).map((n) => [n, values[n]!]));
}

/** What the engine makes of a typed value: the stored answer must be exactly this. */
function normalised(f: ScalarField, typed: Typed, today: string) {
  if (typed === '' || (Array.isArray(typed) && typed.length === 0)) return '';
  const r = parseFieldValue(f, typed, { today });
  if (!r.ok) throw new Error(`fixture value for ${f.id} is invalid: ${r.message}`);
  return r.value;
}

const PROGRAMMES: { id: string; now: string }[] = [
  { id: 'weihai-2024', now: '2024-07-15T10:00:00+08:00' },
  { id: 'gongshu-2020', now: '2020-05-15T10:00:00+08:00' },
  { id: 'lucheng-2024', now: '2024-06-15T10:00:00+08:00' },
  { id: 'zhenjiang-2023', now: '2023-05-20T10:00:00+08:00' },
  { id: 'wuhan-2024', now: '2024-06-01T10:00:00+08:00' },
];

describe.each(PROGRAMMES)('applying to $id through the cards', ({ id, now }) => {
  let h: Harness;
  const c = shippedCampaign(id);
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date(now) });
  });
  afterAll(async () => h?.close());

  it('submits a complete application whose stored answers match what was typed', async () => {
    const fx = validApplication(c);
    const a = new Applicant(h, `ou_applicant_${id.replace(/-/g, '_')}`);
    const number = await applyThrough(a, c, fx);
    expect(number).toBe(`${c.code}${c.year}-0001`);

    const row = await h.db.client.application.findFirstOrThrow({ where: { number } });
    const stored = (await h.db.transaction((tx) => findApplication(tx, row.id)))!;
    expect(stored.status).toBe('submitted');
    const today = now.slice(0, 10);
    const fields = c.form.sections.flatMap((s) => s.fields);
    for (const f of fields) {
      if (f.type === 'group') {
        const expected = (fx.rows[f.id] ?? []).map((r) => Object.fromEntries(f.fields.filter((sub) => r[sub.id] !== undefined && r[sub.id] !== '').map((sub) => [sub.id, normalised(sub, r[sub.id]!, today)])));
        if (f.id in stored.draft.answers) expect(stored.draft.answers[f.id], f.label).toEqual(expected);
        continue;
      }
      if (!(f.id in stored.draft.answers) || fx.answers[f.id] === undefined || fx.answers[f.id] === '') continue;
      expect(stored.draft.answers[f.id], f.label).toEqual(normalised(f, fx.answers[f.id]!, today));
    }
    expect(Object.values(stored.draft.attachments).flat()).toHaveLength(fx.files.length);
    expect(stored.number).toBe(number);
  });
});
