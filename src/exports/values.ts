// Answers as they are written on paper: the values as given (exports mask them upstream, in
// exports.ts, where the programme keeps administrators from full values), dates the Chinese way, units after numbers, yes/no as 是/否.
import type { Campaign, Field, ScalarField } from '../campaigns/schema.js';
import type { Answer, Answers, GroupRow } from '../forms/engine.js';
import { formatChineseDate, formatChineseMonth, parseIsoDate } from '../rules/dates.js';

export function answerText(field: ScalarField, v: Answer | undefined): string {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return (v as unknown[]).map(String).join('、');
  const s = String(v);
  if (field.type === 'date') {
    const d = parseIsoDate(s);
    return d ? formatChineseDate(d) : s;
  }
  if (field.type === 'yearMonth' && /^\d{4}-\d{2}$/.test(s)) return formatChineseMonth(Number(s.slice(0, 4)), Number(s.slice(5, 7)));
  if (field.type === 'year') return `${s}年`;
  return 'unit' in field && field.unit ? `${s}${field.unit}` : s;
}

export function groupRows(answers: Answers, groupId: string): GroupRow[] {
  const v = answers[groupId];
  return Array.isArray(v) ? (v as unknown[]).filter((r): r is GroupRow => typeof r === 'object' && r !== null && !Array.isArray(r)) : [];
}

/** A whole field as one text: a group's rows one per line ("姓名 工种 等级"). */
export function fieldText(field: Field, answers: Answers): string {
  if (field.type !== 'group') return answerText(field, answers[field.id]);
  return groupRows(answers, field.id)
    .map((row) =>
      field.fields
        .map((f) => answerText(f, row[f.id]))
        .filter(Boolean)
        .join(' '),
    )
    .join('\n');
}

/** The 申报表's title: the programme's official form's, else the programme's title with 表. */
export function formTitle(c: Campaign): string {
  return c.exports.applicationForm?.title ?? `${c.title}表`;
}
