// The review workflow on Weihai 2024's district stage: roles granted from the 角色 card, tasks for
// the applicant's region only, forged clicks refused, a return with reasons, the resubmission back
// to the same stage with what changed, and two simultaneous approvals giving one decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit, isNext } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const isTask = (c: CardJson) => String(c.header?.title?.content ?? '').startsWith('待审核');

describe('district review (Weihai 2024)', () => {
  let h: Harness;
  let admin: Applicant, applicant: Applicant, rev1: Applicant, rev2: Applicant, other: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    applicant = new Applicant(h, 'ou_unit_contact');
    rev1 = new Applicant(h, 'ou_rev_huancui_1');
    rev2 = new Applicant(h, 'ou_rev_huancui_2');
    other = new Applicant(h, 'ou_rev_wendeng');
    h.emulator.addUser({ open_id: 'ou_rev_huancui_1', name: '王科长' });
    h.emulator.addUser({ open_id: 'ou_rev_huancui_2', name: '李科员' });
  });
  afterAll(async () => h?.close());

  it('an administrator grants reviewers from the 角色 card; 帮助 shows the role', async () => {
    await admin.say('角色');
    for (const [openId, region] of [
      ['ou_rev_huancui_1', '环翠区'],
      ['ou_rev_huancui_2', '环翠区'],
      ['ou_rev_wendeng', '文登区'],
    ] as const) {
      await appoint(admin, openId, { role: 'reviewer', stage: 'weihai-2024/district', region });
      expect(admin.lastToast?.type).toBe('success');
    }
    expect(textOf(admin.card!)).toContain('审核人 · 2024年度威海市技能大师工作室申报 · 区市人社部门审核推荐 · 环翠区');
    // Refused: a region-scoped stage without a region; and a non-administrator.
    await appoint(admin, 'ou_x', { role: 'reviewer', stage: 'weihai-2024/district', region: '' });
    expect(textOf(admin.card!)).toContain('请选择审核人负责的地区');
    await applicant.clickRaw({ value: { a: 'role.grant' } }, { people: ['ou_applicant_self'], role: 'admin' });
    expect(await h.db.client.roleGrant.count({ where: { openId: 'ou_applicant_self' } })).toBe(0);
    await rev1.say('帮助');
    expect(textOf(rev1.card!)).toContain('审核人');
  });

  it('a submitted application reaches the reviewers of its region only', async () => {
    const fx = validApplication(weihai);
    await begin(applicant, weihai);
    await advanceTo(applicant, fx);
    await attachAll(applicant, fx);
    await confirmAndSubmit(applicant);
    expect(textOf(applicant.card!)).toContain('WH2024-0001');
    for (const r of [rev1, rev2]) {
      const card = await r.received(isTask);
      expect(textOf(card)).toContain('WH2024-0001');
      expect(JSON.stringify(card)).not.toContain(fx.answers.leaderIdNumber as string);
    }
    await settle(h.db);
    expect(other.cards().filter(isTask)).toHaveLength(0);
    await rev1.say('待办');
    expect(textOf(rev1.card!)).toContain('WH2024-0001');
  });

  it('refuses forged decisions and changes nothing', async () => {
    const task = rev1.button((b) => b.value.a === 'r.open');
    const taskId = String(task.value.t);
    for (const intruder of [other, applicant, admin]) {
      await intruder.clickRaw({ value: { a: 'r.decide', t: taskId }, name: 'approve' }, { reason: '' });
      expect(intruder.lastToast).toMatchObject({ type: 'error' });
    }
    await rev1.clickRaw({ value: { a: 'r.decide', t: 'not-a-task' }, name: 'approve' }, {});
    expect(rev1.lastToast).toMatchObject({ type: 'error' });
    const app = await h.db.client.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } });
    expect(app).toMatchObject({ status: 'submitted', stage: 'district' });
    expect(await h.db.client.reviewTask.count({ where: { status: 'pending' } })).toBe(2);
  });

  it('a return needs a reason, reaches the applicant with it, and updates the other reviewer’s card', async () => {
    await rev1.click((b) => b.value.a === 'r.open');
    await rev1.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '' });
    expect(rev1.lastToast).toMatchObject({ type: 'error', content: '请写明退回修改的原因' });
    await rev1.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '单位地址请写到门牌号' });
    expect(textOf(rev1.card!)).toContain('已由您于');
    const returned = await applicant.received((c) => textOf(c).includes('退回修改'));
    expect(textOf(returned)).toContain('单位地址请写到门牌号');
    await applicant.say('进度');
    expect(textOf(applicant.card!)).toContain('单位地址请写到门牌号');
    await waitFor('the other reviewer’s card to show the decision', () => rev2.cards().some((c) => textOf(c).includes('作出决定：退回修改')));
  });

  it('the resubmission goes back to the same stage, shows what changed, and one of two simultaneous approvals counts', async () => {
    await applicant.click('修改并重新提交');
    // Everything is filled in, so it resumes at the summary; the change is made from the overview.
    expect(applicant.hasButton((b) => b.value.a === 'j.submit')).toBe(true);
    await applicant.click((b) => b.value.a === 'j.overview');
    await applicant.click((b) => b.value.a === 'j.step' && b.value.s === 'unit');
    expect(applicant.button(isNext).value.s).toBe('unit');
    await applicant.click((b) => b.value.a === 'j.save' && b.name === 'overview', { unitAddress: '威海市环翠区某路1号101室' });
    await applicant.click((b) => b.value.a === 'j.review');
    await applicant.click((b) => b.value.a === 'j.submit', { evidenceVerified: true, truthful: true });
    expect(textOf(applicant.card!)).toContain('WH2024-0001');

    const cards = await Promise.all([rev1.received(isTask), rev2.received(isTask)]);
    for (const c of cards) {
      expect(textOf(c)).toContain('重新提交（第 2 次审核）');
      expect(textOf(c)).toContain('威海市环翠区某路1号101室');
      expect(textOf(c)).toContain('单位地址请写到门牌号');
    }
    // The scheduler has looked up the reviewers' display names by now.
    await h.app.services.runScheduled();
    const approve = (r: Applicant) =>
      r.clickRaw(
        r.button((b) => b.value.a === 'r.decide' && b.name === 'approve'),
        { reason: '', comment: '' },
      );
    const [a1, a2] = await Promise.all([approve(rev1), approve(rev2)]);
    const texts = [textOf(a1), textOf(a2)];
    expect(texts.filter((t) => t.includes('已由您于'))).toHaveLength(1);
    expect(texts.filter((t) => /已由(王科长|李科员)于/.test(t))).toHaveLength(1);
    const app = await h.db.client.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } });
    expect(app).toMatchObject({ status: 'submitted', stage: 'experts' });
    expect(await h.db.client.auditLog.count({ where: { subject: app.id, action: 'review.approve' } })).toBe(1);
    await admin.received((c) => textOf(c).includes('市人社局组织专家评审'));
    await applicant.received((c) => textOf(c).includes('已通过「区市人社部门审核推荐」'));
  });
});
