// LARK_MODE=ws: what the SDK's WSClient hands its EventDispatcher (header and event flattened,
// card callbacks as card.action.trigger) reaches the same inbox and the same callback path as the
// HTTP receiver: a message gets its reply, a redelivery is processed once, a click gets its card.
// (The WebSocket itself is Lark's protocol and needs Lark's gateway; the dispatch path is ours.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, messageEvent } from '../../src/emulator/signing.js';
import { envelopeFromDispatched, longConnectionDispatcher } from '../../src/lark/long-connection.js';
import { createLogger } from '../../src/log.js';
import { type CardJson, textOf } from '../helpers/applicant.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';

describe('events and callbacks over the long connection', () => {
  let h: Harness;
  let dispatcher: ReturnType<typeof longConnectionDispatcher>;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_IDS: 'ou_admin' } });
    dispatcher = longConnectionDispatcher(h.app.services.receive, createLogger('silent'));
  });
  afterAll(async () => h?.close());

  it('rebuilds the envelope from the flattened form, the card token included', () => {
    const e = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_a',
      openMessageId: 'om_1',
      openChatId: 'oc_1',
      value: { a: 'x' },
      cardToken: 'c-token',
    });
    const flat = { schema: e.schema, ...e.header, ...e.event } as Record<string, unknown>;
    const envelope = envelopeFromDispatched(flat);
    expect(envelope).toMatchObject({ eventId: e.header.event_id, eventType: 'card.action.trigger', appId: APP_ID });
    expect(envelope.event).toEqual(e.event);
  });

  it('a message arrives in the inbox and is answered; the same event again is processed once', async () => {
    const chatId = h.emulator.p2pChatId('ou_ws_user');
    const event = messageEvent({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      sender: { open_id: 'ou_ws_user' },
      chatId,
      chatType: 'p2p',
      text: '帮助',
      emulator: h.emulator,
    });
    // Exactly what WSClient passes: the parsed frame, checked by the connection, not by signature.
    await dispatcher.invoke(event, { needCheck: false });
    await dispatcher.invoke(event, { needCheck: false });
    await waitFor('the help card', () => h.emulator.messagesTo(chatId).find((m) => m.content.includes('帮助')));
    await settle(h.db);
    expect(h.emulator.messagesTo(chatId).filter((m) => m.sender_type === 'app')).toHaveLength(1);
    expect(await h.db.client.inboxEvent.count({ where: { eventId: event.header.event_id } })).toBe(1);
  });

  it('an event whose body does not fit its type, or nests absurdly deep, is dropped as over HTTP: nothing stored', async () => {
    const before = await h.db.client.inboxEvent.count();
    const chatId = h.emulator.p2pChatId('ou_ws_bad');
    const good = messageEvent({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      sender: { open_id: 'ou_ws_bad' },
      chatId,
      chatType: 'p2p',
      text: '帮助',
      emulator: h.emulator,
    });
    const misshapen = { ...good, header: { ...good.header, event_id: 'ws-misshapen' }, event: { ...good.event, message: { chat_id: 42 } } };
    let nested: unknown = 'x';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const deep = { ...good, header: { ...good.header, event_id: 'ws-deep' }, event: { ...good.event, extra: nested } };
    await dispatcher.invoke(misshapen, { needCheck: false });
    await dispatcher.invoke(deep, { needCheck: false });
    expect(await h.db.client.inboxEvent.count()).toBe(before);
    // A callback nesting absurdly deep gets an error toast, not a crash.
    const click = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_ws_bad',
      openMessageId: 'om_y',
      openChatId: 'oc_y',
      value: { a: 'j.list', extra: nested },
      emulator: h.emulator,
    });
    expect(await dispatcher.invoke(click, { needCheck: false })).toMatchObject({ toast: { type: 'error' } });
  });

  it('a card callback is answered over the connection with the replacement card', async () => {
    const click = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: 'ou_ws_user',
      openMessageId: 'om_x',
      openChatId: 'oc_x',
      value: { a: 'j.list' },
      emulator: h.emulator,
    });
    const answer = (await dispatcher.invoke(click, { needCheck: false })) as { card?: { data: CardJson } };
    expect(answer.card?.data).toBeDefined();
    expect(textOf(answer.card!.data)).toContain('申报');
  });

  it('with LARK_MODE=ws the app asks Lark for its long-connection endpoint at start, and still serves /healthz', async () => {
    // The SDK only opens connections for app ids shaped like Lark's (cli_ + 16 hex digits).
    const ws = await startHarness({ env: { ADMIN_IDS: 'ou_admin', LARK_MODE: 'ws', LARK_APP_ID: 'cli_0123456789abcdef' } });
    try {
      const ask = await waitFor('the SDK to ask for the WebSocket endpoint', () => ws.emulator.calls.find((c) => c.path === '/callback/ws/endpoint'), 10_000);
      expect(ask.body).toMatchObject({ AppID: 'cli_0123456789abcdef' });
      const health = await fetch(`${ws.apps[0]!.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await ws.close();
    }
  });
});
