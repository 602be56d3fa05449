// Zhenjiang over three years: a studio that does not take part in 2023 is 不合格 (the notice says
// so) and must rectify; in 2024 it self-assesses and the expert group grades it 不合格 directly;
// it stays away in 2025 — the third 不合格 in a row revokes its title. The 2024 and 2025 rounds are
// made by an administrator with 复制到新一年 on the 项目 card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const csv =
  '工作室名称,所在单位,领衔人,职业（工种）,命名年度,项目,地区,联系人open_id\n赵刚钳工技能大师工作室,镇江某重工有限公司,赵刚,钳工,2015,镇江,京口区,ou_z1\n';

describe('Zhenjiang: three 不合格 in a row revoke the title', () => {
  const clock = { now: new Date('2023-05-10T10:00:00+08:00') };
  let h: Harness;
  let admin: Applicant, contact: Applicant, reviewer: Applicant, expert: Applicant;
  const studioStatus = async () => (await h.db.client.studio.findFirstOrThrow()).status;
  const events = async () => (await h.db.client.studioEvent.findMany({ orderBy: { createdAt: 'asc' } })).map((e) => e.kind);

  async function openRound(id: string) {
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === id);
    expect(admin.lastToast?.content).toBe('已通知 1 个工作室');
  }
  async function publish(id: string) {
    await admin.clickRaw({ value: { a: 'publish.stage', c: id, s: 'publish' } });
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
  }
  async function copyTo(year: number) {
    await admin.say('项目');
    await admin.click((b) => b.value.a === 'p.show' && b.value.c === 'zhenjiang-2023-evaluation');
    await admin.click((b) => b.value.a === 'p.copy', { newId: `zhenjiang-${year}-evaluation`, opensAt: `${year}-05-01`, copyDeadline: `${year}-05-31` });
    await admin.click('启用');
    expect(title(admin.card!)).toBe('项目已启用');
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    contact = new Applicant(h, 'ou_z1');
    reviewer = new Applicant(h, 'ou_jingkou');
    expert = new Applicant(h, 'ou_expert_group');
    expect(textOf(await admin.sendFile('镇江工作室.csv', Buffer.from(csv)))).toContain('已导入 **1** 个工作室');
  });
  afterAll(async () => h?.close());

  it('2023: invited, does not take part → 不合格 at publication, rectification', async () => {
    await openRound('zhenjiang-2023-evaluation');
    clock.now = new Date('2023-06-05T10:00:00+08:00');
    await publish('zhenjiang-2023-evaluation');
    expect(await studioStatus()).toBe('rectifying');
    expect(await events()).toEqual(['grade', 'rectification']);
    const told = await contact.received((c) => title(c) === '评估结果：不合格');
    expect(textOf(told)).toContain('按通知直接定为不合格');
  });

  it('2024: self-assesses; the expert group grades it 不合格 directly', async () => {
    clock.now = new Date('2024-04-20T10:00:00+08:00');
    await copyTo(2024);
    await admin.say('角色');
    await appoint(admin, 'ou_jingkou', { role: 'reviewer', stage: 'zhenjiang-2024-evaluation/district', region: '京口区' });
    await appoint(admin, 'ou_expert_group', { role: 'reviewer', stage: 'zhenjiang-2024-evaluation/experts' });
    clock.now = new Date('2024-05-10T10:00:00+08:00');
    await openRound('zhenjiang-2024-evaluation');
    await contact.received((c) => title(c) === '请填写工作室年度绩效评估');
    await contact.click((b) => b.value.a === 'j.start');
    const fx = validApplication(shippedCampaign('zhenjiang-2023-evaluation'));
    for (const id of ['region', 'studioName', 'appliedStudioName', 'masterName', 'headName', 'studioOccupation']) delete fx.answers[id];
    fx.answers.fillDate = '2024-05-10';
    await advanceTo(contact, fx);
    await attachAll(contact, fx);
    await confirmAndSubmit(contact);
    expect(textOf(contact.card!)).toMatch(/ZJPG2024-0001/);

    await reviewer.received((c) => title(c).startsWith('待审核'));
    await reviewer.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '材料齐全' });
    await expert.received((c) => title(c).startsWith('待审核'));
    await expert.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '' });
    expect(expert.lastToast).toMatchObject({ type: 'error', content: '请选择评定的等次（优秀、合格、不合格）' });
    await expert.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '技术成果不足', grade: '不合格' });
    expect(expert.lastToast?.type).toBe('success');
    await publish('zhenjiang-2024-evaluation');
    expect(await studioStatus()).toBe('rectifying');
    expect((await h.db.client.application.findFirstOrThrow({ where: { campaignId: 'zhenjiang-2024-evaluation' } })).grade).toBe('不合格');
  });

  it('2025: stays away again — the third 不合格 in a row revokes the title', async () => {
    clock.now = new Date('2025-04-20T10:00:00+08:00');
    await copyTo(2025);
    clock.now = new Date('2025-05-10T10:00:00+08:00');
    await openRound('zhenjiang-2025-evaluation');
    clock.now = new Date('2025-06-03T10:00:00+08:00');
    await publish('zhenjiang-2025-evaluation');
    expect(await studioStatus()).toBe('revoked');
    expect(await events()).toEqual(['grade', 'rectification', 'grade', 'rectification', 'grade', 'revocation']);
    // A revoked studio is no longer invited.
    clock.now = new Date('2026-11-21T10:00:00+08:00');
    await admin.say('评估');
    expect(textOf(admin.card!)).toMatch(/2026年镇江市技能大师工作室评估考核（演示）[\s\S]*?应参评 \*\*0\*\* 个/);
  });
});
