// A complete, valid application for any programme, derived from the programme's own definition:
// what a careful applicant would type (strings, as typed into card inputs), rows for every group,
// a suitable file for every attachment slot. Rule-relevant fields are chosen to satisfy the
// programme's eligibility rules and cross-field checks.

import { choicesOf } from '../../src/campaigns/references.js';
import type { Campaign, Field, Rule, ScalarField } from '../../src/campaigns/schema.js';
import { type FieldContext, parseFieldValue } from '../../src/forms/fields.js';
import { buildStudioName, idNumberCheckChar } from '../../src/rules/index.js';

export type Typed = string | string[];

export interface ApplicationFixture {
  answers: Record<string, Typed>;
  rows: Record<string, Record<string, Typed>[]>;
  files: { slot: string; name: string; bytes: Buffer; kind: 'pdf' | 'png' }[];
}

export const LEADER_ID = (() => {
  const first17 = '37100219750615123'; // born 1975-06-15, 17th digit odd → male
  return first17 + idNumberCheckChar(first17);
})();

/** A minimal real PDF and PNG: the bot checks the bytes, not the name. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const PNG_BYTES = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4100000000049454e44ae426082',
  'hex',
);

function generic(f: ScalarField, c: Campaign, n = 0): Typed {
  const clip = (s: string, max?: number) => (max ? Array.from(s).slice(0, max).join('') : s);
  switch (f.type) {
    case 'text':
      return clip(`${f.label.replace(/[（(].*$/, '')}示例${n || ''}`, f.maxLength);
    case 'studioName':
      return '';
    case 'textarea':
      return clip(`${f.label}：这里是申报单位如实填写的内容，包括主要情况和具体数据。`, f.maxLength);
    case 'integer': {
      const v = Math.max(f.min ?? 1, 1);
      return String(f.max !== undefined ? Math.min(v, f.max) : v);
    }
    case 'decimal':
      return String(Math.min(Math.max(f.min ?? 120, 120), f.max ?? 120));
    case 'date':
      return f.max && f.max < '2024-01-15' ? f.max : f.min && f.min > '2024-01-15' ? f.min : '2024-01-15';
    case 'yearMonth':
      return '2000-07';
    case 'year':
      return String(Math.max(f.min, Math.min(2020, f.max ?? 2020)));
    case 'choice':
      return (c.regionField === f.id ? c.regions.items : choicesOf(f))[0] ?? '';
    case 'multiChoice':
      return [choicesOf(f)[0]!];
    case 'yesNo':
      return '是';
    case 'idNumber':
      return LEADER_ID;
    case 'mobile':
    case 'phone':
      return '13812345678';
    case 'landline':
      return '0631-5190816';
    case 'email':
      return 'applicant@example.com';
    case 'postalCode':
      return '264200';
    case 'creditCode':
      return '91350100M000100Y43';
  }
}

function allFields(c: Campaign): Field[] {
  return c.form.sections.flatMap((s) => s.fields);
}

/** Rules pick the answers that satisfy them (the first alternative of an anyOf). */
function satisfy(rule: Rule, c: Campaign, answers: Record<string, Typed>, minRows: Record<string, number>): void {
  switch (rule.type) {
    case 'skillLevel':
      answers[rule.field] = '高级技师';
      break;
    case 'honours':
      answers[rule.field] = allFields(c).find((f) => f.id === rule.field)?.type === 'multiChoice' ? [rule.anyOf[0]!] : rule.anyOf[0]!;
      break;
    case 'isYes':
      answers[rule.field] = '是';
      break;
    case 'fieldIn':
      answers[rule.field] = allFields(c).find((f) => f.id === rule.field)?.type === 'multiChoice' ? [rule.values[0]!] : rule.values[0]!;
      break;
    case 'teamSize':
      minRows[rule.group] = Math.max(minRows[rule.group] ?? 0, rule.min);
      break;
    case 'retirement':
      answers[rule.gender] = '男';
      answers[rule.birthDate] = '1975-06';
      if (rule.idNumber) answers[rule.idNumber] = LEADER_ID;
      break;
    case 'anyOf':
      satisfy(rule.rules[0]!, c, answers, minRows);
      break;
    default:
      break;
  }
}

export function validApplication(c: Campaign): ApplicationFixture {
  const answers: Record<string, Typed> = {};
  const rows: ApplicationFixture['rows'] = {};
  const minRows: Record<string, number> = {};
  for (const f of allFields(c)) {
    if (f.type === 'group') minRows[f.id] = f.minRows;
    else if (f.type !== 'studioName') answers[f.id] = generic(f, c);
  }
  for (const r of c.eligibility) if (!r.when) satisfy(r, c, answers, minRows);
  for (const chk of c.checks) {
    if (chk.type === 'idMatches') {
      answers[chk.idNumber] = LEADER_ID;
      if (chk.birthDate) answers[chk.birthDate] = allFields(c).find((f) => f.id === chk.birthDate)?.type === 'date' ? '1975-06-15' : '1975-06';
      if (chk.gender) answers[chk.gender] = '男';
    }
    if (chk.type === 'sumEquals') {
      const total = chk.parts.reduce((sum, p) => sum + Number(answers[p] ?? 0), 0);
      answers[chk.total] = String(total);
    }
  }
  // The studio name a person writes following the notice's naming rule (the card suggests the same).
  for (const f of allFields(c)) {
    if (f.type !== 'studioName') continue;
    const values = Object.fromEntries(
      Object.entries(c.studioName?.fields ?? {}).map(([k, id]) => [k, typeof answers[id] === 'string' ? (answers[id] as string) : undefined]),
    );
    const built = c.studioName ? buildStudioName(c.studioName.pattern, values, c.studioName.prefix ? { prefix: c.studioName.prefix } : {}) : undefined;
    answers[f.id] = built?.ok ? built.value : '示例数控车工技能大师工作室';
  }
  for (const f of allFields(c)) {
    if (f.type !== 'group') continue;
    const count = Math.max(minRows[f.id] ?? 0, 1);
    rows[f.id] = Array.from({ length: count }, (_, i) => {
      const row: Record<string, Typed> = {};
      for (const sub of f.fields)
        row[sub.id] = sub.type === 'text' && /姓名|name/i.test(sub.label + sub.id) ? `成员${'一二三四五六七八九十'[i] ?? i}` : generic(sub, c, i + 1);
      for (const sub of f.fields) if (sub.type === 'choice' && sub.optionSet === '职业技能等级') row[sub.id] = '技师';
      return row;
    });
  }
  const files = c.form.attachments.map((s) => {
    const pdf = s.accept.includes('pdf');
    return {
      slot: s.id,
      name: `${s.label.slice(0, 20)}.${pdf ? 'pdf' : 'png'}`,
      bytes: pdf ? PDF_BYTES : PNG_BYTES,
      kind: pdf ? ('pdf' as const) : ('png' as const),
    };
  });
  return { answers, rows, files };
}

/** The valid application as the bot stores it: each typed value parsed by its field's own rule. */
export function storedAnswers(c: Campaign, today = '2024-07-15'): Record<string, unknown> {
  const fx = validApplication(c);
  const answers: Record<string, unknown> = {};
  const parse = (f: ScalarField, typed: Typed | undefined) => {
    if (typed === undefined) return undefined;
    const r = parseFieldValue(f, typed, { today } satisfies FieldContext);
    return r.ok ? r.value : undefined;
  };
  for (const f of allFields(c)) {
    if (f.type === 'group') answers[f.id] = (fx.rows[f.id] ?? []).map((row) => Object.fromEntries(f.fields.map((sub) => [sub.id, parse(sub, row[sub.id])])));
    else if (parse(f, fx.answers[f.id]) !== undefined) answers[f.id] = parse(f, fx.answers[f.id]);
  }
  return answers;
}
