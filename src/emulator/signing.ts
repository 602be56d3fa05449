// Lark's side of the webhook protocol: encrypt, sign and build event / callback bodies.
// Written from Lark's docs and the SDK's types, independently of the app's verifier.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DEFAULT_TENANT_KEY, newCardToken, newEventId, newMessageId, randomHex, stableHex } from './ids.js';
import type { LarkEmulator } from './server.js';

export { DEFAULT_TENANT_KEY } from './ids.js';

/** What the builders use from an emulator, so card tokens and user messages stay consistent with it. */
export type EmulatorHooks = Pick<
  LarkEmulator,
  'registerCardToken' | 'addInboundMessage' | 'getUser' | 'addChat' | 'getChat' | 'setBotInChat' | 'tenantKey' | 'hasScope'
>;

/** The scope without which Lark leaves user_id out of events (see ids below). */
export const EMPLOYEE_ID_SCOPE = 'contact:user.employee_id:readonly';

const aesKey = (encryptKey: string): Buffer => createHash('sha256').update(encryptKey).digest();

/** AES-256-CBC, key = sha256(encryptKey), random IV, PKCS#7; base64(IV ‖ ciphertext). */
export function encrypt(encryptKey: string, plaintext: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decrypt(encryptKey: string, b64: string): string {
  const buf = Buffer.from(b64, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

/**
 * The body the Approval Center posts to a definition's action_callback_url (三方快捷审批回调,
 * open.feishu.cn/document/server-docs/approval-v4/external_approval/quick-approval-callback): the
 * fields as JSON, or with action_callback_key set 「以上参数会进行加密后放在该参数内」, i.e.
 * {"encrypt": base64(IV ‖ AES-256-CBC(json))} with key sha256(action_callback_key) (关联外部选项说明,
 * …/approval-v4/approval/associate-external-options). For tests that forge or replay callbacks.
 */
export function approvalCallbackBody(opts: { payload: object; key?: string }): string {
  const plain = JSON.stringify(opts.payload);
  return opts.key ? JSON.stringify({ encrypt: encrypt(opts.key, plain) }) : plain;
}

export interface SignedHeaders {
  'x-lark-request-timestamp': string;
  'x-lark-request-nonce': string;
  'x-lark-signature': string;
}

/** signature = hex(sha256(timestamp + nonce + encryptKey + rawBody)); timestamp in seconds. */
export function signHeaders(encryptKey: string, rawBody: string, opts: { timestamp?: number | string; nonce?: string } = {}): SignedHeaders {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomHex(16);
  const signature = createHash('sha256')
    .update(timestamp + nonce + encryptKey + rawBody)
    .digest('hex');
  return { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature };
}

export interface Push {
  body: string;
  headers: Record<string, string>;
}

/**
 * Wraps a payload the way Lark posts it. With an encrypt key: {"encrypt": …} plus signature headers;
 * without: the plain JSON and no signature. A missing verification token is filled in, never overwritten.
 */
export function buildPush(opts: { encryptKey?: string; verificationToken: string; payload: object; timestamp?: number | string; nonce?: string }): Push {
  const payload: Record<string, unknown> = { ...(opts.payload as Record<string, unknown>) };
  const header = payload.header;
  if (header && typeof header === 'object' && !Array.isArray(header)) {
    const h = header as Record<string, unknown>;
    if (h.token === undefined) payload.header = { ...h, token: opts.verificationToken };
  } else if (payload.token === undefined) {
    payload.token = opts.verificationToken;
  }
  const plain = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (!opts.encryptKey) return { body: plain, headers };
  // Compact JSON.stringify output matters: the SDK re-stringifies the parsed body to check the signature.
  const body = JSON.stringify({ encrypt: encrypt(opts.encryptKey, plain) });
  return { body, headers: { ...headers, ...signHeaders(opts.encryptKey, body, { timestamp: opts.timestamp, nonce: opts.nonce }) } };
}

/** Posts a push to the app's webhook (e.g. http://127.0.0.1:3000/webhook/event). */
export async function deliver(url: string, push: Push): Promise<{ status: number; body: string; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: push.headers, body: push.body });
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, body, json };
}

// ---------- schema 2.0 payloads ----------

export interface UserIds {
  open_id: string;
  user_id?: string;
  union_id?: string;
}

export interface EventEnvelope<E = Record<string, unknown>> {
  schema: '2.0';
  header: { event_id: string; event_type: string; create_time: string; token: string; app_id: string; tenant_key: string };
  event: E;
}

interface Common {
  appId: string;
  token: string;
  tenantKey?: string;
  eventId?: string;
  /** When given, the emulator learns about the event (chats, user messages, card tokens). */
  emulator?: EmulatorHooks;
}

function envelope<E>(c: Common, eventType: string, event: E): EventEnvelope<E> {
  return {
    schema: '2.0',
    header: {
      event_id: c.eventId ?? newEventId(),
      event_type: eventType,
      create_time: String(Date.now()),
      token: c.token,
      app_id: c.appId,
      tenant_key: c.tenantKey ?? c.emulator?.tenantKey ?? DEFAULT_TENANT_KEY,
    },
    event,
  };
}

// The ids of a user in an event. Lark includes user_id only for apps granted 获取用户 user ID
// (contact:user.employee_id:readonly): 事件 im.message.receive_v1 「sender_id.user_id … 字段权限要求：
// 获取用户 user ID」 (open.feishu.cn/document/server-docs/im-v1/message/events/receive). Without an
// emulator to ask, user_id is sent only when the test gives one.
function ids(openId: string, given: Partial<UserIds>, c: Common): UserIds {
  const emulator = c.emulator;
  const u = emulator?.getUser(openId);
  const withUserId = emulator ? emulator.hasScope(c.appId, EMPLOYEE_ID_SCOPE) : given.user_id !== undefined;
  const userId = given.user_id ?? u?.user_id ?? stableHex(`user_id:${openId}`, 8);
  return {
    open_id: openId,
    ...(withUserId ? { user_id: userId } : {}),
    union_id: given.union_id ?? u?.union_id ?? `on_${stableHex(`union_id:${openId}`, 32)}`,
  };
}

export interface Mention {
  key: string;
  id: UserIds;
  name: string;
  tenant_key?: string;
}

export function messageEvent(
  opts: Common & {
    sender: UserIds;
    chatId: string;
    chatType: 'p2p' | 'group';
    messageType?: 'text' | 'file' | 'image' | 'post';
    text?: string;
    content?: object;
    mentions?: Mention[];
    messageId?: string;
    parentId?: string;
    rootId?: string;
  },
): EventEnvelope {
  const tenantKey = opts.tenantKey ?? opts.emulator?.tenantKey ?? DEFAULT_TENANT_KEY;
  const messageType = opts.messageType ?? 'text';
  const content = JSON.stringify(opts.content ?? { text: opts.text ?? '' });
  const now = String(Date.now());
  const messageId = opts.messageId ?? newMessageId();
  const message: Record<string, unknown> = {
    message_id: messageId,
    root_id: opts.rootId,
    parent_id: opts.parentId,
    create_time: now,
    update_time: now,
    chat_id: opts.chatId,
    chat_type: opts.chatType,
    message_type: messageType,
    content,
  };
  if (opts.mentions?.length) {
    message.mentions = opts.mentions.map((m) => ({ key: m.key, id: ids(m.id.open_id, m.id, opts), name: m.name, tenant_key: m.tenant_key ?? tenantKey }));
  }
  opts.emulator?.addInboundMessage({
    message_id: messageId,
    chat_id: opts.chatId,
    chat_type: opts.chatType,
    sender_open_id: opts.sender.open_id,
    msg_type: messageType,
    content,
    create_time: now,
    parent_id: opts.parentId,
    root_id: opts.rootId,
  });
  return envelope({ ...opts, tenantKey }, 'im.message.receive_v1', {
    sender: { sender_id: ids(opts.sender.open_id, opts.sender, opts), sender_type: 'user', tenant_key: tenantKey },
    message,
  });
}

type ChatMemberOpts = Common & { chatId: string; name: string; operatorOpenId: string; external?: boolean };

function botMemberEvent(opts: ChatMemberOpts, eventType: string): EventEnvelope {
  const tenantKey = opts.tenantKey ?? opts.emulator?.tenantKey ?? DEFAULT_TENANT_KEY;
  return envelope({ ...opts, tenantKey }, eventType, {
    chat_id: opts.chatId,
    operator_id: ids(opts.operatorOpenId, {}, opts),
    external: opts.external ?? false,
    operator_tenant_key: tenantKey,
    name: opts.name,
    i18n_names: { zh_cn: opts.name, en_us: opts.name },
  });
}

export function botAddedEvent(opts: ChatMemberOpts): EventEnvelope {
  const emu = opts.emulator;
  if (emu) {
    if (emu.getChat(opts.chatId)) emu.setBotInChat(opts.chatId, true);
    else emu.addChat({ chat_id: opts.chatId, name: opts.name, members: [opts.operatorOpenId], owner_id: opts.operatorOpenId });
  }
  return botMemberEvent(opts, 'im.chat.member.bot.added_v1');
}

export function botDeletedEvent(opts: ChatMemberOpts): EventEnvelope {
  opts.emulator?.setBotInChat(opts.chatId, false);
  return botMemberEvent(opts, 'im.chat.member.bot.deleted_v1');
}

export function p2pEnteredEvent(
  opts: Common & { chatId: string; operatorOpenId: string; lastMessageId?: string; lastMessageCreateTime?: string },
): EventEnvelope {
  const emu = opts.emulator;
  if (emu && !emu.getChat(opts.chatId)) {
    emu.addChat({ chat_id: opts.chatId, name: emu.getUser(opts.operatorOpenId)?.name ?? '', chat_type: 'p2p', members: [opts.operatorOpenId] });
  }
  return envelope(opts, 'im.chat.access_event.bot_p2p_chat_entered_v1', {
    chat_id: opts.chatId,
    operator_id: ids(opts.operatorOpenId, {}, opts),
    // Lark sends empty strings when the chat has no history yet (not verified against a live tenant).
    last_message_id: opts.lastMessageId ?? '',
    last_message_create_time: opts.lastMessageCreateTime ?? '',
  });
}

export function menuEvent(opts: Common & { operatorOpenId: string; eventKey: string; operatorName?: string }): EventEnvelope {
  return envelope(opts, 'application.bot.menu_v6', {
    operator: {
      operator_name: opts.operatorName ?? opts.emulator?.getUser(opts.operatorOpenId)?.name ?? '',
      operator_id: ids(opts.operatorOpenId, {}, opts),
    },
    event_key: opts.eventKey,
    // Seconds, a number (per the SDK's typing).
    timestamp: Math.floor(Date.now() / 1000),
  });
}

export function cardAction(
  opts: Common & {
    operatorOpenId: string;
    openMessageId: string;
    openChatId: string;
    value?: object;
    tag?: string;
    name?: string;
    formValue?: object;
    inputValue?: string;
    option?: string;
    options?: string[];
    checked?: boolean;
    /** Reuse a given delayed-update token instead of minting one. */
    cardToken?: string;
  },
): EventEnvelope {
  const tenantKey = opts.tenantKey ?? opts.emulator?.tenantKey ?? DEFAULT_TENANT_KEY;
  const token = opts.cardToken ?? newCardToken();
  opts.emulator?.registerCardToken(token, opts.openMessageId);
  // Only the fields the interaction produced are sent, as Lark omits the others.
  // A button without a behaviors value (a form submit, as documented, may come routed by its name only) has none.
  const action: Record<string, unknown> = { ...(opts.value !== undefined ? { value: opts.value } : {}), tag: opts.tag ?? 'button', timezone: 'Asia/Shanghai' };
  if (opts.name !== undefined) action.name = opts.name;
  if (opts.formValue !== undefined) action.form_value = opts.formValue;
  if (opts.inputValue !== undefined) action.input_value = opts.inputValue;
  if (opts.option !== undefined) action.option = opts.option;
  if (opts.options !== undefined) action.options = opts.options;
  if (opts.checked !== undefined) action.checked = opts.checked;
  return envelope({ ...opts, tenantKey }, 'card.action.trigger', {
    operator: { tenant_key: tenantKey, ...ids(opts.operatorOpenId, {}, opts) },
    token,
    action,
    host: 'im_message',
    context: { open_message_id: opts.openMessageId, open_chat_id: opts.openChatId },
  });
}

export function urlVerification(opts: { token: string; challenge?: string }): { challenge: string; token: string; type: 'url_verification' } {
  return { challenge: opts.challenge ?? randomHex(32), token: opts.token, type: 'url_verification' };
}
