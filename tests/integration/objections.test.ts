// Objections to a public notice are limited as the form says: at most 1,000 characters, and at
// most three per person per notice. A refused objection keeps what was typed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OBJECTION_CHARS, MAX_OBJECTIONS_PER_PERSON } from '../../src/review/selection.js';
import { Applicant, textOf } from '../helpers/applicant.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';

describe('objections to a public notice', () => {
  let h: Harness;
  const notice = randomUUID();
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    await h.db.client.publicNotice.create({
      data: {
        id: notice,
        campaignId: 'weihai-2024',
        stageId: 'publicity',
        startDate: '2024-07-10',
        endDate: '2024-07-19',
        applicationIds: '[]',
        createdBy: 'ou_admin',
      },
    });
  });
  afterAll(async () => h?.close());

  it('refuses one over 1,000 characters, saying how long it is, with the text kept in the form', async () => {
    const a = new Applicant(h, 'ou_long_objector');
    const reason = '异'.repeat(MAX_OBJECTION_CHARS + 1);
    await a.clickRaw({ value: { a: 'notice.object', n: notice } }, { reason });
    expect(a.lastToast).toEqual({ type: 'error', content: `异议最多${MAX_OBJECTION_CHARS}个字，现在是${MAX_OBJECTION_CHARS + 1}个字，请精简后再提交` });
    expect(JSON.stringify(a.card)).toContain('异'.repeat(MAX_OBJECTION_CHARS));
    expect(await h.db.client.objection.count()).toBe(0);
    await a.clickRaw({ value: { a: 'notice.object', n: notice } }, { reason: '异'.repeat(MAX_OBJECTION_CHARS) });
    expect(a.lastToast).toMatchObject({ type: 'success' });
  });

  it('takes at most three from one person per notice; others may still object', async () => {
    const a = new Applicant(h, 'ou_busy_objector');
    for (let i = 1; i <= MAX_OBJECTIONS_PER_PERSON; i++) {
      await a.clickRaw({ value: { a: 'notice.object', n: notice } }, { reason: `第${i}条异议：材料存疑，请核实` });
      expect(a.lastToast).toMatchObject({ type: 'success' });
    }
    await a.clickRaw({ value: { a: 'notice.object', n: notice } }, { reason: '第4条异议：材料存疑，请核实' });
    expect(a.lastToast).toEqual({ type: 'warning', content: `每人最多${MAX_OBJECTIONS_PER_PERSON}条异议` });
    expect(textOf(a.card!)).toContain(`每人对同一次公示最多提出${MAX_OBJECTIONS_PER_PERSON}条异议，您已提出${MAX_OBJECTIONS_PER_PERSON}条`);
    await settle(h.db);
    expect(await h.db.client.objection.count({ where: { openId: 'ou_busy_objector' } })).toBe(MAX_OBJECTIONS_PER_PERSON);
    // Six clicks at the same moment (two instances on PostgreSQL would race the same way): still three.
    const c = new Applicant(h, 'ou_eager_objector');
    await Promise.all(Array.from({ length: 6 }, (_, i) => c.clickRaw({ value: { a: 'notice.object', n: notice } }, { reason: `同时提交的异议${i}：请核实` })));
    expect(await h.db.client.objection.count({ where: { openId: 'ou_eager_objector' } })).toBe(MAX_OBJECTIONS_PER_PERSON);
    const b = new Applicant(h, 'ou_another_objector');
    await b.clickRaw({ value: { a: 'notice.object', n: notice } }, { reason: '另一人的异议：请核实' });
    expect(b.lastToast).toMatchObject({ type: 'success' });
  });
});
