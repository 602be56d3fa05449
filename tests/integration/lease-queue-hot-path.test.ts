// The queues claim and complete through the hot path (raw statements outside the ORM). What a
// worker gets must be the row exactly as Prisma reads it (numbers, Dates at the same instant,
// nulls), in claim order, and a completion must hold only for the claim that still has the row.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { InboxWriter, inboxQueue } from '../../src/inbox/inbox.js';
import type { LarkEnvelope } from '../../src/lark/push.js';
import { enqueue, outboxQueue } from '../../src/outbox/outbox.js';
import { LEASE_EXPIRED } from '../../src/queue/lease-queue.js';
import { useMigratedDatabase } from '../helpers/database.js';

const envelope = (i: number): LarkEnvelope => ({
  eventId: `ev_hot_${i}`,
  eventType: 'im.message.receive_v1',
  createdAt: Date.now(),
  appId: 'cli_x',
  tenantKey: 'tk',
  event: { sender: { sender_id: { open_id: `ou_hot_${i % 3}` } }, message: { message_id: `om_hot_${i}`, chat_id: 'oc_hot' } },
});

describe('lease queue through the hot path', () => {
  const database = useMigratedDatabase();
  let db: Database;
  beforeAll(() => {
    db = database();
  });

  it('a claimed inbox row equals the row as Prisma reads it, oldest first; a second claim finds nothing', async () => {
    const writer = new InboxWriter(db);
    await Promise.all(Array.from({ length: 5 }, (_, i) => writer.store(envelope(i))));
    const queue = inboxQueue(db, 60_000);
    const claimed = await queue.claim(10);
    expect(claimed.map((r) => r.eventId).sort()).toEqual(['ev_hot_0', 'ev_hot_1', 'ev_hot_2', 'ev_hot_3', 'ev_hot_4']);
    expect(claimed.map((r) => r.seq)).toEqual([...claimed.map((r) => r.seq)].sort((a, b) => a - b));
    for (const row of claimed) {
      const { lease, ...asClaimed } = row;
      const stored = await db.client.inboxEvent.findUniqueOrThrow({ where: { id: row.id } });
      expect(asClaimed).toEqual(stored);
      expect(stored.leaseOwner).toBe(lease);
      expect(stored.status).toBe('leased');
      expect(stored.attempts).toBe(1);
      expect(stored.leaseUntil).toBeInstanceOf(Date);
      expect(stored.leaseUntil!.getTime() - stored.createdAt.getTime()).toBeGreaterThanOrEqual(59_000);
    }
    expect(await queue.claim(10)).toEqual([]);
  });

  it('an outbox completion holds for the claim that has the row, and sets its result; a stale claim changes nothing', async () => {
    await db.transaction((tx) => enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: 'oc_hot', msgType: 'text', content: { text: '你好' } }));
    const queue = outboxQueue(db, 60_000);
    const [row] = await queue.claim(1);
    expect(row).toBeDefined();
    const stale = { ...row!, lease: 'someone-else:1' };
    expect(await queue.complete(stale, { result: 'stale' })).toBe(false);
    expect((await db.client.outboxMessage.findUniqueOrThrow({ where: { id: row!.id } })).status).toBe('leased');
    expect(await queue.complete(row!, { result: '{"message_id":"om_1"}' })).toBe(true);
    const done = await db.client.outboxMessage.findUniqueOrThrow({ where: { id: row!.id } });
    expect(done).toMatchObject({ status: 'done', result: '{"message_id":"om_1"}', leaseOwner: null, leaseUntil: null, lastError: null });
    expect(done.doneAt).toBeInstanceOf(Date);
    expect(await queue.complete(row!, { result: 'again' })).toBe(false);
    await expect(queue.complete(row!, { status: 'pending' } as never)).rejects.toThrow(/cannot set status/);
  });

  it('takes due rows in write order (a row put back to wait goes before rows written after it), leaves rows not yet due, and takes back a lease that ran out', async () => {
    const queue = outboxQueue(db, 60_000);
    const ids = await db.transaction(async (tx) => [
      await enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: 'oc_a', msgType: 'text', content: { text: '1' } }),
      await enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: 'oc_b', msgType: 'text', content: { text: '2' } }),
      await enqueue(
        tx,
        { kind: 'send', receiveIdType: 'chat_id', receiveId: 'oc_c', msgType: 'text', content: { text: '3' } },
        undefined,
        new Date(Date.now() + 3_600_000),
      ),
    ]);
    // The first was put back to wait for a pacing slot and came due after the second: still first.
    const [put] = await queue.claim(1);
    expect(put!.id).toBe(ids[0]);
    await queue.postpone(put!, 0, 'paced');
    await db.client.outboxMessage.update({ where: { id: ids[1]! }, data: { availableAt: new Date(Date.now() - 5_000) } });
    const [first] = await queue.claim(1);
    expect(first!.id).toBe(ids[0]);
    const [second] = await queue.claim(5);
    expect(second!.id).toBe(ids[1]);
    expect(await queue.claim(5)).toEqual([]); // the third is not due for an hour
    // The holder of the second died: once its lease has run out, the row is claimed again.
    await db.client.outboxMessage.update({ where: { id: ids[1]! }, data: { leaseUntil: new Date(Date.now() - 1) } });
    const [again] = await queue.claim(5);
    expect(again).toMatchObject({ id: ids[1], attempts: 2, lastError: LEASE_EXPIRED });
    expect(again!.lease).not.toBe(second!.lease);
    expect(await queue.complete(second!)).toBe(false);
    expect(await queue.complete(again!)).toBe(true);
  });
});
