import { createHash } from 'node:crypto';
import { CardActionHandler, Client, EventDispatcher } from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import {
  botAddedEvent,
  botDeletedEvent,
  buildPush,
  cardAction,
  decrypt,
  encrypt,
  menuEvent,
  messageEvent,
  p2pEnteredEvent,
  signHeaders,
  urlVerification,
} from '../../src/emulator/signing.js';

const KEY = 'encrypt-key-for-tests';
const VTOKEN = 'verification-token';
const ALICE = 'ou_alice000000000000000000000000001';
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

// What the SDK's webhook adapters hand to invoke(): parsed body with the headers on its prototype.
const asSdkInput = (push: { body: string; headers: Record<string, string> }): Record<string, unknown> =>
  Object.assign(Object.create({ headers: push.headers }) as Record<string, unknown>, JSON.parse(push.body) as Record<string, unknown>);

describe('signing helper', () => {
  it('round-trips encrypt/decrypt and uses a fresh IV', () => {
    const a = encrypt(KEY, '{"hello":"世界"}');
    const b = encrypt(KEY, '{"hello":"世界"}');
    expect(a).not.toBe(b);
    expect(decrypt(KEY, a)).toBe('{"hello":"世界"}');
  });

  it('signs like an independent computation', () => {
    const h = signHeaders(KEY, '{"encrypt":"abc"}', { timestamp: 1700000000, nonce: 'n1' });
    const expected = createHash('sha256').update(`1700000000n1${KEY}{"encrypt":"abc"}`).digest('hex');
    expect(h).toEqual({ 'x-lark-request-timestamp': '1700000000', 'x-lark-request-nonce': 'n1', 'x-lark-signature': expected });
  });

  it('buildPush encrypts and signs with a key, sends plain JSON without', () => {
    const payload = messageEvent({ appId: 'cli_test', token: VTOKEN, sender: { open_id: ALICE }, chatId: 'oc_1', chatType: 'p2p', text: '帮助' });
    const push = buildPush({ encryptKey: KEY, verificationToken: VTOKEN, payload });
    const parsed = JSON.parse(push.body) as { encrypt: string };
    expect(Object.keys(parsed)).toEqual(['encrypt']);
    expect(JSON.parse(decrypt(KEY, parsed.encrypt))).toEqual(payload);
    const ts = push.headers['x-lark-request-timestamp']!;
    const nonce = push.headers['x-lark-request-nonce']!;
    expect(push.headers['x-lark-signature']).toBe(
      createHash('sha256')
        .update(ts + nonce + KEY + push.body)
        .digest('hex'),
    );
    expect(push.headers['content-type']).toMatch(/^application\/json/);

    const plain = buildPush({ verificationToken: VTOKEN, payload });
    expect(JSON.parse(plain.body)).toEqual(payload);
    expect(plain.headers['x-lark-signature']).toBeUndefined();
  });

  it('builds payloads the SDK dispatcher verifies, decrypts and routes', async () => {
    const seen: Record<string, unknown>[] = [];
    const record = (d: Record<string, unknown>) => void seen.push(d);
    const dispatcher = new EventDispatcher({ encryptKey: KEY, verificationToken: VTOKEN, logger: quiet }).register({
      'im.message.receive_v1': record,
      'im.chat.member.bot.added_v1': record,
      'im.chat.member.bot.deleted_v1': record,
      'im.chat.access_event.bot_p2p_chat_entered_v1': record,
      'application.bot.menu_v6': record,
    });
    const common = { appId: 'cli_test', token: VTOKEN };
    const payloads = [
      messageEvent({
        ...common,
        sender: { open_id: ALICE },
        chatId: 'oc_1',
        chatType: 'group',
        text: '@_user_1 帮助',
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'Bot' }],
      }),
      botAddedEvent({ ...common, chatId: 'oc_1', name: '群', operatorOpenId: ALICE }),
      botDeletedEvent({ ...common, chatId: 'oc_1', name: '群', operatorOpenId: ALICE }),
      p2pEnteredEvent({ ...common, chatId: 'oc_2', operatorOpenId: ALICE }),
      menuEvent({ ...common, operatorOpenId: ALICE, eventKey: 'help' }),
    ];
    for (const payload of payloads) await dispatcher.invoke(asSdkInput(buildPush({ encryptKey: KEY, verificationToken: VTOKEN, payload })));
    expect(seen.map((d) => d.event_type)).toEqual([
      'im.message.receive_v1',
      'im.chat.member.bot.added_v1',
      'im.chat.member.bot.deleted_v1',
      'im.chat.access_event.bot_p2p_chat_entered_v1',
      'application.bot.menu_v6',
    ]);
    const msg = seen[0] as {
      message: { content: string; chat_type: string; mentions: { id: { open_id: string; union_id: string } }[] };
      sender: { sender_type: string; sender_id: { open_id: string; user_id: string } };
      token: string;
    };
    expect(JSON.parse(msg.message.content)).toEqual({ text: '@_user_1 帮助' });
    expect(msg.message.mentions[0]?.id.union_id).toMatch(/^on_/);
    expect(msg.sender).toMatchObject({ sender_type: 'user', sender_id: { open_id: ALICE } });
    expect(msg.token).toBe(VTOKEN);
    expect((seen[4] as { event_key: string }).event_key).toBe('help');

    // A tampered body fails the SDK's signature check.
    const push = buildPush({ encryptKey: KEY, verificationToken: VTOKEN, payload: payloads[0]! });
    const tampered = { ...push, headers: { ...push.headers, 'x-lark-signature': '0'.repeat(64) } };
    expect(await dispatcher.invoke(asSdkInput(tampered))).toBeUndefined();
  });

  it('builds url_verification', () => {
    expect(urlVerification({ token: VTOKEN, challenge: 'c1' })).toEqual({ challenge: 'c1', token: VTOKEN, type: 'url_verification' });
  });
});

describe('signing helper wired to the emulator', () => {
  let emu: LarkEmulator;
  let client: Client;

  beforeAll(async () => {
    emu = await startLarkEmulator();
    emu.addUser({ open_id: ALICE, name: '张三' });
    client = new Client({ appId: 'cli_test', appSecret: 'secret_test', domain: emu.url, logger: quiet });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('lets the bot reply to a user message and shows both in the chat log', async () => {
    const chatId = emu.p2pChatId(ALICE);
    const ev = messageEvent({ appId: 'cli_test', token: VTOKEN, sender: { open_id: ALICE }, chatId, chatType: 'p2p', text: '帮助', emulator: emu });
    const userMsgId = (ev.event as { message: { message_id: string } }).message.message_id;
    const reply = await client.im.message.reply({ path: { message_id: userMsgId }, data: { msg_type: 'text', content: JSON.stringify({ text: '菜单' }) } });
    expect(reply.data?.parent_id).toBe(userMsgId);
    expect(emu.chatLog(chatId).map((m) => [m.sender_type, JSON.parse(m.content).text])).toEqual([
      ['user', '帮助'],
      ['app', '菜单'],
    ]);
  });

  it('card action tokens update the card twice at most, within the SDK card handler too', async () => {
    const sent = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'interactive', content: JSON.stringify({ elements: [] }) },
    });
    const messageId = sent.data!.message_id!;
    const ev = cardAction({
      appId: 'cli_test',
      token: VTOKEN,
      operatorOpenId: ALICE,
      openMessageId: messageId,
      openChatId: sent.data!.chat_id!,
      value: { action: 'ok' },
      emulator: emu,
    });
    const e = ev.event as { token: string; action: { value: unknown; timezone: string }; context: { open_message_id: string } };
    expect(e.token).toMatch(/^c-/);
    expect(e.context.open_message_id).toBe(messageId);

    let got: Record<string, unknown> | undefined;
    const handler = new CardActionHandler({ encryptKey: KEY, verificationToken: VTOKEN, logger: quiet }, async (d: Record<string, unknown>) => {
      got = d;
      return {};
    });
    await handler.invoke(asSdkInput(buildPush({ encryptKey: KEY, verificationToken: VTOKEN, payload: ev })));
    expect(got?.token).toBe(e.token);

    const update = (n: number) =>
      client.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token: e.token, card: { elements: [{ tag: 'markdown', content: `v${n}` }] } },
      });
    expect(await update(1)).toEqual({ code: 0, msg: 'success' });
    await update(2);
    await expect(update(3)).rejects.toMatchObject({ response: { status: 400 } });
    const m = emu.messages.find((x) => x.message_id === messageId)!;
    expect(m.updates.map((u) => u.via)).toEqual(['card_update', 'card_update']);
    expect(JSON.parse(m.content)).toEqual({ elements: [{ tag: 'markdown', content: 'v2' }] });
  });

  it('bot removal makes sends to the chat fail', async () => {
    emu.addChat({ chat_id: 'oc_gone', name: '将解散' });
    botDeletedEvent({ appId: 'cli_test', token: VTOKEN, chatId: 'oc_gone', name: '将解散', operatorOpenId: ALICE, emulator: emu });
    await expect(
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_gone', msg_type: 'text', content: '{"text":"x"}' } }),
    ).rejects.toMatchObject({ response: { data: { code: 230002 } } });
  });
});
