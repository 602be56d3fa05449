// Messages waiting for a Lark quota that is used up (1,000 a minute) are held: out of the claims'
// way until it frees, then back a batch at a time. Put back one by one as pending, a backlog beyond
// the quota was claimed again every time it came due, and each claim walked the rows not yet due.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Client, Database, Tx } from '../../src/db/database.js';
import type { Messenger, SentMessage } from '../../src/lark/messenger.js';
import { createLogger } from '../../src/log.js';
import { enqueue, type OutboxMessage, outboxQueue, outboxSender } from '../../src/outbox/outbox.js';
import { kindsPacedAs, Pacer, type PacerLimits } from '../../src/outbox/pacer.js';
import { type Claimed, LeaseQueue, type QueueTable } from '../../src/queue/lease-queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { useMigratedDatabase } from '../helpers/database.js';

const DEADLINE_MS = 60_000;
const log = createLogger('silent');

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const send = (to: string) => ({ kind: 'send' as const, receiveIdType: 'chat_id' as const, receiveId: to, msgType: 'text' as const, content: { text: '通知' } });
const reply = (chat: string) => ({ kind: 'reply' as const, messageId: `om_${chat}`, chatId: chat, msgType: 'text' as const, content: { text: '好的' } });

describe('held outbox rows', () => {
  const database = useMigratedDatabase();
  let db: Database;
  beforeEach(async () => {
    db = database();
    await db.client.outboxMessage.deleteMany({});
  });
  const queueWithBatch = (batch: number, gapMs = 0) =>
    new LeaseQueue<OutboxMessage>(
      db,
      'OutboxMessage',
      (c: Client | Tx) => c.outboxMessage as unknown as QueueTable<OutboxMessage>,
      60_000,
      undefined,
      undefined,
      true,
      {
        batch,
        gapMs,
      },
    );
  const statuses = async () => (await db.client.outboxMessage.findMany({ orderBy: { seq: 'asc' } })).map((r) => `${r.kind}:${r.status}`);

  it('a hold sets aside the claimed row and every pending one of the same API; the other APIs’ and the claims go on', async () => {
    for (let i = 0; i < 4; i++) await db.transaction((tx) => enqueue(tx, send(`oc_${i}`)));
    await db.transaction((tx) => enqueue(tx, reply('oc_r')));
    // One waiting longer already (a retry's backoff) keeps its own time.
    const later = new Date(Date.now() + 3_600_000);
    const last = await db.client.outboxMessage.findFirstOrThrow({ where: { kind: 'send' }, orderBy: { seq: 'desc' } });
    await db.client.outboxMessage.update({ where: { id: last.id }, data: { availableAt: later } });
    const queue = queueWithBatch(2);
    const [first] = await queue.claim(1);
    expect(first!.kind).toBe('send');
    const heldUntil = new Date(Date.now() + 30_000);
    await queue.hold(first!, heldUntil, 'paced', { column: 'kind', values: kindsPacedAs('im.message.create') });
    expect(await statuses()).toEqual(['send:held', 'send:held', 'send:held', 'send:held', 'reply:pending']);
    const rows = await db.client.outboxMessage.findMany({ where: { kind: 'send' }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.availableAt.getTime())).toEqual([heldUntil.getTime(), heldUntil.getTime(), heldUntil.getTime(), later.getTime()]);
    // The claimed row's attempt is given back: waiting for a quota is not a failure.
    expect(rows[0]!.attempts).toBe(0);
    expect(rows[0]!.leaseOwner).toBeNull();
    // Claims see only the reply; held rows are counted as waiting.
    const claimed = await queue.claim(10);
    expect(claimed.map((r) => r.kind)).toEqual(['reply']);
    expect(await queue.claim(10)).toEqual([]);
    expect(await queue.counts()).toEqual({ pending: 4, leased: 1, dead: 0 });
  });

  it('held rows come back when due, a batch at a time and oldest first, once the rows due before them are taken', async () => {
    for (let i = 0; i < 5; i++) await db.transaction((tx) => enqueue(tx, send(`oc_${i}`)));
    const queue = queueWithBatch(2);
    const [first] = await queue.claim(1);
    const dueSoon = new Date(Date.now() + 300);
    await queue.hold(first!, dueSoon, 'paced', { column: 'kind', values: ['send', 'file', 'image'] });
    expect(await queue.claim(10)).toEqual([]); // not due yet
    await until(() => Date.now() > dueSoon.getTime(), 'the hold to come due');
    const batches: string[][] = [];
    for (let i = 0; i < 3; i++) batches.push((await queue.claim(10)).map((r) => r.pacingKey));
    expect(batches).toEqual([['oc_0', 'oc_1'], ['oc_2', 'oc_3'], ['oc_4']]);
    expect(await queue.claim(10)).toEqual([]);
  });

  it('a backlog beyond the quota goes out exactly once, within the quota, and is not claimed again and again while it waits', async () => {
    // Five a window of 1.5 s (a miniature of 1,000 a minute); a claimed row waits up to 200 ms for a slot.
    const limits: PacerLimits = { perChat: 5, perApp: 50, windowMs: 1_000, perAppPerMinute: 5, minuteMs: 1_500 };
    const backlog = 40;
    for (let i = 0; i < backlog; i++) await db.transaction((tx) => enqueue(tx, send(`oc_backlog_${i}`)));
    const sent: { to: string; at: number }[] = [];
    const messenger = {
      send: async (m: { receiveId: string }): Promise<SentMessage> => {
        sent.push({ to: m.receiveId, at: Date.now() });
        return { messageId: `om_${sent.length}` } as SentMessage;
      },
      refreshToken: () => undefined,
    } as unknown as Messenger;
    // Five back every 1.5 s: the quota's pace, as 250 every 5 s is Lark's.
    const queue = queueWithBatch(5, 1_500);
    let claimedRows = 0;
    const claim = queue.claim.bind(queue);
    queue.claim = async (limit: number): Promise<Claimed<OutboxMessage>[]> => {
      const rows = await claim(limit);
      claimedRows += rows.length;
      return rows;
    };
    const worker: QueueWorker<OutboxMessage> = new QueueWorker(
      queue,
      outboxSender({
        db,
        queue,
        messenger,
        pacer: new Pacer(limits),
        log,
        maxPaceWaitMs: 200,
        wakeIn: (ms) => setTimeout(() => worker.notify(), ms + 5).unref(),
      }),
      { name: 'outbox', concurrency: 32, pollMs: 100, log },
      (row) => row.pacingKey,
    );
    worker.start();
    try {
      await until(() => sent.length >= backlog, `all ${backlog} messages to be sent`);
      await until(async () => (await db.client.outboxMessage.count({ where: { status: 'done' } })) === backlog, 'every row to be marked done');
    } finally {
      await worker.stop();
    }
    expect(new Set(sent.map((s) => s.to)).size).toBe(backlog);
    expect(sent).toHaveLength(backlog);
    // Never more than five in any 1.5 s, as the pacer counts them (at the slot; the send follows it
    // after a few statements, later on a busy machine: a quarter of a second is allowed for that).
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(limits.minuteMs - 250);
    // Each row is claimed for its send, and at most about once more (the first claim takes 32 at
    // once). Put back one by one as pending, every row still waiting was claimed again at every
    // window: 180 claims here on both databases.
    expect(claimedRows).toBeLessThanOrEqual(2 * backlog + 10);
  });

  it('the real outbox queue holds and releases (its batch is a quota’s few seconds)', async () => {
    await db.transaction((tx) => enqueue(tx, send('oc_real')));
    const queue = outboxQueue(db, 60_000);
    const [row] = await queue.claim(5);
    await queue.hold(row!, new Date(Date.now() - 1), 'paced');
    expect(await statuses()).toEqual(['send:held']);
    expect((await queue.claim(5)).map((r) => r.pacingKey)).toEqual(['oc_real']);
  });
});
