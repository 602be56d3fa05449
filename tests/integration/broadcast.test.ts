// Broadcasts: 300 groups synced from Lark's chat list each receive the notice exactly once, within
// Lark's rates; the report card updates itself to "300 sent"; chats that fail permanently are
// listed and "重发失败的" resends only them; non-administrators are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';

const GROUPS = 300;
const TITLE = '关于申报2024年度技能大师工作室的通知';

describe('broadcast to 300 groups', () => {
  let clock = new Date('2024-07-15T10:00:00+08:00');
  let h: Harness;
  let admin: Applicant;
  const chats = Array.from({ length: GROUPS }, (_, i) => `oc_group_${String(i).padStart(3, '0')}`);
  const broken = chats.slice(10, 13);
  const noticesIn = (chatId: string) => h.emulator.messagesTo(chatId).filter((m) => m.content.includes(TITLE));

  beforeAll(async () => {
    h = await startHarness({ now: () => clock, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    for (const [i, c] of chats.entries()) h.emulator.addChat({ chat_id: c, name: i < 100 ? `区人社局群${i}` : `企业群${i}` });
  });
  afterAll(async () => h?.close());

  it('syncs the group list from Lark and lets administrators tag groups', async () => {
    await admin.say('通知');
    await admin.click('管理群聊');
    await admin.click('从飞书同步群列表');
    expect(await h.db.client.groupChat.count({ where: { active: true } })).toBe(GROUPS);
    const save = admin.button((b) => b.value.a === 'g.tag' && b.value.chat === chats[0]);
    await admin.click((b) => b.value.a === 'g.tag' && b.value.chat === chats[0], { [String(save.value.f)]: '区人社局, 试点' });
    expect(JSON.parse((await h.db.client.groupChat.findUniqueOrThrow({ where: { chatId: chats[0]! } })).tags)).toEqual(['区人社局', '试点']);
  });

  it('refuses non-administrators', async () => {
    const stranger = new Applicant(h, 'ou_stranger');
    await stranger.say('通知');
    expect(textOf(stranger.card!)).toContain('没有权限');
    await stranger.clickRaw({ value: { a: 'b.preview' } }, { title: 'x', body: 'y', audience: 'all' });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    await stranger.clickRaw({ value: { a: 'b.cancel', b: 'any' } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    expect(await h.db.client.broadcast.count()).toBe(0);
  });

  it('delivers once to every group within Lark’s rates, reports progress and failures, and retries only the failed', async () => {
    await admin.say('通知');
    await admin.click((b) => b.value.a === 'b.preview', {
      title: TITLE,
      body: '各区市人社局、各企业：\n请于7月31日前完成申报。',
      campaign: 'weihai-2024',
      audience: 'all',
    });
    expect(textOf(admin.card!)).toContain(`将发往 ${GROUPS} 个群`);
    const reportMessage = admin.messageId!;
    // Three groups remove the bot just before sending: Lark refuses them permanently.
    for (const c of broken) h.emulator.setBotInChat(c, false);
    const send = admin.button((b) => b.value.a === 'b.send');
    await admin.clickRaw(send);
    await admin.clickRaw(send); // a second click sends nothing more

    await waitFor(
      'every working group to receive the notice',
      () => chats.filter((c) => !broken.includes(c)).every((c) => noticesIn(c).length >= 1),
      60_000,
      100,
    );
    await settle(h.db, 30_000);
    for (const c of chats) expect(noticesIn(c)).toHaveLength(broken.includes(c) ? 0 : 1);
    // The emulator enforces Lark's 50/s per app and 5/s per chat; the pacer keeps us under them, so
    // 297 sends need at least five seconds, and only some arrivals bunch up into a 429 (unpaced,
    // about 250 of 300 would be refused; under a loaded test machine we see 5 to 40).
    const creates = h.emulator.calls
      .filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && c.status === 200)
      .map((c) => c.at)
      .sort((a, b) => a - b);
    expect(creates.at(-1)! - creates[0]!).toBeGreaterThanOrEqual(Math.floor((creates.length - 50) / 50) * 1000);
    // A send Lark throttles anyway (arrivals bunch up) is retried after the reset: still exactly once.
    const throttled = h.emulator.calls.filter((c) => c.status === 429).length;
    expect(throttled).toBeLessThan(GROUPS / 5);

    const report = () => h.emulator.messages.find((m) => m.message_id === reportMessage)!;
    await waitFor(
      'the report card to show the result',
      () => report().content.includes(`已发送 ${GROUPS - broken.length}`) && report().content.includes('失败 3'),
      60_000,
    );
    expect(report().content).toContain('重发失败的');

    for (const c of broken) h.emulator.setBotInChat(c, true);
    await admin.click((b) => b.value.a === 'b.retry', {}, { card: JSON.parse(report().content) as CardJson }); // the card as patched in the chat
    expect(admin.lastToast?.content).toBe('重发 3 个群');
    await waitFor('the failed groups to receive it', () => broken.every((c) => noticesIn(c).length === 1), 60_000);
    await settle(h.db);
    await waitFor('the report card to reach all sent', () => report().content.includes(`已发送 ${GROUPS}`), 60_000);
    for (const c of chats) expect(noticesIn(c)).toHaveLength(1);
  });

  it('开始申报 on the group card sends the introduction to the clicker’s private chat', async () => {
    const member = new Applicant(h, 'ou_group_member');
    member.card = JSON.parse(noticesIn(chats[0]!)[0]!.content);
    await member.click('开始申报');
    expect(member.lastToast?.content).toBe('申报入口已发到您与助手的私聊中');
    const intro = await member.received((c) => textOf(c).includes('开始填写'));
    expect(textOf(intro)).toContain('2024年度威海市技能大师工作室申报');
  });

  it('sends a scheduled broadcast once when its time comes, refuses a past time, and never sends a cancelled one', async () => {
    const SCHEDULED = '关于延长申报时间的通知';
    const scheduledIn = (chatId: string) => h.emulator.messagesTo(chatId).filter((m) => m.content.includes(SCHEDULED));
    const pilot = chats[0]!; // tagged 试点 by the first test
    const preview = (b: { value: Record<string, unknown> }) => b.value.a === 'b.preview';
    const form = (sendAt: string) => ({ title: SCHEDULED, body: '申报截止时间延长至7月31日。', audience: 'tag', tags: ['试点'], sendAt });

    await admin.say('通知');
    await admin.click(preview, form('2024-07-15 09:00 +0800'));
    expect(admin.lastToast?.content).toBe('定时发送的时间已经过去，请选择以后的时间，或不选（立即发送）');
    expect(textOf(admin.card!)).toContain('定时发送的时间已经过去');
    await admin.click(preview, form('2024-07-16 09:00 +0800'));
    expect(textOf(admin.card!)).toContain('将发往 1 个群（标签：试点），定时 2024年7月16日 09:00');
    const reportMessage = admin.messageId!;
    await admin.click((b) => b.value.a === 'b.send');
    expect(admin.lastToast?.content).toBe('将于 2024年7月16日 09:00 发送');
    expect(textOf(admin.card!)).toContain('通知已定时');

    await h.app.services.runScheduled();
    await settle(h.db);
    expect(scheduledIn(pilot)).toHaveLength(0);

    clock = new Date('2024-07-16T09:00:30+08:00');
    await Promise.all([h.app.services.runScheduled(), h.app.services.runScheduled()]);
    await waitFor('the scheduled notice in the tagged group', () => scheduledIn(pilot).length === 1);
    await settle(h.db);
    expect(chats.map((c) => scheduledIn(c).length)).toEqual(chats.map((c) => (c === pilot ? 1 : 0)));
    const report = () => h.emulator.messages.find((m) => m.message_id === reportMessage)!;
    await waitFor('the report card to show it sent', () => report().content.includes('已发送 1'), 60_000);

    // A second one, cancelled before its time.
    const CANCELLED = '关于召开申报培训会的通知';
    await admin.say('通知');
    await admin.click(preview, { ...form('2024-07-17 15:00'), title: CANCELLED });
    await admin.click((b) => b.value.a === 'b.send');
    await admin.click((b) => b.value.a === 'b.cancel');
    expect(admin.lastToast?.content).toBe('已取消定时发送');
    expect(textOf(admin.card!)).toContain('定时通知已取消');
    clock = new Date('2024-07-18T09:00:00+08:00');
    await h.app.services.runScheduled();
    await settle(h.db);
    expect(h.emulator.messages.filter((m) => m.content.includes(CANCELLED) && m.chat_id !== admin.chatId)).toHaveLength(0);
    expect((await h.db.client.broadcast.findFirstOrThrow({ where: { title: CANCELLED } })).status).toBe('cancelled');
  });
});
