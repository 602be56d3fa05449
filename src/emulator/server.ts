// Lark/Feishu open-platform emulator: enough of the OpenAPI for @larksuiteoapi/node-sdk to run unchanged.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApprovalCenter,
  type ApprovalDefinitionView,
  type ApprovalInstanceView,
  type ApprovalTaskEntry,
  type QuickApprovalInput,
  type QuickApprovalResult,
} from './approval.js';
import { Bitable, type BitableAppView, type BitableRecordView, type BitableTableView } from './bitable.js';
import {
  all,
  asRecord,
  type Ctx,
  type EmulatorHost,
  fail,
  first,
  type Handler,
  HttpError,
  matchPath,
  ok,
  type Query,
  type Reply,
  type StateChange,
  str,
  Windows,
} from './http.js';
import { DEFAULT_TENANT_KEY, newMessageId, randomHex, stableHex } from './ids.js';
import { boundaryOf, type MultipartResult, parseMultipart } from './multipart.js';
import { EMPLOYEE_ID_SCOPE } from './signing.js';

export type {
  ApprovalDefinitionView,
  ApprovalInstanceSummary,
  ApprovalInstanceView,
  ApprovalTaskEntry,
  ApprovalTaskView,
  QuickApprovalInput,
  QuickApprovalResult,
} from './approval.js';
export { QuickApprovalError } from './approval.js';
export type { BitableAppView, BitableField, BitableRecordView, BitableTableView, PlainValue } from './bitable.js';
export type { StateChange } from './http.js';

export interface EmulatorApp {
  appId: string;
  appSecret: string;
  /** Shown by /bot/v3/info. */
  name?: string;
  /** Scopes the tenant granted the app; default DEFAULT_GRANTED_SCOPES. */
  scopes?: string[];
}

/**
 * What an app gets when a tenant administrator grants everything docs/operators.md asks for, plus
 * the Approval Center's and Bitable's broad scopes (approval:approval, bitable:app) for the
 * copies there. Not contact:user.employee_id:readonly: with it Lark adds user_id to events and user
 * records.
 */
export const DEFAULT_GRANTED_SCOPES: readonly string[] = [
  'im:message:send_as_bot',
  'im:message.p2p_msg:readonly',
  'im:message.group_at_msg:readonly',
  'im:message:readonly',
  'im:resource',
  'im:chat:readonly',
  'contact:contact.base:readonly',
  'contact:user.base:readonly',
  'contact:user.id:readonly',
  'approval:approval',
  'bitable:app',
];

export interface EmulatorOptions {
  port?: number;
  host?: string;
  apps?: EmulatorApp[];
  perChatQps?: number;
  perAppQps?: number;
  perAppPerMinute?: number;
  /**
   * How the app-wide quota of the message APIs is counted. Lark's 频控策略 says per API (发送消息,
   * 回复消息 and 更新应用发送的消息卡片 each 50/s and 1,000/min); 'shared' counts them together, the
   * stricter reading, so tests can show the bot works either way.
   */
  messageQuota?: 'per-api' | 'shared';
  tokenTtlSeconds?: number;
  tenantKey?: string;
}

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Size of the request body as received (what Lark's 30 KB limit is on). */
  bytes: number;
  /** 0 while the answer is still pending (delayed calls). */
  status: number;
  code: number | undefined;
}

export interface EmulatedMessage {
  message_id: string;
  chat_id: string;
  receive_id: string;
  receive_id_type: string;
  msg_type: string;
  content: string;
  uuid?: string;
  parent_id?: string;
  root_id?: string;
  thread_id?: string;
  create_time: string;
  update_time: string;
  updated: boolean;
  /** What was sent, before any update. */
  sentContent?: string;
  updates: { at: number; content: string; via: 'patch' | 'card_update' | 'callback' }[];
  /** App that sent it; '' for messages a user sent (see userMessages). */
  sender_app_id: string;
  sender_type: 'app' | 'user';
  /** open_id of the user for user messages. */
  sender_open_id?: string;
}

export interface EmulatedUser {
  open_id: string;
  user_id: string;
  union_id: string;
  name: string;
  en_name: string;
  email?: string;
  mobile?: string;
}

export interface EmulatedChat {
  chat_id: string;
  name: string;
  chat_type: 'group' | 'p2p';
  members: string[];
  /** false after the bot was removed: sends to it fail like Lark's 230002. */
  bot_in_chat: boolean;
  description: string;
  owner_id: string;
}

export interface StoredFile {
  key: string;
  kind: 'file' | 'image';
  data: Buffer;
  fileName?: string;
  fileType?: string;
  appId: string;
}

export interface FaultSpec {
  method?: string;
  path?: string | RegExp;
  times: number;
  status: number;
  code?: number;
  msg?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface InboundMessageInput {
  message_id: string;
  chat_id: string;
  chat_type?: 'p2p' | 'group';
  sender_open_id: string;
  msg_type: string;
  content: string;
  create_time?: string;
  parent_id?: string;
  root_id?: string;
}

export interface LarkEmulator {
  url: string;
  calls: RecordedCall[];
  messages: EmulatedMessage[];
  /** Messages users sent (registered by signing.messageEvent with `emulator`), for replies and chat views. */
  userMessages: EmulatedMessage[];
  addUser(u: { open_id: string; user_id?: string; union_id?: string; name: string; en_name?: string; email?: string; mobile?: string }): void;
  /** Whether the tenant granted the app this scope (see DEFAULT_GRANTED_SCOPES). */
  hasScope(appId: string, scope: string): boolean;
  setScopes(appId: string, scopes: readonly string[]): void;
  /** Moves a sent message's creation back in time (Lark patches only messages under 14 days old). */
  ageMessage(messageId: string, ms: number): void;
  getUser(openId: string): EmulatedUser | undefined;
  listUsers(): EmulatedUser[];
  addChat(c: { chat_id: string; name: string; chat_type?: 'group' | 'p2p'; members?: string[]; description?: string; owner_id?: string }): void;
  getChat(chatId: string): EmulatedChat | undefined;
  listChats(): EmulatedChat[];
  setBotInChat(chatId: string, inChat: boolean): void;
  p2pChatId(openId: string): string;
  putResource(messageId: string, fileKey: string, data: Buffer, fileName?: string): void;
  getFile(fileKey: string): StoredFile | undefined;
  getImage(imageKey: string): StoredFile | undefined;
  addInboundMessage(m: InboundMessageInput): EmulatedMessage;
  /** Bot and user messages of one chat in creation order. */
  chatLog(chatId: string): EmulatedMessage[];
  registerCardToken(token: string, messageId: string): void;
  injectFault(f: FaultSpec): void;
  setDelay(path: string | RegExp, ms: number): void;
  invalidateTokens(): void;
  onMessage(listener: (m: EmulatedMessage) => void): () => void;
  /** A card callback answered with a card: Lark shows it in place of the clicked one. */
  replaceByCallback(messageId: string, card: object): boolean;
  messagesTo(receiveIdOrChatId: string): EmulatedMessage[];
  /** Third-party approval definitions the apps synced (审批中心, approval.ts). */
  approvalDefinitions(): ApprovalDefinitionView[];
  /** Synced instances, with i18n keys resolved to the default locale's texts (titleText, formText…). */
  approvalInstances(): ApprovalInstanceView[];
  /** A person's tasks across instances (by open_id, or by that person's user_id), newest first. */
  approvalTasks(openId: string): ApprovalTaskEntry[];
  /**
   * The Approval Center's 同意 / 拒绝 on a task: posts the quick-approval callback to the definition's
   * action_callback_url and returns the app's answer. Throws QuickApprovalError when Lark would not
   * call (not pending, not this person's, no such button, no reason where required, no callback URL).
   */
  quickApprove(input: QuickApprovalInput): Promise<QuickApprovalResult>;
  /** A 多维表格 the bureau created and shared with the bot: until added, its app_token is unknown (1254040). */
  addBitableApp(appToken: string, name?: string): void;
  bitableApps(): BitableAppView[];
  /** The tables of a base, with their fields. */
  bitableTables(appToken: string): BitableTableView[];
  /** A table's records: cells as Lark returns them, and flattened (`plain`). */
  bitableRecords(appToken: string, tableId: string): BitableRecordView[];
  /** Follows changes of the approval and Bitable state (the playground's live views). */
  onChange(listener: (kind: StateChange) => void): () => void;
  tenantKey: string;
  botOpenId(appId?: string): string;
  reset(): void;
  close(): Promise<void>;
}

// Lark error codes used below; where the real code is unknown the comment says so.
const CODE = {
  missingToken: 99991661,
  invalidToken: 99991663,
  rateLimited: 99991400,
  /** Per receiver: 消息 API 错误码 230020「触发频率限制」. */
  receiverRateLimited: 230020,
  /** 99991672: the app lacks the scope the API needs (通用错误码). */
  scopeMissing: 99991672,
  /** Patch of a message older than 14 days (更新应用发送的消息卡片, 错误码 230031). */
  messageTooOld: 230031,
  fieldValidation: 99992402,
  invalidParam: 230001,
  botNotInChat: 230002,
  noUserAvailability: 230013,
  contentTooLong: 230025,
  fileNotInMsg: 234003,
  fileTooLarge: 234006,
  fileEmpty: 234010,
  invalidChatId: 232006,
  userNotFound: 41050, // best guess for contact lookups of unknown users
  authInvalidParam: 10003,
  appSecretInvalid: 10014,
  badRequest: 9499,
} as const;

const MSG_INVALID_TOKEN = 'Invalid access token for authorization. Please make a request with token attached.';
const MSG_MISSING_TOKEN = 'Missing access token for authorization. Please make a request with token attached.';
const MSG_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user']);
const RECEIVE_ID_TYPES = new Set(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const KB = 1024;
const MB = 1024 * 1024;
// 发送消息 (open.feishu.cn/document/server-docs/im-v1/message/create) and 更新应用发送的消息卡片
// (…/im-v1/message-card/patch): 「文本消息请求体最大不能超过 150 KB；卡片及富文本消息请求体最大不能超过
// 30 KB」. The request body, where the card is a string inside `content`, escaped once more.
const CARD_LIMIT = 30 * KB;
const TEXT_LIMIT = 150 * KB;
// 更新应用发送的消息卡片: 「仅支持修改 14 天内发送的消息」.
const PATCH_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const FILE_LIMIT = 30 * MB;
const IMAGE_LIMIT = 10 * MB;
const BODY_CAP = 40 * MB;
const UUID_TTL_MS = 60 * 60 * 1000;
const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
const PATCH_QPS_PER_MESSAGE = 5;
// 权限要求 of each API (「开启其中任意一项权限即可调用」), from its documentation page.
const SEND_SCOPES = ['im:message', 'im:message:send_as_bot'];
// 获取消息中的资源文件 needs a message-reading scope; 上传文件/图片 needs im:resource.
const DOWNLOAD_SCOPES = ['im:message', 'im:message:readonly', 'im:message.history:readonly'];
const UPLOAD_SCOPES = ['im:resource'];
const CHAT_SCOPES = ['im:chat', 'im:chat:readonly', 'im:chat.group_info:readonly'];
const MEMBER_SCOPES = [...CHAT_SCOPES, 'im:chat.members:read'];
// 获取单个用户信息 / 批量获取用户信息; their name field needs contact:user.base:readonly (字段权限要求).
const USER_READ_SCOPES = ['contact:contact.base:readonly', 'contact:contact:access_as_app', 'contact:contact:readonly_as_app', 'contact:contact:readonly'];
const NAME_SCOPE = 'contact:user.base:readonly';
const BATCH_GET_ID_SCOPES = ['contact:user.id:readonly'];

// Tokens live process-wide because the SDK caches tokens process-wide (per appId): a Client that
// outlives one emulator instance must still be accepted by the next one, like one real Lark.
interface TokenRecord {
  appId: string;
  expiresAt: number;
  invalid: boolean;
}
const tokenRegistry = new Map<string, TokenRecord>();

interface Route {
  method: string;
  re: RegExp;
  keys: string[];
  auth: boolean;
  handler: Handler;
}

class Emulator implements LarkEmulator {
  url = '';
  readonly calls: RecordedCall[] = [];
  readonly messages: EmulatedMessage[] = [];
  readonly userMessages: EmulatedMessage[] = [];
  readonly tenantKey: string;

  private readonly apps = new Map<string, EmulatorApp>();
  private readonly users = new Map<string, EmulatedUser>();
  private readonly chats = new Map<string, EmulatedChat>();
  private readonly p2p = new Map<string, string>(); // open_id -> chat_id
  private readonly byId = new Map<string, EmulatedMessage>();
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  private readonly resources = new Map<string, { data: Buffer; fileName?: string }>();
  private readonly files = new Map<string, StoredFile>();
  private readonly cardTokens = new Map<string, { messageId: string; expiresAt: number; usesLeft: number }>();
  private readonly faults: FaultSpec[] = [];
  private readonly delays: { path: string | RegExp; ms: number }[] = [];
  private readonly listeners = new Set<(m: EmulatedMessage) => void>();
  private readonly windows = new Windows();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly routes: Route[] = [];
  private readonly perChatQps: number;
  private readonly perAppQps: number;
  private readonly perAppPerMinute: number;
  private readonly messageQuota: 'per-api' | 'shared';
  private readonly scopes = new Map<string, Set<string>>();
  private readonly tokenTtlMs: number;
  private readonly changeListeners = new Set<(kind: StateChange) => void>();
  private readonly approval: ApprovalCenter;
  private readonly bitable: Bitable;
  private server?: Server;

  constructor(opts: EmulatorOptions) {
    for (const app of opts.apps ?? [{ appId: 'cli_test', appSecret: 'secret_test' }]) {
      this.apps.set(app.appId, app);
      this.scopes.set(app.appId, new Set(app.scopes ?? DEFAULT_GRANTED_SCOPES));
    }
    this.perChatQps = opts.perChatQps ?? 5;
    this.perAppQps = opts.perAppQps ?? 50;
    this.perAppPerMinute = opts.perAppPerMinute ?? 1000;
    this.messageQuota = opts.messageQuota ?? 'per-api';
    this.tokenTtlMs = (opts.tokenTtlSeconds ?? 7200) * 1000;
    this.tenantKey = opts.tenantKey ?? DEFAULT_TENANT_KEY;
    this.defineRoutes();
    // The Approval Center and Bitable live in their own files and register through this host.
    const host: EmulatorHost = {
      on: (method, pattern, handler) => this.on(method, pattern, handler),
      requireScope: (c, anyOf) => this.requireScope(c, anyOf),
      limit: (c, api, perSecond, perMinute) => this.limitApi(c, api, perSecond, perMinute),
      getUser: (openId) => this.users.get(openId),
      listUsers: () => this.listUsers(),
      changed: (kind) => this.changed(kind),
    };
    this.approval = new ApprovalCenter(host);
    this.bitable = new Bitable(host);
  }

  async listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Last resort: a bug in the emulator must surface as a 500, not a hung client.
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ code: 500, msg: `emulator error: ${String(err)}` }));
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    this.url = `http://${shownHost}:${addr.port}`;
  }

  // ---------- public helpers ----------

  addUser(u: { open_id: string; user_id?: string; union_id?: string; name: string; en_name?: string; email?: string; mobile?: string }): void {
    this.users.set(u.open_id, {
      open_id: u.open_id,
      user_id: u.user_id ?? stableHex(`user_id:${u.open_id}`, 8),
      union_id: u.union_id ?? `on_${stableHex(`union_id:${u.open_id}`, 32)}`,
      name: u.name,
      en_name: u.en_name ?? u.name,
      email: u.email,
      mobile: u.mobile,
    });
  }

  hasScope(appId: string, scope: string): boolean {
    return this.scopes.get(appId)?.has(scope) ?? false;
  }

  setScopes(appId: string, scopes: readonly string[]): void {
    this.scopes.set(appId, new Set(scopes));
  }

  ageMessage(messageId: string, ms: number): void {
    const m = this.byId.get(messageId);
    if (m) m.create_time = String(Number(m.create_time) - ms);
  }

  getUser(openId: string): EmulatedUser | undefined {
    return this.users.get(openId);
  }

  listUsers(): EmulatedUser[] {
    return [...this.users.values()];
  }

  addChat(c: { chat_id: string; name: string; chat_type?: 'group' | 'p2p'; members?: string[]; description?: string; owner_id?: string }): void {
    const chat: EmulatedChat = {
      chat_id: c.chat_id,
      name: c.name,
      chat_type: c.chat_type ?? 'group',
      members: [...(c.members ?? [])],
      bot_in_chat: true,
      description: c.description ?? '',
      owner_id: c.owner_id ?? c.members?.[0] ?? '',
    };
    this.chats.set(c.chat_id, chat);
    if (chat.chat_type === 'p2p' && chat.members[0]) this.p2p.set(chat.members[0], chat.chat_id);
  }

  getChat(chatId: string): EmulatedChat | undefined {
    return this.chats.get(chatId);
  }

  listChats(): EmulatedChat[] {
    return [...this.chats.values()];
  }

  setBotInChat(chatId: string, inChat: boolean): void {
    const chat = this.chats.get(chatId);
    if (chat) chat.bot_in_chat = inChat;
  }

  p2pChatId(openId: string): string {
    const known = this.p2p.get(openId);
    if (known) return known;
    const chatId = `oc_${stableHex(`p2p:${openId}`, 32)}`;
    this.addChat({ chat_id: chatId, name: this.users.get(openId)?.name ?? '', chat_type: 'p2p', members: [openId] });
    return chatId;
  }

  putResource(messageId: string, fileKey: string, data: Buffer, fileName?: string): void {
    this.resources.set(`${messageId}\u0000${fileKey}`, { data: Buffer.from(data), fileName });
  }

  getFile(fileKey: string): StoredFile | undefined {
    const f = this.files.get(fileKey);
    return f?.kind === 'file' ? f : undefined;
  }

  getImage(imageKey: string): StoredFile | undefined {
    const f = this.files.get(imageKey);
    return f?.kind === 'image' ? f : undefined;
  }

  addInboundMessage(m: InboundMessageInput): EmulatedMessage {
    if (!this.chats.has(m.chat_id)) {
      if (m.chat_type === 'p2p')
        this.addChat({ chat_id: m.chat_id, name: this.users.get(m.sender_open_id)?.name ?? '', chat_type: 'p2p', members: [m.sender_open_id] });
      else this.addChat({ chat_id: m.chat_id, name: '', members: [m.sender_open_id] });
    }
    const now = m.create_time ?? String(Date.now());
    const msg: EmulatedMessage = {
      message_id: m.message_id,
      chat_id: m.chat_id,
      receive_id: m.chat_id,
      receive_id_type: 'chat_id',
      msg_type: m.msg_type,
      content: m.content,
      parent_id: m.parent_id,
      root_id: m.root_id,
      create_time: now,
      update_time: now,
      updated: false,
      updates: [],
      sender_app_id: '',
      sender_type: 'user',
      sender_open_id: m.sender_open_id,
    };
    this.userMessages.push(msg);
    this.byId.set(msg.message_id, msg);
    return msg;
  }

  chatLog(chatId: string): EmulatedMessage[] {
    return [...this.messages, ...this.userMessages].filter((m) => m.chat_id === chatId).sort((a, b) => Number(a.create_time) - Number(b.create_time));
  }

  registerCardToken(token: string, messageId: string): void {
    this.cardTokens.set(token, { messageId, expiresAt: Date.now() + CARD_TOKEN_TTL_MS, usesLeft: 2 });
  }

  injectFault(f: FaultSpec): void {
    if (f.times > 0) this.faults.push({ ...f });
  }

  setDelay(path: string | RegExp, ms: number): void {
    const same = (p: string | RegExp): boolean =>
      typeof p === 'string' || typeof path === 'string' ? p === path : p.source === path.source && p.flags === path.flags;
    const i = this.delays.findIndex((d) => same(d.path));
    if (i >= 0) this.delays.splice(i, 1);
    if (ms > 0) this.delays.push({ path, ms });
  }

  invalidateTokens(): void {
    for (const rec of tokenRegistry.values()) if (this.apps.has(rec.appId)) rec.invalid = true;
  }

  onMessage(listener: (m: EmulatedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  replaceByCallback(messageId: string, card: object): boolean {
    const m = this.byId.get(messageId);
    if (m?.msg_type !== 'interactive') return false;
    this.updateContent(m, JSON.stringify(card), 'callback');
    return true;
  }

  messagesTo(receiveIdOrChatId: string): EmulatedMessage[] {
    const p2pChat = this.p2p.get(receiveIdOrChatId);
    return this.messages.filter(
      (m) => m.receive_id === receiveIdOrChatId || m.chat_id === receiveIdOrChatId || (p2pChat !== undefined && m.chat_id === p2pChat),
    );
  }

  botOpenId(appId?: string): string {
    const id = appId ?? this.apps.keys().next().value ?? 'cli_test';
    return `ou_${stableHex(`bot:${id}`, 32)}`;
  }

  approvalDefinitions(): ApprovalDefinitionView[] {
    return this.approval.definitionsView();
  }

  approvalInstances(): ApprovalInstanceView[] {
    return this.approval.instancesView();
  }

  approvalTasks(openId: string): ApprovalTaskEntry[] {
    return this.approval.tasksOf(openId);
  }

  quickApprove(input: QuickApprovalInput): Promise<QuickApprovalResult> {
    return this.approval.quickApprove(input);
  }

  addBitableApp(appToken: string, name?: string): void {
    this.bitable.addApp(appToken, name);
  }

  bitableApps(): BitableAppView[] {
    return this.bitable.apps();
  }

  bitableTables(appToken: string): BitableTableView[] {
    return this.bitable.tables(appToken);
  }

  bitableRecords(appToken: string, tableId: string): BitableRecordView[] {
    return this.bitable.records(appToken, tableId);
  }

  onChange(listener: (kind: StateChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(kind: StateChange): void {
    for (const l of this.changeListeners) {
      try {
        l(kind);
      } catch {
        // A failing listener must not break the HTTP answer.
      }
    }
  }

  reset(): void {
    // Cleared in place so arrays already held by tests stay live.
    this.calls.length = 0;
    this.messages.length = 0;
    this.userMessages.length = 0;
    this.faults.length = 0;
    this.delays.length = 0;
    this.byId.clear();
    this.uuids.clear();
    this.resources.clear();
    this.files.clear();
    this.cardTokens.clear();
    this.windows.clear();
    this.approval.reset();
    this.bitable.reset();
    this.changed('approval');
    this.changed('bitable');
  }

  async close(): Promise<void> {
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.sleepers.clear();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---------- HTTP plumbing ----------

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleepers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.sleepers.add(entry);
    });
  }

  private async readBody(req: IncomingMessage): Promise<{ buf: Buffer; tooLarge: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep draining so the client gets an answer instead of a reset socket.
      if (size > BODY_CAP) tooLarge = true;
      else chunks.push(chunk);
    }
    return { buf: Buffer.concat(chunks), tooLarge };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { buf, tooLarge } = await this.readBody(req);
    // When the request is complete: the moment the rate limits count it.
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const query: Query = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }

    let body: unknown;
    let multipart: MultipartResult | undefined;
    let parseError: string | undefined;
    const contentType = req.headers['content-type'];
    if (!tooLarge && buf.length > 0) {
      if (boundaryOf(contentType)) {
        try {
          multipart = parseMultipart(buf, contentType);
          const files: Record<string, unknown> = {};
          for (const [k, f] of Object.entries(multipart.files)) files[k] = { filename: f.filename, contentType: f.contentType, size: f.data.length };
          body = { ...multipart.fields, ...files };
        } catch (e) {
          parseError = String(e);
        }
      } else {
        try {
          body = JSON.parse(buf.toString('utf8'));
        } catch {
          // GET bodies from axios may be junk; only writes need a valid body.
          if (method !== 'GET') parseError = 'body is not valid JSON';
        }
      }
    }

    const call: RecordedCall = { at, method, path, query, headers: req.headers, body, bytes: buf.length, status: 0, code: undefined };
    this.calls.push(call);

    const send = async (reply: Reply, delayMs: number): Promise<void> => {
      // The request has been processed once its answer leaves (delays included), or once the
      // caller has gone (a client killed while waiting holds nothing open).
      if (reply.after) res.once('close', reply.after);
      await this.sleep(delayMs);
      reply.after?.();
      call.status = reply.status;
      call.code = reply.json ? (typeof reply.json.code === 'number' ? reply.json.code : undefined) : 0;
      if (res.destroyed || res.writableEnded) return;
      const headers: Record<string, string> = { 'x-tt-logid': randomHex(32), ...(reply.headers ?? {}) };
      if (reply.raw) {
        res.writeHead(reply.status, headers);
        res.end(reply.raw);
      } else {
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(reply.json ?? {}));
      }
    };
    const errorReply = (status: number, code: number, msg: string, headers?: Record<string, string>): Reply => ({
      status,
      json: { code, msg, error: { log_id: randomHex(32) } },
      headers,
    });

    // Faults act like the gateway: before routing and auth, one fault per call.
    let extraDelay = 0;
    const faultIdx = this.faults.findIndex((f) => f.times > 0 && (!f.method || f.method.toUpperCase() === method) && (!f.path || matchPath(f.path, path)));
    if (faultIdx >= 0) {
      const fault = this.faults[faultIdx]!;
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(faultIdx, 1);
      if (fault.status !== 200) {
        const code = fault.code ?? (fault.status === 429 ? CODE.rateLimited : fault.status);
        await send(errorReply(fault.status, code, fault.msg ?? 'emulator: injected fault', fault.headers), fault.delayMs ?? 0);
        return;
      }
      extraDelay += fault.delayMs ?? 0;
    }
    for (const d of this.delays) if (matchPath(d.path, path)) extraDelay += d.ms;

    let reply: Reply;
    try {
      if (tooLarge) fail(413, CODE.fileTooLarge, 'request body too large');
      const found = this.route(method, path);
      if (!found) {
        reply = { status: 404, json: { code: 404, msg: `emulator: not implemented ${method} ${path}` } };
      } else {
        if (parseError) fail(400, CODE.badRequest, `Bad Request: ${parseError}`);
        const appId = found.route.auth ? this.authenticate(req.headers.authorization) : '';
        reply = await found.route.handler({
          method,
          path,
          query,
          params: found.params,
          headers: req.headers,
          body,
          multipart,
          bodyBytes: buf.length,
          at,
          appId,
        });
      }
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      reply = errorReply(e.status, e.code, e.message, e.headers);
    }
    await send(reply, extraDelay);
  }

  private route(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      return { route, params };
    }
    return undefined;
  }

  private on(method: string, pattern: string, handler: Handler, auth = true): void {
    const keys: string[] = [];
    const re = new RegExp(
      `^${pattern.replace(/:([a-z_]+)/g, (_, k: string) => {
        keys.push(k);
        return '([^/]+)';
      })}/?$`,
    );
    this.routes.push({ method, re, keys, auth, handler });
  }

  private authenticate(header: string | undefined): string {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) fail(400, CODE.missingToken, MSG_MISSING_TOKEN);
    const rec = tokenRegistry.get(m![1]!);
    // Unknown, invalidated and expired tokens all get 99991663, as on Lark.
    if (!rec || rec.invalid || rec.expiresAt <= Date.now() || !this.apps.has(rec.appId)) fail(400, CODE.invalidToken, MSG_INVALID_TOKEN);
    return rec!.appId;
  }

  // ---------- endpoints ----------

  private defineRoutes(): void {
    this.on('POST', '/open-apis/auth/v3/tenant_access_token/internal', (c) => this.issueToken(c, false), false);
    this.on('POST', '/open-apis/auth/v3/app_access_token/internal', (c) => this.issueToken(c, true), false);
    this.on('POST', '/open-apis/im/v1/messages', (c) => this.createMessage(c));
    this.on('POST', '/open-apis/im/v1/messages/:message_id/reply', (c) => this.replyMessage(c));
    this.on('PATCH', '/open-apis/im/v1/messages/:message_id', (c) => this.patchMessage(c));
    this.on('GET', '/open-apis/im/v1/messages/:message_id', (c) => this.getMessage(c));
    this.on('GET', '/open-apis/im/v1/messages/:message_id/resources/:file_key', (c) => this.getResource(c));
    this.on('POST', '/open-apis/im/v1/files', (c) => this.upload(c, 'file'));
    this.on('POST', '/open-apis/im/v1/images', (c) => this.upload(c, 'image'));
    this.on('GET', '/open-apis/im/v1/chats', (c) => this.listChatsApi(c));
    this.on('GET', '/open-apis/im/v1/chats/:chat_id', (c) => this.getChatApi(c));
    this.on('POST', '/open-apis/interactive/v1/card/update', (c) => this.cardUpdate(c));
    this.on('GET', '/open-apis/contact/v3/users/batch', (c) => this.batchUsers(c));
    this.on('POST', '/open-apis/contact/v3/users/batch_get_id', (c) => this.batchGetId(c));
    this.on('GET', '/open-apis/im/v1/chats/:chat_id/members', (c) => this.chatMembers(c));
    this.on('GET', '/open-apis/application/v6/scopes', (c) => this.listScopes(c));
    this.on('GET', '/open-apis/contact/v3/users/:user_id', (c) => this.getUserApi(c));
    this.on('GET', '/open-apis/bot/v3/info', (c) => this.botInfo(c));
  }

  private issueToken(c: Ctx, withAppToken: boolean): Reply {
    const body = asRecord(c.body);
    const appId = str(body.app_id);
    const secret = str(body.app_secret);
    if (!appId || !secret) fail(400, CODE.authInvalidParam, 'invalid param');
    const app = this.apps.get(appId!);
    if (!app) fail(400, CODE.authInvalidParam, 'app_id is invalid'); // real message for unknown ids not verified
    if (app!.appSecret !== secret) fail(400, CODE.appSecretInvalid, 'app secret invalid');
    const now = Date.now();
    // Lark hands back the live token while more than 30 minutes of it remain.
    let token: string | undefined;
    let expiresAt = 0;
    for (const [t, rec] of tokenRegistry) {
      if (rec.appId === appId && !rec.invalid && rec.expiresAt - now > 30 * 60 * 1000 && rec.expiresAt > expiresAt) {
        token = t;
        expiresAt = rec.expiresAt;
      }
    }
    if (!token) {
      token = `t-${randomHex(40)}`;
      expiresAt = now + this.tokenTtlMs;
      tokenRegistry.set(token, { appId: appId!, expiresAt, invalid: false });
    }
    const expire = Math.max(0, Math.floor((expiresAt - now) / 1000));
    const json: Record<string, unknown> = { code: 0, msg: 'ok', tenant_access_token: token, expire };
    // Self-built apps get the same t- token for both fields.
    if (withAppToken) json.app_access_token = token;
    return { status: 200, json };
  }

  private messageView(m: EmulatedMessage): Record<string, unknown> {
    return {
      message_id: m.message_id,
      root_id: m.root_id,
      parent_id: m.parent_id,
      thread_id: m.thread_id,
      msg_type: m.msg_type,
      create_time: m.create_time,
      update_time: m.update_time,
      deleted: false,
      updated: m.updated,
      chat_id: m.chat_id,
      sender:
        m.sender_type === 'app'
          ? { id: m.sender_app_id, id_type: 'app_id', sender_type: 'app', tenant_key: this.tenantKey }
          : { id: m.sender_open_id, id_type: 'open_id', sender_type: 'user', tenant_key: this.tenantKey },
      body: { content: m.content },
    };
  }

  private resolveTarget(receiveIdType: string, receiveId: string): string {
    if (receiveIdType === 'chat_id') {
      const chat = this.chats.get(receiveId);
      if (!chat) fail(400, CODE.botNotInChat, 'Bot/User can NOT be out of the chat.'); // Lark answers the same for unknown chats
      if (!chat!.bot_in_chat) fail(400, CODE.botNotInChat, 'Bot/User can NOT be out of the chat.');
      return receiveId;
    }
    if (receiveIdType === 'open_id') {
      if (!receiveId.startsWith('ou_')) fail(400, CODE.fieldValidation, 'field validation failed: receive_id is not a valid open_id');
      return this.p2pChatId(receiveId);
    }
    const user = [...this.users.values()].find((u) =>
      receiveIdType === 'user_id' ? u.user_id === receiveId : receiveIdType === 'union_id' ? u.union_id === receiveId : u.email === receiveId,
    );
    if (!user) fail(400, CODE.noUserAvailability, 'Bot has NO availability to this user.');
    return this.p2pChatId(user!.open_id);
  }

  private validateContent(msgType: string, content: unknown): string {
    if (typeof content !== 'string') fail(400, CODE.fieldValidation, 'field validation failed: content is required');
    let parsed: unknown;
    try {
      parsed = JSON.parse(content as string);
    } catch {
      fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=invalid message content');
    }
    const obj = asRecord(parsed);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=content must be a JSON object');
    }
    if (msgType === 'text' && typeof obj.text !== 'string')
      fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=text content needs a "text" string');
    if (msgType === 'image') {
      const key = str(obj.image_key);
      if (!key || !this.getImage(key)) fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=unknown image_key');
    }
    if (msgType === 'file' || msgType === 'audio' || msgType === 'media') {
      const key = str(obj.file_key);
      if (!key || !this.getFile(key)) fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=unknown file_key');
    }
    return content as string;
  }

  /**
   * Lark's limits on message APIs. Per app: 「接口频率限制 1000 次/分钟、50 次/秒」 on 发送消息 and
   * 更新应用发送的消息卡片; over it Lark answers HTTP 429, code 99991400, with the headers
   * x-ogw-ratelimit-limit and x-ogw-ratelimit-reset (seconds until the window resets) (频率控制策略,
   * open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN). Per receiver: 「给同一用户发消息的限频为
   * 5 QPS、给同一群组发消息的限频为群内机器人共享 5 QPS」 (发送消息), answered with 230020; per message
   * patched: 「单条消息更新频控为 5 QPS」. A user's open_id and their p2p chat are one receiver.
   */
  private checkRate(c: Ctx, api: 'create' | 'reply' | 'patch', receiverKey: string): void {
    // Per API per app (频控策略: 「频控策略等级都是应用于每个 API、每个应用、每个租户的基础上」), or all three together.
    const appId = this.messageQuota === 'shared' ? c.appId : `${c.appId}:${api}`;
    const now = c.at;
    const perMinute = this.windows.take(`app-minute:${appId}`, this.perAppPerMinute, now, 60_000);
    if (perMinute > 0)
      fail(429, CODE.rateLimited, 'request trigger frequency limit', {
        'x-ogw-ratelimit-limit': String(this.perAppPerMinute),
        'x-ogw-ratelimit-reset': String(perMinute),
      });
    const perSecond = this.windows.take(`app:${appId}`, this.perAppQps, now);
    if (perSecond > 0)
      fail(429, CODE.rateLimited, 'request trigger frequency limit', {
        'x-ogw-ratelimit-limit': String(this.perAppQps),
        'x-ogw-ratelimit-reset': String(perSecond),
      });
    if (receiverKey && this.windows.take(receiverKey, receiverKey.startsWith('msg:') ? PATCH_QPS_PER_MESSAGE : this.perChatQps, now) > 0) {
      fail(400, CODE.receiverRateLimited, 'The request frequency of the same receiver exceeds the limit.');
    }
    this.windows.record(`app-minute:${appId}`, now, 60_000);
    this.windows.record(`app:${appId}`, now);
    if (receiverKey) this.windows.record(receiverKey, now);
  }

  /**
   * One API's limit per app, in windows of its own (频率控制策略: 「频控是针对每个应用的每个接口」): answered
   * as checkRate does, HTTP 429, 99991400 and the x-ogw-ratelimit-* headers.
   */
  private limitApi(c: Ctx, api: string, perSecond: number, perMinute?: number): void {
    const minuteKey = `api-minute:${api}:${c.appId}`;
    const secondKey = `api:${api}:${c.appId}`;
    if (perMinute !== undefined) {
      const wait = this.windows.take(minuteKey, perMinute, c.at, 60_000);
      if (wait > 0)
        fail(429, CODE.rateLimited, 'request trigger frequency limit', { 'x-ogw-ratelimit-limit': String(perMinute), 'x-ogw-ratelimit-reset': String(wait) });
    }
    const wait = this.windows.take(secondKey, perSecond, c.at);
    if (wait > 0)
      fail(429, CODE.rateLimited, 'request trigger frequency limit', { 'x-ogw-ratelimit-limit': String(perSecond), 'x-ogw-ratelimit-reset': String(wait) });
    if (perMinute !== undefined) this.windows.record(minuteKey, c.at, 60_000);
    this.windows.record(secondKey, c.at);
  }

  /** 99991672 when the tenant has not granted any of the scopes an API names (权限要求: 开启任一权限即可). */
  private requireScope(c: Ctx, anyOf: readonly string[]): void {
    if (anyOf.some((scope) => this.hasScope(c.appId, scope))) return;
    fail(
      400,
      CODE.scopeMissing,
      `Access denied. One of the following scopes is required: [${anyOf.join(', ')}].应用尚未开通所需的应用身份权限：[${anyOf.join(', ')}]`,
    );
  }

  /** The request-body limit of 发送消息 / 更新应用发送的消息卡片 (see CARD_LIMIT). */
  private checkBodySize(c: Ctx, msgType: string): void {
    const limit = msgType === 'interactive' || msgType === 'post' ? CARD_LIMIT : msgType === 'text' ? TEXT_LIMIT : undefined;
    if (limit !== undefined && c.bodyBytes > limit) fail(400, CODE.contentTooLong, `The request body of a ${msgType} message exceeds ${limit / KB} KB.`);
  }

  private dedupe(appId: string, uuid: string | undefined): EmulatedMessage | undefined {
    if (!uuid) return undefined;
    const hit = this.uuids.get(`${appId}\u0000${uuid}`);
    if (!hit || Date.now() - hit.at > UUID_TTL_MS) return undefined;
    return this.byId.get(hit.messageId);
  }

  private readMessageBody(c: Ctx): { msgType: string; content: string; uuid?: string; body: Record<string, unknown> } {
    this.requireScope(c, SEND_SCOPES);
    const body = asRecord(c.body);
    const msgType = str(body.msg_type);
    if (!msgType || !MSG_TYPES.has(msgType))
      fail(400, CODE.fieldValidation, `field validation failed: msg_type ${JSON.stringify(body.msg_type)} is not supported`);
    const uuid = body.uuid === undefined || body.uuid === '' ? undefined : str(body.uuid);
    if (body.uuid !== undefined && body.uuid !== '' && uuid === undefined) fail(400, CODE.fieldValidation, 'field validation failed: uuid must be a string');
    if (uuid && uuid.length > 50) fail(400, CODE.fieldValidation, 'field validation failed: uuid is longer than 50 characters');
    const content = this.validateContent(msgType!, body.content);
    this.checkBodySize(c, msgType!);
    return { msgType: msgType!, content, uuid, body };
  }

  private store(m: EmulatedMessage, uuid: string | undefined): void {
    m.sentContent = m.content;
    this.messages.push(m);
    this.byId.set(m.message_id, m);
    if (uuid) this.uuids.set(`${m.sender_app_id}\u0000${uuid}`, { messageId: m.message_id, at: Date.now() });
    this.emit(m);
  }

  private emit(m: EmulatedMessage): void {
    for (const l of this.listeners) {
      try {
        l(m);
      } catch {
        // A failing test listener must not break the HTTP answer.
      }
    }
  }

  private createMessage(c: Ctx): Reply {
    const receiveIdType = first(c.query, 'receive_id_type');
    if (!receiveIdType || !RECEIVE_ID_TYPES.has(receiveIdType)) fail(400, CODE.fieldValidation, 'field validation failed: receive_id_type is required');
    const { msgType, content, uuid, body } = this.readMessageBody(c);
    const receiveId = str(body.receive_id);
    if (!receiveId) fail(400, CODE.fieldValidation, 'field validation failed: receive_id is required');
    const chatId = this.resolveTarget(receiveIdType!, receiveId!);
    this.checkRate(c, 'create', `chat:${chatId}`);
    const dup = this.dedupe(c.appId, uuid);
    if (dup) return ok(this.messageView(dup));
    const now = String(Date.now());
    const m: EmulatedMessage = {
      message_id: newMessageId(),
      chat_id: chatId,
      receive_id: receiveId!,
      receive_id_type: receiveIdType!,
      msg_type: msgType,
      content,
      uuid,
      create_time: now,
      update_time: now,
      updated: false,
      updates: [],
      sender_app_id: c.appId,
      sender_type: 'app',
    };
    this.store(m, uuid);
    return ok(this.messageView(m));
  }

  private replyMessage(c: Ctx): Reply {
    const parent = this.byId.get(c.params.message_id!);
    if (!parent) fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=message not found');
    const { msgType, content, uuid, body } = this.readMessageBody(c);
    const chat = this.chats.get(parent!.chat_id);
    if (chat && !chat.bot_in_chat) fail(400, CODE.botNotInChat, 'Bot/User can NOT be out of the chat.');
    this.checkRate(c, 'reply', `chat:${parent!.chat_id}`);
    const dup = this.dedupe(c.appId, uuid);
    if (dup) return ok(this.messageView(dup));
    const now = String(Date.now());
    const rootId = parent!.root_id ?? parent!.message_id;
    const root = this.byId.get(rootId);
    const inThread = body.reply_in_thread === true;
    let threadId = parent!.thread_id ?? root?.thread_id;
    if (inThread && !threadId) {
      threadId = `omt_${randomHex(16)}`;
      if (root) root.thread_id = threadId;
    }
    const m: EmulatedMessage = {
      message_id: newMessageId(),
      chat_id: parent!.chat_id,
      receive_id: parent!.chat_id,
      receive_id_type: 'chat_id',
      msg_type: msgType,
      content,
      uuid,
      parent_id: parent!.message_id,
      root_id: rootId,
      thread_id: threadId,
      create_time: now,
      update_time: now,
      updated: false,
      updates: [],
      sender_app_id: c.appId,
      sender_type: 'app',
    };
    this.store(m, uuid);
    return ok(this.messageView(m));
  }

  private updateContent(m: EmulatedMessage, content: string, via: 'patch' | 'card_update' | 'callback'): void {
    const now = Date.now();
    m.content = content;
    m.update_time = String(now);
    m.updated = true;
    m.updates.push({ at: now, content, via });
    this.emit(m);
  }

  private patchMessage(c: Ctx): Reply {
    const m = this.byId.get(c.params.message_id!);
    if (m?.sender_type !== 'app') fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=message not found');
    if (m!.sender_app_id !== c.appId) fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=message was not sent by this app');
    if (m!.msg_type !== 'interactive')
      fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=only card messages can be patched');
    this.requireScope(c, [...SEND_SCOPES, 'im:message:update']);
    if (Date.now() - Number(m!.create_time) > PATCH_WINDOW_MS)
      fail(400, CODE.messageTooOld, 'The message was sent more than 14 days ago and can no longer be updated.');
    const content = this.validateContent('interactive', asRecord(c.body).content);
    this.checkBodySize(c, 'interactive');
    this.checkRate(c, 'patch', `msg:${m!.message_id}`);
    this.updateContent(m!, content, 'patch');
    return ok();
  }

  private getMessage(c: Ctx): Reply {
    const m = this.byId.get(c.params.message_id!);
    if (!m) fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=message not found');
    return ok({ items: [this.messageView(m!)] });
  }

  private getResource(c: Ctx): Reply {
    this.requireScope(c, DOWNLOAD_SCOPES);
    const type = first(c.query, 'type');
    if (type !== 'file' && type !== 'image') fail(400, CODE.fieldValidation, 'field validation failed: type must be file or image');
    const messageId = c.params.message_id!;
    const fileKey = c.params.file_key!;
    let found = this.resources.get(`${messageId}\u0000${fileKey}`);
    if (!found) {
      // The bot may also download what it sent itself.
      const m = this.byId.get(messageId);
      const stored = this.files.get(fileKey);
      if (m && stored && m.content.includes(fileKey)) found = { data: stored.data, fileName: stored.fileName };
    }
    if (!found) fail(400, CODE.fileNotInMsg, 'File not in msg.');
    const name = found!.fileName ?? fileKey;
    const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return {
      status: 200,
      raw: found!.data,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(found!.data.length),
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      },
    };
  }

  private upload(c: Ctx, kind: 'file' | 'image'): Reply {
    this.requireScope(c, UPLOAD_SCOPES);
    const mp = c.multipart;
    if (!mp) fail(400, CODE.fieldValidation, 'field validation failed: multipart/form-data body required');
    const part = mp!.files[kind] ?? (mp!.fields[kind] !== undefined ? { data: Buffer.from(mp!.fields[kind]!, 'utf8') } : undefined);
    if (!part) fail(400, CODE.fieldValidation, `field validation failed: ${kind} is required`);
    if (part!.data.length === 0) fail(400, CODE.fileEmpty, `${kind} size can not be 0`);
    if (kind === 'file') {
      const fileType = mp!.fields.file_type;
      const fileName = mp!.fields.file_name;
      if (!fileType || !['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(fileType))
        fail(400, CODE.fieldValidation, 'field validation failed: file_type');
      if (!fileName) fail(400, CODE.fieldValidation, 'field validation failed: file_name is required');
      if (part!.data.length > FILE_LIMIT) fail(400, CODE.fileTooLarge, 'The file size exceeds the limit (30 MB).');
      const key = `file_v3_${randomHex(4)}_${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}g`;
      this.files.set(key, { key, kind, data: part!.data, fileName, fileType, appId: c.appId });
      return ok({ file_key: key });
    }
    const imageType = mp!.fields.image_type;
    if (imageType !== 'message' && imageType !== 'avatar') fail(400, CODE.fieldValidation, 'field validation failed: image_type');
    if (part!.data.length > IMAGE_LIMIT) fail(400, CODE.fileTooLarge, 'The image size exceeds the limit (10 MB).');
    const key = `img_v3_${randomHex(4)}_${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}g`;
    this.files.set(key, { key, kind, data: part!.data, fileName: part!.filename, appId: c.appId });
    return ok({ image_key: key });
  }

  private chatSummary(chat: EmulatedChat): Record<string, unknown> {
    return {
      chat_id: chat.chat_id,
      name: chat.name,
      avatar: `https://emulator.invalid/avatar/${chat.chat_id}`,
      description: chat.description,
      owner_id: chat.owner_id,
      owner_id_type: 'open_id',
      external: false,
      tenant_key: this.tenantKey,
      chat_status: 'normal',
    };
  }

  private listChatsApi(c: Ctx): Reply {
    this.requireScope(c, CHAT_SCOPES);
    const pageSize = Math.min(100, Math.max(1, Number(first(c.query, 'page_size') ?? 20) || 20));
    const token = first(c.query, 'page_token');
    let offset = 0;
    if (token) {
      offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^off:/, ''));
      if (!Number.isInteger(offset) || offset < 0) fail(400, CODE.fieldValidation, 'field validation failed: page_token is invalid');
    }
    const groups = [...this.chats.values()].filter((ch) => ch.chat_type === 'group' && ch.bot_in_chat);
    const page = groups.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < groups.length;
    return ok({
      items: page.map((ch) => this.chatSummary(ch)),
      page_token: hasMore ? Buffer.from(`off:${offset + pageSize}`).toString('base64url') : '',
      has_more: hasMore,
    });
  }

  private getChatApi(c: Ctx): Reply {
    this.requireScope(c, CHAT_SCOPES);
    const chat = this.chats.get(c.params.chat_id!);
    if (!chat) fail(400, CODE.invalidChatId, 'invalid chat_id');
    return ok({
      avatar: `https://emulator.invalid/avatar/${chat!.chat_id}`,
      name: chat!.name,
      description: chat!.description,
      i18n_names: { zh_cn: chat!.name, en_us: chat!.name },
      add_member_permission: 'all_members',
      share_card_permission: 'allowed',
      at_all_permission: 'all_members',
      edit_permission: 'all_members',
      owner_id_type: 'open_id',
      owner_id: chat!.owner_id,
      chat_mode: 'group',
      chat_type: chat!.chat_type === 'p2p' ? 'p2p' : 'private',
      chat_tag: 'inner',
      join_message_visibility: 'all_members',
      leave_message_visibility: 'all_members',
      membership_approval: 'no_approval_required',
      moderation_permission: 'all_members',
      external: false,
      tenant_key: this.tenantKey,
      user_count: String(chat!.members.length),
      bot_count: chat!.bot_in_chat ? '1' : '0',
      chat_status: 'normal',
    });
  }

  private cardUpdate(c: Ctx): Reply {
    const body = asRecord(c.body);
    const token = str(body.token);
    if (!token) fail(400, CODE.fieldValidation, 'field validation failed: token is required');
    const rec = this.cardTokens.get(token!);
    // Real error code for a bad/expired/used-up token is not documented here; 230001 stands in.
    if (!rec || rec.expiresAt <= Date.now() || rec.usesLeft <= 0) fail(400, CODE.invalidParam, 'card update token is invalid, expired or used up');
    const m = this.byId.get(rec!.messageId);
    if (!m) fail(400, CODE.invalidParam, 'Your request contains an invalid request parameter, ext=message not found');
    const card = body.card;
    if (card === null || typeof card !== 'object' || Array.isArray(card)) fail(400, CODE.fieldValidation, 'field validation failed: card must be an object');
    const content = JSON.stringify(card);
    if (Buffer.byteLength(content, 'utf8') > CARD_LIMIT) fail(400, CODE.contentTooLong, 'message content too long: card content exceeds 30 KB');
    rec!.usesLeft -= 1;
    this.updateContent(m!, content, 'card_update');
    return { status: 200, json: { code: 0, msg: 'success' } };
  }

  // user_id only with 获取用户 user ID (字段权限要求 of 获取单个用户信息, contact/v3/user/get).
  private userView(u: EmulatedUser, appId: string): Record<string, unknown> {
    return {
      open_id: u.open_id,
      ...(this.hasScope(appId, EMPLOYEE_ID_SCOPE) ? { user_id: u.user_id } : {}),
      union_id: u.union_id,
      ...(this.hasScope(appId, NAME_SCOPE) ? { name: u.name, en_name: u.en_name } : {}),
      nickname: '',
      email: u.email ?? '',
      avatar: {
        avatar_72: `https://emulator.invalid/avatar/${u.open_id}/72`,
        avatar_240: `https://emulator.invalid/avatar/${u.open_id}/240`,
        avatar_640: `https://emulator.invalid/avatar/${u.open_id}/640`,
        avatar_origin: `https://emulator.invalid/avatar/${u.open_id}`,
      },
      status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
      department_ids: [],
      is_tenant_manager: false,
      tenant_key: this.tenantKey,
    };
  }

  private findUser(id: string, idType: string): EmulatedUser | undefined {
    if (idType === 'open_id') return this.users.get(id);
    return [...this.users.values()].find((u) => (idType === 'user_id' ? u.user_id === id : u.union_id === id));
  }

  private userIdType(c: Ctx): string {
    const t = first(c.query, 'user_id_type') ?? 'open_id';
    if (!['open_id', 'user_id', 'union_id'].includes(t)) fail(400, CODE.fieldValidation, 'field validation failed: user_id_type');
    // Asking by or for user_id needs 获取用户 user ID as well.
    if (t === 'user_id') this.requireScope(c, [EMPLOYEE_ID_SCOPE]);
    return t;
  }

  private getUserApi(c: Ctx): Reply {
    this.requireScope(c, USER_READ_SCOPES);
    const u = this.findUser(c.params.user_id!, this.userIdType(c));
    if (!u) fail(400, CODE.userNotFound, 'no user authority error');
    return ok({ user: this.userView(u!, c.appId) });
  }

  private batchUsers(c: Ctx): Reply {
    this.requireScope(c, USER_READ_SCOPES);
    const idType = this.userIdType(c);
    const ids = all(c.query, 'user_ids');
    if (ids.length === 0) fail(400, CODE.fieldValidation, 'field validation failed: user_ids is required');
    const items = ids.map((id) => this.findUser(id, idType)).filter((u): u is EmulatedUser => u !== undefined);
    return ok({ items: items.map((u) => this.userView(u, c.appId)) });
  }

  /**
   * 通过手机号或邮箱获取用户 ID (open.feishu.cn/document/server-docs/contact-v3/user/batch_get_id):
   * at most 50 e-mails and 50 mobiles; mainland numbers without +86; every asked item comes back,
   * with user_id (in the asked id type) only when found.
   */
  private batchGetId(c: Ctx): Reply {
    this.requireScope(c, BATCH_GET_ID_SCOPES);
    const idType = this.userIdType(c);
    const body = asRecord(c.body);
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    const emails = list(body.emails);
    const mobiles = list(body.mobiles);
    if (emails.length > 50 || mobiles.length > 50) fail(400, CODE.fieldValidation, 'field validation failed: at most 50 emails and 50 mobiles');
    const idOf = (u: EmulatedUser | undefined): Record<string, string> =>
      u ? { user_id: idType === 'user_id' ? u.user_id : idType === 'union_id' ? u.union_id : u.open_id } : {};
    const bare = (m: string): string => m.replace(/^\+86/, '');
    const users = [...this.users.values()];
    return ok({
      user_list: [
        ...emails.map((e) => ({ email: e, ...idOf(users.find((u) => u.email !== undefined && u.email.toLowerCase() === e.toLowerCase())) })),
        ...mobiles.map((m) => ({ mobile: m, ...idOf(users.find((u) => u.mobile !== undefined && bare(u.mobile) === bare(m))) })),
      ],
    });
  }

  /** 获取群成员列表 (…/group/chat-member/get): users only (no bots), page_size ≤ 100. */
  private chatMembers(c: Ctx): Reply {
    this.requireScope(c, MEMBER_SCOPES);
    const chat = this.chats.get(c.params.chat_id!);
    if (!chat?.bot_in_chat) fail(400, CODE.invalidChatId, 'invalid chat_id');
    const pageSize = Math.min(100, Math.max(1, Number(first(c.query, 'page_size') ?? 20) || 20));
    const offset = Number(first(c.query, 'page_token') ?? 0) || 0;
    const members = chat!.members.slice(offset, offset + pageSize);
    const hasMore = offset + pageSize < chat!.members.length;
    return ok({
      items: members.map((id) => ({ member_id_type: 'open_id', member_id: id, name: this.users.get(id)?.name ?? '', tenant_key: this.tenantKey })),
      page_token: hasMore ? String(offset + pageSize) : '',
      has_more: hasMore,
      member_total: chat!.members.length,
    });
  }

  /** 查询租户授权状态 (application/v6/scope/list): no scope needed; grant_status 1 = granted. */
  private listScopes(c: Ctx): Reply {
    const granted = this.scopes.get(c.appId) ?? new Set<string>();
    return ok({ scopes: [...granted].map((scope_name) => ({ scope_name, grant_status: 1, scope_type: 'tenant' })) });
  }

  private botInfo(c: Ctx): Reply {
    const app = this.apps.get(c.appId);
    // This endpoint puts `bot` at the top level, not under data.
    return {
      status: 200,
      json: {
        code: 0,
        msg: 'ok',
        bot: {
          activate_status: 2,
          app_name: app?.name ?? 'Emulated Bot',
          avatar_url: `https://emulator.invalid/avatar/${c.appId}`,
          ip_white_list: [],
          open_id: this.botOpenId(c.appId),
        },
      },
    };
  }
}

export async function startLarkEmulator(opts: EmulatorOptions = {}): Promise<LarkEmulator> {
  const emulator = new Emulator(opts);
  await emulator.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return emulator;
}
