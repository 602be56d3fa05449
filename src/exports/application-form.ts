// An application's 申报表 as .docx, laid out like the programme's official form: the form's title,
// one bordered table per section (label | value, two pairs to a row; long texts across the row;
// repeating groups with their own column headers), the attachments, the applicant's promises and
// the opinion boxes with 盖章 and 年 月 日 left blank for the bureaus. Chinese runs use 宋体 (title
// 黑体) through the East-Asian font slot, so Word and WPS print them with the right font.
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import type { Campaign, Field, ScalarField } from '../campaigns/schema.js';
import { type Answers, visibleAttachmentSlots, visibleDeclarations, visibleFields, visibleSections } from '../forms/engine.js';
import { answerText, formTitle, groupRows } from './values.js';

export interface FormDocumentInput {
  number: string;
  submittedText: string;
  region: string | null;
  answers: Answers;
  declarations: Record<string, boolean>;
  /** Attachment slot id → file names. */
  files: Record<string, string[]>;
  /** Opinion box title → what the reviewers of its stage wrote (printed above 盖章). */
  opinions?: Record<string, string>;
}

/** A4 with 2 cm margins: 9,638 twips of text width. */
const PAGE_WIDTH = 9638;
const LABEL = 1900;
const VALUE = (PAGE_WIDTH - 2 * LABEL) / 2;
const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman', eastAsia: '宋体' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman', eastAsia: '黑体' };
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const CELL_MARGINS = { top: 60, bottom: 60, left: 100, right: 100 };
const BORDERS = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };

/** Texts longer than this take a whole row (value across three columns). */
const LONG = 24;

function lines(text: string, opts: { bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph[] {
  return text
    .split('\n')
    .map(
      (line) =>
        new Paragraph({ ...(opts.align ? { alignment: opts.align } : {}), children: [new TextRun({ text: line, ...(opts.bold ? { bold: true } : {}) })] }),
    );
}

function cell(text: string, width: number, opts: { span?: number; label?: boolean; heading?: boolean } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    ...(opts.span ? { columnSpan: opts.span } : {}),
    verticalAlign: VerticalAlign.CENTER,
    ...(opts.heading ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E7E6E6' } } : {}),
    children: lines(text, { ...(opts.label || opts.heading ? { bold: opts.heading ?? false, align: AlignmentType.CENTER } : {}) }),
  });
}

const table = (rows: TableRow[], widths: number[]) =>
  new Table({ rows, width: { size: PAGE_WIDTH, type: WidthType.DXA }, columnWidths: widths, borders: BORDERS, margins: CELL_MARGINS });

function sectionTables(title: string, fields: Field[], answers: Answers): Table[] {
  const out: Table[] = [];
  let rows: TableRow[] = [new TableRow({ children: [cell(title, PAGE_WIDTH, { span: 4, heading: true })] })];
  let pending: { label: string; value: string } | undefined;
  const flushPair = () => {
    if (!pending) return;
    rows.push(new TableRow({ children: [cell(pending.label, LABEL, { label: true }), cell(pending.value, VALUE * 2 + LABEL, { span: 3 })] }));
    pending = undefined;
  };
  const flushTable = () => {
    flushPair();
    if (rows.length) out.push(table(rows, [LABEL, VALUE, LABEL, VALUE]));
    rows = [];
  };
  for (const f of fields) {
    if (f.type === 'group') {
      flushTable();
      out.push(groupTable(f.label, f.fields, groupRows(answers, f.id)));
      continue;
    }
    const value = answerText(f, answers[f.id]);
    if (f.type === 'textarea' || Array.from(value).length > LONG) {
      flushPair();
      rows.push(new TableRow({ children: [cell(f.label, LABEL, { label: true }), cell(value, VALUE * 2 + LABEL, { span: 3 })] }));
    } else if (pending) {
      rows.push(
        new TableRow({
          children: [cell(pending.label, LABEL, { label: true }), cell(pending.value, VALUE), cell(f.label, LABEL, { label: true }), cell(value, VALUE)],
        }),
      );
      pending = undefined;
    } else {
      pending = { label: f.label, value };
    }
  }
  flushTable();
  return out;
}

function groupTable(title: string, fields: ScalarField[], entries: Record<string, unknown>[]): Table {
  const width = Math.floor(PAGE_WIDTH / fields.length);
  const rows = [
    new TableRow({ children: [cell(title, PAGE_WIDTH, { span: fields.length, heading: true })] }),
    new TableRow({ tableHeader: true, children: fields.map((f) => cell(f.label, width, { label: true })) }),
    ...entries.map((row) => new TableRow({ children: fields.map((f) => cell(answerText(f, row[f.id] as never), width)) })),
  ];
  if (!entries.length) rows.push(new TableRow({ children: [cell('（无）', PAGE_WIDTH, { span: fields.length })] }));
  return table(
    rows,
    fields.map(() => width),
  );
}

export { formTitle };

export async function applicationFormDocx(c: Campaign, input: FormDocumentInput): Promise<Buffer> {
  const { answers } = input;
  const body: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [new TextRun({ text: formTitle(c), font: HEADING_FONT, size: 44, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new TextRun({
          text: `申报编号：${input.number}　　提交时间：${input.submittedText}${input.region ? `　　${c.regions.label}：${input.region}` : ''}`,
          size: 21,
        }),
      ],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: c.issuer.name, size: 21 })] }),
  ];
  for (const s of visibleSections(c, answers)) body.push(...sectionTables(s.title, visibleFields(s, answers), answers), new Paragraph({ children: [] }));

  const slots = visibleAttachmentSlots(c, answers);
  if (slots.length) {
    const rows = [new TableRow({ children: [cell('附件材料', PAGE_WIDTH, { span: 2, heading: true })] })];
    for (const slot of slots)
      rows.push(
        new TableRow({ children: [cell(slot.label, LABEL * 2, { label: true }), cell(input.files[slot.id]?.join('\n') || '未上传', PAGE_WIDTH - LABEL * 2)] }),
      );
    body.push(table(rows, [LABEL * 2, PAGE_WIDTH - LABEL * 2]), new Paragraph({ children: [] }));
  }
  const promises = visibleDeclarations(c, answers);
  if (promises.length) {
    body.push(new Paragraph({ children: [new TextRun({ text: '申报承诺', bold: true })] }));
    for (const d of promises) body.push(new Paragraph({ children: [new TextRun({ text: `${input.declarations[d.id] ? '☑' : '☐'} ${d.text}` })] }));
    body.push(new Paragraph({ children: [] }));
  }
  const opinions = c.exports.applicationForm?.opinions ?? [];
  if (opinions.length) {
    const rows = opinions.map(
      (o) =>
        new TableRow({
          children: [
            cell(o.title, LABEL, { label: true }),
            new TableCell({
              width: { size: PAGE_WIDTH - LABEL, type: WidthType.DXA },
              margins: { top: 60, bottom: 60, left: 100, right: 300 },
              children: [
                ...(input.opinions?.[o.title] ? lines(input.opinions[o.title]!) : [new Paragraph({ children: [] }), new Paragraph({ children: [] })]),
                new Paragraph({ children: [] }),
                ...lines(o.sign, { align: AlignmentType.RIGHT }),
                ...lines('年　　月　　日', { align: AlignmentType.RIGHT }),
              ],
            }),
          ],
        }),
    );
    body.push(table(rows, [LABEL, PAGE_WIDTH - LABEL]));
  }

  const doc = new Document({
    creator: c.issuer.name,
    title: `${formTitle(c)} ${input.number}`,
    styles: { default: { document: { run: { font: FONT, size: 24, language: { value: 'en-US', eastAsia: 'zh-CN' } } } } },
    sections: [
      { properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } }, children: body },
    ],
  });
  return Packer.toBuffer(doc);
}
