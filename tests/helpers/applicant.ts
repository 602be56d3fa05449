// A person using the bot: sends text and files in the private chat, reads the cards it gets back,
// clicks buttons and fills forms from what the card actually shows (defaults included), as the
// Lark client would. Used by the end-to-end journey tests.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { fromSubmitName } from '../../cards/components.js';
import { cardAction, messageEvent } from '../../src/emulator/signing.js';
import { APP_ID, type Harness, VERIFICATION_TOKEN, waitFor } from './harness.js';

export type CardJson = { header?: { title?: { content?: string } }; body: { elements: unknown[] } } & Record<string, unknown>;
type Node = Record<string, unknown>;

export interface ButtonFound {
  text: string;
  value: Record<string, unknown>;
  /** The button's role (next, approve…), read from its name. */
  name?: string;
  /** The name as it is on the card (a submit button's carries its routing). */
  rawName?: string;
  submit: boolean;
  form?: Node;
}

/**
 * How Lark fills a form's callback. `strict` (the default) gives only what the documentation
 * promises: action.name, and form_value without the inputs left empty; `full` adds the submit
 * button's behaviors value and every input. FORM_CALLBACKS=full runs a suite the other way.
 */
export const FORM_CALLBACKS: 'strict' | 'full' = process.env.FORM_CALLBACKS === 'full' ? 'full' : 'strict';

const isEmptyValue = (v: unknown) => v === '' || v === false || v === undefined || v === null || (Array.isArray(v) && v.length === 0);

function walk(node: unknown, visit: (n: Node, form: Node | undefined) => void, form?: Node): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, form);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  const inForm = n.tag === 'form' ? n : form;
  visit(n, inForm);
  for (const [k, v] of Object.entries(n)) if (k !== 'behaviors' && typeof v === 'object') walk(v, visit, inForm);
}

export function buttonsOf(card: CardJson): ButtonFound[] {
  const out: ButtonFound[] = [];
  walk(card.body, (n, form) => {
    if (n.tag !== 'button') return;
    const behaviors = (n.behaviors as { type: string; value?: Record<string, unknown> }[] | undefined) ?? [];
    const cb = behaviors.find((b) => b.type === 'callback');
    out.push({
      text: String((n.text as { content?: string } | undefined)?.content ?? ''),
      value: cb?.value ?? {},
      ...(typeof n.name === 'string' ? { name: fromSubmitName(n.name)?.role ?? n.name, rawName: n.name } : {}),
      submit: n.form_action_type === 'submit',
      ...(form ? { form } : {}),
    });
  });
  return out;
}

/** The values a form would submit as shown: every named input with its default. */
export function formDefaults(form: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  walk(form, (n) => {
    if (typeof n.name !== 'string' || n.tag === 'button' || n.tag === 'form') return;
    switch (n.tag) {
      case 'input':
        out[n.name] = n.default_value ?? '';
        break;
      case 'select_static':
        out[n.name] = n.initial_option ?? '';
        break;
      case 'multi_select_static':
      case 'multi_select_person':
        out[n.name] = n.selected_values ?? [];
        break;
      case 'select_person':
        out[n.name] = n.initial_option ?? '';
        break;
      case 'date_picker':
        out[n.name] = n.initial_date ?? '';
        break;
      case 'picker_datetime':
        out[n.name] = n.initial_datetime ?? '';
        break;
      case 'checker':
        out[n.name] = n.checked === true;
        break;
    }
  });
  return out;
}

/**
 * A person picker offers only its options (人员选择: 「候选人员」 are the options; without them, the
 * members of the chat): a test cannot pick someone the card does not offer, nor can a user.
 */
function checkPicked(form: Node, fill: Record<string, unknown>): void {
  walk(form, (n) => {
    if ((n.tag !== 'select_person' && n.tag !== 'multi_select_person') || typeof n.name !== 'string' || !(n.name in fill)) return;
    const offered = new Set(((n.options as { value: string }[] | undefined) ?? []).map((o) => o.value));
    const picked = fill[n.name];
    for (const id of Array.isArray(picked) ? picked : picked ? [picked] : []) {
      if (!offered.has(String(id))) throw new Error(`the person picker "${n.name}" does not offer ${String(id)} (it offers ${offered.size} people)`);
    }
  });
}

export function inputNames(form: Node): string[] {
  return Object.keys(formDefaults(form));
}

/** Every piece of text on a card, for assertions about what the user reads. */
export function textOf(card: CardJson): string {
  const parts: string[] = [String(card.header?.title?.content ?? '')];
  walk(card, (n) => {
    if (typeof n.content === 'string') parts.push(n.content);
  });
  return parts.join('\n');
}

/** The error messages on a step card, each with the label of the field it is under. */
export function errorsOf(card: CardJson): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  let label = '';
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const node = n as { tag?: string; content?: unknown };
    if (node.tag === 'markdown' && typeof node.content === 'string') {
      const l = /^\*\*(.+?)\*\*/.exec(node.content);
      if (l) label = l[1]!;
      const e = /❗ ([^<\n]+)/.exec(node.content);
      if (e) out.push({ field: label, message: e[1]! });
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v);
  };
  visit(card.body);
  return out;
}

export type ButtonMatch = string | RegExp | ((b: ButtonFound) => boolean);
const matches = (b: ButtonFound, m: ButtonMatch) => (typeof m === 'function' ? m(b) : typeof m === 'string' ? b.text === m || b.value.a === m : m.test(b.text));

export class Applicant {
  card: CardJson | undefined;
  /** The message the card on screen lives in (a callback's card replaces it in place). */
  messageId: string | undefined;
  lastToast: { type?: string; content?: string } | undefined;
  readonly chatId: string;
  /** How long Lark takes to apply a callback's answer to the card in the chat (a busy Lark: some seconds). */
  callbackLagMs = 0;
  private seen = 0;

  constructor(
    readonly h: Harness,
    readonly openId: string,
  ) {
    this.chatId = h.emulator.p2pChatId(openId);
  }

  private botMessages() {
    return this.h.emulator.messagesTo(this.chatId).filter((m) => m.sender_type === 'app');
  }

  private async nextBotCard(): Promise<CardJson> {
    const before = this.seen;
    await waitFor(`a reply to ${this.openId}`, () => this.botMessages().length > before, 15_000);
    const all = this.botMessages();
    this.seen = all.length;
    const m = all[all.length - 1]!;
    this.card = JSON.parse(m.content) as CardJson;
    this.messageId = m.message_id;
    return this.card;
  }

  /** Waits for the next card the bot sends on its own (a review task, a notice) and shows it. */
  async received(match?: (card: CardJson) => boolean): Promise<CardJson> {
    await waitFor(
      `a card for ${this.openId}`,
      () =>
        this.botMessages()
          .slice(this.seen)
          .some((m) => !match || match(JSON.parse(m.content) as CardJson)),
      15_000,
    );
    const fresh = this.botMessages().slice(this.seen);
    const m = match ? fresh.find((x) => match(JSON.parse(x.content) as CardJson))! : fresh[fresh.length - 1]!;
    this.seen = this.botMessages().indexOf(m) + 1;
    this.card = JSON.parse(m.content) as CardJson;
    this.messageId = m.message_id;
    return this.card;
  }

  /** Every card in the chat as it looks now (patched cards included). */
  cards(): CardJson[] {
    return this.botMessages().map((m) => JSON.parse(m.content) as CardJson);
  }

  /** Every card the bot sent to this chat, as it was sent (before any patch or callback answer). */
  cardsAsSent(): CardJson[] {
    return this.botMessages().map((m) => JSON.parse(m.sentContent ?? m.content) as CardJson);
  }

  async say(text: string): Promise<CardJson> {
    this.seen = this.botMessages().length;
    const res = await this.h.push(
      messageEvent({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        sender: { open_id: this.openId },
        chatId: this.chatId,
        chatType: 'p2p',
        text,
        emulator: this.h.emulator,
      }),
    );
    expect(res.status).toBe(200);
    return this.nextBotCard();
  }

  async sendFile(name: string, bytes: Buffer, type: 'file' | 'image' = 'file'): Promise<CardJson> {
    this.seen = this.botMessages().length;
    const messageId = `om_${randomBytes(16).toString('hex')}`;
    const key = `${type === 'image' ? 'img' : 'file'}_v3_${messageId.slice(3, 19)}`;
    this.h.emulator.putResource(messageId, key, bytes, name);
    const content = type === 'image' ? { image_key: key } : { file_key: key, file_name: name };
    const res = await this.h.push(
      messageEvent({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        sender: { open_id: this.openId },
        chatId: this.chatId,
        chatType: 'p2p',
        messageType: type,
        content,
        messageId,
        emulator: this.h.emulator,
      }),
    );
    expect(res.status).toBe(200);
    return this.nextBotCard();
  }

  button(match: ButtonMatch, card: CardJson | undefined = this.card): ButtonFound {
    const found = buttonsOf(card!).find((b) => matches(b, match));
    if (!found)
      throw new Error(
        `no button ${String(match)} on card「${card?.header?.title?.content}」: ${buttonsOf(card!)
          .map((b) => `${b.text}(${String(b.value.a)})`)
          .join(', ')}`,
      );
    return found;
  }

  hasButton(match: ButtonMatch, card: CardJson | undefined = this.card): boolean {
    return buttonsOf(card!).some((b) => matches(b, match));
  }

  /** Clicks a button; a submit button sends its form with the defaults shown, overridden by `fill`. */
  async click(match: ButtonMatch, fill: Record<string, unknown> = {}, opts: { card?: CardJson } = {}): Promise<CardJson> {
    const b = this.button(match, opts.card);
    if (b.form) checkPicked(b.form, fill);
    const formValue = b.submit && b.form ? { ...formDefaults(b.form), ...fill } : undefined;
    const res = await this.clickRaw(b, formValue);
    return res;
  }

  /**
   * In a group with the bot, "@助手 <text> @someone…": waits for the card the bot sends this person
   * privately (as 角色 @某人 does) and shows it.
   */
  async sayInGroup(
    text: string,
    mentioned: { openId: string; name: string }[],
    chatId = `oc_group_of_${this.openId.slice(3, 20)}`,
    match?: (card: CardJson) => boolean,
  ): Promise<CardJson> {
    const emulator = this.h.emulator;
    if (!emulator.getChat(chatId)) emulator.addChat({ chat_id: chatId, name: '工作群', members: [this.openId, ...mentioned.map((m) => m.openId)] });
    this.seen = this.botMessages().length;
    const mentions = [
      { key: '@_user_1', id: { open_id: emulator.botOpenId(APP_ID) }, name: '技能大师工作室助手' },
      ...mentioned.map((m, i) => ({ key: `@_user_${i + 2}`, id: { open_id: m.openId }, name: m.name })),
    ];
    const body = `@_user_1 ${text} ${mentioned.map((_, i) => `@_user_${i + 2}`).join(' ')}`;
    const res = await this.h.push(
      messageEvent({ appId: APP_ID, token: VERIFICATION_TOKEN, sender: { open_id: this.openId }, chatId, chatType: 'group', text: body, mentions, emulator }),
    );
    expect(res.status).toBe(200);
    // Notices may reach this person meanwhile: `match` tells the card asked for.
    return match ? this.received(match) : this.nextBotCard();
  }

  async clickRaw(
    b: Pick<ButtonFound, 'value' | 'name'> & Partial<Pick<ButtonFound, 'rawName' | 'submit'>>,
    formValue?: Record<string, unknown>,
  ): Promise<CardJson> {
    // A form submitted as the documentation promises: routed by its name, empty inputs left out.
    const strict = FORM_CALLBACKS === 'strict' && b.submit === true && b.rawName !== undefined;
    const form = formValue && strict ? Object.fromEntries(Object.entries(formValue).filter(([, v]) => !isEmptyValue(v))) : formValue;
    const envelope = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: this.openId,
      openMessageId: this.messageId ?? 'om_card_in_chat',
      openChatId: this.chatId,
      ...(strict ? {} : { value: b.value }),
      ...((b.rawName ?? b.name) ? { name: b.rawName ?? b.name } : {}),
      ...(form ? { formValue: form } : {}),
      emulator: this.h.emulator,
    });
    const res = await this.h.push(envelope, { route: '/lark/callbacks' });
    expect(res.status).toBe(200);
    const answer = res.json as { card?: { type: string; data: CardJson }; toast?: { type?: string; content?: string } };
    this.lastToast = answer.toast;
    // A refusal is a toast alone: the card on screen stays as it was.
    if (!answer.card && !answer.toast) throw new Error(`callback answered with neither card nor toast: ${res.body}`);
    if (answer.card) {
      this.card = answer.card.data;
      // As Lark does once the answer arrives: the card in the chat is replaced by it (after any
      // patch that came earlier, which it overwrites).
      const messageId = this.messageId;
      const data = answer.card.data;
      if (messageId && this.callbackLagMs === 0) this.h.emulator.replaceByCallback(messageId, data);
      else if (messageId) setTimeout(() => this.h.emulator.replaceByCallback(messageId, data), this.callbackLagMs);
    }
    return this.card!;
  }
}
