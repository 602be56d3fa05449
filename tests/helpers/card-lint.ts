// Structural checks of a Card JSON 2.0 card, for any card test: the rules the Lark client and API
// enforce that a wrong card would only reveal in production (a rejected send, a dead button).
// Returns the problems found (empty when the card is fine).
//
// Sources: the Card JSON 2.0 component pages on open.feishu.cn (…/feishu-cards/card-json-v2-components/…),
// /work/shared/notes/lark-platform.md, and the API error 300305 (at most 200 elements per card).
import { CARD_ELEMENT_LIMIT, CARD_LIMIT_BYTES, type Card, cardBytes, cardElements } from '../../cards/components.js';

type Node = Record<string, unknown>;

export const KNOWN_COMPONENTS = [
  'markdown',
  'hr',
  'column_set',
  'column',
  'button',
  'form',
  'input',
  'select_static',
  'multi_select_static',
  'date_picker',
  'picker_datetime',
  'checker',
  'collapsible_panel',
  'table',
  'img',
  'chart',
  'div',
] as const;
/** Tags of the text and icon objects that components carry. */
const TEXT_TAGS = ['plain_text', 'lark_md', 'text_tag', 'standard_icon', 'custom_icon'];
const CONTAINERS = new Set(['form', 'column_set', 'column', 'collapsible_panel', 'interactive_container']);
const FIELDS = new Set([
  'input',
  'select_static',
  'multi_select_static',
  'date_picker',
  'checker',
  'select_person',
  'multi_select_person',
  'picker_time',
  'picker_datetime',
  'select_img',
]);
const TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
const TEXT_SIZES = [
  'heading-0',
  'heading-1',
  'heading-2',
  'heading-3',
  'heading-4',
  'heading',
  'normal',
  'notation',
  'xxxx-large',
  'xxx-large',
  'xx-large',
  'x-large',
  'large',
  'medium',
  'small',
  'x-small',
];

// Properties each tag may have (JSON 2.0 rejects unknown ones). From the component pages.
const BASE = ['tag', 'margin', 'element_id'];
const CONTAINER = [...BASE, 'vertical_align', 'vertical_spacing', 'horizontal_align', 'horizontal_spacing', 'direction', 'padding', 'elements'];
const SELECT = [...BASE, 'type', 'name', 'required', 'disabled', 'placeholder', 'width', 'confirm', 'behaviors'];
const ALLOWED: Record<string, string[]> = {
  markdown: [...BASE, 'content', 'text_size', 'text_align', 'icon'],
  hr: BASE,
  div: [...BASE, 'text', 'width', 'icon'],
  column_set: [...BASE, 'horizontal_spacing', 'horizontal_align', 'vertical_align', 'flex_mode', 'background_style', 'columns', 'action'],
  column: [...CONTAINER, 'background_style', 'width', 'weight', 'action'],
  form: [...CONTAINER, 'name', 'confirm'],
  collapsible_panel: [...CONTAINER, 'expanded', 'background_color', 'header', 'border'],
  table: [...BASE, 'page_size', 'row_height', 'row_max_height', 'freeze_first_column', 'header_style', 'columns', 'rows'],
  img: [...BASE, 'img_key', 'alt', 'title', 'transparent', 'preview', 'corner_radius', 'scale_type', 'size'],
  chart: [...BASE, 'chart_spec', 'aspect_ratio', 'color_theme', 'preview', 'height'],
  button: [
    ...BASE,
    'text',
    'size',
    'icon',
    'disabled',
    'behaviors',
    'type',
    'width',
    'hover_tips',
    'disabled_tips',
    'confirm',
    'name',
    'required',
    'form_action_type',
  ],
  input: [
    ...BASE,
    'name',
    'required',
    'placeholder',
    'default_value',
    'disabled',
    'disabled_tips',
    'width',
    'max_length',
    'input_type',
    'show_icon',
    'rows',
    'auto_resize',
    'max_rows',
    'label',
    'label_position',
    'value',
    'behaviors',
    'confirm',
  ],
  select_static: [...SELECT, 'options', 'initial_option', 'initial_index'],
  multi_select_static: [...SELECT, 'options', 'selected_values'],
  date_picker: [...SELECT, 'initial_date', 'value'],
  picker_datetime: [...SELECT, 'initial_datetime', 'value'],
  checker: [
    ...BASE,
    'name',
    'checked',
    'disabled',
    'text',
    'overall_checkable',
    'button_area',
    'checked_style',
    'padding',
    'confirm',
    'behaviors',
    'hover_tips',
    'disabled_tips',
  ],
  plain_text: ['tag', 'content', 'i18n_content', 'text_size', 'text_color', 'text_align', 'lines'],
  lark_md: ['tag', 'content', 'i18n_content', 'text_size', 'text_color', 'text_align', 'lines'],
  text_tag: ['tag', 'text', 'color'],
  standard_icon: ['tag', 'token', 'color', 'size'],
  custom_icon: ['tag', 'img_key', 'size'],
};

export interface LintOptions {
  /** Checks a callback value (e.g. JourneyAction.safeParse(v).success). */
  validateAction?: (value: unknown) => boolean;
}

/** Children that are components (as opposed to text objects and option lists). */
function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const key of ['elements', 'columns'] as const) {
    const v = n[key];
    if (Array.isArray(v)) out.push(...(v.filter((x) => x && typeof x === 'object' && typeof (x as Node).tag === 'string') as Node[]));
  }
  return out;
}

/** Every object of the card with a string tag, anywhere. */
function allTagged(v: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(v)) v.forEach((x) => allTagged(x, out));
  else if (v && typeof v === 'object') {
    if (typeof (v as Node).tag === 'string') out.push(v as Node);
    Object.values(v).forEach((x) => allTagged(x, out));
  }
  return out;
}

/** Markdown tables in a markdown text (a header row followed by a |---| separator row). */
export function markdownTables(content: string): number {
  const lines = content.split('\n');
  let n = 0;
  for (let i = 1; i < lines.length; i++) if (/^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[i]!) && /^\s*\|.*\|\s*$/.test(lines[i - 1]!)) n++;
  return n;
}

export function lintCard(c: Card, opts: LintOptions = {}): string[] {
  const problems: string[] = [];
  const p = (msg: string) => problems.push(msg);

  if (c.schema !== '2.0') p('schema is not 2.0');
  if (c.config?.update_multi !== true) p('config.update_multi is not true');
  if (!c.config?.summary?.content) p('no config.summary');
  const header = c.header as { title?: { tag?: string; content?: string }; subtitle?: { content?: string }; template?: string } | undefined;
  if (!header?.title?.content) p('no header title');
  if (header?.template && !TEMPLATES.includes(header.template)) p(`header template ${header.template}`);
  if (!Array.isArray(c.body?.elements) || !c.body.elements.length) p('body.elements is empty');

  const bytes = cardBytes(c);
  if (bytes > CARD_LIMIT_BYTES) p(`card is ${bytes} bytes (limit ${CARD_LIMIT_BYTES})`);
  const count = cardElements(c);
  if (count > CARD_ELEMENT_LIMIT) p(`card has ${count} elements (limit ${CARD_ELEMENT_LIMIT})`);

  // Tags and properties.
  for (const n of allTagged(c)) {
    const tag = n.tag as string;
    if (!(KNOWN_COMPONENTS as readonly string[]).includes(tag) && !TEXT_TAGS.includes(tag)) {
      p(`unknown tag ${tag}`);
      continue;
    }
    const allowed = ALLOWED[tag];
    if (allowed) for (const key of Object.keys(n)) if (!allowed.includes(key)) p(`${tag} has unknown property ${key}`);
    if ((tag === 'plain_text' || tag === 'lark_md') && typeof n.content !== 'string') p(`${tag} without content`);
    if (tag === 'markdown' && typeof n.content !== 'string') p('markdown without content');
    if (n.text_size !== undefined && typeof n.text_size === 'string' && !TEXT_SIZES.includes(n.text_size)) p(`${tag} text_size ${n.text_size}`);
  }

  // Structure: forms at the root, nesting, tables, names, buttons.
  const names = new Map<string, number>();
  let tables = 0;
  const walk = (n: Node, depth: number, inForm: Node | undefined, inPanel: boolean, atRoot: boolean): void => {
    const tag = n.tag as string;
    const d = CONTAINERS.has(tag) ? depth + 1 : depth;
    if (d > 5) p(`${tag} nested ${d} containers deep (limit 5)`);
    if (tag === 'form') {
      if (!atRoot) p('form is not a direct child of body.elements');
      if (inForm) p('form inside a form');
      if (typeof n.name !== 'string' || !n.name) p('form without a name');
    }
    if (tag === 'table') {
      tables++;
      if (!atRoot) p('table is not a direct child of body.elements');
      if (inForm) p('table inside a form');
    }
    if (tag === 'form' && inPanel) p('form inside a collapsible_panel');
    if (tag === 'markdown' && typeof n.content === 'string') tables += markdownTables(n.content);
    if (typeof n.name === 'string' && (FIELDS.has(tag) || tag === 'button' || tag === 'form')) names.set(n.name, (names.get(n.name) ?? 0) + 1);
    if (FIELDS.has(tag) && inForm && !n.name) p(`${tag} in a form without a name`);
    if ((tag === 'multi_select_static' || tag === 'multi_select_person') && !inForm) p(`${tag} outside a form`);

    if (tag === 'input') {
      const max = n.max_length;
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 1000)) p(`input ${String(n.name)} max_length ${String(max)} (1–1000)`);
      if (typeof n.default_value === 'string' && typeof max === 'number' && Array.from(n.default_value).length > max)
        p(`input ${String(n.name)} default_value longer than max_length`);
      if (n.input_type !== undefined && !['text', 'multiline_text', 'password'].includes(n.input_type as string)) p(`input_type ${String(n.input_type)}`);
    }
    const ph = (n.placeholder as { content?: string } | undefined)?.content;
    if (ph !== undefined && Array.from(ph).length > 100) p(`${tag} placeholder over 100 characters`);
    if (tag === 'select_static' || tag === 'multi_select_static') {
      const values = ((n.options as { value?: unknown; text?: { content?: unknown } }[] | undefined) ?? []).map((o) => o.value);
      if (!values.length) p(`${tag} ${String(n.name)} without options`);
      if (new Set(values).size !== values.length) p(`${tag} ${String(n.name)} repeats an option value`);
      if (n.initial_option !== undefined && !values.includes(n.initial_option)) p(`${tag} ${String(n.name)} initial_option not among the options`);
      for (const v of (n.selected_values as unknown[] | undefined) ?? [])
        if (!values.includes(v)) p(`${tag} ${String(n.name)} selected value ${String(v)} not among the options`);
    }
    if (tag === 'date_picker' && n.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(n.initial_date)))
      p(`date_picker initial_date ${String(n.initial_date)}`);
    if (tag === 'collapsible_panel') {
      const title = (n.header as { title?: { tag?: string } } | undefined)?.title;
      if (!title || !['plain_text', 'markdown'].includes(title.tag ?? '')) p('collapsible_panel header.title must be plain_text or markdown');
    }

    if (tag === 'button') {
      const text = (n.text as { content?: string } | undefined)?.content;
      if (!text) p('button without text');
      const behaviors = n.behaviors as { type?: string; value?: unknown; default_url?: string }[] | undefined;
      if (!Array.isArray(behaviors) || !behaviors.length) p(`button ${text} without behaviors`);
      else
        for (const b of behaviors) {
          if (b.type === 'callback') {
            if (!b.value || typeof b.value !== 'object' || Array.isArray(b.value)) p(`button ${text}: callback value is not an object`);
            else if (opts.validateAction && !opts.validateAction(b.value)) p(`button ${text}: callback value ${JSON.stringify(b.value)} is not a valid action`);
          } else if (b.type === 'open_url') {
            if (!/^https:\/\//.test(b.default_url ?? '')) p(`button ${text}: open_url without an https default_url`);
          } else p(`button ${text}: behavior type ${String(b.type)}`);
        }
      if (n.form_action_type !== undefined) {
        if (!inForm) p(`button ${text}: form_action_type outside a form`);
        if (!['submit', 'reset'].includes(n.form_action_type as string)) p(`button ${text}: form_action_type ${String(n.form_action_type)}`);
        if (typeof n.name !== 'string' || !n.name) p(`submit button ${text} without a name`);
      } else if (inForm) p(`button ${text} in a form without form_action_type`);
    }

    for (const child of children(n)) walk(child, d, tag === 'form' ? n : inForm, inPanel || tag === 'collapsible_panel', false);
  };
  for (const e of c.body?.elements ?? []) walk(e as Node, 0, undefined, false, true);

  for (const form of (c.body?.elements ?? []).filter((e) => e.tag === 'form')) {
    const submits = allTagged(form).filter((n) => n.tag === 'button' && n.form_action_type === 'submit');
    if (!submits.length) p(`form ${String(form.name)} has no submit button`);
  }
  for (const [name, k] of names) if (k > 1) p(`name ${name} used ${k} times`);
  if (tables > 5) p(`${tables} tables (limit 5)`);
  const charts = allTagged(c.body).filter((n) => n.tag === 'chart');
  if (charts.length > 5) p(`${charts.length} charts (limit 5)`);
  for (const ch of charts) {
    const spec = ch.chart_spec as Node | undefined;
    if (!spec || typeof spec.type !== 'string') p('chart without a chart_spec type');
  }
  return problems;
}

/** Every visible text of a card: header, summary, markdown, plain text, option texts. */
export function cardTexts(c: Card): string[] {
  const out: string[] = [];
  if (c.config.summary) out.push(c.config.summary.content);
  for (const n of allTagged(c)) if (typeof n.content === 'string') out.push(n.content);
  return out;
}

/** Every button of a card. */
export function cardButtons(c: Card): Node[] {
  return allTagged(c).filter((n) => n.tag === 'button');
}

/** The callback values of a card's buttons, in order. */
export function buttonValues(c: Card): Record<string, unknown>[] {
  return cardButtons(c).flatMap((b) =>
    ((b.behaviors as { type: string; value?: Record<string, unknown> }[]) ?? []).filter((x) => x.type === 'callback').map((x) => x.value ?? {}),
  );
}

/** What a person reads of a markdown line: no bold, colour or tag markup, entities decoded. */
export function visibleText(line: string): string {
  return line
    .replace(/<\/?(font|text_tag)\b[^>]*>/g, '')
    .replace(/\*\*|~~/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&sim;/g, '~')
    .trim();
}

/**
 * The lines of a card's body as a person reads them: every markdown line, every chart's title and
 * every collapsible panel's title (buttons and form inputs left out: they are actions and labels).
 */
export function bodyLines(c: Card): string[] {
  const out: string[] = [];
  for (const n of allTagged(c.body)) {
    if (n.tag === 'markdown' && typeof n.content === 'string') out.push(...n.content.split('\n').map(visibleText));
    const t = containerTitle(n);
    if (t) out.push(t);
  }
  return out.filter((l) => l !== '');
}

/** A chart's or a collapsible panel's own title. */
function containerTitle(n: Node): string | undefined {
  const t =
    n.tag === 'chart'
      ? (n.chart_spec as { title?: { text?: unknown } } | undefined)?.title?.text
      : n.tag === 'collapsible_panel'
        ? (n.header as { title?: { content?: unknown } } | undefined)?.title?.content
        : undefined;
  return typeof t === 'string' ? t : undefined;
}

/** The header's title and subtitle as shown. */
export function headerTexts(c: Card): string[] {
  const h = c.header as { title?: { content?: string }; subtitle?: { content?: string } } | undefined;
  return [h?.title?.content, h?.subtitle?.content].filter((t): t is string => typeof t === 'string' && t.trim() !== '');
}

/**
 * Body lines that print the header's title or subtitle again (the header already shows it): the
 * line is that text, or has it as a part of its own — set off by the line's start or end, a space,
 * brackets or punctuation — so 威海市技能大师工作室申报 under a header 技能大师工作室申报 is not one.
 */
export function headerRepeats(c: Card): string[] {
  const edge = '[\\s\\p{P}\\p{S}]';
  const heads = headerTexts(c).map((h) => h.replace(/…$/, '').trim());
  const patterns = heads.map((h) => new RegExp(`(^|${edge})${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|${edge})`, 'u'));
  return bodyLines(c).filter((line) => patterns.some((p) => p.test(line)));
}

/**
 * Headings a card prints twice: the header's title and subtitle, a markdown line wholly in bold,
 * a chart's title, a panel's title — compared as read (markup and a final colon dropped).
 */
export function repeatedHeadings(c: Card): string[] {
  const headings: string[] = [...headerTexts(c)];
  for (const n of allTagged(c.body)) {
    if (n.tag === 'markdown' && typeof n.content === 'string') {
      for (const line of n.content.split('\n')) if (/^\s*\*\*[^*]+\*\*[：:]?\s*$/.test(line)) headings.push(visibleText(line));
    }
    const t = containerTitle(n);
    if (t) headings.push(t);
  }
  const norm = headings.map((h) => h.replace(/[：:]\s*$/, '').trim()).filter(Boolean);
  return [...new Set(norm.filter((h, i) => norm.indexOf(h) !== i))];
}
