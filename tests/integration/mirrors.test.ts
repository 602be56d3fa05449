// The Approval Center (三方审批) and the Bitable ledger mirror the review at every step: a Weihai
// application through the district review, the experts and publication; a return and the
// resubmission; a reviewer's role revoked (the task moves); 同意 from the Approval Center by the
// assigned reviewer advances the application as the card's button does, and by anyone else is
// refused with nothing changed. The ledger holds one record per application, updated, never two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES } from '../../src/emulator/server.js';
import { approvalCallbackBody, botAddedEvent } from '../../src/emulator/signing.js';
import { callbackSecrets } from '../../src/mirrors/mirrors.js';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { databaseFingerprint } from '../helpers/access.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { APP_ID, APP_SECRET, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';
import { freePort } from '../helpers/process.js';

const weihai = shippedCampaign('weihai-2024');
const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
const unit = (first17: string) => first17 + creditCodeCheckChar(first17);
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const BASE = 'bascnLedgerTest0001';

const message = (body: unknown) => String((body as { message?: unknown } | null)?.message ?? '');

describe('Approval Center and ledger mirror the review', () => {
  let h: Harness;
  let admin: Applicant, district: Applicant;
  const experts: Applicant[] = [];
  const applicants: Applicant[] = [];
  const units = [unit('91371000MA3C20001'), unit('91371000MA3C20002')];

  const instanceOf = (applicationId: string) => h.emulator.approvalInstances().find((i) => i.instance_id === applicationId);
  const taskOf = (applicationId: string, openId: string, status?: string) =>
    instanceOf(applicationId)?.task_list?.find((t) => t.open_id === openId && (!status || t.status === status));
  const ledger = () => {
    const tables = h.emulator.bitableTables(BASE);
    const table = tables.find((t) => t.name.startsWith(weihai.title));
    return table
      ? h.emulator
          .bitableRecords(BASE, table.table_id)
          .map((r) => ({ id: r.record_id, f: Object.fromEntries(Object.entries(r.plain).map(([k, v]) => [k, String(v ?? '')])) }))
      : [];
  };
  const record = (number: string) => ledger().filter((r) => r.f.编号 === number);

  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({
      now: () => clock.now,
      env: { ADMIN_IDS: 'ou_admin', PUBLIC_URL: `http://127.0.0.1:${port}`, PORT: String(port), BITABLE_APP_TOKEN: BASE },
      tenant: (e) => {
        e.setScopes(APP_ID, [...DEFAULT_GRANTED_SCOPES, 'approval:approval', 'bitable:app', 'contact:user.employee_id:readonly']);
        e.addBitableApp(BASE, '人社局台账');
        for (const [openId, userId] of [
          ['ou_district', 'u_district'],
          ['ou_district_2', 'u_district_2'],
          ['ou_expert_1', 'u_expert_1'],
          ['ou_admin', 'u_admin'],
        ] as const)
          e.addUser({ open_id: openId, user_id: userId, name: `测试${userId}` });
      },
    });
    admin = new Applicant(h, 'ou_admin');
    district = new Applicant(h, 'ou_district');
    for (let i = 1; i <= 3; i++) experts.push(new Applicant(h, `ou_expert_${i}`));
    applicants.push(new Applicant(h, 'ou_unit_a'), new Applicant(h, 'ou_unit_b'));
    await h.push(
      botAddedEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, chatId: 'oc_units', name: '威海企业群', operatorOpenId: 'ou_admin', emulator: h.emulator }),
    );
    await admin.say('角色');
    await appoint(admin, 'ou_district', { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    for (const e of experts) await appoint(admin, e.openId, { role: 'expert', stage: 'weihai-2024/experts' });
    await settle(h.db);
  });
  afterAll(async () => h?.close());

  async function submit(i: number): Promise<string> {
    const a = applicants[i]!;
    const fx = validApplication(weihai);
    const leader = ['张伟', '李强'][i]!;
    Object.assign(fx.answers, {
      unitCreditCode: units[i]!,
      unitName: `威海第${i + 1}机械有限公司`,
      leaderName: leader,
      studioName: `${leader}数控车工技能大师工作室`,
    });
    await begin(a, weihai);
    await advanceTo(a, fx);
    await attachAll(a, fx);
    await confirmAndSubmit(a);
    expect(title(a.card!)).toBe('申报已提交');
    const app = await h.db.client.application.findFirstOrThrow({ where: { applicantId: a.openId } });
    return app.id;
  }

  let first = '';
  let second = '';

  it('a submitted application is in the Approval Center with the district reviewer’s task pending, and in the ledger', async () => {
    first = await submit(0);
    await settle(h.db);
    const definition = h.emulator.approvalDefinitions().find((d) => d.own_code === 'skill-master-studio-weihai-2024');
    expect(definition?.external?.action_callback_url).toBe(`${h.apps[0]!.config.publicUrl}/lark/approval`);
    const instance = await waitFor('the instance', () => instanceOf(first));
    expect(instance.status).toBe('PENDING');
    expect(instance.titleText).toContain(weihai.title);
    expect(instance.formText?.map((f) => `${f.name}:${f.value}`)).toEqual([
      '申报编号:WH2024-0001',
      '单位:威海第1机械有限公司',
      '状态:审核中（区市人社部门审核推荐）',
    ]);
    expect(instance.links.pc_link).toContain('applink.feishu.cn/client/bot/open?appId=');
    const task = taskOf(first, 'ou_district', 'PENDING');
    expect(task?.action_configs?.map((a) => a.action_type)).toEqual(['APPROVE', 'REJECT']);
    const [row] = record('WH2024-0001');
    expect(row?.f).toMatchObject({
      编号: 'WH2024-0001',
      单位: '威海第1机械有限公司',
      工作室名称: '张伟数控车工技能大师工作室',
      领办人: '张伟',
      状态: '审核中',
      当前环节: '区市人社部门审核推荐',
    });
    expect(ledger()).toHaveLength(1);
  });

  it('同意 from the Approval Center by someone who is not the assigned reviewer is refused, and nothing changes', async () => {
    const task = taskOf(first, 'ou_district', 'PENDING')!;
    const before = await databaseFingerprint(h.db);
    const expert = await h.emulator.quickApprove({ taskId: task.task_id, openId: 'ou_expert_1', action: 'APPROVE', force: true });
    expect(expert.status).toBe(403);
    expect(message(expert.body)).toMatch(/没有权限/);
    // A user_id the directory does not know is refused too (a callback forged with the right token and key).
    const { token, key } = callbackSecrets(APP_SECRET);
    const forged = await fetch(`${h.apps[0]!.config.publicUrl}/lark/approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: approvalCallbackBody({
        key,
        payload: { action_type: 'APPROVE', user_id: 'u_nobody', approval_code: 'x', instance_id: first, task_id: task.task_id, token },
      }),
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { message: string }).message).toContain('无法确认您的身份');
    // A wrong token, or a body that is not the encrypted callback, changes nothing either.
    const wrong = await fetch(`${h.apps[0]!.config.publicUrl}/lark/approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: approvalCallbackBody({
        key,
        payload: { action_type: 'APPROVE', user_id: 'u_district', instance_id: first, task_id: task.task_id, token: 'guess' },
      }),
    });
    expect(wrong.status).toBe(401);
    const junk = await fetch(`${h.apps[0]!.config.publicUrl}/lark/approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"encrypt":"AAAA"}',
    });
    expect(junk.status).toBe(400);
    expect(await databaseFingerprint(h.db)).toBe(before);
  });

  it('同意 by the assigned reviewer advances the application exactly as the card’s button does', async () => {
    const task = taskOf(first, 'ou_district', 'PENDING')!;
    const answer = await h.emulator.quickApprove({ taskId: task.task_id, openId: 'ou_district', action: 'APPROVE', reason: '材料齐全' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const recommended = await applicants[0]!.received((c) => title(c) === '申报已推荐');
    expect(textOf(recommended)).toContain('您的申报（编号 WH2024-0001）已通过「区市人社部门审核推荐」，进入「市人社局组织专家评审」环节。');
    expect(await h.db.client.application.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ status: 'submitted', stage: 'experts' });
    expect(await h.db.client.auditLog.count({ where: { subject: first, action: 'review.approve', actor: 'ou_district' } })).toBe(1);
    await settle(h.db);
    // The task card in the reviewer's chat says it is decided.
    // (A decided card says who decided and when: 已由您于 …, as after a click on it.)
    await waitFor('the task card updated', () => district.cards().some((c) => textOf(c).includes('WH2024-0001') && textOf(c).includes('已由您于')));
    // The Approval Center: the district task done, one scoring task per expert (no quick action: scoring stays in the chat).
    await waitFor('the instance synced after the decision', () => taskOf(first, 'ou_district', 'APPROVED'));
    for (const e of experts) expect(taskOf(first, e.openId, 'PENDING')?.action_configs ?? []).toEqual([]);
    expect(instanceOf(first)?.formText?.[2]?.value).toBe('审核中（市人社局组织专家评审）');
    expect(record('WH2024-0001')[0]?.f.当前环节).toBe('市人社局组织专家评审');
    // Lark sends the same action again: answered as done, nothing twice.
    const again = await h.emulator.quickApprove({ taskId: task.task_id, openId: 'ou_district', action: 'APPROVE', force: true });
    expect(again.status).toBe(200);
    expect(await h.db.client.auditLog.count({ where: { subject: first, action: 'review.approve' } })).toBe(1);
  });

  it('a return shows in the Approval Center; the resubmission opens a new task', async () => {
    second = await submit(1);
    await district.received((c) => title(c).startsWith('待审核') && textOf(c).includes('WH2024-0002'));
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '请补充技能等级证书' });
    expect(district.lastToast?.type).toBe('success');
    await settle(h.db);
    const returned = await waitFor('the return synced', () => taskOf(second, 'ou_district', 'REJECTED'));
    expect(returned.titleText).toContain('退回修改');
    expect(JSON.parse(returned.extra ?? '{}').complete_reason).toBe('specific_rollback');
    expect(instanceOf(second)?.status).toBe('PENDING');
    expect(record('WH2024-0002')[0]?.f.状态).toBe('退回修改');
    const a = applicants[1]!;
    await a.received((c) => textOf(c).includes('退回修改'));
    await a.click('修改并重新提交');
    await a.click((b) => b.value.a === 'j.submit', { evidenceVerified: true, truthful: true });
    expect(title(a.card!)).toContain('已提交');
    await settle(h.db);
    const tasks = instanceOf(second)!.task_list!.filter((t) => t.open_id === 'ou_district');
    expect(tasks.map((t) => t.status).sort()).toEqual(['PENDING', 'REJECTED']);
    expect(tasks.find((t) => t.status === 'PENDING')?.titleText).toContain('第2轮');
    expect(record('WH2024-0002')).toHaveLength(1);
  });

  it('a revoked reviewer’s task is reassigned: TRANSFERRED for them, PENDING for the new reviewer', async () => {
    await admin.say('角色');
    await appoint(admin, 'ou_district_2', { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    await settle(h.db);
    await admin.say('角色');
    const g = await h.db.client.roleGrant.findFirstOrThrow({ where: { openId: 'ou_district', revokedAt: null } });
    await admin.clickRaw({ value: { a: 'role.revoke', g: g.id } });
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
    await waitFor('the revoked task transferred', () => taskOf(second, 'ou_district', 'TRANSFERRED'));
    expect(taskOf(second, 'ou_district_2', 'PENDING')).toBeTruthy();
    // The revoked reviewer's 同意 from a stale Approval Center list is refused.
    const stale = h.emulator
      .approvalInstances()
      .find((i) => i.instance_id === second)!
      .task_list!.find((t) => t.open_id === 'ou_district' && t.status === 'TRANSFERRED')!;
    const before = await databaseFingerprint(h.db);
    const refused = await h.emulator.quickApprove({ taskId: stale.task_id, openId: 'ou_district', action: 'APPROVE', force: true });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await databaseFingerprint(h.db)).toBe(before);
    // 拒绝 needs a reason, as on the card.
    const pending = taskOf(second, 'ou_district_2', 'PENDING')!;
    const noReason = await h.emulator.quickApprove({ taskId: pending.task_id, openId: 'ou_district_2', action: 'REJECT', force: true });
    expect(noReason.status).toBe(409);
    expect(message(noReason.body)).toContain('请写明不通过的原因');
  });

  it('scores, ranking, public notice and publication: the instance ends APPROVED and the ledger shows score, rank and 已认定', async () => {
    const points = { leader: '28', team: '18', projects: '27', support: '18' };
    for (const e of experts) {
      await e.received((c) => title(c).startsWith('待评分') && textOf(c).includes('WH2024-0001'));
      await e.click((b) => b.value.a === 's.score', points);
      expect(e.lastToast?.type).toBe('success');
    }
    await settle(h.db);
    for (const e of experts) expect(taskOf(first, e.openId, 'APPROVED')?.titleText).toContain('已评分');
    await admin.received((c) => textOf(c).includes('评分完成'));
    await admin.say('待办');
    await admin.click('查看排名');
    await admin.click((x) => x.value.a === 'rank.confirm', { [first]: true });
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
    expect(record('WH2024-0001')[0]?.f).toMatchObject({ 得分: '91', 排名: '1', 状态: '公示中' });
    clock.now = new Date('2024-09-27T10:00:00+08:00');
    await admin.received((c) => textOf(c).includes('可以开始公示'));
    await admin.click((b) => b.value.a === 'notice.start');
    expect(admin.lastToast?.type).toBe('success');
    clock.now = new Date('2024-10-20T10:00:00+08:00');
    await settle(h.db);
    await admin.say('待办');
    const notice = await h.db.client.publicNotice.findFirstOrThrow();
    await admin.clickRaw({ value: { a: 'notice.publish', n: notice.id } });
    expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
    await settle(h.db);
    const done = await waitFor('the instance approved', () => (instanceOf(first)?.status === 'APPROVED' ? instanceOf(first) : undefined));
    expect(Number(done.end_time)).toBeGreaterThan(0);
    expect(record('WH2024-0001')[0]?.f.状态).toBe('已认定');
    // One record per application, whatever number of changes.
    expect(
      ledger()
        .map((r) => r.f.编号)
        .sort(),
    ).toEqual(['WH2024-0001', 'WH2024-0002']);
  });

  it('drift: an instance whose copy in Lark differs from what was sent is found by the check and sent again', async () => {
    // Lark holds an older version of the instance (as if a sync had been lost or overwritten).
    const copy = instanceOf(first)!;
    const older = String(Number(copy.update_time) - 60_000);
    const { task_list, ...rest } = copy;
    const stale = { ...rest, update_time: older, status: 'PENDING' as const, task_list: task_list.map((t) => ({ ...t, update_time: older })) };
    await h.app.services.messenger.approvals.syncInstance(stale as never);
    expect(instanceOf(first)?.status).toBe('PENDING');
    const { repaired } = await h.app.services.mirrors.checkDrift();
    expect(repaired).toBe(1);
    await settle(h.db);
    expect(instanceOf(first)?.status).toBe('APPROVED');
    expect((await h.app.services.mirrors.checkDrift()).repaired).toBe(0);
  });

  it('an evaluation round has its own table: 工作室, 自评分, 专家评分, 等次, 结果运用', async () => {
    const gongshu = shippedCampaign('gongshu-2020-evaluation');
    const id = 'evaluation-app-1';
    await h.db.client.application.create({
      data: {
        id,
        campaignId: gongshu.id,
        applicantId: 'ou_studio_contact',
        answers: JSON.stringify({ studioName: '王芳电工技能大师工作室', unitName: '杭州某电力公司', selfWorkspace: 9.5, selfEquipment: 5, selfFunds: 8 }),
      },
    });
    await h.db.client.application.update({ where: { id }, data: { status: 'submitted', stage: 'review', number: 'GS2020-K001', submittedAt: new Date() } });
    await h.db.client.studioEvent.create({
      data: { id: 'ev-1', studioId: 'studio-1', kind: 'reward', effectiveOn: '2020-12-01', detail: '给予一定的奖励', applicationId: id, createdBy: 'ou_admin' },
    });
    await h.db.client.application.update({ where: { id }, data: { status: 'evaluated', stage: null, score: 92.5, grade: '优秀' } });
    await settle(h.db);
    const table = h.emulator.bitableTables(BASE).find((t) => t.name === gongshu.title)!;
    expect(table.fields.map((f) => f.field_name)).toEqual(['编号', '工作室', '单位', '状态', '自评分', '专家评分', '等次', '结果运用', '更新时间']);
    const [row] = h.emulator.bitableRecords(BASE, table.table_id);
    expect(row?.plain).toMatchObject({
      编号: 'GS2020-K001',
      工作室: '王芳电工技能大师工作室',
      自评分: 22.5,
      专家评分: 92.5,
      等次: '优秀',
      结果运用: '给予一定的奖励',
    });
    expect(h.emulator.bitableRecords(BASE, table.table_id)).toHaveLength(1);
  });

  it('统计 links to the programme’s ledger table', async () => {
    await admin.say('统计');
    await admin.click((b) => b.value.a === 'st.show' && b.value.c === 'weihai-2024');
    const link = JSON.stringify(admin.card).match(/https:\/\/www\.feishu\.cn\/base\/[^"]+/)?.[0];
    expect(link).toMatch(new RegExp(`/base/${BASE}\\?table=`));
  });
});
