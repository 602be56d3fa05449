// Typical mistakes each get their own Chinese message, and nothing already entered is lost; a
// restart mid-step, a double-clicked submit and an outdated card are all harmless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, idNumberCheckChar } from '../../src/rules/index.js';
import { Applicant, errorsOf, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { LEADER_ID, PDF_BYTES, validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit, fillGroups, isNext, submitStep } from '../helpers/journey-driver.js';

const weihai = shippedCampaign('weihai-2024');
const otherUnit = (first17: string) => first17 + creditCodeCheckChar(first17);
const clock = { now: new Date('2024-07-15T10:00:00+08:00') };

describe('mistakes on the Weihai 2024 application', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now });
  });
  afterAll(async () => h?.close());

  async function atLeaderStep(openId: string) {
    const a = new Applicant(h, openId);
    const fx = validApplication(weihai);
    await begin(a, weihai);
    await advanceTo(a, fx, 'leader');
    return { a, fx };
  }

  async function stored(openId: string) {
    const row = await h.db.client.application.findFirstOrThrow({ where: { applicantId: openId } });
    return JSON.parse(row.answers) as Record<string, unknown>;
  }

  it('a wrong ID check digit: its own message, the other answers saved and shown again', async () => {
    const { a, fx } = await atLeaderStep('ou_m_id');
    const wrong = LEADER_ID.slice(0, 17) + (LEADER_ID.endsWith('1') ? '2' : '1');
    expect(await submitStep(a, fx, { leaderIdNumber: wrong })).toBe(false);
    const text = textOf(a.card!);
    expect(text).toContain('身份证号码校验位不正确');
    expect(a.button(isNext).value.s).toBe('leader');
    expect(JSON.stringify(a.card)).toContain(wrong); // what was typed is still in the input
    const answers = await stored('ou_m_id');
    expect(answers.leaderName).toBe(fx.answers.leaderName);
    expect(answers.leaderIdNumber).toBeUndefined();
  });

  it('a birth month that disagrees with the ID number is told on the same step', async () => {
    const { a, fx } = await atLeaderStep('ou_m_birth');
    expect(await submitStep(a, fx, { leaderBirth: '1976-06' })).toBe(false);
    expect(textOf(a.card!)).toMatch(/出生年月与身份证号码不一致/);
    expect((await stored('ou_m_birth')).leaderBirth).toBe('1976-06');
  });

  it('a sex that disagrees with the ID number is told under 性别 and under 身份证号码, not under 出生年月', async () => {
    const { a, fx } = await atLeaderStep('ou_m_gender');
    expect(await submitStep(a, fx, { leaderGender: '女' })).toBe(false);
    const errorsUnder = (label: string) =>
      errorsOf(a.card!)
        .filter((e) => e.field === label)
        .map((e) => e.message);
    expect(errorsUnder('性别').join()).toContain('性别与身份证号码不一致（身份证为男）');
    expect(errorsUnder('身份证号码').join()).toContain('性别与身份证号码不一致（身份证为男）');
    expect(errorsUnder('出生年月')).toEqual([]);
  });

  it('what the overview marks 有错误 is shown on the step it points to, next to the field', async () => {
    const { a, fx } = await atLeaderStep('ou_m_overview');
    // 保存并退出 keeps the disagreement (only missing answers are excused), then the overview.
    await a.click((b) => b.value.a === 'j.save' && b.name === 'save', {
      ...Object.fromEntries(Object.entries(fx.answers).filter(([k]) => k.startsWith('leader'))),
      leaderBirth: '1976-06',
    });
    await a.say('申报');
    await a.click((b) => b.value.a === 'j.intro' && b.value.c === weihai.id);
    await a.click((b) => b.value.a === 'j.start');
    await a.click((b) => b.value.a === 'j.save' && b.name === 'overview');
    expect(textOf(a.card!)).toContain('有错误');
    await a.click((b) => b.value.a === 'j.step' && b.value.s === 'leader');
    expect(
      errorsOf(a.card!)
        .filter((e) => e.field === '出生年月')
        .map((e) => e.message)
        .join(),
    ).toContain('出生年月与身份证号码不一致');
  });

  it('a malformed phone number', async () => {
    const { a, fx } = await atLeaderStep('ou_m_phone');
    expect(await submitStep(a, fx, { leaderPhone: '1381234567' })).toBe(false);
    expect(textOf(a.card!)).toMatch(/「领办人联系电话」：.*11/);
  });

  it('only 2 team members: said at once, and submission is blocked with the reason', async () => {
    const a = new Applicant(h, 'ou_m_team');
    const fx = validApplication(weihai);
    fx.rows.members = fx.rows.members!.slice(0, 2);
    await begin(a, weihai);
    await advanceTo(a, fx, 'team');
    await fillGroups(a, fx);
    expect(textOf(a.card!)).toMatch(/拥有一支不少于3人组成的技术技能人才团队/);
    // 下一步 with too few rows stays on the step and says what is missing (never a green 已保存).
    expect(await submitStep(a, fx)).toBe(false);
    expect(textOf(a.card!)).toContain('「工作室团队成员状况」至少3条成员，已填写2条，请点「管理成员」添加');
    // The rest can still be filled in first (the overview leads to any step).
    await a.click((b) => b.value.a === 'j.save' && b.name === 'overview');
    await a.click((b) => b.value.a === 'j.step' && b.value.s === 'plan');
    await advanceTo(a, fx);
    await attachAll(a, fx);
    await confirmAndSubmit(a);
    const text = textOf(a.card!);
    expect(text).toContain('「工作室团队成员状况」至少需要3条成员，现在2条');
    expect(text).not.toMatch(/WH2024-\d{4}/);
    expect((await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_m_team' } })).status).toBe('draft');
  });

  it('a 40 MB file and an .exe renamed .pdf are refused with the limit named', async () => {
    const { a } = await atLeaderStep('ou_m_files');
    const big = Buffer.alloc(40 * 1024 * 1024, 0x20);
    PDF_BYTES.copy(big);
    let card = await a.sendFile('扫描件.pdf', big);
    // Downloaded no further than the largest slot takes, and nothing of it kept.
    expect(textOf(card)).toContain('“扫描件.pdf”超过 20 MB（本项目每个附件最大 20 MB），无法保存。请压缩或拆分后再发送。');
    expect(await h.db.client.upload.count({ where: { ownerId: 'ou_m_files' } })).toBe(0);
    card = await a.sendFile('申请报告.pdf', Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(200)]));
    // The reason is told once, after the items it concerns.
    expect(textOf(card)).toMatch(/申请报告[^\n]*：只接受 PDF.*实际是 Windows 可执行程序/);
    // Once per distinct reason, not once per slot: every Weihai slot takes PDF only (佐证材料报PDF格式扫描件).
    expect(textOf(card).split('实际是 Windows 可执行程序').length - 1).toBe(1);
    // Clicking a slot anyway is refused too.
    await a.click((b) => b.value.a === 'j.assign' && b.value.slot === 'applicationReport').catch(() => undefined);
    const uploads = await h.db.client.upload.findMany({ where: { ownerId: 'ou_m_files' } });
    expect(uploads.every((u) => u.slotId === null)).toBe(true);
  });

  it('submitting after the deadline: 逾期申报无效, and the draft is kept', async () => {
    const a = new Applicant(h, 'ou_m_late');
    const fx = validApplication(weihai);
    await begin(a, weihai);
    await advanceTo(a, fx);
    await attachAll(a, fx);
    clock.now = new Date('2024-08-01T00:00:01+08:00');
    try {
      await confirmAndSubmit(a);
    } finally {
      clock.now = new Date('2024-07-15T10:00:00+08:00');
    }
    expect(textOf(a.card!)).toContain('逾期申报无效');
    const row = await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_m_late' } });
    expect(row.status).toBe('draft');
    expect(JSON.parse(row.answers).unitName).toBe(fx.answers.unitName);
  });

  it('a double-clicked submit submits once; a click on an outdated card gets the current card', async () => {
    const a = new Applicant(h, 'ou_m_double');
    const fx = validApplication(weihai);
    fx.answers.unitCreditCode = otherUnit('91371000MA3C00001');
    await begin(a, weihai);
    const firstCard = a.card!;
    await advanceTo(a, fx);
    // An old card: its 下一步 carries version 0.
    await a.click(isNext, {}, { card: firstCard });
    expect(textOf(a.card!)).toContain('这张卡片不是最新的');
    await attachAll(a, fx);
    await a.click((b) => b.value.a === 'j.review');
    const submit = a.button((b) => b.value.a === 'j.submit');
    const confirm = Object.fromEntries(Object.keys(submit.form ? { evidenceVerified: 1, truthful: 1 } : {}).map((k) => [k, true]));
    const [one, two] = await Promise.all([a.clickRaw(submit, confirm), a.clickRaw(submit, confirm)]);
    const numbers = [textOf(one), textOf(two)].map((t) => /WH2024-\d{4}/.exec(t)?.[0]);
    expect(numbers[0]).toBeTruthy();
    expect(numbers[0]).toBe(numbers[1]);
    expect(
      await h.db.client.auditLog.count({
        where: { action: 'application.submitted', subject: (await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_m_double' } })).id },
      }),
    ).toBe(1);
  });
});

describe('a leader two years from retirement where three are expected (Gongshu 2020)', () => {
  it('is told at once with the retirement date, and again on the summary', async () => {
    const gongshu = shippedCampaign('gongshu-2020');
    const h = await startHarness({ now: () => new Date('2020-05-15T10:00:00+08:00') });
    try {
      const fx = validApplication(gongshu);
      const first17 = '33010519620615123';
      Object.assign(fx.answers, { leaderIdNumber: first17 + idNumberCheckChar(first17), leaderBirth: '1962-06', leaderGender: '男' });
      const a = new Applicant(h, 'ou_retiring');
      await begin(a, gongshu);
      await advanceTo(a, fx, 'team');
      const told = textOf(a.card!);
      expect(told).toContain('领办人距法定退休年龄不足3年（法定退休时间为2022年06月）');
      await advanceTo(a, fx);
      await attachAll(a, fx);
      await a.click((b) => b.value.a === 'j.review');
      expect(textOf(a.card!)).toContain('不足3年');
    } finally {
      await h.close();
    }
  });
});

describe('one unit applies once per programme', () => {
  it('a second applicant with the same credit code is told, and their draft is kept', async () => {
    const h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00') });
    try {
      const fx = validApplication(weihai);
      fx.answers.unitCreditCode = otherUnit('91371000MA3C00002');
      const first = new Applicant(h, 'ou_unit_first');
      await begin(first, weihai);
      await advanceTo(first, fx);
      await attachAll(first, fx);
      await confirmAndSubmit(first);
      expect(textOf(first.card!)).toMatch(/WH2024-0001/);

      const second = new Applicant(h, 'ou_unit_second');
      await begin(second, weihai);
      await advanceTo(second, fx);
      await attachAll(second, fx);
      await confirmAndSubmit(second);
      expect(textOf(second.card!)).toContain(`统一社会信用代码为${fx.answers.unitCreditCode as string}的单位在本项目中已有一份申报，每个单位只能申报一次`);
      // Whose application holds the code is not said (it may be someone using this unit's code).
      expect(textOf(second.card!)).not.toContain('WH2024-0001');
      expect((await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_unit_second' } })).status).toBe('draft');
    } finally {
      await h.close();
    }
  });
});

describe('a restart in the middle of a step', () => {
  it('lets the applicant continue where they were, with what they typed', async () => {
    const h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00') });
    try {
      const a = new Applicant(h, 'ou_restart');
      const fx = validApplication(weihai);
      await begin(a, weihai);
      await advanceTo(a, fx, 'leader');
      // Half of the leader step saved with 保存并退出, then the server goes away.
      await a.click((b) => b.value.a === 'j.save' && b.name === 'save', { leaderName: '王师傅', leaderGender: '男' });
      expect(textOf(a.card!)).toContain('已保存');
      await settle(h.db);
      const first = h.apps.shift()!;
      await first.app.close();
      await h.startApp();

      await a.say('申报');
      expect(textOf(a.card!)).toContain('填写中');
      await a.click((b) => b.value.a === 'j.intro' && b.value.c === weihai.id);
      await a.click((b) => b.value.a === 'j.start');
      expect(a.button(isNext).value.s).toBe('leader');
      expect(JSON.stringify(a.card)).toContain('王师傅');
      expect(await submitStep(a, fx)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
