// When a programme is open. Every time in a programme file is Beijing time; a deadline written as
// a date alone means the end of that day.
import type { Campaign } from './schema.js';

const BEIJING = '+08:00';

/** The instant submissions close, or undefined when the notice leaves it blank (截止时间待定). */
export function deadlineInstant(c: Pick<Campaign, 'schedule'>): Date | undefined {
  const d = c.schedule.deadline;
  if (!d) return undefined;
  if (d.length === 10) return new Date(`${d}T23:59:59.999${BEIJING}`);
  return new Date(/([+-]\d{2}:\d{2}|Z)$/.test(d) ? d : `${d}${BEIJING}`);
}

export function opensInstant(c: Pick<Campaign, 'schedule'>): Date {
  return new Date(`${c.schedule.opensAt}T00:00:00${BEIJING}`);
}

export type ProgrammeState = 'upcoming' | 'open' | 'closed';

export function programmeState(c: Pick<Campaign, 'schedule'>, now: Date): ProgrammeState {
  if (now < opensInstant(c)) return 'upcoming';
  const deadline = deadlineInstant(c);
  return deadline && now > deadline ? 'closed' : 'open';
}

/** "2024年7月31日 23:59" in Beijing time, for cards. */
export function formatBeijing(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${b.getUTCFullYear()}年${b.getUTCMonth() + 1}月${b.getUTCDate()}日 ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}`;
}
