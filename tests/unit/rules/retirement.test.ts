// Statutory retirement age after the 2025 reform: every worked example of the domain notes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkWithinRetirementAge,
  checkYearsBeforeRetirement,
  type RetirementCategory,
  retirementDate,
  retirementMonth,
} from '../../../src/rules/retirement.js';

describe('retirementMonth', () => {
  it.each<[RetirementCategory, string, string, number, number]>([
    // Worked examples of the notes (checked there against published calculators).
    ['male', '1965-01', '2025-02', 60, 1],
    ['male', '1970-06', '2031-11', 61, 5],
    ['male', '1976-12', '2039-12', 63, 0],
    ['male', '1975-06', '2038-02', 62, 8],
    ['female50', '1975-01', '2025-02', 50, 1],
    ['female50', '1980-06', '2033-03', 52, 9],
    ['female50', '1984-11', '2039-11', 55, 0],
    ['female55', '1970-01', '2025-02', 55, 1],
    ['female55', '1970-06', '2025-08', 55, 2],
    ['female55', '1971-06', '2026-11', 55, 5],
    // Born before the first affected month: the old ages.
    ['male', '1964-12', '2024-12', 60, 0],
    ['male', '1950-03', '2010-03', 60, 0],
    ['female55', '1969-12', '2024-12', 55, 0],
    ['female50', '1974-12', '2024-12', 50, 0],
    // Around the cap: the cohort reaching it, the one before, and later ones.
    ['male', '1976-08', '2039-07', 62, 11],
    ['male', '1976-09', '2039-09', 63, 0],
    ['male', '1990-01', '2053-01', 63, 0],
    ['female55', '1981-08', '2039-07', 57, 11],
    ['female55', '1981-09', '2039-09', 58, 0],
    ['female50', '1984-10', '2039-09', 54, 11],
    ['female50', '1995-05', '2050-05', 55, 0],
    // Step boundaries: one more month every 4 (men) / 2 (women at 50) birth months.
    ['male', '1965-04', '2025-05', 60, 1],
    ['male', '1965-05', '2025-07', 60, 2],
    ['female50', '1975-02', '2025-03', 50, 1],
    ['female50', '1975-03', '2025-05', 50, 2],
  ])('%s born %s retires %s at %iy%im', (category, birth, expected, years, months) => {
    const [year, month] = expected.split('-').map(Number);
    expect(retirementMonth(birth, category)).toEqual({ year, month, age: { years, months } });
  });

  it('reads a full birth date the same as its month', () => {
    expect(retirementMonth('1970-06-30', 'male')).toEqual(retirementMonth('1970-06', 'male'));
  });

  it.each(['1970', '1970-13', '1970-6', '70-06', '1970-02-30', ''])('throws on %j', (birth) => {
    expect(() => retirementMonth(birth, 'male')).toThrow(RangeError);
  });

  const BASE: Record<RetirementCategory, [number, number]> = {
    male: [60 * 12, 36],
    female55: [55 * 12, 36],
    female50: [50 * 12, 60],
  };
  const category = fc.constantFrom<RetirementCategory>('male', 'female55', 'female50');
  const monthIndex = fc.integer({ min: 1930 * 12, max: 2010 * 12 + 11 });
  const yyyymm = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  const retireIndex = (r: { year: number; month: number }) => r.year * 12 + r.month - 1;

  it('property: a later birth month never retires earlier, and each month later adds 1 or 2 months', () => {
    fc.assert(
      fc.property(category, monthIndex, monthIndex, (cat, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(retireIndex(retirementMonth(yyyymm(late), cat))).toBeGreaterThanOrEqual(retireIndex(retirementMonth(yyyymm(early), cat)));
        const step = retireIndex(retirementMonth(yyyymm(early + 1), cat)) - retireIndex(retirementMonth(yyyymm(early), cat));
        expect([1, 2]).toContain(step);
      }),
    );
  });

  it('property: the age at retirement is between the base age and the base age plus the cap', () => {
    fc.assert(
      fc.property(category, monthIndex, (cat, index) => {
        const r = retirementMonth(yyyymm(index), cat);
        const ageMonths = r.age.years * 12 + r.age.months;
        const [base, cap] = BASE[cat];
        expect(ageMonths).toBeGreaterThanOrEqual(base);
        expect(ageMonths).toBeLessThanOrEqual(base + cap);
        expect(retireIndex(r) - index).toBe(ageMonths);
      }),
    );
  });
});

describe('retirementDate', () => {
  it.each<[RetirementCategory, string, string]>([
    ['male', '1965-01-15', '2025-02-15'],
    ['male', '1964-12-31', '2024-12-31'],
    ['male', '1965-01-31', '2025-02-28'], // February is shorter: its last day
    ['female50', '1975-07-31', '2025-11-30'],
    ['female50', '1976-05-31', '2027-02-28'],
    ['female55', '1970-06-01', '2025-08-01'],
    ['male', '1966-09-10', '2027-03-10'],
  ])('%s born %s → %s', (category, birth, expected) => {
    expect(retirementDate(birth, category)).toBe(expected);
  });

  it('needs a full birth date', () => {
    expect(() => retirementDate('1965-01', 'male')).toThrow(RangeError);
  });
});

describe('checkWithinRetirementAge', () => {
  it.each<[string, RetirementCategory, string, boolean]>([
    ['1965-01-15', 'male', '2025-02-14', true],
    ['1965-01-15', 'male', '2025-02-15', false], // reached on the retirement date itself
    ['1964-12-31', 'male', '2024-12-30', true],
    ['1975-01-10', 'female50', '2025-02-09', true],
    ['1975-01-10', 'female50', '2025-02-10', false],
  ])('born %s (%s) as of %s → %s', (birth, category, asOf, expected) => {
    expect(checkWithinRetirementAge(birth, category, asOf).ok).toBe(expected);
  });

  it('reports the retirement month', () => {
    expect(checkWithinRetirementAge('1965-01-15', 'male', '2025-03-01')).toEqual({
      ok: false,
      message: '领办人已达到法定退休年龄（2025年02月）',
    });
    expect(checkWithinRetirementAge('1965-01-15', 'male', '2025-01-01')).toEqual({
      ok: true,
      value: { retirementDate: '2025-02-15' },
    });
  });

  it('names someone else when asked', () => {
    expect(checkWithinRetirementAge('1965-01-15', 'male', '2025-03-01', { who: '团队成员李四' })).toEqual({
      ok: false,
      message: '团队成员李四已达到法定退休年龄（2025年02月）',
    });
  });

  it('takes a bare birth month as its 1st day (the earliest possible retirement date)', () => {
    expect(checkWithinRetirementAge('1965-01', 'male', '2025-01-31')).toEqual({
      ok: true,
      value: { retirementDate: '2025-02-01' },
    });
    expect(checkWithinRetirementAge('1965-01', 'male', '2025-02-01').ok).toBe(false);
  });
});

describe('checkYearsBeforeRetirement', () => {
  it.each<[string, RetirementCategory, string, number, boolean]>([
    // Retirement date 2025-02-15: exactly 36 months before is enough, one day less is not.
    ['1965-01-15', 'male', '2022-02-15', 3, true],
    ['1965-01-15', 'male', '2022-02-16', 3, false],
    ['1965-01-15', 'male', '2022-02-14', 3, true],
    // Retirement date 2027-02-28 (month shorter than the 31st): 2024-02-29 + 36 months = 2027-02-28.
    ['1976-05-31', 'female50', '2024-02-29', 3, true],
    ['1976-05-31', 'female50', '2024-03-01', 3, false],
    // A campaign may ask for another number of years.
    ['1965-01-15', 'male', '2020-02-15', 5, true],
    ['1965-01-15', 'male', '2020-02-16', 5, false],
    ['1965-01-15', 'male', '2025-02-14', 0, true],
  ])('born %s (%s) as of %s, %i years → %s', (birth, category, asOf, years, expected) => {
    expect(checkYearsBeforeRetirement(birth, category, asOf, years).ok).toBe(expected);
  });

  it('reports how much time is left', () => {
    expect(checkYearsBeforeRetirement('1965-01-15', 'male', '2020-01-01', 3)).toEqual({
      ok: true,
      value: { retirementDate: '2025-02-15', remaining: { years: 5, months: 1 } },
    });
    expect(checkYearsBeforeRetirement('1965-01-15', 'male', '2022-02-15', 3)).toEqual({
      ok: true,
      value: { retirementDate: '2025-02-15', remaining: { years: 3, months: 0 } },
    });
  });

  it.each<[string, RetirementCategory, string, number, string]>([
    ['1966-09-10', 'male', '2025-01-01', 3, '领办人距法定退休年龄不足3年（法定退休时间为2027年03月）'],
    ['1965-01-15', 'male', '2022-02-16', 3, '领办人距法定退休年龄不足3年（法定退休时间为2025年02月）'],
    ['1965-01-15', 'male', '2021-01-01', 5, '领办人距法定退休年龄不足5年（法定退休时间为2025年02月）'],
    ['1965-01-15', 'male', '2025-02-15', 3, '领办人已达到法定退休年龄（2025年02月）'],
  ])('born %s (%s) as of %s, %i years → %s', (birth, category, asOf, years, message) => {
    expect(checkYearsBeforeRetirement(birth, category, asOf, years)).toEqual({ ok: false, message });
  });

  it('property: passing at some date means passing at every earlier date', () => {
    const day = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
    const birth = fc.date({ min: new Date('1960-01-01T00:00:00Z'), max: new Date('1985-12-31T00:00:00Z'), noInvalidDate: true });
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    fc.assert(
      fc.property(birth, fc.constantFrom<RetirementCategory>('male', 'female55', 'female50'), day, day, (b, cat, x, y) => {
        const [earlier, later] = x <= y ? [x, y] : [y, x];
        if (checkYearsBeforeRetirement(iso(b), cat, iso(later), 3).ok) {
          expect(checkYearsBeforeRetirement(iso(b), cat, iso(earlier), 3).ok).toBe(true);
        }
      }),
    );
  });
});
