import { describe, expect, it } from 'vitest';
import { inQuietHours, reminderDue } from '../../src/campaigns/schedule.js';

const cfg = { daysBefore: [7, 3, 1], quietHours: { from: '21:00', to: '08:00' } };
const deadline = new Date('2024-07-31T23:59:59.999+08:00');
const at = (s: string) => new Date(`${s}+08:00`);

describe('reminderDue', () => {
  it.each([
    ['2024-07-24T07:59:00', undefined], // quiet hours
    ['2024-07-24T08:00:00', 7],
    ['2024-07-24T20:59:00', 7],
    ['2024-07-24T21:00:00', undefined],
    ['2024-07-25T10:00:00', undefined], // 6 days: not configured
    ['2024-07-28T08:30:00', 3],
    ['2024-07-30T12:00:00', 1],
    ['2024-07-31T12:00:00', undefined], // the day itself: 0 not configured
    ['2024-08-01T10:00:00', undefined], // passed
    ['2024-07-23T23:30:00', undefined], // 16:30 UTC is already the 24th in UTC+8 but quiet
  ])('at %s → %s', (now, due) => expect(reminderDue(deadline, cfg, at(now))).toBe(due));

  it('counts Beijing days, not UTC days', () => {
    // 2024-07-24 00:30 UTC is 08:30 Beijing: seven Beijing days before the 31st.
    expect(reminderDue(deadline, cfg, new Date('2024-07-24T00:30:00Z'))).toBe(7);
  });
});

describe('inQuietHours', () => {
  it.each([
    ['21:00', '08:00', '2024-07-24T22:00:00', true],
    ['21:00', '08:00', '2024-07-24T03:00:00', true],
    ['21:00', '08:00', '2024-07-24T12:00:00', false],
    ['12:00', '14:00', '2024-07-24T13:00:00', true],
    ['12:00', '14:00', '2024-07-24T14:00:00', false],
    ['00:00', '00:00', '2024-07-24T14:00:00', false],
  ])('%s–%s at %s → %s', (from, to, now, quiet) => expect(inQuietHours(at(now), { from, to })).toBe(quiet));
});
