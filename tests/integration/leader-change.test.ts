// Zhenjiang 领衔人变更认定: the leader of a registered studio retired; the unit applies for a leader
// change on the same form, which runs through the same review (district recommendation, experts,
// the city's 认定) and, once published, gives the existing studio its new leader — no new studio.
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
const csv = '工作室名称,所在单位,领衔人,职业（工种）,命名年度,项目,地区\n赵刚钳工技能大师工作室,镇江某重工有限公司,赵刚,钳工,2015,镇江,丹阳市\n';

describe('Zhenjiang: a leader change application through review', () => {
  let h: Harness;
  let admin: Applicant, unit: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2023-05-20T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    unit = new Applicant(h, 'ou_zhenjiang_unit');
    expect(textOf(await admin.sendFile('工作室.csv', Buffer.from(csv)))).toContain('已导入 **1** 个工作室');
    await admin.say('角色');
    await appoint(admin, 'ou_danyang', { role: 'reviewer', stage: 'zhenjiang-2023/district', region: '丹阳市' });
    await appoint(admin, 'ou_zj_expert', { role: 'expert', stage: 'zhenjiang-2023/experts' });
    await appoint(admin, 'ou_zj_city', { role: 'reviewer', stage: 'zhenjiang-2023/approval' });
  });
  afterAll(async () => h?.close());

  it('is recommended, scored, approved and published: the studio has its new leader, recorded with the date', async () => {
    const fx = validApplication(zhenjiang);
    const first17 = '91321181000000100';
    Object.assign(fx.answers, {
      applicationType: '领衔人变更认定',
      region: '丹阳市',
      unitCreditCode: first17 + creditCodeCheckChar(first17),
      unitName: '镇江某重工有限公司',
      leaderName: '钱明',
      formerLeaderOrUnit: '赵刚',
      changeReason: '退休',
      formerStudioPassed: '是',
      changeCase: '领衔人退休、调离，由工作室符合条件的同职业（工种）人员接任',
    });
    await begin(unit, zhenjiang);
    await advanceTo(unit, fx);
    await attachAll(unit, fx);
    await confirmAndSubmit(unit);
    expect(textOf(unit.card!)).toContain('ZJ2023-0001');
    await settle(h.db);

    const district = new Applicant(h, 'ou_danyang');
    await district.received((c) => title(c) === '新申报待推荐');
    await district.click('推荐名单');
    const id = (await h.db.client.application.findFirstOrThrow()).id;
    await district.click((b) => b.value.a === 'rec.confirm', { [id]: '1' });
    expect(district.lastToast?.type).toBe('success');
    const expert = new Applicant(h, 'ou_zj_expert');
    await expert.received((c) => title(c).startsWith('待评分'));
    await expert.click((b) => b.value.a === 's.score', { honours: '18', achievements: '30', team: '12', support: '12', plan: '12', digital: '4' });
    await admin.received((c) => textOf(c).includes('评分完成'));
    await admin.click('查看排名');
    await admin.click((b) => b.value.a === 'rank.confirm', { [id]: true });
    const city = new Applicant(h, 'ou_zj_city');
    await city.received((c) => title(c).startsWith('待审核'));
    await city.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    await admin.received((c) => title(c) === '可以发文公布');
    await admin.click('发文公布');
    expect(textOf(admin.card!)).toContain('赵刚钳工技能大师工作室（领衔人变更）');
    await settle(h.db);

    expect(await h.db.client.studio.count()).toBe(1);
    const studio = await h.db.client.studio.findFirstOrThrow();
    expect(studio).toMatchObject({ leaderName: '钱明', status: 'active' });
    const event = await h.db.client.studioEvent.findFirstOrThrow({ where: { kind: 'leader_change' } });
    expect(event).toMatchObject({ effectiveOn: '2023-05-20', detail: '领衔人变更认定：赵刚 → 钱明（退休）' });
    await unit.received((c) => title(c) === '领衔人变更已认定');
  });

  it('an administrator can cancel a studio’s title from its card; non-administrators cannot', async () => {
    const stranger = new Applicant(h, 'ou_stranger');
    const studio = await h.db.client.studio.findFirstOrThrow();
    await stranger.clickRaw({ value: { a: 'e.cancel', s: studio.id } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    await admin.say('评估');
    await admin.click('工作室名单');
    await admin.click((b) => b.value.a === 'e.studio');
    await admin.click('取消称号');
    expect(textOf(admin.card!)).toContain('已取消');
    expect(textOf(admin.card!)).toContain('取消称号：管理员取消技能大师工作室称号');
    expect((await h.db.client.studio.findFirstOrThrow()).status).toBe('cancelled');
  });
});
