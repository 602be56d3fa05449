// Gongshu 2020 考核 end to end: two studios designated before the bot (imported) self-assess every
// item of the 考核表 with evidence; the bureau lets them through; two experts score every item.
// The first gets 80 + 10 bonus = 90 → 优秀 and may continue (续建); the second also has 90 points,
// but an expert confirms a veto item → 不合格 and is not continued. Results go through the 公示
// and are recorded on the studios.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { advanceTo, attachAll, confirmAndSubmit } from '../helpers/journey-driver.js';
import { xlsxSheets } from '../helpers/office.js';
import { appoint } from '../helpers/people.js';

const gongshu = shippedCampaign('gongshu-2020-evaluation');
const rubric = gongshu.rubrics.find((r) => r.id === 'evaluationTable')!;
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const csv = [
  '工作室名称,所在单位,领衔人,职业（工种）,入选年份,项目,联系人open_id',
  '王强数控技能大师工作室,杭州甲机械有限公司,王强,数控车工,2016,拱墅,ou_g1',
  '李梅烹饪技能大师工作室,杭州乙餐饮有限公司,李梅,中式烹调师,2017,拱墅,ou_g2',
].join('\r\n');

describe('Gongshu 2020 考核: self-assessment, expert scores, bonus cap, veto, 公示, consequences', () => {
  const clock = { now: new Date('2020-05-11T10:00:00+08:00') };
  let h: Harness;
  let admin: Applicant, bureau: Applicant;
  const contacts: Applicant[] = [];
  const experts: Applicant[] = [];
  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    bureau = new Applicant(h, 'ou_bureau');
    contacts.push(new Applicant(h, 'ou_g1'), new Applicant(h, 'ou_g2'));
    experts.push(new Applicant(h, 'ou_e1'), new Applicant(h, 'ou_e2'));
    await admin.say('角色');
    await appoint(admin, 'ou_bureau', { role: 'reviewer', stage: 'gongshu-2020-evaluation/bureauReview' });
    for (const e of experts) await appoint(admin, e.openId, { role: 'expert', stage: 'gongshu-2020-evaluation/experts' });
  });
  afterAll(async () => h?.close());

  it('imports the two studios (a CSV as Excel saves it) and opens the round', async () => {
    const card = await admin.sendFile('拱墅工作室.csv', Buffer.from(`\uFEFF${csv}`));
    expect(textOf(card)).toContain('已导入 **2** 个工作室');
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === gongshu.id);
    expect(admin.lastToast?.content).toBe('已通知 2 个工作室');
  });

  it('each studio self-assesses every item of the 考核表 with evidence and submits', async () => {
    for (const [i, c] of contacts.entries()) {
      await c.received((x) => title(x) === '请填写工作室年度绩效评估');
      await c.click((b) => b.value.a === 'j.start');
      const fx = validApplication(gongshu);
      for (const id of ['studioName', 'selectedYear', 'leaderName', 'fillingUnit', 'selectedOccupation']) delete fx.answers[id];
      Object.assign(fx.answers, { fundingDate: '2017-09', filledOn: '2020-05-11', vetoCase: '否' });
      for (const item of rubric.items) {
        const key = item.id[0]!.toUpperCase() + item.id.slice(1);
        fx.answers[`self${key}`] = String(item.max - (i === 0 ? 0 : 1));
        fx.answers[`evidence${key}`] = `${item.content}：见附件，按考核表逐项说明。`;
      }
      await advanceTo(c, fx);
      await attachAll(c, fx);
      await confirmAndSubmit(c);
      expect(textOf(c.card!)).toMatch(/GSPG2020-000\d|[A-Z]{2,4}2020-000\d/);
    }
    const stored = await h.db.client.application.findFirstOrThrow({ where: { applicantId: 'ou_g1', campaignId: gongshu.id } });
    const answers = JSON.parse(stored.answers) as Record<string, unknown>;
    expect(answers.selfWorkspace).toBe(10);
    expect(answers.evidenceMediaCoverage).toContain('见附件');
    // Evidence files per item, each in its own slot.
    for (const item of rubric.items)
      expect(await h.db.client.upload.count({ where: { slotId: `files${item.id[0]!.toUpperCase()}${item.id.slice(1)}` } }), item.id).toBe(2);
  });

  it('the bureau lets both through; two experts score every item; the bonus counts up to its cap; a confirmed veto item fails the second', async () => {
    for (let n = 0; n < 2; n++) {
      await bureau.received((c) => title(c).startsWith('待审核'));
      await bureau.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '领衔人在岗，列入考核' });
    }
    await settle(h.db);
    const full = Object.fromEntries(rubric.items.map((i) => [i.id, String(i.max)]));
    for (const [k, e] of experts.entries()) {
      for (let n = 0; n < 2; n++) {
        const sheet = await e.received((c) => title(c).startsWith('待评分'));
        const second = textOf(sheet).includes('李梅');
        // Over a maximum is refused item by item.
        if (k === 0 && n === 0) {
          await e.click((b) => b.value.a === 's.score', { ...full, workspace: '11' });
          expect(textOf(e.card!)).toContain('分数应在0到10分之间（填写的是11分）');
        }
        await e.click((b) => b.value.a === 's.score', { ...full, ...(second && k === 0 ? { veto_unitDeregistered: true } : {}) });
        expect(e.lastToast).toMatchObject({ type: 'success', content: '已提交，总分 90 分' });
      }
    }
    const [first, second] = await h.db.client.application.findMany({ where: { campaignId: gongshu.id }, orderBy: { number: 'asc' } });
    expect(first).toMatchObject({ score: 90, grade: '优秀' });
    expect(second).toMatchObject({ score: 90, grade: '不合格' });
    const told = await admin.received((c) => textOf(c).includes('评分完成') && textOf(c).includes('不合格'));
    expect(textOf(told)).toContain('专家确认一票否决项（申请承办的单位被注销或撤销的）');
  });

  it('after the 公示 the results are published and recorded on the studios', async () => {
    await admin.click('查看排名');
    await admin.click((x) => x.value.a === 'rank.confirm');
    expect(admin.lastToast?.type).toBe('success');
    clock.now = new Date('2020-05-25T10:00:00+08:00');
    await admin.received((c) => textOf(c).includes('可以开始公示'));
    await admin.click('开始公示');
    clock.now = new Date('2020-06-10T10:00:00+08:00');
    await admin.click((b) => b.value.a === 'notice.publish');
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
    const studios = await h.db.client.studio.findMany({ orderBy: { name: 'asc' } });
    const byName = Object.fromEntries(studios.map((s) => [s.name, s]));
    expect(byName['王强数控技能大师工作室']!.status).toBe('active');
    expect(byName['李梅烹饪技能大师工作室']!.status).toBe('cancelled');
    const events = await h.db.client.studioEvent.findMany();
    const of = (name: string) => events.filter((e) => e.studioId === byName[name]!.id).map((e) => `${e.kind}:${e.detail}`);
    expect(of('王强数控技能大师工作室')).toEqual(['grade:2020年拱墅区技能大师工作室考核：优秀', 'extension:考核通过，可申请续建工作室']);
    expect(of('李梅烹饪技能大师工作室')).toEqual(['grade:2020年拱墅区技能大师工作室考核：不合格', 'revocation:不予续建']);
    const result = await contacts[1]!.received((c) => title(c).startsWith('评估结果'));
    expect(textOf(result)).toContain('不合格');
  });

  it('the results export lists each studio’s grade, and every item each expert gave', async () => {
    await admin.say('导出');
    await admin.click((b) => b.value.a === 'x.run', { campaign: gongshu.id, what: 'evaluation' });
    const m = await waitFor('the results file', () => h.emulator.messagesTo('ou_admin').find((x) => x.msg_type === 'file'), 20_000, 50);
    const sheets = await xlsxSheets(h.emulator.getFile((JSON.parse(m.content) as { file_key: string }).file_key)!.data);
    const results = sheets.get('评估结果')!;
    const row = (name: string) => results.find((r) => r[2] === name)!;
    expect(row('王强数控技能大师工作室').slice(-3)).toEqual(['90', '优秀', '已评定']);
    expect(row('李梅烹饪技能大师工作室').slice(-3)).toEqual(['90', '不合格', '已评定']);
    const detail = sheets.get('评分明细')!;
    expect(detail[1]).toEqual([
      '编号',
      '工作室名称',
      '专家',
      ...rubric.items.map((i) => `${i.content}（${i.max}分${i.bonus ? '，加分' : ''}）`),
      '确认的一票否决项',
      '合计',
    ]);
    const items = detail.slice(2);
    expect(items).toHaveLength(4);
    for (const r of items) expect(r.slice(3, 3 + rubric.items.length)).toEqual(rubric.items.map((i) => String(i.max)));
    expect(items.filter((r) => r.at(-2) === '申请承办的单位被注销或撤销的')).toHaveLength(1);
  });
});
