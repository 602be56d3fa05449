// Studio names from a campaign's naming pattern.
import { describe, expect, it } from 'vitest';
import { buildStudioName } from '../../../src/rules/studio-name.js';

const PATTERN = '{领办人}{职业工种}技能大师工作室';

describe('buildStudioName', () => {
  it.each<[string, Record<string, string | undefined>, { prefix?: string } | undefined, string]>([
    [PATTERN, { 领办人: '张三', 职业工种: '数控车工' }, undefined, '张三数控车工技能大师工作室'],
    [PATTERN, { 领办人: ' 张三 ', 职业工种: '\t数控车工 ' }, undefined, '张三数控车工技能大师工作室'],
    // Lucheng prefixes the district.
    [PATTERN, { 领办人: '张三', 职业工种: '数控车工' }, { prefix: '温州市鹿城区' }, '温州市鹿城区张三数控车工技能大师工作室'],
    [PATTERN, { 领办人: '张三', 职业工种: '数控车工' }, { prefix: ' 温州市鹿城区 ' }, '温州市鹿城区张三数控车工技能大师工作室'],
    // The prefix is not doubled when the pattern already carries it.
    ['温州市鹿城区' + PATTERN, { 领办人: '张三', 职业工种: '数控车工' }, { prefix: '温州市鹿城区' }, '温州市鹿城区张三数控车工技能大师工作室'],
    [PATTERN, { 领办人: '张三', 职业工种: '数控车工' }, { prefix: '' }, '张三数控车工技能大师工作室'],
    // The suffix is not doubled when the occupation already ends with it.
    [PATTERN, { 领办人: '张三', 职业工种: '数控车工技能大师工作室' }, undefined, '张三数控车工技能大师工作室'],
    [PATTERN, { 领办人: '张三', 职业工种: '数控车工技能大师工作室 ' }, { prefix: '温州市鹿城区' }, '温州市鹿城区张三数控车工技能大师工作室'],
    // Placeholder names are arbitrary keys.
    ['{city}{name}工作室', { city: '威海', name: '李四' }, undefined, '威海李四工作室'],
    ['{name}（{occupation}）技能大师工作室', { name: '王五', occupation: '焊工' }, undefined, '王五（焊工）技能大师工作室'],
    ['{领办人}·{领办人}工作室', { 领办人: '赵六' }, undefined, '赵六·赵六工作室'],
    ['技能大师工作室', {}, undefined, '技能大师工作室'],
  ])('%s with %j → %s', (pattern, values, opts, expected) => {
    expect(buildStudioName(pattern, values, opts)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    [PATTERN, { 领办人: '张三' }, '生成工作室名称需要先填写「职业工种」'],
    [PATTERN, { 领办人: '张三', 职业工种: '   ' }, '生成工作室名称需要先填写「职业工种」'],
    [PATTERN, { 领办人: '张三', 职业工种: undefined }, '生成工作室名称需要先填写「职业工种」'],
    [PATTERN, {}, '生成工作室名称需要先填写「领办人」「职业工种」'],
    ['{领办人}·{领办人}工作室', {}, '生成工作室名称需要先填写「领办人」'],
  ])('%s with %j → %s', (pattern, values, message) => {
    expect(buildStudioName(pattern, values)).toEqual({ ok: false, message });
  });
});
