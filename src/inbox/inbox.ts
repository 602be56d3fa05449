// The durable inbox: every accepted event is stored (unique by event id, and by message id for
// messages) before Lark gets its 200, then processed exactly once by the inbox worker.
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Client, type Database, type Tx } from '../db/database.js';
import type { InboxEvent } from '../db/generated/sqlite/client.ts';
import type { Logger } from '../log.js';
import type { LarkEnvelope } from '../lark/push.js';
import { LeaseQueue, type Claimed, type QueueTable, type RetryPolicy } from '../queue/lease-queue.js';

export type { InboxEvent };

/** The handler must do all its work through `tx`; it is rolled back if anything fails. */
export type EventHandler = (envelope: LarkEnvelope, tx: Tx) => Promise<void>;

/** An event that can never be processed (retrying will not help): it goes straight to dead. */
export class UnprocessableEvent extends Error {
  override name = 'UnprocessableEvent';
}

export function inboxQueue(db: Database, leaseMs: number, retry?: RetryPolicy): LeaseQueue<InboxEvent> {
  return new LeaseQueue(db, (c: Client | Tx) => c.inboxEvent as unknown as QueueTable<InboxEvent>, leaseMs, retry);
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
    id: randomUUID(),
    eventId: envelope.eventId,
    messageId,
    orderingKey,
    eventType: envelope.eventType,
    payload: JSON.stringify(envelope),
    status,
    ...(status === 'done' ? { doneAt: new Date() } : {}),
  };
}

/** Stores an event for later processing. A re-delivery is recognised and reported as duplicate. */
export async function storeEvent(db: Database, envelope: LarkEnvelope): Promise<'stored' | 'duplicate'> {
  try {
    await db.client.inboxEvent.create({ data: inboxRow(envelope, 'pending') });
    return 'stored';
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
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
  log: Logger;
  onProcessed?: () => void;
}): (row: Claimed<InboxEvent>) => Promise<void> {
  const { db, queue, handle, log } = deps;
  return async (row) => {
    try {
      const envelope = JSON.parse(row.payload) as LarkEnvelope;
      await db.transaction(async (tx) => {
        await handle(envelope, tx);
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
