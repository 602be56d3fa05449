// The export builders without the bot: each seed programme's 申报表 .docx carries every value of a
// complete application in the cell beside its label; the spreadsheet layouts and the grade rule;
// the export cards within Lark's limits.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes } from '../../cards/components.js';
import { ExportAction, exportDoneCard, exportFailedCard, exportMenuCard, exportPendingCard } from '../../cards/exports.js';
import type { Campaign } from '../../src/campaigns/schema.js';
import { gradeOf } from '../../src/evaluation/grading.js';
import { applicationFormDocx, formTitle } from '../../src/exports/application-form.js';
import { safeFileName } from '../../src/exports/exports.js';
import { columnValue, evaluationTables, type ListedApplication, sheetName, summaryListTables, workbook } from '../../src/exports/spreadsheets.js';
import { answerText } from '../../src/exports/values.js';
import { type Answers, visibleAttachmentSlots, visibleFields, visibleSections } from '../../src/forms/engine.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { buttonValues, lintCard } from '../helpers/card-lint.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { docxRows, docxText, xlsxSheets } from '../helpers/office.js';

const SEEDS = ['weihai-2024', 'gongshu-2020', 'lucheng-2024', 'zhenjiang-2023', 'wuhan-2024'];

const stored = (c: Campaign) => storedAnswers(c) as Answers;

describe('申报表 .docx of each seed programme', () => {
  it.each(SEEDS)('%s: every filled value sits beside its label, group rows under their headers', async (id) => {
    const c = shippedCampaign(id);
    const answers = stored(c);
    const data = await applicationFormDocx(c, {
      number: `${c.code}${c.year}-0001`,
      submittedText: '2024年7月15日 10:00',
      region: c.regions.items[0]!,
      answers,
      declarations: Object.fromEntries(c.form.declarations.map((d) => [d.id, true])),
      files: Object.fromEntries(c.form.attachments.map((s) => [s.id, [`${s.label}.pdf`]])),
    });
    const rows = await docxRows(data);
    let checked = 0;
    for (const s of visibleSections(c, answers)) {
      expect(
        rows.some((r) => r.length === 1 && r[0] === s.title),
        `section ${s.title}`,
      ).toBe(true);
      for (const f of visibleFields(s, answers)) {
        if (f.type === 'group') {
          const head = rows.findIndex((r) => r.length === f.fields.length && r.every((cell, i) => cell === f.fields[i]!.label));
          expect(head, f.label).toBeGreaterThanOrEqual(0);
          const entries = answers[f.id] as Record<string, never>[];
          for (const [i, row] of entries.entries()) expect(rows[head + 1 + i]).toEqual(f.fields.map((sub) => answerText(sub, row[sub.id])));
          checked += entries.length;
          continue;
        }
        const value = answerText(f, answers[f.id]);
        if (!value) continue;
        expect(
          rows.some((r) => r.some((cell, i) => cell === f.label && r[i + 1] === value)),
          `${f.label} = ${value}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    for (const slot of visibleAttachmentSlots(c, answers))
      expect(
        rows.some((r) => r[0] === slot.label && r[1] === `${slot.label}.pdf`),
        slot.label,
      ).toBe(true);
    const text = await docxText(data);
    expect(text.startsWith(formTitle(c))).toBe(true);
    for (const o of c.exports.applicationForm?.opinions ?? [])
      expect(
        rows.some((r) => r.length === 2 && r[0] === o.title && r[1]!.includes(o.sign) && r[1]!.includes('年　　月　　日')),
        o.title,
      ).toBe(true);
  });

  it('dates, months, years, yes/no, choices and units read the way a form is written', () => {
    const f = (type: string, extra: object = {}) => ({ id: 'x', label: 'x', type, required: true, ...extra }) as never;
    expect(answerText(f('date'), '2024-01-15')).toBe('2024年01月15日');
    expect(answerText(f('yearMonth'), '2000-07')).toBe('2000年07月');
    expect(answerText(f('year'), 2020)).toBe('2020年');
    expect(answerText(f('yesNo'), true)).toBe('是');
    expect(answerText(f('yesNo'), false)).toBe('否');
    expect(answerText(f('multiChoice'), ['钳工', '焊工'])).toBe('钳工、焊工');
    expect(answerText(f('decimal', { unit: '平方米' }), 120)).toBe('120平方米');
    expect(answerText(f('idNumber'), '371002197506151234')).toBe('371002197506151234'); // the bureau's own record: not masked
    expect(answerText(f('text'), undefined)).toBe('');
  });
});

describe('spreadsheets', () => {
  const wuhan = shippedCampaign('wuhan-2024');
  const app = (n: number, region: string | null, rank: number | null): ListedApplication => ({
    number: `WHS2024-000${n}`,
    region,
    rank,
    unitName: `单位${n}`,
    studioName: `工作室${n}`,
    stateText: '审核中',
    submittedText: '2024年6月1日 09:00',
    answers: {
      unitName: `单位${n}`,
      studioLocation: '江岸区某路1号',
      contactName: '王五',
      provincialAwards: [{ awardName: '省技术能手', awardYear: 2020 }] as never,
    },
  });

  it('columns: fields, built-ins and templates; a field named like a built-in wins', () => {
    expect(columnValue(wuhan, 'unitName', app(1, '江岸区', 1), 0)).toBe('单位1');
    expect(columnValue(wuhan, 'rank', app(1, '江岸区', null), 4)).toBe('5');
    expect(columnValue(wuhan, 'number', app(1, '江岸区', 1), 0)).toBe('WHS2024-0001');
    expect(columnValue(wuhan, '{studioLocation} {contactName}', app(1, '江岸区', 1), 0)).toBe('江岸区某路1号 王五');
  });

  it('the 一览表: a sheet per region in the programme’s order, rows by recommended rank', async () => {
    const regions = wuhan.regions.items;
    const tables = summaryListTables(wuhan, [app(1, regions[1]!, 2), app(2, regions[1]!, 1), app(3, regions[0]!, null)], '2024-07-01');
    expect(tables.map((t) => t.name)).toEqual([regions[0], regions[1]]);
    expect(tables[1]!.rows.map((r) => r[0])).toEqual(['1', '2']);
    expect(tables[1]!.rows.map((r) => r[1])).toEqual(['单位2', '单位1']);
    expect(tables[1]!.header).toEqual([`推荐单位（盖章）：${regions[1]}`, '填报日期：2024-07-01']);
    const sheets = await xlsxSheets(await workbook(tables));
    expect(sheets.get(regions[1]!)![3]![1]).toBe('单位2');
  });

  it('with nothing to list there is still a sheet with the headers', async () => {
    const sheets = await xlsxSheets(await workbook(summaryListTables(wuhan, [], '2024-07-01')));
    expect([...sheets.keys()]).toEqual(['（暂无）']);
    expect(sheets.get('（暂无）')![2]).toEqual(wuhan.exports.summaryList!.columns.map((c) => c.header));
  });

  it('sheet names drop what Excel refuses and stay unique', () => {
    const taken = new Set<string>();
    expect(sheetName('a/b:c?', taken)).toBe('abc');
    expect(sheetName('abc', taken)).toBe('abc(2)');
    expect(Array.from(sheetName('技'.repeat(40), taken)).length).toBeLessThanOrEqual(31);
  });

  it.each([
    [49.5, '不合格'],
    [50, '合格'],
    [84.9, '合格'],
    [85, '优秀'],
    [100, '优秀'],
  ])('Weihai evaluation: %s points → %s', (score, grade) => expect(gradeOf(shippedCampaign('weihai-2024-evaluation'), score)).toBe(grade));

  it('evaluation results read back with the grade and the thresholds under the table', async () => {
    const c = shippedCampaign('weihai-2024-evaluation');
    const tables = evaluationTables(c, [
      {
        number: 'WHP2024-0001',
        studioName: '甲工作室',
        unitName: '甲公司',
        region: '环翠区',
        experts: [
          { name: '赵', total: 88 },
          { name: '钱', total: 86 },
        ],
        score: 87,
        grade: gradeOf(c, 87) ?? null,
        stateText: '已评定',
      },
      {
        number: 'WHP2024-0002',
        studioName: '乙工作室',
        unitName: '乙公司',
        region: '文登区',
        experts: [{ name: '赵', total: 40 }],
        score: 40,
        grade: gradeOf(c, 40) ?? null,
        stateText: '已评定',
      },
    ]);
    const rows = (await xlsxSheets(await workbook(tables))).get('评估结果')!;
    expect(rows[3]).toEqual(['1', 'WHP2024-0001', '甲工作室', '甲公司', '环翠区', '88', '86', '87', '优秀', '已评定']);
    expect(rows[4]).toEqual(['2', 'WHP2024-0002', '乙工作室', '乙公司', '文登区', '40', '', '40', '不合格', '已评定']);
    expect(rows.some((r) => r[0]!.startsWith('优秀：85分及以上'))).toBe(true);
  });

  it('file names keep Chinese and lose what file systems refuse', () => {
    expect(safeFileName('WH2024-0001 威海/第1:机械*有限公司?.docx')).toBe('WH2024-0001 威海_第1_机械_有限公司_.docx');
  });
});

describe('export cards', () => {
  const long = (n: number) => '技'.repeat(n);
  const cards = [
    [
      'menu with 120 programmes and an error',
      exportMenuCard({
        campaigns: Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, title: long(80) })),
        selected: 'c5',
        error: long(400),
        scopeText: long(300),
        values: { what: 'forms', number: 'WH2024-0001' },
      }),
    ],
    ['menu with nothing in scope', exportMenuCard({ campaigns: [], scopeText: 'x' })],
    ['pending', exportPendingCard({ campaign: long(100), what: 'forms', number: 'WH2024-0001', since: '2024年7月20日 10:00' })],
    ['done', exportDoneCard({ campaign: long(100), fileName: long(200), detail: long(300), campaignId: 'c' })],
    ['failed', exportFailedCard({ campaign: long(100), reason: long(500), campaignId: 'c' })],
  ] as const;
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB, its buttons understood', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
    for (const v of buttonValues(c)) expect(ExportAction.safeParse(v).success, JSON.stringify(v)).toBe(true);
  });
});
