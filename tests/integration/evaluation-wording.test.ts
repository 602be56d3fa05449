// What a studio's contact and the administrator read in a yearly evaluation (Weihai 2024), card by
// card: a self-assessment (自评), never an application (申报); progress without any "passed"
// (已通过) on the way; the administrator confirms grades (确认评估结果), not a list of winners
// (入选名单); the 公示 and 公布 are of the evaluation's results; and each contact learns the grade
// — 不合格, 合格 or 优秀 — and what follows from it (结果运用) only when the result is published.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botAddedEvent } from '../../src/emulator/signing.js';
import { Applicant, type CardJson, inputNames, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { advanceTo, attachAll } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const evaluation = shippedCampaign('weihai-2024-evaluation');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
/** The text of the card's body, as the person reads it under the title. */
const body = (c: CardJson) => textOf({ body: c.body } as CardJson).replace(/^\n/, '');
const studios = [
  { name: '孙伟焊工技能大师工作室', contact: 'ou_w1', totals: [45, 50, 49], score: 48, grade: '不合格' },
  { name: '周丽电工技能大师工作室', contact: 'ou_w2', totals: [70, 72, 74], score: 72, grade: '合格' },
  { name: '吴强钳工技能大师工作室', contact: 'ou_w3', totals: [88, 90, 86], score: 88, grade: '优秀' },
];
const csv = [
  '工作室名称,所在单位,领办人,职业（工种）,命名年度,项目,地区,联系人open_id',
  ...studios.map((s, i) => `${s.name},威海第${i + 1}船舶有限公司,${s.name.slice(0, 2)},焊工,2020,威海,环翠区,${s.contact}`),
].join('\n');
/** Words of an application round that a studio in its evaluation must never be told. */
const APPLICATION_WORDS = /申报|入选|推荐|已通过|通过评审/;

describe('Weihai 2024 evaluation: the words a contact and an administrator read', () => {
  const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
  let h: Harness;
  let admin: Applicant, district: Applicant;
  const contacts: Applicant[] = [];
  const experts: Applicant[] = [];
  /** Every card the contact has been shown: sent to the chat, and the answers to their clicks. */
  const seen = new Map<string, CardJson[]>();
  const show = (a: Applicant) => seen.get(a.openId)!.push(a.card!);
  const everything = (a: Applicant) => [...seen.get(a.openId)!, ...a.cardsAsSent(), ...a.cards()];
  const numberOf = (i: number) => `WHPG2024-000${i + 1}`;

  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    district = new Applicant(h, 'ou_district');
    for (const s of studios) {
      contacts.push(new Applicant(h, s.contact));
      seen.set(s.contact, []);
    }
    for (let i = 1; i <= 3; i++) experts.push(new Applicant(h, `ou_expert_${i}`));
    await h.push(
      botAddedEvent({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        chatId: 'oc_weihai_studios',
        name: '威海工作室群',
        operatorOpenId: 'ou_admin',
        emulator: h.emulator,
      }),
    );
    expect(textOf(await admin.sendFile('威海工作室.csv', Buffer.from(csv)))).toContain('已导入 **3** 个工作室');
    await admin.say('角色');
    await appoint(admin, 'ou_district', { role: 'reviewer', stage: 'weihai-2024-evaluation/district', region: '环翠区' });
    for (const e of experts) await appoint(admin, e.openId, { role: 'expert', stage: 'weihai-2024-evaluation/experts' });
  });
  afterAll(async () => h?.close());

  it('each contact fills in and submits a 自评: 检查并提交 and the confirmation speak of 自评 and 自评编号', async () => {
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === evaluation.id);
    expect(admin.lastToast?.content).toBe('已通知 3 个工作室');
    for (const [i, c] of contacts.entries()) {
      await c.received((x) => title(x) === '请填写工作室年度绩效评估');
      show(c);
      await c.click((b) => b.value.a === 'j.start');
      const fx = validApplication(evaluation);
      for (const id of ['studioName', 'unitName', 'leaderName', 'designatedYear', 'region']) delete fx.answers[id];
      // What the contact types, in a contact's words (the fixture's sample text speaks of 申报单位).
      Object.assign(fx.answers, { workDone: '全年带徒8名，完成技术攻关3项，开展技能培训12期。', unitReview: '情况属实，同意报送。' });
      await advanceTo(c, fx);
      show(c);
      await attachAll(c, fx);
      show(c);
      expect(title(c.card!)).toBe('自评总览');
      expect(body(c.card!)).toContain('**提交条件**');
      expect(body(c.card!)).toContain('填写内容随时自动保存。退出后发送「进度」可回到这里继续。');

      await c.click((b) => b.value.a === 'j.review');
      show(c);
      expect(title(c.card!)).toBe('检查并提交');
      expect(body(c.card!)).toContain('**自评声明**（请逐条阅读并勾选）');
      expect(c.button((b) => b.value.a === 'j.submit').text).toBe('提交自评');
      const submit = c.button((b) => b.value.a === 'j.submit');
      await c.click((b) => b.value.a === 'j.submit', Object.fromEntries(inputNames(submit.form!).map((n) => [n, true])));
      show(c);
      expect(c.lastToast).toMatchObject({ type: 'success', content: `已提交，编号 ${numberOf(i)}` });
      expect(title(c.card!)).toBe('自评已提交');
      const text = body(c.card!);
      expect(text).toContain(`**自评编号**：${numberOf(i)}\n**工作室名称**：${studios[i]!.name}`);
      expect(text).toContain('**接下来**\n下一步：区市人社部门组织自评');
      expect(text).toContain('请记下自评编号。评估进展和评估结果会在这里通知您，也可随时发送「进度」查看。');
    }
  });

  it('returned by the district, the contact reads 自评被退回修改; once 报送, only where the 自评 is now', async () => {
    const third = contacts[2]!;
    await settle(h.db);
    // The district's newest task card of a 自评 (a resubmission brings a new one).
    const taskOf = (i: number) =>
      district
        .cardsAsSent()
        .filter((c) => title(c).startsWith('待审核') && textOf(c).includes(numberOf(i)))
        .at(-1)!;
    const task = taskOf(2);
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '佐证材料未注明已审验', comment: '' }, { card: task });
    const returned = await third.received((c) => title(c) === '自评被退回修改');
    show(third);
    expect(body(returned)).toContain(`您提交的「${evaluation.title}」自评（编号 ${numberOf(2)}）在“区市人社部门组织自评”环节被退回修改。`);
    expect(body(returned)).toContain('修改后重新提交，自评会回到这个环节继续审核。');
    await third.click('修改并重新提交');
    show(third);
    const submit = third.button((b) => b.value.a === 'j.submit');
    await third.click((b) => b.value.a === 'j.submit', Object.fromEntries(inputNames(submit.form!).map((n) => [n, true])));
    show(third);
    expect(title(third.card!)).toBe('自评已提交');

    await settle(h.db);
    for (let i = 0; i < 3; i++) {
      const card = taskOf(i);
      await district.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '' }, { card });
      expect(district.lastToast).toMatchObject({ type: 'success', content: '已报送' });
    }
    for (const [i, c] of contacts.entries()) {
      const told = await c.received((x) => title(x) === '自评进展');
      expect(body(told)).toBe(`您的自评材料（编号 ${numberOf(i)}）已进入「市人社局组织专家组书面评估」环节。`);
    }
  });

  it('the experts score; the contacts hear nothing of it', async () => {
    const before = contacts.map((c) => c.cards().length);
    for (const e of experts) {
      for (let n = 0; n < 3; n++) {
        const sheet = await e.received((c) => title(c).startsWith('待评分'));
        const i = studios.findIndex((_, k) => textOf(sheet).includes(numberOf(k)));
        await e.click((b) => b.value.a === 's.score', { total: String(studios[i]!.totals[experts.indexOf(e)]) }, { card: sheet });
        expect(e.lastToast?.type).toBe('success');
      }
    }
    await settle(h.db);
    const graded = await h.db.client.application.findMany({
      where: { campaignId: evaluation.id },
      orderBy: { number: 'asc' },
      select: { score: true, grade: true },
    });
    expect(graded).toEqual(studios.map((s) => ({ score: s.score, grade: s.grade })));
    expect(contacts.map((c) => c.cards().length)).toEqual(before);
  });

  it('the administrator confirms the 评估结果 with their 等次, not a list of winners', async () => {
    await admin.received((c) => textOf(c).includes('评分完成') && textOf(c).includes(numberOf(2)));
    await admin.say('待办');
    expect(textOf(admin.card!)).toContain('「市人社局组织专家组书面评估」3份自评评分已完成，请确认评估结果');
    await admin.click('查看排名');
    const ranking = admin.card!;
    expect(title(ranking)).toBe('评估得分与等次');
    const text = body(ranking);
    expect(text).toContain(
      `${evaluation.title} · 市人社局组织专家组书面评估\n<font color='grey'>按得分评定等次：优秀（85分及以上）、合格（50分及以上）、不合格（低于50分）</font>`,
    );
    expect(text).toContain(
      [
        `1. **${numberOf(2)}** 吴强钳工技能大师工作室 — **88** 分 · 等次：**优秀**（3/3位专家已评分）`,
        `2. **${numberOf(1)}** 周丽电工技能大师工作室 — **72** 分 · 等次：**合格**（3/3位专家已评分）`,
        `3. **${numberOf(0)}** 孙伟焊工技能大师工作室 — **48** 分 · 等次：**不合格**（3/3位专家已评分）`,
      ].join('\n'),
    );
    expect(text).toContain('**确认评估结果**：评分完成的3个工作室按上列等次进入下一环节。');
    expect(textOf(ranking)).not.toMatch(/入选|名额|名单/);
    expect(admin.button((b) => b.value.a === 'rank.confirm').text).toBe('确认评估结果');

    await admin.click((b) => b.value.a === 'rank.confirm');
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '已确认3个工作室的评估结果' });
    expect(body(admin.card!)).toContain('已确认3个工作室的评估结果。');
    const ready = await admin.received((c) => title(c) === '可以开始公示');
    expect(body(ready)).toContain(
      `${evaluation.title}：3个工作室的评估结果已确认，进入「评估结果公示」（${numberOf(0)}、${numberOf(1)}、${numberOf(2)}），公示期5个工作日。`,
    );

    // The contacts: where their 自评 is, and when they learn the grade — not the grade.
    for (const [i, c] of contacts.entries()) {
      const told = await c.received((x) => title(x) === '自评进展');
      expect(body(told)).toBe(`您的自评材料（编号 ${numberOf(i)}）已进入「评估结果公示」环节。评估等次以发文公布的评估结果为准，公布时会通知您。`);
    }
  });

  it('the 公示 in the groups is of the evaluation results; the contacts’ own chats still hold no grade', async () => {
    clock.now = new Date('2024-08-01T10:00:00+08:00');
    await admin.click('开始公示');
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '公示已开始' });
    const notice = await waitFor('the 公示 in the group', () => h.emulator.messagesTo('oc_weihai_studios').find((m) => m.content.includes('公示 ·')));
    const shown = textOf(JSON.parse(notice.content) as CardJson);
    expect(shown).toContain('经评估，现将以下3个技能大师工作室的评估结果予以公示。');
    expect(shown).toContain('孙伟焊工技能大师工作室**　威海第1船舶有限公司　等次：**不合格**');
    expect(shown).not.toContain('拟认定');
    await settle(h.db);
    for (const c of contacts) for (const card of c.cardsAsSent()) expect(textOf(card)).not.toMatch(/不合格|合格|优秀/);
  });

  it('at publication each contact learns the 等次 and its 结果运用', async () => {
    clock.now = new Date('2024-08-12T10:00:00+08:00');
    const n = await h.db.client.publicNotice.findFirstOrThrow({ where: { campaignId: evaluation.id } });
    await admin.clickRaw({ value: { a: 'notice.publish', n: n.id } });
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '已发文公布' });
    expect(body(admin.card!)).toContain('已发文公布评估结果：各工作室联系人已收到本工作室的等次和结果运用，评估结果已发往公示过的1个群。');

    const failed = await contacts[0]!.received((c) => title(c) === '评估结果：不合格');
    expect(body(failed)).toBe(
      `经公示无异议，「孙伟焊工技能大师工作室」在${evaluation.title}中的评估等次为 **不合格**（得分 48 分）。\n**结果运用**\n- 给予一年整改时间；整改期满由所在单位书面申请重新考核评估（至 2025-08-12）\n申请重新考核评估`,
    );
    const passed = await contacts[1]!.received((c) => title(c) === '评估结果：合格');
    expect(body(passed)).toBe(`经公示无异议，「周丽电工技能大师工作室」在${evaluation.title}中的评估等次为 **合格**（得分 72 分）。`);
    const excellent = await contacts[2]!.received((c) => title(c) === '评估结果：优秀');
    expect(body(excellent)).toBe(
      `经公示无异议，「吴强钳工技能大师工作室」在${evaluation.title}中的评估等次为 **优秀**（得分 88 分）。\n**结果运用**\n- 给予其领办人2万元奖励资金`,
    );

    const published = await waitFor('the 公布 in the group', () => h.emulator.messagesTo('oc_weihai_studios').find((m) => m.content.includes('公布 ·')));
    const announced = textOf(JSON.parse(published.content) as CardJson);
    expect(announced).toContain('经评估和公示，现将以下3个技能大师工作室的评估结果予以公布。');
    expect(announced).toContain('吴强钳工技能大师工作室**　威海第3船舶有限公司　等次：**优秀**');
    await waitFor('the 公示 marked published', () =>
      h.emulator.messagesTo('oc_weihai_studios').some((m) => m.content.includes('公示已结束，评估结果已发文公布。')),
    );
  });

  it('进度 shows the 自评 with its published 等次', async () => {
    const status = await contacts[0]!.say('进度');
    show(contacts[0]!);
    expect(title(status)).toBe('我的自评进度');
    expect(body(status)).toContain(`**${evaluation.title}**\n自评编号：${numberOf(0)}\n状态：<font color='green'>评估结果已公布：不合格</font>`);
  });

  it('nothing a contact was shown in the whole round speaks of 申报, 入选, 推荐 or 已通过', () => {
    for (const c of contacts) {
      const cards = everything(c);
      expect(cards.length).toBeGreaterThan(8);
      for (const card of cards) expect(textOf(card), textOf(card)).not.toMatch(APPLICATION_WORDS);
    }
  });
});
