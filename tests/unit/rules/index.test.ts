// The barrel exposes the whole rule library under the names other modules are written against.
import { describe, expect, it } from 'vitest';
import * as rules from '../../../src/rules/index.js';

describe('src/rules/index', () => {
  it.each([
    'idNumberCheckChar',
    'checkIdNumber',
    'crossCheckIdNumber',
    'creditCodeCheckChar',
    'checkCreditCode',
    'checkMobile',
    'checkLandline',
    'checkPhone',
    'checkEmail',
    'checkPostalCode',
    'normalizeSkillLevel',
    'skillRank',
    'meetsMinimumSkillLevel',
    'retirementMonth',
    'retirementDate',
    'checkWithinRetirementAge',
    'checkYearsBeforeRetirement',
    'createWorkingDayCalendar',
    'buildStudioName',
  ])('exports %s', (name) => {
    expect(typeof (rules as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports SKILL_LEVELS', () => {
    expect(rules.SKILL_LEVELS).toHaveLength(8);
  });
});
