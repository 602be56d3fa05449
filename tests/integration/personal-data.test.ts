// Personal data typed into free text (an ID number, a mobile and a bank card in the leader's
// achievements) is masked on every card for someone other than the applicant: the district
// reviewer's, the experts', the administrators' and the group's. The reviewer and the
// administrator may reveal it (recorded); an expert, an out-of-scope administrator and a stranger
// are refused and nothing is recorded. The applicant proofreads their own answers unmasked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botAddedEvent } from '../../src/emulator/signing.js';
import { idNumberCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, inputNames, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { LEADER_ID, validApplication } from '../helpers/fixtures.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN } from '../helpers/harness.js';
import { advanceTo, attachAll, begin } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

// Someone else's ID (a team member named in the achievements), a mobile and a bank card (Luhn-valid).
const OTHER_ID = (() => {
  const first17 = '37100219880203451';
  return first17 + idNumberCheckChar(first17);
})();
const MOBILE = '13963112345';
const BANK_CARD = '6222021234567890128';
const FREE_TEXT = `带领团队攻关，徒弟王某（身份证${OTHER_ID}，电话${MOBILE}）获省技术能手；奖金打入${BANK_CARD}。`;
const FULL_VALUES = [OTHER_ID, MOBILE, BANK_CARD, LEADER_ID];

/** Whether any full value appears anywhere in the card JSON (the text Lark would show). */
const leaks = (c: CardJson | string) => FULL_VALUES.filter((v) => (typeof c === 'string' ? c : JSON.stringify(c)).includes(v));

describe('personal data in free text', () => {
  let h: Harness;
  let admin: Applicant, district: Applicant, applicant: Applicant, wendengAdmin: Applicant, stranger: Applicant;
  const experts: Applicant[] = [];

  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    district = new Applicant(h, 'ou_district');
    applicant = new Applicant(h, 'ou_unit');
    wendengAdmin = new Applicant(h, 'ou_admin_wendeng');
    stranger = new Applicant(h, 'ou_stranger');
    for (let i = 1; i <= 3; i++) experts.push(new Applicant(h, `ou_expert_${i}`));
    await h.push(
      botAddedEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, chatId: 'oc_units', name: '威海企业群', operatorOpenId: 'ou_admin', emulator: h.emulator }),
    );
    await admin.say('角色');
    await appoint(admin, 'ou_district', { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    for (const e of experts) await appoint(admin, e.openId, { role: 'expert', stage: 'weihai-2024/experts' });
    await appoint(admin, 'ou_admin_wendeng', { role: 'admin', stage: 'weihai-2024/district', region: '文登区' });
  });
  afterAll(async () => h?.close());

  it('the applicant proofreads their own answers in full before submitting', async () => {
    const fx = validApplication(weihai);
    Object.assign(fx.answers, { leaderAchievements: FREE_TEXT });
    await begin(applicant, weihai);
    await advanceTo(applicant, fx);
    await attachAll(applicant, fx);
    // The summary (核对) shows what they typed, unmasked: the ID, the phone, the bank card.
    if (applicant.hasButton((b) => b.value.a === 'j.review')) await applicant.click((b) => b.value.a === 'j.review');
    expect(title(applicant.card!)).toBe('检查并提交');
    const own = JSON.stringify(applicant.card);
    expect(own).toContain(OTHER_ID);
    expect(own).toContain(MOBILE);
    expect(own).toContain(BANK_CARD);
    expect(own).toContain(LEADER_ID);
    const submit = applicant.button((b) => b.value.a === 'j.submit');
    await applicant.click((b) => b.value.a === 'j.submit', Object.fromEntries(inputNames(submit.form!).map((n) => [n, true])));
    expect(textOf(applicant.card!)).toContain('WH2024-0001');
  });

  it('the district reviewer sees it masked, reveals it on demand (recorded), and hides it again', async () => {
    const task = await district.received((c) => title(c).startsWith('待审核'));
    expect(leaks(task)).toEqual([]);
    // Masked as the policy says (the card escapes the stars as &#42;).
    const shown = textOf(task).replaceAll('&#42;', '*');
    expect(shown).toContain(`${OTHER_ID.slice(0, 4)}**********${OTHER_ID.slice(-4)}`);
    expect(shown).toContain('139****2345');
    expect(shown).toContain('6222***********0128');
    await district.click('查看完整信息');
    const revealed = JSON.stringify(district.card);
    for (const v of [OTHER_ID, MOBILE, BANK_CARD, LEADER_ID]) expect(revealed).toContain(v);
    const app = await h.db.client.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } });
    expect(await h.db.client.auditLog.count({ where: { action: 'personal_data.revealed', actor: 'ou_district', subject: app.id } })).toBe(1);
    await district.click('隐藏完整信息');
    expect(leaks(district.card!)).toEqual([]);
    // The decision still works from the masked card.
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '材料齐全，身份证已核对' });
    expect(district.lastToast?.type).toBe('success');
  });

  it('experts score from masked cards and cannot reveal; nothing is recorded for them', async () => {
    const taskId = (await h.db.client.reviewTask.findFirstOrThrow({ where: { reviewerId: 'ou_district' } })).id;
    for (const e of experts) {
      const sheet = await e.received((c) => title(c).startsWith('待评分'));
      expect(leaks(sheet)).toEqual([]);
      expect(JSON.stringify(sheet)).not.toContain('查看完整信息');
      const own = (await h.db.client.reviewTask.findFirstOrThrow({ where: { reviewerId: e.openId } })).id;
      for (const t of [own, taskId]) {
        await e.clickRaw({ value: { a: 'r.reveal', t } });
        expect(e.lastToast?.type).toBe('error');
        expect(leaks(e.card ?? '')).toEqual([]);
      }
    }
    await stranger.clickRaw({ value: { a: 'r.reveal', t: taskId } });
    expect(stranger.lastToast?.type).toBe('error');
    expect(await h.db.client.auditLog.count({ where: { action: 'personal_data.revealed', actor: { not: 'ou_district' } } })).toBe(0);
    for (const e of experts) await e.click((b) => b.value.a === 's.score', { leader: '28', team: '18', projects: '27', support: '18' });
  });

  it('administrators see it masked; one whose scope covers it reveals it (recorded), others are refused', async () => {
    await admin.received((c) => textOf(c).includes('评分完成'));
    await settle(h.db);
    for (const c of admin.cards()) expect(leaks(c)).toEqual([]);
    const app = await h.db.client.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } });
    await admin.clickRaw({ value: { a: 'o.detail', app: app.id } });
    expect(leaks(admin.card!)).toEqual([]);
    await admin.click('查看完整个人信息');
    const full = JSON.stringify(admin.card);
    for (const v of [OTHER_ID, MOBILE, LEADER_ID]) expect(full).toContain(v);
    expect(await h.db.client.auditLog.count({ where: { action: 'personal_data.revealed', actor: 'ou_admin', subject: app.id } })).toBe(1);
    await admin.click('返回申报详情');
    expect(leaks(admin.card!)).toEqual([]);

    for (const intruder of [wendengAdmin, stranger, experts[0]!, applicant]) {
      await intruder.clickRaw({ value: { a: 'o.reveal', app: app.id } });
      expect(intruder.lastToast?.type).toBe('error');
      expect(leaks(intruder.card ?? '')).toEqual([]);
    }
    expect(await h.db.client.auditLog.count({ where: { action: 'personal_data.revealed' } })).toBe(2);
  });

  it('the group’s public notice carries no personal data', async () => {
    clock.now = new Date('2024-09-27T10:00:00+08:00');
    await admin.clickRaw({ value: { a: 'rank.show', c: 'weihai-2024', s: 'experts' } });
    await admin.click((x) => x.value.a === 'rank.confirm', { [(await h.db.client.application.findFirstOrThrow()).id]: true });
    await admin.received((c) => textOf(c).includes('可以开始公示'));
    await admin.click('开始公示');
    await settle(h.db);
    const inGroup = h.emulator.messagesTo('oc_units');
    expect(inGroup.some((m) => m.content.includes('公示 ·'))).toBe(true);
    for (const m of inGroup) expect(leaks(m.content)).toEqual([]);
    // Nor any card any other person received.
    for (const p of [district, ...experts, admin, wendengAdmin, stranger]) for (const c of p.cards()) expect(leaks(c)).toEqual([]);
  });
});
