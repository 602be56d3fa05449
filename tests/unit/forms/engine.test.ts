// The form engine against the shipped Weihai 2024 programme.
import { describe, expect, it } from 'vitest';
import type { GroupField } from '../../../src/campaigns/schema.js';
import {
  checkSubmission,
  completeness,
  crossFieldProblems,
  type Draft,
  emptyDraft,
  evaluateEligibility,
  firstUnfinished,
  stepsOf,
  suggestedStudioName,
  validateRow,
  validateSection,
} from '../../../src/forms/engine.js';
import { parseDateInput, parseYearMonthInput } from '../../../src/forms/fields.js';
import { idNumberCheckChar } from '../../../src/rules/index.js';
import { shippedCampaign } from '../../helpers/campaigns.js';

const c = shippedCampaign('weihai-2024');
const ctx = { today: '2024-07-15', asOf: '2024-07-15' };
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const MALE_1975_06 = withCheck('37100219750615123'); // 17th digit 3: odd → male
const FEMALE_1980_06 = withCheck('37100219800615124'); // 17th digit 4: even → female

function completeDraft(): Draft {
  return {
    answers: {
      region: '环翠区',
      unitCreditCode: '91350100M000100Y43',
      unitName: '威海某机械有限公司',
      unitNature: '民营企业',
      industry: '装备制造',
      unitHead: '王强',
      unitAddress: '威海市环翠区某路1号',
      contactName: '李丽',
      contactPhone: '13812345678',
      isTechnicianStation: true,
      email: 'hr@example.com',
      bankAccount: '中国银行威海分行 123456789',
      businessStatus: '近两年营业收入稳步增长。',
      countPrincipalTechnician: 0,
      countSeniorTechnician: 5,
      countTechnician: 12,
      countSeniorWorker: 40,
      countOtherSkilled: 20,
      countTotal: 77,
      leaderName: '张伟',
      leaderGender: '男',
      leaderEthnicity: '汉族',
      leaderBirth: '1975-06',
      leaderWorkStart: '1995-07',
      leaderPolitical: '中共党员',
      leaderIdNumber: MALE_1975_06,
      leaderWorkplace: '数控车间 班组长',
      leaderFrontLine: true,
      leaderCategory: '高级技师',
      leaderOccupation: '数控车工',
      leaderSkillLevel: '高级技师',
      leaderCertDate: '2010-05',
      leaderPhone: '13912345678',
      leaderAchievements: '获省技术能手。',
      studioName: '张伟数控车工技能大师工作室',
      studioLocation: '数控车间二楼',
      studioArea: 120,
      isRural: false,
      members: [
        { name: '赵一', occupation: '数控车工', skillLevel: '技师', expertise: '精密加工' },
        { name: '钱二', occupation: '钳工', skillLevel: '高级工', expertise: '装配' },
        { name: '孙三', occupation: '电工', skillLevel: '技师', expertise: '设备维护' },
      ],
      hasProjects: true,
      hasTalentSystems: true,
      hasFixedVenue: true,
      hasAnnualFunding: true,
      advantages: '设备齐全。',
      workPlan: '三年培养技师10名。',
      unitOpinion: '同意推荐。',
    },
    attachments: Object.fromEntries(
      ['applicationReport', 'stampedForm', 'skillCertificates', 'equipment'].map((s) => [s, [{ fileKey: `file_${s}`, name: `${s}.pdf`, size: 1000 }]]),
    ),
    declarations: { evidenceVerified: true, truthful: true },
  };
}

describe('steps', () => {
  it('lists every section, then attachments, then the declarations; an empty draft starts at step 1', () => {
    const steps = stepsOf(c, emptyDraft(), ctx);
    expect(steps.map((s) => s.title)).toEqual([
      '申报单位基本信息',
      '技能人才数量',
      '领办人基本情况',
      '拟设立工作室情况',
      '工作室团队成员状况',
      '条件与规划',
      '上传附件',
      '承诺与提交',
    ]);
    expect(steps.every((s) => s.state === 'untouched')).toBe(true);
    expect(firstUnfinished(stepsOf(c, emptyDraft(), ctx))?.id).toBe('unit');
  });

  it('resumes at the first unfinished step and reports errors by section', () => {
    const d = completeDraft();
    delete d.answers.leaderPhone;
    d.answers.countTotal = 70;
    const steps = stepsOf(c, d, ctx);
    expect(steps.find((s) => s.id === 'skilledWorkforce')?.state).toBe('errors');
    expect(steps.find((s) => s.id === 'leader')?.state).toBe('missing');
    expect(firstUnfinished(steps)?.id).toBe('skilledWorkforce');
    expect(firstUnfinished(stepsOf(c, completeDraft(), ctx))).toBeUndefined();
  });
});

describe('validating one step', () => {
  it('keeps the valid values, gives each wrong field its own Chinese message, and keeps what was typed', () => {
    const r = validateSection(
      c,
      'leader',
      {
        leaderName: '  张伟 ',
        leaderGender: '男',
        leaderBirth: '1975年6月',
        leaderIdNumber: MALE_1975_06.slice(0, 17) + (MALE_1975_06.endsWith('0') ? '1' : '0'),
        leaderPhone: '1381234567',
        leaderWorkStart: '',
        leaderFrontLine: '是',
        leaderSkillLevel: '高级技师（一级）',
      },
      ctx,
    );
    expect(r.values).toMatchObject({ leaderName: '张伟', leaderGender: '男', leaderBirth: '1975-06', leaderFrontLine: true });
    expect(r.errors.leaderIdNumber?.message).toMatch(/校验位/);
    expect(r.errors.leaderPhone?.message).toMatch(/^「领办人联系电话」/);
    expect(r.errors.leaderPhone?.raw).toBe('1381234567');
    expect(r.errors.leaderWorkStart?.message).toBe('请填写「参加工作时间」');
    expect(r.errors.leaderSkillLevel?.message).toMatch(/请从列表中选择/);
  });

  it('shows the women’s retirement category only for women, and requires it then', () => {
    const men = validateSection(c, 'leader', { leaderGender: '男', leaderRetirementCategory: '' }, ctx);
    expect(men.errors.leaderRetirementCategory).toBeUndefined();
    const women = validateSection(c, 'leader', { leaderGender: '女', leaderRetirementCategory: '' }, ctx);
    expect(women.errors.leaderRetirementCategory?.message).toBe('请填写「女职工退休年龄类别」');
  });

  it.each([
    ['studioArea', '120平方米', 120],
    ['studioArea', '１２０．５', 120.5],
    ['studioArea', '0', '「工作室面积」不能小于1平方米'],
    ['studioArea', '很大', '「工作室面积」应填写数字（单位：平方米）'],
    ['studioArea', '12.345', '「工作室面积」最多保留1位小数'],
  ])('%s = %s → %s', (field, raw, expected) => {
    const r = validateSection(c, 'studio', { [field]: raw }, ctx);
    if (typeof expected === 'number') expect(r.values[field]).toBe(expected);
    else expect(r.errors[field]?.message).toBe(expected);
  });

  it('counts Chinese characters as people do for maximum lengths', () => {
    const r = validateSection(c, 'unit', { businessStatus: '营'.repeat(1001) }, ctx);
    expect(r.errors.businessStatus?.message).toBe('「近两年单位经营状况」不能超过1000个字（现在1001个字），请精简后再提交');
    expect(validateSection(c, 'unit', { businessStatus: '营'.repeat(1000) }, ctx).values.businessStatus).toHaveLength(1000);
  });

  it('validates a team member row', () => {
    const members = c.form.sections.find((s) => s.id === 'team')!.fields[0] as GroupField;
    expect(validateRow(members, { name: '赵一', occupation: '数控车工', skillLevel: '技师', expertise: '精密加工' }, ctx).errors).toEqual({});
    const bad = validateRow(members, { name: '', occupation: '钳工', skillLevel: '大师' }, ctx);
    expect(Object.keys(bad.errors).sort()).toEqual(['expertise', 'name', 'skillLevel']);
    expect(bad.row).toEqual({ occupation: '钳工' });
  });
});

describe.each([
  ['1976-05', '1976-05'],
  ['1976-5', '1976-05'],
  ['1976年5月', '1976-05'],
  ['1976.05', '1976-05'],
  ['1976/05', '1976-05'],
  ['1976-05-12', '1976-05'],
  ['１９７６年５月', '1976-05'],
  ['1976-13', null],
  ['76-05', null],
  ['五月', null],
])('year-month input %s', (input, expected) => {
  it(`→ ${expected}`, () => expect(parseYearMonthInput(input)).toBe(expected));
});

describe.each([
  ['2024-07-31', '2024-07-31'],
  ['2024/7/31', '2024-07-31'],
  ['2024年7月31日', '2024-07-31'],
  ['2024-02-30', null],
  ['2024-7', null],
])('date input %s', (input, expected) => {
  it(`→ ${expected}`, () => expect(parseDateInput(input)).toBe(expected));
});

describe('cross-field checks', () => {
  it.each([
    ['a birth month that disagrees with the ID number', { leaderBirth: '1976-06' }, /出生年月与身份证号码不一致/],
    ['a gender that disagrees with the ID number', { leaderGender: '女' }, /性别/],
    ['the leader listed among the members', { members: [{ name: '张伟', occupation: 'x', skillLevel: '技师', expertise: 'y' }] }, /领办人不需要再列入团队成员/],
    ['work started before birth', { leaderWorkStart: '1970-01' }, /参加工作时间应晚于出生年月/],
    ['a total that is not the sum', { countTotal: 70 }, /「总量合计」应等于各项之和（各项合计77，填写的是70）/],
  ])('%s', (_what, change, message) => {
    const d = completeDraft();
    Object.assign(d.answers, change);
    const problems = crossFieldProblems(c, d.answers, ctx);
    expect(problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it('finds nothing wrong in a consistent draft', () => {
    expect(crossFieldProblems(c, completeDraft().answers, ctx)).toEqual([]);
  });
});

describe('completeness', () => {
  it('lists missing fields, too few members, missing attachments and unconfirmed declarations', () => {
    const d = completeDraft();
    delete d.answers.unitName;
    d.answers.members = (d.answers.members as object[]).slice(0, 2) as never;
    delete d.attachments.equipment;
    d.declarations.truthful = false;
    const r = completeness(c, d);
    expect(r.complete).toBe(false);
    expect(r.missingFields.map((m) => m.label)).toEqual(['申报单位名称']);
    expect(r.rowCounts.map((m) => m.message)).toEqual(['「工作室团队成员状况」至少需要3条成员，现在2条']);
    expect(r.missingAttachments.map((m) => m.label)).toEqual(['现有设施设备清单和照片']);
    expect(r.unconfirmed.map((m) => m.id)).toEqual(['truthful']);
    expect(completeness(c, completeDraft()).complete).toBe(true);
  });
});

describe('eligibility', () => {
  const status = (d: Draft, ruleId: string, at = ctx) => evaluateEligibility(c, d, at).find((r) => r.ruleId === ruleId)!;

  it.each([
    ['男 1975-06 → retires 2038-02: within', { leaderGender: '男' }, MALE_1975_06, 'pass', /2038年02月/],
    [
      '女 (50) 1980-06 → retires 2033-03: within',
      { leaderGender: '女', leaderRetirementCategory: '生产操作岗位（原50周岁退休）' },
      FEMALE_1980_06,
      'pass',
      /2033年03月/,
    ],
    ['女 without the category: cannot tell yet', { leaderGender: '女' }, FEMALE_1980_06, 'unknown', /女职工退休年龄类别/],
  ])('retirement: %s', (_what, answers, id, expected, reason) => {
    const d = completeDraft();
    Object.assign(d.answers, answers, { leaderIdNumber: id, leaderBirth: id.slice(6, 10) + '-' + id.slice(10, 12) });
    const r = status(d, 'withinRetirementAge');
    expect(r.status).toBe(expected);
    expect(r.reason).toMatch(reason);
  });

  it('fails the retirement rule once the statutory age is reached (man born 1964-12 retires 2024-12)', () => {
    const d = completeDraft();
    const id = withCheck('37100219641210123');
    Object.assign(d.answers, { leaderIdNumber: id, leaderBirth: '1964-12' });
    expect(status(d, 'withinRetirementAge', { today: '2025-01-15', asOf: '2025-01-15' }).status).toBe('fail');
    expect(status(d, 'withinRetirementAge', { today: '2024-11-30', asOf: '2024-11-30' }).status).toBe('pass');
  });

  it.each([
    ['高级技师', '高级技师', 'pass'],
    ['技师 who is a 技能带头人', '经企业认定对推动产业发展有重大作用的技能带头人', 'pass'],
    ['技师 who says 高级技师 category', '高级技师', 'fail'],
  ])('leader qualification: %s', (_what, category, expected) => {
    const d = completeDraft();
    d.answers.leaderCategory = category;
    if (_what.startsWith('技师')) d.answers.leaderSkillLevel = '技师';
    const r = status(d, 'leaderQualification');
    expect(r.status).toBe(expected);
    if (expected === 'fail') expect(r.reason).toMatch(/为技师，要求高级技师及以上/);
  });

  it('says at once what a rule still needs', () => {
    const r = evaluateEligibility(c, emptyDraft(), ctx);
    expect(r.find((x) => x.ruleId === 'frontLine')).toMatchObject({ status: 'unknown', reason: '需要先填写「是否一线工作人员」' });
    expect(r.find((x) => x.ruleId === 'teamOfThree')).toMatchObject({ status: 'unknown' });
  });
});

describe('submission', () => {
  it('a complete, consistent, eligible draft can be submitted', () => {
    const r = checkSubmission(c, completeDraft(), ctx);
    expect(r.blockers).toEqual([]);
    expect(r.canSubmit).toBe(true);
  });

  it('a failing hard rule blocks submission with the reason; saving is unaffected', () => {
    const d = completeDraft();
    d.answers.leaderFrontLine = false;
    const r = checkSubmission(c, d, ctx);
    expect(r.canSubmit).toBe(false);
    expect(r.blockers).toEqual(['不符合申报条件：领办人在生产一线从事技术技能工作（「是否一线工作人员」为“否”）']);
  });

  it('names every missing attachment once', () => {
    const d = completeDraft();
    d.attachments = {};
    const r = checkSubmission(c, d, ctx);
    expect(r.blockers).toEqual([
      '请上传「申请报告」',
      '请上传「申报表盖章扫描件」',
      '请上传「领办人及团队人员职业资格或职业技能等级证书」',
      '请上传「现有设施设备清单和照片」',
    ]);
  });
});

it('suggests the studio name from the naming rule', () => {
  expect(suggestedStudioName(c, completeDraft().answers)).toBe('张伟数控车工技能大师工作室');
  expect(suggestedStudioName(c, {})).toBeUndefined();
});
