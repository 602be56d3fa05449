// The data-protection policy (PIPL), in one place: which answers are personal, who sees them in
// full, who sees them masked and who may reveal them on demand. Pure; docs/operators.md's section
// "个人信息保护" describes it for operators, with more detail (change both together).
import type { Campaign, ScalarField } from '../campaigns/schema.js';
import { holdsPersonalData, maskIdNumber, maskPersonalData, maskPhone } from '../rules/mask.js';
import { visibleFields, visibleSections } from './engine.js';
import type { Answers, GroupRow } from './fields.js';

/** Who a card or file is for. */
export type Viewer = 'applicant' | 'reviewer' | 'expert' | 'administrator' | 'group';

/** How personal data is shown: as typed, or masked (structured fields and what is found in free text). */
export type Exposure = 'full' | 'masked';

export const REVEALERS = ['reviewer', 'administrator'] as const;
export type Revealer = (typeof REVEALERS)[number];

export interface PolicyRow {
  viewer: Viewer;
  who: string;
  sees: string;
  reveal: string;
}

/** Who sees what, one row per viewer (docs/operators.md describes the same). */
export const POLICY: readonly PolicyRow[] = [
  { viewer: 'applicant', who: '申报单位联系人本人', sees: '自己填写的全部内容（总览、核对页不打码，便于核对）', reveal: '—' },
  {
    viewer: 'reviewer',
    who: '审核人（如区市初审）',
    sees: '打码',
    reveal: '可在审核卡片上点“查看完整信息”（项目文件 privacy.reveal 含 reviewer 时；记入审计日志）',
  },
  {
    viewer: 'administrator',
    who: '管理员（在管理范围内）',
    sees: '卡片上打码；导出的申报表、一览表为完整信息（项目允许管理员查看时；导出记入审计日志）',
    reveal: '可在经办记录卡片上点“查看完整信息”（项目文件 privacy.reveal 含 administrator 时；记入审计日志）',
  },
  { viewer: 'expert', who: '评审专家', sees: '打码', reveal: '不可查看' },
  { viewer: 'group', who: '群聊（公示、公布、通知）', sees: '打码（只列单位和工作室名称）', reveal: '不可查看' },
];

/** Whether this viewer may reveal personal data of this programme's applications (and receive it in exports). */
export function mayReveal(c: Pick<Campaign, 'privacy'>, viewer: Viewer): boolean {
  return (viewer === 'reviewer' || viewer === 'administrator') && (c.privacy?.reveal ?? REVEALERS).includes(viewer);
}

/** A structured field whose whole value is personal: ID numbers, phones, and fields marked `sensitive: true`. */
export function isPersonalField(field: Pick<ScalarField, 'type'> & { sensitive?: boolean }): boolean {
  return field.type === 'idNumber' || field.type === 'mobile' || field.type === 'phone' || field.type === 'landline' || field.sensitive === true;
}

/** A structured personal value, masked. */
export function maskFieldValue(field: Pick<ScalarField, 'type'> & { sensitive?: boolean }, s: string): string {
  if (field.type === 'idNumber') return maskIdNumber(s);
  if (field.type === 'mobile' || field.type === 'phone' || field.type === 'landline') return maskPhone(s);
  if (field.sensitive) return s.length <= 4 ? '****' : `${s.slice(0, 2)}****${s.slice(-2)}`;
  return maskPersonalData(s);
}

/** Text shown to someone other than its author: ID, phone and bank card numbers found in it are masked. */
export function shownText(s: string, exposure: Exposure): string {
  return exposure === 'full' ? s : maskPersonalData(s);
}

/**
 * The personal data in an application, in full, for 查看完整信息: structured personal fields and
 * free-text answers (group rows included) that hold an ID, phone or bank card number.
 */
export function personalLines(c: Campaign, answers: Answers): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  const consider = (f: ScalarField, v: unknown, label: string) => {
    if (v === undefined || v === null || v === '' || typeof v === 'boolean' || Array.isArray(v)) return;
    const s = String(v);
    if (isPersonalField(f) || holdsPersonalData(s)) out.push({ label, value: s });
  };
  for (const section of visibleSections(c, answers))
    for (const f of visibleFields(section, answers)) {
      if (f.type !== 'group') consider(f, answers[f.id], f.label);
      else {
        const rows = Array.isArray(answers[f.id]) ? (answers[f.id] as GroupRow[]) : [];
        rows.forEach((row, i) => f.fields.forEach((g) => consider(g, row[g.id], `${f.label}第${i + 1}行 · ${g.label}`)));
      }
    }
  return out;
}

/** A copy of the answers as someone who sees personal data masked may receive them (exports for such roles). */
export function maskAnswers(c: Campaign, answers: Answers): Answers {
  const fields = new Map<string, ScalarField>();
  for (const s of c.form.sections)
    for (const f of s.fields) {
      if (f.type === 'group') for (const g of f.fields) fields.set(`${f.id}/${g.id}`, g);
      else fields.set(f.id, f);
    }
  const one = (f: ScalarField | undefined, v: unknown): unknown => {
    if (typeof v !== 'string' || v === '') return v;
    return f && isPersonalField(f) ? maskFieldValue(f, v) : maskPersonalData(v);
  };
  const out: Answers = {};
  for (const [id, v] of Object.entries(answers)) {
    if (Array.isArray(v) && v.some((r) => typeof r === 'object' && r !== null)) {
      out[id] = (v as GroupRow[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, x]) => [k, one(fields.get(`${id}/${k}`), x)]))) as GroupRow[];
    } else out[id] = one(fields.get(id), v) as Answers[string];
  }
  return out;
}
