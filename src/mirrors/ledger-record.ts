// The ledger (台账) in 多维表格: one table per programme with typed fields, one record per
// application, as pure functions of a view. Field types and value formats: 字段编辑指南 and
// 记录数据结构 (open.feishu.cn/document/docs/bitable-v1/app-table-field/guide,
// …/app-table-record/bitable-record-data-structure-overview): text as a string, numbers as
// numbers, a single select as its option's name (a new name adds the option), dates in ms.
import type { CellValue, LedgerFieldSpec } from '../lark/bitable-api.js';
import { maskPersonalData } from '../rules/mask.js';

/** The field that identifies a record: the application's number (unique, given at submission). */
export const KEY_FIELD = '编号';

const DATE = { date_formatter: 'yyyy-MM-dd HH:mm' };

export const APPLICATION_FIELDS: readonly LedgerFieldSpec[] = [
  { field_name: KEY_FIELD, type: 1 },
  { field_name: '单位', type: 1 },
  { field_name: '工作室名称', type: 1 },
  { field_name: '领办人', type: 1 },
  { field_name: '地区', type: 3 },
  { field_name: '状态', type: 3 },
  { field_name: '当前环节', type: 1 },
  { field_name: '得分', type: 2, property: { formatter: '0.00' } },
  { field_name: '排名', type: 2, property: { formatter: '0' } },
  { field_name: '提交时间', type: 5, property: DATE },
  { field_name: '更新时间', type: 5, property: DATE },
];

export const EVALUATION_FIELDS: readonly LedgerFieldSpec[] = [
  { field_name: KEY_FIELD, type: 1 },
  { field_name: '工作室', type: 1 },
  { field_name: '单位', type: 1 },
  { field_name: '状态', type: 3 },
  { field_name: '自评分', type: 2, property: { formatter: '0.0' } },
  { field_name: '专家评分', type: 2, property: { formatter: '0.00' } },
  { field_name: '等次', type: 3 },
  { field_name: '结果运用', type: 1 },
  { field_name: '更新时间', type: 5, property: DATE },
];

export interface LedgerView {
  number: string;
  unitName: string;
  studioName: string;
  leaderName: string;
  region: string | null;
  stateText: string;
  stageTitle: string;
  score: number | null;
  rank: number | null;
  submittedAt: Date | null;
  updatedAt: Date;
  /** Evaluations: the studio's own total, the grade and what follows from it. */
  selfScore: number | null;
  grade: string | null;
  outcomes: string[];
}

/** A table's name: 1–100 characters without / \ ? * : [ ] (新增一个数据表). */
export function tableName(title: string, evaluation: boolean): string {
  const base = title.replace(/[/\\?*:[\]]/g, ' ').trim();
  const suffix = evaluation ? '' : ' 申报台账';
  return `${base.slice(0, 100 - suffix.length)}${suffix}`;
}

// Free text can hold an ID or phone number typed where it does not belong: masked as on administrators' cards.
const text = (s: string): string => maskPersonalData(s);

/**
 * The record's cells. An empty number, date or option is left out rather than sent as null (the
 * documentation says how to clear only a person field); an empty text is written as ''.
 */
export function ledgerRecord(v: LedgerView, evaluation: boolean): Record<string, CellValue> {
  const cells = evaluation ? evaluationCells(v) : applicationCells(v);
  return Object.fromEntries(Object.entries(cells).filter(([, value]) => value !== null && value !== undefined));
}

function evaluationCells(v: LedgerView): Record<string, CellValue> {
  return {
    [KEY_FIELD]: v.number,
    工作室: text(v.studioName),
    单位: text(v.unitName),
    状态: v.stateText,
    自评分: v.selfScore,
    专家评分: v.score,
    等次: v.grade,
    结果运用: text(v.outcomes.join('；')),
    更新时间: v.updatedAt.getTime(),
  };
}

function applicationCells(v: LedgerView): Record<string, CellValue> {
  return {
    [KEY_FIELD]: v.number,
    单位: text(v.unitName),
    工作室名称: text(v.studioName),
    领办人: text(v.leaderName),
    地区: v.region,
    状态: v.stateText,
    当前环节: v.stageTitle,
    得分: v.score,
    排名: v.rank,
    提交时间: v.submittedAt ? v.submittedAt.getTime() : null,
    更新时间: v.updatedAt.getTime(),
  };
}
