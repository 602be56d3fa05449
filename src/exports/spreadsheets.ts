// The .xlsx exports: the recommending unit's 一览表 (the programme's own columns, Wuhan's where it
// prints one), expert scores and rankings, and evaluation results. Each sheet is laid out like a
// printed table: title across the columns, header lines, bordered cells that wrap, footer lines.
import { PassThrough, type Writable } from 'node:stream';
import type { Campaign, Field, Rubric } from '../campaigns/schema.js';
import type { Answers } from '../forms/engine.js';
import { fieldText } from './values.js';

export interface SheetTable {
  name: string;
  title: string;
  /** Lines above the table (推荐单位（盖章）：…  填报日期：…). */
  header?: string[];
  columns: { header: string; width?: number }[];
  rows: (string | number | null)[][];
  /** Lines under it (填报人：…, notes). */
  footer?: string[];
}

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BOX = { top: thin, bottom: thin, left: thin, right: thin };
const FONT = { name: '宋体', size: 11 };

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique within the book. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = Array.from(wanted.replace(/[:\\/?*[\]]/g, '') || '表')
    .slice(0, 28)
    .join('');
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}(${i})`;
  taken.add(name);
  return name;
}

/**
 * Writes the tables as an .xlsx to a file, or to a stream, row by row with ExcelJS's streaming
 * writer: a 20,000-row 一览表 is never a whole workbook of cell objects in memory.
 */
export async function writeWorkbook(tables: SheetTable[], target: string | Writable): Promise<void> {
  // Loaded when first needed: the spreadsheet library is large and most processes never export.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    ...(typeof target === 'string' ? { filename: target } : { stream: target }),
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = '技能大师工作室助手';
  const taken = new Set<string>();
  for (const t of tables) {
    const n = t.columns.length;
    const headRow = t.header?.length ? 3 : 2;
    const ws = wb.addWorksheet(sheetName(t.name, taken), {
      pageSetup: { paperSize: 9, orientation: n > 6 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
      views: [{ state: 'frozen', ySplit: headRow }],
    });
    ws.columns = t.columns.map((c) => ({ width: c.width ?? Math.max(8, Math.min(40, Array.from(c.header).length * 2 + 4)) }));
    const title = ws.addRow([t.title]);
    ws.mergeCells(title.number, 1, title.number, n);
    title.font = { ...FONT, size: 16, bold: true };
    title.alignment = { horizontal: 'center', vertical: 'middle' };
    title.height = 30;
    title.commit();
    if (t.header?.length) {
      const row = ws.addRow(t.header);
      row.font = FONT;
      row.commit();
    }
    const head = ws.addRow(t.columns.map((c) => c.header));
    head.eachCell((cell) => {
      cell.font = { ...FONT, bold: true };
      cell.border = BOX;
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
    });
    head.commit();
    for (const r of t.rows) {
      const row = ws.addRow(r.map((v) => v ?? ''));
      // Every data cell shares one style object (one per kind of value, as ExcelJS gives numbers
      // their number format): ExcelJS recognises an object it has seen and skips turning the
      // style into XML again, which was most of the time a 20,000-row 一览表 took.
      for (let i = 1; i <= n; i++) {
        const cell = row.getCell(i);
        cell.style = typeof r[i - 1] === 'number' ? DATA_STYLE.number : DATA_STYLE.other;
      }
      row.commit();
    }
    for (const line of t.footer ?? []) {
      const row = ws.addRow([line]);
      ws.mergeCells(row.number, 1, row.number, n);
      row.font = FONT;
      row.getCell(1).alignment = { wrapText: true };
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
}

const DATA_ALIGNMENT = { vertical: 'middle' as const, wrapText: true };
const DATA_STYLE = {
  number: { font: FONT, border: BOX, alignment: DATA_ALIGNMENT },
  other: { font: FONT, border: BOX, alignment: DATA_ALIGNMENT },
};

/** The tables as an .xlsx in memory (small workbooks; exports write theirs to a file). */
export async function workbook(tables: SheetTable[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  await writeWorkbook(tables, sink);
  await ended;
  return Buffer.concat(chunks);
}

/** The form fields the 一览表's columns print (a column names a field, or several in a template). */
export function summaryFieldIds(c: Campaign): Set<string> {
  const ids = new Set<string>();
  for (const col of c.exports.summaryList?.columns ?? []) {
    if (!col.value.includes('{')) ids.add(col.value);
    for (const m of col.value.matchAll(/\{([^}]+)\}/g)) ids.add(m[1]!);
  }
  return ids;
}

// ---- 一览表 ----

export interface ListedApplication {
  number: string;
  region: string | null;
  rank: number | null;
  unitName: string;
  studioName: string;
  stateText: string;
  submittedText: string;
  answers: Answers;
}

const DEFAULT_COLUMNS = [
  { header: '序号', value: 'rank' },
  { header: '申报编号', value: 'number' },
  { header: '申报单位', value: 'unitName' },
  { header: '工作室名称', value: 'studioName' },
  { header: '地区', value: 'region' },
  { header: '提交时间', value: 'submittedAt' },
  { header: '当前状态', value: 'state' },
];

/** The programme's form fields by id (a 20,000-row 一览表 looks one up per cell). */
const fieldsById = new WeakMap<Campaign, Map<string, Field>>();
function formField(c: Campaign, id: string): Field | undefined {
  let byId = fieldsById.get(c);
  if (!byId) {
    byId = new Map();
    // The first field of an id wins, as a search through the sections would find it.
    for (const f of c.form.sections.flatMap((s) => s.fields)) if (!byId.has(f.id)) byId.set(f.id, f);
    fieldsById.set(c, byId);
  }
  return byId.get(id);
}

function builtinValue(id: string, app: ListedApplication, index: number): string {
  switch (id) {
    case 'rank':
      return String(app.rank ?? index + 1);
    case 'number':
      return app.number;
    case 'unitName':
      return app.unitName;
    case 'studioName':
      return app.studioName;
    case 'region':
      return app.region ?? '';
    case 'submittedAt':
      return app.submittedText;
    case 'state':
      return app.stateText;
    default:
      return '';
  }
}

/** A column's value: a field id, a built-in (rank, number, unitName…), or a template "{a} {b}". */
export function columnValue(c: Campaign, value: string, app: ListedApplication, index: number): string {
  // The programme's own fields first: Wuhan's `unitName` is its 单位 field.
  const field = (id: string) => {
    const f = formField(c, id);
    return f ? fieldText(f, app.answers) : builtinValue(id, app, index);
  };
  if (!value.includes('{')) return field(value);
  return value
    .replace(/\{([^}]+)\}/g, (_, id: string) => field(id))
    .replace(/\s+\n/g, '\n')
    .trim();
}

/** One sheet per recommending region (the 一览表 is each region's), ranked as recommended. */
export function summaryListTables(c: Campaign, apps: ListedApplication[], today: string): SheetTable[] {
  const layout = c.exports.summaryList;
  const columns = layout?.columns ?? DEFAULT_COLUMNS.map((x) => (x.value === 'region' ? { ...x, header: c.regions.label } : x));
  const regions = [...new Set(apps.map((a) => a.region ?? '未填地区'))].sort((a, b) => c.regions.items.indexOf(a) - c.regions.items.indexOf(b));
  if (!regions.length) regions.push('（暂无）');
  return regions.map((region) => {
    const mine = apps
      .filter((a) => (a.region ?? '未填地区') === region)
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.number.localeCompare(b.number));
    // The first header line names the recommending unit, a 日期 line gets today's date.
    const header = (layout?.header ?? [`${c.regions.label}：`, '填报日期：']).map((h, i) => (i === 0 ? `${h}${region}` : /日期/.test(h) ? `${h}${today}` : h));
    return {
      name: region,
      title: layout?.title ?? `${c.title}申报情况一览表`,
      header,
      columns: columns.map((col) => ({ header: col.header, width: /成绩|荣誉|情况|成员|地址/.test(col.header) ? 36 : undefined })),
      rows: mine.map((a, i) => columns.map((col) => columnValue(c, col.value, a, i))),
      footer: [...(layout?.footer ?? []), ...(layout?.notes ?? [])],
    };
  });
}

// ---- expert scores and rankings ----

export interface ScoredApplication {
  number: string;
  unitName: string;
  studioName: string;
  region: string | null;
  /** The aggregated score (null until every expert has scored). */
  score: number | null;
  experts: { name: string; total: number | null; scores: Record<string, number>; at: string }[];
}

export function scoreTables(c: Campaign, stageTitle: string, rubric: Rubric, apps: ScoredApplication[]): SheetTable[] {
  const ranked = [...apps].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.number.localeCompare(b.number));
  const most = Math.max(0, ...apps.map((a) => a.experts.length));
  const ranking: SheetTable = {
    name: '排名',
    title: `${c.title} ${stageTitle} 得分排名`,
    columns: [
      { header: '名次', width: 6 },
      { header: '申报编号', width: 14 },
      { header: '申报单位', width: 28 },
      { header: '工作室名称', width: 32 },
      { header: c.regions.label, width: 12 },
      ...Array.from({ length: most }, (_, i) => ({ header: `专家${i + 1}`, width: 10 })),
      { header: '得分', width: 8 },
    ],
    rows: ranked.map((a, i) => [
      a.score === null ? '' : i + 1,
      a.number,
      a.unitName,
      a.studioName,
      a.region ?? '',
      ...Array.from({ length: most }, (_, k) => a.experts[k]?.total ?? ''),
      a.score ?? '未评完',
    ]),
  };
  const detail: SheetTable = {
    name: '评分明细',
    title: `${c.title} ${stageTitle} 专家评分明细（${rubric.title}）`,
    columns: [
      { header: '申报编号', width: 14 },
      { header: '工作室名称', width: 30 },
      { header: '专家', width: 12 },
      ...rubric.items.map((it) => ({ header: `${it.content}（${it.max}分）`, width: 14 })),
      { header: '合计', width: 8 },
      { header: '评分时间', width: 20 },
    ],
    rows: ranked.flatMap((a) =>
      a.experts.map((e) => [a.number, a.studioName, e.name, ...rubric.items.map((it) => e.scores[it.id] ?? ''), e.total ?? '', e.at]),
    ),
  };
  return [ranking, detail];
}

// ---- evaluation results ----

/** 优秀：85分及以上 … 不合格：低于50分, with the consequence of each grade. */
function gradeLines(c: Campaign): string[] {
  const grades = [...(c.evaluation?.grades ?? [])].sort((a, b) => (b.min ?? -1) - (a.min ?? -1));
  return grades.map((g, i) => {
    const higher = grades[i - 1]?.min;
    const range = g.min === undefined ? '' : g.min > 0 || higher === undefined ? `：${g.min}分及以上` : `：低于${higher}分`;
    return `${g.grade}${range}${g.consequence ? `（${g.consequence}）` : ''}`;
  });
}

export interface EvaluatedStudio {
  number: string;
  studioName: string;
  unitName: string;
  region: string | null;
  experts: { name: string; total: number | null; scores?: Record<string, number> }[];
  score: number | null;
  grade: string | null;
  stateText: string;
}

export function evaluationTables(c: Campaign, studios: EvaluatedStudio[]): SheetTable[] {
  const rubric = c.rubrics.find((r) => r.id === c.evaluation?.rubric);
  const sortedForDetail = [...studios].sort((a, b) => a.number.localeCompare(b.number));
  // Every studio's item scores per expert, veto items each expert confirmed included.
  const detail: SheetTable[] = rubric
    ? [
        {
          name: '评分明细',
          title: `${c.title} 专家逐项评分（${rubric.title}）`,
          columns: [
            { header: '编号', width: 14 },
            { header: '工作室名称', width: 30 },
            { header: '专家', width: 12 },
            ...rubric.items.map((it) => ({ header: `${it.content}（${it.max}分${it.bonus ? '，加分' : ''}）`, width: 14 })),
            ...(rubric.veto.length ? [{ header: '确认的一票否决项', width: 30 }] : []),
            { header: '合计', width: 8 },
          ],
          rows: sortedForDetail.flatMap((st) =>
            st.experts.map((e) => [
              st.number,
              st.studioName,
              e.name,
              ...rubric.items.map((it) => e.scores?.[it.id] ?? ''),
              ...(rubric.veto.length
                ? [
                    rubric.veto
                      .filter((v) => e.scores?.[`veto:${v.id}`] === 1)
                      .map((v) => v.text)
                      .join('；'),
                  ]
                : []),
              e.total ?? '',
            ]),
          ),
        },
      ]
    : [];
  return [...resultTables(c, studios), ...detail];
}

function resultTables(c: Campaign, studios: EvaluatedStudio[]): SheetTable[] {
  const most = Math.max(0, ...studios.map((s) => s.experts.length));
  const sorted = [...studios].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.number.localeCompare(b.number));
  return [
    {
      name: '评估结果',
      title: `${c.title}结果`,
      header: c.evaluation ? [`评估期间：${c.evaluation.period.from} 至 ${c.evaluation.period.to}`] : [],
      columns: [
        { header: '序号', width: 6 },
        { header: '编号', width: 14 },
        { header: '工作室名称', width: 32 },
        { header: '所在单位', width: 28 },
        { header: c.regions.label, width: 12 },
        ...Array.from({ length: most }, (_, i) => ({ header: `专家${i + 1}`, width: 10 })),
        { header: '得分', width: 8 },
        { header: '等次', width: 8 },
        { header: '状态', width: 12 },
      ],
      rows: sorted.map((s, i) => [
        i + 1,
        s.number,
        s.studioName,
        s.unitName,
        s.region ?? '',
        ...Array.from({ length: most }, (_, k) => s.experts[k]?.total ?? ''),
        s.score ?? '',
        s.grade ?? '',
        s.stateText,
      ]),
      footer: gradeLines(c),
    },
  ];
}
