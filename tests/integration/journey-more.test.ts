// The rest of the journey: closed programmes, resuming at the first unfinished step, editing and
// removing rows, replacing a file, masked summaries, read-only after submission, and 进度.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, buttonsOf, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { LEADER_ID, PDF_BYTES, validApplication } from '../helpers/fixtures.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, fillGroups, isGroupButton, isNext } from '../helpers/journey-driver.js';

const weihai = shippedCampaign('weihai-2024');

describe('journey details (Weihai 2024)', () => {
  let h: Harness;
  const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now });
  });
  afterAll(async () => h?.close());

  it('lists open programmes first; a closed one is marked 已截止 and cannot be started', async () => {
    const a = new Applicant(h, 'ou_more_list');
    const list = await a.say('申报');
    const text = textOf(list);
    expect(text.indexOf('2024年度威海市技能大师工作室申报')).toBeLessThan(text.indexOf('2020年拱墅区技能大师工作室申报'));
    expect(text).toContain('已截止');
    expect(a.hasButton((b) => b.value.c === 'gongshu-2020')).toBe(false);
    // A crafted click on its introduction shows no 开始填写…
    await a.clickRaw({ value: { a: 'j.intro', c: 'gongshu-2020' } });
    expect(textOf(a.card!)).toContain('已截止');
    expect(a.hasButton((b) => b.value.a === 'j.start')).toBe(false);
    // Even a crafted click on 开始填写 is refused.
    await a.clickRaw({ value: { a: 'j.start', c: 'gongshu-2020' } });
    expect(textOf(a.card!)).toContain('逾期申报无效');
  });

  it('resumes at the first unfinished step, from 申报 and from 进度', async () => {
    const a = new Applicant(h, 'ou_more_resume');
    const fx = validApplication(weihai);
    await begin(a, weihai);
    await advanceTo(a, fx, 'leader');
    // Jump back to the first step from the overview, then leave.
    await a.click((b) => b.value.a === 'j.save' && b.name === 'overview');
    await a.click((b) => b.value.a === 'j.step' && b.value.s === 'unit');
    await a.say('申报');
    await a.click((b) => b.value.a === 'j.intro' && b.value.c === weihai.id);
    await a.click((b) => b.value.a === 'j.start');
    expect(a.button(isNext).value.s).toBe('leader');
    await a.say('进度');
    expect(textOf(a.card!)).toContain('填写中');
    await a.click('继续填写');
    expect(a.button(isNext).value.s).toBe('leader');
  });

  it('edits and removes team members', async () => {
    const a = new Applicant(h, 'ou_more_rows');
    const fx = validApplication(weihai);
    await begin(a, weihai);
    await advanceTo(a, fx, 'team');
    await fillGroups(a, fx);
    await a.click(isGroupButton);
    await a.click((b) => b.value.a === 'j.row' && b.value.r === 1);
    await a.click((b) => b.value.a === 'j.rowSave', { name: '钱二改' });
    expect(textOf(a.card!)).toContain('钱二改');
    await a.click((b) => b.value.a === 'j.rowRemove' && b.value.r === 0);
    const row = await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_more_rows' } });
    expect((JSON.parse(row.answers).members as { name: string }[]).map((m) => m.name)).toEqual(['钱二改', '成员三']);
  });

  it('replaces the file of a single-file slot, keeping the old one aside; removes files', async () => {
    const a = new Applicant(h, 'ou_more_files');
    await begin(a, weihai);
    await a.sendFile('申请报告-第一版.pdf', PDF_BYTES);
    await a.click((b) => b.value.a === 'j.assign' && b.value.slot === 'applicationReport');
    await a.sendFile('申请报告-第二版.pdf', Buffer.concat([PDF_BYTES, Buffer.from('% v2')]));
    await a.click((b) => b.value.a === 'j.assign' && b.value.slot === 'applicationReport');
    expect(textOf(a.card!)).toContain('原来的“申请报告-第一版.pdf”已移到待归类');
    const uploads = await h.db.client.upload.findMany({ where: { ownerId: 'ou_more_files' }, orderBy: { createdAt: 'asc' } });
    expect(uploads.map((u) => [u.name, u.slotId])).toEqual([
      ['申请报告-第一版.pdf', null],
      ['申请报告-第二版.pdf', 'applicationReport'],
    ]);
    await a.click((b) => b.value.a === 'j.unfile' && b.value.u === uploads[0]!.id);
    expect(await h.db.client.upload.count({ where: { ownerId: 'ou_more_files' } })).toBe(1);
  });

  it('shows the applicant their own ID number and phone in full on the summary (to proofread), is read-only after submission, and shows it in 进度', async () => {
    const a = new Applicant(h, 'ou_more_submit');
    const fx = validApplication(weihai);
    fx.answers.unitCreditCode = '91350100M000100Y43';
    await begin(a, weihai);
    const firstStep = a.card!;
    await advanceTo(a, fx);
    await attachAll(a, fx);
    await a.click((b) => b.value.a === 'j.review');
    // Their own answers, unmasked: the ID number and the phone as typed (others see them masked).
    const summary = JSON.stringify(a.card);
    expect(summary).toContain(LEADER_ID);
    expect(summary).toContain('13812345678');
    expect(summary).not.toMatch(/&#42;|\*{4}/);
    await a.click((b) => b.value.a === 'j.submit', { evidenceVerified: true, truthful: true });
    const number = /WH2024-\d{4}/.exec(textOf(a.card!))![0];
    // An old step card can no longer change anything.
    await a.click(isNext, { unitName: '改过的名字' }, { card: firstStep });
    expect(textOf(a.card!)).toContain(number);
    const row = await h.db.client.application.findFirstOrThrow({ where: { number } });
    expect(JSON.parse(row.answers).unitName).toBe(fx.answers.unitName);
    await a.say('进度');
    expect(textOf(a.card!)).toMatch(new RegExp(`${number}[\\s\\S]*已提交，审核中`));
    expect(textOf(a.card!)).toContain('区市人社部门审核推荐');
    expect(buttonsOf(a.card!).some((b) => b.text === '继续填写')).toBe(false);
  });
});
