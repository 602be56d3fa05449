// The outbox: whatever the bot must send is a row written in the same transaction as the change
// that caused it; the outbox worker sends it later. The row id is Lark's `uuid`, so a resend after
// a crash is deduplicated by Lark (for an hour).
import { readFile } from 'node:fs/promises';
import type { Client, Database, Tx } from '../db/database.js';
import type { OutboxMessage } from '../db/generated/sqlite/client.ts';
import { timeOrderedId } from '../db/ids.js';
import type { Messenger, MsgType, ReceiveIdType, SentMessage } from '../lark/messenger.js';
import { classifyLarkError, LarkCallError } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import { type Claimed, LeaseQueue, type QueueTable, type RetryPolicy } from '../queue/lease-queue.js';
import { kindsPacedAs, type Pacer, pacedApi } from './pacer.js';

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

/** Written by the database triggers of src/mirrors/ (never enqueued here): sync an application's Approval Center instance, or a programme's ledger. */
export interface MirrorMessage {
  kind: 'mirror';
  target: 'approval' | 'ledger';
  applicationId: string;
  campaignId: string;
}

function pacingKey(m: Outgoing): string {
  return 'receiveId' in m ? m.receiveId : m.chatId;
}

/**
 * How long after a card callback its answer may still reach Lark: Lark waits 3 seconds for it
 * (处理卡片回调: 「需在 3 秒内响应回调请求」), and an answer that arrives after a patch overwrites
 * the patch. A patch of the clicked card is sent no earlier than this after the click.
 */
export const CALLBACK_ANSWER_WINDOW_MS = 3_500;

/** Writes one message to send; call inside the transaction of the change that caused it. `notBefore`: not sent earlier. */
export async function enqueue(tx: Tx, message: Outgoing, causedBy?: string, notBefore?: Date): Promise<string> {
  const id = timeOrderedId(); // 36 characters: within Lark's 50-character uuid limit
  await tx.outboxMessage.create({
    data: {
      id,
      kind: message.kind,
      pacingKey: pacingKey(message),
      payload: JSON.stringify(message),
      causedBy: causedBy ?? null,
      ...(notBefore && notBefore.getTime() > Date.now() ? { availableAt: notBefore } : {}),
    },
  });
  return id;
}

export function outboxQueue(db: Database, leaseMs: number, retry?: RetryPolicy): LeaseQueue<OutboxMessage> {
  return new LeaseQueue(db, 'OutboxMessage', (c: Client | Tx) => c.outboxMessage as unknown as QueueTable<OutboxMessage>, leaseMs, retry, undefined, true);
}

const asContent = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c));

type PatchMessage = Extract<Outgoing, { kind: 'patch' }>;
/** 更新应用发送的消息卡片: 「仅支持修改 14 天内发送的消息」; an hour's margin for clocks. */
export const PATCH_WINDOW_MS = 14 * 24 * 3600_000 - 3600_000;
/** 发送消息: the receiver's own limit (5 per second to one user or group). */
const RECEIVER_RATE_LIMITED = 230020;
/** Lark's answer to a patch of a card older than that. */
const MESSAGE_TOO_OLD = 230031;

/** A patch that can no longer be applied, sent as a new card to the same person or chat. */
function freshCard(m: PatchMessage): Outgoing {
  return { kind: 'send', receiveIdType: m.chatId.startsWith('oc_') ? 'chat_id' : 'open_id', receiveId: m.chatId, msgType: 'interactive', content: m.card };
}

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
      return messenger.send({
        receiveIdType: m.receiveIdType,
        receiveId: m.receiveId,
        msgType: 'image',
        content: JSON.stringify({ image_key: imageKey }),
        uuid,
      });
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
  /** The longest a claimed row waits for a pacing slot before going back to the queue. */
  maxPaceWaitMs?: number;
  /** Performs a `mirror` row (src/mirrors/): its own API limits, not the messages'. Throws LarkCallError, or `{ retryInMs }` to wait. */
  mirror?: (m: MirrorMessage) => Promise<void>;
}): (row: Claimed<OutboxMessage>) => Promise<void> {
  const { queue, messenger, pacer, log } = deps;

  /** A mirror row: the sync paces its own calls; failures are classified as a message's are. */
  async function sendMirror(row: Claimed<OutboxMessage>, message: MirrorMessage): Promise<void> {
    if (!deps.mirror) {
      await queue.complete(row, { result: JSON.stringify({ skipped: 'mirrors are off on this instance' }) });
      return;
    }
    try {
      try {
        await deps.mirror(message);
      } catch (first) {
        if (first instanceof LarkCallError && first.kind === 'token_invalid') {
          messenger.refreshToken();
          await deps.mirror(message);
        } else throw first;
      }
    } catch (raw) {
      const wait = (raw as { retryInMs?: unknown }).retryInMs;
      if (typeof wait === 'number') {
        await queue.postpone(row, wait, (raw as Error).message);
        deps.wakeIn(wait);
        return;
      }
      const error = raw instanceof LarkCallError ? raw : classifyLarkError(raw);
      if (error.kind === 'rate_limited') {
        const delay = error.retryAfterMs ?? 1000;
        await queue.postpone(row, delay, error.message);
        deps.wakeIn(delay);
        return;
      }
      // Not a Lark answer (a bug, the database): retried like a transient failure, visible once dead.
      const permanent = raw instanceof LarkCallError && error.kind === 'permanent';
      const outcome = await queue.fail(row, `${error.kind}: ${error.message}`, { permanent });
      if (outcome === 'retry') deps.wakeIn(1000);
      log[outcome === 'dead' ? 'error' : 'warn']({ outboxId: row.id, target: message.target, err: raw, outcome }, 'syncing a copy to Lark failed');
      return;
    }
    await queue.complete(row);
  }

  return async (row) => {
    let message: Outgoing | MirrorMessage;
    try {
      message = JSON.parse(row.payload) as Outgoing | MirrorMessage;
    } catch {
      await queue.fail(row, 'payload is not valid JSON', { permanent: true });
      return;
    }
    log.trace({ outboxId: row.id, message }, 'sending');
    if (message.kind === 'mirror') return sendMirror(row, message);
    // A patch of a card we sent: find its message id from the row that sent it.
    let sentAt: Date | null = null;
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
      sentAt = ref!.doneAt;
    }
    // A patch carries the card's whole state as it was when written: once a later patch of the same
    // card exists, this one is obsolete. Sent after it (a restart, a lease run out or a paced
    // postponement can reorder them) it would put the card back to an older state.
    if (message.kind === 'patch' && message.messageId) {
      const newer = await deps.db.client.outboxMessage.findFirst({
        where: { seq: { gt: row.seq }, kind: 'patch', pacingKey: row.pacingKey, payload: { contains: `"messageId":${JSON.stringify(message.messageId)}` } },
        select: { id: true },
      });
      if (newer) {
        await queue.complete(row, { result: JSON.stringify({ superseded: newer.id }) });
        return;
      }
    }
    // Lark patches only cards sent within 14 days: an older one is replaced by a fresh card.
    const replaced = message.kind === 'patch' && sentAt !== null && Date.now() - sentAt.getTime() > PATCH_WINDOW_MS;
    // A slot within a few seconds, or the row goes back to the queue until one is free.
    const api = pacedApi(row.kind);
    const maxWaitMs = deps.maxPaceWaitMs ?? 5_000;
    const wait = await pacer.acquire(row.pacingKey, maxWaitMs, api);
    if (wait > 0) {
      const appWait = pacer.appWait(api);
      if (appWait > maxWaitMs) {
        // The app's quota on this API is used up for longer (a minute's 1,000): this row and every
        // other waiting for the same API step aside until it frees; the other APIs' go on.
        await queue.hold(row, new Date(Date.now() + appWait), 'paced: waiting for Lark’s limit on this API to free up', {
          column: 'kind',
          values: kindsPacedAs(api),
        });
      } else await queue.postpone(row, wait, 'paced: waiting for a free slot within Lark’s limits');
      deps.wakeIn(Math.max(wait, appWait));
      return;
    }
    let result: SentMessage | null;
    try {
      const attempt = async (m: Outgoing): Promise<SentMessage | null> => {
        try {
          return await deliver(messenger, m, row.id);
        } catch (first) {
          if (classifyLarkError(first).kind !== 'token_invalid') throw first;
          messenger.refreshToken();
          return deliver(messenger, m, row.id);
        }
      };
      try {
        result = await attempt(replaced ? freshCard(message as PatchMessage) : message);
      } catch (error) {
        // Lark says the card is too old to patch (our clock or its window differ): send it afresh.
        if (message.kind !== 'patch' || replaced || classifyLarkError(error).code !== MESSAGE_TOO_OLD) throw error;
        result = await attempt(freshCard(message));
      }
      // Later patches of the same card go to the fresh one.
      if (result && message.kind === 'patch' && message.outboxRef) {
        await deps.db.client.outboxMessage.update({ where: { id: message.outboxRef }, data: { result: JSON.stringify(result), doneAt: new Date() } });
      }
    } catch (raw) {
      const error = raw instanceof LarkCallError ? raw : classifyLarkError(raw);
      const context = { outboxId: row.id, kind: row.kind, chat: row.pacingKey, attempts: row.attempts, status: error.status, code: error.code };
      if (error.kind === 'rate_limited') {
        const delay = error.retryAfterMs ?? 1000;
        // 230020 is this receiver's limit; a 429 is the app's on this API, shared with any other instance.
        pacer.refund(pacedApi(row.kind));
        if (error.code === RECEIVER_RATE_LIMITED) pacer.block(row.pacingKey, Date.now() + delay);
        else pacer.blockAll(Date.now() + delay, pacedApi(row.kind));
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
