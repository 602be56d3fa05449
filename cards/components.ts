// Small builders for Card JSON 2.0. Pure: data in, JSON out.
export type Template = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey' | 'default';

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
      ...(opts.tags?.length ? { text_tag_list: opts.tags.map((t) => ({ tag: 'text_tag', text: plain(t.text), color: t.color })) } : {}),
    },
    body: { elements: opts.elements },
  };
}

export const markdown = (content: string): Element => ({ tag: 'markdown', content });
export const divider = (): Element => ({ tag: 'hr' });
export const note = (content: string): Element => ({ tag: 'markdown', content, text_size: 'notation' });

export function button(opts: { text: string; value?: Record<string, unknown>; type?: 'primary' | 'default' | 'danger' | 'text'; url?: string; name?: string }): Element {
  const behaviors = opts.url
    ? [{ type: 'open_url', default_url: opts.url }]
    : [{ type: 'callback', value: opts.value ?? {} }];
  return { tag: 'button', text: plain(opts.text), type: opts.type ?? 'default', ...(opts.name ? { name: opts.name } : {}), behaviors };
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

export function cardBytes(c: Card): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}
