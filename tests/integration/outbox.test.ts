// The outbox against an unreliable Lark: rate limits, expired tokens, server errors, bad requests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardAction, messageEvent } from '../../src/emulator/signing.js';
import { enqueue, type Outgoing } from '../../src/outbox/outbox.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';

const CREATE = '/open-apis/im/v1/messages';

describe('outbox delivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.emulator.reset());

  const creates = () => h.emulator.calls.filter((c) => c.method === 'POST' && c.path === CREATE);

  it('after two 429s with x-ogw-ratelimit-reset delivers exactly one message, each retry after the reset time', async () => {
    h.emulator.injectFault({ method: 'POST', path: CREATE, times: 2, status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '1' } });
    const chat = h.emulator.p2pChatId('ou_rate_limited');
    await h.push(h.text('ou_rate_limited', '帮助'));
    await waitFor('the message after two rate limits', () => h.emulator.messagesTo(chat).length === 1, 20_000);
    await settle(h.db);
    const calls = creates();
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(1000);
    expect(h.emulator.messagesTo(chat)).toHaveLength(1);
    // All three attempts carried the same uuid: the row id.
    expect(new Set(calls.map((c) => (c.body as { uuid?: string }).uuid)).size).toBe(1);
    // A rate limit is not the row's fault: it does not use up attempts.
    // Paced (and found) by the person: replies go to their open_id.
    const row = await h.db.client.outboxMessage.findFirstOrThrow({ where: { pacingKey: 'ou_rate_limited' } });
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('refreshes an invalid tenant token once and delivers', async () => {
    const chat = h.emulator.p2pChatId('ou_token');
    await h.push(h.text('ou_token', '帮助'));
    await waitFor('first message', () => h.emulator.messagesTo(chat).length === 1);
    h.emulator.invalidateTokens();
    const tokensBefore = h.emulator.calls.filter((c) => c.path.includes('tenant_access_token')).length;
    await h.push(h.text('ou_token', '帮助'));
    await waitFor('second message', () => h.emulator.messagesTo(chat).length === 2);
    const codes = creates().map((c) => c.code);
    expect(codes).toEqual([0, 99991663, 0]);
    expect(h.emulator.calls.filter((c) => c.path.includes('tenant_access_token')).length).toBe(tokensBefore + 1);
  });

  it('retries 500s with backoff and delivers once', async () => {
    h.emulator.injectFault({ method: 'POST', path: CREATE, times: 2, status: 500, code: 500 });
    const chat = h.emulator.p2pChatId('ou_server_error');
    await h.push(h.text('ou_server_error', '帮助'));
    await waitFor('the message after two 500s', () => h.emulator.messagesTo(chat).length === 1, 20_000);
    await settle(h.db);
    expect(creates().map((c) => c.status)).toEqual([500, 500, 200]);
    expect(h.emulator.messagesTo(chat)).toHaveLength(1);
  });

  it('marks a request Lark refuses as bad input dead at once, visible in /healthz', async () => {
    const id = await h.db.transaction((tx) =>
      enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: 'oc_bot_was_never_here', msgType: 'text', content: { text: '你好' } }),
    );
    h.app.services.outbox.worker.notify();
    const row = await waitFor('the row to go dead', async () => {
      const r = await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id } });
      return r.status === 'dead' ? r : null;
    });
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/permanent/);
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { outbox: { dead: number } };
    expect(health.outbox.dead).toBeGreaterThanOrEqual(1);
  });

  it('paces a burst to one chat at Lark’s 5 messages per second without being throttled', async () => {
    const chat = 'oc_pacing_group';
    h.emulator.addChat({ chat_id: chat, name: '节奏测试群' });
    await h.db.transaction(async (tx) => {
      for (let i = 0; i < 12; i++) {
        await enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: chat, msgType: 'text', content: { text: `第 ${i + 1} 条` } });
      }
    });
    h.app.services.outbox.worker.notify();
    await waitFor('12 messages', () => h.emulator.messagesTo(chat).length === 12, 20_000);
    const calls = creates();
    expect(calls.every((c) => c.status === 200)).toBe(true);
    const times = calls.map((c) => c.at);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    // Messages to one chat keep the order they were written in.
    expect(h.emulator.messagesTo(chat).map((m) => JSON.parse(m.content).text)).toEqual(Array.from({ length: 12 }, (_, i) => `第 ${i + 1} 条`));
  });

  async function send(message: Outgoing): Promise<string> {
    const id = await h.db.transaction((tx) => enqueue(tx, message));
    h.app.services.outbox.worker.notify();
    await waitFor(
      `outbox row ${message.kind} to be done`,
      async () => (await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id } })).status === 'done',
    );
    return id;
  }

  it('uploads a file through the file API and sends it as a file message', async () => {
    const chat = 'oc_files';
    h.emulator.addChat({ chat_id: chat, name: '文件群' });
    const dir = mkdtempSync(join(tmpdir(), 'smsb-file-'));
    const path = join(dir, '申报表.docx');
    writeFileSync(path, Buffer.from('PK fake docx bytes 申报表'));
    await send({ kind: 'file', receiveIdType: 'chat_id', receiveId: chat, fileName: '申报表.docx', fileType: 'doc', path });
    const [message] = h.emulator.messagesTo(chat);
    expect(message?.msg_type).toBe('file');
    const key = JSON.parse(message!.content).file_key as string;
    expect(h.emulator.getFile(key)?.data.toString()).toBe('PK fake docx bytes 申报表');
  });

  it('uploads an image and sends it as an image message', async () => {
    const chat = 'oc_images';
    h.emulator.addChat({ chat_id: chat, name: '图片群' });
    const dir = mkdtempSync(join(tmpdir(), 'smsb-img-'));
    const path = join(dir, 'chart.png');
    writeFileSync(path, Buffer.from('89504e470d0a1a0a0000', 'hex'));
    await send({ kind: 'image', receiveIdType: 'chat_id', receiveId: chat, path });
    const [message] = h.emulator.messagesTo(chat);
    expect(message?.msg_type).toBe('image');
    expect(h.emulator.getImage(JSON.parse(message!.content).image_key)).toBeTruthy();
  });

  it('patches a sent card, and updates one through a callback token', async () => {
    const chat = 'oc_cards';
    h.emulator.addChat({ chat_id: chat, name: '卡片群' });
    const v1 = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '第一版' }] } };
    const id = await send({ kind: 'send', receiveIdType: 'chat_id', receiveId: chat, msgType: 'interactive', content: v1 });
    const sent = JSON.parse((await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id } })).result!) as { messageId: string };
    const v2 = { ...v1, body: { elements: [{ tag: 'markdown', content: '第二版' }] } };
    await send({ kind: 'patch', messageId: sent.messageId, chatId: chat, card: v2 });
    expect(h.emulator.messagesTo(chat)[0]!.content).toContain('第二版');

    const action = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_c',
      openMessageId: sent.messageId,
      openChatId: chat,
      emulator: h.emulator,
    });
    const token = (action.event as { token: string }).token;
    const v3 = { ...v1, body: { elements: [{ tag: 'markdown', content: '第三版' }] } };
    await send({ kind: 'card_update', token, chatId: chat, card: v3 });
    const message = h.emulator.messagesTo(chat)[0]!;
    expect(message.content).toContain('第三版');
    expect(message.updates.map((u) => u.via)).toEqual(['patch', 'card_update']);
  });

  it('an earlier patch that comes due after a later one of the same card is not sent (the card keeps the newer state)', async () => {
    const chat = 'oc_report';
    h.emulator.addChat({ chat_id: chat, name: '进度群' });
    const v = (text: string) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: text }] } });
    const id = await send({ kind: 'send', receiveIdType: 'chat_id', receiveId: chat, msgType: 'interactive', content: v('已发送 0') });
    const { messageId } = JSON.parse((await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id } })).result!) as { messageId: string };
    // Written in order (100, then 300), but the first is held back (as a postponement or a lost lease would).
    const [older, newer] = await h.db.transaction(async (tx) => [
      await enqueue(tx, { kind: 'patch', messageId, chatId: chat, card: v('已发送 100') }, 'report', new Date(Date.now() + 1_500)),
      await enqueue(tx, { kind: 'patch', messageId, chatId: chat, card: v('已发送 300') }, 'report'),
    ]);
    h.app.services.outbox.worker.notify();
    for (const row of [newer, older])
      await waitFor(`patch ${row} done`, async () => (await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id: row } })).status === 'done', 15_000);
    const message = h.emulator.messagesTo(chat)[0]!;
    expect(message.content).toContain('已发送 300');
    expect(message.updates.map((u) => u.via)).toEqual(['patch']);
    expect(JSON.parse((await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id: older } })).result!)).toEqual({ superseded: newer });
  });

  it('a card sent more than 14 days ago is not patched but sent afresh, and later patches follow the fresh card', async () => {
    const person = 'ou_old_card_reader';
    const card = (text: string) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: text }] } });
    const id = await send({ kind: 'send', receiveIdType: 'open_id', receiveId: person, msgType: 'interactive', content: card('任务：待审核') });
    const first = JSON.parse((await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id } })).result!) as { messageId: string };
    // Fifteen days pass (in Lark and in our record of the send).
    h.emulator.ageMessage(first.messageId, 15 * 24 * 3600_000);
    await h.db.client.outboxMessage.update({ where: { id }, data: { doneAt: new Date(Date.now() - 15 * 24 * 3600_000) } });
    await send({ kind: 'patch', outboxRef: id, chatId: person, card: card('任务：已由他人处理') });
    const inChat = () => h.emulator.messagesTo(person);
    expect(inChat()).toHaveLength(2);
    expect(inChat()[0]!.content).toContain('任务：待审核');
    expect(inChat()[1]!.content).toContain('任务：已由他人处理');
    // No patch was tried on the old card (Lark would refuse it with 230031).
    expect(h.emulator.calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    // The next update of the same card patches the fresh one.
    await send({ kind: 'patch', outboxRef: id, chatId: person, card: card('任务：已撤回') });
    expect(inChat()).toHaveLength(2);
    expect(inChat()[1]!.content).toContain('任务：已撤回');

    // Our record says recent, Lark says too old (230031): sent afresh all the same.
    const other = await send({ kind: 'send', receiveIdType: 'open_id', receiveId: 'ou_clock_skew', msgType: 'interactive', content: card('一') });
    const sent = JSON.parse((await h.db.client.outboxMessage.findUniqueOrThrow({ where: { id: other } })).result!) as { messageId: string };
    h.emulator.ageMessage(sent.messageId, 15 * 24 * 3600_000);
    await send({ kind: 'patch', messageId: sent.messageId, chatId: 'ou_clock_skew', card: card('二') });
    expect(h.emulator.calls.filter((c) => c.method === 'PATCH').map((c) => c.code)).toEqual([0, 230031]);
    expect(h.emulator.messagesTo('ou_clock_skew').map((m) => m.content.includes('二'))).toEqual([false, true]);
  });

  it('refuses an event whose body does not fit its type before storing anything', async () => {
    const event = messageEvent({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      sender: { open_id: 'ou_broken' },
      chatId: 'oc_broken',
      chatType: 'p2p',
      text: '帮助',
    });
    delete (event.event as { message?: unknown }).message;
    expect((await h.push(event)).status).toBe(400);
    expect(await h.db.client.inboxEvent.count({ where: { eventId: event.header.event_id } })).toBe(0);
  });

  it('acknowledges event types the bot does not handle, storing nothing', async () => {
    const event = {
      schema: '2.0',
      header: {
        event_id: 'ev_other_type',
        event_type: 'contact.user.updated_v3',
        create_time: String(Date.now()),
        token: VERIFICATION_TOKEN,
        app_id: APP_ID,
        tenant_key: 't',
      },
      event: { anything: 1 },
    };
    expect((await h.push(event)).status).toBe(200);
    expect(await h.db.client.inboxEvent.count({ where: { eventId: 'ev_other_type' } })).toBe(0);
  });

  it('parks as dead, with the reason, an event that fits its type but can never be processed', async () => {
    // A row stored before the edge checked bodies (or by an older version): the router refuses it.
    const row = await h.db.client.inboxEvent.create({
      data: {
        id: 'in_broken',
        eventId: 'ev_broken_row',
        eventType: 'im.message.receive_v1',
        payload: JSON.stringify({ eventId: 'ev_broken_row', eventType: 'im.message.receive_v1', createdAt: Date.now(), event: { sender: {} } }),
        orderingKey: null,
      },
    });
    h.app.services.inbox.worker.notify();
    const dead = await waitFor('the event to go dead', async () => {
      const r = await h.db.client.inboxEvent.findUniqueOrThrow({ where: { id: row.id } });
      return r.status === 'dead' ? r : null;
    });
    expect(dead.lastError).toMatch(/UnprocessableEvent: im\.message\.receive_v1/);
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { inbox: { dead: number } };
    expect(health.inbox.dead).toBe(1);
  });
});
