// Lark's Bitable (多维表格, bitable v1): tables, fields and records of bases that exist only once the
// test (or the playground's demo world) adds them, as a bureau creates a 多维表格 and shares it with the
// bot. Every rule enforced below cites its documentation page; where the documentation is silent
// the comment says what the emulator chose.
import { randomBytes } from 'node:crypto';
import { type Ctx, clone, type EmulatorHost, fail, first, isRecord, ok, type Reply } from './http.js';

// Pages quoted below.
// 多维表格概述: https://open.feishu.cn/document/server-docs/docs/bitable-v1/bitable-overview
// 新增一个数据表: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/create
// 列出数据表: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/list
// 列出字段: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/list
// 字段编辑指南: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-field/guide
// 多维表格记录数据结构: https://open.feishu.cn/document/docs/bitable-v1/app-table-record/bitable-record-data-structure-overview
// 新增多条记录: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/batch_create
// 更新多条记录: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/batch_update
// 删除多条记录: https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/batch_delete
// 查询记录: https://open.feishu.cn/document/docs/bitable-v1/app-table-record/search
// 记录筛选参数填写说明: https://open.feishu.cn/document/docs/bitable-v1/app-table-record/record-filter-guide
// 列出记录 (历史接口): https://open.feishu.cn/document/server-docs/docs/bitable-v1/app-table-record/list

// Error codes from the pages' 错误码 tables (HTTP 200 unless the table says otherwise).
const CODE = {
  wrongRequestBody: 1254001,
  fail: 1254002,
  notSupportFieldOrView: 1254012, // HTTP 400
  tableNameDuplicated: 1254013,
  fieldNameDuplicated: 1254014, // HTTP 400
  emptyViewName: 1254021, // HTTP 400
  invalidViewName: 1254022, // HTTP 400
  emptyOptionName: 1254026,
  invalidFieldName: 1254029, // HTTP 400
  invalidClientToken: 1254037, // HTTP 400
  baseTokenNotFound: 1254040,
  tableIdNotFound: 1254041,
  recordIdNotFound: 1254043,
  fieldNameNotFound: 1254045,
  textConv: 1254060,
  numberConv: 1254061,
  singleSelectConv: 1254062,
  multiSelectConv: 1254063,
  datetimeConv: 1254064,
  checkboxConv: 1254065,
  userConv: 1254066,
  linkConv: 1254067,
  urlConv: 1254068,
  attachConv: 1254069,
  phoneConv: 1254072,
  duplexLinkConv: 1254074, // HTTP 400
  tableExceedLimit: 1254100,
  recordAddOnceExceedLimit: 1254104,
  tooLargeCell: 1254130,
  writeConflict: 1254291,
  reqRecommitted: 1254608, // HTTP 403
  clientTokenConflict: 1255006, // HTTP 400
  /** The gateway's 数据校验规则 failures (as the messaging emulator answers them). */
  fieldValidation: 99992402, // HTTP 400
} as const;

// 权限要求 of each page (「开启其中任意一项权限即可调用」).
const SCOPES = {
  createTable: ['base:table:create', 'bitable:app'],
  listTables: ['base:table:read', 'bitable:app', 'bitable:app:readonly'],
  listFields: ['base:field:read', 'bitable:app', 'bitable:app:readonly'],
  create: ['base:record:create', 'bitable:app'],
  update: ['base:record:update', 'bitable:app'],
  delete: ['base:record:delete', 'bitable:app'],
  search: ['base:record:retrieve', 'bitable:app', 'bitable:app:readonly'],
  list: ['bitable:app', 'bitable:app:readonly'],
};

// 接口频率限制 of each page. No per-minute limit is documented for these.
const RATE = { createTable: 10, listTables: 20, listFields: 20, create: 50, update: 50, delete: 50, search: 20, list: 20 };

/** Field types the table-create page lists (19 lookup, 24 stage and 3001 button cannot be created). */
const CREATABLE = new Set([1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 20, 21, 22, 23, 1001, 1002, 1003, 1004, 1005]);
/** 「数据表的第一个字段为索引字段。索引字段仅支持以下类型」 (新增一个数据表; 字段编辑指南 索引字段说明). */
const INDEX_TYPES = new Set([1, 2, 5, 13, 15, 20, 22]);
const READ_ONLY = new Set([19, 20, 24, 1001, 1002, 1003, 1004, 1005, 3001]);
const UI_TYPES: Record<number, string[]> = {
  1: ['Text', 'Barcode', 'Email'],
  2: ['Number', 'Progress', 'Currency', 'Rating'],
  3: ['SingleSelect'],
  4: ['MultiSelect'],
  5: ['DateTime'],
  7: ['Checkbox'],
  11: ['User'],
  13: ['Phone'],
  15: ['Url'],
  17: ['Attachment'],
  18: ['SingleLink'],
  20: ['Formula'],
  21: ['DuplexLink'],
  22: ['Location'],
  23: ['GroupChat'],
  1001: ['CreatedTime'],
  1002: ['ModifiedTime'],
  1003: ['CreatedUser'],
  1004: ['ModifiedUser'],
  1005: ['AutoNumber'],
};
// 字段编辑指南: number formatters, and the other displays of type 2.
const NUMBER_FORMATTERS = new Set(['0', '0.0', '0.00', '0.000', '0.0000', '1,000', '1,000.00', '%', '0.00%', '¥', '¥0.00', '$', '$0.00']);
const CURRENCY_FORMATTERS = new Set(['0', '0.0', '0.00', '0.000', '0.0000']);
const PROGRESS_FORMATTERS = new Set(['0', '0.0', '0.00', '0%', '0.0%', '0.00%']);
const CURRENCY_CODES = new Set('CNY USD EUR GBP AED AUD BRL CAD CHF HKD INR IDR JPY KRW MOP MXN MYR PHP PLN RUB SGD THB TRY TWD VND'.split(' '));
/**
 * 字段编辑指南, 日期字段: 「date_formatter … 枚举值」 lists five; the same page's request example uses
 * "yyyy/MM/dd HH:mm", which the emulator accepts too.
 */
const DATE_FORMATTERS = new Set(['yyyy/MM/dd', 'yyyy-MM-dd HH:mm', 'MM-dd', 'MM/dd/yyyy', 'dd/MM/yyyy', 'yyyy/MM/dd HH:mm']);
const OPERATORS = new Set(['is', 'isNot', 'contains', 'doesNotContain', 'isEmpty', 'isNotEmpty', 'isGreater', 'isGreaterEqual', 'isLess', 'isLessEqual']);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

export interface BitableField {
  field_id: string;
  field_name: string;
  type: number;
  ui_type: string;
  property: Record<string, unknown> | null;
  is_primary: boolean;
  description?: unknown;
}

export interface BitableAppView {
  appToken: string;
  name: string;
  tableCount: number;
}

export interface BitableTableView {
  table_id: string;
  name: string;
  revision: number;
  default_view_id: string;
  default_view_name: string;
  fields: BitableField[];
  recordCount: number;
}

/** A cell flattened for display: text as one string, people and groups as names (or ids), links as ids. */
export type PlainValue = string | number | boolean | string[] | null;

export interface BitableRecordView {
  record_id: string;
  /** The cells as search returns them (text as [{text, type:"text"}]). */
  fields: Record<string, unknown>;
  /** The same cells flattened: text as a string, dates and numbers as numbers. */
  plain: Record<string, PlainValue>;
  created_time: number;
  last_modified_time: number;
}

interface StoredRecord {
  record_id: string;
  /** Cells in the read format, keyed by field_id (a renamed field keeps its cells). */
  cells: Map<string, unknown>;
  created_time: number;
  last_modified_time: number;
  auto: number;
}

interface StoredTable {
  table_id: string;
  name: string;
  revision: number;
  default_view_id: string;
  default_view_name: string;
  fields: BitableField[];
  records: Map<string, StoredRecord>;
  nextAuto: number;
}

interface Base {
  appToken: string;
  name: string;
  tables: StoredTable[];
  /** Writes being processed (until their answer leaves): 多维表格概述 allows one at a time. */
  inFlight: number;
  /** client_token → what the first request was and what it answered (see idempotent). */
  tokens: Map<string, TokenEntry>;
}

interface TokenEntry {
  token: string;
  fingerprint: string;
  /** The first request is still being processed. */
  busy: boolean;
  data?: Record<string, unknown>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function alnum(n: number): string {
  let s = '';
  for (const b of randomBytes(n)) s += ALNUM[b % ALNUM.length];
  return s;
}

function bad(code: number, msg: string, status = 200): never {
  fail(status, code, msg);
}

function pageOf(c: Ctx, max: number): { size: number; offset: number } {
  const raw = first(c.query, 'page_size');
  const size = raw === undefined || raw === '' ? 20 : Number(raw);
  // page_size 「最大值」 of each page; over it the gateway's field validation answers (the pages give no code).
  if (!Number.isInteger(size) || size < 1 || size > max) bad(CODE.fieldValidation, `field validation failed: page_size must be 1–${max}`, 400);
  const token = first(c.query, 'page_token');
  let offset = 0;
  if (token) {
    const m = /^off:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    // 查询记录 错误码 1254002: 「传递了无效的 page_token」.
    if (!m) bad(CODE.fail, 'Fail: invalid page_token');
    offset = Number(m[1]);
  }
  return { size, offset };
}

function page<T>(items: T[], { size, offset }: { size: number; offset: number }): { items: T[]; has_more: boolean; page_token?: string } {
  const slice = items.slice(offset, offset + size);
  const hasMore = offset + size < items.length;
  return { items: slice, has_more: hasMore, ...(hasMore ? { page_token: Buffer.from(`off:${offset + size}`).toString('base64url') } : {}) };
}

function textOf(cell: unknown): string {
  if (typeof cell === 'string') return cell;
  if (Array.isArray(cell)) return cell.map((s) => (isRecord(s) && typeof s.text === 'string' ? s.text : '')).join('');
  return '';
}

/** The Beijing day (documents' time zone for the demo bureaus) a ms timestamp falls on. */
const dayOf = (ms: number): number => Math.floor((ms + BEIJING_MS) / DAY_MS);

export class Bitable {
  private readonly bases = new Map<string, Base>();

  constructor(private readonly host: EmulatorHost) {
    host.on('POST', '/open-apis/bitable/v1/apps/:app_token/tables', (c) => this.createTable(c));
    host.on('GET', '/open-apis/bitable/v1/apps/:app_token/tables', (c) => this.listTables(c));
    host.on('GET', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields', (c) => this.listFields(c));
    host.on('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/batch_create', (c) => this.batchCreate(c));
    host.on('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/batch_update', (c) => this.batchUpdate(c));
    host.on('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/batch_delete', (c) => this.batchDelete(c));
    host.on('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/search', (c) => this.search(c));
    host.on('GET', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records', (c) => this.listRecords(c));
  }

  addApp(appToken: string, name = '多维表格'): void {
    if (!this.bases.has(appToken)) this.bases.set(appToken, { appToken, name, tables: [], inFlight: 0, tokens: new Map() });
    else this.bases.get(appToken)!.name = name;
    this.host.changed('bitable');
  }

  reset(): void {
    this.bases.clear();
  }

  // ---------- accessors ----------

  apps(): BitableAppView[] {
    return [...this.bases.values()].map((b) => ({ appToken: b.appToken, name: b.name, tableCount: b.tables.length }));
  }

  tables(appToken: string): BitableTableView[] {
    return (this.bases.get(appToken)?.tables ?? []).map((t) => ({
      table_id: t.table_id,
      name: t.name,
      revision: t.revision,
      default_view_id: t.default_view_id,
      default_view_name: t.default_view_name,
      fields: clone(t.fields),
      recordCount: t.records.size,
    }));
  }

  records(appToken: string, tableId: string): BitableRecordView[] {
    const table = this.bases.get(appToken)?.tables.find((t) => t.table_id === tableId);
    if (!table) return [];
    return [...table.records.values()].map((r) => ({
      record_id: r.record_id,
      fields: this.readFields(table, r),
      plain: this.plainFields(table, r),
      created_time: r.created_time,
      last_modified_time: r.last_modified_time,
    }));
  }

  // ---------- plumbing ----------

  /** 1254040 BaseTokenNotFound for a base nobody created (or shared with the bot). */
  private base(c: Ctx): Base {
    const b = this.bases.get(c.params.app_token ?? '');
    if (!b) bad(CODE.baseTokenNotFound, 'BaseTokenNotFound');
    return b;
  }

  private table(b: Base, c: Ctx): StoredTable {
    const t = b.tables.find((x) => x.table_id === c.params.table_id);
    if (!t) bad(CODE.tableIdNotFound, 'TableIdNotFound');
    return t;
  }

  /**
   * 多维表格概述: 「建议对单一多维表格同时只请求一次 API 写操作」, and 1254291 Write conflict (新增多条记录:
   * 「同一个数据表(table) 不支持并发调用写接口」). A write arriving while another write to the same base is
   * still being processed (until its answer leaves, so a test's setDelay holds it open) gets 1254291.
   * The emulator applies the rule per base, the stricter of the two pages.
   */
  private beginWrite(b: Base): () => void {
    if (b.inFlight > 0)
      bad(CODE.writeConflict, 'Write conflict: another write to this base is still being processed (one write at a time per base; retry after 0.5–1 s)');
    b.inFlight += 1;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        b.inFlight -= 1;
      }
    };
  }

  /** A write: conflicts checked, the base held until the answer leaves (Reply.after). */
  private write(b: Base, run: () => Record<string, unknown>): Reply {
    const end = this.beginWrite(b);
    try {
      const reply = ok(run());
      this.host.changed('bitable');
      return { ...reply, after: end };
    } catch (e) {
      end();
      throw e;
    }
  }

  // ---------- tables ----------

  /**
   * 新增一个数据表: name 1–100 characters after trimming, without / \ ? * : [ ]; a name the base has
   * → 1254013; default_view_name without [ ] and only with fields; 1–300 fields, the first (index)
   * of type 1, 2, 5, 13, 15, 20 or 22 (1254012), no lookup; field names non-empty (1254029) and
   * unique (1254014); number formatter and date_formatter from 字段编辑指南's lists; at most 100
   * tables per base (1254100).
   */
  private createTable(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.createTable);
    this.host.limit(c, 'bitable.tables.create', RATE.createTable);
    const b = this.base(c);
    const body = isRecord(c.body) ? c.body : bad(CODE.wrongRequestBody, 'WrongRequestBody');
    const t = isRecord(body.table) ? body.table : bad(CODE.wrongRequestBody, 'WrongRequestBody: table is required');
    if (typeof t.name !== 'string') bad(CODE.wrongRequestBody, 'WrongRequestBody: table.name is required');
    const name = t.name.trim();
    if (name.length < 1 || name.length > 100) bad(CODE.fieldValidation, 'field validation failed: table.name must be 1–100 characters', 400);
    // The page gives no code for a forbidden character; 1254001 WrongRequestBody is the emulator's choice.
    if (/[/\\?*:[\]]/.test(name)) bad(CODE.wrongRequestBody, 'WrongRequestBody: table.name must not contain / \\ ? * : [ ]');
    if (b.tables.some((x) => x.name === name)) bad(CODE.tableNameDuplicated, 'TableNameDuplicated');
    if (b.tables.length >= 100) bad(CODE.tableExceedLimit, 'TableExceedLimit');
    let viewName: string | undefined;
    if (t.default_view_name !== undefined) {
      if (typeof t.default_view_name !== 'string' || !t.default_view_name.trim()) bad(CODE.emptyViewName, 'EmptyViewName', 400);
      viewName = t.default_view_name.trim();
      if (/[[\]]/.test(viewName)) bad(CODE.invalidViewName, 'InvalidViewName', 400);
      // 「如果传入了 default_view_name 字段，则必须传入 fields 字段」.
      if (t.fields === undefined) bad(CODE.wrongRequestBody, 'WrongRequestBody: default_view_name needs fields');
    }
    let fields: BitableField[];
    if (t.fields === undefined) {
      // 「若 default_view_name 字段和 fields 字段都不传，将会创建一个仅包含索引字段的空数据表」 (its name is not
      // documented; the emulator calls it 文本 like Lark's UI).
      fields = [{ field_id: `fld${alnum(7)}`, field_name: '文本', type: 1, ui_type: 'Text', property: null, is_primary: true }];
    } else {
      if (!Array.isArray(t.fields) || t.fields.length < 1 || t.fields.length > 300)
        bad(CODE.fieldValidation, 'field validation failed: table.fields must have 1–300 entries', 400);
      const seen = new Set<string>();
      fields = t.fields.map((f, i) => {
        const field = this.readField(f, i);
        if (seen.has(field.field_name)) bad(CODE.fieldNameDuplicated, `FieldNameDuplicated: ${field.field_name}`, 400);
        seen.add(field.field_name);
        return field;
      });
      if (!INDEX_TYPES.has(fields[0]!.type))
        bad(CODE.notSupportFieldOrView, 'NotSupportFieldOrView: the first (index) field must be of type 1, 2, 5, 13, 15, 20 or 22', 400);
    }
    return this.write(b, () => {
      const table: StoredTable = {
        table_id: `tbl${alnum(13)}`,
        name,
        revision: 1,
        default_view_id: `vew${alnum(7)}`,
        default_view_name: viewName ?? '表格',
        fields,
        records: new Map(),
        nextAuto: 1,
      };
      b.tables.push(table);
      // 「default_view_id … 仅在请求参数中填写了 default_view_name 或 fields 字段才会返回」; field_id_list only with fields.
      return {
        table_id: table.table_id,
        ...(t.fields !== undefined ? { default_view_id: table.default_view_id, field_id_list: fields.map((f) => f.field_id) } : {}),
      };
    });
  }

  private readField(f: unknown, i: number): BitableField {
    const where = `table.fields[${i}]`;
    if (!isRecord(f)) bad(CODE.wrongRequestBody, `WrongRequestBody: ${where} must be an object`);
    if (typeof f.field_name !== 'string' || !f.field_name.trim()) bad(CODE.invalidFieldName, `InvalidFieldName: ${where}.field_name is empty`, 400);
    const name = f.field_name.trim();
    const type = f.type;
    // 「type … 不支持新增 19 查找引用字段类型」, and 24 / 3001 are read-only (字段编辑指南).
    if (typeof type !== 'number' || !CREATABLE.has(type)) bad(CODE.notSupportFieldOrView, `NotSupportFieldOrView: ${where}.type ${JSON.stringify(type)}`, 400);
    const allowedUi = UI_TYPES[type] ?? [];
    const ui = f.ui_type === undefined ? allowedUi[0]! : f.ui_type;
    // The pages give no code for a ui_type that does not fit the type; 1254012 is the emulator's choice.
    if (typeof ui !== 'string' || !allowedUi.includes(ui))
      bad(CODE.notSupportFieldOrView, `NotSupportFieldOrView: ${where}.ui_type ${JSON.stringify(ui)} for type ${type}`, 400);
    const property = this.readProperty(f.property, type, ui, where);
    return {
      field_id: `fld${alnum(7)}`,
      field_name: name,
      type,
      ui_type: ui,
      property,
      is_primary: i === 0,
      ...(f.description !== undefined ? { description: f.description } : {}),
    };
  }

  /**
   * 字段编辑指南: number formatter (default "0.0") from its list; Currency with formatter "0"…"0.0000"
   * and a currency_code; Progress formatter from its list; Rating formatter "0" with min 0/1 and max
   * 1–10; date_formatter (default "yyyy/MM/dd") from its list; select options named, colours 0–54 and no
   * id at creation (「创建时不允许指定 ID」). The pages give no code for a bad property: 1254001
   * WrongRequestBody is the emulator's choice (1254026 EmptyOptionName for an unnamed option).
   */
  private readProperty(p: unknown, type: number, ui: string, where: string): Record<string, unknown> | null {
    const badProp: (why: string) => never = (why) => bad(CODE.wrongRequestBody, `WrongRequestBody: ${where}.property ${why}`);
    if (p !== undefined && p !== null && !isRecord(p)) badProp('must be an object');
    const prop: Record<string, unknown> = isRecord(p) ? clone(p) : {};
    switch (type) {
      case 2: {
        const f = prop.formatter;
        if (ui === 'Currency') {
          if (typeof f !== 'string' || !CURRENCY_FORMATTERS.has(f)) badProp(`formatter ${JSON.stringify(f)} is not a currency formatter`);
          if (typeof prop.currency_code !== 'string' || !CURRENCY_CODES.has(prop.currency_code)) badProp(`currency_code ${JSON.stringify(prop.currency_code)}`);
        } else if (ui === 'Progress') {
          if (typeof f !== 'string' || !PROGRESS_FORMATTERS.has(f)) badProp(`formatter ${JSON.stringify(f)} is not a progress formatter`);
        } else if (ui === 'Rating') {
          if (f !== '0') badProp('formatter of a rating must be "0"');
          if (prop.min !== 0 && prop.min !== 1) badProp('min of a rating must be 0 or 1');
          if (typeof prop.max !== 'number' || !Number.isInteger(prop.max) || prop.max < 1 || prop.max > 10) badProp('max of a rating must be 1–10');
        } else {
          if (f === undefined) prop.formatter = '0.0';
          else if (typeof f !== 'string' || !NUMBER_FORMATTERS.has(f))
            badProp(`formatter ${JSON.stringify(f)} is not one of ${[...NUMBER_FORMATTERS].join(' ')}`);
        }
        return prop;
      }
      case 5:
      case 1001:
      case 1002: {
        const f = prop.date_formatter;
        if (f === undefined) prop.date_formatter = 'yyyy/MM/dd';
        else if (typeof f !== 'string' || !DATE_FORMATTERS.has(f))
          badProp(`date_formatter ${JSON.stringify(f)} is not one of ${[...DATE_FORMATTERS].join(', ')}`);
        if (type === 5) {
          if (prop.auto_fill !== undefined && typeof prop.auto_fill !== 'boolean') badProp('auto_fill must be a boolean');
          prop.auto_fill = prop.auto_fill ?? false;
        }
        return prop;
      }
      case 3:
      case 4: {
        const options = prop.options ?? [];
        if (!Array.isArray(options)) badProp('options must be an array');
        let color = -1;
        prop.options = options.map((o, j) => {
          if (!isRecord(o)) badProp(`options[${j}] must be an object`);
          if (typeof o.name !== 'string' || !o.name) bad(CODE.emptyOptionName, `EmptyOptionName: ${where}.property.options[${j}]`);
          if (o.id !== undefined) badProp(`options[${j}].id must not be given at creation`);
          // 「color … 默认从上一个选项的 color 开始依次递增。取值范围：0~54」.
          const c = o.color === undefined ? (color + 1) % 55 : o.color;
          if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 54) badProp(`options[${j}].color must be 0–54`);
          color = c;
          return { name: o.name, id: `opt${alnum(7)}`, color: c };
        });
        return prop;
      }
      case 11:
        prop.multiple = prop.multiple ?? true;
        return prop;
      default:
        return Object.keys(prop).length ? prop : null;
    }
  }

  /** 列出数据表: page_size ≤ 100 (default 20); items {table_id, revision, name}. */
  private listTables(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.listTables);
    this.host.limit(c, 'bitable.tables.list', RATE.listTables);
    const b = this.base(c);
    const p = page(
      b.tables.map((t) => ({ table_id: t.table_id, revision: t.revision, name: t.name })),
      pageOf(c, 100),
    );
    return ok({ ...p, total: b.tables.length });
  }

  /** 列出字段: page_size ≤ 100 (default 20). */
  private listFields(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.listFields);
    this.host.limit(c, 'bitable.fields.list', RATE.listFields);
    const t = this.table(this.base(c), c);
    const p = page(
      t.fields.map((f) => ({ ...clone(f), is_hidden: false })),
      pageOf(c, 100),
    );
    return ok({ ...p, total: t.fields.length });
  }

  // ---------- records ----------

  /**
   * client_token of 新增多条记录: 「格式为标准的 uuidv4 … 用于幂等的进行更新操作」; not a uuidv4 → 1254037
   * (HTTP 400); the same token with another request → 1255006 (HTTP 400); the same token while its
   * first request is still being processed → 1254608 ReqRecommited (HTTP 403). Lark does not document
   * what a replay of a finished request answers: the emulator's choice is the first answer again,
   * without writing anything (so a retry after a lost answer creates nothing twice).
   */
  private idempotent(b: Base, c: Ctx, op: string): { replay?: Record<string, unknown>; entry?: TokenEntry } {
    const token = first(c.query, 'client_token');
    if (token === undefined || token === '') return {};
    if (!UUID_V4.test(token)) bad(CODE.invalidClientToken, 'Invalid client token, make sure that it complies with the specification.', 400);
    const fingerprint = JSON.stringify([op, c.params.table_id, first(c.query, 'user_id_type') ?? 'open_id', c.body]);
    const seen = b.tokens.get(token);
    if (seen) {
      if (seen.fingerprint !== fingerprint) bad(CODE.clientTokenConflict, 'Client token conflict, please generate a new client token and try again.', 400);
      if (seen.busy || !seen.data) bad(CODE.reqRecommitted, 'Same API requests are submitted repeatedly.', 403);
      return { replay: clone(seen.data) };
    }
    const entry: TokenEntry = { token, fingerprint, busy: true };
    b.tokens.set(token, entry);
    return { entry };
  }

  /** A write under a client_token: its answer is remembered once it has left (Reply.after). */
  private remembered(b: Base, entry: TokenEntry | undefined, run: () => Reply): Reply {
    if (!entry) return run();
    let reply: Reply;
    try {
      reply = run();
    } catch (e) {
      // A request that failed leaves the token free for a retry.
      b.tokens.delete(entry.token);
      throw e;
    }
    entry.data = clone((reply.json?.data ?? {}) as Record<string, unknown>);
    const end = reply.after;
    return {
      ...reply,
      after: () => {
        entry.busy = false;
        end?.();
      },
    };
  }

  /**
   * 新增多条记录: at most 1,000 records (1254104), all or nothing (多维表格概述: 「批量操作 … 不支持部分成功」);
   * keys are field names (1254045); values as 多维表格记录数据结构 says each type is written; the
   * answer echoes the fields as written, with record_id and id.
   */
  private batchCreate(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.create);
    this.host.limit(c, 'bitable.records.batch_create', RATE.create);
    const b = this.base(c);
    const t = this.table(b, c);
    const { replay, entry } = this.idempotent(b, c, 'batch_create');
    if (replay) return ok(replay);
    return this.remembered(b, entry, () => {
      const body = isRecord(c.body) ? c.body : bad(CODE.wrongRequestBody, 'WrongRequestBody');
      if (!Array.isArray(body.records)) bad(CODE.wrongRequestBody, 'WrongRequestBody: records is required');
      if (body.records.length > 1000) bad(CODE.recordAddOnceExceedLimit, 'RecordAddOnceExceedLimit: at most 1,000 records a call');
      const rows = body.records.map((r, i) => {
        if (!isRecord(r) || !isRecord(r.fields)) bad(CODE.wrongRequestBody, `WrongRequestBody: records[${i}].fields is required`);
        return { sent: r.fields, cells: this.convert(t, r.fields) };
      });
      return this.write(b, () => {
        const now = Date.now();
        const created = rows.map((row) => {
          const rec: StoredRecord = { record_id: this.newRecordId(t), cells: new Map(), created_time: now, last_modified_time: now, auto: t.nextAuto++ };
          this.apply(t, rec, row.cells);
          t.records.set(rec.record_id, rec);
          return { fields: clone(row.sent), record_id: rec.record_id, id: rec.record_id };
        });
        t.revision += 1;
        return { records: created };
      });
    });
  }

  /**
   * 更新多条记录: at most 1,000 records; record_id required (「请忽略左侧必填列的否」), unknown →
   * 1254043; only the fields sent change (null clears a cell). The page does not list client_token;
   * the SDK sends it when given and the emulator treats it as batch_create does. Over 1,000 records:
   * the page names no code; 1254104 (whose text says 「单次调用最多更新 1,000 条记录」) is the emulator's choice.
   */
  private batchUpdate(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.update);
    this.host.limit(c, 'bitable.records.batch_update', RATE.update);
    const b = this.base(c);
    const t = this.table(b, c);
    const { replay, entry } = this.idempotent(b, c, 'batch_update');
    if (replay) return ok(replay);
    return this.remembered(b, entry, () => {
      const body = isRecord(c.body) ? c.body : bad(CODE.wrongRequestBody, 'WrongRequestBody');
      if (!Array.isArray(body.records)) bad(CODE.wrongRequestBody, 'WrongRequestBody: records is required');
      if (body.records.length > 1000) bad(CODE.recordAddOnceExceedLimit, 'RecordAddOnceExceedLimit: at most 1,000 records a call');
      const rows = body.records.map((r, i) => {
        if (!isRecord(r)) bad(CODE.wrongRequestBody, `WrongRequestBody: records[${i}] must be an object`);
        if (typeof r.record_id !== 'string' || !r.record_id) bad(CODE.wrongRequestBody, `WrongRequestBody: records[${i}].record_id is required`);
        const rec = t.records.get(r.record_id);
        if (!rec) bad(CODE.recordIdNotFound, `RecordIdNotFound: ${r.record_id}`);
        if (!isRecord(r.fields)) bad(CODE.wrongRequestBody, `WrongRequestBody: records[${i}].fields is required`);
        return { rec, sent: r.fields, cells: this.convert(t, r.fields) };
      });
      return this.write(b, () => {
        const now = Date.now();
        const updated = rows.map((row) => {
          this.apply(t, row.rec, row.cells);
          row.rec.last_modified_time = now;
          return { fields: clone(row.sent), record_id: row.rec.record_id, id: row.rec.record_id };
        });
        t.revision += 1;
        return { records: updated };
      });
    });
  }

  /**
   * 删除多条记录: body {records: [record_id…]}, 「单次调用中最多删除 500 条记录」 (the page names no code
   * for more: 1254001 WrongRequestBody is the emulator's choice); an unknown id → 1254043
   * RecordIdNotFound and nothing deleted (the page's `deleted: false` is never produced).
   */
  private batchDelete(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.delete);
    this.host.limit(c, 'bitable.records.batch_delete', RATE.delete);
    const b = this.base(c);
    const t = this.table(b, c);
    const body = isRecord(c.body) ? c.body : bad(CODE.wrongRequestBody, 'WrongRequestBody');
    const ids = body.records;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) bad(CODE.wrongRequestBody, 'WrongRequestBody: records must be an array of record ids');
    if (ids.length > 500) bad(CODE.wrongRequestBody, 'WrongRequestBody: at most 500 records a call');
    for (const id of ids as string[]) if (!t.records.has(id)) bad(CODE.recordIdNotFound, `RecordIdNotFound: ${id}`);
    return this.write(b, () => {
      for (const id of ids as string[]) t.records.delete(id);
      t.revision += 1;
      return { records: (ids as string[]).map((id) => ({ deleted: true, record_id: id })) };
    });
  }

  /**
   * 查询记录: page_size ≤ 500 (default 20); filter {conjunction and|or, conditions ≤ 50 of {field_name,
   * operator, value: string[] ≤ 10}, children one level}; isEmpty / isNotEmpty take 「"value":[]」;
   * like and in are 「暂未支持」; sort ≤ 100; field_names ≤ 200; items {fields, record_id}, has_more,
   * page_token, total. Text cells come back as [{text, type:"text"}]. Filter errors: the pages give no
   * code, 1254001 is the emulator's choice (1254045 for an unknown field name).
   */
  private search(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.search);
    this.host.limit(c, 'bitable.records.search', RATE.search);
    const t = this.table(this.base(c), c);
    const paging = pageOf(c, 500);
    const body = c.body === undefined ? {} : isRecord(c.body) ? c.body : bad(CODE.wrongRequestBody, 'WrongRequestBody');
    const wrong: (why: string) => never = (why) => bad(CODE.wrongRequestBody, `WrongRequestBody: ${why}`);
    const fieldNamed = (name: unknown): BitableField => {
      const f = typeof name === 'string' ? t.fields.find((x) => x.field_name === name) : undefined;
      if (!f) bad(CODE.fieldNameNotFound, `FieldNameNotFound: ${String(name)}`);
      return f;
    };
    let names: string[] | undefined;
    if (body.field_names !== undefined) {
      if (!Array.isArray(body.field_names) || body.field_names.length > 200) wrong('field_names must be an array of at most 200 names');
      names = (body.field_names as unknown[]).map((n) => fieldNamed(n).field_name);
    }
    type Test = (r: StoredRecord) => boolean;
    const group = (g: unknown, where: string, depth: number): Test => {
      if (!isRecord(g)) wrong(`${where} must be an object`);
      if (g.conjunction !== 'and' && g.conjunction !== 'or') wrong(`${where}.conjunction must be "and" or "or"`);
      const conditions = g.conditions ?? [];
      if (!Array.isArray(conditions) || conditions.length > 50) wrong(`${where}.conditions must be an array of at most 50 conditions`);
      const tests: Test[] = conditions.map((cond, i) => {
        const cw = `${where}.conditions[${i}]`;
        if (!isRecord(cond)) wrong(`${cw} must be an object`);
        const field = fieldNamed(cond.field_name);
        const op = cond.operator;
        if (typeof op !== 'string' || !OPERATORS.has(op)) wrong(`${cw}.operator ${JSON.stringify(op)} is not supported`);
        const value = cond.value ?? [];
        if (!Array.isArray(value) || value.length > 10 || value.some((v) => typeof v !== 'string')) wrong(`${cw}.value must be an array of at most 10 strings`);
        if ((op === 'isEmpty' || op === 'isNotEmpty') && value.length > 0) wrong(`${cw}.value must be [] for ${op}`);
        return (r: StoredRecord) => this.matches(field, r, op, value as string[]);
      });
      if (g.children !== undefined) {
        // 「children … 仅支持一层」.
        if (depth > 0 || !Array.isArray(g.children)) wrong(`${where}.children: one level of children only`);
        for (const [i, child] of (g.children as unknown[]).entries()) tests.push(group(child, `${where}.children[${i}]`, depth + 1));
      }
      if (tests.length === 0) return () => true;
      return g.conjunction === 'and' ? (r) => tests.every((x) => x(r)) : (r) => tests.some((x) => x(r));
    };
    const test = body.filter === undefined || body.filter === null ? () => true : group(body.filter, 'filter', 0);
    let rows = [...t.records.values()].filter(test);
    if (body.sort !== undefined) {
      if (!Array.isArray(body.sort) || body.sort.length > 100) wrong('sort must be an array of at most 100 entries');
      const keys = (body.sort as unknown[]).map((s) => {
        if (!isRecord(s)) wrong('sort entries must be objects');
        return { field: fieldNamed(s.field_name), desc: s.desc === true };
      });
      rows = rows.sort((a, b) => {
        for (const k of keys) {
          const d = compare(this.sortKey(k.field, a), this.sortKey(k.field, b));
          if (d !== 0) return k.desc ? -d : d;
        }
        return 0;
      });
    }
    const p = page(rows, paging);
    const automatic = body.automatic_fields === true;
    return ok({
      items: p.items.map((r) => ({
        fields: this.readFields(t, r, names),
        record_id: r.record_id,
        ...(automatic ? { created_time: r.created_time, last_modified_time: r.last_modified_time } : {}),
      })),
      has_more: p.has_more,
      ...(p.page_token ? { page_token: p.page_token } : {}),
      total: rows.length,
    });
  }

  /**
   * 列出记录 (「历史接口，已不推荐使用」): page_size ≤ 500, field_names as a JSON array string, text as a
   * plain string unless text_field_as_array=true. Its formula `filter` and `sort` are not evaluated
   * by the emulator: it refuses them (1254001) rather than answer wrongly; use search.
   */
  private listRecords(c: Ctx): Reply {
    this.host.requireScope(c, SCOPES.list);
    this.host.limit(c, 'bitable.records.list', RATE.list);
    const t = this.table(this.base(c), c);
    if (first(c.query, 'filter') || first(c.query, 'sort'))
      bad(CODE.wrongRequestBody, 'WrongRequestBody: the emulator does not evaluate the legacy formula filter or sort; use records/search');
    const paging = pageOf(c, 500);
    let names: string[] | undefined;
    const rawNames = first(c.query, 'field_names');
    if (rawNames) {
      try {
        names = JSON.parse(rawNames) as string[];
      } catch {
        bad(CODE.wrongRequestBody, 'WrongRequestBody: field_names must be a JSON array');
      }
      for (const n of names ?? []) if (!t.fields.some((f) => f.field_name === n)) bad(CODE.fieldNameNotFound, `FieldNameNotFound: ${n}`);
    }
    const asArray = first(c.query, 'text_field_as_array') === 'true';
    const all = [...t.records.values()];
    const p = page(all, paging);
    return ok({
      items: p.items.map((r) => {
        const fields = this.readFields(t, r, names);
        if (!asArray) for (const f of t.fields) if (f.type === 1 && f.field_name in fields) fields[f.field_name] = textOf(fields[f.field_name]);
        return { fields, record_id: r.record_id, id: r.record_id };
      }),
      has_more: p.has_more,
      ...(p.page_token ? { page_token: p.page_token } : {}),
      total: all.length,
    });
  }

  private newRecordId(t: StoredTable): string {
    for (;;) {
      const id = `rec${alnum(7)}`;
      if (!t.records.has(id)) return id;
    }
  }

  /**
   * Checks the written cells against 多维表格记录数据结构 (the format each type is written in) and
   * answers each type's conversion error (1254060–1254074). Returns the cells in read format keyed by
   * field_id (undefined clears), plus the select options to create. Nothing is changed here.
   */
  private convert(t: StoredTable, fields: Record<string, unknown>): Map<string, { value: unknown; newOptions?: string[] }> {
    const out = new Map<string, { value: unknown; newOptions?: string[] }>();
    for (const [name, v] of Object.entries(fields)) {
      // 「字段名称不存在」: names are matched exactly.
      const f = t.fields.find((x) => x.field_name === name);
      if (!f) bad(CODE.fieldNameNotFound, `FieldNameNotFound: ${name}`);
      if (v === null) {
        out.set(f.field_id, { value: undefined });
        continue;
      }
      const fail: (code: number, what: string, status?: number) => never = (code, what, status = 200) =>
        bad(code, `${what}: field ${JSON.stringify(name)} got ${JSON.stringify(v)}`, status);
      switch (f.type) {
        case 1: {
          // 「文本：原值展示，不支持 markdown 语法」, written as a string, read as [{text, type:"text"}].
          if (typeof v !== 'string') fail(CODE.textConv, 'TextFieldConvFail');
          if (v.length > 100_000) bad(CODE.tooLargeCell, `TooLargeCell: field ${JSON.stringify(name)}`);
          out.set(f.field_id, { value: v === '' ? undefined : [{ text: v, type: 'text' }] });
          break;
        }
        case 2:
          if (typeof v !== 'number' || !Number.isFinite(v)) fail(CODE.numberConv, 'NumberFieldConvFail');
          out.set(f.field_id, { value: v });
          break;
        case 3: {
          // 「单选：填写选项值，对于新的选项值，将会创建一个新的选项」.
          if (typeof v !== 'string') fail(CODE.singleSelectConv, 'SingleSelectFieldConvFail');
          const known = this.optionNames(f);
          out.set(f.field_id, { value: v === '' ? undefined : v, newOptions: v && !known.includes(v) ? [v] : [] });
          break;
        }
        case 4: {
          if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(CODE.multiSelectConv, 'MultiSelectFieldConvFail');
          const known = this.optionNames(f);
          const names = [...new Set(v as string[])];
          out.set(f.field_id, { value: names.length ? names : undefined, newOptions: names.filter((x) => !known.includes(x)) });
          break;
        }
        case 5:
          // 「日期：填写毫秒级时间戳」.
          if (typeof v !== 'number' || !Number.isInteger(v)) fail(CODE.datetimeConv, 'DatetimeFieldConvFail');
          out.set(f.field_id, { value: v });
          break;
        case 7:
          if (typeof v !== 'boolean') fail(CODE.checkboxConv, 'CheckboxFieldConvFail');
          out.set(f.field_id, { value: v });
          break;
        case 11: {
          // 「目前只支持填写 id 参数，且需要传入数组」.
          if (!Array.isArray(v) || v.some((x) => !isRecord(x) || typeof x.id !== 'string' || Object.keys(x).some((k) => k !== 'id')))
            fail(CODE.userConv, 'UserFieldConvFail');
          const people = (v as { id: string }[]).map(({ id }) => {
            const u = this.host.getUser(id) ?? this.host.listUsers().find((x) => x.user_id === id || x.union_id === id);
            return { id, ...(u ? { name: u.name, en_name: u.en_name, email: u.email ?? '' } : {}) };
          });
          out.set(f.field_id, { value: people.length ? people : undefined });
          break;
        }
        case 13:
          // 电话号码: 「(\+)?\d*」, at most 64 characters (多维表格记录数据结构).
          if (typeof v !== 'string' || !/^\+?\d*$/.test(v) || v.length > 64)
            fail(CODE.phoneConv, 'Failed to convert phone field, please make sure it is correct.');
          out.set(f.field_id, { value: v || undefined });
          break;
        case 15:
          if (!isRecord(v) || typeof v.link !== 'string' || (v.text !== undefined && typeof v.text !== 'string')) fail(CODE.urlConv, 'URLFieldConvFail');
          out.set(f.field_id, { value: { text: (v.text as string | undefined) ?? v.link, link: v.link } });
          break;
        case 17:
          if (!Array.isArray(v) || v.some((x) => !isRecord(x) || typeof x.file_token !== 'string')) fail(CODE.attachConv, 'AttachFieldConvFail');
          out.set(f.field_id, { value: clone(v) });
          break;
        case 18:
        case 21:
          // 「单向关联 / 双向关联：填写被关联表的记录 ID」, read back as {link_record_ids}.
          if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
            f.type === 18 ? fail(CODE.linkConv, 'LinkFieldConvFail') : fail(CODE.duplexLinkConv, 'DuplexLinkFieldConvFail', 400);
          out.set(f.field_id, { value: { link_record_ids: [...(v as string[])] } });
          break;
        case 22:
          // 「地理位置：填写经纬度坐标」; no conversion code is documented: 1254001 is the emulator's choice.
          if (typeof v !== 'string' || !/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(v)) fail(CODE.wrongRequestBody, 'WrongRequestBody');
          out.set(f.field_id, { value: { location: v } });
          break;
        case 23:
          if (!Array.isArray(v) || v.some((x) => !isRecord(x) || typeof x.id !== 'string')) fail(CODE.wrongRequestBody, 'WrongRequestBody');
          out.set(f.field_id, { value: (v as { id: string }[]).map(({ id }) => ({ id })) });
          break;
        default:
          // Formula, lookup, created/modified time and by, auto number: computed by Lark, not written.
          // The pages name no code for writing them; 1254001 is the emulator's choice.
          if (READ_ONLY.has(f.type)) fail(CODE.wrongRequestBody, 'WrongRequestBody: the field is computed and cannot be written');
          out.set(f.field_id, { value: clone(v) });
      }
    }
    return out;
  }

  private optionNames(f: BitableField): string[] {
    const options = f.property?.options;
    return Array.isArray(options) ? options.map((o) => (isRecord(o) ? String(o.name) : '')) : [];
  }

  private apply(t: StoredTable, rec: StoredRecord, cells: Map<string, { value: unknown; newOptions?: string[] }>): void {
    for (const [fieldId, { value, newOptions }] of cells) {
      const f = t.fields.find((x) => x.field_id === fieldId)!;
      for (const name of newOptions ?? []) {
        if (this.optionNames(f).includes(name)) continue;
        const options = (f.property ??= {}).options as { name: string; id: string; color: number }[] | undefined;
        const list = options ?? [];
        list.push({ name, id: `opt${alnum(7)}`, color: ((list.at(-1)?.color ?? -1) + 1) % 55 });
        f.property.options = list;
      }
      if (value === undefined) rec.cells.delete(fieldId);
      else rec.cells.set(fieldId, clone(value));
    }
  }

  /** The cells as Lark reads them back, keyed by field name (computed fields filled in). */
  private readFields(t: StoredTable, r: StoredRecord, names?: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of t.fields) {
      if (names && !names.includes(f.field_name)) continue;
      const v = f.type === 1001 ? r.created_time : f.type === 1002 ? r.last_modified_time : f.type === 1005 ? String(r.auto) : r.cells.get(f.field_id);
      if (v !== undefined) out[f.field_name] = clone(v);
    }
    return out;
  }

  private plainFields(t: StoredTable, r: StoredRecord): Record<string, PlainValue> {
    const read = this.readFields(t, r);
    const out: Record<string, PlainValue> = {};
    for (const f of t.fields) {
      const v = read[f.field_name];
      if (v === undefined) {
        out[f.field_name] = null;
        continue;
      }
      switch (f.type) {
        case 1:
          out[f.field_name] = textOf(v);
          break;
        case 11:
        case 23:
          out[f.field_name] = (v as { id: string; name?: string }[]).map((p) => p.name ?? p.id);
          break;
        case 15:
          out[f.field_name] = (v as { text: string }).text;
          break;
        case 17:
          out[f.field_name] = (v as { file_token: string; name?: string }[]).map((a) => a.name ?? a.file_token);
          break;
        case 18:
        case 21:
          out[f.field_name] = [...(v as { link_record_ids: string[] }).link_record_ids];
          break;
        case 22:
          out[f.field_name] = (v as { location: string }).location;
          break;
        default:
          out[f.field_name] = typeof v === 'object' ? JSON.stringify(v) : (v as PlainValue);
      }
    }
    return out;
  }

  private cellOf(f: BitableField, r: StoredRecord): unknown {
    if (f.type === 1001) return r.created_time;
    if (f.type === 1002) return r.last_modified_time;
    if (f.type === 1005) return String(r.auto);
    return r.cells.get(f.field_id);
  }

  private sortKey(f: BitableField, r: StoredRecord): string | number {
    const v = this.cellOf(f, r);
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (f.type === 1) return textOf(v);
    if (typeof v === 'string') return v;
    return v === undefined ? '' : JSON.stringify(v);
  }

  /**
   * One filter condition, after 记录筛选参数填写说明: text cells compare their text; numbers the number
   * in value[0]; single selects their option name (contains: any of the values); multi selects and
   * people their names / ids (is: the same set; contains: any); dates take ["ExactDate", "<ms>"],
   * ["Today"], ["Yesterday"] or ["Tomorrow"], compared by day in Beijing time; checkboxes "true" /
   * "false". isEmpty / isNotEmpty test for a missing or empty cell.
   */
  private matches(f: BitableField, r: StoredRecord, op: string, value: string[]): boolean {
    const cell = this.cellOf(f, r);
    const empty = cell === undefined || cell === '' || (Array.isArray(cell) && (cell.length === 0 || (f.type === 1 && textOf(cell) === '')));
    if (op === 'isEmpty') return empty;
    if (op === 'isNotEmpty') return !empty;
    const v0 = value[0] ?? '';
    const ordered = (a: number | string, b: number | string): boolean => {
      const d = compare(a, b);
      return op === 'is'
        ? d === 0
        : op === 'isNot'
          ? d !== 0
          : op === 'isGreater'
            ? d > 0
            : op === 'isGreaterEqual'
              ? d >= 0
              : op === 'isLess'
                ? d < 0
                : op === 'isLessEqual'
                  ? d <= 0
                  : false;
    };
    switch (f.type) {
      case 2:
      case 1005: {
        if (op === 'contains' || op === 'doesNotContain') return (op === 'contains') === String(cell ?? '').includes(v0);
        if (empty) return op === 'isNot';
        return ordered(Number(cell), Number(v0));
      }
      case 5:
      case 1001:
      case 1002: {
        const now = Date.now();
        const target =
          v0 === 'ExactDate' ? Number(value[1]) : v0 === 'Today' ? now : v0 === 'Yesterday' ? now - DAY_MS : v0 === 'Tomorrow' ? now + DAY_MS : Number.NaN;
        if (Number.isNaN(target)) bad(CODE.wrongRequestBody, `WrongRequestBody: date value ${JSON.stringify(value)}`);
        if (empty) return op === 'isNot';
        return ordered(dayOf(Number(cell)), dayOf(target));
      }
      case 3: {
        const name = typeof cell === 'string' ? cell : '';
        if (op === 'contains') return value.includes(name);
        if (op === 'doesNotContain') return !value.includes(name);
        return ordered(name, v0);
      }
      case 4:
      case 11:
      case 23: {
        const items = Array.isArray(cell) ? cell.map((x) => (isRecord(x) ? String(x.id) : String(x))) : [];
        if (op === 'contains') return value.some((x) => items.includes(x));
        if (op === 'doesNotContain') return !value.some((x) => items.includes(x));
        const same = items.length === value.length && value.every((x) => items.includes(x));
        return op === 'is' ? same : op === 'isNot' ? !same : false;
      }
      case 7: {
        const b = cell === true ? 'true' : 'false';
        return op === 'is' ? b === v0 : op === 'isNot' ? b !== v0 : false;
      }
      default: {
        const text = f.type === 1 ? textOf(cell) : typeof cell === 'string' ? cell : isRecord(cell) && typeof cell.text === 'string' ? cell.text : '';
        if (op === 'contains') return text.includes(v0);
        if (op === 'doesNotContain') return !text.includes(v0);
        return ordered(text, v0);
      }
    }
  }
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
