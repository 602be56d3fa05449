// Pure rubric arithmetic, shared by expert review and performance evaluation: one expert's scores
// against the rubric, and the aggregate of several experts' totals.
import type { Rubric } from '../campaigns/schema.js';
import { toHalfWidth } from './fields.js';

export interface ScoreSheet {
  scores: Record<string, number>;
  total: number;
  errors: Record<string, string>;
}

/** One expert's sheet: every item between 0 and its maximum; bonus items together capped. */
export function scoreSheet(rubric: Rubric, form: Record<string, unknown>): ScoreSheet {
  const scores: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const item of rubric.items) {
    const raw = form[item.id];
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? toHalfWidth(raw).trim() : '';
    if (text === '') {
      errors[item.id] = `请给「${item.content}」打分（0–${item.max}分）`;
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n) || !/^\d+(\.\d)?$/.test(text)) errors[item.id] = `「${item.content}」的分数应为数字，最多一位小数`;
    else if (n < 0 || n > item.max) errors[item.id] = `「${item.content}」的分数应在0到${item.max}分之间（填写的是${text}分）`;
    else scores[item.id] = n;
  }
  const base = rubric.items.filter((i) => !i.bonus).reduce((sum, i) => sum + (scores[i.id] ?? 0), 0);
  const bonus = rubric.items.filter((i) => i.bonus).reduce((sum, i) => sum + (scores[i.id] ?? 0), 0);
  const total = Math.round((base + (rubric.bonusCap !== undefined ? Math.min(bonus, rubric.bonusCap) : bonus)) * 10) / 10;
  return { scores, total, errors };
}

/** Mean of the experts' totals; with at least `trimFrom` experts the highest and lowest are dropped. */
export function aggregateScores(totals: number[], mode: 'mean' | 'trimmedMean', trimFrom: number): number {
  if (totals.length === 0) return 0;
  const sorted = [...totals].sort((a, b) => a - b);
  const used = mode === 'trimmedMean' && sorted.length >= trimFrom ? sorted.slice(1, -1) : sorted;
  return Math.round((used.reduce((a, b) => a + b, 0) / used.length) * 100) / 100;
}
