// Hangzhou Gongshu 2020 (关于申报2020年拱墅区技能大师工作室的通知，征求意见稿): 附件1 申报表 and
// 附件2 考核表. Both files carry every box of their form; the 考核表's 自评表格 is the rubric.
import { describe, expect, it } from 'vitest';
import { missingLabels } from '../../../src/campaigns/labels.js';
import type { Campaign, Field, Rule } from '../../../src/campaigns/schema.js';
import { shipped, shippedCampaign } from '../../helpers/campaigns.js';

// Every label printed on 附件1 拱墅区技能大师工作室申报表, cover page and opinion boxes included, in the
// seed's words. The box note （包括生产、科研以及高技能人才队伍情况） is a hint, checked below.
const APPLICATION_FORM_LABELS = [
  '拱墅区技能大师工作室申报表',
  '申报单位',
  '工作室名称',
  '申报单位基本情况',
  '单位全称',
  '法定代表人姓名',
  '联系人',
  '固定电话',
  '手机',
  '传真电话',
  '电子邮箱',
  '通信地址',
  '邮编',
  '单位\n\n简介\n\n（1000字以内）',
  '领衔人基本情况',
  '姓名',
  '性别',
  '民族',
  '出生年月',
  '政治面貌',
  '学历',
  '职业（工种）',
  '职业资格等级',
  '其它技能',
  '职务（职称）',
  '身份证号码',
  '从业时间',
  '工作\n\n简历',
  '技能特长\n\n及主要业绩',
  '市级及以上\n\n获奖情况',
  '工作室成员情况',
  '年龄',
  '职业资格等级\n或其它技能',
  '技能特长',
  '从业时间及主要业绩',
  '工作室下一步工作计划',
  '所在单位意见',
  '专家评估意见',
  '区人力社保局审核意见',
];

// Every label printed on 附件2 拱墅区技能大师工作室考核表 (the 合计 row aside: see the rubric test).
const EVALUATION_FORM_LABELS = [
  '拱墅区技能大师工作室考核表',
  '填表单位',
  '基本情况',
  '区级技能大师工作室名称',
  '入选年份',
  '领衔人姓名',
  '联系电话',
  '获得经费补助时间',
  '入选时职业\n\n（工种）',
  '入选时职业资格\n\n（技能等级）',
  '现职业（工种）',
  '现职业资格\n\n（技能等级）',
  '自评表格',
  '考核项目',
  '考核内容',
  '评分标准',
  '评估方式',
  '分值',
  '自评分',
  '考核分',
  '日常管理与基础保障（30分）',
  '技术攻关（15分）',
  '技术交流（15分）',
  '带徒传艺（20分）',
  '加分项（10分）',
  '配备专用的工作场地、学习交流场地等',
  '未配备场地不得分，工作室标牌不明显扣2分，无工作室成果荣誉展示栏扣3分',
  '实地考察',
  '配备正常运作的设备',
  '设备不足影响操作扣5分',
  '经费使用符合财务管理规定，账目清楚',
  '没有账目或经费管理办法的不得分；出现不合理、不合规开支的视情影响总评分',
  '材料审核',
  '管理制度完善，明确岗位及成员职责，规章制度张贴上墙',
  '没有建立制度或明确岗位职责的不得分，没有在明显处张贴的扣2分',
  '实地考察\n\n材料审核',
  '参与本单位技术改造或技术革新',
  '未开展的不得分；开展情况不理想的视情况酌情扣分',
  '总结推广技术成果，解决生产难题，产生一定经济效益',
  '开展业内技术交流会、课题研讨会或展示活动',
  '履行社会责任，参加技能服务社会的有关活动',
  '进行校企合作，培养技能人才、师徒结对等',
  '建立名师带徒机制，签订带徒协议，每年带徒传艺不少于8人，并建立学员花名册',
  '未建立培训花名册的扣2分；每少培养1人扣1分',
  '每年培养高技能人才不少于3人，并建立学员花名册',
  '未建立培训花名册的扣2分；每少培养1人扣3分，没培养不得分',
  '技师、高级技师培养有成效',
  '每培养技师1人得1分，每培养高级技师1人得2分',
  '技术成果获得技术专利或奖项',
  '每获得国家技术专利1例得2分；每获得市级及以上奖项的，每提供1例得1分',
  '工作室获得市级及以上电视台、报刊报道',
  '以新闻视频或报刊报道为依据',
  '一票否决项',
  // The one 一票否决 cell, in its three situations.
  '工作室拒绝接受区人力资源和社会保障局考核管理的',
  '申请承办的单位被注销或撤销的',
  '工作室领衔人或工作室因违法违纪行为或者重大过失，给国家、集体、他人造成重大损失和严重后果的',
  '填表人',
  '填表时间',
];

const STREETS = ['米市巷街道', '湖墅街道', '小河街道', '和睦街道', '拱宸桥街道', '大关街道', '上塘街道', '祥符街道', '康桥街道', '半山街道'];

const fieldsOf = (c: Campaign): Field[] => c.form.sections.flatMap((s) => s.fields);
const fieldById = (c: Campaign, id: string): Field => {
  const f = fieldsOf(c).find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};
const ruleById = (c: Campaign, id: string): Rule => {
  const r = c.eligibility.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('gongshu files', () => {
  it('all load without errors', () => {
    expect(shipped.errors.filter((e) => e.file.startsWith('gongshu'))).toEqual([]);
    for (const id of ['gongshu-2020', 'gongshu-2020-evaluation', 'gongshu-2026', 'gongshu-2026-evaluation']) expect(shippedCampaign(id).id).toBe(id);
  });
});

describe('gongshu-2020', () => {
  const c = shippedCampaign('gongshu-2020');

  it('has every label of the seed application form', () => {
    expect(missingLabels(c, APPLICATION_FORM_LABELS)).toEqual([]);
  });

  it("keeps the form's field details", () => {
    expect(fieldById(c, 'unitProfile')).toMatchObject({ type: 'textarea', maxLength: 1000, hint: '包括生产、科研以及高技能人才队伍情况' });
    expect(fieldById(c, 'leaderIdNumber')).toMatchObject({ type: 'idNumber', sensitive: true });
    expect(fieldById(c, 'leaderMobile')).toMatchObject({ type: 'mobile', sensitive: true });
    expect(fieldById(c, 'contactMobile')).toMatchObject({ type: 'mobile', sensitive: true });
    expect(fieldById(c, 'leaderBirth').type).toBe('yearMonth');
    expect(fieldById(c, 'postalCode').type).toBe('postalCode');
    const members = fieldById(c, 'members');
    expect(members).toMatchObject({ type: 'group', minRows: 3 });
    if (members.type !== 'group') throw new Error('members is not a group');
    expect(members.fields.map((f) => f.label)).toEqual([
      '姓名',
      '性别',
      '年龄',
      '学历',
      '职业（工种）',
      '职业资格等级或其它技能',
      '技能特长',
      '从业时间及主要业绩',
    ]);
    // Ids are unique across the whole form, group columns included.
    const ids = fieldsOf(c).flatMap((f) => (f.type === 'group' ? [f.id, ...f.fields.map((g) => g.id)] : [f.id]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names the studio 领衔人名字+职业（工种）名称+技能大师工作室', () => {
    expect(c.studioName).toEqual({
      pattern: '{领衔人名字}{职业（工种）名称}技能大师工作室',
      fields: { 领衔人名字: 'leaderName', '职业（工种）名称': 'leaderOccupation' },
      prescribed: '格式为“领衔人名字+职业（工种）名称+技能大师工作室”',
      exact: ['领衔人名字'],
    });
  });

  it('models 三、申请条件: 有大师, 有保障, 有项目', () => {
    expect(c.eligibility.map((r) => r.type)).toEqual(['anyOf', 'retirement', 'teamSize', 'isYes', 'isYes', 'attachments', 'declarations', 'declarations']);
    const leader = ruleById(c, 'leaderQualification');
    expect(leader.type === 'anyOf' && leader.rules).toEqual([
      expect.objectContaining({ type: 'skillLevel', field: 'leaderSkillLevel', minimum: '技师' }),
      expect.objectContaining({ type: 'isYes', field: 'leaderHasUniqueSkill' }),
    ]);
    expect(ruleById(c, 'yearsBeforeRetirement')).toMatchObject({
      type: 'retirement',
      mode: 'yearsBefore',
      years: 3,
      severity: 'warn',
      birthDate: 'leaderBirth',
      idNumber: 'leaderIdNumber',
      gender: 'leaderGender',
      womanCategory: 'leaderRetirementCategory',
    });
    expect(ruleById(c, 'yearsBeforeRetirement').source).toContain('原则上应距法定退休年龄3年以上');
    expect(ruleById(c, 'teamOfThree')).toMatchObject({ type: 'teamSize', group: 'members', min: 3, severity: 'block' });
    expect(ruleById(c, 'membersOfUnit')).toMatchObject({ type: 'isYes', field: 'membersFromUnit' });
    expect(ruleById(c, 'hasProject')).toMatchObject({ type: 'isYes', field: 'hasProject' });
    expect(ruleById(c, 'guarantees')).toMatchObject({ type: 'declarations', ids: ['talentPolicies', 'studioRules', 'facilitiesAndFunds', 'rewardScheme'] });
    expect(ruleById(c, 'requiredMaterials')).toMatchObject({ slots: ['stampedForm', 'applicationReport', 'businessLicence', 'idCards'] });
    expect(c.form.attachments.find((a) => a.id === 'honoursAndMedia')?.required).toBe(false);
    expect(c.checks.map((k) => k.type)).toEqual(['idMatches', 'notInGroup', 'dateOrder']);
    expect(c.checks[1]).toMatchObject({ field: 'leaderName', group: 'members', column: 'memberName' });
  });

  it('models （二）评估认定 and （三）公示授牌, the deadline, contact and streets', () => {
    expect(c.pipeline.map((s) => s.kind)).toEqual(['scoring', 'review', 'publicity', 'publish']);
    expect(c.pipeline[0]).toMatchObject({ role: 'expert', opinionLabel: '专家评估意见', scoring: { rubric: 'applicationReview' } });
    expect(c.pipeline[1]).toMatchObject({ role: 'cityReviewer', opinionLabel: '区人力社保局审核意见' });
    expect(c.pipeline[2]?.publicity?.workingDays).toBe(5);
    expect(c.schedule.deadline).toBe('2020-05-22');
    expect(c.contacts[0]).toMatchObject({ name: '杨慧雯', phone: '0571-88256383', email: '546282213@QQ.COM' });
    expect(c.regions).toEqual({ label: '街道', items: STREETS });
    expect(c.notice).toContain('给予一次性经费补助2万元');
    expect(c.notice).toContain('有效期为3年');
    const rubric = c.rubrics.find((r) => r.id === 'applicationReview');
    expect(rubric?.origin).toBe('derived');
    expect(new Set(rubric?.items.map((i) => i.category))).toEqual(new Set(['有大师', '有保障', '有项目']));
    expect(sum(rubric?.items.map((i) => i.max) ?? [])).toBe(100);
  });
});

describe('gongshu-2020-evaluation', () => {
  const c = shippedCampaign('gongshu-2020-evaluation');
  const rubric = c.rubrics.find((r) => r.id === c.evaluation?.rubric);

  it('has every label of the seed 考核表', () => {
    expect(missingLabels(c, EVALUATION_FORM_LABELS)).toEqual([]);
  });

  it('carries the 自评表格 row by row, 分值 as printed', () => {
    expect(rubric?.origin).toBe('notice');
    expect(rubric?.items.map((i) => i.max)).toEqual([10, 5, 10, 5, 5, 10, 5, 5, 5, 10, 10, 5, 3, 2]);
    const base = rubric?.items.filter((i) => !i.bonus) ?? [];
    const bonus = rubric?.items.filter((i) => i.bonus) ?? [];
    // Each category's rows add up to the points in its heading, e.g. 日常管理与基础保障（30分）.
    for (const category of new Set(rubric?.items.map((i) => i.category))) {
      const points = Number(/（(\d+)分）/.exec(category)?.[1]);
      expect(sum(rubric!.items.filter((i) => i.category === category).map((i) => i.max)), category).toBe(points);
    }
    // The 合计 row prints 100+10, but the printed rows give 80 + 10 (30+15+15+20); kept as printed.
    expect(sum(base.map((i) => i.max))).toBe(80);
    expect(bonus.map((i) => i.category)).toEqual(['加分项（10分）', '加分项（10分）', '加分项（10分）']);
    expect(sum(bonus.map((i) => i.max))).toBe(10);
    expect(rubric?.bonusCap).toBe(10);
    expect(rubric?.veto).toHaveLength(3);
    expect(c.evaluation?.scoreColumns).toEqual({ self: '自评分', review: '考核分' });
  });

  it('models 六、考核评估: not evaluated when the leader left, 3-year term, grades by points', () => {
    expect(c.eligibility.map((r) => [r.type, r.severity])).toEqual([
      ['isYes', 'block'],
      ['isYes', 'block'],
      ['isYes', 'block'],
      ['attachments', 'block'],
    ]);
    expect(c.evaluation).toMatchObject({ grading: 'points', studios: { designatedBefore: 2018 }, period: { from: '2017-01-01', to: '2019-12-31' } });
    expect(c.evaluation?.grades.map((g) => [g.grade, g.min])).toEqual([
      ['优秀', 72],
      ['合格', 48],
      ['不合格', 0],
    ]);
    expect(c.evaluation?.rules).toContain('工作室领衔人不再从事技能技术岗位工作的或离开申报单位的或已退休的，不列入考核且不进行延期');
    expect(c.pipeline.map((s) => [s.kind, s.role])).toEqual([
      ['review', 'cityReviewer'],
      ['scoring', 'expert'],
      ['publicity', undefined],
      ['publish', undefined],
    ]);
    expect(c.pipeline[1]?.scoring?.rubric).toBe('evaluationTable');
    expect(fieldById(c, 'contactPhone').sensitive).toBe(true);
    expect(c.regions.items).toEqual(STREETS);
  });
});

describe('gongshu 2026 demo variants', () => {
  it('inherit the 2020 application form with new dates and no document date', () => {
    const base = shippedCampaign('gongshu-2020');
    const c = shippedCampaign('gongshu-2026');
    expect(c.source.extends).toBe('gongshu-2020');
    expect(c.year).toBe(2026);
    expect(c.issuer.issuedOn).toBeUndefined();
    expect(c.issuer.name).toBe(base.issuer.name);
    expect(c.schedule).toMatchObject({ opensAt: '2026-11-01', deadline: '2026-12-31', stageDeadlines: {} });
    expect(c.schedule.reminders).toEqual({ daysBefore: [7, 3, 1], quietHours: { from: '21:00', to: '08:00' } });
    expect(c.notice).toContain('演示');
    expect(c.form).toEqual(base.form);
    expect(c.eligibility).toEqual(base.eligibility);
    expect(c.pipeline).toEqual(base.pipeline);
    expect(c.rubrics).toEqual(base.rubrics);
    expect(missingLabels(c, APPLICATION_FORM_LABELS)).toEqual([]);
  });

  it('inherit the 2020 考核表 and rubric with the 2023-2025 term', () => {
    const base = shippedCampaign('gongshu-2020-evaluation');
    const c = shippedCampaign('gongshu-2026-evaluation');
    expect(c.source.extends).toBe('gongshu-2020-evaluation');
    expect(c.year).toBe(2026);
    expect(c.issuer.issuedOn).toBeUndefined();
    expect(c.schedule).toMatchObject({ opensAt: '2026-11-01', deadline: '2026-12-31' });
    expect(c.form).toEqual(base.form);
    expect(c.rubrics).toEqual(base.rubrics);
    expect(c.evaluation).toMatchObject({ studios: { designatedBefore: 2024, programme: 'gongshu' }, period: { from: '2023-01-01', to: '2025-12-31' } });
    expect(c.evaluation?.grades).toEqual(base.evaluation?.grades);
    expect(missingLabels(c, EVALUATION_FORM_LABELS)).toEqual([]);
  });
});
