// Poison events end. An attempt is counted when an event is claimed; an event whose handler took
// the process down on its last attempt (its lease ran out) is given up — dead, with the reason —
// and the administrators are told once, however many instances or restarts see it. A handler that
// fails every time is given up the same way after its last attempt.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxEvent } from '../../src/inbox/inbox.js';
import { ABANDONED, LeaseQueue, type QueueTable } from '../../src/queue/lease-queue.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';

describe('poison events', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_IDS: 'ou_admin' }, tick: false });
  });
  afterAll(async () => h?.close());

  const deadCards = () => h.db.client.outboxMessage.findMany({ where: { pacingKey: 'ou_admin', payload: { contains: '一条消息处理失败，已停止处理' } } });

  /** A stored 帮助 message, as if claimed `attempts` times by processes that died while handling it. */
  async function abandoned(user: string, attempts: number): Promise<string> {
    const envelope = h.text(user, '帮助') as { header: { event_id: string; event_type: string; create_time: string }; event: Record<string, unknown> };
    const id = randomUUID();
    await h.db.client.inboxEvent.create({
      data: {
        id,
        eventId: envelope.header.event_id,
        messageId: (envelope.event.message as { message_id: string }).message_id,
        eventType: envelope.header.event_type,
        orderingKey: user,
        payload: JSON.stringify({ eventId: envelope.header.event_id, eventType: envelope.header.event_type, createdAt: Date.now(), event: envelope.event }),
        status: 'leased',
        attempts,
        leaseOwner: 'a-dead-process:1',
        leaseUntil: new Date(Date.now() - 60_000),
      },
    });
    return id;
  }

  it('on its last attempt: given up with the reason, the administrators told once, across restarts; one with attempts left is simply tried again', async () => {
    const last = await abandoned('ou_poisoner', 8);
    const again = await abandoned('ou_unlucky', 3);
    await waitFor(
      'the abandoned event to be given up',
      async () => (await h.db.client.inboxEvent.findUniqueOrThrow({ where: { id: last } })).status === 'dead',
    );
    expect(await h.db.client.inboxEvent.findUniqueOrThrow({ where: { id: last } })).toMatchObject({ status: 'dead', attempts: 8, lastError: ABANDONED });
    await waitFor('the other to be handled', async () => (await h.db.client.inboxEvent.findUniqueOrThrow({ where: { id: again } })).status === 'done');
    expect(await h.db.client.inboxEvent.findUniqueOrThrow({ where: { id: again } })).toMatchObject({ attempts: 4, lastError: null });
    await settle(h.db);
    expect(h.emulator.messagesTo(h.emulator.p2pChatId('ou_poisoner'))).toHaveLength(0);
    expect(h.emulator.messagesTo(h.emulator.p2pChatId('ou_unlucky'))).toHaveLength(1);
    expect(await deadCards()).toHaveLength(1);
    const card = JSON.parse((await deadCards())[0]!.payload) as { content: unknown };
    expect(JSON.stringify(card.content)).toContain('已尝试处理 8 次');
    expect(JSON.stringify(card.content)).toContain('用户发来的消息或文件'); // the event named in words, not its type

    // A restart (a new instance on the same data) neither retries it nor tells anyone again.
    await h.apps[0]!.app.close();
    const restarted = await h.startApp();
    expect(await restarted.app.services.inbox.queue.sweep()).toBe(0);
    await restarted.app.services.runScheduled();
    await settle(restarted.db);
    expect(await restarted.db.client.inboxEvent.findUniqueOrThrow({ where: { id: last } })).toMatchObject({ status: 'dead' });
    expect(await restarted.db.client.outboxMessage.count({ where: { pacingKey: 'ou_admin', payload: { contains: '一条消息处理失败，已停止处理' } } })).toBe(1);
  });

  it('a handler failing every time is given up after its last attempt, once; a late finisher changes nothing', async () => {
    const app = h.apps.at(-1)!;
    const db = app.db;
    // This test claims by hand: the app's own inbox worker stands aside.
    await app.app.services.inbox.worker.stop();
    const told: string[] = [];
    const queue = new LeaseQueue<InboxEvent>(
      db,
      'InboxEvent',
      (c) => c.inboxEvent as unknown as QueueTable<InboxEvent>,
      60_000,
      { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      async (_tx, rows) => void told.push(...rows.map((r) => r.id)),
    );
    const id = randomUUID();
    await db.client.inboxEvent.create({ data: { id, eventId: `failing-${id}`, eventType: 'test.failing', payload: '{}', availableAt: new Date(0) } });
    const claimOne = async () => (await queue.claim(50)).find((r) => r.id === id)!;
    const first = await claimOne();
    expect(await queue.fail(first, 'Error: boom')).toBe('retry');
    await db.client.inboxEvent.update({ where: { id }, data: { availableAt: new Date(0) } });
    const second = await claimOne();
    expect(second.attempts).toBe(2);
    expect(await queue.fail(second, 'Error: boom again')).toBe('dead');
    expect(await queue.fail(second, 'Error: a late finisher')).toBe('lost');
    expect(await queue.fail(first, 'Error: a stale claim')).toBe('lost');
    expect(told).toEqual([id]);
    expect(await db.client.inboxEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'dead', lastError: 'Error: boom again' });
  });
});
