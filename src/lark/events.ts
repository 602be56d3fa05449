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
    mentions: z
      .array(z.object({ key: z.string(), id: userId.partial(), name: z.string().optional() }))
      .optional(),
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
    const post = parsed as { title?: unknown; content?: unknown };
    const rows = Array.isArray(post.content) ? post.content : [];
    const words = rows
      .flatMap((row: unknown) => (Array.isArray(row) ? row : []))
      .map((node: unknown) => (typeof node === 'object' && node !== null && (node as { tag?: unknown }).tag === 'text' ? (node as { text?: unknown }).text : undefined))
      .filter((t): t is string => typeof t === 'string' && t !== '');
    return stripMentions([typeof post.title === 'string' ? post.title : '', ...words].join(' '));
  }
  return null;
}

function stripMentions(text: string): string {
  return text.replace(/@_user_\d+/g, ' ').replace(/@_all/g, ' ').replace(/\s+/g, ' ').trim();
}
