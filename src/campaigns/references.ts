// Checks that go beyond shape: every rule, condition, naming placeholder, rubric and export column
// must point at something that exists and has the right kind. Each problem carries the path of
// the place that refers to the missing thing.
import { normalizeSkillLevel } from '../rules/skill-level.js';
import { optionSet } from './option-sets.js';
import { type CampaignFile, type Condition, type Field, REGION_SET, type Rule, type ScalarField } from './schema.js';

export interface Problem {
  path: (string | number)[];
  message: string;
}

type Path = (string | number)[];

const fieldsCache = new WeakMap<object, { field: Field; path: Path }[]>();

/** Every field of the form (group sub-fields excluded) with its path in the file. */
export function topLevelFields(c: Pick<CampaignFile, 'form'>): { field: Field; path: Path }[] {
  // Programmes are immutable once loaded, and the engine asks this on every check.
  let fields = fieldsCache.get(c.form);
  if (!fields) {
    fields = c.form.sections.flatMap((s, si) => s.fields.map((field, fi) => ({ field, path: ['form', 'sections', si, 'fields', fi] as Path })));
    fieldsCache.set(c.form, fields);
  }
  return fields;
}

export function choicesOf(field: ScalarField): readonly string[] {
  if (field.type !== 'choice' && field.type !== 'multiChoice') return [];
  return field.options ?? (field.optionSet ? (optionSet(field.optionSet) ?? []) : []);
}

/** Replaces optionSet 地区 with the programme's regions, so every later step sees plain options. */
export function expandRegionChoices<T extends CampaignFile>(c: T): { campaign: T; regionField?: string } {
  let regionField: string | undefined;
  const sections = c.form.sections.map((s) => ({
    ...s,
    fields: s.fields.map((f) => {
      if ((f.type === 'choice' || f.type === 'multiChoice') && f.optionSet === REGION_SET) {
        regionField ??= f.id;
        const { optionSet: _set, ...rest } = f;
        return { ...rest, options: [...c.regions.items] };
      }
      return f;
    }),
  }));
  return { campaign: { ...c, form: { ...c.form, sections } }, ...(regionField ? { regionField } : {}) };
}

export function unitKeyFieldOf(c: Pick<CampaignFile, 'form'>): string | undefined {
  return topLevelFields(c).find((x) => x.field.type === 'creditCode')?.field.id;
}

export function findReferenceProblems(c: CampaignFile): Problem[] {
  const problems: Problem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  const fields = new Map<string, Field>();

  for (const { field, path } of topLevelFields(c)) {
    if (fields.has(field.id)) add([...path, 'id'], `字段 id「${field.id}」重复：同一个表单里每个字段的 id 必须不同`);
    fields.set(field.id, field);
    if (field.type === 'group') {
      const inner = new Set<string>();
      field.fields.forEach((sub, i) => {
        if (inner.has(sub.id)) add([...path, 'fields', i, 'id'], `重复组里的字段 id「${sub.id}」重复`);
        inner.add(sub.id);
        checkChoice(sub, [...path, 'fields', i]);
      });
      if (field.minRows > field.maxRows) add([...path, 'minRows'], `最少行数 ${field.minRows} 大于最多行数 ${field.maxRows}`);
    } else {
      checkChoice(field, path);
    }
  }

  function checkChoice(f: ScalarField, path: Path) {
    if (f.type !== 'choice' && f.type !== 'multiChoice') return;
    if (!f.options && !f.optionSet) add(path, `选择题「${f.label}」需要 options（选项列表）或 optionSet（共用列表）`);
    if (f.options && f.optionSet) add(path, `选择题「${f.label}」的 options 和 optionSet 只能写一个`);
  }

  const attachments = new Set(c.form.attachments.map((a) => a.id));
  const declarations = new Set(c.form.declarations.map((d) => d.id));

  function needField(path: Path, id: string, kinds?: Field['type'][], what = '字段'): Field | undefined {
    const f = fields.get(id);
    if (!f) {
      add(path, `引用了不存在的${what}「${id}」`);
      return undefined;
    }
    if (kinds && !kinds.includes(f.type)) add(path, `「${f.label}」（${id}）的类型是 ${f.type}，这里需要 ${kinds.join(' 或 ')}`);
    return f;
  }

  function checkCondition(cond: Condition | undefined, path: Path) {
    if (!cond) return;
    const f = needField([...path, 'field'], cond.field);
    const given = [cond.equals !== undefined, cond.in !== undefined, cond.notEmpty !== undefined].filter(Boolean).length;
    if (given !== 1) add(path, '条件需要且只能写 equals、in、notEmpty 中的一个');
    if (f && f.type !== 'group' && (f.type === 'choice' || f.type === 'multiChoice')) {
      const options = choicesOf(f);
      for (const v of [...(cond.in ?? []), ...(typeof cond.equals === 'string' ? [cond.equals] : [])]) {
        if (!options.includes(v)) add(path, `「${f.label}」没有选项「${v}」`);
      }
    }
  }

  c.form.sections.forEach((s, si) => {
    checkCondition(s.visibleWhen, ['form', 'sections', si, 'visibleWhen']);
    s.fields.forEach((f, fi) => checkCondition(f.visibleWhen, ['form', 'sections', si, 'fields', fi, 'visibleWhen']));
  });
  c.form.attachments.forEach((a, i) => {
    checkCondition(a.visibleWhen, ['form', 'attachments', i, 'visibleWhen']);
    const when = a.requiredWhen === undefined ? [] : Array.isArray(a.requiredWhen) ? a.requiredWhen : [a.requiredWhen];
    when.forEach((cond, k) => checkCondition(cond, ['form', 'attachments', i, 'requiredWhen', ...(Array.isArray(a.requiredWhen) ? [k] : [])]));
    if (a.requiredWhen && a.required)
      add(['form', 'attachments', i, 'requiredWhen'], `附件「${a.label}」已是必传（required 未写成 false），requiredWhen 没有作用`);
  });
  c.form.declarations.forEach((d, i) => checkCondition(d.visibleWhen, ['form', 'declarations', i, 'visibleWhen']));

  function checkRule(r: Rule, path: Path) {
    checkCondition(r.when, [...path, 'when']);
    switch (r.type) {
      case 'skillLevel':
        needField([...path, 'field'], r.field, ['choice', 'text']);
        if (!normalizeSkillLevel(r.minimum)) add([...path, 'minimum'], `「${r.minimum}」不是已知的职业技能等级`);
        break;
      case 'retirement': {
        needField([...path, 'birthDate'], r.birthDate, ['date', 'yearMonth']);
        if (r.idNumber) needField([...path, 'idNumber'], r.idNumber, ['idNumber']);
        needField([...path, 'gender'], r.gender, ['choice']);
        const cat = needField([...path, 'womanCategory'], r.womanCategory, ['choice']);
        if (cat && cat.type === 'choice' && cat.optionSet !== '女职工退休类别')
          add([...path, 'womanCategory'], `「${cat.label}」应使用 optionSet: 女职工退休类别`);
        if (r.mode === 'yearsBefore' && r.years === undefined) add(path, 'mode 为 yearsBefore 时需要写 years（距退休的年数）');
        break;
      }
      case 'teamSize': {
        const g = needField([...path, 'group'], r.group, ['group']);
        if (r.excluding) {
          needField([...path, 'excluding', 'field'], r.excluding.field);
          if (g?.type === 'group' && !g.fields.some((f) => f.id === r.excluding!.column))
            add([...path, 'excluding', 'column'], `重复组「${g.label}」没有列「${r.excluding.column}」`);
        }
        break;
      }
      case 'honours':
        needField([...path, 'field'], r.field, ['choice', 'multiChoice', 'text', 'textarea']);
        break;
      case 'isYes':
        needField([...path, 'field'], r.field, ['yesNo']);
        break;
      case 'fieldIn':
        needField([...path, 'field'], r.field);
        break;
      case 'attachments':
        r.slots.forEach((s, i) => attachments.has(s) || add([...path, 'slots', i], `引用了不存在的附件「${s}」`));
        break;
      case 'declarations':
        (r.ids ?? []).forEach((d, i) => declarations.has(d) || add([...path, 'ids', i], `引用了不存在的承诺事项「${d}」`));
        break;
      case 'anyOf':
        r.rules.forEach((sub, i) => checkRule(sub, [...path, 'rules', i]));
        break;
    }
  }
  const ruleIds = new Set<string>();
  c.eligibility.forEach((r, i) => {
    if (ruleIds.has(r.id)) add(['eligibility', i, 'id'], `规则 id「${r.id}」重复`);
    ruleIds.add(r.id);
    checkRule(r, ['eligibility', i]);
  });

  c.checks.forEach((chk, i) => {
    const path = ['checks', i];
    switch (chk.type) {
      case 'idMatches':
        needField([...path, 'idNumber'], chk.idNumber, ['idNumber']);
        if (chk.birthDate) needField([...path, 'birthDate'], chk.birthDate, ['date', 'yearMonth']);
        if (chk.gender) needField([...path, 'gender'], chk.gender, ['choice']);
        break;
      case 'notInGroup': {
        needField([...path, 'field'], chk.field);
        const g = needField([...path, 'group'], chk.group, ['group']);
        if (g?.type === 'group' && !g.fields.some((f) => f.id === chk.column)) add([...path, 'column'], `重复组「${g.label}」里没有字段「${chk.column}」`);
        break;
      }
      case 'dateOrder':
        needField([...path, 'earlier'], chk.earlier, ['date', 'yearMonth', 'year']);
        needField([...path, 'later'], chk.later, ['date', 'yearMonth', 'year']);
        break;
      case 'sumEquals':
        needField([...path, 'total'], chk.total, ['integer', 'decimal']);
        chk.parts.forEach((p, j) => needField([...path, 'parts', j], p, ['integer', 'decimal']));
        break;
    }
  });

  if (c.studioName) {
    const placeholders = [...c.studioName.pattern.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const p of placeholders) if (!(p in c.studioName.fields)) add(['studioName', 'fields'], `命名规则里的「{${p}}」没有对应字段`);
    for (const [p, fid] of Object.entries(c.studioName.fields)) needField(['studioName', 'fields', p], fid);
    c.studioName.exact.forEach((p, i) => {
      if (!placeholders.includes(p)) add(['studioName', 'exact', i], `「${p}」不是命名规则里的占位`);
    });
    if (c.studioName.prescribed && !c.form.sections.some((s) => s.fields.some((f) => f.type === 'studioName')))
      add(['studioName', 'prescribed'], '规定了命名格式，但表单里没有 type: studioName 的字段');
  }

  const regionFields = topLevelFields(c).filter((x) => (x.field.type === 'choice' || x.field.type === 'multiChoice') && x.field.optionSet === REGION_SET);
  if (regionFields.length > 1) add(regionFields[1]!.path, '表单里只能有一个 optionSet: 地区 的字段');
  c.pipeline.forEach((st, i) => {
    if (st.scope === 'region' && regionFields.length === 0)
      add(['pipeline', i, 'scope'], `「${st.title}」按地区审核，表单需要一个 optionSet: 地区 的选择题（申报单位所属${c.regions.label}）`);
  });
  if (c.kind === 'application' && !unitKeyFieldOf(c)) add(['form'], '申报项目需要一个 creditCode（统一社会信用代码）字段，用于确认同一单位每个项目只申报一次');

  const stageIds = new Set<string>();
  const rubricIds = new Set(c.rubrics.map((r) => r.id));
  c.pipeline.forEach((s, i) => {
    const path = ['pipeline', i];
    if (stageIds.has(s.id)) add([...path, 'id'], `环节 id「${s.id}」重复`);
    stageIds.add(s.id);
    if ((s.kind === 'review' || s.kind === 'recommend' || s.kind === 'scoring') && !s.role) add(path, `「${s.title}」需要写 role（由谁审核）`);
    if (s.kind === 'review' && !s.decisions?.length) add(path, `审核环节「${s.title}」需要写 decisions（可作出的决定）`);
    if (s.kind === 'recommend' && !s.recommend) add(path, `推荐环节「${s.title}」需要写 recommend（每个地区推荐名额）`);
    if (s.kind === 'scoring') {
      if (!s.scoring) add(path, `评分环节「${s.title}」需要写 scoring（评分细则、专家人数）`);
      else if (!rubricIds.has(s.scoring.rubric)) add([...path, 'scoring', 'rubric'], `引用了不存在的评分细则「${s.scoring.rubric}」`);
    }
    if (s.kind === 'publicity' && !s.publicity) add(path, `公示环节「${s.title}」需要写 publicity.workingDays（公示工作日数）`);
  });
  for (const key of Object.keys(c.schedule.stageDeadlines)) if (!stageIds.has(key)) add(['schedule', 'stageDeadlines', key], `没有 id 为「${key}」的审核环节`);
  (c.exports.applicationForm?.opinions ?? []).forEach((o, i) => {
    if (o.stage && !stageIds.has(o.stage)) add(['exports', 'applicationForm', 'opinions', i, 'stage'], `没有 id 为「${o.stage}」的审核环节`);
  });
  if (c.schedule.deadline && c.schedule.deadline.slice(0, 10) < c.schedule.opensAt) add(['schedule', 'deadline'], '截止时间早于开始时间');

  c.quotas.categories.forEach((q, i) => checkCondition(q.when, ['quotas', 'categories', i, 'when']));

  if (c.kind === 'evaluation' && !c.evaluation) add(['evaluation'], '绩效评估项目（kind: evaluation）需要写 evaluation（评估对象、期间、等次）');
  if (c.kind === 'application' && c.evaluation) add(['evaluation'], '申报项目（kind: application）不应写 evaluation');
  if (c.evaluation) {
    if (c.evaluation.rubric && !rubricIds.has(c.evaluation.rubric)) add(['evaluation', 'rubric'], `引用了不存在的评分细则「${c.evaluation.rubric}」`);
    if (c.evaluation.grading === 'points') {
      c.evaluation.grades.forEach(
        (g, i) => g.min === undefined && add(['evaluation', 'grades', i, 'min'], `按得分定等次时，「${g.grade}」需要写 min（最低分）`),
      );
    }
    if (c.evaluation.period.to < c.evaluation.period.from) add(['evaluation', 'period'], '评估期间的结束日期早于开始日期');
  }

  c.exports.summaryList?.columns.forEach((col, i) => {
    const refs = col.value.includes('{') ? [...col.value.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) : [col.value];
    for (const ref of refs)
      if (!SPECIAL_COLUMNS.has(ref) && !fields.has(ref))
        add(['exports', 'summaryList', 'columns', i, 'value'], `一览表列「${col.header}」引用了不存在的字段「${ref}」`);
  });
  return problems;
}

/** Column values an export can use besides field ids. */
export const SPECIAL_COLUMNS = new Set(['rank', 'region', 'studioName', 'attachments']);
