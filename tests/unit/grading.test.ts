// Grades and consequences of the three evaluation programmes, table by table.
import { describe, expect, it } from 'vitest';
import { type ConsequenceInput, consequencesOf, evaluationResult, gradeOf, vetoKey } from '../../src/evaluation/grading.js';
import { scoreSheet } from '../../src/forms/rubric.js';
import { shippedCampaign } from '../helpers/campaigns.js';

const weihai = shippedCampaign('weihai-2024-evaluation');
const gongshu = shippedCampaign('gongshu-2020-evaluation');
const zhenjiang = shippedCampaign('zhenjiang-2023-evaluation');
const base = (o: Partial<ConsequenceInput>): ConsequenceInput => ({ grade: '合格', status: 'active', previousGrades: [], publishedOn: '2024-10-15', ...o });
const kinds = (r: { events: { kind: string }[] }) => r.events.map((e) => e.kind);

describe('Weihai grade boundaries', () => {
  it.each([
    [0, '不合格'],
    [49.5, '不合格'],
    [49.9, '不合格'],
    [50, '合格'],
    [84.9, '合格'],
    [85, '优秀'],
    [100, '优秀'],
  ])('%s points → %s', (score, grade) => expect(gradeOf(weihai, score)).toBe(grade));

  it('direct grading (Zhenjiang) has no points grade', () => expect(gradeOf(zhenjiang, 90)).toBeUndefined());
});

describe('Weihai consequences: reward, rectification, re-evaluation, revocation', () => {
  it('优秀 → a 2万元 reward to the leader', () => {
    const r = consequencesOf(weihai, base({ grade: '优秀' }));
    expect(r.status).toBe('active');
    expect(r.events.find((e) => e.kind === 'reward')?.detail).toContain('2万元');
  });
  it('不合格 → one year of rectification, until the same day a year later', () => {
    const r = consequencesOf(weihai, base({ grade: '不合格' }));
    expect(r).toMatchObject({ status: 'rectifying' });
    expect(r.events.find((e) => e.kind === 'rectification')?.until).toBe('2025-10-15');
  });
  it('re-evaluated after rectification: 合格 → back to active; 不合格 → title revoked', () => {
    expect(consequencesOf(weihai, base({ grade: '合格', status: 'rectifying', previousGrades: ['不合格'] }))).toMatchObject({ status: 'active' });
    expect(kinds(consequencesOf(weihai, base({ grade: '合格', status: 'rectifying' })))).toContain('rectified');
    const r = consequencesOf(weihai, base({ grade: '不合格', status: 'rectifying', previousGrades: ['不合格'] }));
    expect(r.status).toBe('revoked');
    expect(r.events.find((e) => e.kind === 'revocation')?.detail).toContain('撤销威海市技能大师工作室称号');
  });
});

describe('Zhenjiang consequences', () => {
  it.each<[string[], string, string]>([
    [[], '不合格', 'rectifying'],
    [['不合格'], '不合格', 'rectifying'],
    [['不合格', '不合格'], '不合格', 'revoked'],
    [['不合格', '合格'], '不合格', 'rectifying'],
    [['合格', '不合格', '不合格'], '不合格', 'revoked'],
    [['不合格', '不合格'], '合格', 'active'],
  ])('after %j, %s → %s', (previous, grade, status) =>
    expect(consequencesOf(zhenjiang, base({ grade, previousGrades: previous, status: previous.at(-1) === '不合格' ? 'rectifying' : 'active' })).status).toBe(
      status,
    ),
  );
  it('a retired or departed leader → leader change or cancellation', () => {
    expect(kinds(consequencesOf(zhenjiang, base({ grade: '合格', leaderInPost: false })))).toContain('leader_change');
  });
});

describe('Gongshu: veto items, bonus cap, leader gone', () => {
  const rubric = gongshu.rubrics.find((r) => r.id === gongshu.evaluation!.rubric)!;
  const full = Object.fromEntries(rubric.items.map((i) => [i.id, String(i.max)]));
  it('every item at its maximum: 80 + 10 bonus = 90, graded 优秀', () => {
    const sheet = scoreSheet(rubric, full);
    expect(sheet.total).toBe(90);
    expect(evaluationResult(gongshu, [sheet, sheet], 'trimmedMean', 5)).toMatchObject({ score: 90, grade: '优秀', vetoes: [] });
  });
  it('bonus items beyond the cap count only up to it', () => {
    const capped = { ...rubric, bonusCap: 6 };
    expect(scoreSheet(capped, full).total).toBe(86);
  });
  it('any veto item one expert confirms → 不合格 whatever the points', () => {
    const clean = scoreSheet(rubric, full);
    const vetoed = { ...clean, scores: { ...clean.scores, [vetoKey('unitDeregistered')]: 1 } };
    expect(evaluationResult(gongshu, [clean, vetoed])).toMatchObject({ score: 90, grade: '不合格', vetoes: ['unitDeregistered'] });
  });
  it('passing → may continue (续建); failing → not extended; a leader gone → not evaluated', () => {
    expect(kinds(consequencesOf(gongshu, base({ grade: '合格' })))).toContain('extension');
    expect(consequencesOf(gongshu, base({ grade: '不合格' })).status).toBe('cancelled');
    expect(consequencesOf(gongshu, base({ grade: '优秀', leaderInPost: false })).events.map((e) => e.kind)).toEqual(['not_evaluated']);
  });
});
