// Pure rules of selection: a selection that respects the programme's quota. (The rubric
// arithmetic, one expert's sheet and the experts' aggregate, is in src/forms/rubric.ts.)
import type { Campaign } from '../campaigns/schema.js';
import { conditionHolds } from '../forms/engine.js';
import type { Answers } from '../forms/fields.js';

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
