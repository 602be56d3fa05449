// The durable inbox: every accepted event is stored (unique by event id, and by message id for
// messages) before Lark gets its 200, then processed exactly once by the inbox worker.
import type { Client, Database, Tx } from '../db/database.js';
import type { InboxEvent } from '../db/generated/sqlite/client.ts';
import { timeOrderedId } from '../db/ids.js';
import type { LarkEnvelope } from '../lark/push.js';
import type { Logger } from '../log.js';
import { type Claimed, type DeadLetterHandler, LeaseQueue, type QueueTable, type RetryPolicy } from '../queue/lease-queue.js';

export type { InboxEvent };

/** The handler must do all its work through `tx`; it is rolled back if anything fails. */
export type EventHandler = (envelope: LarkEnvelope, tx: Tx, prepared: unknown) => Promise<void>;
/**
 * Network work an event needs (downloading a file) runs before the transaction, never inside it.
 * It must be safe to repeat: a retry or a crash runs it again.
 */
export type EventPreparer = (envelope: LarkEnvelope) => Promise<unknown>;

/** An event that can never be processed (retrying will not help): it goes straight to dead. */
export class UnprocessableEvent extends Error {
  override name = 'UnprocessableEvent';
}

export function inboxQueue(db: Database, leaseMs: number, retry?: RetryPolicy, onDead?: DeadLetterHandler<InboxEvent>): LeaseQueue<InboxEvent> {
  return new LeaseQueue(db, 'InboxEvent', (c: Client | Tx) => c.inboxEvent as unknown as QueueTable<InboxEvent>, leaseMs, retry, onDead);
}

interface KeyedEvent {
  message?: { message_id?: string; chat_id?: string };
  sender?: { sender_id?: { open_id?: string } };
  operator?: { open_id?: string; operator_id?: { open_id?: string } };
  operator_id?: { open_id?: string };
  chat_id?: string;
}

/** Message id (second dedupe key) and ordering key (one user's or chat's events run in order). */
export function inboxKeys(envelope: LarkEnvelope): { messageId: string | null; orderingKey: string | null } {
  const e = envelope.event as KeyedEvent;
  const messageId = envelope.eventType === 'im.message.receive_v1' ? (e.message?.message_id ?? null) : null;
  const orderingKey =
    e.sender?.sender_id?.open_id ??
    e.operator?.operator_id?.open_id ??
    e.operator?.open_id ??
    e.operator_id?.open_id ??
    e.message?.chat_id ??
    e.chat_id ??
    null;
  return { messageId, orderingKey };
}

function inboxRow(envelope: LarkEnvelope, status: 'pending' | 'done') {
  const { messageId, orderingKey } = inboxKeys(envelope);
  return {
    id: timeOrderedId(),
    eventId: envelope.eventId,
    messageId,
    orderingKey,
    eventType: envelope.eventType,
    payload: JSON.stringify(envelope),
    status,
    ...(status === 'done' ? { doneAt: new Date() } : {}),
  };
}

type PendingRow = ReturnType<typeof inboxRow>;

/**
 * Stores events for later processing; a re-delivery is recognised and reported as duplicate.
 * Pushes arriving while a write is under way are written together in one statement (group
 * commit), ahead of background work, so Lark's 200 waits for one short insert.
 */
export class InboxWriter {
  readonly #waiting: { row: PendingRow; done: (r: 'stored' | 'duplicate') => void; fail: (e: unknown) => void }[] = [];
  #writing = false;

  constructor(
    private readonly db: Database,
    private readonly maxBatch = 500,
  ) {}

  store(envelope: LarkEnvelope): Promise<'stored' | 'duplicate'> {
    return new Promise((done, fail) => {
      this.#waiting.push({ row: inboxRow(envelope, 'pending'), done, fail });
      if (!this.#writing) {
        // Start after this turn of the event loop: every push read in it joins the same commit.
        this.#writing = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, this.maxBatch);
        try {
          const stored = await this.#insert(batch.map((b) => b.row));
          for (const b of batch) b.done(stored.has(b.row.id) ? 'stored' : 'duplicate');
        } catch (error) {
          for (const b of batch) b.fail(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /** INSERT … ON CONFLICT DO NOTHING (same SQL on SQLite and PostgreSQL); returns stored ids. */
  async #insert(rows: PendingRow[]): Promise<Set<string>> {
    // Repeats inside one batch (concurrent re-deliveries) are settled here: first one wins.
    const seen = new Set<string>();
    const unique = rows.filter((r) => {
      const keys = [`e:${r.eventId}`, ...(r.messageId ? [`m:${r.messageId}`] : [])];
      if (keys.some((k) => seen.has(k))) return false;
      for (const k of keys) seen.add(k);
      return true;
    });
    const now = new Date();
    const inserted = await this.db.hotPath<{ id: string }>(
      `INSERT INTO "InboxEvent" ("id", "eventId", "messageId", "eventType", "orderingKey", "payload", "status", "attempts", "availableAt", "createdAt")
       VALUES ${unique.map(() => `(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`).join(', ')} ON CONFLICT DO NOTHING RETURNING "id"`,
      unique.flatMap((r) => [r.id, r.eventId, r.messageId, r.eventType, r.orderingKey, r.payload, now, now]),
    );
    return new Set(inserted.map((r) => r.id));
  }
}

/** Records a synchronously handled callback inside its own transaction (throws P2002 on a repeat). */
export async function recordHandled(tx: Tx, envelope: LarkEnvelope): Promise<void> {
  await tx.inboxEvent.create({ data: inboxRow(envelope, 'done') });
}

class LeaseLost extends Error {}

/** Processes one claimed row: handler and completion commit together, or neither does. */
export function inboxProcessor(deps: {
  db: Database;
  queue: LeaseQueue<InboxEvent>;
  handle: EventHandler;
  prepare?: EventPreparer;
  log: Logger;
  onProcessed?: () => void;
}): (row: Claimed<InboxEvent>) => Promise<void> {
  const { db, queue, handle, log } = deps;
  return async (row) => {
    try {
      const envelope = JSON.parse(row.payload) as LarkEnvelope;
      const prepared = deps.prepare ? await deps.prepare(envelope) : undefined;
      await db.transaction(async (tx) => {
        await handle(envelope, tx, prepared);
        if (!(await queue.complete(row, {}, tx))) throw new LeaseLost();
      });
      deps.onProcessed?.();
    } catch (error) {
      if (error instanceof LeaseLost) {
        log.warn({ eventId: row.eventId }, 'inbox lease expired before the event finished; another claim will redo it');
        return;
      }
      const outcome = await queue.fail(row, error instanceof Error ? `${error.name}: ${error.message}` : String(error), {
        permanent: error instanceof UnprocessableEvent,
      });
      const level = outcome === 'dead' ? 'error' : 'warn';
      log[level]({ err: error, eventId: row.eventId, eventType: row.eventType, attempts: row.attempts, outcome }, 'event processing failed');
    }
  };
}
