// One unit applies once per programme, keyed by its 统一社会信用代码, and nobody can squat a real
// unit's code: a second application for a code still in review is refused without saying whose
// application holds it, the administrators covering it get a card to resolve the conflict, and a
// rejected or withdrawn application no longer holds the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { databaseFingerprint, refusalOf } from '../helpers/access.js';
import { Applicant, type CardJson, inputNames, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { advanceTo, applyThrough, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const code = (n: number) => {
  const first17 = `91371000MA3C6000${n}`;
  return first17 + creditCodeCheckChar(first17);
};

describe('统一社会信用代码 squatting', () => {
  let h: Harness;
  let admin: Applicant, huancuiAdmin: Applicant, wendengAdmin: Applicant, reviewer: Applicant;

  function fixture(unitCode: string) {
    const fx = validApplication(weihai);
    fx.answers.unitCreditCode = unitCode;
    return fx;
  }

  /** Fills everything and presses 提交; returns the card shown. */
  async function trySubmit(a: Applicant, unitCode: string): Promise<CardJson> {
    await begin(a, weihai);
    await advanceTo(a, fixture(unitCode));
    await attachAll(a, fixture(unitCode));
    await confirmAndSubmit(a);
    return a.card!;
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' }, tick: false });
    admin = new Applicant(h, 'ou_admin');
    huancuiAdmin = new Applicant(h, 'ou_sq_admin_huancui');
    wendengAdmin = new Applicant(h, 'ou_sq_admin_wendeng');
    reviewer = new Applicant(h, 'ou_sq_reviewer');
    await admin.say('角色');
    for (const form of [
      { openId: 'ou_sq_admin_huancui', role: 'admin', stage: 'weihai-2024/district', region: '环翠区' },
      { openId: 'ou_sq_admin_wendeng', role: 'admin', stage: 'weihai-2024/district', region: '文登区' },
      { openId: 'ou_sq_reviewer', role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' },
    ]) {
      const { openId, ...rest } = form;
      await appoint(admin, openId!, rest);
      expect(admin.lastToast?.type).toBe('success');
    }
  });
  afterAll(async () => h?.close());

  it('the real unit is refused without the squatter’s number; the administrators covering it decide, and withdrawing the squatter lets the real unit submit', async () => {
    const squatter = new Applicant(h, 'ou_squatter');
    const squatterNumber = await applyThrough(squatter, weihai, fixture(code(1)));
    const real = new Applicant(h, 'ou_real_unit');
    const refusal = await trySubmit(real, code(1));
    expect(textOf(refusal)).toContain(`统一社会信用代码为${code(1)}的单位在本项目中已有一份申报`);
    expect(textOf(refusal)).not.toContain(squatterNumber);
    expect(JSON.stringify(real.cards())).not.toContain(squatterNumber);
    expect(await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_real_unit' } })).toMatchObject({ status: 'draft', number: null });

    // The card goes to the administrators who cover the squatter's application (环翠区), not to 文登区's.
    const isConflict = (c: CardJson) => title(c).startsWith('统一社会信用代码冲突');
    await huancuiAdmin.received(isConflict);
    await admin.received(isConflict);
    await settle(h.db);
    expect(wendengAdmin.cards().some(isConflict)).toBe(false);
    expect(textOf(huancuiAdmin.card!)).toContain(squatterNumber);
    // Pressing 提交 again records no second conflict.
    await real.click((b) => b.value.a === 'j.submit');
    await settle(h.db);
    expect(await h.db.client.unitConflict.count()).toBe(1);

    // Another region's administrator cannot resolve it; nothing changes.
    const conflict = await h.db.client.unitConflict.findFirstOrThrow();
    const before = await databaseFingerprint(h.db);
    await wendengAdmin.clickRaw({ value: { a: 'u.withdraw', k: conflict.id } });
    expect(wendengAdmin.lastToast).toEqual({ type: 'error', content: refusalOf(h, 'u.withdraw') });
    await settle(h.db);
    expect(await databaseFingerprint(h.db)).toBe(before);

    await huancuiAdmin.click((b) => b.value.a === 'u.withdraw');
    expect(huancuiAdmin.lastToast).toMatchObject({ type: 'success', content: '已撤销' });
    expect(await h.db.client.application.findFirstOrThrow({ where: { number: squatterNumber } })).toMatchObject({ status: 'withdrawn', unitKey: null });
    await squatter.received((c) => title(c) === '申报已被撤销');
    await real.received((c) => title(c) === '核实完成：可以提交了');
    // 继续并提交 opens the summary at its last step; the declarations are still ticked.
    await real.click((b) => b.value.a === 'j.overview');
    await real.click((b) => b.value.a === 'j.submit', Object.fromEntries(inputNames(real.button((b) => b.value.a === 'j.submit').form!).map((n) => [n, true])));
    expect(real.lastToast?.content).toMatch(/^已提交，编号 WH2024-\d{4}$/);
    expect(await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_real_unit' } })).toMatchObject({ status: 'submitted', unitKey: code(1) });
    // A second click on the resolved card changes nothing.
    await admin.click((b) => b.value.a === 'u.keep');
    expect(admin.lastToast).toMatchObject({ type: 'info', content: '这条冲突已经处理过了' });
  });

  it('keeping the holder tells the second unit its application cannot be submitted', async () => {
    await applyThrough(new Applicant(h, 'ou_genuine'), weihai, fixture(code(2)));
    const mistaken = new Applicant(h, 'ou_mistaken');
    await trySubmit(mistaken, code(2));
    await huancuiAdmin.received((c) => title(c).startsWith('统一社会信用代码冲突') && textOf(c).includes(code(2)));
    await huancuiAdmin.click((b) => b.value.a === 'u.keep');
    expect(huancuiAdmin.lastToast).toMatchObject({ type: 'success', content: '已保留' });
    await mistaken.received((c) => title(c) === '核实结果：该单位已申报');
    expect(await h.db.client.unitConflict.findFirstOrThrow({ where: { unitKey: code(2) } })).toMatchObject({
      status: 'kept',
      resolvedBy: 'ou_sq_admin_huancui',
    });
  });

  it('a rejected application lets go of the code: the real unit submits without anyone’s help', async () => {
    const squatter = new Applicant(h, 'ou_squatter_2');
    const number = await applyThrough(squatter, weihai, fixture(code(3)));
    await reviewer.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    await reviewer.click((b) => b.value.a === 'r.decide' && b.name === 'reject', { reason: '申报单位与统一社会信用代码不符' });
    expect(await h.db.client.application.findFirstOrThrow({ where: { number } })).toMatchObject({ status: 'rejected', unitKey: null });
    const real = new Applicant(h, 'ou_real_unit_3');
    await trySubmit(real, code(3));
    expect(real.lastToast?.content).toMatch(/^已提交，编号 WH2024-\d{4}$/);
    await settle(h.db);
    expect(await h.db.client.unitConflict.count({ where: { unitKey: code(3) } })).toBe(0);
    await waitFor(
      'the real unit’s application at the district',
      async () => (await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_real_unit_3' } })).stage === 'district',
    );
  });
});
