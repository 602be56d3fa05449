// Weihai 2024 (威人社函〔2024〕35号): the file carries every box of 附件1 申报表.
import { describe, expect, it } from 'vitest';
import { missingLabels } from '../../../src/campaigns/labels.js';
import { shippedCampaign } from '../../helpers/campaigns.js';

// Every label printed on 附件1 威海市技能大师工作室申报表, cover page included, in the seed's words.
const APPLICATION_FORM_LABELS = [
  '所属行业',
  '领办人职业技能等级',
  '领办人联系电话',
  '申报单位基本信息',
  '申报单位名称',
  '单位性质',
  '负责人',
  '单位地址',
  '联系人',
  '联系电话',
  '是否技师工作站',
  '电子邮箱',
  '技能人才数量',
  '特级技师',
  '高级技师',
  '技师',
  '高级工',
  '其他技能人才',
  '总量合计',
  '开户银行及账号',
  '近两年单位经营状况',
  '领办人基本情况',
  '领办人姓名',
  '性别',
  '民族',
  '出生年月',
  '参加工作时间',
  '政治面貌',
  '身份证号码',
  '工作单位及岗位',
  '是否一线工作人员',
  '职业资格证书（职业技能等级证书）工种',
  '取证时间',
  '领办人工作业绩获得奖励或国家专利情况、主要创新发明等情况',
  '拟设立工作室情况',
  '工作室命名',
  '工作室设立场所',
  '工作室面积',
  '工作室团队成员状况',
  '姓名',
  '工种',
  '职业技能等级',
  '专长、研究成果应用及获奖情况',
  '拟设立工作室具备的申报条件或优势',
  '拟设立工作室当年工作计划及未来三年规划',
  '申报单位意见',
  '区市人社部门意见',
];

describe('weihai-2024', () => {
  const c = shippedCampaign('weihai-2024');

  it('has every label of the seed application form', () => {
    expect(missingLabels(c, APPLICATION_FORM_LABELS)).toEqual([]);
  });

  it('models the notice: 5 designations incl. at most 1 rural studio, district review, 5-working-day public notice', () => {
    expect(c.quotas.designations).toBe(5);
    expect(c.quotas.categories).toEqual([{ label: '乡村特色技能大师工作室', max: 1, when: { field: 'isRural', equals: true } }]);
    expect(c.pipeline.map((s) => s.kind)).toEqual(['review', 'scoring', 'publicity', 'publish']);
    expect(c.pipeline[0]).toMatchObject({ role: 'regionReviewer', scope: 'region' });
    expect(c.pipeline[2]?.publicity?.workingDays).toBe(5);
    expect(c.schedule.deadline).toBe('2024-07-31');
    // 条件1 领办人, 法定退休年龄内, 生产一线; 条件2 团队; 条件3 项目; 条件4 制度、场所、经费; 材料; 承诺
    expect(c.eligibility.map((r) => r.type)).toEqual([
      'anyOf',
      'retirement',
      'isYes',
      'teamSize',
      'isYes',
      'isYes',
      'isYes',
      'isYes',
      'attachments',
      'declarations',
    ]);
  });
});
