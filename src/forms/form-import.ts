// Recognising a filled Word 申报表 against a programme's form (issue 21): which of the form's labels
// the document carries and what was written next to them, as the raw text a person would type into
// the card (so the engine's own parsing and checks apply). Tolerant of how people fill a template:
// labels with spaces, line breaks, full-width punctuation, colons and （必填）; shorter or longer
// variants of a label; values right of or below their label, in merged cells or in the label's own
// cell; check marks among □ options; dates, numbers with units, Chinese numerals; repeating groups
// as rows under a header row. A label not found gives no value: nothing is ever guessed.
// Pure: the document arrives as a WordDocument (src/files/word.ts reads the file).

import { choicesOf } from '../campaigns/references.js';
import type { Campaign, GroupField, ScalarField, Section } from '../campaigns/schema.js';
import { normalizeSkillLevel, SKILL_LEVELS } from '../rules/skill-level.js';
import { toHalfWidth } from './fields.js';
import type { WordDocument, WordTable } from './word-document.js';

export type RawInput = string | string[];

export interface Recognised {
  /** Raw input per scalar field id, as a person would type it into the card (parseFieldValue accepts it): choices as the option's text, multi-choices as string[]. */
  values: Record<string, RawInput>;
  /** Repeating groups: their rows, each as raw inputs per field id of the group. */
  groups: Record<string, Record<string, RawInput>[]>;
  /** How many of the form's labels (scalar fields and group columns) were found in the document, out of how many. */
  labelsFound: number;
  labelsInForm: number;
  /** Field ids (and group ids) of the form that got no value. */
  notFound: string[];
  /**
   * Whether the document is this programme's form at all: at least 5 and 30 % of its labels found,
   * and at least 75 % of the document's label cells are this form's (a neighbouring city's form
   * shares many labels, but leaves its own labels and their values unread).
   */
  isThisForm: boolean;
}

// ---------- labels ----------

/** Parenthesised notes that say how to fill, not what: （必填）（盖章）（可另附页）… */
const ANNOTATION = /\([^()]*?(?:必填|选填|盖章|签字|签章|公章|附页|附表)[^()]*?\)/g;

/** A label as compared: half-width, lower case, no spaces, breaks, stars, numbering, notes or trailing colon. */
export function normaliseLabel(text: string): string {
  return toHalfWidth(text)
    .toLowerCase()
    .replace(/[\s_\u00a0]+/g, '')
    .replace(ANNOTATION, '')
    .replace(/^[*★☆※]+/, '')
    .replace(/^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]/, '')
    .replace(/[:：*★☆※]+$/, '');
}

/** Without any parenthesised part: 单位简介（1000字以内） and 单位简介 meet here. */
const loose = (n: string): string => n.replace(/\([^()]*\)/g, '');

interface Label {
  exact: string;
  loose: string;
}
const label = (text: string): Label => {
  const exact = normaliseLabel(text);
  return { exact, loose: loose(exact) };
};

/** 100 same label, 90 same but for a parenthesised part, 40–60 one contains the other, 0 no match. */
function score(doc: Label, l: Label): number {
  if (!doc.exact || !l.exact) return 0;
  if (doc.exact === l.exact) return 100;
  if (doc.loose.length >= 2 && doc.loose === l.loose) return 90;
  if (doc.exact.length > 40) return 0;
  const extra = doc.exact.length - l.exact.length;
  if (extra > 0 && l.exact.length >= 2 && extra <= Math.max(4, l.exact.length) && doc.exact.includes(l.exact)) return 60 - extra;
  if (extra < 0 && doc.exact.length >= 2 && doc.exact.length * 5 >= l.exact.length * 2 && l.exact.includes(doc.exact)) return 50 + extra / 10;
  return 0;
}
const bestScore = (doc: Label, labels: Label[]) => Math.max(0, ...labels.map((l) => score(doc, l)));

// ---------- the programme's form ----------

interface ScalarTarget {
  field: ScalarField;
  section: Section;
  order: number;
  labels: Label[];
}
interface GroupTarget {
  field: GroupField;
  section: Section;
  order: number;
  labels: Label[];
  columns: { field: ScalarField; labels: Label[] }[];
}

interface FormIndex {
  scalars: ScalarTarget[];
  groups: GroupTarget[];
  sections: { section: Section; label: Label }[];
  /** Every label, section title and group title, exact and loose, for telling a label cell from a value. */
  known: Set<string>;
  /** The form's other printed words: its title, opinion boxes and attachments (no value to take, but this form's). */
  words: Set<string>;
}

function indexForm(c: Campaign): FormIndex {
  const scalars: ScalarTarget[] = [];
  const groups: GroupTarget[] = [];
  let order = 0;
  for (const section of c.form.sections)
    for (const f of section.fields) {
      // The cover's duplicates (申报单位, 领办人姓名) are the programme file's alsoPrintedAs.
      const labels = [f.label, ...(f.alsoPrintedAs ?? [])].map(label);
      if (f.type === 'group')
        groups.push({
          field: f,
          section,
          order: order++,
          labels: [...labels, label(section.title)],
          columns: f.fields.map((sub) => ({ field: sub, labels: [sub.label, ...(sub.alsoPrintedAs ?? [])].map(label) })),
        });
      else scalars.push({ field: f, section, order: order++, labels });
    }
  const sections = c.form.sections.map((section) => ({ section, label: label(section.title) }));
  const known = new Set<string>();
  const add = (l: Label) => {
    if (l.exact) known.add(l.exact);
    if (l.loose.length >= 2) known.add(l.loose);
  };
  for (const t of scalars) t.labels.forEach(add);
  for (const g of groups) {
    g.labels.forEach(add);
    for (const col of g.columns) col.labels.forEach(add);
  }
  for (const s of sections) add(s.label);
  const words = new Set(
    [
      c.title,
      c.exports.applicationForm?.title ?? '',
      ...(c.exports.applicationForm?.opinions ?? []).map((o) => o.title),
      ...c.pipeline.map((stage) => stage.opinionLabel ?? ''),
      ...c.form.attachments.map((a) => a.label),
    ]
      .map((w) => normaliseLabel(w))
      .filter(Boolean),
  );
  return { scalars, groups, sections, known, words };
}

// ---------- values ----------

const CHECKED = '☑☒■√✓✔✅▣';
const UNCHECKED = '☐□▢';
const BOX = new RegExp(`[${CHECKED}${UNCHECKED}]`);
const PLACEHOLDERS = new Set(['无', '(无)', '/', '\\', '—', '——', '-', '--', '暂无', 'n/a', 'na', '空', '略', '…', '……']);
/** Signature lines a template leaves in a box: （盖章）, 年 月 日, 专家组长签字：… */
const SIGN_NOTE = /[（(]\s*(?:签字盖章|签字|盖章|签章|公章|单位盖章|单位公章)\s*[)）]/g;
const SIGN_LINE = /^(?:(?:二[〇O○零]|\d{2,4})\s*)?年\s*月\s*日$|^[^，。；:：]{0,20}(?:签字|签名|签章|盖章)\s*[:：)）]*$/;
/** The date written on a signature line, 2024年7月10日: not part of the opinion above it. */
const SIGNED_ON = /^(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$/;
/** A template's prompt kept in the box: （包括生产、科研以及高技能人才队伍情况）, （可另附页详细阐述）. */
const PROMPT = /^[（(][^（）()]*(?:包括|附页|附表|字以内|不超过|必填|选填|填写|阐述)[^（）()]*[)）]/;

/** The lines of a value without the template's notes, prompts and signature lines; '' for a placeholder. */
function cleanLines(field: ScalarField | undefined, text: string): string[] {
  const hint = field?.hint ? normaliseLabel(field.hint.replace(/^[（(]|[)）]$/g, '')) : undefined;
  const lines: string[] = [];
  let signed = false;
  for (let line of text.replace(/\r/g, '').split('\n')) {
    if (line.search(SIGN_NOTE) >= 0) signed = true;
    line = line.replace(SIGN_NOTE, ' ').trim();
    for (;;) {
      const m = PROMPT.exec(line);
      const inner = m ? normaliseLabel(m[0].slice(1, -1)) : undefined;
      if (m || (hint && inner === hint)) line = line.slice(m![0].length).trim();
      else break;
    }
    if (hint && normaliseLabel(line.replace(/^[（(]|[)）]$/g, '')) === hint && /^[（(].*[)）]$/.test(line)) line = '';
    if (SIGN_LINE.test(line.replace(/\s+/g, ' '))) line = '';
    line = line.replace(/^[_＿]+|[_＿]+$/g, '').trim();
    if (line) lines.push(line);
  }
  if (signed && field?.type === 'textarea' && lines.length > 1 && SIGNED_ON.test(lines[lines.length - 1]!)) lines.pop();
  if (lines.length === 1 && PLACEHOLDERS.has(normaliseLabel(lines[0]!))) return [];
  return lines;
}

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, '○': 0, O: 0, o: 0, Ｏ: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 as a number (十五, 二十三, 三十). */
function chineseSmall(s: string): number | undefined {
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return undefined;
  if (!m[2]) return m[1] && !m[3] ? CN_DIGIT[m[1]] : undefined;
  return (m[1] ? CN_DIGIT[m[1]]! : 1) * 10 + (m[3] ? CN_DIGIT[m[3]]! : 0);
}

/** 一九七五年六月十五日 → 1975年6月15日 (other text unchanged). */
function arabicDate(s: string): string {
  return s
    .replace(/[〇零○OoＯ一二三四五六七八九]{4}(?=\s*年)/g, (y) => [...y].map((ch) => CN_DIGIT[ch]).join(''))
    .replace(/([一二三四五六七八九十]{1,3})(?=\s*[月日号])/g, (n) => String(chineseSmall(n) ?? n));
}

/** Year, month and day as written: 1975.06, 1975年6月, 1975-6, 1975/6/3, 197506, 一九七五年六月. */
function dateParts(text: string): { y: number; m: number; d?: number } | undefined {
  const s = arabicDate(toHalfWidth(text))
    .replace(/\s+/g, '')
    .replace(/[。．]/g, '.');
  const m =
    /^(\d{4})(?:年|[.\-/])(\d{1,2})(?:月份?|[.\-/])?(?:(\d{1,2})[日号]?)?$/.exec(s) ??
    /^(\d{4})(\d{2})(\d{2})?$/.exec(s) ??
    /^(\d{4})-(\d{2})-(\d{2})T.*$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  if (m[3] === undefined) return { y, m: month };
  const d = Number(m[3]);
  const dt = new Date(Date.UTC(y, month - 1, d));
  if (dt.getUTCMonth() !== month - 1 || dt.getUTCDate() !== d) return undefined;
  return { y, m: month, d };
}
const pad = (n: number) => String(n).padStart(2, '0');

/** A number with its unit dropped (120平方米, 3人, １２０, 1,200, 三人); 万元 and 元 converted to the field's unit. */
function numberText(field: ScalarField, text: string): string | undefined {
  const s = toHalfWidth(text)
    .replace(/[,，\s]/g, '')
    .replace(/^(?:约|共|计|合计|总计)/, '');
  let n: number;
  let unit: string;
  const m = /^([-+]?\d+(?:\.\d+)?)(\D{0,6})$/.exec(s);
  if (m) {
    n = Number(m[1]);
    unit = m[2]!;
  } else {
    const c = /^([一二两三四五六七八九十]{1,3})(\D{0,4})$/.exec(s);
    const v = c ? chineseSmall(c[1]!) : undefined;
    if (v === undefined) return undefined;
    n = v;
    unit = c![2]!;
  }
  if (/[\d.]/.test(unit)) return undefined;
  const fieldUnit = 'unit' in field ? (field.unit ?? '') : '';
  if (unit.startsWith('万') && !fieldUnit.startsWith('万')) n = Math.round(n * 10000 * 1e6) / 1e6;
  else if (unit.startsWith('元') && fieldUnit.startsWith('万')) n = n / 10000;
  return String(n);
}

/** The options a check-box text marks (☑男 □女, 是√ 否, 退休 ☑ 调离□): undefined when it has no boxes. */
function checkedSegments(text: string): string[] | undefined {
  if (!BOX.test(text)) return undefined;
  // Words split by boxes and spaces; a space before a token says what it does not touch.
  const tokens: { mark?: 'on' | 'off'; text?: string; gapBefore: boolean }[] = [];
  let gap = false;
  for (const ch of text) {
    if (/\s/.test(ch)) {
      gap = true;
      continue;
    }
    const last = tokens[tokens.length - 1];
    if (CHECKED.includes(ch) || UNCHECKED.includes(ch)) tokens.push({ mark: CHECKED.includes(ch) ? 'on' : 'off', gapBefore: gap });
    else if (last?.text !== undefined && !gap) last.text += ch;
    else tokens.push({ text: ch, gapBefore: gap });
    gap = false;
  }
  // The template's convention: boxes before their options (☑男 □女) or after them (男☑ 女□).
  const before = tokens[0]?.mark !== undefined ? true : tokens[tokens.length - 1]?.mark !== undefined ? false : undefined;
  const out: string[] = [];
  tokens.forEach((tok, i) => {
    if (tok.mark !== 'on') return;
    const prev = tokens[i - 1]?.text;
    const next = tokens[i + 1]?.text;
    let owner: string | undefined;
    if (before === true) owner = next;
    else if (before === false) owner = prev;
    else {
      // A mark between two options belongs to the one it touches (是√ 否: 是).
      const touchesPrev = prev !== undefined && !tok.gapBefore;
      const touchesNext = next !== undefined && !tokens[i + 1]!.gapBefore;
      owner = touchesPrev && !touchesNext ? prev : touchesNext && !touchesPrev ? next : undefined;
    }
    if (owner !== undefined) out.push(owner);
  });
  return out;
}

const optionKey = (s: string) => normaliseLabel(s).replace(/[，,；;、。.]+$/g, '');

/** The option a piece of text names: the option itself, a longer or shorter way of writing it, or a skill level as written. */
function matchOption(text: string, options: readonly string[]): string | undefined {
  const t = optionKey(text);
  if (!t) return undefined;
  const keys = options.map((o) => ({ o, k: optionKey(o) }));
  const exact = keys.find((x) => x.k === t || loose(x.k) === t);
  if (exact) return exact.o;
  // 男性, 汉族人, 高级技师（一级）: the option and a few more characters (非中共党员 is not 中共党员).
  const within = keys
    .filter((x) => (x.k.length >= 2 || t.length <= 2) && t.startsWith(x.k) && t.length - x.k.length <= 6)
    .sort((a, b) => b.k.length - a.k.length);
  const level = options.some((o) => SKILL_LEVELS.includes(o)) ? normalizeSkillLevel(text) : null;
  // 高级工程师 is a title, not 高级工: a skill level is taken only as the level it reads as.
  if (within[0] && (within.length === 1 || within[0].k.length > within[1]!.k.length) && (!SKILL_LEVELS.includes(within[0].o) || level === within[0].o))
    return within[0].o;
  // 本科, 博士, 汉: a part of one option only.
  const around = keys.filter((x) => x.k.includes(t) && (t.length >= 2 || x.k.startsWith(t)));
  if (around.length === 1 && (!SKILL_LEVELS.includes(around[0]!.o) || level === around[0]!.o)) return around[0]!.o;
  if (level && options.includes(level)) return level;
  return undefined;
}

function choiceValue(f: ScalarField, options: readonly string[], text: string, allowOther: boolean): string | undefined {
  const checked = checkedSegments(text);
  if (checked) {
    const picked = checked.map((seg) => matchOption(seg, options) ?? (allowOther ? otherText(seg) : undefined));
    if (picked.length !== 1 || picked[0] === undefined) return undefined;
    return picked[0];
  }
  const one = text.replace(/\n/g, '');
  return matchOption(one, options) ?? (allowOther && f.type !== 'yesNo' ? otherText(one) : undefined);
}

/** 其他：木雕 → 木雕; text as typed otherwise. */
const otherText = (s: string): string | undefined => {
  const t = s.replace(/^其[他它]\s*[:：]?\s*/, '').trim();
  return t && !BOX.test(t) ? t : undefined;
};

function multiValue(f: ScalarField & { allowOther?: boolean }, options: readonly string[], text: string): string[] | undefined {
  const checked = checkedSegments(text);
  const out: string[] = [];
  if (checked) {
    for (const seg of checked) {
      const o = matchOption(seg, options) ?? (f.allowOther ? otherText(seg) : undefined);
      if (o === undefined) return undefined;
      if (!out.includes(o)) out.push(o);
    }
    return out.length ? out : undefined;
  }
  // Options written out, separated any way: find each option in the text, longest first.
  let rest = normaliseLabel(text);
  for (const o of [...options].sort((a, b) => b.length - a.length)) {
    const k = optionKey(o);
    if (k && rest.includes(k)) {
      out.push(o);
      rest = rest.replace(k, '|');
    }
  }
  const leftover = rest
    .split(/[|、，,；;/]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (leftover.length) {
    if (!f.allowOther) return undefined;
    out.push(...leftover);
  }
  return out.length ? options.filter((o) => out.includes(o)).concat(out.filter((o) => !options.includes(o))) : undefined;
}

const YES = /^(?:是|有|yes|y|true|√|✓|✔|☑)$/i;
const NO = /^(?:否|无|没有|no|n|false|×|✗)$/i;

/** The raw input for one field from what its cell holds; undefined for nothing usable. */
export function rawInput(field: ScalarField, text: string | undefined): RawInput | undefined {
  if (text === undefined) return undefined;
  const lines = cleanLines(field, text);
  if (!lines.length) return undefined;
  const joined = lines.join(field.type === 'textarea' ? '\n' : '');
  const compact = toHalfWidth(joined).replace(/\s+/g, '');
  switch (field.type) {
    case 'text':
    case 'studioName':
    case 'textarea':
      return field.type === 'textarea' ? joined : lines.join(/[\u4e00-\u9fff]$/.test(lines[0]!) ? '' : ' ');
    case 'integer':
    case 'decimal':
      return numberText(field, joined);
    case 'date': {
      const p = dateParts(joined);
      return p?.d !== undefined ? `${p.y}-${pad(p.m)}-${pad(p.d)}` : undefined;
    }
    case 'yearMonth': {
      const p = dateParts(joined);
      return p ? `${p.y}-${pad(p.m)}` : undefined;
    }
    case 'year': {
      const m = /^(\d{4})年?度?$/.exec(arabicDate(compact.replace(/^([〇零○O一二三四五六七八九]{4})(年?度?)$/, '$1年')));
      return m ? m[1] : undefined;
    }
    case 'choice':
      // The region field's options are the programme's regions (the loader puts them in).
      return choiceValue(field, choicesOf(field), joined, field.allowOther === true);
    case 'multiChoice':
      return multiValue(field, choicesOf(field), joined);
    case 'yesNo': {
      const checked = checkedSegments(joined);
      if (checked) {
        const picked = checked.map((s) => (YES.test(optionKey(s)) ? '是' : NO.test(optionKey(s)) ? '否' : undefined));
        return picked.length === 1 ? picked[0] : undefined;
      }
      return YES.test(compact) ? '是' : NO.test(compact) ? '否' : undefined;
    }
    case 'idNumber':
      return compact.toUpperCase();
    case 'mobile':
    case 'email':
    case 'postalCode':
    case 'creditCode':
      return field.type === 'creditCode' ? compact.toUpperCase() : compact;
    case 'landline':
    case 'phone':
      return toHalfWidth(joined).trim();
  }
}

// ---------- reading the document ----------

interface GCell {
  text: string;
  start: number;
  span: number;
  covered: boolean;
  restart: boolean;
  /** For a covered cell: the cell that opened the vertical merge. */
  origin?: GCell;
  used: boolean;
}

/** A table as a grid: each cell's first column, vertical merges resolved to their first cell. */
function grid(t: WordTable): GCell[][] {
  const rows: GCell[][] = [];
  for (const row of t.rows) {
    let start = 0;
    const out: GCell[] = [];
    for (const cell of row) {
      const span = Math.max(1, cell.span || 1);
      const g: GCell = { text: cell.text ?? '', start, span, covered: false, restart: cell.vMerge === 'restart', used: false };
      if (cell.vMerge === 'continue') {
        const above = rows[rows.length - 1]?.find((x) => x.start === start);
        if (above) {
          g.covered = true;
          g.origin = above.origin ?? above;
        }
      }
      out.push(g);
      start += span;
    }
    rows.push(out);
  }
  return rows;
}

const textOf = (c: GCell): string => (c.covered ? (c.origin?.text ?? '') : c.text);

interface State {
  form: FormIndex;
  section?: Section;
  groupHint?: GroupTarget;
  hard: Set<string>;
  soft: Set<string>;
  found: Set<string>;
  values: Record<string, RawInput>;
  groups: Record<string, Record<string, RawInput>[]>;
  claimedGroups: Set<string>;
  /** Table cells read as one of the form's labels (a field's, a group column's). */
  labelCells: number;
}

function sectionTitled(st: State, text: string): Section | undefined {
  const l = label(text);
  return st.form.sections.find((s) => s.label.exact === l.exact || (l.loose.length >= 2 && s.label.loose === l.loose))?.section;
}

function groupTitled(st: State, text: string): GroupTarget | undefined {
  const l = label(text);
  return st.form.groups.find((g) => g.labels.slice(0, -1).some((x) => score(l, x) >= 90));
}

/**
 * A label rather than a value: the form knows these words, or they end with a colon. `box`: also
 * a box that starts with a label line (所在单位意见：…（签章）), not a value under a label.
 */
function labelLike(st: State, text: string, box = false): boolean {
  const l = label(text);
  if (!l.exact) return false;
  if (st.form.known.has(l.exact) || (l.loose.length >= 2 && st.form.known.has(l.loose))) return true;
  const first = text.trim().split('\n')[0]!.trim();
  return (box ? /[:：]$/.test(first) : /[:：]$/.test(text.trim())) && label(first).exact.length <= 20;
}

/**
 * The field a label names: null when the text names none; undefined when it names only fields
 * already filled. Same labels before contained ones; in the current section first, then in order.
 */
function fieldFor(st: State, text: string, opts: { soft: boolean; exactOnly?: boolean }): ScalarTarget | null | undefined {
  const doc = label(text);
  if (!doc.exact) return null;
  const scored = st.form.scalars.map((t) => ({ t, s: bestScore(doc, t.labels) })).filter((x) => x.s > 0);
  if (!scored.length) return null;
  const top = Math.max(...scored.map((x) => x.s));
  if (opts.exactOnly && top < 90) return null;
  const tier = top >= 90 ? scored.filter((x) => x.s >= 90) : scored;
  const free = tier.filter((x) => !st.hard.has(x.t.field.id) && !(opts.soft && st.soft.has(x.t.field.id)));
  if (!free.length) return undefined;
  free.sort((a, b) => b.s - a.s || Number(b.t.section === st.section) - Number(a.t.section === st.section) || a.t.order - b.t.order);
  return free[0]!.t;
}

function assign(st: State, t: ScalarTarget, raw: RawInput | undefined, strength: 'hard' | 'soft'): void {
  const id = t.field.id;
  st.found.add(id);
  if (strength === 'hard') {
    st.hard.add(id);
    if (raw !== undefined) st.values[id] = raw;
    st.section = t.section;
  } else if (raw !== undefined && !st.hard.has(id) && !st.soft.has(id)) {
    st.soft.add(id);
    st.values[id] = raw;
  }
}

/** Ways a text can hold a label and its value together: 性别：男, 性别 ☑男 □女, a label's line then the value. */
function inlineSplits(text: string): { head: string; rest: string; exactOnly: boolean }[] {
  const out: { head: string; rest: string; exactOnly: boolean }[] = [];
  const colon = /[:：]/.exec(text);
  if (colon && colon.index > 0) out.push({ head: text.slice(0, colon.index), rest: text.slice(colon.index + 1), exactOnly: false });
  const box = BOX.exec(text);
  if (box && box.index > 0) out.push({ head: text.slice(0, box.index), rest: text.slice(box.index), exactOnly: true });
  const nl = text.indexOf('\n');
  if (nl > 0) out.push({ head: text.slice(0, nl), rest: text.slice(nl + 1), exactOnly: true });
  return out;
}

/** A value's text from the cell right of the label, the merged rows beside it, or the rows below. */
function valueBeside(st: State, rows: GCell[][], r: number, cell: GCell, target: ScalarTarget | undefined): string | undefined {
  const row = rows[r]!;
  const right = row[row.indexOf(cell) + 1];
  if (right) {
    const rt = textOf(right);
    const isValue =
      !right.used &&
      (!labelLike(st, rt) ||
        (target !== undefined && ['choice', 'multiChoice', 'yesNo'].includes(target.field.type) && rawInput(target.field, rt) !== undefined));
    if (isValue) {
      if (!right.covered) right.used = true;
      const parts = [rt];
      // A label merged down several rows: its value may go on in the cells beside it.
      if (cell.restart)
        for (let k = r + 1; k < rows.length; k++) {
          const below = rows[k]!.find((x) => x.start === cell.start);
          if (!below?.covered || below.origin !== cell) break;
          const more = rows[k]!.find((x) => x.start === right.start && !x.covered && !x.used);
          if (!more) break;
          more.used = true;
          parts.push(more.text);
        }
      return parts.join('\n');
    }
    if (right.used || !labelLike(st, rt)) return undefined;
  }
  // Nothing beside it (or another label): the value row under a label row.
  const next = rows[r + 1];
  const below = next?.find((x) => x.start === cell.start && !x.covered);
  if (!below || below.used || labelLike(st, below.text, true)) return undefined;
  if (right && below.span !== cell.span) return undefined;
  below.used = true;
  const parts = [below.text];
  const alone = (cs: GCell[]) => cs.filter((x) => !x.covered).length === 1;
  if (alone(row))
    for (let k = r + 2; k < rows.length; k++) {
      const cs = rows[k]!;
      const only = cs.find((x) => !x.covered);
      if (!alone(cs) || !only || only.used || only.start !== cell.start || !only.text.trim() || labelLike(st, only.text, true)) break;
      only.used = true;
      parts.push(only.text);
    }
  return parts.join('\n');
}

/** 性别：男  民族：汉族 — several of the form's labels with colons on one line: one piece per label. */
function labelledPieces(st: State, text: string): string[] {
  const starts: number[] = [];
  const heads = new Set<string>();
  for (const m of text.matchAll(/(^|[\s\u3000]+)([^\s\u3000:：][^:：\n]{0,30}?)\s*[:：]/g)) {
    const l = label(m[2]!);
    if (!st.form.known.has(l.exact) && !(l.loose.length >= 2 && st.form.known.has(l.loose))) continue;
    starts.push(m.index + m[1]!.length);
    heads.add(l.exact);
  }
  // Two different labels; a box that repeats its own label before the text (计划：\n计划：…) is one piece.
  if (starts.length < 2 || heads.size < starts.length) return [text];
  return [text.slice(0, starts[0]), ...starts.map((at, k) => text.slice(at, starts[k + 1]))].filter((piece) => piece.trim());
}

function handleCell(st: State, rows: GCell[][], r: number, cell: GCell): void {
  const text = cell.text;
  if (!text.trim()) return;
  const pieces = labelledPieces(st, text);
  if (pieces.length > 1) {
    for (const piece of pieces) {
      const colon = /[:：]/.exec(piece);
      const t = colon ? fieldFor(st, piece.slice(0, colon.index), { soft: false }) : null;
      if (t === null) continue;
      cell.used = true;
      st.labelCells++;
      if (t) assign(st, t, rawInput(t.field, piece.slice(colon!.index + 1)), 'hard');
    }
    return;
  }
  const section = sectionTitled(st, text);
  if (section) st.section = section;
  const group = groupTitled(st, text);
  if (group) st.groupHint = group;
  // A section's title row names a field only word for word (工作室下一步工作计划), and only if a value follows.
  const titled = section !== undefined || group !== undefined;
  // The cell's text a label word for word; else a label and its value (性别：男); else a label's variant.
  let target = fieldFor(st, text, { soft: false, exactOnly: true });
  let inline: string | undefined;
  if (target === null)
    for (const s of inlineSplits(text)) {
      const t = fieldFor(st, s.head, { soft: false, exactOnly: s.exactOnly || titled });
      if (t !== null) {
        target = t;
        inline = s.rest;
        break;
      }
    }
  if (target === null && !titled) target = fieldFor(st, text, { soft: false });
  if (target === null) {
    // An opinion box, an attachment's line: the form's own words, with nothing to take beside them.
    const head = normaliseLabel(text.split(/[:：\n]/)[0]!);
    if (st.form.words.has(normaliseLabel(text)) || st.form.words.has(head)) {
      cell.used = true;
      st.labelCells++;
      const row = rows[r]!;
      const right = row[row.indexOf(cell) + 1];
      if (right && !right.covered && !labelLike(st, right.text)) right.used = true;
    }
    return;
  }
  cell.used = true;
  st.labelCells++;
  // 所在单位意见：… in one box: the value is in the box, even when only the template's 签章 is.
  const valueText = inline?.trim() ? inline : valueBeside(st, rows, r, cell, target);
  const raw = target ? rawInput(target.field, valueText) : undefined;
  if (target && (raw !== undefined || !titled)) assign(st, target, raw, 'hard');
}

interface Header {
  group: GroupTarget;
  title?: GCell;
  columns: Map<number, ScalarField>;
}

/** A group's header row: most of its cells name the group's columns. */
function groupHeader(st: State, row: GCell[]): Header | undefined {
  const cells = row.filter((c) => !c.covered && !c.used);
  if (cells.length < 2) return undefined;
  const candidates: Header[] = [];
  for (const g of st.form.groups) {
    let title: GCell | undefined;
    const columns = new Map<number, ScalarField>();
    const taken = new Set<string>();
    cells.forEach((cell, i) => {
      const l = label(cell.text);
      if (!l.exact) return;
      if (i === 0 && (bestScore(l, g.labels) >= 90 || sectionTitled(st, cell.text))) {
        title = cell;
        return;
      }
      const best = g.columns
        .filter((col) => !taken.has(col.field.id))
        .map((col) => ({ col, s: bestScore(l, col.labels) }))
        .filter((x) => x.s > 0)
        .sort((a, b) => b.s - a.s)[0];
      if (best) {
        taken.add(best.col.field.id);
        columns.set(cell.start, best.col.field);
      }
    });
    const others = cells.length - (title ? 1 : 0);
    if (columns.size >= 2 && columns.size >= 0.6 * others) candidates.push({ group: g, ...(title ? { title } : {}), columns });
  }
  if (!candidates.length) return undefined;
  const rank = (h: Header) =>
    (st.claimedGroups.has(h.group.field.id) ? 0 : 4) +
    (h.group === st.groupHint ? 2 : 0) +
    (h.title && bestScore(label(h.title.text), h.group.labels.slice(0, -1)) >= 90 ? 2 : 0) +
    (h.group.section === st.section ? 1 : 0);
  candidates.sort((a, b) => rank(b) - rank(a) || b.columns.size - a.columns.size || a.group.order - b.group.order);
  return candidates[0];
}

/** Reads a group's rows under its header until an empty row, a row of another shape, or the table's end. Returns the next row. */
function readGroup(st: State, rows: GCell[][], r: number, h: Header): number {
  const id = h.group.field.id;
  st.claimedGroups.add(id);
  st.section = h.group.section;
  st.groupHint = undefined;
  for (const c of rows[r]!) c.used = true;
  for (const col of h.columns.values()) st.found.add(`${id}.${col.id}`);
  st.labelCells += h.columns.size;
  const starts = new Set([...h.columns.keys(), ...(h.title ? [h.title.start] : [])]);
  const out = (st.groups[id] ??= []);
  let k = r + 1;
  for (; k < rows.length; k++) {
    const row = rows[k]!;
    if (row.some((c) => !c.covered && !starts.has(c.start))) break;
    const cells = [...h.columns].map(([start, f]) => ({ f, cell: row.find((c) => c.start === start) }));
    if (cells.some((x) => !x.cell)) break;
    if (cells.every((x) => cleanLines(x.f, textOf(x.cell!)).length === 0)) {
      k++;
      break;
    }
    const values: Record<string, RawInput> = {};
    for (const { f, cell } of cells) {
      const raw = rawInput(f, textOf(cell!));
      if (raw !== undefined) values[f.id] = raw;
      cell!.used = true;
    }
    if (Object.keys(values).length) out.push(values);
  }
  if (!out.length) delete st.groups[id];
  return k;
}

/** A paragraph outside the tables: a section or group title, or a cover line such as 申报单位名称（盖章）：XX公司. */
function handleParagraph(st: State, blocks: WordDocument['blocks'], i: number): number {
  const text = (blocks[i] as { text: string }).text;
  if (!text.trim()) return i + 1;
  const pieces = labelledPieces(st, text);
  if (pieces.length > 1) {
    for (const piece of pieces) handleParagraph(st, [{ kind: 'paragraph', text: piece }], 0);
    return i + 1;
  }
  const section = sectionTitled(st, text);
  if (section) st.section = section;
  const group = groupTitled(st, text);
  if (group) st.groupHint = group;
  // The whole paragraph a textarea's label: its text follows in the paragraphs below.
  const whole = fieldFor(st, text, { soft: true, exactOnly: true });
  if (whole) {
    st.found.add(whole.field.id);
    if (whole.field.type !== 'textarea') return i + 1;
    const parts: string[] = [];
    let k = i + 1;
    for (; k < blocks.length; k++) {
      const b = blocks[k]!;
      if (b.kind !== 'paragraph' || (b.text.trim() && (labelLike(st, b.text) || sectionTitled(st, b.text)))) break;
      parts.push(b.text);
    }
    assign(st, whole, rawInput(whole.field, parts.join('\n')), 'soft');
    return k;
  }
  if (whole === undefined || section || group) return i + 1;
  for (const s of [...inlineSplits(text), ...prefixSplits(st, text)]) {
    const t = fieldFor(st, s.head, { soft: true, exactOnly: true });
    if (t === null) continue;
    if (t) assign(st, t, rawInput(t.field, s.rest), 'soft');
    else {
      const l = label(s.head);
      for (const x of st.form.scalars) if (bestScore(l, x.labels) >= 90) st.found.add(x.field.id);
    }
    break;
  }
  return i + 1;
}

/** 申  报  单  位   XX公司: the longest label the paragraph starts with, spaced out or not, then the rest. */
function prefixSplits(st: State, text: string): { head: string; rest: string; exactOnly: boolean }[] {
  const map: number[] = [];
  let compact = '';
  [...text].forEach((ch, i) => {
    if (/[\s_\u00a0]/.test(ch)) return;
    compact += toHalfWidth(ch).toLowerCase();
    map.push(i);
  });
  const chars = [...text];
  let best: { head: string; rest: string; exactOnly: boolean } | undefined;
  for (const t of st.form.scalars)
    for (const l of t.labels) {
      if (!l.exact || !compact.startsWith(l.exact) || (best && best.head.length >= l.exact.length)) continue;
      const end = map[l.exact.length - 1]! + 1;
      const after = chars.slice(end).join('');
      if (after && !/^[\s_（(:：]/.test(after)) continue;
      const rest = after.replace(/^\s*[（(][^（）()]*?(?:盖章|签字|签章|公章)[^（）()]*?[)）]/, '').replace(/^[\s_]*[:：]?/, '');
      best = { head: l.exact, rest: rest.replace(/[（(][^（）()]*?(?:盖章|签字|签章|公章)[^（）()]*?[)）]\s*$/, ''), exactOnly: true };
    }
  return best ? [best] : [];
}

export function recogniseForm(c: Campaign, doc: WordDocument): Recognised {
  const form = indexForm(c);
  const st: State = { form, hard: new Set(), soft: new Set(), found: new Set(), values: {}, groups: {}, claimedGroups: new Set(), labelCells: 0 };
  const blocks = doc.blocks;
  const grids: GCell[][][] = [];
  for (let i = 0; i < blocks.length; ) {
    const b = blocks[i]!;
    if (b.kind === 'paragraph') {
      i = handleParagraph(st, blocks, i);
      continue;
    }
    const rows = grid(b);
    grids.push(rows);
    for (let r = 0; r < rows.length; ) {
      const h = groupHeader(st, rows[r]!);
      if (h) {
        r = readGroup(st, rows, r, h);
        continue;
      }
      for (const cell of rows[r]!) if (!cell.covered && !cell.used) handleCell(st, rows, r, cell);
      r++;
    }
    i++;
  }
  const labelsInForm = form.scalars.length + form.groups.reduce((n, g) => n + g.columns.length, 0);
  const labelsFound = st.found.size;
  // Cells left unread: another form's labels and the values beside them (the template's own boxes too).
  const unread = grids
    .flat(2)
    .filter(
      (cell) => !cell.used && !cell.covered && cleanLines(undefined, cell.text).length > 0 && !sectionTitled(st, cell.text) && !groupTitled(st, cell.text),
    ).length;
  const share = st.labelCells + unread > 0 ? st.labelCells / (st.labelCells + unread) : 1;
  return {
    values: st.values,
    groups: st.groups,
    labelsFound,
    labelsInForm,
    notFound: [
      ...form.scalars.map((t) => t.field.id).filter((id) => !(id in st.values)),
      ...form.groups.map((g) => g.field.id).filter((id) => !st.groups[id]),
    ].sort((a, b) => orderOf(form, a) - orderOf(form, b)),
    isThisForm: labelsFound >= 5 && labelsFound >= 0.3 * labelsInForm && share >= 0.75,
  };
}

const orderOf = (form: FormIndex, id: string) => form.scalars.find((t) => t.field.id === id)?.order ?? form.groups.find((g) => g.field.id === id)?.order ?? 0;
