// Files applicants send in the chat: downloaded through the message resource API before the
// inbox transaction (never inside it), checked by their bytes, and stored content-addressed.
import type { Messenger } from '../lark/messenger.js';
import type { LarkEnvelope } from '../lark/push.js';
import { messageReceived } from '../lark/events.js';
import { formatSize, sniffFileKind } from '../files/sniff.js';
import type { FileStore } from '../files/store.js';
import type { ReceivedFile } from './journey.js';

/** Lark delivers at most 100 MB; no programme accepts more than this per file. */
export const MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;

export function isFileMessage(envelope: LarkEnvelope): boolean {
  if (envelope.eventType !== 'im.message.receive_v1') return false;
  const r = messageReceived.safeParse(envelope.event);
  return r.success && r.data.message.chat_type === 'p2p' && (r.data.message.message_type === 'file' || r.data.message.message_type === 'image');
}

export function createFileIntake(deps: { messenger: Messenger; store: FileStore; maxBytes?: number }) {
  const maxBytes = deps.maxBytes ?? MAX_DOWNLOAD_BYTES;
  return async function prepare(envelope: LarkEnvelope): Promise<ReceivedFile | undefined> {
    if (!isFileMessage(envelope)) return undefined;
    const { message } = messageReceived.parse(envelope.event);
    const content = JSON.parse(message.content) as { file_key?: string; image_key?: string; file_name?: string };
    const type = message.message_type === 'image' ? 'image' : 'file';
    const key = type === 'image' ? content.image_key : content.file_key;
    const name = content.file_name ?? (type === 'image' ? '图片' : '文件');
    if (!key) return { ok: false, messageId: message.message_id, name, reason: '这条消息里没有可以下载的文件，请重新发送。' };
    const download = await deps.messenger.downloadResource({ messageId: message.message_id, fileKey: key, type, maxBytes });
    if (!download.ok) return { ok: false, messageId: message.message_id, name, reason: `“${name}”超过 ${formatSize(maxBytes)}，无法保存。请压缩或拆分后再发送。` };
    const stored = await deps.store.put(download.bytes);
    return { ok: true, messageId: message.message_id, name, size: stored.size, kind: sniffFileKind(download.bytes, name), sha256: stored.sha256 };
  };
}
