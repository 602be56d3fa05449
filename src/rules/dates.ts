// Calendar arithmetic on 'YYYY-MM-DD' strings. Everything goes through Date.UTC and UTC getters,
// so the result never depends on the process time zone.

export interface Ymd {
  year: number;
  month: number; // 1–12
  day: number;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 'YYYY-MM-DD' that names a real calendar day, or null. */
export function parseIsoDate(text: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** 'YYYY-MM' or 'YYYY-MM-DD'; day is null for the month form. */
export function parseYearMonth(text: string): { year: number; month: number; day: number | null } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    return { year: Number(m[1]), month, day: null };
  }
  const full = parseIsoDate(text);
  return full ? { ...full } : null;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatYmd({ year, month, day }: Ymd): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** '2025年02月' — the form used in user-facing sentences. */
export function formatChineseMonth(year: number, month: number): string {
  return `${year}年${pad2(month)}月`;
}

export function formatChineseDate({ year, month, day }: Ymd): string {
  return `${year}年${pad2(month)}月${pad2(day)}日`;
}

export function addDays(date: Ymd, n: number): Ymd {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Adds calendar months; the day is clamped to the target month (01-31 + 1 month → 02-28/29). */
export function addMonths(date: Ymd, n: number): Ymd {
  const index = date.year * 12 + (date.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: Ymd): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
