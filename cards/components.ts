// Small builders for Card JSON 2.0. Pure: data in, JSON out.
export type Template =
  | 'blue'
  | 'wathet'
  | 'turquoise'
  | 'green'
  | 'yellow'
  | 'orange'
  | 'red'
  | 'carmine'
  | 'violet'
  | 'purple'
  | 'indigo'
  | 'grey'
  | 'default';

export interface Card {
  schema: '2.0';
  config: { update_multi: boolean; width_mode?: 'default' | 'fill' | 'compact'; summary?: { content: string } };
  header?: Record<string, unknown>;
  body: { elements: Element[] };
}
export type Element = Record<string, unknown>;

/** Lark rejects a card whose request body exceeds 30 KB. */
export const CARD_LIMIT_BYTES = 30 * 1024;

export const plain = (content: string) => ({ tag: 'plain_text', content });

/** Lark shows at most this many tags in a card header. */
export const MAX_HEADER_TAGS = 3;

export function card(opts: {
  title: string;
  subtitle?: string;
  template?: Template;
  tags?: { text: string; color: string }[];
  summary?: string;
  elements: Element[];
}): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', ...(opts.summary ? { summary: { content: opts.summary } } : {}) },
    header: {
      title: plain(opts.title),
      ...(opts.subtitle ? { subtitle: plain(opts.subtitle) } : {}),
      template: opts.template ?? 'blue',
      // A header shows at most 3 tags (标题组件 text_tag_list「最多3个」): the first three given.
      ...(opts.tags?.length
        ? { text_tag_list: opts.tags.slice(0, MAX_HEADER_TAGS).map((t) => ({ tag: 'text_tag', text: plain(t.text), color: t.color })) }
        : {}),
    },
    body: { elements: opts.elements },
  };
}

export const markdown = (content: string): Element => ({ tag: 'markdown', content });
export const divider = (): Element => ({ tag: 'hr' });
export const note = (content: string): Element => ({ tag: 'markdown', content, text_size: 'notation' });

/**
 * A form's submit button is routed from its `name`, which Lark's callback documents (action.name),
 * rather than from its behaviors value alone: the name carries the role (next, approve…) and the
 * button's value, base64url-encoded JSON (card-json-v2 form container: 提交按钮的表单项标识 name;
 * names must be unique in the card and non-empty, no charset is documented, so [A-Za-z0-9._-]).
 */
export function submitName(role: string, value: Record<string, unknown>): string {
  return `${role}.${Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')}`;
}

/** The role and value a submit button's name carries; undefined for any other name. */
export function fromSubmitName(name: string | undefined): { role: string; value: Record<string, unknown> } | undefined {
  const m = typeof name === 'string' ? /^([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)$/.exec(name) : null;
  if (!m) return undefined;
  try {
    const value = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { a?: unknown }).a === 'string'
      ? { role: m[1]!, value: value as Record<string, unknown> }
      : undefined;
  } catch {
    return undefined;
  }
}

export function button(opts: {
  text: string;
  value?: Record<string, unknown>;
  type?: 'primary' | 'default' | 'danger' | 'text';
  url?: string;
  name?: string;
  /** A submit button of the form it sits in (form_action_type submit; needs a name). */
  submit?: boolean;
  /** Ask before acting (button `confirm`: title + text). */
  confirm?: { title: string; text: string };
  /** `width`: default | fill | [100,∞)px. */
  width?: 'default' | 'fill';
}): Element {
  const behaviors = opts.url ? [{ type: 'open_url', default_url: opts.url }] : [{ type: 'callback', value: opts.value ?? {} }];
  return {
    tag: 'button',
    text: plain(opts.text),
    type: opts.type ?? 'default',
    ...(opts.width ? { width: opts.width } : {}),
    ...(opts.name ? { name: opts.submit && opts.value ? submitName(opts.name, opts.value) : opts.name } : {}),
    ...(opts.submit ? { form_action_type: 'submit' } : {}),
    ...(opts.confirm ? { confirm: { title: plain(opts.confirm.title), text: plain(opts.confirm.text) } } : {}),
    behaviors,
  };
}

/** Buttons side by side, wrapping on narrow screens. */
export function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/**
 * The size Lark limits: the request body that sends the card, where the card is a JSON string in
 * `content` and so escaped once more (发送消息：「卡片消息、富文本消息请求体最大不能超过 30 KB」;
 * open.feishu.cn/document/server-docs/im-v1/message/create). Receiver and uuid at their longest.
 */
export function cardBytes(c: Card): number {
  return Buffer.byteLength(
    JSON.stringify({ receive_id: `oc_${'0'.repeat(61)}`, msg_type: 'interactive', content: JSON.stringify(c), uuid: '0'.repeat(50) }),
    'utf8',
  );
}

/** What a piece of a card's text adds to `cardBytes`: it is escaped twice (in the card's JSON, then in the request body). */
export function textBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(text)), 'utf8') - 6;
}

/**
 * Card JSON 2.0 allows at most 200 components and elements per card, text objects such as
 * plain_text included (error 300305 "The number of card components exceeds 200").
 */
export const CARD_ELEMENT_LIMIT = 200;

/** Every object with a `tag` (components, plain_text, text_tag…), the header's included. */
export function cardElements(c: Card | Element): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      if (typeof (v as { tag?: unknown }).tag === 'string') n++;
      Object.values(v).forEach(visit);
    }
  };
  visit(c);
  return n;
}

/** Under the byte limit (or a smaller budget) and the element limit. */
export function fits(c: Card, maxBytes: number = CARD_LIMIT_BYTES): boolean {
  return cardBytes(c) <= maxBytes && cardElements(c) <= CARD_ELEMENT_LIMIT;
}

/** The first of the candidate cards (richest first) that fits; the last one otherwise. */
export function firstFitting(candidates: (() => Card)[], maxBytes: number = CARD_LIMIT_BYTES): Card {
  let last: Card | undefined;
  for (const build of candidates) {
    last = build();
    if (fits(last, maxBytes)) return last;
  }
  if (!last) throw new Error('firstFitting needs at least one candidate');
  return last;
}

// Characters the markdown component would read as syntax, as the HTML references the rich-text
// doc's 特殊字符转义 table uses (&#实体编号;).
const MD_SPECIAL: Record<string, string> = {
  '&': '&#38;',
  '<': '&#60;',
  '>': '&#62;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&sim;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '#': '&#35;',
  '|': '&#124;',
  $: '&#36;',
};

/** User text shown literally inside a markdown component. */
export function escapeMd(text: string): string {
  return text
    .replace(/[&<>*_~`[\]\\#|$]/g, (ch) => MD_SPECIAL[ch] ?? ch)
    .replace(/^([-+]|\d+\.)(?=\s)/gm, (m) => (m.startsWith('-') ? '&#45;' : m.startsWith('+') ? '&#43;' : m.replace('.', '&#46;')));
}

/**
 * At most `max` characters (code points). A cut text ends with …; a long passage cut short (a
 * reviewer reading an answer) also says how long the whole is: …（共N字）. Short places (buttons,
 * titles, one-line names) get the plain ellipsis.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const kept = chars.slice(0, Math.max(1, max)).join('');
  return max >= LONG_PASSAGE ? `${kept}…（共${chars.length}字）` : `${kept}…`;
}
const LONG_PASSAGE = 100;

/**
 * An administrator's own text (a notice's body): their Markdown is kept (bold, colour, lists,
 * links), unlike applicants' text, which is always shown literally. Only cut to `max`.
 */
export function authoredMarkdown(text: string, max: number): string {
  const chars = Array.from(text.replace(/\r\n?/g, '\n'));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}
