// Working days with the official holiday arrangement (法定节假日 and 调休 make-up working days).
//
// Data comes from chinese-days, with two guards:
// - A year chinese-days has no data for is silently treated as plain Mon–Fri by the library, so
//   windows that reach past the last covered year are refused, and newly published years can be
//   supplied as overrides.
// - The library's functions depend on the process time zone: it parses 'YYYY-MM-DD' as UTC
//   midnight but reads dates back (and builds its own holiday table) with local getters, so west
//   of UTC weekdays come out one day early. We read its prebuilt table (chinese-days.json, keyed
//   by 'YYYY-MM-DD') and compute weekdays in UTC ourselves, which gives the same answer anywhere.
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, formatYmd, parseIsoDate, weekday, type Ymd } from './dates.js';
import { type Check, fail, ok } from './result.js';

const LIBRARY_HOLIDAYS: Readonly<Record<string, string>> = chineseDaysData.holidays;
const LIBRARY_WORKDAYS: Readonly<Record<string, string>> = chineseDaysData.workdays;

export interface CalendarYear {
  year: number;
  /** Days off (YYYY-MM-DD), including weekdays inside a holiday block. */
  holidays: string[];
  /** 调休: weekend days that are working days (YYYY-MM-DD). */
  workdays: string[];
}

export interface WorkingDayCalendar {
  /** Outside the covered years this is plain Mon–Fri: check isCovered when it matters. */
  isWorkingDay(date: string): boolean;
  /** Whether the holiday arrangement of the date's year is known. */
  isCovered(date: string): boolean;
  /** Last date (YYYY-12-31) up to which every year's arrangement is known. */
  coveredUntil(): string;
  /**
   * A notice of `workingDays` working days: day 1 is `start`, or the next working day when
   * `start` is not one; `end` is the last day of the notice.
   */
  publicNoticeEnd(start: string, workingDays: number): Check<{ start: string; end: string }>;
  /** The n-th working day strictly after `date`. */
  addWorkingDays(date: string, n: number): Check;
}

let libraryYearsCache: { first: number; last: number } | undefined;

/**
 * The contiguous range of years chinese-days has an arrangement for. A year counts when both
 * New Year's Day and National Day are listed: both are statutory holidays every year.
 */
export function libraryCoveredYears(): { first: number; last: number } {
  if (libraryYearsCache) return libraryYearsCache;
  const covered = (year: number) => Object.hasOwn(LIBRARY_HOLIDAYS, `${year}-01-01`) && Object.hasOwn(LIBRARY_HOLIDAYS, `${year}-10-01`);
  const years = Object.keys(LIBRARY_HOLIDAYS).map((date) => Number(date.slice(0, 4)));
  if (years.length === 0) throw new Error('chinese-days has no holiday data at all');
  let year = Math.min(...years);
  while (!covered(year) && year <= Math.max(...years)) year++;
  const first = year;
  while (covered(year + 1)) year++;
  libraryYearsCache = { first, last: year };
  return libraryYearsCache;
}

function parseDateOrThrow(date: string): Ymd {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  return parsed;
}

function validateOverrides(overrides: CalendarYear[]): Map<number, { holidays: Set<string>; workdays: Set<string> }> {
  const byYear = new Map<number, { holidays: Set<string>; workdays: Set<string> }>();
  for (const entry of overrides) {
    if (byYear.has(entry.year)) throw new RangeError(`calendar override for ${entry.year} given twice`);
    for (const date of [...entry.holidays, ...entry.workdays]) {
      if (parseDateOrThrow(date).year !== entry.year) {
        throw new RangeError(`calendar override for ${entry.year} contains ${date} from another year`);
      }
    }
    const holidays = new Set(entry.holidays);
    const workdays = new Set(entry.workdays);
    for (const date of workdays) {
      if (holidays.has(date)) throw new RangeError(`calendar override lists ${date} as holiday and as workday`);
    }
    byYear.set(entry.year, { holidays, workdays });
  }
  return byYear;
}

/**
 * Overrides add years chinese-days does not know yet (or replace a year it has wrong); an override
 * year is taken as complete: its weekends are off and its weekdays are working days unless listed.
 */
export function createWorkingDayCalendar(overrides: CalendarYear[] = []): WorkingDayCalendar {
  const byYear = validateOverrides(overrides);
  const library = libraryCoveredYears();
  let lastYear = library.last;
  while (byYear.has(lastYear + 1)) lastYear++;
  const until = `${lastYear}-12-31`;

  const yearCovered = (year: number) => byYear.has(year) || (year >= library.first && year <= library.last);

  const isWorking = (date: Ymd): boolean => {
    const key = formatYmd(date);
    const override = byYear.get(date.year);
    if (override) {
      if (override.workdays.has(key)) return true;
      if (override.holidays.has(key)) return false;
    } else {
      if (Object.hasOwn(LIBRARY_WORKDAYS, key)) return true;
      if (Object.hasOwn(LIBRARY_HOLIDAYS, key)) return false;
    }
    const day = weekday(date);
    return day !== 0 && day !== 6;
  };

  const uncoveredMessage = (year: number, what: string) =>
    year > library.last
      ? `${year}年的法定节假日安排尚未发布，无法准确计算${what}；请管理员补充该年度的节假日安排`
      : `日历中没有${year}年的法定节假日安排，无法准确计算${what}；请管理员补充该年度的节假日安排`;

  /** Walks forward from `from` (exclusive) to the n-th working day, refusing uncovered years. */
  const nthWorkingDayAfter = (from: Ymd, n: number, what: string): Check => {
    let date = from;
    let left = n;
    while (left > 0) {
      date = addDays(date, 1);
      if (!yearCovered(date.year)) return fail(uncoveredMessage(date.year, what));
      if (isWorking(date)) left--;
    }
    return ok(formatYmd(date));
  };

  const requireCount = (n: number) => {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`working-day count must be a whole number ≥ 1, got ${n}`);
  };

  return {
    isWorkingDay: (date) => isWorking(parseDateOrThrow(date)),
    isCovered: (date) => yearCovered(parseDateOrThrow(date).year),
    coveredUntil: () => until,

    publicNoticeEnd(start, workingDays) {
      requireCount(workingDays);
      const what = '公示截止日期';
      const first = parseIsoDate(start.trim());
      if (!first) return fail('公示开始日期格式不正确，请按“2026-09-28”的格式填写');
      if (!yearCovered(first.year)) return fail(uncoveredMessage(first.year, what));
      let day1: string;
      if (isWorking(first)) {
        day1 = formatYmd(first);
      } else {
        const next = nthWorkingDayAfter(first, 1, what);
        if (!next.ok) return next;
        day1 = next.value;
      }
      const end = workingDays === 1 ? ok(day1) : nthWorkingDayAfter(parseIsoDate(day1)!, workingDays - 1, what);
      if (!end.ok) return end;
      return ok({ start: day1, end: end.value });
    },

    addWorkingDays(date, n) {
      requireCount(n);
      const from = parseIsoDate(date.trim());
      if (!from) return fail('日期格式不正确，请按“2026-09-28”的格式填写');
      if (!yearCovered(from.year)) return fail(uncoveredMessage(from.year, '工作日'));
      return nthWorkingDayAfter(from, n, '工作日');
    },
  };
}
