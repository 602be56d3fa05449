// Maps messages, menu clicks and card actions to the registered use cases. Thin: no HTTP, no Lark
// crypto, no permission checks of its own (the action registry decides); all effects are database
// writes (state, audit, outbox rows) inside the caller's transaction.

import type { z } from 'zod';
import { type Card, fromSubmitName } from '../../cards/components.js';
import { CommandButton, groupHelpCard, groupIntroCard, helpCard, refusedCard, sentPrivatelyCard, welcomeCard } from '../../cards/help.js';
import { type Actor, isAdministrator, rolesOf } from '../access/principal.js';
import { type ActionRegistry, Refused } from '../access/registry.js';
import { meetPerson } from '../access/users.js';
import type { ReceivedFile } from '../applications/journey.js';
import type { Tx } from '../db/database.js';
import { UnprocessableEvent } from '../inbox/inbox.js';
import {
  botMembership,
  cardActionTriggered,
  type HandledEvent,
  isHandledEvent,
  type MessageReceived,
  menuClicked,
  messageReceived,
  messageText,
  p2pChatEntered,
} from '../lark/events.js';
import type { LarkEnvelope } from '../lark/push.js';
import type { Logger } from '../log.js';
import { sendCard, toChat, toUser } from '../notify.js';
import { enqueue } from '../outbox/outbox.js';
import { type CallbackAnswer, callbackAnswer, type Reply } from '../reply.js';
import { type Command, commandFromMenuKey, parseCommand } from './commands.js';

/** What kind of file a received one is for its sender: a programme file, a studio list, or an attachment. */
export type FileKind = 'programme' | 'studios' | 'attachment';

export interface BotDeps {
  actions: ActionRegistry;
  log: Logger;
  /** The bot's own open_id, when known: in groups it tells a mention of the bot from others. */
  botOpenId: () => string | undefined;
  /** Link that opens the private chat with the bot (applink), when the app id is known. */
  privateChatUrl?: string;
  /** An administrator's .yaml is a programme file and a spreadsheet headed like a studio list is an import. */
  fileKindFor: (file: Extract<ReceivedFile, { ok: true }>, isAdministrator: boolean) => Promise<FileKind>;
  /** Days after a deadline that unsubmitted drafts are deleted (the help card announces it). */
  draftDays?: number;
}

export interface Bot {
  /** `prepared` is what the inbox's prepare step produced (a downloaded file), if anything. */
  handleEvent(envelope: LarkEnvelope, tx: Tx, prepared?: unknown): Promise<void>;
  /** The answer, and work to start once the transaction has committed. A refusal throws Refused. */
  handleCardAction(envelope: LarkEnvelope, tx: Tx, prepared?: unknown): Promise<{ answer: CallbackAnswer; after?: Reply['after'] }>;
}

function parse<T extends z.ZodType>(schema: T, envelope: LarkEnvelope): z.infer<T> {
  const r = schema.safeParse(envelope.event);
  if (!r.success) throw new UnprocessableEvent(`${envelope.eventType}: ${r.error.issues[0]?.message ?? 'invalid'} at ${r.error.issues[0]?.path.join('.')}`);
  return r.data;
}

const resolved = new WeakMap<object, { value: unknown; name: string | undefined }>();

/**
 * What a card callback asks for: a form's submit button is routed from action.name (documented:
 * 表单容器中提交按钮的表单项标识 name), which carries its value; action.value (the behaviors value)
 * is the fallback, and all there is for a plain button. The same object for the same event.
 */
export function actionOf(event: Record<string, unknown>): { value: unknown; name: string | undefined } {
  const known = resolved.get(event);
  if (known) return known;
  const action = (event.action ?? {}) as { value?: unknown; name?: unknown };
  const name = typeof action.name === 'string' ? action.name : undefined;
  const submitted = fromSubmitName(name);
  const out = submitted ? { value: submitted.value, name: submitted.role } : { value: action.value, name };
  resolved.set(event, out);
  return out;
}

const actorOf = (id: { open_id: string; user_id?: string | undefined }): Actor => ({ openId: id.open_id, ...(id.user_id ? { userId: id.user_id } : {}) });

export function createBot(deps: BotDeps): Bot {
  const { log, actions } = deps;

  // 帮助 is everyone's, and the help card's buttons run the command they name (with its own permission).
  actions.command('help', {
    describe: '帮助：查看我能做什么',
    permission: 'public',
    handle: async ({ principal }) => helpCard({ roles: await rolesOf(principal), ...(deps.draftDays ? { draftDays: deps.draftDays } : {}) }),
  });
  actions.card(CommandButton, 'cmd', {
    describe: '从帮助卡片运行命令',
    permission: 'public',
    handle: async ({ tx, actor, payload }) => {
      const command = parseCommand(payload.c);
      if (!command) return { toast: { type: 'warning', content: '这张卡片已失效，请发送“帮助”重新开始。' } };
      const card = await commandCard(tx, command, actor, (text) => {
        throw new Refused({ toast: { type: 'error', content: text } });
      });
      await sendCard(tx, toUser(actor.openId), card, `cmd:${actor.openId}:${Date.now()}`);
      return { toast: { type: 'success', content: '已发到与助手的私聊' } };
    },
  });

  // Users this process has already recorded: a busy applicant's clicks need not write it again.
  const known = new Set<string>();
  async function remember(tx: Tx, actor: Actor): Promise<void> {
    if (known.has(actor.openId)) return;
    await meet(tx, actor);
    if (known.size > 50_000) known.clear();
    known.add(actor.openId);
  }

  async function meet(tx: Tx, actor: Actor): Promise<{ welcomedAt: Date | null }> {
    await meetPerson(tx, { openId: actor.openId, userId: actor.userId ?? null });
    return tx.larkUser.findUniqueOrThrow({ where: { openId: actor.openId }, select: { welcomedAt: true } });
  }

  /** The answer to a command in the private chat (or from the menu, or a card button). */
  async function commandCard(tx: Tx, command: Command, actor: Actor, refused: (text: string) => Card = refusedCard): Promise<Card> {
    return (await actions.runCommand(tx, actor, command.name, command.args, refused)) ?? (await actions.runCommand(tx, actor, 'help', '', refused))!;
  }

  function addressedToBot(message: MessageReceived['message']): boolean {
    const mentions = message.mentions ?? [];
    if (mentions.length === 0) return false;
    const bot = deps.botOpenId();
    return bot === undefined || mentions.some((m) => m.id.open_id === bot);
  }

  /** Everyone mentioned but the bot (when the bot's id is unknown, the first mention is taken to be it). */
  function peopleMentioned(message: MessageReceived['message']): { openId: string; name: string }[] {
    const bot = deps.botOpenId();
    const mentions = message.mentions ?? [];
    return mentions
      .filter((m, i) => m.id.open_id && (bot === undefined ? i > 0 : m.id.open_id !== bot))
      .map((m) => ({ openId: m.id.open_id!, name: m.name ?? '' }))
      .filter((m) => /^ou_[\w-]+$/.test(m.openId));
  }

  async function onMessage(envelope: LarkEnvelope, tx: Tx, prepared: unknown): Promise<void> {
    const { sender, message } = parse(messageReceived, envelope);
    const actor = actorOf(sender.sender_id);
    const text = messageText(message);
    const command = text === null ? null : parseCommand(text);
    if (message.chat_type === 'p2p') {
      await meet(tx, actor);
      // To the person by open_id, never by their p2p chat id: Lark's 5/s per receiver is per person,
      // and the outbox paces one key per receiver.
      const reply = (card: Card) => sendCard(tx, toUser(actor.openId), card, envelope.eventId);
      if (prepared) {
        const file = prepared as ReceivedFile;
        const kind = file.ok ? await deps.fileKindFor(file, await isAdministrator(actions.principal(tx, actor))) : 'attachment';
        await reply(await actions.runFile(tx, actor, kind, file, refusedCard));
        return;
      }
      await reply(await commandCard(tx, command ?? { name: 'help', args: '' }, actor));
      return;
    }
    if (!addressedToBot(message)) return;
    // 角色 @某人: the grant card for the people mentioned (mentions carry their open_id and name) goes
    // to the sender's private chat, never into the group; the registry decides whether they may.
    const others = peopleMentioned(message);
    if (command?.name === 'role' && others.length) {
      for (const m of others) await meetPerson(tx, { openId: m.openId, name: m.name || null });
      await meet(tx, actor);
      const card = await commandCard(tx, { name: 'role', args: others.map((m) => m.openId).join(' ') }, actor);
      await sendCard(tx, toUser(actor.openId), card, envelope.eventId);
      const note = sentPrivatelyCard(deps.privateChatUrl ? { privateChatUrl: deps.privateChatUrl } : {});
      await enqueue(tx, { kind: 'reply', messageId: message.message_id, chatId: message.chat_id, msgType: 'interactive', content: note }, envelope.eventId);
      return;
    }
    const c = groupHelpCard({ ...(deps.privateChatUrl ? { privateChatUrl: deps.privateChatUrl } : {}), ...(command ? { asked: command.name } : {}) });
    await enqueue(tx, { kind: 'reply', messageId: message.message_id, chatId: message.chat_id, msgType: 'interactive', content: c }, envelope.eventId);
  }

  async function onBotAdded(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(botMembership, envelope);
    const by = e.operator_id?.open_id ?? null;
    await tx.groupChat.upsert({
      where: { chatId: e.chat_id },
      create: { chatId: e.chat_id, name: e.name ?? null, addedBy: by },
      update: { active: true, leftAt: null, ...(e.name ? { name: e.name } : {}), addedBy: by },
    });
    await tx.auditLog.create({ data: { actor: by ?? 'lark', action: 'group.bot_added', subject: e.chat_id, detail: e.name ?? null } });
    const intro = groupIntroCard(deps.privateChatUrl ? { privateChatUrl: deps.privateChatUrl } : {});
    await sendCard(tx, toChat(e.chat_id), intro, envelope.eventId);
  }

  async function onBotRemoved(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(botMembership, envelope);
    await tx.groupChat.updateMany({ where: { chatId: e.chat_id }, data: { active: false, leftAt: new Date() } });
    await tx.auditLog.create({ data: { actor: e.operator_id?.open_id ?? 'lark', action: 'group.bot_removed', subject: e.chat_id } });
  }

  async function onChatEntered(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(p2pChatEntered, envelope);
    const actor = actorOf(e.operator_id);
    const user = await meet(tx, actor);
    // Lark sends this every time the chat is opened: welcome once, not every time.
    if (user.welcomedAt) return;
    await tx.larkUser.update({ where: { openId: actor.openId }, data: { welcomedAt: new Date() } });
    const roles = await rolesOf(actions.principal(tx, actor));
    await sendCard(tx, toUser(actor.openId), welcomeCard({ roles, ...(deps.draftDays ? { draftDays: deps.draftDays } : {}) }), envelope.eventId);
  }

  async function onMenu(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(menuClicked, envelope);
    const actor = actorOf(e.operator.operator_id);
    await meet(tx, actor);
    const command = commandFromMenuKey(e.event_key);
    if (!command) log.warn({ eventKey: e.event_key }, 'unknown bot menu key; answering with help');
    const reply = await commandCard(tx, command ?? { name: 'help', args: '' }, actor);
    await sendCard(tx, toUser(actor.openId), reply, envelope.eventId);
  }

  const handlers: Record<HandledEvent, (envelope: LarkEnvelope, tx: Tx, prepared: unknown) => Promise<void>> = {
    'im.message.receive_v1': onMessage,
    'im.chat.member.bot.added_v1': onBotAdded,
    'im.chat.member.bot.deleted_v1': onBotRemoved,
    'im.chat.access_event.bot_p2p_chat_entered_v1': onChatEntered,
    'application.bot.menu_v6': onMenu,
  };

  return {
    async handleEvent(envelope, tx, prepared) {
      const handler = isHandledEvent(envelope.eventType) ? handlers[envelope.eventType] : undefined;
      if (!handler) {
        log.debug({ eventType: envelope.eventType }, 'event type not handled');
        return;
      }
      await handler(envelope, tx, prepared);
    },

    async handleCardAction(envelope, tx, prepared) {
      const e = parse(cardActionTriggered, envelope);
      const actor = actorOf(e.operator);
      const { value, name } = actionOf(envelope.event);
      const reply = await actions.runCard(tx, { actor, value, form: e.action.form_value ?? {}, name, messageId: e.context?.open_message_id, prepared });
      if (!reply) {
        log.info({ value }, 'card action not recognised');
        throw new Refused({ toast: { type: 'warning', content: '这张卡片已失效，请发送“帮助”重新开始。' } });
      }
      // Only people who were allowed to act are recorded.
      await remember(tx, actor);
      return { answer: callbackAnswer(reply), ...(reply.after ? { after: reply.after } : {}) };
    },
  };
}
