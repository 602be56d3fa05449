import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHolidayOverrides } from '../../../src/campaigns/holidays.js';
import { campaignState, deadlineInstant, formatBeijing } from '../../../src/campaigns/schedule.js';
import { createWorkingDayCalendar } from '../../../src/rules/working-days.js';

const at = (opensAt: string, deadline?: string) => ({ schedule: { opensAt, stageDeadlines: {}, ...(deadline ? { deadline } : {}) } });

describe('programme schedule (Beijing time)', () => {
  it.each([
    ['2024-07-31', '2024-07-31T15:59:59.999Z'],
    ['2024-07-31T17:00', '2024-07-31T09:00:00.000Z'],
    ['2024-07-31T17:00:00+08:00', '2024-07-31T09:00:00.000Z'],
  ])('deadline %s closes at %s', (deadline, instant) => {
    expect(deadlineInstant(at('2024-07-01', deadline))?.toISOString()).toBe(instant);
  });

  it.each([
    ['2024-06-30T16:00:00Z', 'open'], // 2024-07-01 00:00 Beijing is 2024-06-30 16:00 UTC
    ['2024-06-30T15:59:59Z', 'upcoming'],
    ['2024-06-30T16:00:01Z', 'open'],
    ['2024-07-31T15:59:59Z', 'open'],
    ['2024-07-31T16:00:00Z', 'closed'],
  ])('at %s the programme is %s', (now, state) => {
    expect(campaignState(at('2024-07-01', '2024-07-31'), new Date(now))).toBe(state);
  });

  it('stays open without a deadline (截止时间待定), an application programme through its own year only', () => {
    expect(campaignState(at('2024-01-01'), new Date('2030-01-01T00:00:00Z'))).toBe('open');
    expect(deadlineInstant(at('2024-01-01'))).toBeUndefined();
    const lucheng2024 = { ...at('2024-01-01'), year: 2024, kind: 'application' as const };
    expect(campaignState(lucheng2024, new Date('2024-12-31T15:59:59Z'))).toBe('open'); // 23:59:59 Beijing, 31 December
    expect(campaignState(lucheng2024, new Date('2024-12-31T16:00:00Z'))).toBe('closed');
    expect(campaignState(lucheng2024, new Date('2026-12-05T10:00:00Z'))).toBe('closed');
    // An evaluation without an end date is not cut at the year's end (its rounds run into the next).
    expect(campaignState({ ...lucheng2024, kind: 'evaluation' as const }, new Date('2026-12-05T10:00:00Z'))).toBe('open');
  });

  it('formats instants in Beijing time', () => {
    expect(formatBeijing(new Date('2024-07-31T15:59:59Z'))).toBe('2024年7月31日 23:59');
  });
});

describe('holiday overrides in campaigns/holidays/', () => {
  function dirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-holidays-'));
    mkdirSync(join(dir, 'holidays'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'holidays', name), text);
    return dir;
  }

  it('extends the calendar with a newly published year', () => {
    const dir = dirWith({ '2027.yaml': 'year: 2027\nsource: 测试用（非真实安排）\nholidays: [2027-01-01, 2027-10-01, 2027-10-04]\nworkdays: [2027-10-09]\n' });
    const { years, errors } = loadHolidayOverrides(dir);
    expect(errors).toEqual([]);
    const calendar = createWorkingDayCalendar(years);
    expect(calendar.coveredUntil()).toBe('2027-12-31');
    expect(calendar.isWorkingDay('2027-10-04')).toBe(false);
    expect(calendar.isWorkingDay('2027-10-09')).toBe(true);
    expect(createWorkingDayCalendar().publicNoticeEnd('2027-09-27', 5).ok).toBe(false);
    expect(calendar.publicNoticeEnd('2027-09-27', 5).ok).toBe(true);
  });

  it.each([
    ['a date outside its year', 'year: 2027\nsource: x\nholidays: [2028-01-01]\n', 'holidays.0', '2028-01-01 不在 2027 年'],
    ['no source', 'year: 2027\nholidays: [2027-01-01]\n', 'source', ''],
    ['a bad date', 'year: 2027\nsource: x\nholidays: [2027/01/01]\n', 'holidays.0', '日期格式应为 YYYY-MM-DD'],
  ])('reports %s', (_what, text, path, message) => {
    const { years, errors } = loadHolidayOverrides(dirWith({ '2027.yaml': text }));
    expect(years).toEqual([]);
    expect(errors[0]).toMatchObject({ file: 'holidays/2027.yaml', path });
    if (message) expect(errors[0]!.message).toBe(message);
  });

  it('is empty when there is no holidays folder', () => {
    expect(loadHolidayOverrides(mkdtempSync(join(tmpdir(), 'smsb-none-')))).toEqual({ years: [], errors: [] });
  });
});
