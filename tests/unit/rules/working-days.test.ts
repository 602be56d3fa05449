// Working days with the official holiday arrangement, refusing years whose arrangement is unknown.
import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type CalendarYear, createWorkingDayCalendar, libraryCoveredYears } from '../../../src/rules/working-days.js';

const calendar = createWorkingDayCalendar();

const NOT_PUBLISHED_2027 = '2027年的法定节假日安排尚未发布，无法准确计算公示截止日期；请管理员补充该年度的节假日安排';

describe('built-in data (chinese-days 1.5.7)', () => {
  it('covers 2004–2026', () => {
    expect(libraryCoveredYears()).toEqual({ first: 2004, last: 2026 });
    expect(calendar.coveredUntil()).toBe('2026-12-31');
  });

  it.each([
    ['2026-09-28', true], // Monday
    ['2026-09-26', false], // Mid-autumn (Saturday)
    ['2026-10-01', false], // National Day
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2026-10-10', true], // Saturday, 调休 make-up working day
    ['2026-10-11', false], // Sunday
    ['2026-09-20', true], // Sunday, 调休
    ['2026-02-14', true], // Saturday, 调休 before Spring Festival
    ['2026-02-16', false], // Spring Festival
    ['2026-02-28', true], // Saturday, 调休
    ['2026-01-01', false],
    ['2026-01-04', true], // Sunday, 调休
    ['2025-01-26', true], // Sunday, 调休
    ['2025-10-08', false],
    ['2025-10-11', true],
  ])('%s working: %s', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('pitfall guarded: chinese-days itself answers for 2027 as if every weekday were a working day', () => {
    // 2027-10-01 is National Day (a Friday); the library has no 2027 data and says "working".
    expect(chineseDays.isWorkday('2027-10-01')).toBe(true);
    expect(calendar.isCovered('2027-10-01')).toBe(false);
    expect(calendar.isCovered('2026-12-31')).toBe(true);
    expect(calendar.isCovered('2003-12-31')).toBe(false);
  });

  it('agrees with chinese-days on every day 2004–2026 (compared in Asia/Shanghai)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      const disagreements: string[] = [];
      for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (calendar.isWorkingDay(date) !== chineseDays.isWorkday(date)) disagreements.push(date);
      }
      expect(disagreements).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('publicNoticeEnd', () => {
  it.each([
    // Examples of the notes: day 1 is the start date.
    ['2026-09-28', 5, '2026-09-28', '2026-10-09'],
    ['2026-02-12', 5, '2026-02-12', '2026-02-25'],
    // A start on a holiday or weekend begins on the next working day.
    ['2026-10-01', 5, '2026-10-08', '2026-10-13'],
    ['2026-03-07', 5, '2026-03-09', '2026-03-13'],
    ['2026-03-06', 1, '2026-03-06', '2026-03-06'],
    ['2026-03-06', 7, '2026-03-06', '2026-03-16'],
    // The last covered days still work.
    ['2026-12-25', 5, '2026-12-25', '2026-12-31'],
    [' 2026-09-28 ', 5, '2026-09-28', '2026-10-09'],
  ])('from %s, %i working days → %s … %s', (start, days, first, end) => {
    expect(calendar.publicNoticeEnd(start, days)).toEqual({ ok: true, value: { start: first, end } });
  });

  it.each([
    ['2026-12-28', 5], // would end in 2027
    ['2026-12-31', 2],
    ['2027-03-01', 5], // starts in 2027
    ['2026-12-26', 5], // starts on a weekend, begins 12-28, ends in 2027
  ])('refuses a window reaching into 2027 (from %s, %i days)', (start, days) => {
    expect(calendar.publicNoticeEnd(start, days)).toEqual({ ok: false, message: NOT_PUBLISHED_2027 });
  });

  it.each(['2026/09/28', '2026-9-28', '2026-02-30', ''])('rejects the malformed start %j', (start) => {
    expect(calendar.publicNoticeEnd(start, 5)).toEqual({
      ok: false,
      message: '公示开始日期格式不正确，请按“2026-09-28”的格式填写',
    });
  });

  it.each([0, -1, 2.5, Number.NaN])('throws on the count %d', (n) => {
    expect(() => calendar.publicNoticeEnd('2026-09-28', n)).toThrow(RangeError);
  });

  it('property: the window holds exactly n working days and starts on the first working day', () => {
    const start = fc.date({ min: new Date('2004-01-01T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 15 }), (d, n) => {
        const iso = d.toISOString().slice(0, 10);
        const result = calendar.publicNoticeEnd(iso, n);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        let working = 0;
        for (let t = Date.parse(iso); ; t += 86_400_000) {
          const day = new Date(t).toISOString().slice(0, 10);
          const isWorking = calendar.isWorkingDay(day);
          if (day < result.value.start) expect(isWorking).toBe(false);
          if (day === result.value.start || day === result.value.end) expect(isWorking).toBe(true);
          if (day >= result.value.start && isWorking) working++;
          if (day === result.value.end) break;
        }
        expect(working).toBe(n);
      }),
    );
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-09-28', 4, '2026-10-09'],
    ['2026-10-09', 1, '2026-10-10'], // Saturday make-up day
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-12-30', 1, '2026-12-31'],
  ])('%s + %i working days → %s', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toEqual({ ok: true, value: expected });
  });

  it('refuses to step into 2027', () => {
    expect(calendar.addWorkingDays('2026-12-31', 1)).toEqual({
      ok: false,
      message: '2027年的法定节假日安排尚未发布，无法准确计算工作日；请管理员补充该年度的节假日安排',
    });
  });

  it('rejects a malformed date', () => {
    expect(calendar.addWorkingDays('2026-13-01', 1)).toEqual({
      ok: false,
      message: '日期格式不正确，请按“2026-09-28”的格式填写',
    });
  });
});

describe('overrides for newly published years', () => {
  // A made-up 2027 arrangement: New Year Fri 01-01 to Sun 01-03 with Sat 01-09 worked,
  // and a National Day block 10-01 … 10-07 with Sun 09-26 and Sat 10-09 worked.
  const made2027: CalendarYear = {
    year: 2027,
    holidays: ['2027-01-01', '2027-01-02', '2027-01-03', ...[1, 2, 3, 4, 5, 6, 7].map((d) => `2027-10-0${d}`)],
    workdays: ['2027-01-09', '2027-09-26', '2027-10-09'],
  };
  const extended = createWorkingDayCalendar([made2027]);

  it('extends the covered range', () => {
    expect(extended.coveredUntil()).toBe('2027-12-31');
    expect(extended.isCovered('2027-06-01')).toBe(true);
  });

  it.each([
    ['2027-01-01', false],
    ['2027-01-04', true],
    ['2027-01-09', true], // Saturday worked
    ['2027-01-10', false],
    ['2027-10-04', false], // Monday inside the block
    ['2027-10-09', true],
    ['2027-03-03', true], // an ordinary Wednesday
    ['2027-03-06', false], // an ordinary Saturday
  ])('%s working: %s', (date, working) => {
    expect(extended.isWorkingDay(date)).toBe(working);
  });

  it.each([
    ['2026-12-28', 5, '2026-12-28', '2027-01-04'],
    ['2027-09-27', 5, '2027-09-27', '2027-10-08'],
    ['2027-10-01', 3, '2027-10-08', '2027-10-11'],
    ['2027-01-08', 2, '2027-01-08', '2027-01-09'],
  ])('from %s, %i working days → %s … %s', (start, days, first, end) => {
    expect(extended.publicNoticeEnd(start, days)).toEqual({ ok: true, value: { start: first, end } });
  });

  it('still refuses the next unpublished year', () => {
    expect(extended.publicNoticeEnd('2027-12-29', 5)).toEqual({
      ok: false,
      message: '2028年的法定节假日安排尚未发布，无法准确计算公示截止日期；请管理员补充该年度的节假日安排',
    });
  });

  it('does not extend the range across a missing year', () => {
    const gap = createWorkingDayCalendar([{ year: 2028, holidays: [], workdays: [] }]);
    expect(gap.coveredUntil()).toBe('2026-12-31');
    expect(gap.publicNoticeEnd('2026-12-28', 5).ok).toBe(false);
    expect(gap.isCovered('2028-05-05')).toBe(true);
  });

  it('replaces a covered year when an override for it is given', () => {
    const corrected = createWorkingDayCalendar([{ year: 2026, holidays: [], workdays: [] }]);
    expect(corrected.isWorkingDay('2026-10-01')).toBe(true);
    expect(corrected.isWorkingDay('2026-10-10')).toBe(false);
    expect(corrected.coveredUntil()).toBe('2026-12-31');
  });

  it.each<[string, CalendarYear[]]>([
    ['a date from another year', [{ year: 2027, holidays: ['2026-10-01'], workdays: [] }]],
    ['a malformed date', [{ year: 2027, holidays: ['2027-1-1'], workdays: [] }]],
    ['a day listed as both', [{ year: 2027, holidays: ['2027-01-02'], workdays: ['2027-01-02'] }]],
    ['the same year twice', [made2027, made2027]],
  ])('throws on %s', (_, overrides) => {
    expect(() => createWorkingDayCalendar(overrides)).toThrow(RangeError);
  });
});

describe('time-zone independence', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it('switching process.env.TZ takes effect in this worker (so the rows below mean something)', () => {
    process.env.TZ = 'America/Los_Angeles';
    expect(new Date(Date.UTC(2026, 0, 1)).getHours()).toBe(16);
    // …and this is the upstream behaviour the calendar avoids: Monday 2026-09-28 read as Sunday.
    expect(chineseDays.isWorkday('2026-09-28')).toBe(false);
  });

  // chinese-days reads 'YYYY-MM-DD' back with local getters, so west of UTC its answers shift by
  // a day; this calendar must give the same answers in any process time zone.
  it.each(['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])('gives the same answers in %s', (tz) => {
    process.env.TZ = tz;
    const cal = createWorkingDayCalendar();
    expect(cal.publicNoticeEnd('2026-09-28', 5)).toEqual({ ok: true, value: { start: '2026-09-28', end: '2026-10-09' } });
    expect(cal.publicNoticeEnd('2026-02-12', 5)).toEqual({ ok: true, value: { start: '2026-02-12', end: '2026-02-25' } });
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-10-11')).toBe(false);
    expect(cal.coveredUntil()).toBe('2026-12-31');
  });
});
