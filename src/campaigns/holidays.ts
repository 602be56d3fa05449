// Newly published holiday calendars (国务院办公厅 publishes next year's 放假安排 each autumn) go in
// campaigns/holidays/<year>.yaml, so public-notice dates stay right before the library catches up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { CalendarYear } from '../rules/working-days.js';
import type { CampaignError } from './loader.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const holidayFile = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    /** Where the dates come from, e.g. 国办发明电〔2026〕X号. */
    source: z.string().min(1, '请写明依据（如国务院办公厅通知文号）'),
    holidays: z.array(isoDate).min(1, '至少要有一个放假日'),
    /** 调休上班的周末. */
    workdays: z.array(isoDate).default([]),
  })
  .superRefine((f, ctx) => {
    for (const [key, list] of [
      ['holidays', f.holidays],
      ['workdays', f.workdays],
    ] as const) {
      list.forEach((d, i) => {
        if (!d.startsWith(`${f.year}-`)) ctx.addIssue({ code: 'custom', path: [key, i], message: `${d} 不在 ${f.year} 年` });
      });
    }
  });

export const HOLIDAYS_SUBDIR = 'holidays';

export function loadHolidayOverrides(campaignsDir: string): { years: CalendarYear[]; errors: CampaignError[] } {
  const dir = join(campaignsDir, HOLIDAYS_SUBDIR);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort();
  } catch {
    return { years: [], errors: [] };
  }
  const years: CalendarYear[] = [];
  const errors: CampaignError[] = [];
  for (const name of names) {
    const file = `${HOLIDAYS_SUBDIR}/${name}`;
    let raw: unknown;
    try {
      raw = parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      errors.push({ file, path: '（文件）', message: `YAML 格式错误：${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    const r = holidayFile.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ file, path: issue.path.join('.') || '（文件顶层）', message: issue.message });
      continue;
    }
    years.push({ year: r.data.year, holidays: r.data.holidays, workdays: r.data.workdays });
  }
  return { years, errors };
}
