// 多维表格 (Bitable v1), through the SDK Client: the ledger's tables and records.
// 新增一个数据表 (open.feishu.cn/document/server-docs/docs/bitable-v1/app-table/create, 10/s),
// 列出数据表 (…/app-table/list, 20/s), 新增/更新/删除多条记录 (…/app-table-record/batch_create,
// batch_update, batch_delete: 50/s, at most 1,000 records a call), 查询记录 (…/app-table-record/search,
// 20/s, at most 500 a page). A base takes one write at a time (1254291 otherwise): the ledger's
// writes hold one lease (src/mirrors/ledger.ts).
import type { Sdk } from './sdk.js';

type Client = InstanceType<typeof Sdk.Client>;
type Call = <T extends { code?: number; msg?: string }>(fn: () => Promise<T>) => Promise<T>;

/** A field of a new table: 1 text, 2 number, 3 single select, 5 date (字段编辑指南). */
export interface LedgerFieldSpec {
  field_name: string;
  type: 1 | 2 | 3 | 5;
  property?: { formatter?: string; date_formatter?: string };
}

/** A cell as written: text, a number, a single select's option name, or a date in milliseconds. */
export type CellValue = string | number | null;

export interface BitableApi {
  listTables(appToken: string): Promise<{ tableId: string; name: string }[]>;
  createTable(appToken: string, table: { name: string; fields: LedgerFieldSpec[] }): Promise<string>;
  /** Creates records; `clientToken` (a uuid v4) makes a resend of the same request idempotent. Record ids in the order given. */
  createRecords(appToken: string, tableId: string, records: Record<string, CellValue>[], clientToken: string): Promise<string[]>;
  updateRecords(appToken: string, tableId: string, records: { recordId: string; fields: Record<string, CellValue> }[]): Promise<void>;
  deleteRecords(appToken: string, tableId: string, recordIds: string[]): Promise<void>;
  /** Record ids by the text of one field, for the values given (≤ 50 in one search); more than one id where a value is in several records. */
  findRecords(appToken: string, tableId: string, field: string, values: string[]): Promise<Map<string, string[]>>;
}

/** A text cell reads back as [{text, type}] (记录数据结构); other cells as written. */
function textOf(cell: unknown): string {
  if (typeof cell === 'string' || typeof cell === 'number') return String(cell);
  if (Array.isArray(cell)) return cell.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : String(part))).join('');
  return '';
}

export function bitableApi(client: Client, call: Call): BitableApi {
  return {
    async listTables(appToken) {
      const tables: { tableId: string; name: string }[] = [];
      let pageToken: string | undefined;
      do {
        const res = await call(() =>
          client.bitable.v1.appTable.list({ path: { app_token: appToken }, params: { page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } }),
        );
        for (const t of res.data?.items ?? []) if (t.table_id) tables.push({ tableId: t.table_id, name: t.name ?? '' });
        pageToken = res.data?.has_more ? res.data.page_token : undefined;
      } while (pageToken);
      return tables;
    },
    async createTable(appToken, table) {
      const res = await call(() =>
        client.bitable.v1.appTable.create({
          path: { app_token: appToken },
          data: { table: { name: table.name, default_view_name: '全部', fields: table.fields } },
        }),
      );
      if (!res.data?.table_id) throw new Error('新增数据表 returned no table_id');
      return res.data.table_id;
    },
    async createRecords(appToken, tableId, records, clientToken) {
      const res = await call(() =>
        client.bitable.v1.appTableRecord.batchCreate({
          path: { app_token: appToken, table_id: tableId },
          params: { client_token: clientToken },
          data: { records: records.map((fields) => ({ fields: fields as Record<string, string | number> })) },
        }),
      );
      const ids = (res.data?.records ?? []).map((r) => r.record_id ?? '');
      if (ids.length !== records.length || ids.some((id) => !id)) throw new Error('新增多条记录 returned fewer record ids than records sent');
      return ids;
    },
    async updateRecords(appToken, tableId, records) {
      await call(() =>
        client.bitable.v1.appTableRecord.batchUpdate({
          path: { app_token: appToken, table_id: tableId },
          data: { records: records.map((r) => ({ record_id: r.recordId, fields: r.fields as Record<string, string | number> })) },
        }),
      );
    },
    async deleteRecords(appToken, tableId, recordIds) {
      await call(() => client.bitable.v1.appTableRecord.batchDelete({ path: { app_token: appToken, table_id: tableId }, data: { records: recordIds } }));
    },
    async findRecords(appToken, tableId, field, values) {
      const found = new Map<string, string[]>();
      if (values.length === 0) return found;
      let pageToken: string | undefined;
      do {
        const res = await call(() =>
          client.bitable.v1.appTableRecord.search({
            path: { app_token: appToken, table_id: tableId },
            params: { page_size: 500, ...(pageToken ? { page_token: pageToken } : {}) },
            data: {
              field_names: [field],
              filter: { conjunction: 'or', conditions: values.map((v) => ({ field_name: field, operator: 'is' as const, value: [v] })) },
            },
          }),
        );
        for (const item of res.data?.items ?? []) {
          const key = textOf(item.fields[field]);
          if (item.record_id && key) found.set(key, [...(found.get(key) ?? []), item.record_id]);
        }
        pageToken = res.data?.has_more ? res.data.page_token : undefined;
      } while (pageToken);
      return found;
    },
  };
}
