// Pure rules of expert scoring and selection: one expert's scores against the rubric, the
// aggregate of several experts, and a selection that respects the programme's quota.
import type { Campaign, Rubric } from '../campaigns/schema.js';
import { conditionHolds } from '../forms/engine.js';
import type { Answers } from '../forms/fields.js';
import { toHalfWidth } from '../forms/fields.js';

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

export interface Candidate {
  applicationId: string;
  score: number;
  answers: Answers;
}

/** Why a selection breaks the programme's quota (empty when it does not). */
export function quotaProblems(c: Campaign, selected: Candidate[]): string[] {
  const problems: string[] = [];
  const max = c.quotas.designations;
  if (max !== undefined && selected.length > max) problems.push(`本项目最多认定${max}个，选择了${selected.length}个`);
  for (const cat of c.quotas.categories) {
    const n = selected.filter((s) => conditionHolds(cat.when, s.answers)).length;
    if (n > cat.max) problems.push(`${cat.label}最多${cat.max}个，选择了${n}个`);
  }
  return problems;
}

/** The default selection: highest scores first, skipping any that would break the quota. */
export function defaultSelection(c: Campaign, candidates: Candidate[]): Candidate[] {
  const chosen: Candidate[] = [];
  for (const cand of [...candidates].sort((a, b) => b.score - a.score)) {
    if (quotaProblems(c, [...chosen, cand]).length === 0) chosen.push(cand);
  }
  return chosen;
}
