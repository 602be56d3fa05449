// The studio registry: studios designated through the bot are registered at publication; those
// designated before it existed come from a spreadsheet an administrator sends (.xlsx or .csv), each
// row checked on its own so the good rows are imported and every bad one is reported with its
// row number and reason.
import { randomUUID } from 'node:crypto';
import { campaignFamily } from '../campaigns/family.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Tx } from '../db/database.js';
import { checkEmail, checkMobile } from '../rules/contact.js';
import { newClaimCode } from './contacts.js';

export { campaignFamily };

/** The columns of the studio list; aliases are what bureaus' own sheets tend to call them. */
export const STUDIO_COLUMNS = {
  name: ['工作室名称', '工作室'],
  unitName: ['所在单位', '单位', '依托单位', '申报单位'],
  leaderName: ['领办人', '领衔人', '技能大师', '领办人姓名', '领衔人姓名'],
  occupation: ['职业（工种）', '职业(工种)', '职业', '工种'],
  year: ['命名年度', '认定年度', '入选年份', '命名年份'],
  programme: ['项目', '所属项目'],
  region: ['地区', '所属区市', '所属辖市区', '区县'],
  contactName: ['联系人', '联系人姓名'],
  contactPhone: ['联系人手机', '联系人手机号', '联系人电话', '联系电话', '手机号', '手机号码', '手机'],
  contactEmail: ['联系人邮箱', '联系人电子邮箱', '电子邮箱', '邮箱'],
  // Lists made for an earlier version of the bot named the contact by open_id; still read, never asked for.
  contactId: ['联系人open_id', '联系人 open_id', 'open_id'],
} as const;
type Column = keyof typeof STUDIO_COLUMNS;
const REQUIRED: Column[] = ['name', 'unitName', 'leaderName', 'occupation', 'year', 'programme'];

export interface ImportedStudio {
  row: number;
  name: string;
  unitName: string;
  leaderName: string;
  occupation: string;
  year: number;
  programme: string;
  region: string | null;
  contactId: string | null;
  contactName: string | null;
  /** Bare 11-digit mobile, for Lark's directory (kept until the contact is found). */
  contactPhone: string | null;
  contactEmail: string | null;
}

export interface RowProblem {
  row: number;
  reason: string;
}

const norm = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();

/** Where each column is, from the header row; null when this is not a studio list. */
export function studioHeader(header: string[]): Partial<Record<Column, number>> | null {
  const at: Partial<Record<Column, number>> = {};
  for (const [col, names] of Object.entries(STUDIO_COLUMNS) as [Column, readonly string[]][]) {
    const i = header.findIndex((h) => names.some((n) => norm(n) === norm(h)));
    if (i >= 0) at[col] = i;
  }
  return at.name !== undefined && at.leaderName !== undefined && at.year !== undefined ? at : null;
}

/**
 * Checks every row (row numbers as the spreadsheet shows them, header = 1). `programmes` maps what a
 * sheet may write in 项目 (family id, city, programme title) to the family.
 */
export function parseStudioRows(
  rows: string[][],
  ctx: { campaigns: (text: string) => string | undefined; regionsOf: (family: string) => string[]; thisYear: number },
): { studios: ImportedStudio[]; problems: RowProblem[] } {
  const header = studioHeader(rows[0] ?? []);
  if (!header) return { studios: [], problems: [{ row: 1, reason: '第1行应为表头，至少包含「工作室名称」「领办人」「命名年度」三列' }] };
  const missing = REQUIRED.filter((c) => header[c] === undefined);
  if (missing.length) return { studios: [], problems: [{ row: 1, reason: `表头缺少：${missing.map((c) => `「${STUDIO_COLUMNS[c][0]}」`).join('、')}` }] };
  const studios: ImportedStudio[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const get = (c: Column) => (header[c] === undefined ? '' : String(cells[header[c]!] ?? '').trim());
    if (cells.every((x) => String(x ?? '').trim() === '')) return; // blank lines between blocks
    const reasons: string[] = [];
    for (const c of REQUIRED) if (!get(c)) reasons.push(`「${STUDIO_COLUMNS[c][0]}」未填写`);
    const yearText = get('year').replace(/年$/, '');
    const year = Number(yearText);
    if (get('year') && !(/^\d{4}$/.test(yearText) && year >= 2000 && year <= ctx.thisYear))
      reasons.push(`「命名年度」应为2000到${ctx.thisYear}之间的四位年份（填写的是“${get('year')}”）`);
    const family = get('programme') ? ctx.campaigns(get('programme')) : undefined;
    if (get('programme') && !family) reasons.push(`「项目」“${get('programme')}”不是已有的项目（可写项目代号如 weihai，或城市名如 威海）`);
    const region = get('region') || null;
    if (region && family && !ctx.regionsOf(family).includes(region)) reasons.push(`「地区」“${region}”不在该项目的地区中`);
    const contactId = /^ou_[\w-]+$/.test(get('contactId')) ? get('contactId') : null;
    const phone = get('contactPhone') ? checkMobile(get('contactPhone')) : undefined;
    if (phone && !phone.ok) reasons.push(`「联系人手机」${phone.message}`);
    const email = get('contactEmail') ? checkEmail(get('contactEmail')) : undefined;
    if (email && !email.ok) reasons.push(`「联系人邮箱」${email.message}`);
    const key = `${get('name')}\u0000${get('unitName')}`;
    if (get('name') && seen.has(key)) reasons.push(`与第${seen.get(key)}行重复（同一单位的同名工作室）`);
    if (reasons.length) {
      problems.push({ row, reason: reasons.join('；') });
      return;
    }
    seen.set(key, row);
    studios.push({
      row,
      name: get('name'),
      unitName: get('unitName'),
      leaderName: get('leaderName'),
      occupation: get('occupation'),
      year,
      programme: family!,
      region,
      contactId,
      contactName: get('contactName') || null,
      contactPhone: phone?.ok ? phone.value : null,
      contactEmail: email?.ok ? email.value : null,
    });
  });
  return { studios, problems };
}

/** Cell texts of the first sheet of an .xlsx, or of a .csv (UTF-8, or GB18030 as Excel in China saves it). */
/** A province's studios are some ten thousand: a list longer than this is sent in parts. */
export const MAX_STUDIO_ROWS = 20_000;
/** What an .xlsx may unpack to (its XML), and its shared strings (held in memory while reading). */
export const MAX_XLSX_UNPACKED_BYTES = 48 * 1024 * 1024;
export const MAX_XLSX_SHARED_STRINGS_BYTES = 8 * 1024 * 1024;

/** A spreadsheet too large to read: the sentence says what to do. */
export class SpreadsheetTooLarge extends Error {
  override name = 'SpreadsheetTooLarge';
}

/**
 * The rows of a .csv or the first sheet of an .xlsx as text, at most `maxRows` of them (more is
 * SpreadsheetTooLarge). An .xlsx is checked by its zip directory first (what it unpacks to) and
 * then read as a stream that stops at the limit: a small file that unpacks to millions of rows
 * never fills the memory.
 */
/** The first row only (a studio list is told by its header). */
export async function spreadsheetHeader(name: string, bytes: Buffer): Promise<string[]> {
  return (await spreadsheetRows(name, bytes, 1, 'stop'))[0] ?? [];
}

export async function spreadsheetRows(name: string, bytes: Buffer, maxRows = MAX_STUDIO_ROWS + 1, beyond: 'refuse' | 'stop' = 'refuse'): Promise<string[][]> {
  const tooMany = () => new SpreadsheetTooLarge(`表格超过 ${MAX_STUDIO_ROWS} 行（不含表头），请分成几个文件分批发送`);
  if (/\.csv$/i.test(name)) {
    let text = new TextDecoder('utf-8').decode(bytes);
    if (text.includes('\uFFFD')) text = new TextDecoder('gb18030').decode(bytes);
    const rows = parseCsv(text.replace(/^\uFEFF/, ''), maxRows + 1);
    if (rows.length > maxRows) {
      if (beyond === 'stop') return rows.slice(0, maxRows);
      throw tooMany();
    }
    return rows;
  }
  const [{ default: ExcelJS }, { default: JSZip }, { Readable }] = await Promise.all([import('exceljs'), import('jszip'), import('node:stream')]);
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  const unpacked = (entry: unknown) => (entry as { _data?: { uncompressedSize?: number } } | null)?._data?.uncompressedSize ?? 0;
  const total = Object.values(zip.files).reduce((sum, f) => sum + unpacked(f), 0);
  const sharedStrings = unpacked(zip.file('xl/sharedStrings.xml'));
  // Reading just the header streams past nothing but the first row; the shared strings are read whole either way.
  if ((beyond === 'refuse' && total > MAX_XLSX_UNPACKED_BYTES) || sharedStrings > MAX_XLSX_SHARED_STRINGS_BYTES)
    throw new SpreadsheetTooLarge('表格内容太多（解压后超过限制），请分成几个文件分批发送，或另存为 CSV 后发送');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const rows: string[][] = [];
  const text = (v: unknown): string =>
    v === null || v === undefined
      ? ''
      : typeof v === 'object' && 'richText' in v
        ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('')
        : typeof v === 'object' && 'text' in v
          ? String((v as { text: unknown }).text)
          : typeof v === 'object' && 'result' in v
            ? String((v as { result: unknown }).result)
            : v instanceof Date
              ? v.toISOString().slice(0, 10)
              : String(v);
  for await (const sheet of reader) {
    for await (const row of sheet) {
      // Rows come with their number: blank rows in between are kept as blank rows.
      while (rows.length < row.number - 1) rows.push([]);
      const values = row.values as unknown[];
      rows.push(values.slice(1).map(text));
      if (rows.length >= maxRows && beyond === 'stop') return rows.slice(0, maxRows);
      if (rows.length > maxRows) throw tooMany();
    }
    break; // the first sheet only
  }
  return rows;
}

/** RFC 4180: quoted fields with commas, doubled quotes and line breaks. */
export function parseCsv(text: string, maxRows = Infinity): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      if (rows.length >= maxRows) return rows;
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** What 项目 may say for each family: its id, the issuing city or district, a programme title. */
export function campaignMatcher(campaigns: Campaign[]): (text: string) => string | undefined {
  const families = new Map<string, string[]>();
  for (const c of campaigns) {
    const family = campaignFamily(c.id);
    const names = families.get(family) ?? [family];
    const city = /^(.+?[市区县])/.exec(c.issuer.name)?.[1];
    names.push(c.title, c.issuer.name, ...(city ? [city, city.replace(/[市区县]$/, '')] : []));
    families.set(family, names);
  }
  return (text) => {
    const t = norm(text);
    for (const [family, names] of families) if (names.some((n) => norm(n) === t || (t.length >= 2 && norm(n).includes(t)))) return family;
    return undefined;
  };
}

/** Imports the good rows; a studio already registered (same name and unit) is reported, not doubled. */
export async function importStudios(
  tx: Tx,
  studios: ImportedStudio[],
  by: string,
): Promise<{ imported: number; problems: RowProblem[]; toClaim: { name: string; code: string; lookingUp: boolean }[] }> {
  const problems: RowProblem[] = [];
  const toClaim: { name: string; code: string; lookingUp: boolean }[] = [];
  let imported = 0;
  for (const s of studios) {
    const exists = await tx.studio.findFirst({ where: { name: s.name, unitName: s.unitName } });
    if (exists) {
      problems.push({ row: s.row, reason: `「${s.name}」已登记过` });
      continue;
    }
    // Without a known contact: found by mobile or e-mail in the background, and until then (or if
    // the directory does not know them) the contact claims the studio with a code.
    const claimCode = s.contactId ? null : await newClaimCode(tx);
    await tx.studio.create({
      data: {
        id: randomUUID(),
        campaignId: `${s.programme}-imported`,
        name: s.name,
        unitName: s.unitName,
        year: s.year,
        programme: s.programme,
        region: s.region,
        leaderName: s.leaderName,
        occupation: s.occupation,
        contactId: s.contactId,
        contactName: s.contactName,
        contactPhone: s.contactId ? null : s.contactPhone,
        contactEmail: s.contactId ? null : s.contactEmail,
        claimCode,
        source: 'imported',
      },
    });
    if (claimCode) toClaim.push({ name: s.name, code: claimCode, lookingUp: Boolean(s.contactPhone || s.contactEmail) });
    imported++;
  }
  if (imported) await tx.auditLog.create({ data: { actor: by, action: 'studios.imported', subject: 'studios', detail: String(imported) } });
  return { imported, problems, toClaim };
}
