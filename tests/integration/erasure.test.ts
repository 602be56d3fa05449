// Erasing one person's data on request (PIPL): an administrator of everything names one of the
// person's applications, sees what will go, confirms; afterwards nothing in the database holds the
// person's ID number, phone or open_id, and the audit log records the erasure under a pseudonym.
// A programme-limited administrator is refused and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasedPseudonym } from '../../src/privacy/erasure.js';
import { creditCodeCheckChar, idNumberCheckChar } from '../../src/rules/index.js';
import { Applicant, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const PERSON = 'ou_erase_me';
const PHONE = '13912340001';
// The person's own leader ID (same birth date and sex as the fixture's, so the form's cross-checks hold).
const PERSON_ID = (() => {
  const first17 = '37100219750615457';
  return first17 + idNumberCheckChar(first17);
})();

describe('erasing a person’s data', () => {
  let h: Harness;
  let admin: Applicant, limited: Applicant, person: Applicant, district: Applicant, other: Applicant;

  /** Everything the bot keeps about people, as one string. */
  const everything = async () => {
    const c = h.db.client;
    const rows = await Promise.all([
      c.inboxEvent.findMany(),
      c.outboxMessage.findMany(),
      c.auditLog.findMany(),
      c.larkUser.findMany(),
      c.application.findMany(),
      c.upload.findMany(),
      c.reviewTask.findMany(),
      c.objection.findMany(),
      c.studio.findMany(),
      c.unitConflict.findMany(),
    ]);
    return JSON.stringify(rows);
  };

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    limited = new Applicant(h, 'ou_weihai_admin');
    person = new Applicant(h, PERSON);
    district = new Applicant(h, 'ou_erase_district');
    other = new Applicant(h, 'ou_erase_other');
    h.emulator.addUser({ open_id: PERSON, name: '张申报' });
    await admin.say('角色');
    await appoint(admin, district.openId, { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    await appoint(admin, limited.openId, { role: 'admin', stage: 'weihai-2024/district' });
    const fx = validApplication(weihai);
    Object.assign(fx.answers, { contactPhone: PHONE, leaderIdNumber: PERSON_ID });
    await person.say(`我的身份证号${PERSON_ID}，电话${PHONE}`);
    await applyThrough(person, weihai, fx);
    const fx2 = validApplication(weihai);
    fx2.answers.unitCreditCode = '91371000MA3C10002' + creditCodeCheckChar('91371000MA3C10002');
    await applyThrough(other, weihai, fx2);
    await district.received((c) => String(c.header?.title?.content ?? '').startsWith('待审核'));
    await settle(h.db);
  });
  afterAll(async () => h?.close());

  it('refuses a programme-limited administrator, and changes nothing', async () => {
    const before = await everything();
    await limited.say('删除个人信息 WH2024-0001');
    expect(textOf(limited.card!)).toContain('没有权限');
    await limited.clickRaw({ value: { a: 'erase.confirm', p: PERSON } });
    expect(limited.lastToast?.type).toBe('error');
    await settle(h.db);
    expect(await h.db.client.application.count({ where: { applicantId: PERSON } })).toBe(1);
    expect(before).toContain(PERSON_ID);
  });

  it('a wrong or unknown number gets a clear answer', async () => {
    await admin.say('删除个人信息 张三');
    expect(textOf(admin.card!)).toContain('不是申报编号');
    await admin.say('删除个人信息 WH2024-0999');
    expect(textOf(admin.card!)).toContain('没有编号为 WH2024-0999 的申报');
  });

  it('lists what will go, then erases it: no ID, phone or open_id of the person is left', async () => {
    await admin.say('删除个人信息 wh2024-0001');
    const preview = textOf(admin.card!);
    expect(preview).toContain('WH2024-0001');
    expect(preview).not.toContain(PERSON);
    await admin.click('确认删除');
    expect(admin.lastToast?.type).toBe('success');
    expect(textOf(admin.card!)).toContain('已删除');
    await settle(h.db);

    const left = await everything();
    for (const v of [PERSON_ID, PHONE, PERSON]) expect(left.includes(v), v).toBe(false);
    expect(await h.db.client.application.count({ where: { applicantId: PERSON } })).toBe(0);
    expect(await h.db.client.upload.count({ where: { ownerId: PERSON } })).toBe(0);
    // The reviewer's task on it went with it; their task on the other application stays.
    expect(await h.db.client.reviewTask.count({ where: { reviewerId: district.openId } })).toBe(1);
    // The other applicant is untouched.
    expect(await h.db.client.application.count({ where: { applicantId: other.openId, status: 'submitted' } })).toBe(1);

    const pseudonym = erasedPseudonym(PERSON);
    const entry = await h.db.client.auditLog.findFirstOrThrow({ where: { action: 'person.erased' } });
    expect(entry).toMatchObject({ actor: 'ou_admin', subject: pseudonym });
    expect(JSON.parse(entry.detail!)).toMatchObject({ applications: 1 });
    expect(await h.db.client.auditLog.count({ where: { actor: pseudonym } })).toBeGreaterThan(0);
  });
});
