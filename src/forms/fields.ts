// One field's value: from what a card sent (text, a picked date, selected options) to a checked,
// normalised answer, or a Chinese sentence saying what to fix. Pure.
import { choicesOf } from '../campaigns/references.js';
import type { ScalarField } from '../campaigns/schema.js';
import { parseIsoDate } from '../rules/dates.js';
import { type Check, checkCreditCode, checkEmail, checkIdNumber, checkLandline, checkMobile, checkPhone, checkPostalCode } from '../rules/index.js';

export type Scalar = string | number | boolean | string[];
export type GroupRow = Record<string, Scalar>;
export type Answer = Scalar | GroupRow[];
export type Answers = Record<string, Answer>;

export interface FieldContext {
  /** Today in Beijing time, YYYY-MM-DD: bounds years and birth dates. */
  today: string;
}

const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
/** Full-width letters, digits and punctuation typed with a Chinese IME become ASCII. */
export const toHalfWidth = (s: string): string => s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** Characters as a person counts them (a Chinese character is one, not two UTF-16 units). */
export const charCount = (s: string): number => [...s].length;

export function isEmpty(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw === 'string') return raw.trim() === '';
  if (Array.isArray(raw)) return raw.length === 0;
  return false;
}

const fail = (message: string): Check<never> => ({ ok: false, message });
const ok = <T>(value: T): Check<T> => ({ ok: true, value });

function text(raw: unknown): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return '';
}

/** YYYY-MM from 1976-05, 1976-5, 1976年5月, 1976.05, 1976/05 or a picked date 1976-05-12. */
export function parseYearMonthInput(input: string): string | null {
  const s = toHalfWidth(input).trim();
  const m = /^(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*(?:月)?(?:\s*(?:[-./])?\s*(\d{1,2})\s*日?)?(?:\s.*)?$/.exec(s);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${m[1]}-${String(month).padStart(2, '0')}`;
}

/** YYYY-MM-DD from 2024-07-31, 2024/7/31, 2024年7月31日 or a date picker's value. */
export function parseDateInput(input: string): string | null {
  const s = toHalfWidth(input).trim();
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(s);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return parseIsoDate(iso) ? iso : null;
}

function parseNumber(input: string): number | null {
  const s = toHalfWidth(input)
    .replace(/[,，\s]/g, '')
    .replace(/(平方米|㎡|人|分|元|万元|个|m²)$/u, '');
  if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

const YES = new Set(['是', 'yes', 'true', 'y', '1', '有']);
const NO = new Set(['否', 'no', 'false', 'n', '0', '无']);

/**
 * Checks one answered value. Emptiness is the caller's business (required or not); here `raw` is
 * known to be non-empty.
 */
export function parseFieldValue(field: ScalarField, raw: unknown, ctx: FieldContext): Check<Scalar> {
  const name = `「${field.label}」`;
  const s = toHalfWidth(text(raw));
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'studioName': {
      const value = typeof raw === 'string' ? raw.trim() : s;
      const n = charCount(value);
      if (field.type !== 'studioName' && field.minLength !== undefined && n < field.minLength)
        return fail(`${name}至少填写${field.minLength}个字（现在${n}个字）`);
      if (n > field.maxLength) return fail(`${name}不能超过${field.maxLength}个字（现在${n}个字），请精简后再提交`);
      return ok(value);
    }
    case 'integer':
    case 'decimal': {
      const n = typeof raw === 'number' ? raw : parseNumber(s);
      if (n === null || !Number.isFinite(n)) return fail(`${name}应填写数字${field.unit ? `（单位：${field.unit}）` : ''}`);
      if (field.type === 'integer' && !Number.isInteger(n)) return fail(`${name}应为整数`);
      if (field.type === 'decimal' && (String(n).split('.')[1]?.length ?? 0) > field.decimals) return fail(`${name}最多保留${field.decimals}位小数`);
      if (field.min !== undefined && n < field.min) return fail(`${name}不能小于${field.min}${field.unit ?? ''}`);
      if (field.max !== undefined && n > field.max) return fail(`${name}不能大于${field.max}${field.unit ?? ''}`);
      return ok(n);
    }
    case 'date': {
      const d = parseDateInput(s);
      if (!d) return fail(`${name}不是有效日期，请按“2024-07-31”的格式填写或在日历中选择`);
      if (field.min && d < field.min) return fail(`${name}不能早于${field.min}`);
      if (field.max && d > field.max) return fail(`${name}不能晚于${field.max}`);
      return ok(d);
    }
    case 'yearMonth': {
      const ym = parseYearMonthInput(s);
      if (!ym) return fail(`${name}请按“1976-05”或“1976年5月”的格式填写`);
      if (ym > ctx.today.slice(0, 7)) return fail(`${name}不能晚于当前月份`);
      if (ym < '1900-01') return fail(`${name}不能早于1900年`);
      return ok(ym);
    }
    case 'year': {
      if (!/^\d{4}$/.test(s.replace(/年$/, ''))) return fail(`${name}请填写四位年份，如 2023`);
      const y = Number(s.replace(/年$/, ''));
      const max = field.max ?? Number(ctx.today.slice(0, 4));
      if (y < field.min || y > max) return fail(`${name}应在${field.min}年到${max}年之间`);
      return ok(y);
    }
    case 'choice': {
      const options = choicesOf(field);
      const value = typeof raw === 'string' ? raw.trim() : s;
      if (options.includes(value)) return ok(value);
      if (field.allowOther) return charCount(value) <= 50 ? ok(value) : fail(`${name}不能超过50个字`);
      return fail(`${name}请从列表中选择（“${value}”不是可选项）`);
    }
    case 'multiChoice': {
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => text(v)).filter(Boolean);
      const options = choicesOf(field);
      const unknown = field.allowOther ? [] : values.filter((v) => !options.includes(v));
      if (unknown.length) return fail(`${name}请从列表中选择（“${unknown.join('、')}”不是可选项）`);
      const unique = [...new Set(values)];
      if (field.minSelected !== undefined && unique.length < field.minSelected) return fail(`${name}至少选择${field.minSelected}项`);
      if (field.maxSelected !== undefined && unique.length > field.maxSelected) return fail(`${name}最多选择${field.maxSelected}项`);
      return ok(unique);
    }
    case 'yesNo': {
      if (typeof raw === 'boolean') return ok(raw);
      const v = s.toLowerCase();
      if (YES.has(v)) return ok(true);
      if (NO.has(v)) return ok(false);
      return fail(`${name}请选择“是”或“否”`);
    }
    case 'idNumber': {
      const r = checkIdNumber(s, ctx.today);
      return r.ok ? ok(r.value.number) : fail(r.message);
    }
    case 'mobile': {
      const r = checkMobile(s);
      return r.ok ? r : fail(`${name}：${r.message}`);
    }
    case 'landline': {
      const r = checkLandline(s);
      return r.ok ? r : fail(`${name}：${r.message}`);
    }
    case 'phone': {
      const r = checkPhone(s);
      return r.ok ? ok(r.value.number) : fail(`${name}：${r.message}`);
    }
    case 'email': {
      const r = checkEmail(s);
      return r.ok ? r : fail(`${name}：${r.message}`);
    }
    case 'postalCode': {
      const r = checkPostalCode(s);
      return r.ok ? r : fail(`${name}：${r.message}`);
    }
    case 'creditCode': {
      const r = checkCreditCode(s);
      return r.ok ? r : fail(`${name}：${r.message}`);
    }
  }
}
