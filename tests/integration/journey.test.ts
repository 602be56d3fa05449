// The applicant journey end to end for each seed programme: a complete, valid application typed
// through the cards as a person would, files sent in the chat, submitted; what is stored matches
// what was typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findApplication } from '../../src/applications/repository.js';
import type { ScalarField } from '../../src/campaigns/schema.js';
import { parseFieldValue } from '../../src/forms/fields.js';
import { Applicant } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { type Typed, validApplication } from '../helpers/fixtures.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';

/** What the engine makes of a typed value: the stored answer must be exactly this. */
function normalised(f: ScalarField, typed: Typed, today: string) {
  if (typed === '' || (Array.isArray(typed) && typed.length === 0)) return '';
  const r = parseFieldValue(f, typed, { today });
  if (!r.ok) throw new Error(`fixture value for ${f.id} is invalid: ${r.message}`);
  return r.value;
}

const CAMPAIGNS: { id: string; now: string }[] = [
  { id: 'weihai-2024', now: '2024-07-15T10:00:00+08:00' },
  { id: 'gongshu-2020', now: '2020-05-15T10:00:00+08:00' },
  { id: 'lucheng-2024', now: '2024-06-15T10:00:00+08:00' },
  { id: 'zhenjiang-2023', now: '2023-05-20T10:00:00+08:00' },
  { id: 'wuhan-2024', now: '2024-06-01T10:00:00+08:00' },
];

describe.each(CAMPAIGNS)('applying to $id through the cards', ({ id, now }) => {
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
        const expected = (fx.rows[f.id] ?? []).map((r) =>
          Object.fromEntries(f.fields.filter((sub) => r[sub.id] !== undefined && r[sub.id] !== '').map((sub) => [sub.id, normalised(sub, r[sub.id]!, today)])),
        );
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
