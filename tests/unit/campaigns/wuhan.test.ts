// Wuhan 2024 (武汉市人社局 2024年4月7日通知): the file carries every box of 附件2 申报表 and every
// column and note of 附件1 申报情况一览表.
import { describe, expect, it } from 'vitest';
import { missingLabels } from '../../../src/campaigns/labels.js';
import { shippedCampaign } from '../../helpers/campaigns.js';

// Every label printed on 附件2 武汉市技能大师工作室申报表, cover page included, in the seed's words.
const APPLICATION_FORM_LABELS = [
  // cover
  '申报单位',
  '工作室职业（工种）',
  '领办人姓名',
  '领办人职业技能等级',
  '填报时间',
  // table
  '申报单位名称',
  '单位性质',
  '负责人',
  '办公电话',
  '联系人',
  '手机',
  'E-mail',
  '传真',
  '通信地址',
  '邮政编码',
  '开户银行及资金账号',
  '技能大师姓名',
  '性别',
  '民族',
  '出生年月',
  '参加工作时间',
  '政治面貌',
  '身份证号',
  '工作单位及职务',
  '从事职业（工种）',
  '职业技能等级',
  '工作室地点',
  '工作室面积',
  '工作室基本设施',
  '工作室成员',
  '省部级获奖情况',
  '其它获奖情况',
  '获奖项目名称',
  '奖励名称',
  '授予单位',
  '等级',
  '排名',
  '角色',
  '年度',
  '技能大师工作业绩、获省部级以上奖励或国家专利情况、主要创新发明等情况',
  '申报\n单位\n意见',
  '区人力资源\n（社会保障）\n部门、市直（中央驻汉）单位\n意　见',
  '专家组\n评审意见',
  '市人力资源和\n社会保障局审批意见',
];

// Every label printed on 附件1 武汉市技能大师工作室建设项目申报情况一览表.
const SUMMARY_LIST_LABELS = [
  '武汉市技能大师工作室建设项目申报情况一览表',
  '推荐单位（盖章）：',
  '填报日期：',
  '序号',
  '单位',
  '领办人',
  '工种',
  '技能等级',
  '岗位',
  '主要成绩',
  '主要荣誉',
  '工作室\n成立文件',
  '工作室\n建设情况',
  '工作室\n主要成员',
  '工作室地址\n单位联系人',
  '填报人：',
  '联系电话：（办公）             （手机）',
  '备注：1.主要获奖情况必须与佐证材料一致，按照时间先后顺序罗列，无佐证材料奖项不得填入此表；',
  '2.“单位”填写推荐项目所在工作单位；主要成绩、主要荣誉内容较多可另附页；',
  '3.推荐单位应对推荐建设项目进行排序。',
];

describe('wuhan-2024', () => {
  const c = shippedCampaign('wuhan-2024');

  it('has every label of the seed application form (附件2)', () => {
    expect(missingLabels(c, APPLICATION_FORM_LABELS)).toEqual([]);
  });

  it('has every label of the seed summary list (附件1)', () => {
    expect(missingLabels(c, SUMMARY_LIST_LABELS)).toEqual([]);
  });

  it('uses 办公电话 for both the unit head and the contact person', () => {
    const unit = c.form.sections.find((s) => s.id === 'unit')!;
    expect(unit.fields.filter((f) => f.label === '办公电话').map((f) => f.id)).toEqual(['unitHeadOfficePhone', 'contactOfficePhone']);
  });

  it('has two award groups with the seven printed columns', () => {
    const awards = c.form.sections.flatMap((s) => s.fields).filter((f) => f.type === 'group');
    expect(awards.map((g) => g.label)).toEqual(['省部级获奖情况', '其它获奖情况']);
    for (const g of awards) {
      if (g.type !== 'group') continue;
      expect(g.fields.map((f) => f.label)).toEqual(['获奖项目名称', '奖励名称', '授予单位', '等级', '排名', '角色', '年度']);
      expect(g.fields.at(-1)?.type).toBe('year');
    }
  });

  it('models 一（一）: 技师 or above, and one of honours / 绝技绝活 / 革新成果', () => {
    const [level, anyOf] = c.eligibility;
    expect(level).toMatchObject({ type: 'skillLevel', field: 'leaderSkillLevel', minimum: '技师' });
    expect(anyOf?.type).toBe('anyOf');
    if (anyOf?.type !== 'anyOf') return;
    expect(anyOf.rules.map((r) => r.type)).toEqual(['honours', 'isYes', 'isYes']);
    const honours = anyOf.rules[0];
    if (honours?.type === 'honours')
      expect(honours.anyOf).toEqual(
        expect.arrayContaining(['中华技能大奖', '全国技术能手', '国务院特殊津贴', '省政府特殊津贴', '湖北省突出贡献人才', '武汉工匠']),
      );
  });

  it('models 一（二）/（三）: host-unit conditions depend on 依托单位类型', () => {
    const funds = c.eligibility.find((r) => r.id === 'enterpriseEduFunds');
    expect(funds).toMatchObject({ type: 'isYes', field: 'enterpriseEduFunds50', when: { field: 'hostType', equals: '企业' } });
    const college = c.eligibility.filter((r) => r.when?.field === 'hostType' && r.when.equals === '职业院校（高技能人才培训基地）');
    expect(college.map((r) => r.id)).toEqual(['collegePolicies', 'collegeSupport']);
  });

  it('requires the police opinion and the 一票否决 statement, and has a veto declaration', () => {
    const required = c.eligibility.find((r) => r.id === 'requiredMaterials');
    expect(required?.type === 'attachments' && required.slots).toEqual(expect.arrayContaining(['policeOpinion', 'vetoStatement']));
    expect(c.form.declarations.filter((d) => d.veto).map((d) => d.id)).toEqual(['noVeto']);
  });

  it('models 二、评选程序: ranked recommendation without a per-unit limit, review, scoring, site visit, 5-day notice, publish', () => {
    expect(c.pipeline.map((s) => s.kind)).toEqual(['recommend', 'review', 'scoring', 'review', 'publicity', 'publish']);
    expect(c.pipeline[0]).toMatchObject({ role: 'regionReviewer', scope: 'region', recommend: { ranked: true } });
    expect(c.pipeline[0]?.recommend?.perRegionMax).toBeUndefined();
    expect(c.pipeline[1]).toMatchObject({ role: 'cityReviewer', title: '市技能大师工作室评审委员会办公室资格审查' });
    expect(c.rubrics.find((r) => r.id === c.pipeline[2]?.scoring?.rubric)?.origin).toBe('derived');
    expect(c.pipeline[4]?.publicity?.workingDays).toBe(5);
    expect(c.pipeline[5]?.title).toContain('市财政局');
    expect(c.schedule.deadline).toBe('2024-06-30');
    expect(c.regions.items).toHaveLength(18);
  });

  it('exports 附件1 一览表 with its columns in order, ranked by the recommending unit', () => {
    const list = c.exports.summaryList!;
    expect(list.columns.map((col) => col.header)).toEqual([
      '序号',
      '单位',
      '领办人',
      '工种',
      '技能等级',
      '岗位',
      '主要成绩',
      '主要荣誉',
      '工作室成立文件',
      '工作室建设情况',
      '工作室主要成员',
      '工作室地址单位联系人',
    ]);
    expect(list.columns[0]?.value).toBe('rank');
    expect(list.notes).toHaveLength(3);
  });
});

describe('wuhan-2026', () => {
  it('loads as a demo variant of 2024', () => {
    const c = shippedCampaign('wuhan-2026');
    expect(c.source.extends).toBe('wuhan-2024');
    expect(c.year).toBe(2026);
    expect(c.schedule).toMatchObject({ opensAt: '2026-11-01', deadline: '2026-12-31' });
    expect(c.issuer.issuedOn).toBeUndefined();
    expect(c.exports.summaryList?.columns).toHaveLength(12);
  });
});
