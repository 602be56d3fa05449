// Maps messages, menu clicks and card actions to use cases. Thin: no HTTP, no Lark crypto; all
// effects are database writes (state, audit, outbox rows) inside the caller's transaction.
import type { Tx } from '../db/database.js';
import type { Logger } from '../log.js';
import type { LarkEnvelope } from '../lark/push.js';
import { botMembership, cardActionTriggered, menuClicked, messageReceived, messageText, p2pChatEntered, type MessageReceived } from '../lark/events.js';
import { enqueue, type Recipient } from '../outbox/outbox.js';
import { UnprocessableEvent } from '../inbox/inbox.js';
import { commandFromMenuKey, parseCommand, type Command, type CommandName } from './commands.js';
import type { Actor, Role } from './roles.js';
import { groupHelpCard, groupIntroCard, helpCard, notPermittedCard, notYetAvailableCard, welcomeCard } from '../../cards/help.js';
import type { Card } from '../../cards/components.js';
import type { z } from 'zod';
import type { Journey, ReceivedFile } from '../applications/journey.js';
import { JourneyAction } from '../../cards/journey/actions.js';
import { OversightAction, ReviewAction } from '../../cards/review.js';
import { BroadcastAction } from '../../cards/broadcast.js';
import type { Broadcasts } from '../admin/broadcast.js';
import type { Stats } from '../admin/stats.js';
import { StatsAction } from '../../cards/stats.js';
import type { Exports } from '../exports/exports.js';
import { ExportAction } from '../../cards/exports.js';
import type { ProgrammeAdmin } from '../admin/programmes.js';
import { isProgrammeFileName } from '../admin/programmes.js';
import { ProgrammeAction } from '../../cards/programmes.js';
import type { Evaluation } from '../evaluation/rounds.js';
import { EvaluationAction } from '../../cards/evaluation.js';
import type { Oversight } from '../review/oversight.js';
import { isAdmin } from '../review/roles.js';
import { SelectionAction } from '../../cards/selection.js';
import type { Selection } from '../review/selection.js';
import type { Review } from '../review/workflow.js';
import type { RoleAdmin } from '../review/admin.js';
import { rolesOf } from '../review/roles.js';

export interface BotDeps {
  adminIds: readonly string[];
  log: Logger;
  /** The bot's own open_id, when known: in groups it tells a mention of the bot from others. */
  botOpenId: () => string | undefined;
  /** Link that opens the private chat with the bot (applink), when the app id is known. */
  privateChatUrl?: string;
  journey: Journey;
  review: Review;
  roleAdmin: RoleAdmin;
  selection: Selection;
  oversight: Oversight;
  broadcasts: Broadcasts;
  stats: Stats;
  exports: Exports;
  programmes: ProgrammeAdmin;
  evaluation: Evaluation;
}

/** What a card callback answers within Lark's 3 s: a toast and/or a card replacing the clicked one. */
export interface CallbackAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: Card };
}

/**
 * Journey actions carry the draft version and are applied by version-guarded updates, so a
 * re-delivered callback is harmless without recording it; every other action is recorded once.
 */
export function isVersionGuarded(envelope: LarkEnvelope): boolean {
  const value = (envelope.event as { action?: { value?: unknown } }).action?.value;
  return JourneyAction.safeParse(value).success;
}

export interface Bot {
  /** `prepared` is what the inbox's prepare step produced (a downloaded file), if anything. */
  handleEvent(envelope: LarkEnvelope, tx: Tx, prepared?: unknown): Promise<void>;
  handleCardAction(envelope: LarkEnvelope, tx: Tx): Promise<CallbackAnswer>;
}

const REQUIRED_ROLE: Partial<Record<CommandName, Role>> = {
  broadcast: 'admin',
  stats: 'admin',
  export: 'admin',
  evaluate: 'admin',
  role: 'admin',
  programmes: 'admin',
};

function parse<T extends z.ZodType>(schema: T, envelope: LarkEnvelope): z.infer<T> {
  const r = schema.safeParse(envelope.event);
  if (!r.success) throw new UnprocessableEvent(`${envelope.eventType}: ${r.error.issues[0]?.message ?? 'invalid'} at ${r.error.issues[0]?.path.join('.')}`);
  return r.data;
}

/** A feature's reply (card and/or toast) as the callback's HTTP answer. */
const answer = (r: { card?: Card; toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string } }) => ({
  ...(r.card ? { card: { type: 'raw' as const, data: r.card } } : {}),
  ...(r.toast ? { toast: r.toast } : {}),
});

const interactive = (recipient: Recipient, c: Card) => ({ kind: 'send' as const, ...recipient, msgType: 'interactive' as const, content: c });

export function createBot(deps: BotDeps): Bot {
  const { log } = deps;

  // Users this process has already recorded: a busy applicant's clicks need not write it again.
  const known = new Set<string>();
  async function remember(tx: Tx, actor: Actor): Promise<void> {
    if (known.has(actor.openId)) return;
    await meet(tx, actor);
    if (known.size > 50_000) known.clear();
    known.add(actor.openId);
  }

  async function meet(tx: Tx, actor: Actor): Promise<{ welcomedAt: Date | null }> {
    return tx.larkUser.upsert({
      where: { openId: actor.openId },
      create: { openId: actor.openId, userId: actor.userId ?? null },
      update: actor.userId ? { userId: actor.userId } : {},
      select: { welcomedAt: true },
    });
  }

  /** The answer to a command in the private chat (or from the menu, or a card button). */
  async function commandCard(tx: Tx, command: Command, actor: Actor): Promise<Card> {
    const roles = await rolesOf(tx, actor, deps.adminIds);
    const needed = REQUIRED_ROLE[command.name];
    if (needed && !roles.includes(needed)) return notPermittedCard(command.name);
    switch (command.name) {
      case 'help':
        return helpCard({ roles });
      case 'apply':
        return deps.journey.programmeList(tx, actor);
      case 'status':
        return deps.journey.status(tx, actor);
      case 'todo':
        // Administrators see what is waiting on reviewers; reviewers see their own queue.
        return (await isAdmin(tx, actor, deps.adminIds)) ? deps.oversight.stuck(tx) : deps.review.todo(tx, actor);
      case 'role':
        return (await deps.roleAdmin.show(tx, actor)) ?? notPermittedCard(command.name);
      case 'broadcast':
        return (await deps.broadcasts.composer(tx, actor)) ?? notPermittedCard(command.name);
      case 'stats':
        return (await deps.stats.overview(tx, actor)) ?? notPermittedCard(command.name);
      case 'export':
        return (await deps.exports.menu(tx, actor)) ?? notPermittedCard(command.name);
      case 'programmes':
        return (await deps.programmes.list(tx, actor)) ?? notPermittedCard(command.name);
      case 'evaluate':
        return (await deps.evaluation.list(tx, actor)) ?? notPermittedCard(command.name);
      default:
        return notYetAvailableCard(command.name);
    }
  }

  function addressedToBot(message: MessageReceived['message']): boolean {
    const mentions = message.mentions ?? [];
    if (mentions.length === 0) return false;
    const bot = deps.botOpenId();
    return bot === undefined || mentions.some((m) => m.id.open_id === bot);
  }

  async function onMessage(envelope: LarkEnvelope, tx: Tx, prepared: unknown): Promise<void> {
    const { sender, message } = parse(messageReceived, envelope);
    const actor: Actor = { openId: sender.sender_id.open_id, ...(sender.sender_id.user_id ? { userId: sender.sender_id.user_id } : {}) };
    const text = messageText(message);
    const command = text === null ? null : parseCommand(text);
    if (message.chat_type === 'p2p') {
      await meet(tx, actor);
      if (prepared) {
        const file = prepared as ReceivedFile;
        // An administrator's .yaml is a programme file; anything else is an application's attachment.
        // An administrator's .yaml is a programme file and a spreadsheet headed like a studio list is
        // an import; anything else is an application's attachment.
        const admin = file.ok && (await isAdmin(tx, actor, deps.adminIds));
        const card =
          admin && file.ok && isProgrammeFileName(file.name)
            ? await deps.programmes.receiveFile(tx, actor, file)
            : admin && file.ok && (await deps.evaluation.isStudioList(file))
              ? await deps.evaluation.importList(tx, actor, file)
              : await deps.journey.receiveFile(tx, actor, file);
        await enqueue(tx, interactive({ receiveIdType: 'chat_id', receiveId: message.chat_id }, card), envelope.eventId);
        return;
      }
      const reply = await commandCard(tx, command ?? { name: 'help', args: '' }, actor);
      await enqueue(tx, interactive({ receiveIdType: 'chat_id', receiveId: message.chat_id }, reply), envelope.eventId);
      return;
    }
    if (!addressedToBot(message)) return;
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
    await enqueue(tx, interactive({ receiveIdType: 'chat_id', receiveId: e.chat_id }, intro), envelope.eventId);
  }

  async function onBotRemoved(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(botMembership, envelope);
    await tx.groupChat.updateMany({ where: { chatId: e.chat_id }, data: { active: false, leftAt: new Date() } });
    await tx.auditLog.create({ data: { actor: e.operator_id?.open_id ?? 'lark', action: 'group.bot_removed', subject: e.chat_id } });
  }

  async function onChatEntered(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(p2pChatEntered, envelope);
    const actor: Actor = { openId: e.operator_id.open_id, ...(e.operator_id.user_id ? { userId: e.operator_id.user_id } : {}) };
    const user = await meet(tx, actor);
    // Lark sends this every time the chat is opened: welcome once, not every time.
    if (user.welcomedAt) return;
    await tx.larkUser.update({ where: { openId: actor.openId }, data: { welcomedAt: new Date() } });
    const roles = await rolesOf(tx, actor, deps.adminIds);
    await enqueue(tx, interactive({ receiveIdType: 'chat_id', receiveId: e.chat_id }, welcomeCard({ roles })), envelope.eventId);
  }

  async function onMenu(envelope: LarkEnvelope, tx: Tx): Promise<void> {
    const e = parse(menuClicked, envelope);
    const actor: Actor = { openId: e.operator.operator_id.open_id, ...(e.operator.operator_id.user_id ? { userId: e.operator.operator_id.user_id } : {}) };
    await meet(tx, actor);
    const command = commandFromMenuKey(e.event_key);
    if (!command) log.warn({ eventKey: e.event_key }, 'unknown bot menu key; answering with help');
    const reply = await commandCard(tx, command ?? { name: 'help', args: '' }, actor);
    await enqueue(tx, interactive({ receiveIdType: 'open_id', receiveId: actor.openId }, reply), envelope.eventId);
  }

  const handlers: Record<string, (envelope: LarkEnvelope, tx: Tx, prepared: unknown) => Promise<void>> = {
    'im.message.receive_v1': onMessage,
    'im.chat.member.bot.added_v1': onBotAdded,
    'im.chat.member.bot.deleted_v1': onBotRemoved,
    'im.chat.access_event.bot_p2p_chat_entered_v1': onChatEntered,
    'application.bot.menu_v6': onMenu,
  };

  return {
    async handleEvent(envelope, tx, prepared) {
      const handler = handlers[envelope.eventType];
      if (!handler) {
        log.debug({ eventType: envelope.eventType }, 'event type not handled');
        return;
      }
      await handler(envelope, tx, prepared);
    },

    async handleCardAction(envelope, tx) {
      const e = parse(cardActionTriggered, envelope);
      const actor: Actor = { openId: e.operator.open_id, ...(e.operator.user_id ? { userId: e.operator.user_id } : {}) };
      const broadcastAction = BroadcastAction.safeParse(e.action.value);
      if (broadcastAction.success) {
        await remember(tx, actor);
        const r = await deps.broadcasts.handle(tx, actor, broadcastAction.data, e.action.form_value ?? {}, e.context?.open_message_id);
        return answer(r);
      }
      const statsAction = StatsAction.safeParse(e.action.value);
      if (statsAction.success) {
        await remember(tx, actor);
        const a = statsAction.data;
        const c = a.a === 'st.all' ? await deps.stats.overview(tx, actor) : await deps.stats.programme(tx, actor, a.c);
        return c ? { card: { type: 'raw', data: c } } : { toast: { type: 'error', content: '只有管理员可以查看统计，且只能查看自己管理范围内的项目' } };
      }
      const evaluationAction = EvaluationAction.safeParse(e.action.value);
      if (evaluationAction.success) {
        await remember(tx, actor);
        return answer(await deps.evaluation.handle(tx, actor, evaluationAction.data));
      }
      const programmeAction = ProgrammeAction.safeParse(e.action.value);
      if (programmeAction.success) {
        await remember(tx, actor);
        return answer(await deps.programmes.handle(tx, actor, programmeAction.data, e.action.form_value ?? {}));
      }
      const exportAction = ExportAction.safeParse(e.action.value);
      if (exportAction.success) {
        await remember(tx, actor);
        const a = exportAction.data;
        if (a.a === 'x.run') return answer(await deps.exports.request(tx, actor, e.action.form_value ?? {}, e.context?.open_message_id));
        const c = await deps.exports.menu(tx, actor, a.c);
        return c ? { card: { type: 'raw', data: c } } : { toast: { type: 'error', content: '只有管理员可以导出' } };
      }
      const oversightAction = OversightAction.safeParse(e.action.value);
      if (oversightAction.success) {
        await remember(tx, actor);
        const a = oversightAction.data;
        const r = a.a === 'o.remind' ? await deps.oversight.remind(tx, actor, a.app) : await deps.oversight.detail(tx, actor, a.app);
        return answer(r);
      }
      const selectionAction = SelectionAction.safeParse(e.action.value);
      if (selectionAction.success) {
        await remember(tx, actor);
        const a = selectionAction.data;
        const form = e.action.form_value ?? {};
        const sel = deps.selection;
        const dispatch = async () => {
          switch (a.a) {
            case 's.score':
              return sel.score(tx, actor, a.t, form);
            case 'rank.show':
              return sel.ranking(tx, actor, a.c, a.s);
            case 'rank.confirm':
              return sel.confirm(tx, actor, a.c, a.s, form, (t, c, app, stage) => deps.review.enterStage(t, c, app, stage));
            case 'publish.stage':
              return sel.publishStage(tx, actor, a.c, a.s);
            case 'rec.show':
              return sel.recommendation(tx, actor, a.c, a.s);
            case 'rec.confirm':
              return sel.recommend(tx, actor, a.c, a.s, form, (t, c, app, stage) => deps.review.enterStage(t, c, app, stage));
            case 'notice.start':
              return sel.startNotice(tx, actor, a.c, a.s);
            case 'notice.show':
              return sel.showNotice(tx, actor, a.n);
            case 'notice.objectForm':
              return sel.objectionForm(tx, a.n);
            case 'notice.object':
              return sel.object(tx, actor, a.n, form);
            case 'notice.resolve':
              return sel.resolve(tx, actor, a.n, a.o, form);
            case 'notice.publish':
              return sel.publish(tx, actor, a.n);
          }
        };
        const r = await dispatch();
        return answer(r);
      }
      const reviewAction = ReviewAction.safeParse(e.action.value);
      if (reviewAction.success) {
        await remember(tx, actor);
        const a = reviewAction.data;
        const form = e.action.form_value ?? {};
        const r =
          a.a === 'r.open'
            ? await deps.review.open(tx, actor, a.t)
            : a.a === 'r.decide'
              ? await deps.review.decide(tx, actor, a.t, e.action.name, form)
              : a.a === 'r.file'
                ? await deps.review.sendFile(tx, actor, a.t, a.u)
                : a.a === 'r.todo'
                  ? { card: await deps.review.todo(tx, actor) }
                  : a.a === 'role.list'
                    ? { card: (await deps.roleAdmin.show(tx, actor)) ?? notPermittedCard('role') }
                    : a.a === 'role.grant'
                      ? await deps.roleAdmin.grant(tx, actor, form)
                      : await deps.roleAdmin.revoke(tx, actor, a.g);
        return answer(r);
      }
      const journeyAction = JourneyAction.safeParse(e.action.value);
      if (journeyAction.success) {
        await remember(tx, actor);
        const r = await deps.journey.handle(tx, actor, journeyAction.data, e.action.form_value ?? {}, e.action.name);
        return { card: { type: 'raw', data: r.card }, ...(r.toast ? { toast: r.toast } : {}) };
      }
      const value = (e.action.value ?? {}) as { action?: string; command?: string };
      if (value.action === 'command' && typeof value.command === 'string') {
        const command = parseCommand(value.command);
        if (command) {
          await meet(tx, actor);
          await enqueue(tx, interactive({ receiveIdType: 'open_id', receiveId: actor.openId }, await commandCard(tx, command, actor)), envelope.eventId);
          return {};
        }
      }
      log.info({ value }, 'card action not recognised');
      return { toast: { type: 'warning', content: '这张卡片已失效，请发送“帮助”重新开始。' } };
    },
  };
}
