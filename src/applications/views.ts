// Pure: programme + application + engine results → the view models the journey cards render.

import type {
  AttachmentSlotView,
  EligibilityLine,
  Flash,
  GroupView,
  InputView,
  IntroView,
  OverviewView,
  ReviewView,
  RowFormView,
  StepView,
} from '../../cards/journey/views.js';
import { choicesOf } from '../campaigns/references.js';
import { campaignState, deadlineInstant, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign, Field, GroupField, ScalarField, Section } from '../campaigns/schema.js';
import { termsOf } from '../campaigns/terms.js';
import { formatSize } from '../files/sniff.js';
import {
  checkSubmission,
  type EligibilityContext,
  evaluateEligibility,
  fieldById,
  type RuleResult,
  requiredBy,
  type Step,
  stepsOf,
  suggestedStudioName,
  visibleAttachmentSlots,
  visibleDeclarations,
  visibleFields,
  visibleSections,
} from '../forms/engine.js';
import type { Answer, Answers, GroupRow } from '../forms/fields.js';
import { type Exposure, isPersonalField, maskFieldValue, shownText } from '../forms/privacy-policy.js';
import type { ApplicationRecord } from './repository.js';

export function deadlineText(c: Campaign): string {
  const d = deadlineInstant(c);
  return d ? `截止时间：${formatBeijing(d)}` : '截止时间待定（以通知为准）';
}

/** How an answer is shown in an input. */
export function displayValue(field: ScalarField, v: Answer | undefined): string | string[] | undefined {
  if (v === undefined || v === '') return undefined;
  if (Array.isArray(v)) return field.type === 'multiChoice' ? (v as string[]) : undefined;
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/**
 * How an answer is shown on a summary. The applicant reads their own answers in full (to proofread
 * them); everyone else reads them `masked` (structured personal fields, and ID, phone and bank card
 * numbers found in free text). See src/forms/privacy-policy.ts.
 */
export function summaryValue(field: ScalarField, v: Answer | undefined, exposure: Exposure): string {
  if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return '（未填写）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return shownText((v as string[]).join('、'), exposure);
  const s = String(v);
  if (exposure === 'masked' && isPersonalField(field)) return maskFieldValue(field, s);
  return shownText('unit' in field && field.unit ? `${s} ${field.unit}` : s, exposure);
}

export function inputView(f: ScalarField, value: Answer | undefined, error?: { message: string; raw: unknown }, studioSuggestion?: string): InputView {
  const shown = error
    ? Array.isArray(error.raw)
      ? error.raw.map(String)
      : error.raw === undefined || error.raw === null
        ? undefined
        : String(error.raw)
    : displayValue(f, value);
  const options = f.type === 'yesNo' ? ['是', '否'] : f.type === 'choice' || f.type === 'multiChoice' ? [...choicesOf(f)] : undefined;
  const fallback = f.type === 'studioName' && shown === undefined ? studioSuggestion : undefined;
  return {
    id: f.id,
    label: f.label,
    type: f.type,
    required: f.required,
    ...(f.hint ? { hint: f.hint.replace(/^notice:\s*/, '') } : {}),
    ...(f.placeholder ? { placeholder: f.placeholder } : PLACEHOLDERS[f.type] ? { placeholder: PLACEHOLDERS[f.type]! } : {}),
    ...(options ? { options } : {}),
    ...('maxLength' in f && f.maxLength ? { maxLength: f.maxLength } : {}),
    ...('unit' in f && f.unit ? { unit: f.unit } : {}),
    ...(shown !== undefined ? { value: shown } : fallback ? { value: fallback } : {}),
    ...(error ? { error: error.message } : {}),
  };
}

const PLACEHOLDERS: Partial<Record<Field['type'], string>> = {
  yearMonth: '如 1976-05',
  year: '如 2023',
  idNumber: '18位身份证号码',
  mobile: '11位手机号码',
  landline: '如 0631-5190816',
  phone: '手机或固定电话',
  email: '如 name@example.com',
  postalCode: '6位邮政编码',
  creditCode: '18位统一社会信用代码',
};

/** Rules about the end of the journey (files, declarations): not judged while filling in the form. */
function endOfJourneyRules(c: Campaign): Set<string> {
  return new Set(c.eligibility.filter((r) => r.type === 'attachments' || r.type === 'declarations').map((r) => r.id));
}

/** Eligibility while filling in: the rules about answers only. */
export function formRuleResults(c: Campaign, results: RuleResult[]): RuleResult[] {
  const end = endOfJourneyRules(c);
  return results.filter((r) => !end.has(r.ruleId));
}

/**
 * The 申报条件 lines of the overview and of 检查并提交, without what those cards already say in
 * their own place: an unmet attachments/declarations rule (the slot list, 还需完成) and, on
 * 检查并提交, a blocking condition not met (listed under 还需完成 with its reason).
 */
function conditionLines(c: Campaign, results: RuleResult[], opts: { blockersListed: boolean }): EligibilityLine[] {
  const end = endOfJourneyRules(c);
  return eligibilityLines(
    results.filter((r) => !(end.has(r.ruleId) && r.status !== 'pass') && !(opts.blockersListed && r.severity === 'block' && r.status === 'fail')),
  );
}

export function eligibilityLines(results: RuleResult[]): EligibilityLine[] {
  return results
    .filter((r) => r.status === 'pass' || r.status === 'fail')
    .map((r) => ({ title: r.title, status: r.status, severity: r.severity, ...(r.reason ? { reason: r.reason } : {}) }));
}

/** Rules whose verdict appeared or changed with this save: told at once. */
export function eligibilityFlashes(before: RuleResult[], after: RuleResult[]): Flash[] {
  const was = new Map(before.map((r) => [r.ruleId, r.status]));
  return after
    .filter((r) => (r.status === 'pass' || r.status === 'fail') && was.get(r.ruleId) !== r.status)
    .map((r) =>
      r.status === 'pass'
        ? { kind: 'success' as const, text: `符合申报条件：${r.title}${r.reason ? `（${r.reason}）` : ''}` }
        : {
            kind: r.severity === 'block' ? ('error' as const) : ('warning' as const),
            text: `${r.severity === 'block' ? '不符合申报条件' : '请注意'}：${r.title}（${r.reason ?? ''}）${r.severity === 'block' ? '。可以继续保存，但修改前无法提交。' : ''}`,
          },
    );
}

/**
 * Optional attachments these answers have just made required (荣誉复印件 once 获得称号 is chosen):
 * told when the answer is given, not at 检查并提交.
 */
export function attachmentFlashes(c: Campaign, before: Answers, after: Answers, uploaded: Record<string, unknown[]>): Flash[] {
  const was = new Set(
    visibleAttachmentSlots(c, before)
      .filter((s) => s.required)
      .map((s) => s.id),
  );
  return visibleAttachmentSlots(c, after)
    .filter((s) => s.required && !was.has(s.id) && !uploaded[s.id]?.length)
    .map((s) => {
      const because = requiredBy(s, after).map((cond) => `「${fieldById(c, cond.field)?.label ?? cond.field}」`);
      return {
        kind: 'warning' as const,
        text: `根据您在${because.join('、') || '本页'}的回答，附件「${s.label}」需要上传${s.requiredBecause ? `（${s.requiredBecause}）` : ''}，请在“附件材料”中上传。`,
      };
    });
}

export function sectionOf(c: Campaign, id: string): Section | undefined {
  return c.form.sections.find((s) => s.id === id);
}

export function groupOf(c: Campaign, sectionId: string, groupId: string): GroupField | undefined {
  const f = sectionOf(c, sectionId)?.fields.find((x) => x.id === groupId);
  return f?.type === 'group' ? f : undefined;
}

export function rowsOf(app: ApplicationRecord, groupId: string): GroupRow[] {
  const v = app.draft.answers[groupId];
  return Array.isArray(v) ? (v as GroupRow[]) : [];
}

function rowCell(f: ScalarField, row: GroupRow): string {
  const v = row[f.id];
  return v === undefined || v === '' ? '' : summaryValue(f, v, 'full');
}

export interface StepViewInput {
  campaign: Campaign;
  app: ApplicationRecord;
  sectionId: string;
  ctx: EligibilityContext;
  flashes?: Flash[];
  /** Inputs rejected by the last submit: shown again with their message. */
  errors?: Record<string, { message: string; raw: unknown }>;
}

/** The step card's view for a whole section (pages are cut by the card layer). */
export function stepView(i: StepViewInput): StepView {
  const { campaign: c, app, ctx } = i;
  const section = sectionOf(c, i.sectionId)!;
  const answers = app.draft.answers;
  const steps = stepsOf(c, app.draft, ctx);
  const index = steps.findIndex((s) => s.id === section.id);
  const fields = visibleFields(section, answers);
  const suggestion = suggestedStudioName(c, answers);
  return {
    applicationId: app.id,
    version: app.version,
    campaignTitle: c.title,
    stepIndex: index,
    stepCount: steps.length,
    doneCount: steps.filter((s) => s.state === 'done').length,
    sectionId: section.id,
    title: section.title,
    ...(section.description ? { description: section.description } : {}),
    inputs: fields.filter((f): f is ScalarField => f.type !== 'group').map((f) => inputView(f, answers[f.id], i.errors?.[f.id], suggestion)),
    groups: fields
      .filter((f): f is GroupField => f.type === 'group')
      .map((g) => {
        const rows = rowsOf(app, g.id);
        return {
          id: g.id,
          label: g.label,
          rowLabel: g.rowLabel,
          rowCount: rows.length,
          minRows: g.minRows,
          maxRows: g.maxRows,
          preview: rows.slice(0, 5).map((r) => rowCell(g.fields[0]!, r)),
        };
      }),
    flashes: i.flashes ?? [],
    eligibility: eligibilityLines(formRuleResults(c, evaluateEligibility(c, app.draft, ctx))),
    isFirst: index === 0,
    isLast: index === steps.filter((s) => s.kind === 'section').length - 1,
  };
}

/** What the group card and the row card both say about a group. */
function groupHeader(app: ApplicationRecord, sectionId: string, group: GroupField) {
  return { applicationId: app.id, version: app.version, sectionId, groupId: group.id, label: group.label, rowLabel: group.rowLabel };
}

export function groupView(app: ApplicationRecord, sectionId: string, group: GroupField, flashes: Flash[] = []): GroupView {
  return {
    ...groupHeader(app, sectionId, group),
    minRows: group.minRows,
    maxRows: group.maxRows,
    columns: group.fields.map((f) => f.label),
    rows: rowsOf(app, group.id).map((r, index) => ({ index, cells: group.fields.map((f) => rowCell(f, r)) })),
    flashes,
  };
}

export function rowFormView(
  app: ApplicationRecord,
  sectionId: string,
  group: GroupField,
  rowIndex: number | undefined,
  values: GroupRow,
  errors: Record<string, { message: string; raw: unknown }> = {},
  flashes: Flash[] = [],
): RowFormView {
  return {
    ...groupHeader(app, sectionId, group),
    ...(rowIndex !== undefined ? { rowIndex } : {}),
    inputs: group.fields.map((f) => inputView(f, values[f.id], errors[f.id])),
    flashes,
  };
}

export function slotViews(c: Campaign, app: ApplicationRecord): AttachmentSlotView[] {
  return visibleAttachmentSlots(c, app.draft.answers).map((s) => ({
    slotId: s.id,
    label: s.label,
    ...(s.hint ? { hint: s.hint } : {}),
    required: s.required,
    accept: s.accept,
    maxSizeMB: s.maxSizeMB,
    maxFiles: s.maxFiles,
    files: app.uploads.filter((u) => u.slotId === s.id).map((u) => ({ uploadId: u.id, name: u.name, sizeText: formatSize(u.size) })),
  }));
}

export function overviewView(c: Campaign, app: ApplicationRecord, ctx: EligibilityContext, flashes: Flash[] = []): OverviewView {
  return {
    applicationId: app.id,
    version: app.version,
    campaignTitle: c.title,
    deadlineText: deadlineText(c),
    steps: stepsOf(c, app.draft, ctx).map((s: Step) => ({ index: s.index, id: s.id, title: s.title, state: s.state })),
    attachments: slotViews(c, app),
    unassigned: app.uploads.filter((u) => !u.slotId).map((u) => ({ uploadId: u.id, name: u.name, sizeText: formatSize(u.size) })),
    eligibility: conditionLines(c, evaluateEligibility(c, app.draft, ctx), { blockersListed: false }),
    flashes,
    terms: termsOf(c),
  };
}

export function reviewView(c: Campaign, app: ApplicationRecord, ctx: EligibilityContext, flashes: Flash[] = []): ReviewView {
  const a = app.draft.answers;
  const check = checkSubmission(c, app.draft, ctx);
  const closed = campaignState(c, new Date(`${ctx.asOf}T12:00:00+08:00`)) === 'closed';
  return {
    applicationId: app.id,
    version: app.version,
    campaignTitle: c.title,
    deadlineText: deadlineText(c),
    ...(typeof a.studioName === 'string' && a.studioName
      ? { studioName: a.studioName }
      : suggestedStudioName(c, a)
        ? { studioName: suggestedStudioName(c, a)! }
        : {}),
    sections: visibleSections(c, a).map((s) => {
      const fields = visibleFields(s, a);
      return {
        title: s.title,
        rows: fields.filter((f): f is ScalarField => f.type !== 'group').map((f) => ({ label: f.label, value: summaryValue(f, a[f.id], 'full') })),
        groups: fields
          .filter((f): f is GroupField => f.type === 'group')
          .map((g) => ({ label: g.label, columns: g.fields.map((f) => f.label), rows: rowsOf(app, g.id).map((r) => g.fields.map((f) => rowCell(f, r))) })),
      };
    }),
    attachments: slotViews(c, app).map((s) => ({ label: s.label, files: s.files.map((f) => f.name), required: s.required })),
    blockers: closed ? [`已超过截止时间，${termsOf(c).late}（${deadlineText(c)}）`, ...check.blockers] : check.blockers,
    warnings: check.warnings,
    eligibility: conditionLines(c, check.eligibility, { blockersListed: true }),
    declarations: visibleDeclarations(c, a).map((d) => ({ id: d.id, text: d.text, confirmed: app.draft.declarations[d.id] === true, veto: d.veto })),
    canSubmit: check.canSubmit && !closed,
    flashes,
    terms: termsOf(c),
  };
}

export function introView(c: Campaign, now: Date, existing?: IntroView['existing']): IntroView {
  const describe = (r: Campaign['eligibility'][number]): { title: string; severity: 'block' | 'warn' } => ({ title: r.title, severity: r.severity });
  return {
    campaignId: c.id,
    title: c.title,
    issuer: c.issuer.name,
    summary: c.summary,
    deadlineText: deadlineText(c),
    state: campaignState(c, now),
    conditions: c.eligibility.filter((r) => r.type !== 'attachments' && r.type !== 'declarations').map(describe),
    materials: c.materials.length ? c.materials : c.form.attachments.map((s) => s.label),
    contacts: c.contacts.map((x) => ({ name: x.name, ...(x.phone ? { phone: x.phone } : {}), ...(x.email ? { email: x.email } : {}) })),
    ...(existing ? { existing } : {}),
    ...(c.kind === 'application' ? { wordImport: true } : {}),
  };
}
