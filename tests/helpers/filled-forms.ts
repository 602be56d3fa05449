// A filled 申报表 .docx for each application programme, laid out as the notice's 附件 prints it
// (cover lines, the tables with their label wording and order, □ options, the member and award
// tables with their blank rows, the opinion boxes), filled from validApplication(c), with what
// people really do to a template mixed in: spaces and breaks inside labels, full-width colons,
// stars and （必填）, values written under their label, labels and texts merged over several rows,
// ☑ / √ check marks, dates as 1975.06 or 一九七五年六月, numbers with units or in full-width
// digits, texts in several paragraphs, the template's prompts and 盖章 lines left in the boxes.
// `expected` holds what the form carries as the engine stores it; fields the official form has no
// box for (所属区市, 统一社会信用代码, the notice's conditions…) are not in it.

import {
  AlignmentType,
  BorderStyle,
  CheckBox,
  Document,
  Packer,
  Paragraph,
  type ParagraphChild,
  SymbolRun,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { choicesOf } from '../../src/campaigns/references.js';
import type { Campaign, Field, ScalarField, Section } from '../../src/campaigns/schema.js';
import { conditionHolds } from '../../src/forms/engine.js';
import { type Answers, parseFieldValue, type Scalar } from '../../src/forms/fields.js';
import type { WordCell, WordDocument } from '../../src/forms/word-document.js';
import { type Typed, validApplication } from './fixtures.js';

export interface FilledOfficialForm {
  docx: Buffer;
  expected: { values: Record<string, unknown>; groups: Record<string, Record<string, unknown>[]> };
  /** The same layout as the document model a reader should make of the file (cells, spans, vertical merges). */
  document: WordDocument;
}

/** The date the answers are checked at (yearMonth and year fields may not lie after it). */
export const FORM_TODAY = '2024-07-15';

interface CellSpec {
  text: string;
  span?: number;
  rowSpan?: number;
  /** How the ☑ / □ in the text are written: typed (default), Wingdings symbols (w:sym), or check box content controls (w14:checkbox). */
  boxes?: 'symbol' | 'control';
}
type Block = { kind: 'paragraph'; text: string } | { kind: 'table'; cols: number; rows: CellSpec[][] };

const CN = '〇一二三四五六七八九';
const cnDigits = (n: number | string) => [...String(n)].map((d) => CN[Number(d)]).join('');
const cnSmall = (n: number) => (n < 10 ? CN[n]! : n < 20 ? `十${n % 10 ? CN[n % 10] : ''}` : `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`);
const fullWidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));

/** A long text as two paragraphs, cut after its first comma (or in the middle). */
function twoParagraphs(text: string): [string, string] {
  const i = text.indexOf('，');
  const cut = i > 0 && i < text.length - 1 ? i + 1 : Math.ceil(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)];
}

class FormBuilder {
  readonly blocks: Block[] = [];
  readonly values: Record<string, unknown> = {};
  readonly groups: Record<string, Record<string, unknown>[]> = {};
  private readonly typed: Record<string, Typed>;
  private readonly rowsTyped: Record<string, Record<string, Typed>[]>;
  private readonly stored: Answers = {};
  private readonly fields = new Map<string, { field: Field; section: Section }>();
  private labelTurn = 0;
  private valueTurn = 0;
  private textTurn = 0;
  private boxTurn = 0;

  constructor(
    readonly c: Campaign,
    readonly vary: boolean,
  ) {
    const fx = validApplication(c);
    this.typed = fx.answers;
    this.rowsTyped = fx.rows;
    for (const section of c.form.sections)
      for (const field of section.fields) {
        this.fields.set(field.id, { field, section });
        if (field.type !== 'group' && this.typed[field.id] !== undefined) {
          const r = parseFieldValue(field, this.typed[field.id], { today: FORM_TODAY });
          if (r.ok) this.stored[field.id] = r.value;
        }
      }
  }

  private scalar(id: string): ScalarField {
    const f = this.fields.get(id)?.field;
    if (!f || f.type === 'group') throw new Error(`${this.c.id}: no scalar field ${id}`);
    return f;
  }

  /** Whether the answers show this field (a hidden one is left blank on the form). */
  visible(id: string): boolean {
    const x = this.fields.get(id)!;
    return conditionHolds(x.section.visibleWhen, this.stored) && conditionHolds(x.field.visibleWhen, this.stored);
  }

  private store(f: ScalarField, typed: Typed): Scalar {
    const r = parseFieldValue(f, typed, { today: FORM_TODAY });
    if (!r.ok) throw new Error(`${this.c.id}: fixture value of ${f.id} does not parse: ${r.message}`);
    return r.value;
  }

  paragraph(text: string): void {
    this.blocks.push({ kind: 'paragraph', text });
  }

  table(cols: number, rows: CellSpec[][]): void {
    for (const [i, row] of rows.entries()) {
      const width = row.reduce((n, cell) => n + (cell.span ?? 1), 0);
      // Cells merged down from above take their columns in the rows below.
      const covered = rows
        .slice(0, i)
        .flatMap((r, k) => r.filter((cell) => (cell.rowSpan ?? 1) > i - k).map((cell) => cell.span ?? 1))
        .reduce((n, s) => n + s, 0);
      if (width + covered !== cols) throw new Error(`${this.c.id}: row ${i} of a ${cols}-column table covers ${width + covered} columns`);
    }
    this.blocks.push({ kind: 'table', cols, rows });
  }

  /** A label as the form prints it; with variations, as someone retyped it. */
  L(text: string, span = 1, opts: { rowSpan?: number; keep?: boolean } = {}): CellSpec {
    let t = text;
    if (this.vary && !opts.keep) {
      const plain = text.replace(/\n/g, '');
      switch (this.labelTurn++ % 6) {
        case 1:
          t =
            plain.length <= 4
              ? [...plain].join('　')
              : text.includes('\n')
                ? text
                : `${plain.slice(0, Math.ceil(plain.length / 2))}\n${plain.slice(Math.ceil(plain.length / 2))}`;
          break;
        case 2:
          t = `${text}：`;
          break;
        case 3:
          t = `*${text}`;
          break;
        case 4:
          t = `${text}（必填）`;
          break;
        case 5:
          t = /[A-Za-z]/.test(plain) ? fullWidth(plain) : `${plain} :`;
          break;
      }
    }
    return { text: t, span, ...(opts.rowSpan ? { rowSpan: opts.rowSpan } : {}) };
  }

  /** Fixed text of the template (a section's title, a prompt, an opinion box). */
  T(text: string, span = 1, rowSpan?: number): CellSpec {
    return { text, span, ...(rowSpan ? { rowSpan } : {}) };
  }

  /** The field's answer as written on the form; recorded as expected. Blank when the answers hide the field. */
  text(id: string, opts: { paragraphs?: boolean } = {}): string {
    const f = this.scalar(id);
    const typed = this.typed[id];
    if (typed === undefined || !this.visible(id)) return this.vary ? '/' : '';
    if (f.type === 'textarea' && typeof typed === 'string' && (opts.paragraphs ?? (this.vary && this.textTurn++ % 2 === 0))) {
      const [a, b] = twoParagraphs(typed);
      this.values[id] = this.store(f, `${a}\n${b}`);
      return `${a}\n${b}`;
    }
    this.values[id] = this.store(f, typed);
    return this.display(f, typed);
  }

  V(id: string, span = 1, opts: { rowSpan?: number; prefix?: string; suffix?: string; paragraphs?: boolean } = {}): CellSpec {
    const value = this.text(id, opts.paragraphs === undefined ? {} : { paragraphs: opts.paragraphs });
    const text = [opts.prefix, value, opts.suffix].filter((x) => x !== undefined && x !== '').join('\n');
    // Boxes as Word's check box controls, as Wingdings characters, or typed, in turn.
    const boxes = /[☑□]/.test(value) ? (['control', 'symbol', undefined] as const)[this.boxTurn++ % 3] : undefined;
    return { text, span, ...(opts.rowSpan ? { rowSpan: opts.rowSpan } : {}), ...(boxes ? { boxes } : {}) };
  }

  /** A long text over two rows: its label merged down both, one paragraph in each. */
  mergedText(labelText: string, id: string, valueSpan: number, labelSpan = 1): CellSpec[][] {
    const value = this.text(id, { paragraphs: true });
    const [a, b] = value.split('\n') as [string, string];
    return [[this.L(labelText, labelSpan, { rowSpan: 2 }), this.T(a, valueSpan)], [this.T(b ?? '', valueSpan)]];
  }

  private display(f: ScalarField, typed: Typed, turn = this.valueTurn++): string {
    if (Array.isArray(typed)) {
      if (!this.vary) return typed.join('、');
      return choicesOf(f)
        .map((o) => `${typed.includes(o) ? '☑' : '□'}${o}`)
        .join(' ');
    }
    const v = typed;
    const unit = 'unit' in f ? (f.unit ?? '') : '';
    if (!this.vary)
      switch (f.type) {
        case 'date':
          return `${Number(v.slice(0, 4))}年${Number(v.slice(5, 7))}月${Number(v.slice(8, 10))}日`;
        case 'yearMonth':
          return `${Number(v.slice(0, 4))}年${Number(v.slice(5, 7))}月`;
        case 'year':
          return `${v}年`;
        case 'integer':
        case 'decimal':
          return `${v}${unit}`;
        default:
          return v;
      }
    switch (f.type) {
      case 'integer':
      case 'decimal':
        return [`${v}${unit}`, fullWidth(v), `${v}${unit === '平方米' ? '㎡' : unit}`, unit === '平方米' ? `约${v}平方米` : v][turn % 4]!;
      case 'date': {
        const [y, m, d] = [v.slice(0, 4), Number(v.slice(5, 7)), Number(v.slice(8, 10))];
        return [`${y}.${m}.${d}`, `${y}/${m}/${d}`, `${cnDigits(y)}年${cnSmall(m)}月${cnSmall(d)}日`][turn % 3]!;
      }
      case 'yearMonth': {
        const [y, m] = [v.slice(0, 4), Number(v.slice(5, 7))];
        return [`${y}.${String(m).padStart(2, '0')}`, `${y}年${m}月`, `${cnDigits(y)}年${cnSmall(m)}月`, `${y}-${m}`][turn % 4]!;
      }
      case 'year':
        return [`${v}年`, v, `${cnDigits(v)}年`][turn % 3]!;
      case 'yesNo':
        return [`${v === '是' ? '是√ 否' : '是 否√'}`, `${v === '是' ? '☑是 □否' : '□是 ☑否'}`, v][turn % 3]!;
      case 'choice': {
        const options = choicesOf(f);
        if (options.length <= 3)
          return turn % 2 ? options.map((o) => `${o}${o === v ? '☑' : '□'}`).join(' ') : options.map((o) => `${o === v ? '☑' : '□'}${o}`).join(' ');
        if (f.optionSet === '职业技能等级' && v === '高级技师') return '高级技师（一级）';
        if (f.optionSet === '民族') return v.replace(/族$/, '');
        if (f.optionSet === '学历') return v.replace(/（/g, '(').replace(/）/g, ')');
        return v;
      }
      case 'idNumber':
        return `${v.slice(0, 6)} ${v.slice(6, 14)} ${v.slice(14)}`;
      case 'mobile':
        return `${v.slice(0, 3)} ${v.slice(3, 7)} ${v.slice(7)}`;
      default:
        return v;
    }
  }

  /**
   * A repeating group as the form prints it: the header (after a title cell merged down the rows,
   * when the form has one), the fixture's rows, then the template's blank rows.
   */
  group(id: string, columns: { label: string; field: string; span?: number }[], printedRows: number, title?: string): CellSpec[][] {
    const g = this.fields.get(id)?.field;
    if (g?.type !== 'group') throw new Error(`${this.c.id}: no group ${id}`);
    const typedRows = this.visible(id) ? (this.rowsTyped[id] ?? []) : [];
    const count = Math.max(printedRows, typedRows.length);
    const header: CellSpec[] = [
      ...(title !== undefined ? [this.T(title, 1, count + 1)] : []),
      ...columns.map((col) => this.L(col.label, col.span ?? 1, { keep: col.label.length > 4 })),
    ];
    const rows: CellSpec[][] = [header];
    const expected: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const typed = typedRows[i];
      const out: Record<string, unknown> = {};
      rows.push(
        columns.map((col) => {
          const f = g.fields.find((x) => x.id === col.field);
          if (!f) throw new Error(`${this.c.id}: no column ${col.field} in ${id}`);
          const v = typed?.[col.field];
          if (v === undefined || v === '') return this.T('', col.span ?? 1);
          out[f.id] = this.store(f, v);
          return this.T(this.display(f, v), col.span ?? 1);
        }),
      );
      if (typed) expected.push(out);
    }
    if (expected.length) this.groups[id] = expected;
    return rows;
  }

  /** A cover line: 申报单位名称（盖章）：XX, or the label spaced out and the value after blanks. */
  line(labelText: string, id: string, sep = '：', after = ''): void {
    this.paragraph(`${labelText}${sep}${this.text(id)}${after}`);
  }
}

// ---------- the official layouts, as the notices' 附件 print them ----------

const SIGN = '（签字盖章）\n                 年    月    日';
const STAMP = '（盖章）\n                 年    月    日';

/** 威人社函〔2024〕35号 附件1 威海市技能大师工作室申报表. */
function weihai(b: FormBuilder): void {
  const v = b.vary;
  b.paragraph('附件1');
  b.paragraph('威海市技能大师工作室申报表');
  b.line('申报单位名称（盖章）', 'unitName');
  b.line('所 属 行 业', 'industry');
  b.paragraph('工作室领办人（签字）：                       ');
  b.line('领办人职业技能等级', 'leaderSkillLevel');
  b.line('领办人联系电话', 'leaderPhone');
  b.paragraph('威海市人力资源和社会保障局     制');
  b.table(7, [
    [b.T('申报单位基本信息', 7)],
    [b.L('申报单位名称'), b.V('unitName', 2), b.L('单位性质', 2), b.V('unitNature', 2)],
    [b.L('负责人'), b.V('unitHead', 2), b.L('单位地址', 2), b.V('unitAddress', 2)],
    [b.L('联系人'), b.V('contactName', 2), b.L('联系电话', 2), b.V('contactPhone', 2)],
    [b.L('是否技师工作站'), b.V('isTechnicianStation', 2), b.L('电子邮箱', 2), b.V('email', 2)],
    [b.T('技能人才数量', 1, 2), b.L('特级技师'), b.L('高级技师'), b.L('技师'), b.L('高级工'), b.L('其他技能\n\n人才'), b.L('总量合计')],
    [
      b.V('countPrincipalTechnician'),
      b.V('countSeniorTechnician'),
      b.V('countTechnician'),
      b.V('countSeniorWorker'),
      b.V('countOtherSkilled'),
      b.V('countTotal'),
    ],
    [b.L('开户银行及账号'), b.V('bankAccount', 6)],
    // Someone wrote the business status under its label, across the table.
    ...(v ? [[b.L('近两年单位经营\n\n状况', 7)], [b.V('businessStatus', 7)]] : [[b.L('近两年单位经营\n\n状况'), b.V('businessStatus', 6)]]),
  ]);
  b.table(8, [
    [b.T('领办人基本情况', 8)],
    [b.L('领办人姓名'), b.V('leaderName'), b.L('性别'), b.V('leaderGender'), b.L('民族'), b.V('leaderEthnicity'), b.L('出生年月'), b.V('leaderBirth')],
    [b.L('参加工作时间'), b.V('leaderWorkStart'), b.L('政治面貌'), b.V('leaderPolitical'), b.L('身份证\n\n号码'), b.V('leaderIdNumber', 3)],
    [b.L('工作单位及岗位'), b.V('leaderWorkplace', 3), b.L('是否一线工作人员', 2), b.V('leaderFrontLine', 2)],
    [
      b.L('职业资格证书（职业技能等级证书）工种', 2),
      b.V('leaderOccupation', 2),
      b.L('职业技能等级'),
      b.V('leaderSkillLevel'),
      b.L('取证时间'),
      b.V('leaderCertDate'),
    ],
    [b.L('领办人工作业绩\n\n获得奖励或国家\n\n专利情况、主要\n\n创新发明等情况'), b.V('leaderAchievements', 7)],
  ]);
  b.table(4, [
    [b.T('拟设立工作室情况', 4)],
    [b.L('工作室命名'), b.V('studioName', 3)],
    [b.L('工作室设立场所'), b.V('studioLocation'), b.L('工作室面积 '), b.V('studioArea')],
    [b.T('工作室团队成员状况', 4)],
    ...b.group(
      'members',
      [
        { label: '姓名', field: 'name' },
        { label: '工种', field: 'occupation' },
        { label: '职业技能等级', field: 'skillLevel' },
        { label: '专长、研究成果应用及获奖情况', field: 'expertise' },
      ],
      6,
    ),
    [b.L('拟设立工作室具备的申报条件或优势'), b.V('advantages', 3)],
    ...(v ? b.mergedText('拟设立工作室当年工作计划及未来三年规划', 'workPlan', 3) : [[b.L('拟设立工作室当年工作计划及未来三年规划'), b.V('workPlan', 3)]]),
    [b.L('申报单位\n\n意见', 1, { keep: true }), b.V('unitOpinion', 3, { suffix: SIGN })],
    [b.T('区市人社部门意见'), b.T(STAMP, 3)],
  ]);
}

/** 关于申报2020年拱墅区技能大师工作室的通知 附件1 拱墅区技能大师工作室申报表. */
function gongshu(b: FormBuilder): void {
  const v = b.vary;
  b.paragraph('附件1');
  b.paragraph('拱墅区技能大师工作室');
  b.paragraph('申报表');
  b.line('申报单位', 'unitName', '   ', '   （盖章）');
  b.line('工作室名称', 'studioName', '    ');
  b.paragraph('拱墅区人力资源和社会保障局');
  b.paragraph('二零二零年  月');
  b.table(6, [
    [b.T('申报单位基本情况', 6)],
    [b.L('单位全称'), b.V('unitName', 2), b.L('法定代表人姓名'), b.V('legalRepresentative', 2)],
    [b.L('联系人'), b.V('contactName'), b.L('固定电话'), b.V('unitLandline'), b.L('手机'), b.V('contactMobile')],
    [b.L('传真电话'), b.V('unitFax', 2), b.L('电子邮箱'), b.V('email', 2)],
    [b.L('通信地址'), b.V('unitAddress', 2), b.L('邮编'), b.V('postalCode', 2)],
    [b.L('单位\n\n简介\n\n（1000字以内）', 1, { keep: true }), b.V('unitProfile', 5, { prefix: '（包括生产、科研以及高技能人才队伍情况）' })],
  ]);
  b.table(6, [
    [b.T('领衔人基本情况', 6)],
    [b.L('姓名'), b.V('leaderName'), b.L('性别'), b.V('leaderGender'), b.L('民族'), b.V('leaderEthnicity')],
    [b.L('出生年月'), b.V('leaderBirth'), b.L('政治面貌'), b.V('leaderPolitical'), b.L('学历'), b.V('leaderEducation')],
    [b.L('职业（工种）'), b.V('leaderOccupation'), b.L('职业资格等级'), b.V('leaderSkillLevel'), b.L('其它技能'), b.V('leaderOtherSkills')],
    [b.L('职务（职称）'), b.V('leaderPosition'), b.L('身份证号码'), b.V('leaderIdNumber'), b.L('从业时间'), b.V('leaderCareerStart')],
    [b.L('固定电话'), b.V('leaderLandline', 2), b.L('手机'), b.V('leaderMobile', 2)],
    ...(v ? b.mergedText('工作\n\n简历', 'leaderResume', 5) : [[b.L('工作\n\n简历'), b.V('leaderResume', 5)]]),
    [b.L('技能特长\n\n及主要业绩'), b.V('leaderAchievements', 5)],
    [b.L('市级及以上\n\n获奖情况'), b.V('leaderAwards', 5)],
  ]);
  b.table(8, [
    [b.T('工作室成员情况', 8)],
    ...b.group(
      'members',
      [
        { label: '姓名', field: 'memberName' },
        { label: '性别', field: 'memberGender' },
        { label: '年龄', field: 'memberAge' },
        { label: '学历', field: 'memberEducation' },
        { label: '职业（工种）', field: 'memberOccupation' },
        { label: '职业资格等级\n或其它技能', field: 'memberSkill' },
        { label: '技能特长', field: 'memberExpertise' },
        { label: '从业时间及主要业绩', field: 'memberCareer' },
      ],
      6,
    ),
  ]);
  b.table(1, [
    [b.V('workPlan', 1, { prefix: '工作室下一步工作计划：' })],
    [b.V('unitOpinion', 1, { prefix: '所在单位意见：', suffix: '                                         （签章）\n\n年  月   日' })],
    [b.T('专家评估意见：\n                                              （签章）  \n\n年  月   日')],
    [b.T('区人力社保局审核意见：\n（签章）\n\n   年   月  日   ')],
  ]);
}

/** 关于实施2024年温州市鹿城区技能大师工作室建设项目的通知 附件 温州市鹿城区技能大师工作室申报表. */
function lucheng(b: FormBuilder): void {
  const v = b.vary;
  b.paragraph('附件：温州市鹿城区技能大师工作室申报表');
  b.paragraph(' 温州市鹿城区技能大师工作室申报表');
  b.paragraph(' 温州市鹿城区人力资源和社会保障局制');
  b.table(6, [
    [b.T('申报单位基本情况', 6)],
    [b.L('单位全称'), b.V('unitName', 5)],
    [b.L('法人代表'), b.V('legalRep'), b.L('办电'), b.V('legalRepOfficePhone'), b.L('手机'), b.V('legalRepMobile')],
    [b.L('联系人'), b.V('contactName'), b.L('办电'), b.V('contactOfficePhone'), b.L('手机'), b.V('contactMobile')],
    [b.L('传真电话'), b.V('fax', 2), b.L('电子邮箱'), b.V('email', 2)],
    [b.L('通信地址'), b.V('address', 2), b.L('邮编'), b.V('postalCode', 2)],
    [b.L('单位\n简介', 1, { keep: true }), b.V('unitProfile', 5, { prefix: '（包括生产、科研以及高技能人才队伍情况）' })],
  ]);
  b.table(6, [
    [b.T('领办人基本情况', 6)],
    [b.L('姓名'), b.V('leaderName'), b.L('性别'), b.V('leaderGender'), b.L('民族'), b.V('leaderEthnicity')],
    [b.L('出生年月'), b.V('leaderBirth'), b.L('政治面貌'), b.V('leaderPolitical'), b.L('学历'), b.V('leaderEducation')],
    [b.L('职业（工种）'), b.V('leaderOccupation', 2), b.L('职业资格\n\n等级'), b.V('leaderSkillLevel', 2)],
    [b.L('职务（职称）'), b.V('leaderTitle', 2), b.L('身份证号码'), b.V('leaderIdNumber', 2)],
    // The phones written under their labels.
    ...(v
      ? [
          [b.L('办电', 3), b.L('手机', 3)],
          [b.V('leaderOfficePhone', 3), b.V('leaderMobile', 3)],
        ]
      : [[b.L('办电'), b.V('leaderOfficePhone', 2), b.L('手机'), b.V('leaderMobile', 2)]]),
    [b.L('工作\n简历'), b.V('leaderResume', 5)],
    ...(v ? b.mergedText('技能特长和\n工作业绩', 'leaderExpertise', 5) : [[b.L('技能特长和\n工作业绩'), b.V('leaderExpertise', 5)]]),
    [b.L('区级以上\n获奖情况'), b.V('leaderAwards', 5)],
  ]);
  b.table(8, [
    [b.T('工作室成员情况', 8)],
    ...b.group(
      'members',
      [
        { label: '姓名', field: 'name' },
        { label: '性别', field: 'gender' },
        { label: '年龄', field: 'age' },
        { label: '学历', field: 'education' },
        { label: '职业\n（工种）', field: 'occupation' },
        { label: '职业资格等级', field: 'skillLevel' },
        { label: '技能\n\n特长', field: 'expertise' },
        { label: '主要业绩', field: 'achievements' },
      ],
      6,
    ),
    [b.T('区人力社保局（区级主管部门、行业协会）审核意见\n                                              （签章）  ', 8)],
  ]);
}

/** 镇人社函〔2023〕69号 附件1 镇江市技能大师工作室申报表. */
function zhenjiang(b: FormBuilder): void {
  b.paragraph('附件1');
  b.paragraph('镇 江 市 技 能 大 师 工 作 室');
  b.paragraph('申  报  表');
  b.line('申  报  单  位', 'unitName', '    ');
  b.line('工 作 室 名 称', 'studioName', '    ');
  b.line('工作室工作领域', 'studioField', '    ');
  b.paragraph('镇江市人力资源和社会保障局制');
  b.paragraph('二O    年    月    日');
  const changing = b.visible('changeReason');
  b.table(8, [
    [
      b.L('领衔人\n\n（创办人）'),
      b.V('leaderName'),
      b.L('性别'),
      b.V('leaderGender'),
      b.L('民族'),
      b.V('leaderEthnicity'),
      b.L('政治面貌'),
      b.V('leaderPolitical'),
    ],
    [b.L('工作单位'), b.V('leaderWorkplace', 3), b.L('联系电话'), b.V('leaderPhone', 3)],
    [b.L('工作室地点'), b.V('studioLocation', 3), b.L('办公面积'), b.V('officeArea', 3)],
    [b.L('学历（学位）'), b.V('leaderEducation'), b.L('参加工作时间'), b.V('leaderWorkStart'), b.L('从事职业\n\n（工种）'), b.V('leaderOccupation', 3)],
    [b.L('行政职务'), b.V('leaderPost'), b.L('职业资格'), b.V('leaderQualification'), b.L('身份证号'), b.V('leaderIdNumber', 3)],
    [b.L('通讯地址'), b.V('leaderAddress', 3), b.L('邮编'), b.V('leaderPostcode', 3)],
    // 新申报认定: the change row stays as printed, boxes unticked.
    [
      b.T('领衔人变更'),
      b.L('原领衔人或原单位名称', 2, { keep: true }),
      b.V('formerLeaderOrUnit', 2),
      b.L('变更原因', 1, { keep: true }),
      changing ? b.V('changeReason', 2) : b.T('退休 □ 调离□  其它□', 2),
    ],
    ...b.group(
      'members',
      [
        { label: '姓   名', field: 'name' },
        { label: '职业资格', field: 'qualification', span: 2 },
        { label: '年龄', field: 'age' },
        { label: '突出业绩', field: 'achievements', span: 3 },
      ],
      4,
      '技能大师工作室其他成员\n\n（若人员较多可另附表）',
    ),
    [b.L('领办或创办人主要工作业绩'), b.V('leaderAchievements', 7, { prefix: '（可另附页详细阐述）' })],
    ...b.group(
      'leaderAwards',
      [
        { label: '获奖项目', field: 'project', span: 2 },
        { label: '奖励名称', field: 'award' },
        { label: '授予单位', field: 'grantor' },
        { label: '等级', field: 'level' },
        { label: '排名', field: 'rank' },
        { label: '年度', field: 'year' },
      ],
      5,
      '领办或创办人\n\n主要获奖情况',
    ),
    [b.L('技能大师所在单位简介'), b.V('unitProfile', 7, { prefix: '（包括生产、科研以及高技能人才队伍情况）' })],
    [b.L('所在单位\n\n对技能大师工作室\n\n支持措施', 1, { keep: true }), b.V('unitSupport', 7, { prefix: '（可另附页详细阐述）' })],
    [b.L('技能大师工作室今后工作开展计划'), b.V('workPlan', 7, { prefix: '（可另附页详细阐述）' })],
  ]);
  b.table(2, [
    [
      b.L('申报单位意见', 1, { keep: true }),
      b.V('unitOpinion', 1, { suffix: '                                 （盖章）\n\n                                  二〇   年   月   日' }),
    ],
    [
      b.T('辖市区人力资源和社会保障局（主管部门）审核推荐意见'),
      b.T('                                   （盖章）\n\n                                   二〇   年   月    日'),
    ],
    [
      b.T('市\n\n评\n\n审\n\n专\n\n家\n\n意\n\n见'),
      b.T(' \n \n \n                  专家组长签字：\n\n                                    二〇   年   月    日'),
    ],
    [
      b.T('市人力资源和社会保障局审\n\n批意见'),
      b.T('                                     （盖章）\n\n                                    二〇   年   月    日'),
    ],
  ]);
}

/** 2024年武汉市技能大师工作室建设项目评选申报 附件2 武汉市技能大师工作室申报表. */
function wuhan(b: FormBuilder): void {
  const v = b.vary;
  b.paragraph('附件2');
  b.paragraph('武汉市技能大师工作室');
  b.paragraph('申    报    表');
  b.line('申   报   单   位', 'unitName', '   ');
  b.line('工作室职业（工种）', 'studioOccupation', '   ');
  b.line('领  办  人  姓 名', 'leaderName', '   ');
  b.line('领办人职业技能等级', 'leaderSkillLevel', '   ');
  b.line('填  报  时  间', 'filledOn', '   ');
  b.paragraph('市人力资源和社会保障局　财政局　制');
  b.paragraph('年　月　日');
  b.paragraph('武汉市技能大师工作室申报表');
  b.table(8, [
    [b.L('申报单位名称'), b.V('unitName', 3), b.L('单位性质'), b.V('unitNature', 3)],
    [b.L('负责人'), b.V('unitHead', 3), b.L('办公电话'), b.V('unitHeadOfficePhone', 3)],
    [b.L('联系人'), b.V('contactName', 2), b.L('办公电话'), b.V('contactOfficePhone', 2), b.L('手机'), b.V('contactMobile')],
    [b.L('E-mail'), b.V('email', 3), b.L('传真'), b.V('fax', 3)],
    [b.L('通信地址'), b.V('address', 3), b.L('邮政编码'), b.V('postalCode', 3)],
    [b.L('开户银行及资金账号'), b.V('bankAccount', 7)],
    [b.L('技能大师姓名'), b.V('leaderName'), b.L('性别'), b.V('leaderGender'), b.L('民族'), b.V('leaderEthnicity'), b.L('出生年月'), b.V('leaderBirth')],
    [b.L('参加工作时间'), b.V('leaderWorkStart'), b.L('政治面貌'), b.V('leaderPolitical'), b.L('身份证号'), b.V('leaderIdNumber', 3)],
    [b.L('工作单位及职务'), b.V('leaderWorkplacePost', 7)],
    [b.L('从事职业（工种）'), b.V('leaderOccupation', 3), b.L('职业技能等级'), b.V('leaderSkillLevel', 3)],
    // The area written under its label, in a label row of its own.
    ...(v
      ? [
          [b.L('工作室地点', 4), b.L('工作室面积', 4)],
          [b.V('studioLocation', 4), b.V('studioArea', 4)],
        ]
      : [[b.L('工作室地点'), b.V('studioLocation', 3), b.L('工作室面积'), b.V('studioArea', 3)]]),
    [b.L('工作室基本设施'), b.V('studioFacilities', 3), b.L('工作室成员'), b.V('studioMembers', 3)],
  ]);
  const awardColumns = [
    { label: '获奖项目名称', field: 'projectName' },
    { label: '奖励名称', field: 'awardName' },
    { label: '授予单位', field: 'grantor' },
    { label: '等级', field: 'grade' },
    { label: '排名', field: 'rank' },
    { label: '角色', field: 'role' },
    { label: '年度', field: 'year' },
  ];
  b.paragraph('省部级获奖情况：');
  b.table(7, b.group('provincialAwards', awardColumns, 5));
  b.paragraph('其它获奖情况：');
  b.table(7, [
    ...b.group('otherAwards', awardColumns, 4),
    [b.L('技能大师工作业绩、获省部级以上奖励或国家专利情况、主要创新发明等情况（可另附页）', 1, { keep: true }), b.V('leaderAchievements', 6)],
    [b.L('申报\n单位\n意见', 1, { keep: true }), b.V('unitOpinion', 6, { suffix: '           (签字盖章)      \n             年   月   日    ' })],
    [b.T('区人力资源\n（社会保障）\n部门、市直（中央驻汉）单位\n意　见'), b.T('            (签字盖章)\n             年   月   日', 6)],
    [b.T('专家组\n评审意见'), b.T('               专家组组长（签字)：\n               年   月   日', 6)],
    [b.T('市人力资源和\n社会保障局审批意见'), b.T(' 市人力资源社会保障局(签字盖章)\n　　　　　年   月   日', 3), b.T('市财政局(签字盖章)\n年　月　日', 3)],
  ]);
}

const LAYOUTS: Record<string, (b: FormBuilder) => void> = { weihai, gongshu, lucheng, zhenjiang, wuhan };

/** The programmes whose official 申报表 is reproduced here (one per family). */
export const OFFICIAL_FORM_FAMILIES = Object.keys(LAYOUTS);

// ---------- writing the file ----------

const PAGE_WIDTH = 9638;
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };

/** A line's runs: text, and its boxes as typed characters, Wingdings symbols or check box controls. */
function runs(line: string, boxes: CellSpec['boxes']): ParagraphChild[] {
  if (!boxes) return [new TextRun({ text: line })];
  return line
    .split(/([☑□])/)
    .filter(Boolean)
    .map((part) => {
      if (part !== '☑' && part !== '□') return new TextRun({ text: part });
      // Wingdings FE is a box with a tick, A8 an empty box.
      return boxes === 'symbol' ? new SymbolRun({ char: part === '☑' ? 'F0FE' : 'F0A8', symbolfont: 'Wingdings' }) : new CheckBox({ checked: part === '☑' });
    });
}

const paragraphs = (text: string, boxes?: CellSpec['boxes']) => text.split('\n').map((line) => new Paragraph({ children: runs(line, boxes) }));

function tableOf(block: Extract<Block, { kind: 'table' }>): Table {
  const col = Math.floor(PAGE_WIDTH / block.cols);
  return new Table({
    width: { size: col * block.cols, type: WidthType.DXA },
    columnWidths: Array.from({ length: block.cols }, () => col),
    borders: BORDERS,
    rows: block.rows.map(
      (row) =>
        new TableRow({
          children: row.map(
            (cell) =>
              new TableCell({
                width: { size: col * (cell.span ?? 1), type: WidthType.DXA },
                verticalAlign: VerticalAlign.CENTER,
                ...((cell.span ?? 1) > 1 ? { columnSpan: cell.span } : {}),
                ...((cell.rowSpan ?? 1) > 1 ? { rowSpan: cell.rowSpan } : {}),
                children: paragraphs(cell.text, cell.boxes),
              }),
          ),
        }),
    ),
  });
}

/** The layout as a document model: cells merged down continue in the rows below, as Word writes them. */
function modelOf(blocks: Block[]): WordDocument {
  return {
    blocks: blocks.map((block) => {
      if (block.kind === 'paragraph') return { kind: 'paragraph' as const, text: block.text };
      const pending = new Map<number, { left: number; span: number }>();
      const rows = block.rows.map((specs) => {
        const out: WordCell[] = [];
        let x = 0;
        let i = 0;
        while (x < block.cols) {
          const merged = pending.get(x);
          if (merged) {
            out.push({ text: '', span: merged.span, vMerge: 'continue' });
            if (--merged.left === 0) pending.delete(x);
            x += merged.span;
            continue;
          }
          const spec = specs[i++];
          if (!spec) break;
          const span = spec.span ?? 1;
          const rowSpan = spec.rowSpan ?? 1;
          // A reader gives Word's own boxes as ☑ / ☐.
          const text = spec.boxes ? spec.text.replace(/□/g, '☐') : spec.text;
          out.push({ text, span, ...(rowSpan > 1 ? { vMerge: 'restart' as const } : {}) });
          if (rowSpan > 1) pending.set(x, { left: rowSpan - 1, span });
          x += span;
        }
        return out;
      });
      return { kind: 'table' as const, rows };
    }),
  };
}

export async function filledOfficialForm(c: Campaign, opts: { variations?: boolean } = {}): Promise<FilledOfficialForm> {
  const family = c.id.split('-')[0]!;
  const layout = LAYOUTS[family];
  if (!layout || c.kind !== 'application') throw new Error(`no official 申报表 layout for ${c.id}`);
  const b = new FormBuilder(c, opts.variations ?? true);
  layout(b);
  const doc = new Document({
    creator: c.issuer.name,
    styles: { default: { document: { run: { font: { ascii: 'Times New Roman', eastAsia: '宋体' }, size: 24 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        children: b.blocks.flatMap((block) =>
          block.kind === 'paragraph'
            ? [new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: block.text })] })]
            : [tableOf(block), new Paragraph({ children: [] })],
        ),
      },
    ],
  });
  return { docx: await Packer.toBuffer(doc), expected: { values: b.values, groups: b.groups }, document: modelOf(b.blocks) };
}
