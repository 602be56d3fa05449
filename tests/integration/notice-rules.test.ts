// What an applicant sees when they break a rule the notice states, at the place they break it:
// the leader typed into the team list (鹿城: 除领办人外), a studio name not in the prescribed form
// (鹿城: 格式为“温州市鹿城区+领办人名字+职业工种名称+技能大师工作室”), and an optional attachment
// that a title makes required (武汉: 所获荣誉或奖项的复印件或旁证材料).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, errorsOf, inputNames, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, isGroupButton, pick, submitStep } from '../helpers/journey-driver.js';

const lucheng = shippedCampaign('lucheng-2026');
const wuhan = shippedCampaign('wuhan-2026');

describe('rules of the notices, told where they are typed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2026-12-05T10:00:00+08:00') });
  });
  afterAll(async () => h?.close());

  async function members(openId: string): Promise<unknown> {
    const row = await h.db.client.application.findFirstOrThrow({ where: { applicantId: openId } });
    return (JSON.parse(row.answers) as Record<string, unknown>).members;
  }

  it('鹿城: the leader added as a team member is refused on the row form, under 姓名, and nothing is saved', async () => {
    const a = new Applicant(h, 'ou_rule_leader_row');
    const fx = validApplication(lucheng);
    await begin(a, lucheng);
    await advanceTo(a, fx, 'team');
    await a.click(isGroupButton);
    await a.click((b) => b.value.a === 'j.row' && b.value.r === undefined);
    const save = a.button((b) => b.value.a === 'j.rowSave');
    const leaderRow = { ...pick(fx.rows.members![0]!, inputNames(save.form!)), name: String(fx.answers.leaderName) };
    await a.click((b) => b.value.a === 'j.rowSave', leaderRow);
    expect(a.lastToast).toMatchObject({ type: 'error', content: '领办人不需要再列入工作室成员' });
    expect(errorsOf(a.card!)).toEqual([{ field: '姓名', message: '领办人不需要再列入工作室成员' }]);
    expect(textOf(a.card!)).not.toContain('已保存');
    expect(JSON.stringify(a.card)).toContain(String(fx.rows.members![0]!.expertise)); // what was typed stays
    expect(await members('ou_rule_leader_row')).toBeUndefined();
  });

  it('鹿城: a studio name not in the prescribed form is told under 申报工作室名称 in the notice’s words, with the right name', async () => {
    const a = new Applicant(h, 'ou_rule_studio_name');
    const fx = validApplication(lucheng);
    await begin(a, lucheng);
    await advanceTo(a, fx, 'studio');
    const leader = String(fx.answers.leaderName);
    const occupation = String(fx.answers.leaderOccupation);
    expect(await submitStep(a, fx, { studioName: `${leader}${occupation}技能大师工作室` })).toBe(false);
    expect(errorsOf(a.card!)).toEqual([
      {
        field: '申报工作室名称',
        message: `「申报工作室名称」应以“温州市鹿城区”开头：格式为“温州市鹿城区+领办人名字+职业工种名称+技能大师工作室”，如“温州市鹿城区${leader}${occupation}技能大师工作室”`,
      },
    ]);
    expect(a.button((b) => b.value.a === 'j.save' && b.name === 'next').value.s).toBe('studio');
    expect(await submitStep(a, fx, { studioName: `温州市鹿城区${leader}${occupation}技能大师工作室` })).toBe(true);
  });

  it('武汉: choosing a title says at once that 所获荣誉或奖项的复印件或旁证材料 must be uploaded, and the list marks it required', async () => {
    const a = new Applicant(h, 'ou_rule_honours');
    const fx = validApplication(wuhan);
    await begin(a, wuhan);
    await advanceTo(a, fx, 'leader');
    expect(await submitStep(a, fx, { leaderHonours: ['武汉工匠'], hasUniqueSkill: '否', hasInnovation: '否' })).toBe(true);
    expect(textOf(a.card!)).toContain(
      '根据您在「获得称号」的回答，附件「所获荣誉或奖项的复印件或旁证材料」需要上传（所获荣誉或奖项须有复印件或旁证材料，无佐证材料的奖项不得填入），请在“附件材料”中上传。',
    );
    await a.click((b) => b.value.a === 'j.overview' || (b.value.a === 'j.save' && b.name === 'overview'));
    const line = textOf(a.card!)
      .split('\n')
      .find((l) => l.includes('所获荣誉或奖项的复印件或旁证材料'))!;
    expect(line).toContain('*');
    expect(line).not.toContain('（选填）');
  });
});

describe('检查并提交 says each thing once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2026-12-05T10:00:00+08:00') });
  });
  afterAll(async () => h?.close());

  it('what is still to do is listed under 还需完成, not again among the conditions', async () => {
    const weihai = shippedCampaign('weihai-2026');
    const a = new Applicant(h, 'ou_once_review');
    const fx = validApplication(weihai);
    await begin(a, weihai);
    await advanceTo(a, fx);
    await attachAll(a, fx);
    await a.click((b) => b.value.a === 'j.review');
    const text = textOf(a.card!);
    expect(text).toContain('请确认：本单位承诺所填信息和所附材料真实、准确、完整，如有虚假愿承担相应责任');
    expect(text).not.toContain('还需确认：');
    expect(text.split('请确认：佐证材料已经申报单位审核，并盖章注明已审验').length - 1).toBe(1);
    // Conditions met are still shown as met.
    expect(text).toContain('✅ 拥有一支不少于3人组成的技术技能人才团队');
  });
});
