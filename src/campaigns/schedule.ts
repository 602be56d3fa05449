// When a programme is open. Every time in a programme file is Beijing time; a deadline written as
// a date alone means the end of that day.
import type { Campaign } from './schema.js';

const BEIJING = '+08:00';

/** The instant submissions close, or undefined when the notice leaves it blank (截止时间待定). */
export function deadlineInstant(c: { schedule: Pick<Campaign['schedule'], 'opensAt' | 'deadline'> }): Date | undefined {
  const d = c.schedule.deadline;
  if (!d) return undefined;
  if (d.length === 10) return new Date(`${d}T23:59:59.999${BEIJING}`);
  return new Date(/([+-]\d{2}:\d{2}|Z)$/.test(d) ? d : `${d}${BEIJING}`);
}

export function opensInstant(c: { schedule: Pick<Campaign['schedule'], 'opensAt' | 'deadline'> }): Date {
  return new Date(`${c.schedule.opensAt}T00:00:00${BEIJING}`);
}

export type CampaignState = 'upcoming' | 'open' | 'closed';

export function campaignState(
  c: { schedule: Pick<Campaign['schedule'], 'opensAt' | 'deadline'>; year?: number; kind?: Campaign['kind'] },
  now: Date,
): CampaignState {
  if (now < opensInstant(c)) return 'upcoming';
  const deadline = deadlineInstant(c);
  if (deadline) return now > deadline ? 'closed' : 'open';
  // 截止时间待定: an application programme stays open through its own year, not for ever (a 2024
  // notice whose deadline was never set is not offered in 2026 next to the 2026 one). An
  // administrator who needs longer sets a deadline with 开放.
  if (c.kind === 'application' && c.year !== undefined && now.getTime() >= Date.UTC(c.year + 1, 0, 1) - 8 * 3600_000) return 'closed';
  return 'open';
}

/** "2024年7月31日 23:59" in Beijing time, for cards. */
export function formatBeijing(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${b.getUTCFullYear()}年${b.getUTCMonth() + 1}月${b.getUTCDate()}日 ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}`;
}

/**
 * A time picked on a card ("2024-07-16 09:00", optionally with seconds and an offset such as
 * "+0800"; Lark sends the picker's value in this shape). Without an offset it is Beijing time.
 */
export function parsePickedDateTime(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*(?:([+-])(\d{2}):?(\d{2})|Z)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m;
  const offset = sign ? `${sign}${oh}:${om}` : /Z$/.test(value.trim()) ? 'Z' : BEIJING;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${offset}`);
  // Date accepts 2024-02-30 by rolling over; a picked time never does.
  if (
    Number.isNaN(at.getTime()) ||
    Number(mo) > 12 ||
    Number(d) > new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate() ||
    Number(h) > 23 ||
    Number(mi) > 59
  )
    return undefined;
  return at;
}

const beijingClock = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
/** The Beijing calendar day of an instant, YYYY-MM-DD. */
export const beijingDay = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The instant the Beijing day of `d` began (00:00 +08:00). */
export const beijingDayStart = (d: Date): Date => new Date(`${beijingDay(d)}T00:00:00+08:00`);

/** Whether `now` (Beijing) falls in quiet hours; a range like 21:00–08:00 wraps past midnight. */
export function inQuietHours(now: Date, quiet: { from: string; to: string }): boolean {
  const t = beijingClock(now);
  return quiet.from <= quiet.to ? t >= quiet.from && t < quiet.to : t >= quiet.from || t < quiet.to;
}

/**
 * Which reminder is due at `now` for a deadline: N when today (Beijing) is N calendar days before
 * the deadline's day and N is configured, the deadline has not passed and it is not quiet hours.
 */
export function reminderDue(
  deadline: Date,
  reminders: { daysBefore: readonly number[]; quietHours: { from: string; to: string } },
  now: Date,
): number | undefined {
  if (now >= deadline || inQuietHours(now, reminders.quietHours)) return undefined;
  const days = Math.round((Date.parse(beijingDay(deadline)) - Date.parse(beijingDay(now))) / 86_400_000);
  return reminders.daysBefore.includes(days) ? days : undefined;
}
