// One form field per InputView, shared by the step and row forms.
//
// Card JSON 2.0 properties used (open.feishu.cn/document/feishu-cards/card-json-v2-components/
// interactive-components/…): input (input.md: name, placeholder, default_value, width, max_length
// 1–1000, input_type text|multiline_text, rows, auto_resize, max_rows), select_static
// (single-select-dropdown-menu: name, placeholder, width, options[{text,value}], initial_option),
// multi_select_static (multi-select-dropdown-menu: … selected_values), date_picker (date-picker:
// name, placeholder ≤ 100 characters, width, initial_date yyyy-MM-dd). select_static and
// date_picker have no `label`, so every field gets its label as a markdown line above it, which
// also lets a required field carry a red *.
//
// `required` is deliberately not set: the client would then refuse every submit of the form with
// an empty required field, including 上一步 and 保存并退出. The server checks instead.
import { type Element, markdown, plain } from '../components.js';
import { color, requiredMark, safe } from './common.js';
import { INPUT_MAX_CHARS, partName, splitText } from './form-values.js';
import type { InputView } from './views.js';

/** Default maximum lengths of the programme-file schema, when the view gives none. */
const DEFAULT_MAX: Partial<Record<InputView['type'], number>> = { text: 100, textarea: 2000, studioName: 60 };
/** Fixed-format fields: the longest a correct answer can be. */
const FIXED_MAX: Partial<Record<InputView['type'], number>> = {
  idNumber: 18,
  creditCode: 18,
  postalCode: 6,
  mobile: 20,
  landline: 20,
  phone: 30,
  email: 100,
  yearMonth: 10,
  year: 6,
  integer: 20,
  decimal: 30,
};

const PLACEHOLDER: Partial<Record<InputView['type'], string>> = {
  text: '请输入',
  textarea: '请输入',
  studioName: '请输入工作室名称',
  idNumber: '18 位居民身份证号码',
  mobile: '11 位手机号码',
  landline: '区号-电话号码',
  phone: '手机号码或固定电话',
  email: '如 name@example.com',
  postalCode: '6 位邮政编码',
  creditCode: '18 位统一社会信用代码',
  integer: '请输入整数',
  decimal: '请输入数字',
  yearMonth: '年-月，如 2024-06',
  year: '四位年份，如 2024',
  date: '请选择日期',
  choice: '请选择',
  yesNo: '请选择',
  multiChoice: '可多选',
};

const PLACEHOLDER_MAX = 100;
/** A field's error message is cut to this many characters. */
export const ERROR_MAX = 80;
const placeholder = (text: string) => plain(Array.from(text).slice(0, PLACEHOLDER_MAX).join(''));

export interface InputRenderOptions {
  /** Longest hint shown (characters); 0 leaves hints out. */
  hintMax?: number;
  /** Longest label shown (characters). */
  labelMax?: number;
}

const asText = (v: InputView['value']): string => (Array.isArray(v) ? v.join('、') : (v ?? ''));
const asList = (v: InputView['value']): string[] => (Array.isArray(v) ? v : v ? [v] : []);

function yesNoValue(v: string): string {
  if (v === 'true') return '是';
  if (v === 'false') return '否';
  return v;
}

/** Options for a select, keeping an answer that is not (or no longer) among them. */
function optionList(options: string[], chosen: string[]): { text: { tag: 'plain_text'; content: string }; value: string }[] {
  const all = [...options];
  for (const c of chosen) if (c && !all.includes(c)) all.push(c);
  return all.map((o) => ({ text: { tag: 'plain_text', content: o }, value: o }));
}

function labelLine(input: InputView, labelMax: number, part?: { index: number; count: number }): Element {
  const unit = input.unit ? `（${safe(input.unit, 20)}）` : '';
  const parts = part && part.count > 1 ? color('grey', `（第 ${part.index + 1}/${part.count} 段）`) : '';
  return markdown(`**${safe(input.label, labelMax)}**${unit}${requiredMark(input.required)}${parts}`);
}

/** Red error first, then the grey hint; one small block under the field. */
function noteLines(input: InputView, extra: string | undefined, max: number): Element[] {
  const lines: string[] = [];
  if (input.error) lines.push(color('red', `❗ ${safe(input.error, ERROR_MAX)}`));
  if (input.hint && max > 0) lines.push(color('grey', safe(input.hint, max)));
  if (extra) lines.push(color('grey', extra));
  if (!lines.length) return [];
  return [{ tag: 'markdown', content: lines.join('\n'), text_size: input.error ? 'normal' : 'notation' }];
}

function textInputs(input: InputView, opts: InputRenderOptions): Element[] {
  const multiline = input.type === 'textarea';
  const value = asText(input.value);
  const valueLength = Array.from(value).length;
  const fixed = FIXED_MAX[input.type];
  const allowed = Math.max(input.maxLength ?? fixed ?? DEFAULT_MAX[input.type] ?? INPUT_MAX_CHARS, valueLength, 1);
  const count = Math.max(1, Math.ceil(allowed / INPUT_MAX_CHARS));
  const chunks = splitText(value);
  const ph = input.placeholder ?? PLACEHOLDER[input.type] ?? '请输入';
  const out: Element[] = [];
  for (let i = 0; i < count; i++) {
    const room = Math.min(INPUT_MAX_CHARS, allowed - i * INPUT_MAX_CHARS);
    const chunk = chunks[i] ?? '';
    out.push(labelLine(input, opts.labelMax ?? 100, { index: i, count }));
    out.push({
      tag: 'input',
      name: partName(input.id, i),
      placeholder: placeholder(i === 0 ? ph : `接上段继续填写（本段最多 ${room} 字）`),
      ...(chunk ? { default_value: chunk } : {}),
      width: 'fill',
      max_length: Math.max(room, Array.from(chunk).length, 1),
      ...(multiline ? { input_type: 'multiline_text', rows: allowed > 500 ? 6 : 4, auto_resize: true, max_rows: 15 } : {}),
    });
    if (i === 0 && count === 1) out.push(...noteLines(input, undefined, opts.hintMax ?? 200));
  }
  if (count > 1) {
    out.push(
      ...noteLines(input, `内容较长，可分 ${count} 段填写，每段最多 ${INPUT_MAX_CHARS} 字，保存时自动连成一段（共最多 ${allowed} 字）。`, opts.hintMax ?? 200),
    );
  }
  return out;
}

/** The form elements of one input: label line, the field (or its parts), error and hint. */
export function renderInput(input: InputView, opts: InputRenderOptions = {}): Element[] {
  const max = opts.hintMax ?? 200;
  const ph = placeholder(input.placeholder ?? PLACEHOLDER[input.type] ?? '请选择');
  switch (input.type) {
    case 'group':
      return [];
    case 'date': {
      const v = asText(input.value);
      return [
        labelLine(input, opts.labelMax ?? 100),
        { tag: 'date_picker', name: input.id, placeholder: ph, width: 'fill', ...(/^\d{4}-\d{2}-\d{2}$/.test(v) ? { initial_date: v } : {}) },
        ...noteLines(input, v && !/^\d{4}-\d{2}-\d{2}$/.test(v) ? `原填写：${safe(v, 40)}` : undefined, max),
      ];
    }
    case 'choice':
    case 'yesNo': {
      const options = input.type === 'yesNo' ? (input.options?.length ? input.options : ['是', '否']) : (input.options ?? []);
      if (!options.length) return textInputs({ ...input, type: 'text' }, opts);
      const v = input.type === 'yesNo' ? yesNoValue(asText(input.value)) : asText(input.value);
      return [
        labelLine(input, opts.labelMax ?? 100),
        {
          tag: 'select_static',
          name: input.id,
          placeholder: ph,
          width: 'fill',
          options: optionList(options, v ? [v] : []),
          ...(v ? { initial_option: v } : {}),
        },
        ...noteLines(input, undefined, max),
      ];
    }
    case 'multiChoice': {
      const options = input.options ?? [];
      if (!options.length) return textInputs({ ...input, type: 'text' }, opts);
      const chosen = asList(input.value).filter((v) => v !== '');
      return [
        labelLine(input, opts.labelMax ?? 100),
        { tag: 'multi_select_static', name: input.id, placeholder: ph, width: 'fill', options: optionList(options, chosen), selected_values: chosen },
        ...noteLines(input, undefined, max),
      ];
    }
    default:
      return textInputs(input, opts);
  }
}

/** The form names an input uses (the field id, and the extra parts of a long text). */
export function inputNames(input: InputView): string[] {
  return renderInput(input)
    .map((e) => e.name)
    .filter((n): n is string => typeof n === 'string');
}
