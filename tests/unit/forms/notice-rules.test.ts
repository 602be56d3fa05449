// Rules the notices state that an applicant can break while typing: the prescribed form of a
// studio's name (拱墅, 鹿城), the leader not counted towards the team (除领办人/领衔人外), and an
// optional attachment another answer makes required (武汉 荣誉复印件).
import { describe, expect, it } from 'vitest';
import { attachmentFlashes } from '../../../src/applications/views.js';
import { type Answers, checkSubmission, completeness, crossFieldProblems, evaluateEligibility, visibleAttachmentSlots } from '../../../src/forms/engine.js';
import { followsStudioNameForm } from '../../../src/rules/index.js';
import { shippedCampaign } from '../../helpers/campaigns.js';
import { validApplication } from '../../helpers/fixtures.js';

const ctx = { today: '2026-12-05', asOf: '2026-12-05' };
const lucheng = shippedCampaign('lucheng-2024');
const gongshu = shippedCampaign('gongshu-2020');
const weihai = shippedCampaign('weihai-2024');
const wuhan = shippedCampaign('wuhan-2024');

describe('followsStudioNameForm', () => {
  const pattern = '{领办人名字}{职业工种名称}技能大师工作室';
  const values = { 领办人名字: '张三', 职业工种名称: '数控车工' };
  const opts = { prefix: '温州市鹿城区', exact: ['领办人名字'] };
  it.each([
    ['温州市鹿城区张三数控车工技能大师工作室', true, ''],
    ['温州市鹿城区 张三 数控车床技能大师工作室', true, ''], // another correct name of the trade, spaces ignored
    ['张三数控车工技能大师工作室', false, '应以“温州市鹿城区”开头'],
    ['温州市鹿城区张三数控车工工作室', false, '应以“技能大师工作室”结尾'],
    ['温州市鹿城区李四数控车工技能大师工作室', false, '应依次写明领办人名字“张三”、职业工种名称'],
    ['温州市鹿城区数控车工张三技能大师工作室', false, '应依次写明领办人名字“张三”、职业工种名称'],
    ['温州市鹿城区张三技能大师工作室', false, '应依次写明领办人名字“张三”、职业工种名称'], // no trade at all
  ])('%s → %s', (typed, ok, problem) => {
    const r = followsStudioNameForm(typed, pattern, values, opts);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.problem).toBe(problem);
  });

  it('without the leader’s name answered yet, only the shape is checked', () => {
    expect(followsStudioNameForm('温州市鹿城区王五电工技能大师工作室', pattern, {}, opts).ok).toBe(true);
  });
});

describe('the prescribed studio name is checked against the answers, in the notice’s words', () => {
  it.each([
    [
      lucheng,
      { leaderName: '张三', leaderOccupation: '数控车工', studioName: '张三数控车工技能大师工作室' },
      '「申报工作室名称」应以“温州市鹿城区”开头：格式为“温州市鹿城区+领办人名字+职业工种名称+技能大师工作室”，如“温州市鹿城区张三数控车工技能大师工作室”',
    ],
    [
      gongshu,
      { leaderName: '李四', leaderOccupation: '钳工', studioName: '拱墅区钳工技能大师工作室' },
      '「工作室名称」应依次写明领衔人名字“李四”、职业（工种）名称：格式为“领衔人名字+职业（工种）名称+技能大师工作室”，如“李四钳工技能大师工作室”',
    ],
  ])('%#', (c, answers, message) => {
    expect(crossFieldProblems(c, answers, ctx)).toEqual([{ fields: ['studioName'], message }]);
  });

  it('a name that follows the form has no problem; Weihai, whose notice prescribes none, accepts any name', () => {
    expect(
      crossFieldProblems(lucheng, { leaderName: '张三', leaderOccupation: '数控车工', studioName: '温州市鹿城区张三数控车工技能大师工作室' }, ctx),
    ).toEqual([]);
    expect(crossFieldProblems(weihai, { leaderName: '张三', leaderOccupation: '数控车工', studioName: '威海精工技能大师工作室' }, ctx)).toEqual([]);
  });
});

describe('除领办人外: the leader listed among the members does not count towards the minimum', () => {
  const team = (names: string[], column = 'name') => names.map((n) => ({ [column]: n }));
  it.each([
    [lucheng, 'name', ['张三', '甲', '乙'], 'fail', '现在2人（张三本人列在成员中，不计入），需不少于3人'],
    [lucheng, 'name', ['张三', '甲', '乙', '丙'], 'pass', undefined],
    [lucheng, 'name', ['甲', '乙'], 'fail', '现在2人，需不少于3人'],
    [gongshu, 'memberName', ['张三', '甲', '乙'], 'fail', '现在2人（张三本人列在成员中，不计入），需不少于3人'],
    [weihai, 'name', ['张三', '甲', '乙'], 'fail', '现在2人（张三本人列在成员中，不计入），需不少于3人'],
  ])('%#', (c, column, names, status, reason) => {
    const r = evaluateEligibility(c, { answers: { leaderName: '张三', members: team(names, column) }, attachments: {}, declarations: {} }, ctx).find(
      (x) => x.ruleId === 'teamOfThree',
    )!;
    expect(r.status).toBe(status);
    expect(r.reason).toBe(reason);
  });

  it('the leader in the team list is a problem named with the group’s column (shown next to 姓名 on the row form)', () => {
    const problems = crossFieldProblems(lucheng, { leaderName: '张三', members: team(['张三']) }, ctx);
    expect(problems).toEqual([{ fields: ['leaderName', 'members'], column: 'name', message: '领办人不需要再列入工作室成员' }]);
  });
});

describe('an optional attachment becomes required by an answer, and says so when the answer is given', () => {
  const slot = (answers: Answers) => visibleAttachmentSlots(wuhan, answers).find((s) => s.id === 'honourCopies')!;
  it.each([
    [{}, false],
    [{ leaderHonours: [] }, false],
    [{ leaderHonours: ['武汉工匠'] }, true],
    [{ provincialAwards: [{ projectName: '某项目' }] }, true],
    [{ otherAwards: [{ projectName: '某项目' }] }, true],
  ])('%j → required %s', (answers, required) => {
    expect(slot(answers as Answers).required).toBe(required);
    const missing = completeness(wuhan, { answers: answers as Answers, attachments: {}, declarations: {} }).missingAttachments.map((m) => m.slotId);
    expect(missing.includes('honourCopies')).toBe(required);
  });

  it('choosing a title tells at once which attachment it requires, with the notice’s reason', () => {
    expect(attachmentFlashes(wuhan, {}, { leaderHonours: ['武汉工匠'] }, {})).toEqual([
      {
        kind: 'warning',
        text: '根据您在「获得称号」的回答，附件「所获荣誉或奖项的复印件或旁证材料」需要上传（所获荣誉或奖项须有复印件或旁证材料，无佐证材料的奖项不得填入），请在“附件材料”中上传。',
      },
    ]);
    // Already required, or already uploaded: nothing more to say.
    expect(attachmentFlashes(wuhan, { leaderHonours: ['武汉工匠'] }, { leaderHonours: ['武汉工匠', '全国技术能手'] }, {})).toEqual([]);
    expect(attachmentFlashes(wuhan, {}, { leaderHonours: ['武汉工匠'] }, { honourCopies: ['u1'] })).toEqual([]);
  });
});

describe('“具备以下条件之一”: a leader who meets none of the alternatives cannot submit, even with the optional answers left empty', () => {
  // Each alternative reads an optional answer (no 等级, no 称号): left empty, the verdict stays
  // unknown while filling in, and is a refusal at submission.
  const submission = (c: typeof lucheng, override: Answers) => {
    const fx = validApplication(c);
    // The fixture holds what a person types; yes/no answers are stored as booleans.
    const stored = Object.fromEntries(Object.entries(fx.answers).map(([k, v]) => [k, v === '是' ? true : v === '否' ? false : v])) as Answers;
    const answers: Answers = { ...stored, ...override };
    for (const [g, rows] of Object.entries(fx.rows)) answers[g] = rows as Answers[string];
    const attachments = Object.fromEntries(fx.files.map((f) => [f.slot, [{ fileKey: `file_${f.slot}`, name: f.name, size: 1000 }]]));
    const declarations = Object.fromEntries(c.form.declarations.map((d) => [d.id, true]));
    return checkSubmission(c, { answers, attachments, declarations }, ctx);
  };
  it.each([
    [
      lucheng,
      { leaderSkillLevel: '', leaderHonours: [], hasUniqueSkill: false },
      '不符合申报条件：有大师：领办人为技师、高级技师，或获规定称号，或在传承传统工艺上具有绝技绝活（尚未满足其中任何一项：需要先填写「职业资格等级」；需要先填写「获得称号」；「在积极挖掘和传承传统工艺上具有绝技绝活」为“否”）',
    ],
    [
      wuhan,
      { leaderHonours: [], hasUniqueSkill: false, hasInnovation: false },
      '不符合申报条件：领办人获得规定称号，或有绝技绝活并传承传统工艺，或取得有影响的技术技能革新成果（具备其一）（尚未满足其中任何一项：需要先填写「获得称号」；「具有一定的绝技绝活，掌握传统技能、民间绝技，并在积极挖掘和传承传统工艺上作出较大贡献，在省内具有较高的声誉」为“否”；「积极开展技术技能革新，在行业内取得有一定影响的发明创造或革新成果，并产生较大的经济效益」为“否”）',
    ],
  ])('%#', (c, override, blocker) => {
    const r = submission(c, override as Answers);
    expect(r.canSubmit).toBe(false);
    expect(r.blockers).toContain(blocker);
  });

  it('the same application with one alternative met can be submitted', () => {
    expect(submission(lucheng, { leaderSkillLevel: '', leaderHonours: [], hasUniqueSkill: true, uniqueSkillDescription: '传承瓯绣技艺三十年' })).toMatchObject({
      canSubmit: true,
      blockers: [],
    });
  });
});

describe('the rest of the notices, sentence by sentence', () => {
  const zhenjiang = shippedCampaign('zhenjiang-2023');
  const required = (c: typeof lucheng, slotId: string, answers: Answers) => visibleAttachmentSlots(c, answers).find((s) => s.id === slotId)?.required;

  it.each([
    // 拱墅 3、相关证明材料: 其他技术能力证书复印件、区级及以上获奖证书
    [gongshu, 'otherCertificates', {}, false],
    [gongshu, 'otherCertificates', { leaderOtherSkills: '焊工（高级技师）' }, true],
    [gongshu, 'honoursAndMedia', { leaderAwards: '2019年杭州市技术能手' }, true],
    // 鹿城 （五）其他相关材料的复印件，包括区级以上获奖证书
    [lucheng, 'otherMaterials', {}, false],
    [lucheng, 'otherMaterials', { leaderHonours: ['区技术能手'] }, true],
    [lucheng, 'otherMaterials', { leaderAwards: '2022年鹿城区技能比武一等奖' }, true],
    // 镇江 四（三）要提供相关证明材料，包括技术认定及技术创新证明材料
    [zhenjiang, 'technicalProof', { conditionAreas: ['授艺带徒方面'] }, false],
    [zhenjiang, 'technicalProof', { conditionAreas: ['授艺带徒方面', '技术攻关方面'] }, true],
  ])('%#: %s with %j → required %s', (c, slot, answers, want) => {
    expect(required(c, slot, answers as Answers)).toBe(want);
  });

  it('威海 2. 成员应是高级技能人才或专业技术人才: a member’s level is 高级工 or above, or 专业技术人才', () => {
    const members = weihai.form.sections.flatMap((s) => s.fields).find((f) => f.id === 'members');
    const level = members?.type === 'group' ? members.fields.find((f) => f.id === 'skillLevel') : undefined;
    expect(level?.type === 'choice' ? level.options : undefined).toEqual(['高级工', '技师', '高级技师', '特级技师', '首席技师', '专业技术人才']);
  });

  it.each([
    ['canTakeProjects', 'hasProjects'],
    ['talentSystems', 'hasTalentSystems'],
    ['fixedVenue', 'hasFixedVenue'],
    ['annualFunding', 'hasAnnualFunding'],
  ])('威海 3./4.: %s is a condition answered on the form and failed by 否', (ruleId, field) => {
    const r = evaluateEligibility(weihai, { answers: { [field]: false }, attachments: {}, declarations: {} }, ctx).find((x) => x.ruleId === ruleId)!;
    expect(r).toMatchObject({ status: 'fail', severity: 'block' });
  });

  it('威海: 佐证材料报PDF格式扫描件', () => {
    const pdfOnly = weihai.form.attachments
      .filter((s) => ['skillCertificates', 'honourCertificates', 'achievementCertificates', 'equipment'].includes(s.id))
      .map((s) => s.accept);
    expect(pdfOnly).toEqual([['pdf'], ['pdf'], ['pdf'], ['pdf']]);
  });

  it('镇江 二（一）: a 领衔人变更认定 whose reason is neither 退休 nor 调离 is out of scope', () => {
    const base = { applicationType: '领衔人变更认定' };
    const rule = (changeReason: string) =>
      evaluateEligibility(zhenjiang, { answers: { ...base, changeReason }, attachments: {}, declarations: {} }, ctx).find(
        (x) => x.ruleId === 'changeReasonInScope',
      )!;
    expect(rule('其它').status).toBe('fail');
    expect(rule('调离').status).toBe('pass');
  });
});
