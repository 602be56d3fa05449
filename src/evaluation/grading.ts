// Grades and their consequences, as pure functions of the programme's rules.
import type { Campaign, Rubric } from '../campaigns/schema.js';
import { aggregateScores } from '../forms/rubric.js';
import { campaignFamily } from './registry.js';

/** The key under which an expert's confirmation of a veto item is kept with the scores. */
export const vetoKey = (id: string) => `veto:${id}`;

/** Veto items an expert confirmed on the score sheet (checkers named veto_<id>). */
export function confirmedVetoes(rubric: Rubric, form: Record<string, unknown>): string[] {
  return rubric.veto.filter((v) => form[`veto_${v.id}`] === true || form[`veto_${v.id}`] === 'true').map((v) => v.id);
}

/** The grade of a score by the programme's thresholds (highest first); undefined for direct grading. */
export function gradeOf(c: Campaign, score: number): string | undefined {
  if (c.evaluation?.grading !== 'points') return undefined;
  const grades = c.evaluation.grades;
  const sorted = [...grades].filter((g) => g.min !== undefined).sort((a, b) => b.min! - a.min!);
  return (sorted.find((g) => score >= g.min!) ?? grades.find((g) => g.min === undefined))?.grade;
}

export interface ExpertSheet {
  /** The expert's total (bonus already capped by the score sheet). */
  total: number;
  scores: Record<string, number>;
}

/**
 * A studio's result from its experts' sheets: the aggregated score, and the grade — 不合格 whenever
 * any expert confirmed a veto item, whatever the points.
 */
export function evaluationResult(
  c: Campaign,
  sheets: ExpertSheet[],
  aggregation: 'mean' | 'trimmedMean' = 'mean',
  trimFrom = 5,
): { score: number; grade: string | undefined; vetoes: string[] } {
  const score = aggregateScores(
    sheets.map((s) => s.total),
    aggregation,
    trimFrom,
  );
  const rubric = c.rubrics.find((r) => r.id === c.evaluation?.rubric);
  const vetoes = [
    ...new Set(
      sheets.flatMap((s) =>
        Object.keys(s.scores)
          .filter((k) => k.startsWith('veto:') && s.scores[k] === 1)
          .map((k) => k.slice(5)),
      ),
    ),
  ];
  const vetoed = vetoes.length > 0 && (rubric?.veto.length ?? 0) > 0;
  return { score, grade: vetoed ? '不合格' : gradeOf(c, score), vetoes };
}

// ---------- consequences ----------

export type StudioStatus = 'active' | 'rectifying' | 'revoked' | 'cancelled';

export interface Consequence {
  kind: 'grade' | 'reward' | 'rectification' | 'rectified' | 'revocation' | 'extension' | 'not_evaluated' | 'leader_change';
  detail: string;
  /** YYYY-MM-DD the period ends (rectification) */
  until?: string;
}

export interface ConsequenceInput {
  grade: string;
  /** The studio's status before this result. */
  status: StudioStatus;
  /** Earlier grades of this studio, oldest first (its previous evaluation years). */
  previousGrades: string[];
  /** The day the result is published (YYYY-MM-DD, Beijing). */
  publishedOn: string;
  /** The leader still works in the unit, in a skill post, not retired (from the self-assessment). */
  leaderInPost?: boolean;
  /** Zhenjiang: the studio did not take part in the round. */
  absent?: boolean;
}

const yearLater = (day: string) => `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;

/**
 * What a published grade means for the studio, per programme family, in the notices' words:
 * Weihai — 优秀: 2万元 to the leader; 不合格: one year of rectification, and 不合格 again at the
 * re-evaluation after it: title revoked. Zhenjiang — 不合格 (also for not taking part): rectify
 * within a deadline; the third 不合格 in a row: revoked; a leader retired or gone: leader change or
 * cancellation. Gongshu — passing the 考核 allows continuing (续建); a leader gone: not evaluated,
 * not extended. Returns the new status and what to record.
 */
export function consequencesOf(c: Campaign, input: ConsequenceInput): { status: StudioStatus; events: Consequence[] } {
  const family = c.evaluation?.studios.programme ?? campaignFamily(c.id);
  const gradeRule = c.evaluation?.grades.find((g) => g.grade === input.grade);
  const events: Consequence[] = [{ kind: 'grade', detail: `${c.title}：${input.absent ? '未参加评估考核，' : ''}${input.grade}` }];
  const failed = input.grade === '不合格';
  if (family === 'weihai') {
    if (input.grade === '优秀') events.push({ kind: 'reward', detail: gradeRule?.consequence ?? '给予其领办人2万元奖励资金' });
    if (failed && input.status === 'rectifying')
      return { status: 'revoked', events: [...events, { kind: 'revocation', detail: '整改期满重新考核评估仍不合格，撤销威海市技能大师工作室称号' }] };
    if (failed)
      return {
        status: 'rectifying',
        events: [...events, { kind: 'rectification', detail: '给予一年整改时间；整改期满由所在单位书面申请重新考核评估', until: yearLater(input.publishedOn) }],
      };
    if (input.status === 'rectifying') return { status: 'active', events: [...events, { kind: 'rectified', detail: '整改后重新考核评估合格' }] };
    return { status: input.status, events };
  }
  if (family === 'zhenjiang') {
    if (input.leaderInPost === false)
      events.push({ kind: 'leader_change', detail: '领衔人已经退休或调离原单位：申请变更领衔人（领衔人变更认定），或取消技能大师工作室称号' });
    const streak = [...input.previousGrades, input.grade].reverse().findIndex((g) => g !== '不合格');
    const failedInARow = streak === -1 ? input.previousGrades.length + 1 : streak;
    if (failed && failedInARow >= 3)
      return { status: 'revoked', events: [...events, { kind: 'revocation', detail: '连续三年评估考核不合格，撤销技能大师工作室称号' }] };
    if (failed)
      return {
        status: 'rectifying',
        events: [...events, { kind: 'rectification', detail: '评估考核不合格，责令限期整改', until: yearLater(input.publishedOn) }],
      };
    if (input.grade === '优秀') events.push({ kind: 'reward', detail: gradeRule?.consequence ?? '给予一定的奖励' });
    return { status: input.status === 'rectifying' ? 'active' : input.status, events };
  }
  if (family === 'gongshu') {
    if (input.leaderInPost === false)
      return {
        status: input.status,
        events: [{ kind: 'not_evaluated', detail: '工作室领衔人不再从事技能技术岗位工作、离开申报单位或已退休：不列入考核且不进行延期' }],
      };
    if (!failed) events.push({ kind: 'extension', detail: gradeRule?.consequence ?? '考核通过，可申请续建工作室' });
    else events.push({ kind: 'revocation', detail: gradeRule?.consequence ?? '不予续建' });
    return { status: failed ? 'cancelled' : input.status, events };
  }
  if (gradeRule?.consequence) events.push({ kind: failed ? 'rectification' : 'reward', detail: gradeRule.consequence });
  return { status: input.status, events };
}
