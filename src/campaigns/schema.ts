// The format of a programme file (campaigns/*.yaml). A new city or a new year is a new file.
// Objects are strict, so a misspelt setting is an error rather than silently ignored.
import { z } from 'zod';
import { OPTION_SETS } from './option-sets.js';

/** optionSet naming the programme's own regions (regions.items): the applicant's 区县 / 推荐单位. */
export const REGION_SET = '地区';

/** A missing key says so; a present one of the wrong kind says what it should be. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? '缺少这一项' : what);

const id = z.string({ error: expected('应为文字') }).regex(/^[a-z][a-zA-Z0-9]*$/, '只能用英文字母和数字，且以小写字母开头（如 leaderName）');
const campaignId = z.string({ error: expected('应为文字') }).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, '只能用小写字母、数字和连字符（如 weihai-2024）');
const label = z
  .string({ error: expected('应为文字') })
  .trim()
  .min(1, '不能为空');
const date = z.string({ error: expected('应为日期，如 2024-07-31') }).regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期，格式 YYYY-MM-DD（如 2024-07-31）');
const clock = z.string({ error: expected('应为时刻，如 08:00') }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, '应为时刻，格式 HH:mm（如 08:00）');
const dateTime = z
  .string({ error: expected('应为日期时间，如 2024-07-31T17:00:00+08:00') })
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$/, '应为日期或日期时间，如 2024-07-31 或 2024-07-31T17:00:00+08:00');

/** Show a field (or apply a rule) only when another field has one of these answers. */
export const condition = z.strictObject({
  field: id,
  equals: z.union([z.string(), z.boolean(), z.number()]).optional(),
  in: z.array(z.string()).min(1).optional(),
  notEmpty: z.boolean().optional(),
});
export type Condition = z.infer<typeof condition>;

const fieldCommon = {
  id,
  /** Exactly the label printed on the programme's paper form. */
  label,
  required: z.boolean().default(true),
  hint: z.string().optional(),
  placeholder: z.string().optional(),
  visibleWhen: condition.optional(),
  /** Personal data: masked on cards and in logs unless the viewer's role needs it. */
  sensitive: z.boolean().optional(),
  /** Other places the paper form prints this same value (a cover page's 申报单位, 领办人姓名…). */
  alsoPrintedAs: z.array(label).optional(),
};

const choiceSource = {
  options: z.array(label).min(1, '至少要有一个选项').optional(),
  /** A shared list: 性别, 民族, 政治面貌, 学历, 职业技能等级, 单位性质, 退休年龄类别, 是否. */
  optionSet: z
    .enum([REGION_SET, ...Object.keys(OPTION_SETS)] as [string, ...string[]], {
      error: `应为以下之一：${[...Object.keys(OPTION_SETS), REGION_SET].join('、')}`,
    })
    .optional(),
  /** Also accept an answer typed by the user (其他：____). */
  allowOther: z.boolean().optional(),
};

const scalarFieldOptions = [
  z.strictObject({
    ...fieldCommon,
    type: z.literal('text'),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().positive().default(100),
  }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('textarea'),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().positive().default(2000),
  }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('integer'),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    unit: z.string().optional(),
  }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('decimal'),
    min: z.number().optional(),
    max: z.number().optional(),
    decimals: z.number().int().min(0).max(6).default(2),
    unit: z.string().optional(),
  }),
  z.strictObject({ ...fieldCommon, type: z.literal('date'), min: date.optional(), max: date.optional() }),
  z.strictObject({ ...fieldCommon, type: z.literal('yearMonth') }),
  z.strictObject({ ...fieldCommon, type: z.literal('year'), min: z.number().int().default(1949), max: z.number().int().optional() }),
  z.strictObject({ ...fieldCommon, type: z.literal('choice'), ...choiceSource }),
  z.strictObject({
    ...fieldCommon,
    type: z.literal('multiChoice'),
    ...choiceSource,
    minSelected: z.number().int().min(0).optional(),
    maxSelected: z.number().int().positive().optional(),
  }),
  z.strictObject({ ...fieldCommon, type: z.literal('yesNo') }),
  z.strictObject({ ...fieldCommon, type: z.literal('idNumber') }),
  z.strictObject({ ...fieldCommon, type: z.literal('mobile') }),
  z.strictObject({ ...fieldCommon, type: z.literal('landline') }),
  z.strictObject({ ...fieldCommon, type: z.literal('phone') }),
  z.strictObject({ ...fieldCommon, type: z.literal('email') }),
  z.strictObject({ ...fieldCommon, type: z.literal('postalCode') }),
  z.strictObject({ ...fieldCommon, type: z.literal('creditCode') }),
  /** Filled from the programme's naming rule; the applicant confirms or corrects it. */
  z.strictObject({ ...fieldCommon, type: z.literal('studioName'), maxLength: z.number().int().positive().default(60) }),
] as const;
const FIELD_TYPES =
  'text、textarea、integer、decimal、date、yearMonth、year、choice、multiChoice、yesNo、idNumber、mobile、landline、phone、email、postalCode、creditCode、studioName、group';
const badFieldType = (issue: { code: string }) => (issue.code === 'invalid_union' ? `字段类型 type 不正确，可选：${FIELD_TYPES}` : undefined);
const scalarField = z.discriminatedUnion('type', [...scalarFieldOptions], {
  error: (i) => (i.code === 'invalid_union' ? '重复组里的字段类型 type 不正确（重复组不能再嵌套 group）' : undefined),
});
export type ScalarField = z.infer<typeof scalarField>;

const groupField = z.strictObject({
  ...fieldCommon,
  type: z.literal('group'),
  /** What one row is called on cards ("成员", "获奖"). */
  rowLabel: label,
  minRows: z.number().int().min(0).default(0),
  maxRows: z.number().int().positive().default(50),
  fields: z.array(scalarField).min(1, '重复组至少要有一个字段'),
});
export type GroupField = z.infer<typeof groupField>;

export const field = z.discriminatedUnion('type', [...scalarFieldOptions, groupField], { error: badFieldType });
export type Field = z.infer<typeof field>;
export type FieldType = Field['type'];

const section = z.strictObject({
  id,
  title: label,
  description: z.string().optional(),
  visibleWhen: condition.optional(),
  fields: z.array(field).min(1, '每一部分至少要有一个字段'),
});
export type Section = z.infer<typeof section>;

const FILE_TYPES = ['pdf', 'jpg', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'zip', 'rar', 'ofd'] as const;
const attachmentSlot = z.strictObject({
  id,
  label,
  hint: z.string().optional(),
  accept: z
    .array(z.enum(FILE_TYPES, { error: `文件类型应为以下之一：${FILE_TYPES.join('、')}` }))
    .min(1)
    .default(['pdf', 'jpg', 'png']),
  // Reviewers receive attachments as files the bot uploads, and Lark uploads at most 30 MB
  // (上传文件 im/v1/files：文件大小不得超过 30 MB): a slot cannot take more than that.
  maxSizeMB: z.number().positive().max(30, '附件会通过飞书转给审核人，飞书上传文件最大 30 MB：单个附件上限不能超过 30').default(20),
  required: z.boolean().default(true),
  maxFiles: z.number().int().positive().default(1),
  visibleWhen: condition.optional(),
  /** An optional slot other answers make required (荣誉复印件 once 获得称号 is chosen): any one of the conditions. */
  requiredWhen: z.union([condition, z.array(condition).min(1)]).optional(),
  /** The notice's words for why (按称号条件申报的，须提供荣誉复印件或旁证材料). */
  requiredBecause: z.string().optional(),
});
export type AttachmentSlot = z.infer<typeof attachmentSlot>;

const declaration = z.strictObject({
  id,
  text: label,
  visibleWhen: condition.optional(),
  /** A 一票否决 item: if the applicant cannot confirm it, the application cannot go ahead. */
  veto: z.boolean().default(false),
});
export type Declaration = z.infer<typeof declaration>;

const form = z.strictObject({
  sections: z.array(section).min(1, '表单至少要有一个部分'),
  attachments: z.array(attachmentSlot).default([]),
  declarations: z.array(declaration).default([]),
});
export type Form = z.infer<typeof form>;

// ---- eligibility rules: typed, never free code ----
const ruleCommon = {
  id,
  /** The condition in plain Chinese, as shown on the programme's introduction card. */
  title: label,
  /** block: submission is impossible while it fails; warn: shown to applicant and reviewers. */
  severity: z.enum(['block', 'warn'], { error: 'severity 应为 block（不满足不能提交）或 warn（仅提示）' }).default('block'),
  when: condition.optional(),
  /** The notice's own words for this condition (shown to reviewers). */
  source: z.string().optional(),
};
type RuleShape =
  | { type: 'skillLevel'; field: string; minimum: string }
  | {
      type: 'retirement';
      birthDate: string;
      idNumber?: string | undefined;
      gender: string;
      womanCategory: string;
      mode: 'within' | 'yearsBefore';
      years?: number | undefined;
    }
  | { type: 'teamSize'; group: string; min: number; excluding?: { field: string; column: string } | undefined }
  | { type: 'honours'; field: string; anyOf: string[] }
  | { type: 'isYes'; field: string }
  | { type: 'fieldIn'; field: string; values: string[] }
  | { type: 'attachments'; slots: string[] }
  | { type: 'declarations'; ids?: string[] | undefined }
  | { type: 'anyOf'; rules: Rule[] };
export type Rule = RuleShape & { id: string; title: string; severity: 'block' | 'warn'; when?: Condition | undefined; source?: string | undefined };

export const rule: z.ZodType<Rule> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ ...ruleCommon, type: z.literal('skillLevel'), field: id, minimum: label }),
      z.strictObject({
        ...ruleCommon,
        type: z.literal('retirement'),
        birthDate: id,
        /** When answered, the exact birth date is taken from the ID number. */
        idNumber: id.optional(),
        gender: id,
        /** A choice from the 女职工退休类别 list (a woman's category cannot be read from her job title). */
        womanCategory: id,
        mode: z.enum(['within', 'yearsBefore'], { error: 'mode 应为 within（在法定退休年龄内）或 yearsBefore（距法定退休年龄若干年以上）' }),
        years: z.number().positive().optional(),
      }),
      /**
       * Rows of a group. `excluding` names the leader (a field, and the group's column holding the
       * same value): a row for the leader does not count when the notice says 除领办人外.
       */
      z.strictObject({
        ...ruleCommon,
        type: z.literal('teamSize'),
        group: id,
        min: z.number().int().positive(),
        excluding: z.strictObject({ field: id, column: id }).optional(),
      }),
      z.strictObject({ ...ruleCommon, type: z.literal('honours'), field: id, anyOf: z.array(label).min(1) }),
      z.strictObject({ ...ruleCommon, type: z.literal('isYes'), field: id }),
      z.strictObject({ ...ruleCommon, type: z.literal('fieldIn'), field: id, values: z.array(label).min(1) }),
      z.strictObject({ ...ruleCommon, type: z.literal('attachments'), slots: z.array(id).min(1) }),
      z.strictObject({ ...ruleCommon, type: z.literal('declarations'), ids: z.array(id).optional() }),
      z.strictObject({ ...ruleCommon, type: z.literal('anyOf'), rules: z.array(rule).min(2, 'anyOf 至少要有两条规则') }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? '规则类型 type 不正确，可选：skillLevel、retirement、teamSize、honours、isYes、fieldIn、attachments、declarations、anyOf'
          : undefined,
    },
  ),
) as z.ZodType<Rule>;

// ---- cross-field checks the form engine runs on every save ----
export const crossCheck = z.discriminatedUnion(
  'type',
  [
    /** The ID number's birth date and gender agree with what was typed. */
    z.strictObject({ type: z.literal('idMatches'), idNumber: id, birthDate: id.optional(), gender: id.optional() }),
    /** The leader is not listed again among the team members (compared by name, or ID number). */
    z.strictObject({ type: z.literal('notInGroup'), field: id, group: id, column: id, message: z.string().optional() }),
    /** Dates in order, e.g. 出生年月 before 参加工作时间. */
    z.strictObject({ type: z.literal('dateOrder'), earlier: id, later: id, message: z.string().optional() }),
    /** A total equals the sum of its parts (技能人才数量 → 总量合计). */
    z.strictObject({ type: z.literal('sumEquals'), total: id, parts: z.array(id).min(2) }),
  ],
  { error: (i) => (i.code === 'invalid_union' ? '校验类型 type 应为 idMatches、notInGroup、dateOrder 或 sumEquals' : undefined) },
);
export type CrossCheck = z.infer<typeof crossCheck>;

// ---- rubrics (expert scoring of applications, yearly evaluations) ----
const rubricItem = z.strictObject({
  id,
  /** 考核项目, e.g. 日常管理与基础保障（30分） */
  category: label,
  /** 考核内容 */
  content: label,
  /** 评分标准 */
  criteria: z.string().default(''),
  /** 评估方式 */
  method: z.string().default(''),
  max: z.number().positive(),
  bonus: z.boolean().default(false),
});
const rubric = z.strictObject({
  id,
  title: label,
  /** Where the items come from: the notice's own table, or derived from its conditions. */
  origin: z.enum(['notice', 'derived'], { error: 'origin 应为 notice（通知原表）或 derived（依据通知条件拟定）' }),
  items: z.array(rubricItem).min(1),
  /** Column headers of the printed table. */
  columns: z
    .strictObject({
      category: label.default('考核项目'),
      content: label.default('考核内容'),
      criteria: label.default('评分标准'),
      method: label.default('评估方式'),
      max: label.default('分值'),
    })
    .default({ category: '考核项目', content: '考核内容', criteria: '评分标准', method: '评估方式', max: '分值' }),
  bonusCap: z.number().min(0).optional(),
  veto: z.array(z.strictObject({ id, text: label })).default([]),
});
export type Rubric = z.infer<typeof rubric>;

const grade = z.strictObject({
  grade: z.enum(['优秀', '良好', '合格', '不合格'], { error: '等次应为 优秀、良好、合格 或 不合格' }),
  /** Lowest score of this grade (points grading); omitted for directly assigned grades. */
  min: z.number().min(0).optional(),
  consequence: z.string().optional(),
});

// ---- review pipeline ----
const ROLES = ['regionReviewer', 'cityReviewer', 'expert', 'admin'] as const;
const stage = z.strictObject({
  id,
  title: label,
  kind: z.enum(['review', 'recommend', 'scoring', 'publicity', 'publish'], { error: '环节类型 kind 应为 review、recommend、scoring、publicity 或 publish' }),
  role: z.enum(ROLES, { error: `审核角色 role 应为以下之一：${ROLES.join('、')}` }).optional(),
  /** region: reviewers only see applications from their own region. */
  scope: z.enum(['region', 'all']).default('all'),
  /** or: the first decision counts; all: every assigned reviewer must decide (countersign). */
  signing: z.enum(['or', 'all']).default('or'),
  decisions: z.array(z.enum(['approve', 'return', 'reject'])).optional(),
  approveLabel: z.string().default('通过'),
  /** The opinion box of this stage on the paper form (e.g. 区市人社部门意见). */
  opinionLabel: z.string().optional(),
  recommend: z
    .strictObject({ perRegionMin: z.number().int().min(0).default(0), perRegionMax: z.number().int().positive().optional(), ranked: z.boolean().default(true) })
    .optional(),
  scoring: z
    .strictObject({
      rubric: id,
      experts: z.number().int().positive(),
      aggregation: z.enum(['mean', 'trimmedMean']).default('mean'),
      /** Trimmed mean drops the highest and lowest score once there are at least this many experts. */
      trimFrom: z.number().int().min(3).default(5),
      /** An expert from the applicant's own unit may not score it. */
      recusal: z.boolean().default(true),
    })
    .optional(),
  publicity: z.strictObject({ workingDays: z.number().int().positive() }).optional(),
});
export type Stage = z.infer<typeof stage>;

const region = z.strictObject({
  label,
  items: z.array(label).min(1),
});

const contact = z.strictObject({
  name: label,
  phone: z.string().optional(),
  email: z.string().optional(),
  address: z.string().optional(),
  department: z.string().optional(),
});

const exportColumn = z.strictObject({
  header: label,
  /** A field id, `rank` (the recommending unit's order), or a template such as "{unitAddress} {contactName}". */
  value: z.string().min(1),
});

export const campaignFile = z.strictObject({
  /** Another file's id whose settings this one starts from (a new year of the same programme). */
  extends: campaignId.optional(),
  id: campaignId,
  /** Letters that start application numbers: WH → WH2024-0007. */
  code: z.string({ error: expected('应为2到4个大写字母，如 WH') }).regex(/^[A-Z]{2,4}$/, '应为2到4个大写字母，如 WH'),
  title: label,
  kind: z.enum(['application', 'evaluation'], { error: 'kind 应为 application（申报）或 evaluation（绩效评估）' }),
  year: z.number().int().min(2000).max(2100),
  issuer: z.strictObject({ name: label, department: z.string().optional(), docNumber: z.string().optional(), issuedOn: date.optional() }),
  /** One line on who may apply, for the programme list. */
  summary: label,
  regions: region,
  schedule: z.strictObject({
    opensAt: date,
    /** Absent when the notice leaves it blank; the programme is then shown as 截止时间待定. */
    deadline: dateTime.optional(),
    stageDeadlines: z.record(z.string(), dateTime).default({}),
    /**
     * Deadline reminders: applicants with unfinished drafts (before `deadline`) and reviewers with
     * pending items (before each stage deadline) are reminded this many days before, on the first
     * scheduler run of that Beijing day outside quiet hours.
     */
    reminders: z
      .strictObject({
        daysBefore: z
          .array(
            z
              .number({ error: expected('应为天数，如 7') })
              .int()
              .min(1, '提前天数至少为 1')
              .max(60, '提前天数最多 60'),
          )
          .default([7, 3, 1]),
        quietHours: z.strictObject({ from: clock, to: clock }).default({ from: '21:00', to: '08:00' }),
      })
      .default({ daysBefore: [7, 3, 1], quietHours: { from: '21:00', to: '08:00' } }),
  }),
  quotas: z
    .strictObject({
      designations: z.number().int().positive().optional(),
      /** Sub-quotas such as at most one 乡村特色技能大师工作室, keyed by a yes/no or choice field. */
      categories: z.array(z.strictObject({ label, max: z.number().int().min(0), when: condition })).default([]),
      perRegionMin: z.number().int().min(0).optional(),
      perRegionMax: z.number().int().positive().optional(),
    })
    .default({ categories: [] }),
  contacts: z.array(contact).default([]),
  notice: z.string().min(1, '请附上通知正文'),
  /** What to prepare, in the notice's words (shown before the applicant starts). */
  materials: z.array(label).default([]),
  studioName: z
    .strictObject({
      pattern: z.string().regex(/\{[^}]+\}/, '命名规则至少要包含一个 {占位}，如 {领办人}{职业工种}技能大师工作室'),
      prefix: z.string().optional(),
      /** Placeholder → field id. */
      fields: z.record(z.string(), id),
      /**
       * The notice's own words when it prescribes the form of the name (格式为“…”): the typed name
       * is then checked against the pattern. Without it the pattern is only a suggestion.
       */
      prescribed: z.string().optional(),
      /** Placeholders whose answer must appear as typed (the leader's name); the others only be present. */
      exact: z.array(z.string()).default([]),
    })
    .optional(),
  form,
  eligibility: z.array(rule).default([]),
  checks: z.array(crossCheck).default([]),
  pipeline: z.array(stage).min(1, '至少要有一个审核环节'),
  rubrics: z.array(rubric).default([]),
  /**
   * Who may reveal personal data in full (查看完整信息, recorded in the audit log) and receive it in
   * exports: the district reviewers and/or the administrators. Experts and groups never do.
   */
  privacy: z
    .strictObject({
      reveal: z
        .array(
          z.enum(['reviewer', 'administrator'], {
            error: 'privacy.reveal 只能包含 reviewer（审核人）和 administrator（管理员）；评审专家和群聊永远看不到完整的个人信息',
          }),
        )
        .default(['reviewer', 'administrator']),
    })
    .default({ reveal: ['reviewer', 'administrator'] }),
  evaluation: z
    .strictObject({
      /** Which designated studios take part. */
      studios: z.strictObject({ designatedFrom: z.number().int().optional(), designatedBefore: z.number().int().optional(), programme: z.string().optional() }),
      period: z.strictObject({ from: date, to: date }),
      grading: z.enum(['points', 'direct'], { error: 'grading 应为 points（按得分定等次）或 direct（专家直接评定等次）' }),
      rubric: id.optional(),
      /** Column headers for the studio's own score and the reviewers' score (e.g. 自评分 / 考核分). */
      scoreColumns: z.strictObject({ self: label, review: label }).optional(),
      grades: z.array(grade).min(2, '至少要有两个等次'),
      rules: z.array(z.string()).default([]),
    })
    .optional(),
  exports: z
    .strictObject({
      /** The official form the .docx 申报表 reproduces: its title and the opinion boxes at its end. */
      applicationForm: z
        .strictObject({
          title: label,
          /** `stage`: the pipeline stage whose reviewers' opinion (备注, or the reason) is printed in the box; by default the stage whose opinionLabel is the box's title. */
          opinions: z.array(z.strictObject({ title: label, sign: z.string().default('（盖章）'), stage: id.optional() })).default([]),
        })
        .optional(),
      summaryList: z
        .strictObject({
          title: label,
          header: z.array(z.string()).default([]),
          columns: z.array(exportColumn).min(1),
          footer: z.array(z.string()).default([]),
          notes: z.array(z.string()).default([]),
        })
        .optional(),
    })
    .default({}),
});

export type CampaignFile = z.infer<typeof campaignFile>;
export type Campaign = Omit<CampaignFile, 'extends'> & {
  source: { file: string; extends?: string };
  /** The field holding the applicant's region (optionSet 地区), when the form has one. */
  regionField?: string;
  /** The 统一社会信用代码 field: one unit applies once per programme. */
  unitKeyField?: string;
};

/** A problem found in a programme file, where it is. */
export interface CampaignError {
  file: string;
  /** e.g. form.sections[2].fields[4]（领办人姓名）.type */
  path: string;
  message: string;
}
