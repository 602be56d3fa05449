// The form import's recogniser (issue 21) on small documents built cell by cell: every way people
// fill a template that it tolerates, and what it refuses to guess.
import { describe, expect, it } from 'vitest';
import type { ScalarField } from '../../src/campaigns/schema.js';
import { normaliseLabel, rawInput, recogniseForm } from '../../src/forms/form-import.js';
import type { WordCell, WordDocument, WordParagraph, WordTable } from '../../src/forms/word-document.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { filledOfficialForm } from '../helpers/filled-forms.js';

const weihai = shippedCampaign('weihai-2024');
const gongshu = shippedCampaign('gongshu-2020');
const lucheng = shippedCampaign('lucheng-2024');
const zhenjiang = shippedCampaign('zhenjiang-2023');
const wuhan = shippedCampaign('wuhan-2024');

type CellIn = string | WordCell;
const cell = (text: string, span = 1, vMerge?: WordCell['vMerge']): WordCell => ({ text, span, ...(vMerge ? { vMerge } : {}) });
const restart = (text: string, span = 1) => cell(text, span, 'restart');
const cont = (span = 1) => cell('', span, 'continue');
const table = (...rows: CellIn[][]): WordTable => ({ kind: 'table', rows: rows.map((r) => r.map((c) => (typeof c === 'string' ? cell(c) : c))) });
const para = (text: string): WordParagraph => ({ kind: 'paragraph', text });
const doc = (...blocks: (WordTable | WordParagraph)[]): WordDocument => ({ blocks });
/** One label-value row, the way most forms print it. */
const row = (...cells: CellIn[][]) => doc(table(...cells));

describe('labels as people retype them', () => {
  it.each([
    ['the label itself', '领办人姓名'],
    ['spaces inside', '领 办 人 姓 名'],
    ['full-width spaces inside', '领　办　人　姓　名'],
    ['a line break inside', '领办人\n姓名'],
    ['a full-width colon after', '领办人姓名：'],
    ['a colon and spaces after', '领办人姓名 : '],
    ['a star before', '*领办人姓名'],
    ['（必填） after', '领办人姓名（必填）'],
    ['(必填) in half-width brackets', '领办人姓名(必填)'],
    ['numbered', '1.领办人姓名'],
    ['shorter: 姓名', '姓名'],
    ['longer: 领办人姓名（签字）', '领办人姓名（签字）'],
  ])('%s', (_, labelText) => {
    expect(recogniseForm(weihai, row([labelText, '张三'])).values.leaderName).toBe('张三');
  });

  it.each([
    ['a parenthesised part left out', '职业资格证书工种', 'leaderOccupation', '数控车工'],
    ['half-width brackets', '职业资格证书(职业技能等级证书)工种', 'leaderOccupation', '数控车工'],
    ['a shorter wording (领办人职业技能等级 → 职业技能等级)', '职业技能等级', 'leaderSkillLevel', '高级技师'],
    ['a longer wording with a unit', '工作室面积（平方米）', 'studioArea', '120'],
    ['a cover line’s note', '申报单位名称（盖章）', 'unitName', '威海市某某机械有限公司'],
  ])('%s', (_, labelText, id, value) => {
    expect(recogniseForm(weihai, row([labelText, value])).values[id]).toBe(value);
  });

  it('a label that is a longer word for another field does not take a shorter one’s value (高级技师 is not 技师)', () => {
    const r = recogniseForm(weihai, row(['技师', '2人', '高级技师', '3人']));
    expect(r.values).toMatchObject({ countTechnician: '2', countSeniorTechnician: '3' });
  });

  it('normalises labels the same way whatever the typing', () => {
    expect(normaliseLabel('  出 生\n年　月：')).toBe('出生年月');
    expect(normaliseLabel('*联系电话（必填）')).toBe('联系电话');
    expect(normaliseLabel('Ｅ－ｍａｉｌ')).toBe('e-mail');
  });
});

describe('where the value is', () => {
  it('right of the label, two pairs to a row', () => {
    const r = recogniseForm(weihai, row(['联系人', '李四', '联系电话', '13812345678']));
    expect(r.values).toMatchObject({ contactName: '李四', contactPhone: '13812345678' });
  });

  it('below the label: a label row, then a value row', () => {
    const r = recogniseForm(weihai, row(['联系人', '联系电话'], ['李四', '13812345678']));
    expect(r.values).toMatchObject({ contactName: '李四', contactPhone: '13812345678' });
  });

  it('below a label across the table, over several rows, the paragraphs kept', () => {
    const r = recogniseForm(
      weihai,
      row([cell('近两年单位经营状况', 4)], [cell('营业收入稳步增长。', 4)], [cell('利润率保持在10%以上。', 4)], ['负责人', '王五']),
    );
    expect(r.values.businessStatus).toBe('营业收入稳步增长。\n利润率保持在10%以上。');
    expect(r.values.unitHead).toBe('王五');
  });

  it('in the label’s own cell, after a colon or a line', () => {
    const r = recogniseForm(gongshu, row(['工作室下一步工作计划：\n一是带徒。\n二是攻关。'], ['性别：男']));
    expect(r.values).toMatchObject({ workPlan: '一是带徒。\n二是攻关。', leaderGender: '男' });
  });

  it('in a cell spanning several columns', () => {
    expect(recogniseForm(weihai, row(['开户银行及账号', cell('中国银行威海分行 123456789', 3)])).values.bankAccount).toBe('中国银行威海分行 123456789');
  });

  it('beside a label merged down two rows: both rows’ text, as paragraphs', () => {
    const r = recogniseForm(weihai, row([restart('拟设立工作室具备的申报条件或优势'), '场地200平方米。'], [cont(), '设备齐全。']));
    expect(r.values.advantages).toBe('场地200平方米。\n设备齐全。');
  });

  it('in a value cell merged down: the rows below share the merge’s first cell', () => {
    const r = recogniseForm(weihai, row(['参加工作时间', restart('2000.07')], ['取证时间', cont()]));
    expect(r.values).toMatchObject({ leaderWorkStart: '2000-07', leaderCertDate: '2000-07' });
  });

  it('a title merged down beside a label row and its value row (技能人才数量)', () => {
    const r = recogniseForm(
      weihai,
      row([restart('技能人才数量'), '特级技师', '高级技师', '技师', '高级工', '其他技能\n人才', '总量合计'], [cont(), '1人', '2人', '3', '4', '５', '15人']),
    );
    expect(r.values).toMatchObject({
      countPrincipalTechnician: '1',
      countSeniorTechnician: '2',
      countTechnician: '3',
      countSeniorWorker: '4',
      countOtherSkilled: '5',
      countTotal: '15',
    });
  });

  it('an empty value cell leaves the field out and does not borrow the next row', () => {
    const r = recogniseForm(weihai, row(['联系人', ''], ['负责人', '王五']));
    expect(r.values).not.toHaveProperty('contactName');
    expect(r.values.unitHead).toBe('王五');
  });
});

describe('check marks', () => {
  it.each([
    ['☑男 □女', '男'],
    ['□男 ☑女', '女'],
    ['男☑ 女□', '男'],
    ['男□ 女☑', '女'],
    ['■男 □女', '男'],
    ['☒男 ☐女', '男'],
    ['✔男 □女', '男'],
    ['√男 女', '男'],
  ])('性别 %s', (text, value) => {
    expect(recogniseForm(weihai, row(['性别', text])).values.leaderGender).toBe(value);
  });

  it.each([
    ['是√ 否', '是'],
    ['是 否√', '否'],
    ['☑是 □否', '是'],
    ['□是 ✓否', '否'],
    ['是', '是'],
    ['否', '否'],
  ])('是否技师工作站 %s', (text, value) => {
    expect(recogniseForm(weihai, row(['是否技师工作站', text])).values.isTechnicianStation).toBe(value);
  });

  it.each([
    ['退休 ☑ 调离□  其它□', '退休'],
    ['退休 □ 调离☑  其它□', '调离'],
  ])('boxes after their options: 变更原因 %s', (text, value) => {
    expect(recogniseForm(zhenjiang, row(['变更原因', text])).values.changeReason).toBe(value);
  });

  it('nothing ticked, or two ticked for a single choice: no answer', () => {
    expect(recogniseForm(weihai, row(['性别', '□男 □女'])).values).not.toHaveProperty('leaderGender');
    expect(recogniseForm(weihai, row(['性别', '☑男 ☑女'])).values).not.toHaveProperty('leaderGender');
    expect(recogniseForm(zhenjiang, row(['变更原因', '退休 □ 调离□  其它□'])).values).not.toHaveProperty('changeReason');
  });

  it('several ticked for a multiple choice, or the options written out', () => {
    expect(recogniseForm(lucheng, row(['所属重点领域', '☑先进装备制造业 □战略性新兴产业 ☑数字领域'])).values.focusArea).toEqual(['先进装备制造业', '数字领域']);
    expect(recogniseForm(lucheng, row(['所属重点领域', '先进装备制造业、数字领域'])).values.focusArea).toEqual(['先进装备制造业', '数字领域']);
    // An option with 、 inside is still one option.
    expect(recogniseForm(wuhan, row(['所属产业领域', '经济社会发展急需、紧缺行业'])).values.priorityIndustry).toEqual(['经济社会发展急需、紧缺行业']);
  });
});

describe('choices written the way people write them', () => {
  it.each([
    ['民族', '汉', 'leaderEthnicity', '汉族'],
    ['民族', '汉族', 'leaderEthnicity', '汉族'],
    ['职业技能等级', '高级技师（一级）', 'leaderSkillLevel', '高级技师'],
    ['职业技能等级', '一级/高级技师', 'leaderSkillLevel', '高级技师'],
    ['职业技能等级', '二级', 'leaderSkillLevel', '技师'],
    ['单位性质', '民营企业', 'unitNature', '民营企业'],
  ])('%s %s', (labelText, text, id, value) => {
    expect(recogniseForm(weihai, row([labelText, text])).values[id]).toBe(value);
  });

  it('学历 in other words', () => {
    expect(recogniseForm(gongshu, row(['学历', '本科'])).values.leaderEducation).toBe('大学本科');
    expect(recogniseForm(gongshu, row(['学历', '研究生(硕士)'])).values.leaderEducation).toBe('研究生（硕士）');
  });

  it('something that is not an option gives no answer', () => {
    expect(recogniseForm(weihai, row(['民族', '火星族'])).values).not.toHaveProperty('leaderEthnicity');
    expect(recogniseForm(weihai, row(['职业技能等级', '高级工程师'])).values).not.toHaveProperty('leaderSkillLevel');
    expect(recogniseForm(weihai, row(['政治面貌', '非中共党员'])).values).not.toHaveProperty('leaderPolitical');
    expect(recogniseForm(weihai, row(['政治面貌', '党员'])).values).not.toHaveProperty('leaderPolitical');
    // A member's level among 高级工 … 专业技术人才: 高级工程师 is none of them.
    const members = recogniseForm(weihai, row(['姓名', '工种', '职业技能等级'], ['成员一', '车工', '高级工程师'], ['成员二', '钳工', '二级/技师']));
    expect(members.groups.members).toEqual([
      { name: '成员一', occupation: '车工' },
      { name: '成员二', occupation: '钳工', skillLevel: '技师' },
    ]);
  });

  it('a choice open to other answers keeps what was written', () => {
    expect(recogniseForm(zhenjiang, row(['职业资格', '工艺美术大师'])).values.leaderQualification).toBe('工艺美术大师');
  });
});

describe('dates', () => {
  it.each(['1975.06', '1975.6', '1975年6月', '1975年06月', '1975-6', '1975/6/3', '1975年6月15日', '197506', '一九七五年六月', '１９７５．０６'])(
    '出生年月 %s',
    (text) => {
      expect(recogniseForm(weihai, row(['出生年月', text])).values.leaderBirth).toBe('1975-06');
    },
  );

  it.each(['2024.1.15', '2024年1月15日', '2024/1/15', '2024-01-15', '20240115', '二〇二四年一月十五日'])('填报时间 %s', (text) => {
    expect(recogniseForm(wuhan, row(['填报时间', text])).values.filledOn).toBe('2024-01-15');
  });

  it('a date without its day is not completed with one', () => {
    expect(recogniseForm(wuhan, row(['填报时间', '2024年1月'])).values).not.toHaveProperty('filledOn');
    expect(recogniseForm(weihai, row(['出生年月', '1975年13月'])).values).not.toHaveProperty('leaderBirth');
  });
});

describe('numbers with units', () => {
  it.each([
    ['120', '120'],
    ['120平方米', '120'],
    ['120㎡', '120'],
    ['１２０', '120'],
    ['约120平方米', '120'],
    ['120.5 平方米', '120.5'],
    ['1,200', '1200'],
  ])('工作室面积 %s', (text, value) => {
    expect(recogniseForm(weihai, row(['工作室面积', text])).values.studioArea).toBe(value);
  });

  it.each([
    ['3人', '3'],
    ['三人', '3'],
    ['十二', '12'],
  ])('技师 %s', (text, value) => {
    expect(recogniseForm(weihai, row(['技师', text])).values.countTechnician).toBe(value);
  });

  it('万元 and 元 are converted to the field’s unit; words are not numbers', () => {
    const base = { id: 'funds', label: '经费', required: true, decimals: 2 };
    expect(rawInput({ ...base, type: 'decimal', unit: '元' } as ScalarField, '50万元')).toBe('500000');
    expect(rawInput({ ...base, type: 'decimal', unit: '万元' } as ScalarField, '50万元')).toBe('50');
    expect(rawInput({ ...base, type: 'decimal', unit: '万元' } as ScalarField, '20000元')).toBe('2');
    expect(rawInput({ ...base, type: 'decimal', unit: '元' } as ScalarField, '若干')).toBeUndefined();
  });
});

describe('repeating groups', () => {
  const header = ['姓名', '工种', '职业技能等级', '专长、研究成果应用及获奖情况'];
  const members = (...rows: CellIn[][]) => recogniseForm(weihai, doc(table([cell('工作室团队成员状况', 4)], header, ...rows))).groups.members;

  it('rows under the header until an empty row; what follows is not read', () => {
    expect(members(['成员一', '车工', '技师', '技改'], ['成员二', '钳工', '高级工', '带徒'], ['', '', '', ''], ['成员九', '铣工', '技师', ''])).toEqual([
      { name: '成员一', occupation: '车工', skillLevel: '技师', expertise: '技改' },
      { name: '成员二', occupation: '钳工', skillLevel: '高级工', expertise: '带徒' },
    ]);
  });

  it('until a row of another shape (the next label of the form)', () => {
    const r = recogniseForm(weihai, doc(table(header, ['成员一', '车工', '技师', '技改'], ['拟设立工作室具备的申报条件或优势', cell('场地充足', 3)])));
    expect(r.groups.members).toHaveLength(1);
    expect(r.values.advantages).toBe('场地充足');
  });

  it('a row of placeholders counts as empty', () => {
    expect(members(['成员一', '车工', '技师', '技改'], ['/', '—', '（无）', ''], ['成员二', '钳工', '技师', ''])).toHaveLength(1);
  });

  it('a cell merged down two rows gives both rows its value', () => {
    expect(members(['成员一', restart('车工'), '技师', '技改'], ['成员二', cont(), '技师', '带徒'])?.map((m) => m.occupation)).toEqual(['车工', '车工']);
  });

  it('header labels spaced or broken, the group’s title merged down beside its rows (镇江)', () => {
    const r = recogniseForm(
      zhenjiang,
      doc(
        table(
          [restart('技能大师工作室其他成员\n（若人员较多可另附表）'), '姓   名', cell('职业资格', 2), '年龄', cell('突出业绩', 3)],
          [cont(), '成员一', cell('技师', 2), '35岁', cell('攻关能手', 3)],
          [cont(), '', cell('', 2), '', cell('', 3)],
        ),
      ),
    );
    expect(r.groups.members).toEqual([{ name: '成员一', qualification: '技师', age: '35', achievements: '攻关能手' }]);
  });

  it('two groups with the same columns told apart by the title above each (省部级 / 其它获奖情况)', () => {
    const columns = ['获奖项目名称', '奖励名称', '授予单位', '等级', '排名', '角色', '年度'];
    const r = recogniseForm(
      wuhan,
      doc(
        para('其它获奖情况：'),
        table(columns, ['项目乙', '市奖', '武汉市', '二等奖', '2', '参与', '2021年']),
        para('省部级获奖情况：'),
        table(columns, ['项目甲', '省奖', '湖北省', '一等奖', '1', '主持', '二〇二〇年']),
      ),
    );
    expect(r.groups.provincialAwards).toEqual([
      { projectName: '项目甲', awardName: '省奖', grantor: '湖北省', grade: '一等奖', rank: '1', role: '主持', year: '2020' },
    ]);
    expect(r.groups.otherAwards?.[0]?.projectName).toBe('项目乙');
  });

  it('a leader row with 姓名 and 性别 is not a member table’s header', () => {
    const r = recogniseForm(gongshu, row(['姓名', '张三', '性别', '男', '民族', '汉族']));
    expect(r.values).toMatchObject({ leaderName: '张三', leaderGender: '男', leaderEthnicity: '汉族' });
    expect(r.groups).toEqual({});
  });
});

describe('long texts and what the template leaves in the box', () => {
  it('paragraphs are kept, joined by line breaks', () => {
    expect(recogniseForm(weihai, row(['近两年单位经营状况', '第一段。\n\n第二段。'])).values.businessStatus).toBe('第一段。\n第二段。');
  });

  it('the template’s prompt is dropped', () => {
    const r = recogniseForm(gongshu, row(['单位\n简介\n（1000字以内）', '（包括生产、科研以及高技能人才队伍情况）\n本公司成立于1990年。']));
    expect(r.values.unitProfile).toBe('本公司成立于1990年。');
    expect(recogniseForm(zhenjiang, row(['领办或创办人主要工作业绩', '（可另附页详细阐述）主持技改12项。'])).values.leaderAchievements).toBe('主持技改12项。');
  });

  it('the signature lines are dropped, with the date signed', () => {
    expect(recogniseForm(weihai, row(['申报单位意见', '同意推荐。\n（签字盖章）\n        年    月    日'])).values.unitOpinion).toBe('同意推荐。');
    expect(recogniseForm(weihai, row(['申报单位意见', '同意推荐。\n（签字盖章）\n2024年7月10日'])).values.unitOpinion).toBe('同意推荐。');
  });

  it('a box holding only the template gives no answer', () => {
    expect(recogniseForm(weihai, row(['申报单位意见', '（签字盖章）\n   年  月  日'])).values).not.toHaveProperty('unitOpinion');
    expect(recogniseForm(gongshu, row(['所在单位意见：\n（签章）\n年  月   日'], ['专家评估意见：\n（签章）'])).values).not.toHaveProperty('unitOpinion');
  });
});

describe('placeholders', () => {
  it.each(['（无）', '(无)', '无', '/', '／', '—', '——', '-', '暂无'])('%s counts as empty', (text) => {
    const r = recogniseForm(weihai, row(['电子邮箱', text], ['开户银行及账号', text]));
    expect(r.values).not.toHaveProperty('email');
    expect(r.values).not.toHaveProperty('bankAccount');
    expect(r.notFound).toEqual(expect.arrayContaining(['email', 'bankAccount']));
  });
});

describe('cover lines and the same field printed twice', () => {
  it('label：value paragraphs, and labels spaced out with the value after blanks', () => {
    const r = recogniseForm(
      wuhan,
      doc(
        para('申   报   单   位   武汉某某机械有限公司'),
        para('工作室职业（工种）   数控车工'),
        para('领办人职业技能等级：高级技师'),
        para('填  报  时  间   2024年6月20日'),
      ),
    );
    expect(r.values).toMatchObject({ unitName: '武汉某某机械有限公司', studioOccupation: '数控车工', leaderSkillLevel: '高级技师', filledOn: '2024-06-20' });
  });

  it('a note between label and value, or after the value, is not part of it', () => {
    expect(recogniseForm(weihai, doc(para('申报单位名称（盖章）：威海某公司'))).values.unitName).toBe('威海某公司');
    expect(recogniseForm(gongshu, doc(para('申报单位   杭州某公司   （盖章）'))).values.unitName).toBe('杭州某公司');
    expect(recogniseForm(gongshu, doc(para('申报单位             （盖章）'))).values).not.toHaveProperty('unitName');
  });

  it('the table’s box wins over the cover line', () => {
    const r = recogniseForm(weihai, doc(para('领办人职业技能等级：技师'), table(['职业技能等级', '高级技师'])));
    expect(r.values.leaderSkillLevel).toBe('高级技师');
  });

  it('a cover line left blank does not keep the table from filling the field', () => {
    expect(recogniseForm(weihai, doc(para('申报单位名称（盖章）：'), table(['申报单位名称', '威海某公司']))).values.unitName).toBe('威海某公司');
  });

  it('a label printed twice goes to the field of the section it is in', () => {
    const r = recogniseForm(
      gongshu,
      doc(table(['申报单位基本情况'], ['固定电话', '0571-88256383'], ['领衔人基本情况'], ['固定电话', '0571-88256384', '手机', '13900000000'])),
    );
    expect(r.values).toMatchObject({ unitLandline: '0571-88256383', leaderLandline: '0571-88256384', leaderMobile: '13900000000' });
    expect(r.values).not.toHaveProperty('contactMobile');
  });

  it('twice in one section: in order, an empty first box keeping its place', () => {
    const r = recogniseForm(
      lucheng,
      row(['申报单位基本情况'], ['法人代表', '赵六', '办电', '', '手机', ''], ['联系人', '钱七', '办电', '0577-88990719', '手机', '13700000000']),
    );
    expect(r.values).toMatchObject({ legalRep: '赵六', contactName: '钱七', contactOfficePhone: '0577-88990719', contactMobile: '13700000000' });
    expect(r.values).not.toHaveProperty('legalRepOfficePhone');
    expect(r.values).not.toHaveProperty('legalRepMobile');
  });
});

describe('never invented', () => {
  it('fields whose label is absent stay out; notFound lists them, groups too', () => {
    const r = recogniseForm(weihai, row(['领办人姓名', '张三']));
    expect(Object.keys(r.values)).toEqual(['leaderName']);
    expect(r.notFound).toContain('unitName');
    expect(r.notFound).toContain('members');
    expect(r.notFound).not.toContain('leaderName');
  });

  it('a value of the wrong kind gives nothing rather than a guess', () => {
    const r = recogniseForm(weihai, row(['出生年月', '七十年代'], ['工作室面积', '很大'], ['是否技师工作站', '待定']));
    expect(r.values).toEqual({});
    expect(r.labelsFound).toBe(3);
  });
});

describe('is it this programme’s form at all', () => {
  it('its own filled form is', async () => {
    for (const c of [weihai, gongshu, lucheng, zhenjiang, wuhan]) {
      const form = await filledOfficialForm(c);
      const r = recogniseForm(c, form.document);
      expect(r.isThisForm, c.id).toBe(true);
      expect(r.labelsFound, c.id).toBeGreaterThanOrEqual(0.5 * r.labelsInForm);
    }
  });

  it('another city’s form is not, even one sharing most labels (拱墅 and 鹿城)', async () => {
    const forms = await Promise.all([weihai, gongshu, lucheng, zhenjiang, wuhan].map((c) => filledOfficialForm(c)));
    for (const [i, c] of [weihai, gongshu, lucheng, zhenjiang, wuhan].entries())
      for (const [j, form] of forms.entries()) if (i !== j) expect(recogniseForm(c, form.document).isThisForm, `${c.id} reading form ${j}`).toBe(false);
  });

  it('a letter, an empty document, a table of something else are not', () => {
    expect(recogniseForm(weihai, doc()).isThisForm).toBe(false);
    expect(recogniseForm(weihai, doc()).labelsFound).toBe(0);
    const letter = doc(
      para('关于申报技能大师工作室的请示'),
      para('市人力资源和社会保障局：'),
      para('我单位拟申报技能大师工作室，领办人张三，联系人李四，联系电话13812345678。'),
    );
    expect(recogniseForm(weihai, letter).isThisForm).toBe(false);
    const invoice = doc(table(['品名', '数量', '单价', '金额'], ['车床', '1台', '50000', '50000'], ['联系人', '李四', '联系电话', '13812345678']));
    expect(recogniseForm(weihai, invoice).isThisForm).toBe(false);
  });
});

describe('several labels on one line', () => {
  it('in a paragraph: each label takes its own value', () => {
    const r = recogniseForm(weihai, doc(para('联系人：李四    联系电话：13812345678')));
    expect(r.values).toMatchObject({ contactName: '李四', contactPhone: '13812345678' });
  });

  it('in a cell', () => {
    const r = recogniseForm(weihai, row(['性别：男　民族：汉族', '出生年月：1975.06']));
    expect(r.values).toMatchObject({ leaderGender: '男', leaderEthnicity: '汉族', leaderBirth: '1975-06' });
  });
});
