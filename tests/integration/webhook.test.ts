// The webhook edge end to end: real HTTP into the app, the real SDK out to the emulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  botAddedEvent,
  botDeletedEvent,
  buildPush,
  cardAction,
  encrypt,
  menuEvent,
  messageEvent,
  p2pEnteredEvent,
  signHeaders,
  urlVerification,
} from '../../src/emulator/signing.js';
import { APP_ID, ENCRYPT_KEY, type Harness, settle, startHarness, VERIFICATION_TOKEN } from '../helpers/harness.js';

const card = (m: { content: string }) => JSON.parse(m.content) as { header?: { title?: { content?: string } }; body: { elements: unknown[] } };
const title = (m: { content: string }) => card(m).header?.title?.content ?? '';

describe('webhook edge with an Encrypt Key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_IDS: 'ou_admin' } });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.emulator.reset());

  async function storedEvents(): Promise<number> {
    return h.db.client.inboxEvent.count();
  }

  it('answers an encrypted, signed 帮助 with exactly one interactive help card to that user', async () => {
    const user = 'ou_help_user';
    const res = await h.push(h.text(user, '帮助'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    await settle(h.db);
    const sent = h.emulator.messagesTo(h.emulator.p2pChatId(user));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.msg_type).toBe('interactive');
    expect(title(sent[0]!)).toContain('帮助');
    expect(sent[0]!.content).toContain('申报');
    // The outbox row id went to Lark as the idempotency uuid.
    const row = await h.db.client.outboxMessage.findFirstOrThrow({ where: { pacingKey: user } });
    expect(sent[0]!.uuid).toBe(row.id);
    expect(row.status).toBe('done');
  });

  it('answers unknown text with the help card, and lists admin commands only for administrators', async () => {
    await h.push(h.text('ou_someone', '你好，请问怎么申请？'));
    await h.push(h.text('ou_admin', '/HELP'));
    await settle(h.db);
    const plain = h.emulator.messagesTo(h.emulator.p2pChatId('ou_someone'));
    const admin = h.emulator.messagesTo(h.emulator.p2pChatId('ou_admin'));
    expect(plain).toHaveLength(1);
    expect(admin).toHaveLength(1);
    expect(plain[0]!.content).not.toContain('通知');
    expect(admin[0]!.content).toContain('通知');
    expect(admin[0]!.content).toContain('管理员');
  });

  it('processes an event delivered three times, one after another, once', async () => {
    const event = h.text('ou_dup_seq', '帮助');
    for (let i = 0; i < 3; i++) expect((await h.push(event)).status).toBe(200);
    await settle(h.db);
    expect(h.emulator.messagesTo(h.emulator.p2pChatId('ou_dup_seq'))).toHaveLength(1);
  });

  it('processes an event delivered three times concurrently once', async () => {
    const event = h.text('ou_dup_par', '帮助');
    const results = await Promise.all([h.push(event), h.push(event), h.push(event)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await settle(h.db);
    expect(h.emulator.messagesTo(h.emulator.p2pChatId('ou_dup_par'))).toHaveLength(1);
  });

  it('treats the same message under a new event id as a duplicate', async () => {
    const messageId = 'om_same_message_0000000000000001';
    await h.push(h.text('ou_dup_msg', '帮助', { messageId }));
    await h.push(h.text('ou_dup_msg', '帮助', { messageId }));
    await settle(h.db);
    expect(h.emulator.messagesTo(h.emulator.p2pChatId('ou_dup_msg'))).toHaveLength(1);
  });

  describe('rejects without storing or sending anything', () => {
    let before: number;
    beforeEach(async () => {
      before = await storedEvents();
    });
    async function expectNothingStored() {
      await new Promise((r) => setTimeout(r, 150));
      expect(await storedEvents()).toBe(before);
      expect(h.emulator.messages).toHaveLength(0);
    }

    it('a wrong signature → 401', async () => {
      const push = buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload: h.text('ou_x', '帮助') });
      push.headers['x-lark-signature'] = push.headers['x-lark-signature']!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      expect((await h.post(push)).status).toBe(401);
      await expectNothingStored();
    });

    it('a body altered after signing → 401', async () => {
      const push = buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload: h.text('ou_x', '帮助') });
      const altered = { ...push, body: push.body.replace('{"encrypt":"', '{"encrypt": "') };
      expect((await h.post(altered)).status).toBe(401);
      await expectNothingStored();
    });

    it('a stale timestamp (10 minutes old) → 401, and one from the future → 401', async () => {
      const old = Math.floor(Date.now() / 1000) - 600;
      expect((await h.push(h.text('ou_x', '帮助'), { timestamp: old })).status).toBe(401);
      expect((await h.push(h.text('ou_x', '帮助'), { timestamp: old + 1200 })).status).toBe(401);
      await expectNothingStored();
    });

    it('missing signature headers on an event → 401', async () => {
      const push = buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload: h.text('ou_x', '帮助') });
      const headers = { 'content-type': 'application/json' };
      expect((await h.post({ body: push.body, headers })).status).toBe(401);
      await expectNothingStored();
    });

    it('a wrong Verification Token inside a correctly signed push → 401', async () => {
      const event = messageEvent({ appId: APP_ID, token: 'not_the_token', sender: { open_id: 'ou_x' }, chatId: 'oc_x', chatType: 'p2p', text: '帮助' });
      const push = buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: 'not_the_token', payload: event });
      expect((await h.post(push)).status).toBe(401);
      await expectNothingStored();
    });

    it('malformed JSON (signed) → 400', async () => {
      const body = '{"encrypt": ';
      expect((await h.post({ body, headers: { 'content-type': 'application/json', ...signHeaders(ENCRYPT_KEY, body) } })).status).toBe(400);
      await expectNothingStored();
    });

    it('bad base64 in encrypt (signed) → 400', async () => {
      const body = JSON.stringify({ encrypt: '!!!not*base64!!!' });
      expect((await h.post({ body, headers: { 'content-type': 'application/json', ...signHeaders(ENCRYPT_KEY, body) } })).status).toBe(400);
      await expectNothingStored();
    });

    it('ciphertext made with another key (signed) → 400', async () => {
      const body = JSON.stringify({ encrypt: encrypt('another key', JSON.stringify(h.text('ou_x', '帮助'))) });
      expect((await h.post({ body, headers: { 'content-type': 'application/json', ...signHeaders(ENCRYPT_KEY, body) } })).status).toBe(400);
      await expectNothingStored();
    });

    it('valid JSON that is not a Lark event (signed) → 400', async () => {
      const payload = { schema: '2.0', header: { event_id: 'e1', token: VERIFICATION_TOKEN }, event: {} };
      expect((await h.push(payload)).status).toBe(400);
      await expectNothingStored();
    });

    it('absurdly deep JSON, signed and encrypted (an event or a card callback) → 400, not 500', async () => {
      const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
      const message = h.text('ou_deep', '帮助') as { event: Record<string, unknown> };
      const eventJson = JSON.stringify({ ...message, event: { ...message.event, extra: '__DEEP__' } }).replace('"__DEEP__"', deep(50_000));
      const sealed = (json: string) => {
        const body = JSON.stringify({ encrypt: encrypt(ENCRYPT_KEY, json) });
        return { body, headers: { 'content-type': 'application/json', ...signHeaders(ENCRYPT_KEY, body) } };
      };
      expect((await h.post(sealed(eventJson))).status).toBe(400);
      const click = cardAction({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        operatorOpenId: 'ou_deep',
        openMessageId: 'om_d',
        openChatId: 'oc_d',
        value: { a: '__DEEP__' },
      });
      const clickJson = JSON.stringify(click).replace('"__DEEP__"', deep(50_000));
      expect((await h.post(sealed(clickJson), { route: '/lark/callbacks' })).status).toBe(400);
      // Unencrypted bodies are checked the same way (the outer JSON is the event itself).
      const plain = eventJson;
      expect((await h.post({ body: plain, headers: { 'content-type': 'application/json', ...signHeaders(ENCRYPT_KEY, plain) } })).status).toBe(400);
      await expectNothingStored();
    });

    it('a body over the size limit → 413', async () => {
      const body = JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 16) });
      expect((await h.post({ body, headers: { 'content-type': 'application/json', ...signHeaders(ENCRYPT_KEY, body) } })).status).toBe(413);
      await expectNothingStored();
    });

    it('an empty body → 400', async () => {
      expect((await h.post({ body: '', headers: { 'content-type': 'application/json' } })).status).toBe(400);
      await expectNothingStored();
    });
  });

  it('answers the encrypted URL challenge (which carries no signature) and checks its token', async () => {
    const ok = await h.post({
      body: JSON.stringify({ encrypt: encrypt(ENCRYPT_KEY, JSON.stringify(urlVerification({ token: VERIFICATION_TOKEN, challenge: 'c-123' }))) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ challenge: 'c-123' });
    const bad = await h.post({
      body: JSON.stringify({ encrypt: encrypt(ENCRYPT_KEY, JSON.stringify(urlVerification({ token: 'wrong', challenge: 'c-1' }))) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(401);
  });

  it('takes events on /lark/callbacks and callbacks on /lark/events', async () => {
    const r1 = await h.push(h.text('ou_routes', '帮助'), { route: '/lark/callbacks' });
    expect(r1.status).toBe(200);
    const action = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_routes',
      openMessageId: 'om_1',
      openChatId: 'oc_1',
      value: { a: 'cmd', c: 'help' },
      emulator: h.emulator,
    });
    const r2 = await h.push(action, { route: '/lark/events' });
    expect(r2.status).toBe(200);
    expect(r2.json).toMatchObject({ toast: { type: 'success' } });
    await settle(h.db);
    // One help card from the message, one from the button: both land in the user's private chat,
    // both addressed to the person (one receiver for Lark's per-person rate limit).
    const sent = h.emulator.messagesTo(h.emulator.p2pChatId('ou_routes'));
    expect(sent.map((m) => m.receive_id_type)).toEqual(['open_id', 'open_id']);
  });

  it('answers a stale card with a warning toast (recording nothing), and a repeated callback only once', async () => {
    const stale = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_cb',
      openMessageId: 'om_2',
      openChatId: 'oc_2',
      value: { action: 'gone' },
      emulator: h.emulator,
    });
    for (let i = 0; i < 2; i++) expect((await h.push(stale, { route: '/lark/callbacks' })).json).toMatchObject({ toast: { type: 'warning' } });
    expect(await h.db.client.inboxEvent.count({ where: { eventId: JSON.parse(JSON.stringify(stale)).header.event_id } })).toBe(0);
    const action = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_cb',
      openMessageId: 'om_2',
      openChatId: 'oc_2',
      value: { a: 'r.todo' },
      emulator: h.emulator,
    });
    const first = await h.push(action, { route: '/lark/callbacks' });
    expect(first.json).toMatchObject({ card: { type: 'raw' } });
    const again = await h.push(action, { route: '/lark/callbacks' });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({});
  });

  it('welcomes a user who opens the bot chat, once', async () => {
    const chatId = h.emulator.p2pChatId('ou_newcomer');
    for (let i = 0; i < 2; i++) {
      await h.push(p2pEnteredEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, chatId, operatorOpenId: 'ou_newcomer', emulator: h.emulator }));
    }
    await settle(h.db);
    const sent = h.emulator.messagesTo(chatId);
    expect(sent).toHaveLength(1);
    expect(title(sent[0]!)).toContain('欢迎');
  });

  it('maps bot menu keys to the same commands', async () => {
    await h.push(menuEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, operatorOpenId: 'ou_menu', eventKey: 'help', emulator: h.emulator }));
    await h.push(menuEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, operatorOpenId: 'ou_menu', eventKey: 'broadcast', emulator: h.emulator }));
    await settle(h.db);
    const sent = h.emulator.messages.filter((m) => m.receive_id === 'ou_menu');
    expect(sent.map(title)).toEqual([expect.stringContaining('帮助'), '没有权限']);
  });

  it('keeps the table of group chats from bot added/removed events, and greets the group', async () => {
    const chatId = 'oc_group_district_01';
    await h.push(
      botAddedEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, chatId, name: '环翠区人社局工作群', operatorOpenId: 'ou_admin', emulator: h.emulator }),
    );
    await settle(h.db);
    expect(await h.db.client.groupChat.findUnique({ where: { chatId } })).toMatchObject({ active: true, name: '环翠区人社局工作群', addedBy: 'ou_admin' });
    expect(h.emulator.messagesTo(chatId)).toHaveLength(1);
    await h.push(
      botDeletedEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, chatId, name: '环翠区人社局工作群', operatorOpenId: 'ou_admin', emulator: h.emulator }),
    );
    await settle(h.db);
    expect(await h.db.client.groupChat.findUnique({ where: { chatId } })).toMatchObject({ active: false });
    expect(await h.db.client.auditLog.count({ where: { subject: chatId } })).toBe(2);
  });

  it('in a group answers only when @-mentioned, and points to the private chat instead of collecting data', async () => {
    const chatId = 'oc_group_enterprises';
    h.emulator.addChat({ chat_id: chatId, name: '企业群' });
    const bot = h.emulator.botOpenId(APP_ID);
    const base = { appId: APP_ID, token: VERIFICATION_TOKEN, sender: { open_id: 'ou_g1' }, chatId, chatType: 'group' as const, emulator: h.emulator };
    await h.push(messageEvent({ ...base, text: '申报' }));
    await h.push(messageEvent({ ...base, text: '@_user_1 申报', mentions: [{ key: '@_user_1', id: { open_id: 'ou_someone_else' }, name: '张三' }] }));
    await h.push(messageEvent({ ...base, text: '@_user_1 申报', mentions: [{ key: '@_user_1', id: { open_id: bot }, name: '技能大师工作室助手' }] }));
    await settle(h.db);
    const sent = h.emulator.messagesTo(chatId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.parent_id).toBeTruthy();
    expect(sent[0]!.content).toContain('私聊');
  });

  it('reports the database in /healthz', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { reachable: true }, inbox: { dead: 0 }, outbox: { dead: 0 } });
  });
});

describe('webhook edge without an Encrypt Key (Verification Token only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ encrypt: false });
  });
  afterAll(async () => h?.close());

  it('accepts a plain event with the right token and answers the plain challenge', async () => {
    expect((await h.push(h.text('ou_plain', '帮助'))).status).toBe(200);
    await settle(h.db);
    expect(h.emulator.messagesTo(h.emulator.p2pChatId('ou_plain'))).toHaveLength(1);
    const c = await h.push(urlVerification({ token: VERIFICATION_TOKEN, challenge: 'plain-1' }));
    expect(c.json).toEqual({ challenge: 'plain-1' });
  });

  it('rejects a wrong token (event and challenge) with 401, and an encrypted push with 400', async () => {
    const before = await h.db.client.inboxEvent.count();
    const forged = messageEvent({ appId: APP_ID, token: 'forged', sender: { open_id: 'ou_f' }, chatId: 'oc_f', chatType: 'p2p', text: '帮助' });
    expect((await h.post(buildPush({ verificationToken: 'forged', payload: forged }))).status).toBe(401);
    expect((await h.post(buildPush({ verificationToken: 'forged', payload: urlVerification({ token: 'forged' }) }))).status).toBe(401);
    expect((await h.post(buildPush({ encryptKey: 'k', verificationToken: VERIFICATION_TOKEN, payload: h.text('ou_f', '帮助') }))).status).toBe(400);
    await new Promise((r) => setTimeout(r, 100));
    expect(await h.db.client.inboxEvent.count()).toBe(before);
  });
});
