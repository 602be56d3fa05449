import { describe, expect, it } from 'vitest';
import { aggregateScores, scoreSheet } from '../../src/forms/rubric.js';
import { defaultSelection, quotaProblems } from '../../src/review/scoring.js';
import { shippedCampaign } from '../helpers/campaigns.js';

const weihai = shippedCampaign('weihai-2024');
const gongshuEval = shippedCampaign('gongshu-2020-evaluation');

describe('an expert’s score sheet', () => {
  const rubric = weihai.rubrics[0]!; // 30 + 20 + 30 + 20
  it.each([
    [{ leader: '28', team: '18', projects: '25', support: '20' }, 91, {}],
    [{ leader: '２８.５', team: '0', projects: '30', support: '20' }, 78.5, {}],
    [{ leader: '31', team: '18', projects: '25', support: '20' }, 63, { leader: `「${rubric.items[0]!.content}」的分数应在0到30分之间（填写的是31分）` }],
    [{ leader: '', team: '18', projects: '25', support: '20' }, 63, { leader: `请给「${rubric.items[0]!.content}」打分（0–30分）` }],
    [{ leader: '-1', team: '18', projects: '25', support: '20' }, 63, { leader: `「${rubric.items[0]!.content}」的分数应为数字，最多一位小数` }],
  ])('%j → total %d', (form, total, errors) => {
    const sheet = scoreSheet(rubric, form);
    expect(sheet.total).toBe(total);
    expect(sheet.errors).toEqual(errors);
  });

  it('caps the bonus items (Gongshu: 10 bonus points at most)', () => {
    const r = gongshuEval.rubrics[0]!;
    const full = Object.fromEntries(r.items.map((i) => [i.id, String(i.max)]));
    const base = r.items.filter((i) => !i.bonus).reduce((s, i) => s + i.max, 0);
    expect(scoreSheet(r, full).total).toBe(
      base +
        Math.min(
          r.bonusCap!,
          r.items.filter((i) => i.bonus).reduce((s, i) => s + i.max, 0),
        ),
    );
  });
});

describe.each([
  [[80, 90], 'mean', 5, 85],
  [[80, 90, 70], 'trimmedMean', 5, 80],
  [[60, 80, 90, 70, 100], 'trimmedMean', 5, 80],
  [[60, 80, 90, 70, 100], 'mean', 5, 80],
  [[50, 95, 96, 97, 99], 'trimmedMean', 5, 96],
] as const)('aggregate %j (%s, from %d)', (totals, mode, trimFrom, expected) => {
  it(`→ ${expected}`, () => expect(aggregateScores([...totals], mode, trimFrom)).toBe(expected));
});

describe('quota (Weihai: 5 in all, at most 1 rural studio)', () => {
  const cand = (id: string, score: number, rural: boolean) => ({ applicationId: id, score, answers: { isRural: rural } });
  const pool = [
    cand('a', 95, true),
    cand('b', 94, true),
    cand('c', 90, false),
    cand('d', 88, false),
    cand('e', 85, false),
    cand('f', 80, false),
    cand('g', 70, false),
  ];

  it('the default selection takes the best within the quota', () => {
    expect(defaultSelection(weihai, pool).map((x) => x.applicationId)).toEqual(['a', 'c', 'd', 'e', 'f']);
  });

  it.each([
    [['a', 'b', 'c'], ['乡村特色技能大师工作室最多1个，选择了2个']],
    [['a', 'c', 'd', 'e', 'f', 'g'], ['本项目最多认定5个，选择了6个']],
    [['c', 'd'], []],
  ])('%j → %j', (ids, problems) => {
    expect(
      quotaProblems(
        weihai,
        pool.filter((p) => ids.includes(p.applicationId)),
      ),
    ).toEqual(problems);
  });
});
