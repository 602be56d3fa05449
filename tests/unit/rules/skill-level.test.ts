// Skill levels: the 级 number runs against the rank (一级 is the highest of the classic five).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meetsMinimumSkillLevel, normalizeSkillLevel, SKILL_LEVELS, skillRank } from '../../../src/rules/skill-level.js';

describe('SKILL_LEVELS', () => {
  it('lists the canonical names low → high', () => {
    expect(SKILL_LEVELS).toEqual(['学徒工', '初级工', '中级工', '高级工', '技师', '高级技师', '特级技师', '首席技师']);
  });
});

describe('normalizeSkillLevel', () => {
  it.each([
    ['学徒工', '学徒工'],
    ['学徒', '学徒工'],
    ['初级工', '初级工'],
    ['五级/初级工', '初级工'],
    ['五级', '初级工'],
    ['职业资格五级', '初级工'],
    ['四级/中级工', '中级工'],
    ['中级', '中级工'],
    [' 中级工 ', '中级工'],
    ['三级', '高级工'],
    ['高级工（三级）', '高级工'],
    ['国家职业资格三级', '高级工'],
    ['二级', '技师'],
    ['职业资格二级', '技师'],
    ['技师（二级）', '技师'],
    ['技师(二级)', '技师'],
    ['二级/技师', '技师'],
    ['技 师', '技师'],
    ['一级', '高级技师'],
    ['1级', '高级技师'],
    ['高级技师(一级)', '高级技师'],
    ['高级技师（一级）', '高级技师'],
    ['一级/高级技师', '高级技师'],
    ['职业技能等级一级', '高级技师'],
    ['高级技师证书', '高级技师'],
    ['特级技师', '特级技师'],
    ['首席技师', '首席技师'],
  ])('%j → %s', (input, level) => {
    expect(normalizeSkillLevel(input)).toBe(level);
  });

  it.each([
    [''],
    ['   '],
    ['高级工程师'], // a professional title (职称), not a skill level
    ['工程师'],
    ['高级工（二级）'], // contradicts itself
    ['技师（一级）'],
    ['六级'],
    ['技师学院'],
    ['大师'],
  ])('%j → null', (input) => {
    expect(normalizeSkillLevel(input)).toBeNull();
  });
});

describe('skillRank', () => {
  it.each([
    ['学徒工', 0],
    ['五级', 1],
    ['四级', 2],
    ['三级', 3],
    ['二级', 4],
    ['一级', 5],
    ['特级技师', 6],
    ['首席技师', 7],
    ['高级工程师', -1],
  ])('%s → %i', (level, rank) => {
    expect(skillRank(level)).toBe(rank);
  });
});

describe('meetsMinimumSkillLevel', () => {
  it.each([
    ['高级技师', '技师', true],
    ['一级', '二级', true], // 一级 is higher: never compare the numbers
    ['二级', '一级', false],
    ['五级', '四级', false],
    ['三级', '五级', true],
    ['技师（二级）', '高级工', true],
    ['高级工', '技师（二级）', false],
    ['技师', '技师', true],
    ['首席技师', '高级技师', true],
    ['特级技师', '首席技师', false],
    ['学徒工', '初级工', false],
    ['高级工程师', '初级工', false],
    ['高级技师', '不限', false],
  ])('%s meets %s: %s', (level, minimum, expected) => {
    expect(meetsMinimumSkillLevel(level, minimum)).toBe(expected);
  });

  const aliases: Record<string, string[]> = {
    学徒工: ['学徒工', '学徒'],
    初级工: ['初级工', '五级', '五级/初级工', '职业资格五级'],
    中级工: ['中级工', '四级', '中级工（四级）'],
    高级工: ['高级工', '三级', '职业资格三级'],
    技师: ['技师', '二级', '技师（二级）', '职业资格二级'],
    高级技师: ['高级技师', '一级', '高级技师(一级)'],
    特级技师: ['特级技师'],
    首席技师: ['首席技师'],
  };

  it('property: any spelling of two levels compares by rank', () => {
    const spelling = fc.nat(7).chain((rank) => fc.constantFrom(...aliases[SKILL_LEVELS[rank]!]!).map((text) => ({ rank, text })));
    fc.assert(
      fc.property(spelling, spelling, (a, b) => {
        expect(meetsMinimumSkillLevel(a.text, b.text)).toBe(a.rank >= b.rank);
      }),
    );
  });
});
