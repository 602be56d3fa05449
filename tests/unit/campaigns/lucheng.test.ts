// Wenzhou Lucheng 2024 (关于实施2024年温州市鹿城区技能大师工作室建设项目的通知): the file carries every
// box of the 申报表.
import { describe, expect, it } from 'vitest';
import { missingLabels } from '../../../src/campaigns/labels.js';
import { shippedCampaign } from '../../helpers/campaigns.js';

// Every label printed on 温州市鹿城区技能大师工作室申报表, in the seed's words.
const APPLICATION_FORM_LABELS = [
  '申报单位基本情况',
  '单位全称',
  '法人代表',
  '办电',
  '手机',
  '联系人',
  '传真电话',
  '电子邮箱',
  '通信地址',
  '邮编',
  '单位\n简介',
  '领办人基本情况',
  '姓名',
  '性别',
  '民族',
  '出生年月',
  '政治面貌',
  '学历',
  '职业（工种）',
  '职业资格\n\n等级',
  '职务（职称）',
  '身份证号码',
  '工作\n简历',
  '技能特长和\n工作业绩',
  '区级以上\n获奖情况',
  '工作室成员情况',
  '年龄',
  '职业\n（工种）',
  '职业资格等级',
  '技能\n\n特长',
  '主要业绩',
  '区人力社保局（区级主管部门、行业协会）审核意见',
];

describe('lucheng-2024', () => {
  const c = shippedCampaign('lucheng-2024');

  it('has every label of the seed application form', () => {
    expect(missingLabels(c, APPLICATION_FORM_LABELS)).toEqual([]);
  });

  it('uses 办电 and 手机 for the legal representative, the contact person and the leader', () => {
    const labels = c.form.sections.flatMap((s) => s.fields).filter((f) => f.label === '手机' || f.label === '办电');
    expect(labels.map((f) => f.id)).toEqual([
      'legalRepOfficePhone',
      'legalRepMobile',
      'contactOfficePhone',
      'contactMobile',
      'leaderOfficePhone',
      'leaderMobile',
    ]);
    expect(labels.filter((f) => f.type === 'mobile').every((f) => f.sensitive)).toBe(true);
  });

  it('models 一（一）有大师: 技师 or an honour or 绝技绝活; 3 years before retirement (warn); team of 3', () => {
    const [master, retirement, team] = c.eligibility;
    expect(master?.type).toBe('anyOf');
    if (master?.type === 'anyOf') {
      expect(master.rules.map((r) => r.type)).toEqual(['skillLevel', 'honours', 'isYes']);
      expect(master.rules[0]).toMatchObject({ minimum: '技师' });
      const honours = master.rules[1];
      if (honours?.type === 'honours')
        expect(honours.anyOf).toEqual(expect.arrayContaining(['中华技能大奖', '钱江技能大奖', '瓯江技能大奖', '市“特支计划”高技能领军人才（温州名匠）']));
    }
    expect(retirement).toMatchObject({ type: 'retirement', mode: 'yearsBefore', years: 3, severity: 'warn' });
    expect(retirement?.source).toContain('原则上应距法定退休年龄3年以上');
    expect(team).toMatchObject({ type: 'teamSize', group: 'members', min: 3 });
    expect(c.form.declarations.map((d) => d.id)).toContain('membersFromUnit');
  });

  it('models （二）有保障（三）有项目（四）有传承 as rules', () => {
    expect(c.eligibility.map((r) => r.id)).toEqual(expect.arrayContaining(['venue', 'funding', 'managementRules', 'hasProject', 'hasLegacyRule']));
  });

  it('models the notice: 8 studios, 温州市鹿城区 naming, no deadline printed, review → experts → notice → publish', () => {
    expect(c.quotas.designations).toBe(8);
    expect(c.studioName).toMatchObject({
      prefix: '温州市鹿城区',
      pattern: '{领办人名字}{职业工种名称}技能大师工作室',
      fields: { 领办人名字: 'leaderName', 职业工种名称: 'leaderOccupation' },
    });
    expect(c.notice).toContain('2万元一次性资助');
    expect(c.schedule.deadline).toBeUndefined();
    expect(c.pipeline.map((s) => s.kind)).toEqual(['review', 'scoring', 'publicity', 'publish']);
    expect(c.pipeline[0]).toMatchObject({ role: 'regionReviewer', scope: 'region', opinionLabel: '区人力社保局（区级主管部门、行业协会）审核意见' });
    expect(c.pipeline[2]?.publicity?.workingDays).toBe(5);
    expect(c.rubrics[0]?.origin).toBe('derived');
  });
});

describe('lucheng-2026', () => {
  it('loads as a demo variant of 2024', () => {
    const c = shippedCampaign('lucheng-2026');
    expect(c.source.extends).toBe('lucheng-2024');
    expect(c.year).toBe(2026);
    expect(c.schedule).toMatchObject({ opensAt: '2026-11-01', deadline: '2026-12-31' });
    expect(c.quotas.designations).toBe(8);
  });
});
