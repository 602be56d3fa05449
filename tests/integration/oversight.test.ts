// Keeping the pipeline moving: the reviewers' daily digest, 催办 from the administrators' 待办,
// the application's timeline, and attachments sent to reviewers on request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalOf } from '../helpers/access.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const clock = { now: new Date('2024-07-15T10:00:00+08:00') }; // a Monday
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

describe('oversight (Weihai 2024)', () => {
  let h: Harness;
  let admin: Applicant, reviewer: Applicant, applicant: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    reviewer = new Applicant(h, 'ou_reviewer');
    applicant = new Applicant(h, 'ou_applicant');
    await admin.say('角色');
    await appoint(admin, 'ou_reviewer', { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    const fx = validApplication(weihai);
    await begin(applicant, weihai);
    await advanceTo(applicant, fx);
    await attachAll(applicant, fx);
    await confirmAndSubmit(applicant);
    await reviewer.received((c) => title(c).startsWith('待审核'));
  });
  afterAll(async () => h?.close());

  it('sends the daily digest at 09:00 on working days, once a day', async () => {
    clock.now = new Date('2024-07-16T08:30:00+08:00');
    expect(await h.app.services.oversight.dailyDigest()).toBe(0);
    clock.now = new Date('2024-07-16T09:05:00+08:00');
    expect(await h.app.services.oversight.dailyDigest()).toBe(1);
    expect(await h.app.services.oversight.dailyDigest()).toBe(0);
    h.app.services.outbox.worker.notify();
    const digest = await reviewer.received((c) => title(c) === '待办');
    expect(textOf(digest)).toContain('WH2024-0001');
    clock.now = new Date('2024-07-20T09:30:00+08:00'); // Saturday
    expect(await h.app.services.oversight.dailyDigest()).toBe(0);
  });

  it('shows administrators what waits, and 催办 reminds the reviewer', async () => {
    await admin.say('待办');
    expect(textOf(admin.card!)).toContain('「区市人社部门审核推荐」已等待');
    await admin.click('催办');
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '已提醒1位审核人' });
    await reviewer.received((c) => title(c) === '待办');
  });

  it('shows the timeline to administrators and to the applicant, and to nobody else', async () => {
    await admin.say('待办');
    await admin.click('详情');
    const timeline = textOf(admin.card!);
    for (const step of ['开始填写', '提交申报', '进入环节', '区市人社部门审核推荐', '催办']) expect(timeline).toContain(step);
    const app = await h.db.client.application.findFirstOrThrow();
    await applicant.clickRaw({ value: { a: 'o.detail', app: app.id } });
    expect(textOf(applicant.card!)).toContain('申报详情 · WH2024-0001');
    const stranger = new Applicant(h, 'ou_stranger');
    await stranger.clickRaw({ value: { a: 'o.detail', app: app.id } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    await stranger.clickRaw({ value: { a: 'o.remind', app: app.id } });
    expect(stranger.lastToast).toMatchObject({ type: 'error', content: refusalOf(h, 'o.remind') });
  });

  it('sends an attachment to the reviewer who asks for it', async () => {
    await reviewer.say('待办');
    await reviewer.click('去审核');
    await reviewer.click((b) => b.value.a === 'r.file' && b.text.startsWith('申请报告'));
    expect(reviewer.lastToast?.type).toBe('success');
    await settle(h.db);
    const file = await waitFor('the file in the reviewer’s chat', () => h.emulator.messagesTo(reviewer.chatId).find((m) => m.msg_type === 'file'));
    const key = JSON.parse(file.content).file_key as string;
    expect(h.emulator.getFile(key)?.data.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
