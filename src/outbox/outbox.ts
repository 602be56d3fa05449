// The outbox: whatever the bot must send is a row written in the same transaction as the change
// that caused it; the outbox worker sends it later. The row id is Lark's `uuid`, so a resend after
// a crash is deduplicated by Lark (for an hour).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Client, Database, Tx } from '../db/database.js';
import type { OutboxMessage } from '../db/generated/sqlite/client.ts';
import type { Logger } from '../log.js';
import type { Messenger, MsgType, ReceiveIdType, SentMessage } from '../lark/messenger.js';
import { LarkCallError, classifyLarkError } from '../lark/messenger.js';
import { LeaseQueue, type Claimed, type QueueTable, type RetryPolicy } from '../queue/lease-queue.js';
import type { Pacer } from './pacer.js';

export type { OutboxMessage };

/** Recipient of a new message: a user (by open_id, …) or a chat (chat_id). */
export interface Recipient {
  receiveIdType: ReceiveIdType;
  receiveId: string;
}

export type Outgoing =
  | ({ kind: 'send'; msgType: MsgType; content: unknown } & Recipient)
  | { kind: 'reply'; messageId: string; chatId: string; msgType: MsgType; content: unknown }
  /** Update a sent card: by message id, or by the outbox row that sent it (resolved when sending). */
  | { kind: 'patch'; messageId?: string; outboxRef?: string; chatId: string; card: unknown }
  | { kind: 'card_update'; token: string; chatId: string; card: unknown }
  | ({ kind: 'file'; fileName: string; fileType: string; path: string } & Recipient)
  | ({ kind: 'image'; path: string } & Recipient);

function pacingKey(m: Outgoing): string {
  return 'receiveId' in m ? m.receiveId : m.chatId;
}

/** Writes one message to send; call inside the transaction of the change that caused it. */
export async function enqueue(tx: Tx, message: Outgoing, causedBy?: string): Promise<string> {
  const id = randomUUID(); // 36 characters: within Lark's 50-character uuid limit
  await tx.outboxMessage.create({
    data: { id, kind: message.kind, pacingKey: pacingKey(message), payload: JSON.stringify(message), causedBy: causedBy ?? null },
  });
  return id;
}

export function outboxQueue(db: Database, leaseMs: number, retry?: RetryPolicy): LeaseQueue<OutboxMessage> {
  return new LeaseQueue(db, 'OutboxMessage', (c: Client | Tx) => c.outboxMessage as unknown as QueueTable<OutboxMessage>, leaseMs, retry);
}

const asContent = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c));

/** Performs one outbox row against Lark. `uuid` makes creates idempotent. */
export async function deliver(messenger: Messenger, m: Outgoing, uuid: string): Promise<SentMessage | null> {
  switch (m.kind) {
    case 'send':
      return messenger.send({ receiveIdType: m.receiveIdType, receiveId: m.receiveId, msgType: m.msgType, content: asContent(m.content), uuid });
    case 'reply':
      return messenger.reply({ messageId: m.messageId, msgType: m.msgType, content: asContent(m.content), uuid });
    case 'patch':
      if (!m.messageId) throw new LarkCallError('transient', 'patch target not sent yet');
      await messenger.patchCard({ messageId: m.messageId, content: asContent(m.card) });
      return null;
    case 'card_update':
      await messenger.updateCardByToken({ token: m.token, card: m.card });
      return null;
    case 'file': {
      // Re-uploading after a crash only leaves an unused file key; the message itself is deduped by uuid.
      const fileKey = await messenger.uploadFile({ fileName: m.fileName, fileType: m.fileType, data: await readFile(m.path) });
      return messenger.send({ receiveIdType: m.receiveIdType, receiveId: m.receiveId, msgType: 'file', content: JSON.stringify({ file_key: fileKey }), uuid });
    }
    case 'image': {
      const imageKey = await messenger.uploadImage({ data: await readFile(m.path) });
      return messenger.send({ receiveIdType: m.receiveIdType, receiveId: m.receiveId, msgType: 'image', content: JSON.stringify({ image_key: imageKey }), uuid });
    }
  }
}

/** Sends one claimed row, classifying failures: wait (429), refresh token once, retry, or give up. */
export function outboxSender(deps: {
  db: Database;
  queue: LeaseQueue<OutboxMessage>;
  messenger: Messenger;
  pacer: Pacer;
  log: Logger;
  /** Asks the worker to look again after `ms` (a postponed row comes due). */
  wakeIn: (ms: number) => void;
}): (row: Claimed<OutboxMessage>) => Promise<void> {
  const { queue, messenger, pacer, log } = deps;
  return async (row) => {
    let message: Outgoing;
    try {
      message = JSON.parse(row.payload) as Outgoing;
    } catch {
      await queue.fail(row, 'payload is not valid JSON', { permanent: true });
      return;
    }
    // A patch of a card we sent: find its message id from the row that sent it.
    if (message.kind === 'patch' && !message.messageId && message.outboxRef) {
      const ref = await deps.db.client.outboxMessage.findUnique({ where: { id: message.outboxRef } });
      const sent = ref?.status === 'done' && ref.result ? (JSON.parse(ref.result) as SentMessage).messageId : undefined;
      if (!sent) {
        if (ref?.status === 'dead' || !ref) await queue.fail(row, 'the card to update was never sent', { permanent: true });
        else await queue.postpone(row, 1000, 'waiting for the card to update to be sent');
        deps.wakeIn(1000);
        return;
      }
      message = { ...message, messageId: sent };
    }
    await pacer.acquire(row.pacingKey);
    let result: SentMessage | null;
    try {
      try {
        result = await deliver(messenger, message, row.id);
      } catch (first) {
        if (classifyLarkError(first).kind !== 'token_invalid') throw first;
        messenger.refreshToken();
        result = await deliver(messenger, message, row.id);
      }
    } catch (raw) {
      const error = raw instanceof LarkCallError ? raw : classifyLarkError(raw);
      const context = { outboxId: row.id, kind: row.kind, chat: row.pacingKey, attempts: row.attempts, status: error.status, code: error.code };
      if (error.kind === 'rate_limited') {
        const delay = error.retryAfterMs ?? 1000;
        pacer.block(row.pacingKey, Date.now() + delay);
        await queue.postpone(row, delay, error.message);
        deps.wakeIn(delay);
        log.info(context, `Lark rate limit: retrying in ${delay} ms`);
        return;
      }
      const outcome = await queue.fail(row, `${error.kind}: ${error.message}`, { permanent: error.kind === 'permanent' });
      if (outcome === 'retry') deps.wakeIn(1000);
      log[outcome === 'dead' ? 'error' : 'warn']({ ...context, err: error, outcome }, 'sending to Lark failed');
      return;
    }
    if (!(await queue.complete(row, { result: result ? JSON.stringify(result) : null }))) {
      log.warn({ outboxId: row.id }, 'outbox lease expired during the send; the resend will be deduplicated by its uuid');
    }
  };
}
