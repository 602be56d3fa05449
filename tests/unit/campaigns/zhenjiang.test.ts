// Zhenjiang 2023 (镇人社函〔2023〕69号): 申报认定 and 领衔人变更认定 share 附件1 申报表; 评估考核
// uses 附件3 评估考核表. Both files carry every box of their form.
import { describe, expect, it } from 'vitest';
import { missingLabels } from '../../../src/campaigns/labels.js';
import type { Campaign, Field } from '../../../src/campaigns/schema.js';
import { shippedCampaign } from '../../helpers/campaigns.js';

// Every label printed on 附件1 镇江市技能大师工作室申报表, cover page and opinion boxes included, in
// the seed's words. Bracketed notes in a box (（可另附页详细阐述） etc.) are hints, checked below.
const APPLICATION_FORM_LABELS = [
  '镇江市技能大师工作室申报表',
  '申报单位',
  '工作室名称',
  '工作室工作领域',
  '领衔人（创办人）',
  '性别',
  '民族',
  '政治面貌',
  '工作单位',
  '联系电话',
  '工作室地点',
  '办公面积',
  '学历（学位）',
  '参加工作时间',
  '从事职业（工种）',
  '行政职务',
  '职业资格',
  '身份证号',
  '通讯地址',
  '邮编',
  '领衔人变更',
  '原领衔人或原单位名称',
  '变更原因',
  '技能大师工作室其他成员',
  '姓名',
  '年龄',
  '突出业绩',
  '领办或创办人主要工作业绩',
  '领办或创办人主要获奖情况',
  '获奖项目',
  '奖励名称',
  '授予单位',
  '等级',
  '排名',
  '年度',
  '技能大师所在单位简介',
  '所在单位对技能大师工作室支持措施',
  '技能大师工作室今后工作开展计划',
  '申报单位意见',
  '辖市区人力资源和社会保障局（主管部门）审核推荐意见',
  '市评审专家意见',
  '市人力资源和社会保障局审批意见',
];

// Every label printed on 附件3 镇江市技能大师工作室评估考核表, cover included.
const EVALUATION_FORM_LABELS = [
  '镇江市技能大师工作室评估考核表',
  '工作室名称',
  '职业(工种)',
  '填报时间',
  '申报工作室名称',
  '负责人',
  '联系电话',
  '联系人',
  'E-mail',
  '传真',
  '通信地址',
  '邮政编码',
  '开户银行及资金账号',
  '开户行',
  '帐号',
  '技能大师姓名',
  '性别',
  '身份证号',
  '参加工作时间',
  '政治面貌',
  '民族',
  '工作单位及职务',
  '从事职业（工种）',
  '职业技能等级',
  '获得最高荣誉',
  '工作室地点',
  '工作室面积',
  '工作室主要设施',
  '工作室人员',
  '近3年来技能大师工作室的基础保障、技术成果、技术交流、带徒传艺、日常管理等',
  '技能大师工作室年度工作计划',
  '其他情况说明',
  '单位意见',
  '辖市、区人力资源社会保障部门 （主管部门）  初审意见',
  '专家组评审意见',
];

const HONOURS = [
  '中华技能大奖',
  '全国技术能手',
  '国务院特殊津贴',
  '江苏省有突出贡献的专家',
  '江苏工匠',
  '江苏省技术能手',
  '江苏省三带乡土人才',
  '镇江工匠',
  '镇江市有突出贡献的专家',
  '镇江市技术能手',
  '镇江市优秀乡土人才',
];

const fieldsOf = (c: Campaign): Field[] => c.form.sections.flatMap((s) => s.fields);
const fieldById = (c: Campaign, id: string): Field => {
  const f = fieldsOf(c).find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};
const sectionOf = (c: Campaign, fieldId: string) => c.form.sections.find((s) => s.fields.some((f) => f.id === fieldId));
const CHANGE = { field: 'applicationType', equals: '领衔人变更认定' };

describe('zhenjiang-2023', () => {
  const c = shippedCampaign('zhenjiang-2023');

  it('has every label of the seed application form', () => {
    expect(missingLabels(c, APPLICATION_FORM_LABELS)).toEqual([]);
  });

  it("keeps the boxes' printed notes as hints", () => {
    expect(fieldById(c, 'members').hint).toContain('若人员较多可另附表');
    expect(fieldById(c, 'leaderAchievements').hint).toBe('可另附页详细阐述');
    expect(fieldById(c, 'unitProfile').hint).toBe('包括生产、科研以及高技能人才队伍情况');
  });

  it('starts with 申报类别 and shows the 领衔人变更 row only for a change application', () => {
    expect(c.form.sections[0]?.fields[0]).toMatchObject({
      id: 'applicationType',
      label: '申报类别',
      type: 'choice',
      options: ['新申报认定', '领衔人变更认定'],
    });
    for (const id of ['formerLeaderOrUnit', 'changeReason', 'formerStudioPassed', 'changeCase']) {
      expect(sectionOf(c, id)?.visibleWhen).toEqual(CHANGE);
    }
    expect(fieldById(c, 'changeReason')).toMatchObject({ type: 'choice', options: ['退休', '调离', '其它'] });
    expect(c.form.attachments.find((a) => a.id === 'formerLeaderProof')?.visibleWhen).toEqual(CHANGE);
    // Rules of 二、领衔人变更认定 apply only to a change application.
    for (const id of ['formerStudioPassed', 'changeCaseInScope', 'changeProof']) {
      expect(c.eligibility.find((r) => r.id === id)?.when).toEqual(CHANGE);
    }
  });

  it('requires one of the 11 honours and one of the five conditions', () => {
    const honours = c.eligibility.find((r) => r.id === 'honours');
    expect(honours).toMatchObject({ type: 'honours', field: 'leaderHonours', severity: 'block', anyOf: HONOURS });
    expect(fieldById(c, 'leaderHonours')).toMatchObject({ type: 'multiChoice', options: HONOURS });
    expect(fieldById(c, 'conditionAreas')).toMatchObject({
      type: 'multiChoice',
      minSelected: 1,
      options: ['创新创优方面', '技术攻关方面', '科技成果转化方面', '授艺带徒方面', '传统工艺传承方面'],
    });
    expect(fieldById(c, 'conditionDescription').type).toBe('textarea');
  });

  it('has no age rule: the notice sets none and the form has no 出生年月', () => {
    expect(c.eligibility.some((r) => r.type === 'retirement')).toBe(false);
    expect(fieldsOf(c).some((f) => f.label === '出生年月')).toBe(false);
  });

  it('models the procedure: 1-2 recommendations per district by 29 May, at most 5 designations', () => {
    expect(c.pipeline.map((s) => s.kind)).toEqual(['recommend', 'scoring', 'review', 'publish']);
    expect(c.pipeline[0]).toMatchObject({ role: 'regionReviewer', scope: 'region', recommend: { perRegionMin: 1, perRegionMax: 2 } });
    expect(c.schedule.stageDeadlines).toEqual({ district: '2023-05-29' });
    expect(c.quotas.designations).toBe(5);
    expect(c.regions.items).toHaveLength(8);
    expect(c.regions.items).toContain('驻镇省属、市直单位');
    const rubric = c.rubrics.find((r) => r.id === c.pipeline[1]?.scoring?.rubric);
    expect(rubric?.origin).toBe('derived');
    expect(c.contacts[0]).toMatchObject({ name: '王丹', phone: '0511-85340338' });
  });

  it('marks personal data sensitive and checks the ID number and team', () => {
    expect(fieldById(c, 'leaderIdNumber')).toMatchObject({ type: 'idNumber', sensitive: true });
    expect(fieldById(c, 'leaderPhone').sensitive).toBe(true);
    expect(c.checks.map((k) => k.type)).toEqual(['idMatches', 'notInGroup']);
  });
});

describe('zhenjiang-2023-evaluation', () => {
  const c = shippedCampaign('zhenjiang-2023-evaluation');

  it('has every label of the seed evaluation form', () => {
    expect(missingLabels(c, EVALUATION_FORM_LABELS)).toEqual([]);
  });

  it('splits the 近3年来 box into its five topics', () => {
    const s = c.form.sections.find((x) => x.id === 'performance');
    expect(s?.fields.map((f) => [f.label, f.type])).toEqual([
      ['基础保障', 'textarea'],
      ['技术成果', 'textarea'],
      ['技术交流', 'textarea'],
      ['带徒传艺', 'textarea'],
      ['日常管理', 'textarea'],
    ]);
  });

  it("grades directly 优秀/合格/不合格 with the notice's consequences", () => {
    expect(c.evaluation?.grading).toBe('direct');
    expect(c.evaluation?.grades.map((g) => g.grade)).toEqual(['优秀', '合格', '不合格']);
    expect(c.evaluation?.grades.every((g) => g.min === undefined)).toBe(true);
    expect(c.evaluation?.studios.designatedFrom).toBe(2012);
    expect(c.evaluation?.rules).toContain('对当年不参加评估考核的，直接定为不合格');
    expect(c.evaluation?.rules).toContain('对连续三年评估考核不合格的，撤销技能大师工作室称号');
    expect(c.schedule.deadline).toBe('2023-05-29');
    expect(c.pipeline.map((s) => [s.kind, s.role])).toEqual([
      ['review', 'regionReviewer'],
      ['review', 'expert'],
      ['publish', undefined],
    ]);
    expect(fieldById(c, 'bankAccount').sensitive).toBe(true);
  });
});

describe('zhenjiang 2026 demo variants', () => {
  it('inherit the 2023 application form with new dates and no document number', () => {
    const base = shippedCampaign('zhenjiang-2023');
    const c = shippedCampaign('zhenjiang-2026');
    expect(c.source.extends).toBe('zhenjiang-2023');
    expect(c.year).toBe(2026);
    expect(c.issuer.docNumber).toBeUndefined();
    expect(c.issuer.issuedOn).toBeUndefined();
    expect(c.schedule).toEqual({
      opensAt: '2026-11-01',
      deadline: '2026-12-31',
      stageDeadlines: { district: '2026-12-31' },
      reminders: { daysBefore: [7, 3, 1], quietHours: { from: '21:00', to: '08:00' } },
    });
    expect(c.form).toEqual(base.form);
    expect(c.eligibility).toEqual(base.eligibility);
    expect(c.pipeline).toEqual(base.pipeline);
  });

  it('inherit the 2023 evaluation form', () => {
    const base = shippedCampaign('zhenjiang-2023-evaluation');
    const c = shippedCampaign('zhenjiang-2026-evaluation');
    expect(c.source.extends).toBe('zhenjiang-2023-evaluation');
    expect(c.issuer.docNumber).toBeUndefined();
    expect(c.schedule.deadline).toBe('2026-12-31');
    expect(c.form).toEqual(base.form);
    expect(c.evaluation?.grading).toBe('direct');
    expect(c.evaluation?.period).toEqual({ from: '2023-01-01', to: '2025-12-31' });
    expect(missingLabels(c, EVALUATION_FORM_LABELS)).toEqual([]);
  });
});
