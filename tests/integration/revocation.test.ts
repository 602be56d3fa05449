// Revoked means revoked, now: a reviewer or expert whose role is revoked can no longer act on a
// task already in their chat (the refusal says so, and nothing changes); the task goes to the
// remaining holders of the role, or waits on the administrators' 待办 until someone is granted it;
// the revoked person's card says the task is no longer theirs; the audit log says who revoked,
// which tasks moved and to whom.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

describe('revoking a role takes back the work that rested on it', () => {
  let h: Harness;
  let admin: Applicant;
  let n = 0;

  async function state(): Promise<string> {
    const db = h.db.client;
    const s = {
      apps: await db.application.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, stage: true, version: true, score: true } }),
      tasks: await db.reviewTask.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, decision: true, scores: true } }),
      audit: await db.auditLog.count(),
      outbox: await db.outboxMessage.count(),
      inbox: await db.inboxEvent.count(),
    };
    return createHash('sha256').update(JSON.stringify(s)).digest('hex');
  }

  async function grant(openId: string, role: 'reviewer' | 'expert', extra: Record<string, string> = {}) {
    // Notices the administrator receives meanwhile must not be taken for the roles card.
    await settle(h.db);
    await admin.say('角色');
    await appoint(admin, openId, { role, stage: role === 'reviewer' ? 'weihai-2024/district' : 'weihai-2024/experts', ...extra });
    expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
  }

  async function revoke(openId: string): Promise<string> {
    await settle(h.db);
    await admin.say('角色');
    const g = await h.db.client.roleGrant.findFirstOrThrow({ where: { openId, revokedAt: null } });
    await admin.clickRaw({ value: { a: 'role.revoke', g: g.id } });
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
    return textOf(admin.card!);
  }

  async function submit(): Promise<string> {
    n++;
    const fx = validApplication(weihai);
    const first17 = `91371000MA3C4000${n}`;
    fx.answers.unitCreditCode = first17 + creditCodeCheckChar(first17);
    return applyThrough(new Applicant(h, `ou_unit_${n}`), weihai, fx);
  }

  const app = (number: string) => h.db.client.application.findFirstOrThrow({ where: { number } });

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' }, tick: false });
    admin = new Applicant(h, 'ou_admin');
  });
  afterAll(async () => h?.close());

  it('a revoked district reviewer’s 推荐 on the card already in their chat is refused; the task goes to the other reviewer', async () => {
    await grant('ou_rev_1', 'reviewer', { region: '环翠区' });
    const number = await submit();
    const r1 = new Applicant(h, 'ou_rev_1');
    await r1.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    const cardOnScreen = r1.card!;
    // A second reviewer granted while the task is in hand does not take it over.
    await grant('ou_rev_2', 'reviewer', { region: '环翠区' });
    expect(await h.db.client.reviewTask.count({ where: { reviewerId: 'ou_rev_2' } })).toBe(0);

    const report = await revoke('ou_rev_1');
    expect(report).toContain('1项任务已转交其他持有该角色的人');
    const r2 = new Applicant(h, 'ou_rev_2');
    await r2.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    // The revoked reviewer's card now says the task is no longer theirs.
    await waitFor('the revoked reviewer’s card patched', () => r1.cards().some((c) => title(c).startsWith('已不再由您审核')));

    const before = await state();
    await r1.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' }, { card: cardOnScreen });
    expect(r1.lastToast).toEqual({ type: 'error', content: '没有权限：这项任务已不再由您处理：您的角色已被撤销，或已不覆盖这份申报。' });
    await r1.clickRaw({ value: { a: 'r.open', t: (await h.db.client.reviewTask.findFirstOrThrow({ where: { reviewerId: 'ou_rev_1' } })).id } });
    expect(r1.lastToast?.content).toMatch(/^没有权限：这项任务已不再由您处理/);
    await settle(h.db);
    expect(await state()).toBe(before);
    expect(await app(number)).toMatchObject({ stage: 'district', status: 'submitted' });

    // The audit log: who revoked, which task moved, to whom.
    const audit = await h.db.client.auditLog.findFirstOrThrow({ where: { action: 'role.revoked', subject: 'ou_rev_1' } });
    expect(audit.actor).toBe('ou_admin');
    expect(JSON.parse(audit.detail!)).toMatchObject({
      grant: { openId: 'ou_rev_1', role: 'reviewer' },
      tasks: [{ number, reassignedTo: ['ou_rev_2'], waiting: false }],
    });

    await r2.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    expect(await app(number)).toMatchObject({ stage: 'experts' });
  });

  it('with nobody left holding the role, the application waits on the administrators’ 待办, and a new grant picks it up', async () => {
    const number = await submit();
    const r2 = new Applicant(h, 'ou_rev_2');
    await r2.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    const report = await revoke('ou_rev_2');
    expect(report).toContain('1份申报暂无人处理，已列入管理员的“待办”');
    const todo = textOf(await admin.say('待办'));
    expect(todo).toMatch(/无人处理（\d+）/);
    expect(todo).toContain(`**${number}** 2024年度威海市技能大师工作室申报\n「区市人社部门审核推荐」环翠区没有审核人`);

    await grant('ou_rev_3', 'reviewer', { region: '环翠区' });
    expect(textOf(admin.card!)).toContain('1份等待中的申报已分派');
    const r3 = new Applicant(h, 'ou_rev_3');
    await r3.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    expect(textOf(await admin.say('待办'))).not.toContain('环翠区没有审核人');
    await r3.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    expect(await app(number)).toMatchObject({ stage: 'experts' });
  });

  it('a broadcast scheduled by an administrator whose role is revoked before its time is not sent', async () => {
    h.emulator.addChat({ chat_id: 'oc_rev_group', name: '环翠区工作群' });
    await h.db.client.groupChat.create({ data: { chatId: 'oc_rev_group', name: '环翠区工作群' } });
    await settle(h.db);
    await admin.say('角色');
    await appoint(admin, 'ou_rev_admin', { role: 'admin' });
    const officer = new Applicant(h, 'ou_rev_admin');
    await officer.say('通知');
    await officer.click((b) => b.value.a === 'b.preview', { title: '定时通知', body: '明天的通知', audience: 'all', sendAt: '2024-07-16 09:00 +0800' });
    await officer.click((b) => b.value.a === 'b.send');
    expect(officer.lastToast?.content).toBe('将于 2024年7月16日 09:00 发送');
    await revoke('ou_rev_admin');
    // Its time comes (moved into the past here, the clock being fixed).
    await h.db.client.broadcast.updateMany({ where: { createdBy: 'ou_rev_admin' }, data: { scheduledAt: new Date('2024-07-15T09:00:00+08:00') } });
    await h.app.services.runScheduled();
    await settle(h.db);
    expect(await h.db.client.broadcast.findFirstOrThrow({ where: { createdBy: 'ou_rev_admin' } })).toMatchObject({ status: 'cancelled' });
    expect(h.emulator.messagesTo('oc_rev_group').filter((m) => m.content.includes('定时通知'))).toHaveLength(0);
  });

  it('a revoked expert can no longer score; their sheet goes to an expert without one, and the scoring completes with them', async () => {
    // Experts for the applications already at the experts' stage (each needs five).
    for (const id of ['ou_ex_1', 'ou_ex_2', 'ou_ex_3', 'ou_ex_4', 'ou_ex_5']) await grant(id, 'expert');
    await settle(h.db);
    const number = (await h.db.client.application.findFirstOrThrow({ where: { stage: 'experts' }, orderBy: { number: 'asc' } })).number!;
    const experts = ['ou_ex_1', 'ou_ex_2', 'ou_ex_3', 'ou_ex_4', 'ou_ex_5'].map((id) => new Applicant(h, id));
    for (const e of experts) await e.received((c) => textOf(c).includes(number) && e.hasButton((b) => b.value.a === 's.score', c));
    const revokedSheet = experts[4]!.card!;
    await grant('ou_ex_6', 'expert');
    expect(await h.db.client.reviewTask.count({ where: { reviewerId: 'ou_ex_6' } })).toBe(0);
    for (const e of experts.slice(0, 4)) await e.click((b) => b.value.a === 's.score', { leader: '25', team: '15', projects: '25', support: '15' });

    expect(await revoke('ou_ex_5')).toContain('项任务已转交其他持有该角色的人');
    const before = await state();
    await experts[4]!.click((b) => b.value.a === 's.score', { leader: '30', team: '20', projects: '30', support: '20' }, { card: revokedSheet });
    expect(experts[4]!.lastToast?.content).toMatch(/^没有权限：这项任务已不再由您处理/);
    await settle(h.db);
    expect(await state()).toBe(before);
    expect((await app(number)).score).toBeNull();

    const sixth = new Applicant(h, 'ou_ex_6');
    await sixth.received((c) => textOf(c).includes(number) && sixth.hasButton((b) => b.value.a === 's.score', c));
    await sixth.click((b) => b.value.a === 's.score', { leader: '25', team: '15', projects: '25', support: '15' });
    expect((await app(number)).score).toBe(80);
    await waitFor('the administrator told scoring is complete', () => admin.cards().some((c) => title(c) === '评分完成' && textOf(c).includes(number)));
  });

  it('revoking an expert whose colleagues have all scored completes the scoring with theirs, and says so', async () => {
    const number = (await h.db.client.application.findFirstOrThrow({ where: { stage: 'experts', score: null }, orderBy: { number: 'asc' } })).number!;
    const assigned = (await h.db.client.reviewTask.findMany({ where: { applicationId: (await app(number)).id, status: 'pending' } })).map((t) => t.reviewerId);
    expect(assigned).toHaveLength(5);
    for (const id of assigned.slice(0, 4)) {
      const e = new Applicant(h, id);
      await e.received((c) => textOf(c).includes(number) && e.hasButton((b) => b.value.a === 's.score', c));
      await e.click((b) => b.value.a === 's.score', { leader: '20', team: '20', projects: '20', support: '20' });
    }
    expect(await revoke(assigned[4]!)).toContain('1份申报因其余人员已全部处理而完成该环节');
    expect((await app(number)).score).toBe(80);
  });
});
