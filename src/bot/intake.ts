// Files sent in the private chat. Who sent it and what it would be for are decided before a byte is
// fetched: an attachment for the sender's own draft, or an administrator's programme file or studio
// list. Anything else is answered without downloading it. What is wanted is streamed to disk under
// the limit that applies (the slot's, the day's quota, the programme file's), hashed on its way,
// taken into the content-addressed store, and typed by its first bytes: never whole in memory.

import { type Actor, isConfiguredAdmin } from '../access/principal.js';
import type { ReceivedFile } from '../applications/journey.js';
import { EDITABLE } from '../applications/repository.js';
import { beijingDayStart } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Database } from '../db/database.js';
import {
  isCampaignFileName,
  isSpreadsheetName,
  isWordName,
  MAX_CAMPAIGN_FILE_BYTES,
  MAX_DOWNLOAD_BYTES,
  MAX_FORM_FILE_BYTES,
  MAX_STUDIO_LIST_BYTES,
} from '../files/limits.js';
import { formatSize, sniffFileKind } from '../files/sniff.js';
import type { FileStore } from '../files/store.js';
import type { WordRead } from '../files/word.js';
import { messageReceived } from '../lark/events.js';
import type { Messenger } from '../lark/messenger.js';
import type { LarkEnvelope } from '../lark/push.js';

/** The file's kind is told by its first bytes; small files are read whole (a zip's directory is at its end). */
const SNIFF_BYTES = 4 * 1024 * 1024;

const MiB = 1024 * 1024;

export type FilePurpose = { accept: true; maxBytes: number; tooLarge: (name: string) => string } | { accept: false; reason: string; unwanted?: true };

export function isFileMessage(envelope: LarkEnvelope): boolean {
  if (envelope.eventType !== 'im.message.receive_v1') return false;
  const r = messageReceived.safeParse(envelope.event);
  return r.success && r.data.message.chat_type === 'p2p' && (r.data.message.message_type === 'file' || r.data.message.message_type === 'image');
}

/** What a file from this sender would be for, and the most it may weigh. */
export function filePurposes(deps: {
  db: Database;
  adminIds: () => readonly string[];
  campaigns: () => readonly Campaign[];
  quotaBytes: number;
  now: () => Date;
}) {
  return async (sender: Actor, name: string): Promise<FilePurpose> => {
    const db = deps.db.client;
    const admin =
      isConfiguredAdmin(sender, deps.adminIds()) || (await db.roleGrant.count({ where: { openId: sender.openId, role: 'admin', revokedAt: null } })) > 0;
    if (admin && isCampaignFileName(name))
      return { accept: true, maxBytes: MAX_CAMPAIGN_FILE_BYTES, tooLarge: (n) => `“${n}”超过 ${formatSize(MAX_CAMPAIGN_FILE_BYTES)}，不像是项目配置文件。` };
    let maxBytes = 0;
    let tooLarge = (n: string) => `“${n}”超过 ${formatSize(MAX_STUDIO_LIST_BYTES)}。工作室名单请分批发送。`;
    if (admin && isSpreadsheetName(name)) maxBytes = MAX_STUDIO_LIST_BYTES;
    const draft = await db.application.findFirst({
      where: { applicantId: sender.openId, status: { in: [...EDITABLE] } },
      orderBy: { updatedAt: 'desc' },
      select: { campaignId: true },
    });
    const c = draft && deps.campaigns().find((x) => x.id === draft.campaignId);
    const slotMax = c?.form.attachments.length ? Math.min(MAX_DOWNLOAD_BYTES, Math.max(...c.form.attachments.map((s) => s.maxSizeMB)) * MiB) : 0;
    if (slotMax) {
      // The day's quota (Beijing day) counts what this person's applications kept.
      const used =
        (await db.upload.aggregate({ where: { ownerId: sender.openId, createdAt: { gte: beijingDayStart(deps.now()) } }, _sum: { size: true } }))._sum.size ??
        0;
      const left = deps.quotaBytes - used;
      if (left <= 0 && maxBytes === 0)
        return {
          accept: false,
          reason: `今天您已发送 ${formatSize(used)} 附件，每人每天最多 ${formatSize(deps.quotaBytes)}。请明天再发送；如确有需要，请联系项目管理员。`,
        };
      if (Math.min(slotMax, left) > maxBytes) {
        maxBytes = Math.min(slotMax, left);
        tooLarge = (n) =>
          left < slotMax
            ? `“${n}”超过今天还能发送的 ${formatSize(left)}（每人每天最多 ${formatSize(deps.quotaBytes)}），无法保存。请明天再发送，或压缩后再发送。`
            : `“${n}”超过 ${formatSize(slotMax)}（本项目每个附件最大 ${formatSize(slotMax)}），无法保存。请压缩或拆分后再发送。`;
      }
    }
    // A Word file may be the filled 申报表 (it fills the draft, or starts one): taken up to its own limit.
    if (isWordName(name) && maxBytes < MAX_FORM_FILE_BYTES) {
      maxBytes = MAX_FORM_FILE_BYTES;
      tooLarge = (n) => `“${n}”超过 ${formatSize(MAX_FORM_FILE_BYTES)}，不像是填好的申报表。附件请压缩或拆分后再发送。`;
    }
    if (maxBytes === 0) return { accept: false, unwanted: true, reason: '请先发送“申报”选择项目并开始填写，再发送附件。' };
    return { accept: true, maxBytes, tooLarge };
  };
}

export function createFileIntake(deps: {
  messenger: Messenger;
  store: FileStore;
  purposeOf: (sender: Actor, name: string) => Promise<FilePurpose>;
  /** Reads a Word file (bounded; .doc and .wps converted): it may be the filled 申报表. Before the transaction. */
  readWord?: (path: string, name: string) => Promise<WordRead>;
}) {
  return async function prepare(envelope: LarkEnvelope): Promise<ReceivedFile | undefined> {
    if (!isFileMessage(envelope)) return undefined;
    const { message, sender } = messageReceived.parse(envelope.event);
    const content = JSON.parse(message.content) as { file_key?: string; image_key?: string; file_name?: string };
    const type = message.message_type === 'image' ? 'image' : 'file';
    const key = type === 'image' ? content.image_key : content.file_key;
    const name = content.file_name ?? (type === 'image' ? '图片' : '文件');
    const base = { ok: false as const, messageId: message.message_id, name };
    if (!key) return { ...base, reason: '这条消息里没有可以下载的文件，请重新发送。' };
    const purpose = await deps.purposeOf({ openId: sender.sender_id.open_id, ...(sender.sender_id.user_id ? { userId: sender.sender_id.user_id } : {}) }, name);
    if (!purpose.accept) return { ...base, reason: purpose.reason, ...(purpose.unwanted ? { unwanted: true as const } : {}) };
    const path = await deps.store.incoming();
    const download = await deps.messenger.downloadResource({ messageId: message.message_id, fileKey: key, type, path, maxBytes: purpose.maxBytes });
    if (!download.ok) return { ...base, reason: purpose.tooLarge(name) };
    await deps.store.adopt(path, download.sha256);
    const head = await deps.store.head(download.sha256, Math.min(download.size, SNIFF_BYTES));
    const kind = sniffFileKind(head ?? Buffer.alloc(0), name);
    const stored = deps.store.path?.(download.sha256);
    // By content, or by name (a broken or disguised file named .docx is told what is wrong with it).
    const wordLike = kind === 'docx' || kind === 'doc' || isWordName(name);
    const word = wordLike && stored && deps.readWord ? await deps.readWord(stored, name) : undefined;
    return { ok: true, messageId: message.message_id, name, size: download.size, kind, sha256: download.sha256, ...(word ? { word } : {}) };
  };
}
