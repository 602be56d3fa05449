// The form engine: from a programme's form and a draft, the steps and which is next, validation of
// one submitted step, cross-field checks, completeness and eligibility. Pure: no I/O, no clock.

import { topLevelFields } from '../campaigns/references.js';
import type { AttachmentSlot, Campaign, Condition, CrossCheck, Field, GroupField, Rule, ScalarField, Section } from '../campaigns/schema.js';
import { formatChineseMonth } from '../rules/dates.js';
import {
  buildStudioName,
  checkIdNumber,
  checkWithinRetirementAge,
  checkYearsBeforeRetirement,
  crossCheckIdNumber,
  followsStudioNameForm,
  meetsMinimumSkillLevel,
  normalizeSkillLevel,
  type RetirementCategory,
} from '../rules/index.js';
import { type Answer, type Answers, type FieldContext, type GroupRow, isEmpty, parseFieldValue, type Scalar } from './fields.js';

export type { Answer, Answers, FieldContext, GroupRow, Scalar };

export interface AttachmentRef {
  fileKey: string;
  name: string;
  size: number;
}

export interface Draft {
  answers: Answers;
  attachments: Record<string, AttachmentRef[]>;
  declarations: Record<string, boolean>;
}

export const emptyDraft = (): Draft => ({ answers: {}, attachments: {}, declarations: {} });

// ---------- visibility ----------

export function conditionHolds(cond: Condition | undefined, answers: Answers): boolean {
  if (!cond) return true;
  const v = answers[cond.field];
  if (cond.notEmpty !== undefined) return cond.notEmpty === !isEmpty(v);
  if (cond.in) return Array.isArray(v) ? v.some((x) => typeof x === 'string' && cond.in!.includes(x)) : typeof v === 'string' && cond.in.includes(v);
  if (cond.equals !== undefined) return Array.isArray(v) ? v.some((x) => x === cond.equals) : v === cond.equals;
  return true;
}

export function visibleSections(c: Campaign, answers: Answers): Section[] {
  return c.form.sections.filter((s) => conditionHolds(s.visibleWhen, answers));
}

export function visibleFields(section: Section, answers: Answers): Field[] {
  return section.fields.filter((f) => conditionHolds(f.visibleWhen, answers));
}

export function fieldById(c: Campaign, id: string): Field | undefined {
  return topLevelFields(c).find((x) => x.field.id === id)?.field;
}

// ---------- validating a submitted step ----------

export interface StepResult {
  /** Checked, normalised values: saved even when other fields of the step are wrong. */
  values: Answers;
  /** Field id → what to fix. The raw input is kept so the card can show it again. */
  errors: Record<string, { message: string; raw: unknown }>;
}

/**
 * Validates the scalar fields of one section as submitted from a card. Groups are edited row by row
 * (validateRow). An empty optional field clears the answer; an empty required one is an error, but
 * the rest of the step is still saved.
 */
export function validateSection(c: Campaign, sectionId: string, submitted: Record<string, unknown>, ctx: FieldContext, current: Answers = {}): StepResult {
  const section = c.form.sections.find((s) => s.id === sectionId);
  if (!section) throw new Error(`unknown section ${sectionId} in ${c.id}`);
  const values: Answers = {};
  const errors: StepResult['errors'] = {};
  // Visibility may depend on answers in this very step (性别 → 女职工退休年龄类别).
  const merged = { ...current };
  for (const f of section.fields) {
    if (f.type === 'group' || !(f.id in submitted)) continue;
    const r = isEmpty(submitted[f.id]) ? null : parseFieldValue(f, submitted[f.id], ctx);
    if (r?.ok) merged[f.id] = r.value;
  }
  for (const f of visibleFields(section, merged)) {
    if (f.type === 'group' || !(f.id in submitted)) continue;
    const raw = submitted[f.id];
    if (isEmpty(raw)) {
      if (f.required) errors[f.id] = { message: `请填写「${f.label}」`, raw };
      else values[f.id] = '';
      continue;
    }
    const r = parseFieldValue(f, raw, ctx);
    if (r.ok) values[f.id] = r.value;
    else errors[f.id] = { message: r.message, raw };
  }
  return { values, errors };
}

/** Validates one row of a repeating group (team member, award). */
export function validateRow(
  group: GroupField,
  submitted: Record<string, unknown>,
  ctx: FieldContext,
): { row: GroupRow; errors: Record<string, { message: string; raw: unknown }> } {
  const row: GroupRow = {};
  const errors: Record<string, { message: string; raw: unknown }> = {};
  for (const f of group.fields) {
    const raw = submitted[f.id];
    if (isEmpty(raw)) {
      if (f.required) errors[f.id] = { message: `请填写「${f.label}」`, raw };
      continue;
    }
    const r = parseFieldValue(f, raw, ctx);
    if (r.ok) row[f.id] = r.value;
    else errors[f.id] = { message: r.message, raw };
  }
  return { row, errors };
}

/** The studio name the naming rule gives for these answers, when everything it needs is in. */
export function suggestedStudioName(c: Campaign, answers: Answers): string | undefined {
  if (!c.studioName) return undefined;
  const values = Object.fromEntries(
    Object.entries(c.studioName.fields).map(([k, fid]) => [k, typeof answers[fid] === 'string' ? (answers[fid] as string) : undefined]),
  );
  const r = buildStudioName(c.studioName.pattern, values, c.studioName.prefix ? { prefix: c.studioName.prefix } : {});
  return r.ok ? r.value : undefined;
}

// ---------- cross-field checks ----------

export interface FieldProblem {
  /** The fields the message is about (shown next to each). */
  fields: string[];
  message: string;
  /** For a problem with a group's rows: the column it is about (shown next to it on the row form). */
  column?: string;
}

const str = (v: Answer | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function runCheck(c: Campaign, chk: CrossCheck, a: Answers, ctx: FieldContext): FieldProblem[] {
  switch (chk.type) {
    case 'idMatches': {
      const id = str(a[chk.idNumber]);
      if (!id) return [];
      const info = checkIdNumber(id, ctx.today);
      if (!info.ok) return [];
      // Each disagreement names the two fields it is between: 出生年月 with the ID, 性别 with the ID.
      const birth =
        chk.birthDate && str(a[chk.birthDate])
          ? crossCheckIdNumber(info.value, { birthDate: str(a[chk.birthDate])! }).map((message) => ({ fields: [chk.idNumber, chk.birthDate!], message }))
          : [];
      const gender =
        chk.gender && str(a[chk.gender])
          ? crossCheckIdNumber(info.value, { gender: str(a[chk.gender])! }).map((message) => ({ fields: [chk.idNumber, chk.gender!], message }))
          : [];
      return [...birth, ...gender];
    }
    case 'notInGroup': {
      const v = str(a[chk.field]);
      const rows = a[chk.group];
      if (!v || !Array.isArray(rows)) return [];
      const clash = (rows as GroupRow[]).some((r) => typeof r[chk.column] === 'string' && (r[chk.column] as string).trim() === v.trim());
      const label = fieldById(c, chk.field)?.label ?? chk.field;
      return clash ? [{ fields: [chk.field, chk.group], column: chk.column, message: chk.message ?? `「${label}」${v}不应同时列在团队成员中` }] : [];
    }
    case 'dateOrder': {
      const early = a[chk.earlier];
      const late = a[chk.later];
      if (isEmpty(early) || isEmpty(late)) return [];
      if (String(early) <= String(late)) return [];
      const le = fieldById(c, chk.earlier)?.label ?? chk.earlier;
      const ll = fieldById(c, chk.later)?.label ?? chk.later;
      return [{ fields: [chk.earlier, chk.later], message: chk.message ?? `「${ll}」不能早于「${le}」` }];
    }
    case 'sumEquals': {
      const total = a[chk.total];
      const parts = chk.parts.map((p) => a[p]);
      if (typeof total !== 'number' || parts.some((p) => typeof p !== 'number')) return [];
      const sum = (parts as number[]).reduce((x, y) => x + y, 0);
      if (Math.abs(sum - total) < 1e-9) return [];
      const label = fieldById(c, chk.total)?.label ?? chk.total;
      return [{ fields: [chk.total, ...chk.parts], message: `「${label}」应等于各项之和（各项合计${sum}，填写的是${total}）` }];
    }
  }
}

/** A studio name typed against the form the notice prescribes (studioName.prescribed). */
function studioNameProblems(c: Campaign, a: Answers): FieldProblem[] {
  const rule = c.studioName;
  if (!rule?.prescribed) return [];
  const problems: FieldProblem[] = [];
  for (const f of topLevelFields(c).map((x) => x.field)) {
    const typed = f.type === 'studioName' ? str(a[f.id]) : undefined;
    if (!typed) continue;
    const values = Object.fromEntries(Object.entries(rule.fields).map(([k, fid]) => [k, str(a[fid])]));
    const res = followsStudioNameForm(typed, rule.pattern, values, { ...(rule.prefix ? { prefix: rule.prefix } : {}), exact: rule.exact });
    if (res.ok) continue;
    const example = suggestedStudioName(c, a);
    problems.push({ fields: [f.id], message: `「${f.label}」${res.problem}：${rule.prescribed}${example ? `，如“${example}”` : ''}` });
  }
  return problems;
}

export function crossFieldProblems(c: Campaign, answers: Answers, ctx: FieldContext): FieldProblem[] {
  return [...c.checks.flatMap((chk) => runCheck(c, chk, answers, ctx)), ...studioNameProblems(c, answers)];
}

// ---------- completeness ----------

export interface Completeness {
  missingFields: { sectionId: string; fieldId: string; label: string }[];
  rowCounts: { fieldId: string; label: string; message: string }[];
  missingAttachments: { slotId: string; label: string }[];
  unconfirmed: { id: string; text: string }[];
  complete: boolean;
}

/** The slots shown, each with `required` as these answers make it (requiredWhen). */
export function visibleAttachmentSlots(c: Campaign, answers: Answers): AttachmentSlot[] {
  return c.form.attachments
    .filter((s) => conditionHolds(s.visibleWhen, answers))
    .map((s) => (!s.required && requiredBy(s, answers).length ? { ...s, required: true } : s));
}

/** The conditions of an optional slot that these answers meet (each makes it required). */
export function requiredBy(slot: AttachmentSlot, answers: Answers): Condition[] {
  const when = slot.requiredWhen === undefined ? [] : Array.isArray(slot.requiredWhen) ? slot.requiredWhen : [slot.requiredWhen];
  return when.filter((cond) => conditionHolds(cond, answers));
}

export function visibleDeclarations(c: Campaign, answers: Answers) {
  return c.form.declarations.filter((d) => conditionHolds(d.visibleWhen, answers));
}

export function completeness(c: Campaign, draft: Draft): Completeness {
  const a = draft.answers;
  const missingFields: Completeness['missingFields'] = [];
  const rowCounts: Completeness['rowCounts'] = [];
  for (const s of visibleSections(c, a)) {
    for (const f of visibleFields(s, a)) {
      if (f.type === 'group') {
        const n = Array.isArray(a[f.id]) ? (a[f.id] as GroupRow[]).length : 0;
        if (n < f.minRows) rowCounts.push({ fieldId: f.id, label: f.label, message: `「${f.label}」至少需要${f.minRows}条${f.rowLabel}，现在${n}条` });
        else if (n > f.maxRows) rowCounts.push({ fieldId: f.id, label: f.label, message: `「${f.label}」最多${f.maxRows}条${f.rowLabel}，现在${n}条` });
        continue;
      }
      if (f.required && isEmpty(a[f.id])) missingFields.push({ sectionId: s.id, fieldId: f.id, label: f.label });
    }
  }
  const missingAttachments = visibleAttachmentSlots(c, a)
    .filter((slot) => slot.required && !draft.attachments[slot.id]?.length)
    .map((slot) => ({ slotId: slot.id, label: slot.label }));
  const unconfirmed = visibleDeclarations(c, a)
    .filter((d) => draft.declarations[d.id] !== true)
    .map((d) => ({ id: d.id, text: d.text }));
  return {
    missingFields,
    rowCounts,
    missingAttachments,
    unconfirmed,
    complete: !missingFields.length && !rowCounts.length && !missingAttachments.length && !unconfirmed.length,
  };
}

// ---------- eligibility ----------

export type RuleStatus = 'pass' | 'fail' | 'unknown' | 'notApplicable';

export interface RuleResult {
  ruleId: string;
  title: string;
  severity: Rule['severity'];
  status: RuleStatus;
  /** Why it failed, or what is still needed to tell. */
  reason?: string;
}

export interface EligibilityContext extends FieldContext {
  /** The date the rule is judged at (application date), YYYY-MM-DD. */
  asOf: string;
}

function retirementCategory(gender: string | undefined, womanCategory: string | undefined): RetirementCategory | 'needGender' | 'needCategory' {
  if (!gender) return 'needGender';
  if (gender === '男') return 'male';
  if (!womanCategory) return 'needCategory';
  return womanCategory.includes('50') ? 'female50' : 'female55';
}

function labelOf(c: Campaign, id: string): string {
  return fieldById(c, id)?.label ?? id;
}

function evaluateRule(c: Campaign, r: Rule, draft: Draft, ctx: EligibilityContext): Omit<RuleResult, 'ruleId' | 'title' | 'severity'> {
  const a = draft.answers;
  if (!conditionHolds(r.when, a)) return { status: 'notApplicable' };
  const need = (id: string) => ({ status: 'unknown' as const, reason: `需要先填写「${labelOf(c, id)}」` });
  switch (r.type) {
    case 'skillLevel': {
      const v = str(a[r.field]);
      if (!v) return need(r.field);
      const level = normalizeSkillLevel(v);
      if (!level) return { status: 'fail', reason: `无法识别职业技能等级“${v}”` };
      return meetsMinimumSkillLevel(level, r.minimum)
        ? { status: 'pass' }
        : { status: 'fail', reason: `「${labelOf(c, r.field)}」为${level}，要求${normalizeSkillLevel(r.minimum)}及以上` };
    }
    case 'retirement': {
      const cat = retirementCategory(str(a[r.gender]), str(a[r.womanCategory]));
      if (cat === 'needGender') return need(r.gender);
      if (cat === 'needCategory') return { status: 'unknown', reason: `需要先选择「${labelOf(c, r.womanCategory)}」（女职工的法定退休年龄取决于岗位）` };
      const id = r.idNumber ? str(a[r.idNumber]) : undefined;
      const fromId = id ? checkIdNumber(id, ctx.today) : undefined;
      let birth = fromId?.ok ? fromId.value.birthDate : undefined;
      if (!birth) {
        const typed = str(a[r.birthDate]);
        if (!typed) return need(r.idNumber ?? r.birthDate);
        // A month without a day: the 1st, so the result never favours the applicant.
        birth = typed.length === 7 ? `${typed}-01` : typed;
      }
      const res = r.mode === 'within' ? checkWithinRetirementAge(birth, cat, ctx.asOf) : checkYearsBeforeRetirement(birth, cat, ctx.asOf, r.years ?? 0);
      if (res.ok) {
        const [y, m] = res.value.retirementDate.split('-').map(Number);
        return { status: 'pass', reason: `法定退休时间为${formatChineseMonth(y!, m!)}` };
      }
      return { status: 'fail', reason: res.message };
    }
    case 'teamSize': {
      const rows = Array.isArray(a[r.group]) ? (a[r.group] as GroupRow[]) : [];
      if (rows.length === 0) return need(r.group);
      // 除领办人外: a row that repeats the leader does not count towards the minimum.
      const leader = r.excluding ? str(a[r.excluding.field])?.trim() : undefined;
      const isLeader = (row: GroupRow) =>
        leader !== undefined && typeof row[r.excluding!.column] === 'string' && (row[r.excluding!.column] as string).trim() === leader;
      const counted = rows.filter((row) => !isLeader(row)).length;
      if (counted >= r.min) return { status: 'pass' };
      const left = rows.length - counted;
      return { status: 'fail', reason: `现在${counted}人${left ? `（${leader}本人列在成员中，不计入）` : ''}，需不少于${r.min}人` };
    }
    case 'honours': {
      const v = a[r.field];
      if (isEmpty(v)) return need(r.field);
      const held = Array.isArray(v) ? (v as string[]) : [String(v)];
      const match = r.anyOf.filter((h) => held.some((x) => x === h || x.includes(h)));
      return match.length ? { status: 'pass', reason: `已获${match.join('、')}` } : { status: 'fail', reason: `未获得要求的荣誉之一（${r.anyOf.join('、')}）` };
    }
    case 'isYes': {
      const v = a[r.field];
      if (v === undefined || v === '') return need(r.field);
      return v === true ? { status: 'pass' } : { status: 'fail', reason: `「${labelOf(c, r.field)}」为“否”` };
    }
    case 'fieldIn': {
      const v = a[r.field];
      if (isEmpty(v)) return need(r.field);
      const values = Array.isArray(v) ? v.map(String) : [String(v)];
      return values.some((x) => r.values.includes(x)) ? { status: 'pass' } : { status: 'fail', reason: `「${labelOf(c, r.field)}」不在要求的范围内` };
    }
    case 'attachments': {
      const slots = c.form.attachments.filter((s) => r.slots.includes(s.id) && conditionHolds(s.visibleWhen, a));
      const missing = slots.filter((s) => !draft.attachments[s.id]?.length);
      return missing.length ? { status: 'fail', reason: `还缺附件：${missing.map((s) => s.label).join('、')}` } : { status: 'pass' };
    }
    case 'declarations': {
      const ids = r.ids ?? c.form.declarations.map((d) => d.id);
      const missing = visibleDeclarations(c, a).filter((d) => ids.includes(d.id) && draft.declarations[d.id] !== true);
      return missing.length ? { status: 'fail', reason: `还需确认：${missing.map((d) => d.text).join('；')}` } : { status: 'pass' };
    }
    case 'anyOf': {
      const subs = r.rules.map((sub) => ({ sub, res: evaluateRule(c, sub, draft, ctx) }));
      const passed = subs.find((x) => x.res.status === 'pass');
      if (passed) return { status: 'pass', reason: passed.sub.title };
      if (subs.some((x) => x.res.status === 'unknown'))
        return { status: 'unknown', reason: `尚未满足其中任何一项：${subs.map((x) => x.res.reason ?? x.sub.title).join('；')}` };
      return {
        status: 'fail',
        reason: subs
          .filter((x) => x.res.status === 'fail')
          .map((x) => x.res.reason ?? x.sub.title)
          .join('；且'),
      };
    }
  }
}

export function evaluateEligibility(c: Campaign, draft: Draft, ctx: EligibilityContext): RuleResult[] {
  return c.eligibility.map((r) => {
    const res = evaluateRule(c, r, draft, ctx);
    return { ruleId: r.id, title: r.title, severity: r.severity, status: res.status, ...(res.reason ? { reason: res.reason } : {}) };
  });
}

// ---------- steps ----------

export type StepState = 'done' | 'missing' | 'errors' | 'untouched';

export interface Step {
  index: number;
  kind: 'section' | 'attachments' | 'declarations';
  /** Section id, or 'attachments' / 'declarations'. */
  id: string;
  title: string;
  state: StepState;
}

function sectionState(s: Section, draft: Draft, problems: FieldProblem[]): StepState {
  const a = draft.answers;
  const fields = visibleFields(s, a);
  const touched = fields.some((f) => !isEmpty(a[f.id]));
  if (!touched) return 'untouched';
  const ids = new Set(fields.map((f) => f.id));
  if (problems.some((p) => p.fields.some((f) => ids.has(f)))) return 'errors';
  const missing = fields.some((f) =>
    f.type === 'group' ? (Array.isArray(a[f.id]) ? (a[f.id] as GroupRow[]).length : 0) < f.minRows : f.required && isEmpty(a[f.id]),
  );
  return missing ? 'missing' : 'done';
}

/** The steps of the journey: each visible section, then attachments, then the declarations. */
export function stepsOf(c: Campaign, draft: Draft, ctx: FieldContext): Step[] {
  const problems = crossFieldProblems(c, draft.answers, ctx);
  const steps: Omit<Step, 'index'>[] = visibleSections(c, draft.answers).map((s) => ({
    kind: 'section',
    id: s.id,
    title: s.title,
    state: sectionState(s, draft, problems),
  }));
  const slots = visibleAttachmentSlots(c, draft.answers);
  if (slots.length) {
    const any = slots.some((s) => draft.attachments[s.id]?.length);
    const missing = slots.some((s) => s.required && !draft.attachments[s.id]?.length);
    steps.push({ kind: 'attachments', id: 'attachments', title: '上传附件', state: !any ? 'untouched' : missing ? 'missing' : 'done' });
  }
  const declarations = visibleDeclarations(c, draft.answers);
  if (declarations.length) {
    const confirmed = declarations.filter((d) => draft.declarations[d.id] === true).length;
    steps.push({
      kind: 'declarations',
      id: 'declarations',
      title: '承诺与提交',
      state: confirmed === 0 ? 'untouched' : confirmed < declarations.length ? 'missing' : 'done',
    });
  }
  return steps.map((s, index) => ({ ...s, index }));
}

/** The first of these steps that is not done (resuming lands here); undefined when all are done. */
export function firstUnfinished(steps: readonly Step[]): Step | undefined {
  return steps.find((s) => s.state !== 'done');
}

// ---------- submission ----------

export interface SubmissionCheck {
  canSubmit: boolean;
  /** Every reason it cannot be submitted yet, in Chinese. */
  blockers: string[];
  warnings: string[];
  completeness: Completeness;
  problems: FieldProblem[];
  eligibility: RuleResult[];
}

export function checkSubmission(c: Campaign, draft: Draft, ctx: EligibilityContext): SubmissionCheck {
  const comp = completeness(c, draft);
  const problems = crossFieldProblems(c, draft.answers, ctx);
  const eligibility = evaluateEligibility(c, draft, ctx);
  const blockers = [
    ...comp.missingFields.map((m) => `请填写「${m.label}」`),
    ...comp.rowCounts.map((r) => r.message),
    ...comp.missingAttachments.map((m) => `请上传「${m.label}」`),
    ...comp.unconfirmed.map((d) => `请确认：${d.text}`),
    ...problems.map((p) => p.message),
    // Every required answer is in by now, so a verdict still unknown rests on optional answers left
    // empty (no 等级, no 称号 chosen): the condition is not met.
    ...eligibility
      .filter(
        (r) => r.severity === 'block' && (r.status === 'fail' || (r.status === 'unknown' && comp.missingFields.length === 0 && comp.rowCounts.length === 0)),
      )
      .map((r) => `不符合申报条件：${r.title}（${r.reason ?? ''}）`),
  ];
  // Completeness already reports missing attachments/declarations; their rules would repeat them.
  const uniqueBlockers = [...new Set(blockers)].filter(
    (b, _i, all) => !(b.startsWith('不符合申报条件') && /还缺附件|还需确认/.test(b) && all.some((x) => x.startsWith('请上传') || x.startsWith('请确认'))),
  );
  const warnings = eligibility.filter((r) => r.severity === 'warn' && r.status === 'fail').map((r) => `${r.title}：${r.reason ?? ''}`);
  return { canSubmit: uniqueBlockers.length === 0, blockers: uniqueBlockers, warnings, completeness: comp, problems, eligibility };
}

export type { GroupField, ScalarField };
