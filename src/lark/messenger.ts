// Every call the bot makes to Lark goes through here, and through the official SDK Client.
// Errors come out classified so the outbox knows whether to wait, refresh, retry or give up.

import type { LarkCredentials } from '../config.js';
import { type SavedDownload, saveLimited } from '../files/download.js';
import type { Logger } from '../log.js';
import { type ApprovalApi, approvalApi } from './approval-api.js';
import { type BitableApi, bitableApi } from './bitable-api.js';
import { lark } from './sdk.js';

export type ReceiveIdType = 'open_id' | 'user_id' | 'union_id' | 'email' | 'chat_id';
export type MsgType = 'text' | 'post' | 'image' | 'file' | 'interactive' | 'share_chat' | 'share_user' | 'audio' | 'media' | 'sticker';

export interface SentMessage {
  messageId: string;
  chatId?: string;
}

export type LarkErrorKind = 'rate_limited' | 'token_invalid' | 'transient' | 'permanent';

export class LarkCallError extends Error {
  constructor(
    readonly kind: LarkErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: number,
    /** For rate limits: when Lark says a slot frees up (from x-ogw-ratelimit-reset). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LarkCallError';
  }
}

const TOKEN_INVALID = new Set([99991663, 99991664, 99991661]);
/** The app lacks a scope the API needs; Lark names the scopes in msg. */
export const SCOPE_MISSING = 99991672;

/** The scopes a 99991672 answer names (「One of the following scopes is required: [a, b]」). */
export function missingScopes(error: unknown): string[] | undefined {
  if (!(error instanceof LarkCallError) || error.code !== SCOPE_MISSING) return undefined;
  const listed = /\[([^\]]*)\]/.exec(error.message)?.[1];
  return listed
    ? listed
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
}
const RATE_LIMITED = 99991400;
// Some message APIs answer a per-chat burst with HTTP 400 and this code instead of 429.
const CHAT_RATE_LIMITED = 230020;
/**
 * Bitable's own "too fast" answers, to wait on like a rate limit: 1254290 TooManyRequest,
 * 1254291 write conflict (「同一数据表不支持并发调用写接口」, wait 0.5–1 s), 1254607 data not ready
 * (新增多条记录 / 更新多条记录, 错误码). And answers that say "try again": 1254002 Fail,
 * 1255001/1255002 internal, 1255040 timeout; 1395001 from the approval APIs (「请稍后重试」).
 */
const SLOW_DOWN = new Set([1254290, 1254291, 1254607]);
const TRY_AGAIN = new Set([1254002, 1255001, 1255002, 1255040, 1395001]);

interface HttpErrorShape {
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
  code?: string;
  message?: string;
}

/** Turns whatever the SDK threw or returned into a LarkCallError. */
export function classifyLarkError(error: unknown): LarkCallError {
  if (error instanceof LarkCallError) return error;
  const e = (error ?? {}) as HttpErrorShape;
  const status = e.response?.status;
  const data = e.response?.data as { code?: number; msg?: string } | undefined;
  const code = typeof data?.code === 'number' ? data.code : undefined;
  const msg = `${status ?? 'network'} ${code ?? ''} ${data?.msg ?? e.message ?? String(error)}`.trim();
  if (code !== undefined && SLOW_DOWN.has(code)) return new LarkCallError('rate_limited', msg, status, code, 1000);
  if (code !== undefined && TRY_AGAIN.has(code)) return new LarkCallError('transient', msg, status, code);
  if (status === 429 || code === RATE_LIMITED || code === CHAT_RATE_LIMITED) {
    const reset = Number(e.response?.headers?.['x-ogw-ratelimit-reset']);
    return new LarkCallError('rate_limited', msg, status, code, Number.isFinite(reset) && reset > 0 ? reset * 1000 : 1000);
  }
  if (code !== undefined && TOKEN_INVALID.has(code)) return new LarkCallError('token_invalid', msg, status, code);
  if (status === undefined || status >= 500 || status === 408) return new LarkCallError('transient', msg, status, code);
  return new LarkCallError('permanent', msg, status, code);
}

function checkBody<T extends { code?: number; msg?: string }>(res: T | undefined): T {
  if (!res) throw new LarkCallError('transient', 'empty answer from Lark');
  if (res.code !== undefined && res.code !== 0) {
    const slow = res.code === RATE_LIMITED || res.code === CHAT_RATE_LIMITED || SLOW_DOWN.has(res.code);
    const kind = slow ? 'rate_limited' : TOKEN_INVALID.has(res.code) ? 'token_invalid' : TRY_AGAIN.has(res.code) ? 'transient' : 'permanent';
    throw new LarkCallError(kind, `${res.code} ${res.msg ?? ''}`.trim(), 200, res.code, kind === 'rate_limited' ? 1000 : undefined);
  }
  return res;
}

/** One call to Lark through the SDK, its failure classified (every API module calls Lark through this). */
export async function callLark<T extends { code?: number; msg?: string }>(fn: () => Promise<T>): Promise<T> {
  try {
    return checkBody(await fn());
  } catch (error) {
    throw classifyLarkError(error);
  }
}

/** A per-client token cache, so an invalid token can be dropped (the SDK's cache is process-wide). */
class TokenCache {
  readonly #values = new Map<string, { value: unknown; expiredTime?: number }>();
  async get(key: unknown, options?: { namespace?: string }): Promise<unknown> {
    const hit = this.#values.get(`${options?.namespace ?? ''}/${String(key)}`);
    if (!hit || (hit.expiredTime !== undefined && hit.expiredTime <= Date.now())) return undefined;
    return hit.value;
  }
  async set(key: unknown, value: unknown, expiredTime?: number, options?: { namespace?: string }): Promise<boolean> {
    this.#values.set(`${options?.namespace ?? ''}/${String(key)}`, { value, expiredTime });
    return true;
  }
  clear(): void {
    this.#values.clear();
  }
}

export interface Messenger {
  send(m: { receiveIdType: ReceiveIdType; receiveId: string; msgType: MsgType; content: string; uuid?: string }): Promise<SentMessage>;
  reply(m: { messageId: string; msgType: MsgType; content: string; uuid?: string }): Promise<SentMessage>;
  patchCard(m: { messageId: string; content: string }): Promise<void>;
  updateCardByToken(m: { token: string; card: unknown }): Promise<void>;
  uploadFile(m: { fileName: string; fileType: string; data: Buffer }): Promise<string>;
  uploadImage(m: { data: Buffer }): Promise<string>;
  /** What a user sent; stops reading past `maxBytes` (answering tooLarge). */
  /** Streams a file or image a user sent to `path` (never whole in memory), stopping past `maxBytes`. */
  downloadResource(m: { messageId: string; fileKey: string; type: 'file' | 'image'; path: string; maxBytes: number }): Promise<SavedDownload>;
  listGroupChats(): Promise<{ chatId: string; name: string }[]>;
  userName(openId: string): Promise<string | undefined>;
  /** open_ids of people by mobile number or e-mail (通过手机号或邮箱获取用户 ID); unknown ones are left out. */
  findUsers(q: { mobiles?: string[]; emails?: string[] }): Promise<Map<string, string>>;
  /** The open_id of a user given by user_id (needs contact:user.employee_id:readonly). */
  openIdOfUserId(userId: string): Promise<string | undefined>;
  /** Members of a group the bot is in, with names (users only). */
  chatMembers(chatId: string): Promise<{ openId: string; name: string }[]>;
  /** The scopes the tenant granted the app (查询租户授权状态). */
  grantedScopes(): Promise<string[]>;
  /** The bot's identity and whether its bot capability is on (activate_status 2). */
  botInfo(): Promise<{ openId?: string; name?: string; activated: boolean }>;
  botOpenId(): Promise<string | undefined>;
  /** Drops the cached tenant token so the next call fetches a fresh one. */
  refreshToken(): void;
  /** The scopes a failed call says the app lacks (Lark's 99991672), else undefined: callers need no Lark error codes. */
  missingScopes(error: unknown): string[] | undefined;
  /** The Approval Center (三方审批). */
  approvals: ApprovalApi;
  /** 多维表格 (the ledger). */
  bitable: BitableApi;
}

export function createMessenger(creds: LarkCredentials, log: Logger): Messenger {
  const cache = new TokenCache();
  if (!lark.defaultHttpInstance.defaults.timeout) lark.defaultHttpInstance.defaults.timeout = 15_000;
  const sdkLog = log.child({ component: 'lark-sdk' });
  const client = new lark.Client({
    appId: creds.appId,
    appSecret: creds.appSecret,
    domain: creds.domain,
    cache,
    loggerLevel: lark.LoggerLevel.error,
    // The SDK logs every failed call at error level; the outbox decides what is an error.
    logger: {
      error: (...m: unknown[]) => sdkLog.debug({ sdk: m }, 'lark sdk error'),
      warn: (...m: unknown[]) => sdkLog.debug({ sdk: m }, 'lark sdk warning'),
      info: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
    },
  });

  const call = callLark;

  let botId: Promise<string | undefined> | undefined;

  return {
    async send(m) {
      const res = await call(() =>
        client.im.v1.message.create({
          params: { receive_id_type: m.receiveIdType },
          data: { receive_id: m.receiveId, msg_type: m.msgType, content: m.content, ...(m.uuid ? { uuid: m.uuid } : {}) },
        }),
      );
      return { messageId: res.data?.message_id ?? '', chatId: res.data?.chat_id };
    },
    async reply(m) {
      const res = await call(() =>
        client.im.v1.message.reply({
          path: { message_id: m.messageId },
          data: { msg_type: m.msgType, content: m.content, ...(m.uuid ? { uuid: m.uuid } : {}) },
        }),
      );
      return { messageId: res.data?.message_id ?? '', chatId: res.data?.chat_id };
    },
    async patchCard(m) {
      await call(() => client.im.v1.message.patch({ path: { message_id: m.messageId }, data: { content: m.content } }));
    },
    async updateCardByToken(m) {
      await call(() =>
        client.request<{ code?: number; msg?: string }>({
          method: 'POST',
          url: '/open-apis/interactive/v1/card/update',
          data: { token: m.token, card: m.card },
        }),
      );
    },
    async uploadFile(m) {
      const res = await call(async () => {
        const r = await client.im.v1.file.create({
          data: { file_type: m.fileType as 'stream', file_name: m.fileName, file: m.data },
        });
        return { code: 0, ...r };
      });
      if (!res?.file_key) throw new LarkCallError('permanent', 'file upload returned no file_key');
      return res.file_key;
    },
    async uploadImage(m) {
      const res = await call(async () => {
        const r = await client.im.v1.image.create({ data: { image_type: 'message', image: m.data } });
        return { code: 0, ...r };
      });
      if (!res?.image_key) throw new LarkCallError('permanent', 'image upload returned no image_key');
      return res.image_key;
    },
    async downloadResource(m) {
      try {
        const res = await client.im.v1.messageResource.get({
          path: { message_id: m.messageId, file_key: m.fileKey },
          params: { type: m.type },
        });
        const stream = res.getReadableStream();
        const result = await saveLimited(stream as AsyncIterable<Uint8Array>, m.path, m.maxBytes);
        if (!result.ok) stream.destroy();
        return result;
      } catch (error) {
        throw classifyLarkError(error);
      }
    },
    async listGroupChats() {
      const chats: { chatId: string; name: string }[] = [];
      let pageToken: string | undefined;
      do {
        const res = await call(() => client.im.v1.chat.list({ params: { page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } }));
        for (const c of res.data?.items ?? []) if (c.chat_id) chats.push({ chatId: c.chat_id, name: c.name ?? '' });
        pageToken = res.data?.has_more ? res.data.page_token : undefined;
      } while (pageToken);
      return chats;
    },
    async userName(openId) {
      try {
        const res = await call(() => client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }));
        return res.data?.user?.name ?? undefined;
      } catch (error) {
        log.debug({ err: error, openId }, 'user name lookup failed');
        return undefined;
      }
    },
    async findUsers(q) {
      const found = new Map<string, string>();
      const mobiles = [...new Set(q.mobiles ?? [])];
      const emails = [...new Set(q.emails ?? [])];
      // At most 50 of each per call.
      for (let i = 0; i < Math.max(mobiles.length, emails.length); i += 50) {
        const res = await call(() =>
          client.contact.v3.user.batchGetId({
            params: { user_id_type: 'open_id' },
            data: { mobiles: mobiles.slice(i, i + 50), emails: emails.slice(i, i + 50), include_resigned: false },
          }),
        );
        for (const u of res.data?.user_list ?? []) {
          const key = u.mobile ?? u.email;
          if (key && u.user_id) found.set(key, u.user_id);
        }
      }
      return found;
    },
    async openIdOfUserId(userId) {
      const res = await call(() => client.contact.v3.user.get({ path: { user_id: userId }, params: { user_id_type: 'user_id' } }));
      return res.data?.user?.open_id ?? undefined;
    },
    async chatMembers(chatId) {
      const members: { openId: string; name: string }[] = [];
      let pageToken: string | undefined;
      do {
        const res = await call(() =>
          client.im.v1.chatMembers.get({
            path: { chat_id: chatId },
            params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
          }),
        );
        for (const m of res.data?.items ?? []) if (m.member_id) members.push({ openId: m.member_id, name: m.name ?? '' });
        pageToken = res.data?.has_more ? res.data.page_token : undefined;
      } while (pageToken);
      return members;
    },
    async grantedScopes() {
      const res = await call(() => client.application.v6.scope.list({}));
      return (res.data?.scopes ?? []).filter((s) => s.grant_status === 1).map((s) => s.scope_name);
    },
    async botInfo() {
      const res = await call(() =>
        client.request<{ code?: number; msg?: string; bot?: { open_id?: string; app_name?: string; activate_status?: number } }>({
          method: 'GET',
          url: '/open-apis/bot/v3/info',
        }),
      );
      return {
        ...(res.bot?.open_id ? { openId: res.bot.open_id } : {}),
        ...(res.bot?.app_name ? { name: res.bot.app_name } : {}),
        activated: res.bot?.activate_status === 2,
      };
    },
    botOpenId() {
      botId ??= call(() => client.request<{ code?: number; msg?: string; bot?: { open_id?: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' }))
        .then((r) => r.bot?.open_id)
        .catch((error: unknown) => {
          botId = undefined;
          log.warn({ err: error }, 'could not read the bot identity');
          return undefined;
        });
      return botId;
    },
    refreshToken() {
      cache.clear();
    },
    missingScopes,
    approvals: approvalApi(client, callLark),
    bitable: bitableApi(client, callLark),
  };
}
