// The words a programme speaks. An application programme chooses studios to designate (申报,
// 申报编号, 入选, 认定); an evaluation grades studios already designated (自评, 评估结果, 等次,
// 结果运用). Every card that names the submission or its outcome takes its words from here, so a
// studio in its yearly evaluation is never told it applied, was chosen or "passed".
import type { Campaign } from './schema.js';

export interface Terms {
  /** Evaluations tell their contacts only neutral progress until the result is published. */
  evaluation: boolean;
  /** What the contact fills in and submits. */
  submission: '申报' | '自评';
  /** The label of its number. */
  number: '申报编号' | '自评编号';
  /** Who submitted it, as administrators read it in a timeline. */
  submitter: '申报单位' | '工作室联系人';
  /** The unit an expert must not belong to (recusal). */
  unit: '申报单位' | '工作室所在单位';
  /** The checks shown before submitting. */
  conditions: '申报条件' | '提交条件';
  /** The overview card of the form. */
  overview: '申报总览' | '自评总览';
  /** Said when the deadline has passed. */
  late: '逾期申报无效' | '逾期不能再提交自评';
  /** The administrators' card of the scored list, and what they confirm on it. */
  rankingTitle: '评审排名与入选名单' | '评估得分与等次';
  confirmList: '确认入选名单' | '确认评估结果';
}

const APPLICATION: Terms = {
  evaluation: false,
  submission: '申报',
  number: '申报编号',
  submitter: '申报单位',
  unit: '申报单位',
  conditions: '申报条件',
  overview: '申报总览',
  late: '逾期申报无效',
  rankingTitle: '评审排名与入选名单',
  confirmList: '确认入选名单',
};

const EVALUATION: Terms = {
  evaluation: true,
  submission: '自评',
  number: '自评编号',
  submitter: '工作室联系人',
  unit: '工作室所在单位',
  conditions: '提交条件',
  overview: '自评总览',
  late: '逾期不能再提交自评',
  rankingTitle: '评估得分与等次',
  confirmList: '确认评估结果',
};

/** The application programme's words: what a card says when no programme is named. */
export const APPLICATION_TERMS: Terms = APPLICATION;

export function termsOf(c: Pick<Campaign, 'kind'>): Terms {
  return c.kind === 'evaluation' ? EVALUATION : APPLICATION;
}

/** How a list of submissions of several programmes is called: 申报, 自评, or 申报和自评. */
export function submissionsNoun(terms: Terms[]): string {
  const kinds = new Set(terms.map((t) => t.submission));
  return kinds.size > 1 ? '申报和自评' : (terms[0]?.submission ?? '申报');
}

/**
 * The programme's grades as a line for administrators: 按得分评定等次：优秀（85分及以上）、合格（50分及以上）、
 * 不合格（低于50分）, or the grades the experts choose from when they grade directly.
 */
export function gradeRulesText(c: Pick<Campaign, 'evaluation' | 'rubrics'>): string {
  const e = c.evaluation;
  if (!e) return '';
  if (e.grading === 'direct') return `专家组直接评定等次：${e.grades.map((g) => g.grade).join('、')}`;
  const byMin = [...e.grades].sort((a, b) => (b.min ?? 0) - (a.min ?? 0));
  const parts = byMin.map((g, i) => {
    const above = byMin[i - 1]?.min;
    return !g.min && above !== undefined ? `${g.grade}（低于${above}分）` : `${g.grade}（${g.min ?? 0}分及以上）`;
  });
  const veto = c.rubrics.find((r) => r.id === e.rubric)?.veto.length ? '；专家确认一票否决项的直接定为不合格' : '';
  return `按得分评定等次：${parts.join('、')}${veto}`;
}

/**
 * What a published grade means for the studio (结果运用): the consequences recorded with it, or,
 * when none was recorded, the programme's own words for the grade.
 */
export function gradeUseLines(c: Pick<Campaign, 'evaluation'>, grade: string, recorded: string[]): string[] {
  if (recorded.length) return recorded;
  const own = c.evaluation?.grades.find((g) => g.grade === grade)?.consequence;
  return own ? [own] : [];
}
