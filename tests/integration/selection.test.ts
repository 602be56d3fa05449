// Weihai 2024 after the district review: three experts score (one expert from the applicant's own
// unit is never asked), the administrator confirms the list within the quota (at most one rural
// studio), the 公示 runs five working days across the National Day holiday, an objection blocks
// publishing until resolved, and publication registers the studio and tells the applicant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botAddedEvent } from '../../src/emulator/signing.js';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
const unit = (first17: string) => first17 + creditCodeCheckChar(first17);
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

describe('Weihai 2024: scoring, quota, public notice, publication', () => {
  let h: Harness;
  let admin: Applicant, district: Applicant;
  const experts: Applicant[] = [];
  const units = [unit('91371000MA3C10001'), unit('91371000MA3C10002')];
  const applicants: Applicant[] = [];

  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    district = new Applicant(h, 'ou_district');
    for (let i = 1; i <= 3; i++) experts.push(new Applicant(h, `ou_expert_${i}`));
    applicants.push(new Applicant(h, 'ou_unit_a'), new Applicant(h, 'ou_unit_b'));
    await h.push(
      botAddedEvent({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        chatId: 'oc_weihai_units',
        name: '威海企业群',
        operatorOpenId: 'ou_admin',
        emulator: h.emulator,
      }),
    );
  });
  afterAll(async () => h?.close());

  it('roles: a district reviewer and experts (one of them from unit A)', async () => {
    await admin.say('角色');
    await appoint(admin, 'ou_district', { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    for (const e of experts) await appoint(admin, e.openId, { role: 'expert', stage: 'weihai-2024/experts' });
    await appoint(admin, 'ou_expert_same_unit', { role: 'expert', stage: 'weihai-2024/experts', unitKey: units[0] });
    expect(await h.db.client.roleGrant.count()).toBe(5);
  });

  it('two rural studios pass the district review and are scored by three experts each', async () => {
    for (const [i, a] of applicants.entries()) {
      const fx = validApplication(weihai);
      const leader = ['张伟', '李强'][i]!;
      Object.assign(fx.answers, {
        unitCreditCode: units[i]!,
        unitName: `威海第${i + 1}机械有限公司`,
        isRural: '是',
        leaderName: leader,
        studioName: `${leader}数控车工技能大师工作室`,
      });
      await begin(a, weihai);
      await advanceTo(a, fx);
      await attachAll(a, fx);
      await confirmAndSubmit(a);
      // An application keeps the words of 申报 (an evaluation's are in evaluation-wording.test.ts).
      expect(title(a.card!)).toBe('申报已提交');
      expect(textOf(a.card!)).toContain(`**申报编号**：WH2024-000${i + 1}`);
      expect(textOf(a.card!)).toContain('请记下申报编号。审核结果会在这里通知您，也可随时发送「进度」查看。');
      const task = await district.received((c) => title(c).startsWith('待审核'));
      await district.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '材料齐全' });
      expect(textOf(task)).toContain(`WH2024-000${i + 1}`);
      const recommended = await a.received((c) => title(c) === '申报已推荐');
      expect(textOf(recommended)).toContain(`您的申报（编号 WH2024-000${i + 1}）已通过「区市人社部门审核推荐」，进入「市人社局组织专家评审」环节。`);
    }
    // The expert from unit A is never asked to score A; the other three score both.
    await settle(h.db);
    const sameUnit = new Applicant(h, 'ou_expert_same_unit');
    expect(sameUnit.cards().filter((c) => title(c).startsWith('待评分'))).toHaveLength(1);

    const points = [
      { leader: '28', team: '18', projects: '27', support: '18' }, // 91
      { leader: '25', team: '15', projects: '20', support: '15' }, // 75
    ];
    for (const e of experts) {
      for (let n = 0; n < 2; n++) {
        const sheet = await e.received((c) => title(c).startsWith('待评分'));
        const which = textOf(sheet).includes('WH2024-0001') ? 0 : 1;
        if (e === experts[0] && n === 0) {
          // The expert scores the materials too: the same attachments as the district reviewer, sent on request.
          expect(textOf(sheet)).toContain('附件');
          await e.click((b) => b.value.a === 'r.file');
          expect(e.lastToast?.type).toBe('success');
          await waitFor('the attachment in the expert’s chat', () => h.emulator.messagesTo(e.openId).some((m) => m.msg_type === 'file'));
          await e.click((b) => b.value.a === 's.score', { ...points[which], leader: '31' });
          expect(textOf(e.card!)).toContain('分数应在0到30分之间（填写的是31分）');
        }
        await e.click((b) => b.value.a === 's.score', points[which]!);
        expect(e.lastToast?.type).toBe('success');
      }
    }
    // The expert from unit A scores B (four experts there, all at 75).
    const sheetB = await sameUnit.received((c) => title(c).startsWith('待评分'));
    expect(textOf(sheetB)).toContain('WH2024-0002');
    await sameUnit.click((b) => b.value.a === 's.score', points[1]!);
    const scores = await h.db.client.application.findMany({ orderBy: { number: 'asc' }, select: { number: true, score: true, stage: true } });
    expect(scores).toEqual([
      { number: 'WH2024-0001', score: 91, stage: 'experts' },
      { number: 'WH2024-0002', score: 75, stage: 'experts' },
    ]);
  });

  it('the quota allows one rural studio: the administrator’s attempt to take both is refused', async () => {
    await admin.received((c) => textOf(c).includes('评分完成') && textOf(c).includes('WH2024-0002'));
    // The step that waits on the administrator is in their 待办, with the button to act.
    await admin.say('待办');
    expect(textOf(admin.card!)).toContain('「市人社局组织专家评审」2份申报评分已完成，请确认入选名单');
    await admin.click('查看排名');
    const ranking = textOf(admin.card!);
    expect(ranking.indexOf('WH2024-0001')).toBeLessThan(ranking.indexOf('WH2024-0002'));
    expect(title(admin.card!)).toBe('评审排名与入选名单');
    expect(ranking).toContain('**确认入选名单**（已按得分和名额预选，可调整）');
    const [a, b] = await h.db.client.application.findMany({ orderBy: { number: 'asc' } });
    await admin.click((x) => x.value.a === 'rank.confirm', { [a!.id]: true, [b!.id]: true });
    expect(admin.lastToast).toMatchObject({ type: 'error', content: '乡村特色技能大师工作室最多1个，选择了2个' });
    await admin.click((x) => x.value.a === 'rank.confirm', { [a!.id]: true, [b!.id]: false });
    expect(admin.lastToast?.type).toBe('success');
    expect(await h.db.client.application.findUniqueOrThrow({ where: { id: b!.id } })).toMatchObject({ status: 'not_selected' });
    await applicants[1]!.received((c) => title(c) === '申报未入选');
    const passed = await applicants[0]!.received((c) => title(c) === '已通过评审');
    expect(textOf(passed)).toContain('您的申报（编号 WH2024-0001）已通过「市人社局组织专家评审」，进入「候选名单公示」。');
    expect(admin.lastToast?.content).toBe('已确认入选1个');
  });

  it('the public notice runs five working days across National Day, and an objection blocks publishing', async () => {
    clock.now = new Date('2024-09-27T10:00:00+08:00');
    await admin.received((c) => textOf(c).includes('可以开始公示'));
    await admin.click('开始公示');
    expect(textOf(admin.card!)).toContain('2024年9月27日至2024年10月9日');
    const groupNotice = await waitFor('the notice in the group', () => h.emulator.messagesTo('oc_weihai_units').find((m) => m.content.includes('公示 ·')));
    expect(groupNotice.content).toContain('经评审，拟认定以下1个技能大师工作室，现予公示。');
    expect(groupNotice.content).toContain('张伟数控车工技能大师工作室');
    expect(groupNotice.content).not.toContain('李强');
    const notice = (await h.db.client.publicNotice.findFirstOrThrow()).id;

    const citizen = new Applicant(h, 'ou_citizen');
    await citizen.clickRaw({ value: { a: 'notice.objectForm', n: notice } });
    await citizen.click((b) => b.value.a === 'notice.object', { reason: '领办人并未在生产一线工作，请核实' });
    expect(textOf(citizen.card!)).toContain('异议已提交');

    await admin.received((c) => textOf(c).includes('收到公示异议'));
    await admin.say('待办');
    expect(textOf(admin.card!)).toContain('公示收到1条异议，待处理');
    clock.now = new Date('2024-10-10T09:00:00+08:00');
    await admin.click('处理异议');
    await admin.click((b) => b.value.a === 'notice.publish');
    expect(admin.lastToast).toMatchObject({ type: 'error', content: '还有1条异议未处理，不能发文公布' });
    await admin.click((b) => b.value.a === 'notice.resolve', { resolution: '经核实，领办人在一线工作，异议不成立' });
    await admin.click((b) => b.value.a === 'notice.publish');
    expect(admin.lastToast?.type).toBe('success');
  });

  it('publication announces the list to the groups that saw the 公示, and the 公示 card says 已公布', async () => {
    const inGroup = () => h.emulator.messagesTo('oc_weihai_units');
    const announcement = await waitFor('the 公布 card in the group', () => inGroup().find((m) => m.content.includes('公布 ·')));
    expect(announcement.content).toContain('经评审和公示，认定以下1个技能大师工作室，现予公布。');
    expect(announcement.content).toContain('张伟数控车工技能大师工作室');
    expect(announcement.content).not.toContain('李强');
    await waitFor('the 公示 card updated', () => inGroup().find((m) => m.content.includes('公示 ·') && m.content.includes('公示已结束，名单已发文公布')));
    expect(inGroup().filter((m) => m.content.includes('提出异议'))).toHaveLength(0);
    // Once, however often 发文公布 is pressed again.
    const notice = await h.db.client.publicNotice.findFirstOrThrow();
    await admin.clickRaw({ value: { a: 'notice.publish', n: notice.id } });
    expect(admin.lastToast).toMatchObject({ type: 'info', content: '已经发文公布过了' });
    await settle(h.db);
    expect(inGroup().filter((m) => m.content.includes('公布 ·'))).toHaveLength(1);
  });

  it('publication registers the studio and congratulates the applicant', async () => {
    const card = await applicants[0]!.received((c) => title(c).includes('恭喜'));
    expect(textOf(card)).toContain('「张伟数控车工技能大师工作室」已被认定');
    const studio = await h.db.client.studio.findFirstOrThrow();
    expect(studio).toMatchObject({ campaignId: 'weihai-2024', year: 2024, unitName: '威海第1机械有限公司' });
    expect(await h.db.client.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } })).toMatchObject({ status: 'designated' });
    // 进度 speaks of the outcome in Chinese, never the stored status.
    const progress = textOf(await applicants[0]!.say('进度'));
    expect(progress).toContain('已认定（已发文公布）');
    for (const a of applicants) expect(textOf(await a.say('进度'))).not.toMatch(/designated|not_selected|not_recommended/);
    expect(
      await h.db.client.auditLog.count({
        where: {
          action: {
            in: [
              'review.approve',
              'review.scored',
              'selection.confirmed',
              'notice.started',
              'notice.objection',
              'notice.objection_resolved',
              'notice.published',
            ],
          },
        },
      }),
    ).toBe(2 + 7 + 1 + 1 + 1 + 1 + 1);
  });
});
