// The one receiver contract: whichever transport calls the handlers (HTTP push or the long
// connection), the checks run first and only what passes reaches the bot.
import { describe, expect, it } from 'vitest';
import type { LarkEnvelope } from '../../src/lark/push.js';
import { checkedHandlers, type ReceiverHandlers } from '../../src/lark/receiver.js';
import { createLogger } from '../../src/log.js';
import type { CallbackAnswer } from '../../src/reply.js';

const REFUSED: CallbackAnswer = { toast: { type: 'error', content: 'refused' } };

function checked() {
  const reached: string[] = [];
  const inner: ReceiverHandlers = {
    onEvent: async (e) => (reached.push(e.eventId), 'stored'),
    onCallback: async (e) => (reached.push(e.eventId), { toast: { type: 'success', content: 'ok' } }),
  };
  return { reached, handlers: checkedHandlers(inner, createLogger('silent'), REFUSED) };
}

const envelope = (eventId: string, eventType: string, event: Record<string, unknown>): LarkEnvelope => ({ eventId, eventType, createdAt: 0, event });

const message = {
  sender: { sender_id: { open_id: 'ou_a' } },
  message: { message_id: 'om_1', chat_id: 'oc_1', chat_type: 'p2p', message_type: 'text', content: '{"text":"帮助"}' },
};

function deeplyNested(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

describe('checkedHandlers', () => {
  it('passes a well-formed event of a handled type on', async () => {
    const { reached, handlers } = checked();
    expect(await handlers.onEvent(envelope('ok', 'im.message.receive_v1', message))).toBe('stored');
    expect(reached).toEqual(['ok']);
  });

  it('acknowledges an event type the bot does not handle without passing it on', async () => {
    const { reached, handlers } = checked();
    expect(await handlers.onEvent(envelope('other', 'contact.user.created_v3', {}))).toBe('ignored');
    expect(await handlers.onEvent(envelope('proto', 'toString', {}))).toBe('ignored');
    expect(reached).toEqual([]);
  });

  it('refuses a misshapen or absurdly deep event body before it reaches the bot', async () => {
    const { reached, handlers } = checked();
    expect(await handlers.onEvent(envelope('bad', 'im.message.receive_v1', { ...message, message: { chat_id: 42 } }))).toMatchObject({
      refused: expect.any(String),
    });
    expect(await handlers.onEvent(envelope('deep', 'im.message.receive_v1', { ...message, extra: deeplyNested(100_000) }))).toMatchObject({
      refused: expect.stringContaining('deeper'),
    });
    expect(reached).toEqual([]);
  });

  it('answers an absurdly deep callback with the refusal, without passing it on', async () => {
    const { reached, handlers } = checked();
    expect(await handlers.onCallback(envelope('deep', 'card.action.trigger', { action: { value: deeplyNested(100_000) } }))).toBe(REFUSED);
    expect(await handlers.onCallback(envelope('click', 'card.action.trigger', { action: { value: { a: 'j.list' } } }))).toEqual({
      toast: { type: 'success', content: 'ok' },
    });
    expect(reached).toEqual(['click']);
  });
});
