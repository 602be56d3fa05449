// Statutory retirement age after the NPC Standing Committee decision of 2024-09-13
// (渐进式延迟法定退休年龄, in force 2025-01-01). Everything is computed in whole months.
import { addMonths, daysInMonth, formatChineseMonth, formatYmd, parseIsoDate, parseYearMonth, type Ymd } from './dates.js';
import { type Check, fail, ok } from './result.js';

/**
 * male: men (60 → 63); female55: women originally retiring at 55 (cadre/management posts, → 58);
 * female50: women originally retiring at 50 (worker posts, → 55). A woman's category cannot be
 * derived from her job title: ask for it.
 */
export type RetirementCategory = 'male' | 'female55' | 'female50';

interface Rule {
  baseYears: number;
  /** First affected birth month, as year*12 + (month-1). */
  start: number;
  /** One month of delay is added for every `step` months of birth after `start`. */
  step: number;
  capMonths: number;
}

const RULES: Record<RetirementCategory, Rule> = {
  male: { baseYears: 60, start: 1965 * 12, step: 4, capMonths: 36 },
  female55: { baseYears: 55, start: 1970 * 12, step: 4, capMonths: 36 },
  female50: { baseYears: 50, start: 1975 * 12, step: 2, capMonths: 60 },
};

function parseBirth(birth: string): { year: number; month: number; day: number | null } {
  const parsed = parseYearMonth(birth);
  if (!parsed) throw new RangeError(`birth must be YYYY-MM or YYYY-MM-DD, got ${JSON.stringify(birth)}`);
  return parsed;
}

function parseAsOf(asOf: string): Ymd {
  const parsed = parseIsoDate(asOf);
  if (!parsed) throw new RangeError(`asOf must be YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
  return parsed;
}

/**
 * Month in which a person born in `birth` (YYYY-MM or YYYY-MM-DD) reaches the statutory
 * retirement age, and that age. k = months from the first affected birth month to the birth
 * month; delay = 0 if k < 0, else min(cap, floor(k / step) + 1).
 */
export function retirementMonth(birth: string, category: RetirementCategory): { year: number; month: number; age: { years: number; months: number } } {
  const { year, month } = parseBirth(birth);
  const rule = RULES[category];
  const birthIndex = year * 12 + (month - 1);
  const k = birthIndex - rule.start;
  const delay = k < 0 ? 0 : Math.min(rule.capMonths, Math.floor(k / rule.step) + 1);
  const ageMonths = rule.baseYears * 12 + delay;
  const retireIndex = birthIndex + ageMonths;
  const retireYear = Math.floor(retireIndex / 12);
  return {
    year: retireYear,
    month: retireIndex - retireYear * 12 + 1,
    age: { years: Math.floor(ageMonths / 12), months: ageMonths % 12 },
  };
}

function retirementYmd(birth: { year: number; month: number; day: number }, category: RetirementCategory): Ymd {
  const { year, month } = retirementMonth(`${birth.year}-${String(birth.month).padStart(2, '0')}`, category);
  // The birthday within the retirement month; the last day when that month is shorter.
  return { year, month, day: Math.min(birth.day, daysInMonth(year, month)) };
}

/**
 * Retirement date (YYYY-MM-DD): the birth day within the retirement month, or that month's last
 * day if it is shorter. Needs a full YYYY-MM-DD birth date (a bare month would be a guess).
 */
export function retirementDate(birthDate: string, category: RetirementCategory): string {
  const birth = parseIsoDate(birthDate);
  if (!birth) throw new RangeError(`retirementDate needs YYYY-MM-DD, got ${JSON.stringify(birthDate)}`);
  return formatYmd(retirementYmd(birth, category));
}

// The check functions also accept a bare YYYY-MM (出生年月 on a form) and then assume the 1st of
// the month: the earliest possible retirement date, so a pass can never turn into a fail once the
// exact day is known.
function retirementFor(birthDate: string, category: RetirementCategory): Ymd {
  const birth = parseBirth(birthDate);
  return retirementYmd({ year: birth.year, month: birth.month, day: birth.day ?? 1 }, category);
}

/** Who the sentence is about; the default fits the studio lead. */
export interface RetirementMessageOptions {
  who?: string;
}

/** OK while `asOf` is before the retirement date (on that date the age has been reached). */
export function checkWithinRetirementAge(
  birthDate: string,
  category: RetirementCategory,
  asOf: string,
  opts: RetirementMessageOptions = {},
): Check<{ retirementDate: string }> {
  const who = opts.who ?? '领办人';
  const retire = retirementFor(birthDate, category);
  const retireDate = formatYmd(retire);
  if (formatYmd(parseAsOf(asOf)) >= retireDate) {
    return fail(`${who}已达到法定退休年龄（${formatChineseMonth(retire.year, retire.month)}）`);
  }
  return ok({ retirementDate: retireDate });
}

/**
 * "距法定退休年龄N年以上": OK when asOf + years·12 months ≤ retirement date (exactly N years is
 * enough). `remaining` is the whole years and months left at `asOf`.
 */
export function checkYearsBeforeRetirement(
  birthDate: string,
  category: RetirementCategory,
  asOf: string,
  years: number,
  opts: RetirementMessageOptions = {},
): Check<{ retirementDate: string; remaining: { years: number; months: number } }> {
  if (!Number.isInteger(years) || years < 0) throw new RangeError(`years must be a whole number ≥ 0, got ${years}`);
  const who = opts.who ?? '领办人';
  const retire = retirementFor(birthDate, category);
  const retireDate = formatYmd(retire);
  const from = parseAsOf(asOf);
  const retireMonthText = formatChineseMonth(retire.year, retire.month);
  if (formatYmd(from) >= retireDate) {
    return fail(`${who}已达到法定退休年龄（${retireMonthText}）`);
  }
  if (formatYmd(addMonths(from, years * 12)) > retireDate) {
    return fail(`${who}距法定退休年龄不足${years}年（法定退休时间为${retireMonthText}）`);
  }
  return ok({ retirementDate: retireDate, remaining: wholeMonthsBetween(from, retire) });
}

/** Whole calendar months from `from` to `to` (to ≥ from), counted like addMonths. */
function wholeMonthsBetween(from: Ymd, to: Ymd): { years: number; months: number } {
  let months = (to.year - from.year) * 12 + (to.month - from.month);
  if (formatYmd(addMonths(from, months)) > formatYmd(to)) months -= 1;
  return { years: Math.floor(months / 12), months: months % 12 };
}
