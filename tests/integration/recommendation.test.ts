// Zhenjiang 2023: each district recommends 1–2 applications in order. A district reviewer who
// recommends three is refused with the reason; two in order go on to the experts with their rank.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const zhenjiang = shippedCampaign('zhenjiang-2023');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

describe('Zhenjiang 2023: recommendation with a limit per district', () => {
  let h: Harness;
  let admin: Applicant, danyang: Applicant, jurong: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2023-05-20T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    danyang = new Applicant(h, 'ou_danyang');
    jurong = new Applicant(h, 'ou_jurong');
    await admin.say('角色');
    await appoint(admin, 'ou_danyang', { role: 'reviewer', stage: 'zhenjiang-2023/district', region: '丹阳市' });
    await appoint(admin, 'ou_jurong', { role: 'reviewer', stage: 'zhenjiang-2023/district', region: '句容市' });
    await appoint(admin, 'ou_zj_expert', { role: 'expert', stage: 'zhenjiang-2023/experts' });
    await appoint(admin, 'ou_zj_city', { role: 'reviewer', stage: 'zhenjiang-2023/approval' });
    for (let i = 0; i < 3; i++) {
      const a = new Applicant(h, `ou_danyang_unit_${i}`);
      const fx = validApplication(zhenjiang);
      const first17 = `9132118100000${i}00X`.slice(0, 17);
      Object.assign(fx.answers, { unitCreditCode: first17 + creditCodeCheckChar(first17), unitName: `丹阳第${i + 1}企业` });
      await begin(a, zhenjiang);
      await advanceTo(a, fx);
      await attachAll(a, fx);
      await confirmAndSubmit(a);
      expect(textOf(a.card!)).toContain(`ZJ2023-000${i + 1}`);
    }
    await settle(h.db);
  });
  afterAll(async () => h?.close());

  it('tells the district’s reviewer only, and refuses three where two is the limit', async () => {
    expect(jurong.cards()).toHaveLength(0);
    await danyang.received((c) => title(c) === '新申报待推荐');
    await danyang.click('推荐名单');
    const ids = (await h.db.client.application.findMany({ orderBy: { number: 'asc' } })).map((a) => a.id);
    await danyang.click((b) => b.value.a === 'rec.confirm', { [ids[0]!]: '1', [ids[1]!]: '2', [ids[2]!]: '3' });
    expect(danyang.lastToast).toMatchObject({ type: 'error', content: '丹阳市最多推荐2个，选择了3个' });
    expect(await h.db.client.application.count({ where: { stage: 'district' } })).toBe(3);
    await danyang.click((b) => b.value.a === 'rec.confirm', { [ids[0]!]: '2', [ids[1]!]: '2', [ids[2]!]: '0' });
    expect(danyang.lastToast?.content).toBe('丹阳市的推荐顺位应从第1名起连续、不重复');
    // Another district's reviewer cannot recommend Danyang's applications.
    await jurong.clickRaw({ value: { a: 'rec.confirm', c: 'zhenjiang-2023', s: 'district' } }, { [ids[0]!]: '1' });
    expect(await h.db.client.application.count({ where: { stage: 'district' } })).toBe(3);
  });

  it('two in order go on to the experts with their rank; the third is told it was not recommended', async () => {
    const ids = (await h.db.client.application.findMany({ orderBy: { number: 'asc' } })).map((a) => a.id);
    await danyang.click((b) => b.value.a === 'rec.confirm', { [ids[0]!]: '2', [ids[1]!]: '1', [ids[2]!]: '0' });
    expect(danyang.lastToast?.type).toBe('success');
    const rows = await h.db.client.application.findMany({ orderBy: { number: 'asc' }, select: { number: true, stage: true, status: true, rank: true } });
    expect(rows).toEqual([
      { number: 'ZJ2023-0001', stage: 'experts', status: 'submitted', rank: 2 },
      { number: 'ZJ2023-0002', stage: 'experts', status: 'submitted', rank: 1 },
      { number: 'ZJ2023-0003', stage: 'district', status: 'not_recommended', rank: null },
    ]);
    await new Applicant(h, 'ou_danyang_unit_2').received((c) => title(c) === '本次未获推荐');
  });

  it('then experts score, the list is confirmed, the city approves (认定), and the administrator publishes', async () => {
    const expert = new Applicant(h, 'ou_zj_expert');
    const city = new Applicant(h, 'ou_zj_city');
    for (let n = 0; n < 2; n++) {
      await expert.received((c) => title(c).startsWith('待评分'));
      await expert.click((b) => b.value.a === 's.score', { honours: '18', achievements: '30', team: '12', support: '12', plan: '12', digital: String(3 + n) });
      expect(expert.lastToast?.type).toBe('success');
    }
    await admin.received((c) => textOf(c).includes('评分完成') && textOf(c).includes('ZJ2023-0002'));
    await admin.click('查看排名');
    const ids = (await h.db.client.application.findMany({ where: { stage: 'experts' }, orderBy: { number: 'asc' } })).map((a) => a.id);
    await admin.click((b) => b.value.a === 'rank.confirm', Object.fromEntries(ids.map((id) => [id, true])));
    expect(admin.lastToast?.type).toBe('success');
    for (let n = 0; n < 2; n++) {
      await city.received((c) => title(c).startsWith('待审核'));
      await city.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    }
    await admin.received((c) => title(c) === '可以发文公布');
    await admin.click('发文公布');
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '已发文公布' });
    expect(await h.db.client.application.count({ where: { status: 'designated' } })).toBe(2);
    expect(await h.db.client.studio.count({ where: { campaignId: 'zhenjiang-2023' } })).toBe(2);
  });
});
