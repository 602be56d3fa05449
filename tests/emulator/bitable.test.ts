// Bitable (多维表格, bitable v1) through the real SDK over real HTTP: bases that exist only once
// added, tables and their fields, records written in each type's format, client_token replays,
// search, scopes, rate limits and the one-write-at-a-time rule per base.
import { Client } from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES, type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { waitFor } from '../helpers/harness.js';

const APP = 'cli_bitable';
const BASE = 'bascnLedger0000000000000001';
const OTHER_BASE = 'bascnLedger0000000000000002';
const PERSON = 'ou_person00000000000000000000000001';
const SUBMITTED = Date.UTC(2026, 2, 5, 1, 30); // 2026/03/05 09:30 in Beijing

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/** What Lark answered: the SDK returns HTTP 200 errors and throws on the others. */
async function outcome(p: Promise<{ code?: number; msg?: string }>): Promise<{ status: number; code: number | undefined; msg?: string }> {
  try {
    const r = await p;
    return { status: 200, code: r.code, msg: r.msg };
  } catch (e) {
    const res = (e as { response?: { status: number; data: { code?: number; msg?: string } } }).response;
    if (!res) throw e;
    return { status: res.status, code: res.data.code, msg: res.data.msg };
  }
}

const FIELDS = [
  { field_name: '申报编号', type: 1 },
  { field_name: '单位名称', type: 1 },
  { field_name: '提交时间', type: 5, property: { date_formatter: 'yyyy/MM/dd HH:mm' } },
  { field_name: '得分', type: 2, property: { formatter: '0.00' } },
  { field_name: '状态', type: 3, property: { options: [{ name: '审核中' }, { name: '已推荐' }] } },
  { field_name: '标签', type: 4 },
  { field_name: '已公示', type: 7 },
  { field_name: '审核人', type: 11 },
  { field_name: '联系电话', type: 13 },
  { field_name: '详情', type: 15 },
  { field_name: '附件', type: 17 },
  { field_name: '关联', type: 18 },
  { field_name: '双向关联', type: 21 },
];

type Fields = Record<string, unknown>;

describe('bitable (多维表格)', () => {
  let emu: LarkEmulator;
  let client: Client;
  let tableId: string;

  const createTable = (table: Record<string, unknown>, appToken = BASE) =>
    client.bitable.v1.appTable.create({ path: { app_token: appToken }, data: { table: table as never } });
  const batchCreate = (records: Fields[], params: { client_token?: string } = {}, appToken = BASE) =>
    client.bitable.v1.appTableRecord.batchCreate({
      path: { app_token: appToken, table_id: tableId },
      params,
      data: { records: records.map((fields) => ({ fields })) as never },
    });
  const batchUpdate = (records: { record_id: string; fields: Fields }[]) =>
    client.bitable.v1.appTableRecord.batchUpdate({ path: { app_token: BASE, table_id: tableId }, data: { records: records as never } });
  const search = (data: Record<string, unknown> = {}, params: { page_size?: number; page_token?: string } = {}) =>
    client.bitable.v1.appTableRecord.search({ path: { app_token: BASE, table_id: tableId }, params, data: data as never });

  beforeAll(async () => {
    emu = await startLarkEmulator({ apps: [{ appId: APP, appSecret: 'secret' }] });
    const store = new Map<string, { value: unknown; exp?: number }>();
    client = new Client({
      appId: APP,
      appSecret: 'secret',
      domain: emu.url,
      logger: quiet,
      cache: {
        set: async (key, value, exp, opts) => (store.set(`${opts?.namespace}/${String(key)}`, { value, exp }), true),
        get: async (key, opts) => {
          const hit = store.get(`${opts?.namespace}/${String(key)}`);
          return hit && (!hit.exp || hit.exp > Date.now()) ? hit.value : undefined;
        },
      },
    });
  });
  afterAll(async () => emu.close());

  beforeEach(async () => {
    emu.reset();
    emu.setScopes(APP, DEFAULT_GRANTED_SCOPES);
    emu.addUser({ open_id: PERSON, user_id: 'u_person', name: '李娜' });
    emu.addBitableApp(BASE, '技能大师工作室申报台账');
    const res = await createTable({ name: '2026 年申报', default_view_name: '全部申报', fields: FIELDS });
    expect(res.code).toBe(0);
    tableId = res.data!.table_id!;
  });

  describe('bases and tables', () => {
    it('knows a base only once it was added (1254040 BaseTokenNotFound)', async () => {
      expect(await outcome(createTable({ name: 'x' }, 'bascnNobody'))).toMatchObject({ status: 200, code: 1254040 });
      expect(await outcome(client.bitable.v1.appTable.list({ path: { app_token: 'bascnNobody' } }))).toMatchObject({ code: 1254040 });
    });

    it('creates a table with its view and fields, lists tables and fields by page', async () => {
      const created = await createTable({ name: '  2027 年申报  ', default_view_name: '全部', fields: FIELDS.slice(0, 3) });
      expect(created.data?.table_id).toMatch(/^tbl[0-9A-Za-z]{13}$/);
      expect(created.data?.default_view_id).toMatch(/^vew/);
      expect(created.data?.field_id_list).toHaveLength(3);
      const bare = await createTable({ name: '只有名字' });
      expect(bare.data).toEqual({ table_id: expect.stringMatching(/^tbl/) });

      const first = await client.bitable.v1.appTable.list({ path: { app_token: BASE }, params: { page_size: 2 } });
      expect(first.data).toMatchObject({ has_more: true, total: 3, items: [{ name: '2026 年申报' }, { name: '2027 年申报' }] });
      const rest = await client.bitable.v1.appTable.list({ path: { app_token: BASE }, params: { page_size: 2, page_token: first.data!.page_token! } });
      expect(rest.data).toMatchObject({ has_more: false, items: [{ name: '只有名字', revision: 1 }] });
      expect(await outcome(client.bitable.v1.appTable.list({ path: { app_token: BASE }, params: { page_size: 101 } }))).toMatchObject({
        status: 400,
        code: 99992402,
      });

      const fields = await client.bitable.v1.appTableField.list({ path: { app_token: BASE, table_id: tableId }, params: { page_size: 100 } });
      expect(fields.data?.items?.map((f) => [f.field_name, f.type, f.is_primary])).toEqual(FIELDS.map((f, i) => [f.field_name, f.type, i === 0]));
      expect(fields.data?.items?.find((f) => f.field_name === '得分')?.property).toEqual({ formatter: '0.00' });
      expect(fields.data?.items?.find((f) => f.field_name === '状态')?.property?.options?.map((o) => o.name)).toEqual(['审核中', '已推荐']);
      expect(emu.bitableTables(BASE).map((t) => t.name)).toEqual(['2026 年申报', '2027 年申报', '只有名字']);
    });

    const refusals: [string, Record<string, unknown>, { status: number; code: number }][] = [
      ['an empty name', { name: '   ' }, { status: 400, code: 99992402 }],
      ['a name over 100 characters', { name: '表'.repeat(101) }, { status: 400, code: 99992402 }],
      ['a name with /', { name: '2026/申报' }, { status: 200, code: 1254001 }],
      ['a name with [ ]', { name: '申报[新]' }, { status: 200, code: 1254001 }],
      ['a name with :', { name: '申报:新' }, { status: 200, code: 1254001 }],
      ['a name the base has', { name: '2026 年申报' }, { status: 200, code: 1254013 }],
      ['two fields with one name', { name: 'n', fields: [FIELDS[0], FIELDS[0]] }, { status: 400, code: 1254014 }],
      ['an empty field name', { name: 'n', fields: [{ field_name: ' ', type: 1 }] }, { status: 400, code: 1254029 }],
      ['a single select as the index field', { name: 'n', fields: [{ field_name: 'a', type: 3 }] }, { status: 400, code: 1254012 }],
      ['a lookup field', { name: 'n', fields: [FIELDS[0], { field_name: 'b', type: 19 }] }, { status: 400, code: 1254012 }],
      ['an unknown type', { name: 'n', fields: [FIELDS[0], { field_name: 'b', type: 6 }] }, { status: 400, code: 1254012 }],
      [
        'a number formatter not in the list',
        { name: 'n', fields: [FIELDS[0], { field_name: 'b', type: 2, property: { formatter: '0.00000' } }] },
        { status: 200, code: 1254001 },
      ],
      [
        'a date_formatter not in the list',
        { name: 'n', fields: [FIELDS[0], { field_name: 'b', type: 5, property: { date_formatter: 'yyyy.MM.dd' } }] },
        { status: 200, code: 1254001 },
      ],
      [
        'an option with an id',
        { name: 'n', fields: [FIELDS[0], { field_name: 'b', type: 3, property: { options: [{ name: 'x', id: 'optX' }] } }] },
        { status: 200, code: 1254001 },
      ],
      ['default_view_name without fields', { name: 'n', default_view_name: '视图' }, { status: 200, code: 1254001 }],
    ];
    it.each(refusals)('refuses a table with %s', async (_name, table, expected) => {
      expect(await outcome(createTable(table))).toMatchObject(expected);
      expect(emu.bitableTables(BASE)).toHaveLength(1);
    });

    it('accepts each documented number and date format', async () => {
      const numbers = ['0', '0.0', '0.00', '0.000', '0.0000', '1,000', '1,000.00', '%', '0.00%', '¥', '¥0.00', '$', '$0.00'];
      const dates = ['yyyy/MM/dd', 'yyyy-MM-dd HH:mm', 'MM-dd', 'MM/dd/yyyy', 'dd/MM/yyyy'];
      const res = await createTable({
        name: '格式',
        fields: [
          FIELDS[0],
          ...numbers.map((formatter, i) => ({ field_name: `n${i}`, type: 2, property: { formatter } })),
          ...dates.map((date_formatter, i) => ({ field_name: `d${i}`, type: 5, property: { date_formatter } })),
          { field_name: '货币', type: 2, ui_type: 'Currency', property: { formatter: '0.00', currency_code: 'CNY' } },
        ],
      });
      expect(res.code).toBe(0);
    });
  });

  describe('records', () => {
    it('writes each type as documented and reads text back as [{text, type}]', async () => {
      const created = await batchCreate([
        {
          申报编号: 'WH-2026-001',
          单位名称: '甲公司',
          提交时间: SUBMITTED,
          得分: 87.5,
          状态: '审核中',
          标签: ['制造业', '新选项'],
          已公示: false,
          审核人: [{ id: PERSON }],
          联系电话: '+8613800000000',
          详情: { text: '查看', link: 'https://bot.example/apps/1' },
          附件: [{ file_token: 'boxcnFile' }],
          关联: ['recA'],
          双向关联: ['recB'],
        },
        { 申报编号: 'WH-2026-002', 状态: '区县推荐' },
      ]);
      expect(created.code).toBe(0);
      const [first] = created.data!.records!;
      // The answer echoes what was written.
      expect(first!.fields).toMatchObject({ 申报编号: 'WH-2026-001', 提交时间: SUBMITTED });
      expect(first!.record_id).toMatch(/^rec[0-9A-Za-z]{7}$/);
      // The page's example also carries `id` (the SDK's type leaves it out).
      expect((first as { id?: string }).id).toBe(first!.record_id);

      const found = await search();
      expect(found.data?.total).toBe(2);
      expect(found.data?.items?.[0]?.fields).toEqual({
        申报编号: [{ text: 'WH-2026-001', type: 'text' }],
        单位名称: [{ text: '甲公司', type: 'text' }],
        提交时间: SUBMITTED,
        得分: 87.5,
        状态: '审核中',
        标签: ['制造业', '新选项'],
        已公示: false,
        审核人: [{ id: PERSON, name: '李娜', en_name: '李娜', email: '' }],
        联系电话: '+8613800000000',
        详情: { text: '查看', link: 'https://bot.example/apps/1' },
        附件: [{ file_token: 'boxcnFile' }],
        关联: { link_record_ids: ['recA'] },
        双向关联: { link_record_ids: ['recB'] },
      });
      // An unknown option name creates the option.
      const fields = await client.bitable.v1.appTableField.list({ path: { app_token: BASE, table_id: tableId } });
      expect(fields.data?.items?.find((f) => f.field_name === '状态')?.property?.options?.map((o) => o.name)).toEqual(['审核中', '已推荐', '区县推荐']);
      expect(fields.data?.items?.find((f) => f.field_name === '标签')?.property?.options?.map((o) => o.name)).toEqual(['制造业', '新选项']);
      // The accessor flattens text.
      expect(emu.bitableRecords(BASE, tableId)[0]!.plain).toMatchObject({
        申报编号: 'WH-2026-001',
        提交时间: SUBMITTED,
        得分: 87.5,
        审核人: ['李娜'],
        已公示: false,
      });
    });

    const conversions: [string, Fields, { status?: number; code: number }][] = [
      ['a number in a text field', { 申报编号: 1 }, { code: 1254060 }],
      ['a string in a number field', { 得分: '87.5' }, { code: 1254061 }],
      ['a number in a single select', { 状态: 1 }, { code: 1254062 }],
      ['a string in a multi select', { 标签: '制造业' }, { code: 1254063 }],
      ['a date string', { 提交时间: '2026-03-05' }, { code: 1254064 }],
      ['a string in a checkbox', { 已公示: 'yes' }, { code: 1254065 }],
      ['an open_id string in a person field', { 审核人: PERSON }, { code: 1254066 }],
      ['a person with a name', { 审核人: [{ id: PERSON, name: '李娜' }] }, { code: 1254066 }],
      ['a string in a link field', { 关联: 'recA' }, { code: 1254067 }],
      ['a string in a URL field', { 详情: 'https://bot.example' }, { code: 1254068 }],
      ['an attachment without file_token', { 附件: [{}] }, { code: 1254069 }],
      ['letters in a phone field', { 联系电话: '138-0000' }, { code: 1254072 }],
      ['a string in a two-way link', { 双向关联: 'recB' }, { status: 400, code: 1254074 }],
      ['an unknown field name', { 申报编号: 'x', 不存在的字段: 'y' }, { code: 1254045 }],
    ];
    it.each(conversions)('refuses %s, writing nothing of the batch', async (_name, fields, expected) => {
      const res = await outcome(batchCreate([{ 申报编号: 'ok' }, fields]));
      expect(res).toMatchObject({ status: expected.status ?? 200, code: expected.code });
      expect(emu.bitableRecords(BASE, tableId)).toHaveLength(0);
    });

    it('takes at most 1,000 records a call (1254104)', async () => {
      const ok = await batchCreate(Array.from({ length: 1000 }, (_, i) => ({ 申报编号: `n${i}` })));
      expect(ok.data?.records).toHaveLength(1000);
      expect(await outcome(batchCreate(Array.from({ length: 1001 }, (_, i) => ({ 申报编号: `m${i}` }))))).toMatchObject({ code: 1254104 });
      expect(emu.bitableRecords(BASE, tableId)).toHaveLength(1000);
    });

    it('replays a client_token with the same body without creating again; refuses a bad or reused token', async () => {
      const token = 'fe599b60-450f-46ff-b2ef-9f6675625b97';
      const first = await batchCreate([{ 申报编号: 'WH-1' }, { 申报编号: 'WH-2' }], { client_token: token });
      const again = await batchCreate([{ 申报编号: 'WH-1' }, { 申报编号: 'WH-2' }], { client_token: token });
      expect(again.code).toBe(0);
      expect(again.data?.records?.map((r) => r.record_id)).toEqual(first.data?.records?.map((r) => r.record_id));
      expect(emu.bitableRecords(BASE, tableId)).toHaveLength(2);
      expect(await outcome(batchCreate([{ 申报编号: 'WH-3' }], { client_token: token }))).toMatchObject({ status: 400, code: 1255006 });
      expect(await outcome(batchCreate([{ 申报编号: 'WH-3' }], { client_token: 'not-a-uuid' }))).toMatchObject({ status: 400, code: 1254037 });
      // A uuid of another version is not a uuidv4 either.
      expect(await outcome(batchCreate([{ 申报编号: 'WH-3' }], { client_token: 'fe599b60-450f-16ff-b2ef-9f6675625b97' }))).toMatchObject({ code: 1254037 });
      expect(emu.bitableRecords(BASE, tableId)).toHaveLength(2);
      // A request that failed leaves its token free.
      const retry = '0b7b9a0e-5a34-4c1e-9d4a-2f7c1e3d8a55';
      expect(await outcome(batchCreate([{ 得分: 'x' }], { client_token: retry }))).toMatchObject({ code: 1254061 });
      expect((await batchCreate([{ 得分: 1 }], { client_token: retry })).code).toBe(0);
    });

    it('updates only the fields sent, clears with null, refuses unknown records (1254043)', async () => {
      const created = await batchCreate([{ 申报编号: 'WH-1', 单位名称: '甲公司', 得分: 80, 状态: '审核中' }]);
      const id = created.data!.records![0]!.record_id!;
      const res = await batchUpdate([{ record_id: id, fields: { 得分: 92, 单位名称: null } }]);
      expect(res.data?.records).toEqual([{ record_id: id, id, fields: { 得分: 92, 单位名称: null } }]);
      expect(emu.bitableRecords(BASE, tableId)[0]!.plain).toMatchObject({ 申报编号: 'WH-1', 单位名称: null, 得分: 92, 状态: '审核中' });
      expect(await outcome(batchUpdate([{ record_id: 'recNope000', fields: { 得分: 1 } }]))).toMatchObject({ code: 1254043 });
      expect(await outcome(batchUpdate([{ record_id: id, fields: { 得分: '93' } }]))).toMatchObject({ code: 1254061 });
      expect(emu.bitableRecords(BASE, tableId)[0]!.plain.得分).toBe(92);
    });

    it('deletes at most 500 records a call, refusing unknown ids', async () => {
      const created = await batchCreate([{ 申报编号: 'a' }, { 申报编号: 'b' }, { 申报编号: 'c' }]);
      const ids = created.data!.records!.map((r) => r.record_id!);
      const del = (records: string[]) => client.bitable.v1.appTableRecord.batchDelete({ path: { app_token: BASE, table_id: tableId }, data: { records } });
      expect((await del([ids[0]!])).data?.records).toEqual([{ deleted: true, record_id: ids[0] }]);
      expect(await outcome(del([ids[1]!, 'recNope000']))).toMatchObject({ code: 1254043 });
      expect(await outcome(del(Array.from({ length: 501 }, () => ids[1]!)))).toMatchObject({ code: 1254001 });
      expect(emu.bitableRecords(BASE, tableId).map((r) => r.plain.申报编号)).toEqual(['b', 'c']);
    });
  });

  describe('search and list', () => {
    beforeEach(async () => {
      await batchCreate([
        { 申报编号: 'WH-001', 单位名称: '甲机械有限公司', 得分: 91, 状态: '已推荐', 提交时间: SUBMITTED },
        { 申报编号: 'WH-002', 单位名称: '乙电子股份公司', 得分: 78, 状态: '审核中' },
        { 申报编号: 'WH-003', 得分: 85, 状态: '已推荐', 提交时间: SUBMITTED + 86_400_000 },
      ]);
    });
    const numbers = (items: { fields: Fields }[] | undefined) => (items ?? []).map((i) => (i.fields.申报编号 as { text: string }[])[0]!.text);

    const filters: [string, Record<string, unknown>, string[]][] = [
      ['is on text', { conjunction: 'and', conditions: [{ field_name: '申报编号', operator: 'is', value: ['WH-002'] }] }, ['WH-002']],
      ['isNot on a single select', { conjunction: 'and', conditions: [{ field_name: '状态', operator: 'isNot', value: ['已推荐'] }] }, ['WH-002']],
      ['contains on text', { conjunction: 'and', conditions: [{ field_name: '单位名称', operator: 'contains', value: ['机械'] }] }, ['WH-001']],
      ['isEmpty', { conjunction: 'and', conditions: [{ field_name: '单位名称', operator: 'isEmpty', value: [] }] }, ['WH-003']],
      ['isNotEmpty', { conjunction: 'and', conditions: [{ field_name: '提交时间', operator: 'isNotEmpty', value: [] }] }, ['WH-001', 'WH-003']],
      ['isGreater on a number', { conjunction: 'and', conditions: [{ field_name: '得分', operator: 'isGreater', value: ['80'] }] }, ['WH-001', 'WH-003']],
      [
        'is on a date (the day)',
        { conjunction: 'and', conditions: [{ field_name: '提交时间', operator: 'is', value: ['ExactDate', String(SUBMITTED + 3_600_000)] }] },
        ['WH-001'],
      ],
      [
        'or of two conditions',
        {
          conjunction: 'or',
          conditions: [
            { field_name: '申报编号', operator: 'is', value: ['WH-001'] },
            { field_name: '得分', operator: 'isLess', value: ['80'] },
          ],
        },
        ['WH-001', 'WH-002'],
      ],
      [
        'and with one level of children',
        {
          conjunction: 'and',
          conditions: [{ field_name: '状态', operator: 'is', value: ['已推荐'] }],
          children: [{ conjunction: 'or', conditions: [{ field_name: '得分', operator: 'isLess', value: ['90'] }] }],
        },
        ['WH-003'],
      ],
    ];
    it.each(filters)('filters with %s', async (_name, filter, expected) => {
      const res = await search({ filter });
      expect(numbers(res.data?.items)).toEqual(expected);
      expect(res.data?.total).toBe(expected.length);
    });

    it('pages (page_size ≤ 500), sorts and projects', async () => {
      const p1 = await search({ sort: [{ field_name: '得分', desc: true }], field_names: ['申报编号', '得分'] }, { page_size: 2 });
      expect(p1.data).toMatchObject({ has_more: true, total: 3 });
      expect(p1.data?.items?.map((i) => i.fields)).toEqual([
        { 申报编号: [{ text: 'WH-001', type: 'text' }], 得分: 91 },
        { 申报编号: [{ text: 'WH-003', type: 'text' }], 得分: 85 },
      ]);
      const p2 = await search({ sort: [{ field_name: '得分', desc: true }] }, { page_size: 2, page_token: p1.data!.page_token! });
      expect(p2.data).toMatchObject({ has_more: false, total: 3 });
      expect(numbers(p2.data?.items)).toEqual(['WH-002']);
      expect(await outcome(search({}, { page_size: 501 }))).toMatchObject({ status: 400, code: 99992402 });
      expect(await outcome(search({}, { page_token: 'garbage' }))).toMatchObject({ code: 1254002 });
    });

    const badFilters: [string, Record<string, unknown>, number][] = [
      ['an unknown field', { conjunction: 'and', conditions: [{ field_name: '无此字段', operator: 'is', value: ['x'] }] }, 1254045],
      ['a value for isEmpty', { conjunction: 'and', conditions: [{ field_name: '单位名称', operator: 'isEmpty', value: ['x'] }] }, 1254001],
      ['the unsupported like', { conjunction: 'and', conditions: [{ field_name: '单位名称', operator: 'like', value: ['x'] }] }, 1254001],
      ['no conjunction', { conditions: [{ field_name: '单位名称', operator: 'is', value: ['x'] }] }, 1254001],
      [
        'more than 10 values',
        { conjunction: 'and', conditions: [{ field_name: '状态', operator: 'contains', value: Array.from({ length: 11 }, String) }] },
        1254001,
      ],
      [
        'two levels of children',
        { conjunction: 'and', children: [{ conjunction: 'and', conditions: [], children: [{ conjunction: 'and', conditions: [] }] }] },
        1254001,
      ],
    ];
    it.each(badFilters)('refuses a filter with %s', async (_name, filter, code) => {
      expect(await outcome(search({ filter }))).toMatchObject({ code });
    });

    it('lists records the legacy way: paged, text as a string unless asked, formula filters refused', async () => {
      const list = (params: Record<string, unknown>) =>
        client.bitable.v1.appTableRecord.list({ path: { app_token: BASE, table_id: tableId }, params: params as never });
      const p1 = await list({ page_size: 2 });
      expect(p1.data).toMatchObject({ has_more: true, total: 3 });
      expect(p1.data?.items?.[0]?.fields.申报编号).toBe('WH-001');
      const p2 = await list({ page_size: 2, page_token: p1.data!.page_token, text_field_as_array: true });
      expect(p2.data?.items?.[0]?.fields.申报编号).toEqual([{ text: 'WH-003', type: 'text' }]);
      expect(await outcome(list({ filter: 'CurrentValue.[得分]>80' }))).toMatchObject({ code: 1254001 });
    });
  });

  describe('scopes, rate limits and writes one at a time', () => {
    it('needs bitable:app or the narrower scope of each endpoint', async () => {
      const base = DEFAULT_GRANTED_SCOPES.filter((s) => !s.startsWith('bitable:'));
      emu.setScopes(APP, base);
      for (const p of [createTable({ name: 'x' }), batchCreate([{ 申报编号: 'x' }]), search(), client.bitable.v1.appTable.list({ path: { app_token: BASE } })])
        expect(await outcome(p)).toMatchObject({ status: 400, code: 99991672 });
      emu.setScopes(APP, [...base, 'base:record:create', 'base:table:create']);
      expect((await batchCreate([{ 申报编号: 'x' }])).code).toBe(0);
      expect((await createTable({ name: 'y' })).code).toBe(0);
      expect(await outcome(search())).toMatchObject({ code: 99991672 });
      emu.setScopes(APP, [...base, 'bitable:app:readonly']);
      expect((await search()).code).toBe(0);
      expect(await outcome(batchCreate([{ 申报编号: 'x' }]))).toMatchObject({ code: 99991672 });
      emu.setScopes(APP, [...base, 'base:record:retrieve', 'base:table:read']);
      expect((await search()).code).toBe(0);
      expect((await client.bitable.v1.appTable.list({ path: { app_token: BASE } })).code).toBe(0);
    });

    it('limits batch_create to 50 a second and search to 20 a second (429, 99991400)', async () => {
      const creates = await Promise.all(Array.from({ length: 60 }, (_, i) => outcome(batchCreate([{ 申报编号: `r${i}` }]))));
      const limited = creates.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(10);
      expect(limited[0]).toMatchObject({ code: 99991400 });
      const searches = await Promise.all(Array.from({ length: 30 }, () => outcome(search())));
      expect(searches.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(10);
    });

    it('refuses a write to a base while another write to it is still being processed (1254291)', async () => {
      emu.addBitableApp(OTHER_BASE, '另一个台账');
      const otherTable = await createTable({ name: '别处', fields: [FIELDS[0]!] }, OTHER_BASE);
      emu.setDelay(/\/records\/batch_create$/, 1500);
      const held = batchCreate([{ 申报编号: 'slow' }]);
      await waitFor('the first write to be held open', () => emu.calls.some((c) => c.path.endsWith('/records/batch_create') && c.status === 0));
      const created = emu.bitableRecords(BASE, tableId);
      expect(await outcome(batchUpdate([{ record_id: created[0]!.record_id, fields: { 得分: 1 } }]))).toMatchObject({ status: 200, code: 1254291 });
      expect(await outcome(createTable({ name: '并发' }))).toMatchObject({ code: 1254291 });
      // Another base is not held.
      const elsewhere = await client.bitable.v1.appTableRecord.batchUpdate({
        path: { app_token: OTHER_BASE, table_id: otherTable.data!.table_id! },
        data: { records: [] },
      });
      expect(elsewhere.code).toBe(0);
      emu.setDelay(/\/records\/batch_create$/, 0);
      expect((await held).code).toBe(0);
      expect((await batchUpdate([{ record_id: created[0]!.record_id, fields: { 得分: 1 } }])).code).toBe(0);
    });

    it('reset forgets bases: they must be added again', async () => {
      emu.reset();
      expect(emu.bitableApps()).toEqual([]);
      expect(await outcome(search())).toMatchObject({ code: 1254040 });
    });
  });
});
