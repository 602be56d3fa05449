// The event bodies the bot handles, validated with zod at the boundary.
import { z } from 'zod';

const userId = z.object({ open_id: z.string().min(1), user_id: z.string().optional(), union_id: z.string().optional() });

export const messageReceived = z.object({
  sender: z.object({ sender_id: userId, sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(z.object({ key: z.string(), id: userId.partial(), name: z.string().optional() })).optional(),
  }),
});
export type MessageReceived = z.infer<typeof messageReceived>;

export const botMembership = z.object({
  chat_id: z.string().min(1),
  operator_id: userId.partial().optional(),
  name: z.string().optional(),
});

export const p2pChatEntered = z.object({
  chat_id: z.string().min(1),
  operator_id: userId,
});

export const menuClicked = z.object({
  operator: z.object({ operator_id: userId, operator_name: z.string().optional() }),
  event_key: z.string().min(1),
});

export const cardActionTriggered = z.object({
  operator: userId.extend({ tenant_key: z.string().optional() }),
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    tag: z.string().optional(),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    input_value: z.string().optional(),
    option: z.string().optional(),
    options: z.array(z.string()).optional(),
    checked: z.boolean().optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});
export type CardActionTriggered = z.infer<typeof cardActionTriggered>;

/** Plain text of a text or post message, with @-mention placeholders removed. */
export function messageText(message: MessageReceived['message']): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.content);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  if (message.message_type === 'text') {
    const text = (parsed as { text?: unknown }).text;
    return typeof text === 'string' ? stripMentions(text) : null;
  }
  if (message.message_type === 'post') {
    // Received either bare ({title, content}) or wrapped in a locale ({"zh_cn": {title, content}}).
    const bare = parsed as { title?: unknown; content?: unknown };
    const wrapped = Array.isArray(bare.content)
      ? undefined
      : Object.values(parsed as Record<string, unknown>).find(
          (v) => typeof v === 'object' && v !== null && Array.isArray((v as { content?: unknown }).content),
        );
    const post = (wrapped ?? bare) as { title?: unknown; content?: unknown };
    const rows = Array.isArray(post.content) ? post.content : [];
    const words = rows
      .flatMap((row: unknown) => (Array.isArray(row) ? row : []))
      .map((node: unknown) =>
        typeof node === 'object' && node !== null && (node as { tag?: unknown }).tag === 'text' ? (node as { text?: unknown }).text : undefined,
      )
      .filter((t): t is string => typeof t === 'string' && t !== '');
    return stripMentions([typeof post.title === 'string' ? post.title : '', ...words].join(' '));
  }
  return null;
}

function stripMentions(text: string): string {
  return text
    .replace(/@_user_\d+/g, ' ')
    .replace(/@_all/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The event types the bot handles (the one list), each with the body it must have; checked before anything is stored. */
export const EVENT_BODIES = {
  'im.message.receive_v1': messageReceived,
  'im.chat.member.bot.added_v1': botMembership,
  'im.chat.member.bot.deleted_v1': botMembership,
  'im.chat.access_event.bot_p2p_chat_entered_v1': p2pChatEntered,
  'application.bot.menu_v6': menuClicked,
} satisfies Record<string, z.ZodType>;

export type HandledEvent = keyof typeof EVENT_BODIES;

/** Each handled event in words, for the administrators' card about an event given up on. */
export const EVENT_TEXT: Record<HandledEvent, string> = {
  'im.message.receive_v1': '用户发来的消息或文件',
  'application.bot.menu_v6': '菜单点击',
  'im.chat.member.bot.added_v1': '机器人进群',
  'im.chat.member.bot.deleted_v1': '机器人被移出群',
  'im.chat.access_event.bot_p2p_chat_entered_v1': '用户打开私聊',
};

export const HANDLED_EVENTS = Object.keys(EVENT_BODIES) as HandledEvent[];

export const isHandledEvent = (eventType: string): eventType is HandledEvent => Object.hasOwn(EVENT_BODIES, eventType);

/**
 * 'ignored' for event types the bot does not handle (acknowledged, nothing stored); a reason when a
 * handled type's body does not have its shape (refused, nothing stored); undefined when fine.
 */
export function eventBodyProblem(eventType: string, event: unknown): string | 'ignored' | undefined {
  if (!isHandledEvent(eventType)) return 'ignored';
  const r = EVENT_BODIES[eventType].safeParse(event);
  return r.success ? undefined : `${eventType}: ${r.error.issues[0]?.message ?? 'invalid'} at ${r.error.issues[0]?.path.join('.') ?? ''}`;
}
