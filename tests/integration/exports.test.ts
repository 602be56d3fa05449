// 导出 through the emulator: the files arrive as file messages uploaded through the file API and
// read back to what was typed: the 申报表 .docx (every filled value in the cell beside its label,
// group rows under their headers, the form's title and opinion boxes), many of them as one .zip,
// the 一览表 .xlsx (Wuhan's columns, a sheet per recommending region), expert scores and rankings.
// An administrator limited to one region gets nothing from others; anyone else is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, ScalarField } from '../../src/campaigns/schema.js';
import { visibleFields, visibleSections } from '../../src/forms/engine.js';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { refusalOf } from '../helpers/access.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { type ApplicationFixture, type Typed, validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { docxRows, docxText, xlsxSheets, zipEntries } from '../helpers/office.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const wuhan = shippedCampaign('wuhan-2024');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const unit = (first17: string) => first17 + creditCodeCheckChar(first17);

/** What the applicant typed, as a printed form shows it (written here independently of the bot). */
function printed(f: ScalarField, typed: Typed | undefined): string {
  if (typed === undefined) return '';
  if (Array.isArray(typed)) return typed.join('、');
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(typed);
  if (f.type === 'date' && m) return `${m[1]}年${m[2]}月${m[3]}日`;
  if (f.type === 'yearMonth' && m) return `${m[1]}年${m[2]}月`;
  if (f.type === 'year') return `${typed}年`;
  return 'unit' in f && f.unit ? `${typed}${f.unit}` : typed;
}

/** Checks every filled value of the fixture sits in the cell right of its label, and every group row under its headers. */
function expectFormFilled(c: Campaign, fx: ApplicationFixture, rows: string[][]): number {
  let checked = 0;
  const answers = Object.fromEntries(Object.entries(fx.answers).map(([k, v]) => [k, v === '是' ? true : v === '否' ? false : v]));
  for (const s of visibleSections(c, answers as never)) {
    for (const f of visibleFields(s, answers as never)) {
      if (f.type === 'group') {
        const head = rows.findIndex((r) => r.length === f.fields.length && r.every((cell, i) => cell === f.fields[i]!.label));
        expect(head, `header row of ${f.label}`).toBeGreaterThanOrEqual(0);
        for (const [i, typed] of (fx.rows[f.id] ?? []).entries()) {
          expect(rows[head + 1 + i], `${f.label} row ${i + 1}`).toEqual(f.fields.map((sub) => printed(sub, typed[sub.id])));
          checked++;
        }
        continue;
      }
      const value = printed(f, fx.answers[f.id]);
      if (!value) continue;
      const found = rows.some((r) => r.some((cell, i) => cell === f.label && r[i + 1] === value));
      expect(found, `${f.label} = ${value}`).toBe(true);
      checked++;
    }
  }
  return checked;
}

describe('exports (导出)', () => {
  let h: Harness;
  let admin: Applicant, districtAdmin: Applicant, stranger: Applicant, reviewer: Applicant;
  const experts: Applicant[] = [];
  const weihaiFx: ApplicationFixture[] = [];
  let wuhanFx: ApplicationFixture;
  let clock = new Date('2024-06-15T10:00:00+08:00'); // Wuhan is open; Weihai opens on 07-09

  const fileTo = async (openId: string, after: number) => {
    const m = await waitFor('the export file message', () => h.emulator.messagesTo(openId).filter((x) => x.msg_type === 'file')[after], 30_000, 50);
    const key = (JSON.parse(m.content) as { file_key: string }).file_key;
    const file = h.emulator.getFile(key)!;
    return { name: file.fileName!, type: file.fileType!, data: file.data };
  };
  const filesTo = (openId: string) => h.emulator.messagesTo(openId).filter((x) => x.msg_type === 'file').length;
  const exportAs = async (who: Applicant, form: Record<string, string>) => {
    const before = filesTo(who.openId);
    await who.say('导出');
    await who.click((b) => b.value.a === 'x.run', form);
    return before;
  };

  beforeAll(async () => {
    h = await startHarness({ now: () => clock, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    districtAdmin = new Applicant(h, 'ou_wendeng_admin');
    stranger = new Applicant(h, 'ou_stranger');
    reviewer = new Applicant(h, 'ou_district');
    for (let i = 1; i <= 2; i++) {
      experts.push(new Applicant(h, `ou_expert_${i}`));
      h.emulator.addUser({ open_id: `ou_expert_${i}`, name: ['', '赵专家', '钱专家'][i]! });
    }
    await admin.say('角色');
    await appoint(admin, 'ou_district', { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    for (const e of experts) await appoint(admin, e.openId, { role: 'expert', stage: 'weihai-2024/experts' });
    await appoint(admin, 'ou_wendeng_admin', { role: 'admin', stage: 'weihai-2024/district', region: '文登区' });
    wuhanFx = validApplication(wuhan);
    await applyThrough(new Applicant(h, 'ou_wuhan_unit'), wuhan, wuhanFx);
    clock = new Date('2024-07-20T10:00:00+08:00');

    for (const [i, leader] of ['张伟', '李强'].entries()) {
      const fx = validApplication(weihai);
      Object.assign(fx.answers, {
        unitCreditCode: unit(`91371000MA3C1000${i + 1}`),
        unitName: `威海第${i + 1}机械有限公司`,
        leaderName: leader,
        studioName: `${leader}数控车工技能大师工作室`,
      });
      weihaiFx.push(fx);
      await applyThrough(new Applicant(h, `ou_unit_${i}`), weihai, fx);
      await reviewer.received((c) => title(c).startsWith('待审核'));
      await reviewer.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '同意推荐' });
    }
    await settle(h.db);
    const points = [
      [
        { leader: '28', team: '18', projects: '27', support: '18' },
        { leader: '25', team: '15', projects: '20', support: '15' },
      ],
      [
        { leader: '26', team: '16', projects: '25', support: '17' },
        { leader: '24', team: '14', projects: '22', support: '16' },
      ],
    ];
    for (const [k, e] of experts.entries()) {
      for (let n = 0; n < 2; n++) {
        const sheet = await e.received((c) => title(c).startsWith('待评分'));
        await e.click((b) => b.value.a === 's.score', points[k]![textOf(sheet).includes('WH2024-0001') ? 0 : 1]!);
      }
    }
    await settle(h.db);
    await h.app.services.runScheduled(); // looks up the experts' names from the contact API
  }, 120_000);
  afterAll(async () => h?.close());

  it('one application’s 申报表 arrives as a .docx with every value in its cell, the form’s title and opinion boxes', async () => {
    // Lark applies the click's answer to the card a while after the bot gave it: a patch sent in
    // between would be overwritten by it.
    admin.callbackLagMs = 2_000;
    const before = await exportAs(admin, { campaign: 'weihai-2024', what: 'forms', number: 'wh2024-0001' });
    admin.callbackLagMs = 0;
    expect(title(admin.card!)).toBe('正在生成导出文件');
    const file = await fileTo('ou_admin', before);
    expect(file.name).toBe('威海市技能大师工作室申报表-WH2024-0001 威海第1机械有限公司.docx');
    expect(file.type).toBe('doc');
    const rows = await docxRows(file.data);
    expect(expectFormFilled(weihai, weihaiFx[0]!, rows)).toBeGreaterThan(40);
    const text = await docxText(file.data);
    expect(text).toContain('威海市技能大师工作室申报表');
    expect(text).toContain('申报编号：WH2024-0001');
    for (const o of ['申报单位意见', '区市人社部门意见', '（签字盖章）', '年　　月　　日']) expect(text).toContain(o);
    // The district reviewer's opinion is printed in its box; the unit's own box is left for the unit to sign.
    const box = (label: string) =>
      rows
        .find((r) => r[0] === label)
        ?.slice(1)
        .join('\n') ?? '';
    expect(box('区市人社部门意见')).toContain('同意推荐');
    expect(box('申报单位意见')).not.toContain('同意推荐');
    expect(text).not.toContain('李强');
    // East-Asian font slot set, so Chinese prints in 宋体 / 黑体.
    const styles = await (await import('../helpers/office.js')).docxXml(file.data, 'word/styles.xml');
    expect(styles).toMatch(/w:eastAsia="宋体"/);
    // The card that said 正在生成 now says it is done: the patch came after the click's answer
    // (which replaced the card in the chat), so nothing overwrote it.
    const clicked = () => h.emulator.messages.find((m) => m.message_id === admin.messageId)!;
    await waitFor('the card patched to 导出完成', () => clicked().content.includes('导出完成'), 10_000, 50);
    const updates = clicked().updates.map((u) => u.via);
    expect(updates.lastIndexOf('patch')).toBeGreaterThan(updates.lastIndexOf('callback'));
  });

  it('every application at once comes as one .zip of .docx files', async () => {
    const before = await exportAs(admin, { campaign: 'weihai-2024', what: 'forms' });
    const file = await fileTo('ou_admin', before);
    expect(file.name).toMatch(/^2024年度威海市技能大师工作室申报-申报表2份-20240720\.zip$/);
    const entries = await zipEntries(file.data);
    expect([...entries.keys()].sort()).toEqual(['WH2024-0001 威海第1机械有限公司.docx', 'WH2024-0002 威海第2机械有限公司.docx']);
    expectFormFilled(weihai, weihaiFx[1]!, await docxRows(entries.get('WH2024-0002 威海第2机械有限公司.docx')!));
  });

  it('the 一览表 .xlsx has Wuhan’s columns, one sheet per recommending region', async () => {
    const before = await exportAs(admin, { campaign: 'wuhan-2024', what: 'summary' });
    const file = await fileTo('ou_admin', before);
    expect(file.name).toBe('武汉市技能大师工作室建设项目申报情况一览表-20240720.xlsx');
    const sheets = await xlsxSheets(file.data);
    const region = wuhanFx.answers[wuhan.regionField!] as string;
    const rows = sheets.get(region)!;
    expect(rows[0]![0]).toBe('武汉市技能大师工作室建设项目申报情况一览表');
    expect(rows[1]![0]).toBe(`推荐单位（盖章）：${region}`);
    expect(rows[2]).toEqual(wuhan.exports.summaryList!.columns.map((c) => c.header));
    const data = rows[3]!;
    expect(data[0]).toBe('1');
    expect(data[1]).toBe(wuhanFx.answers.unitName);
    expect(data[2]).toBe(wuhanFx.answers.leaderName);
    expect(data[3]).toBe(wuhanFx.answers.leaderOccupation);
    expect(rows.some((r) => r[0]!.startsWith('备注：1.主要获奖情况必须与佐证材料一致'))).toBe(true);
  });

  it('expert scores and rankings read back as the experts gave them', async () => {
    const before = await exportAs(admin, { campaign: 'weihai-2024', what: 'scores' });
    const sheets = await xlsxSheets((await fileTo('ou_admin', before)).data);
    const ranking = sheets.get('排名')!;
    expect(ranking[1]).toEqual(['名次', '申报编号', '申报单位', '工作室名称', '区市', '专家1', '专家2', '得分']);
    expect(ranking[2]).toEqual(['1', 'WH2024-0001', '威海第1机械有限公司', '张伟数控车工技能大师工作室', '环翠区', '91', '84', '87.5']);
    expect(ranking[3]).toEqual(['2', 'WH2024-0002', '威海第2机械有限公司', '李强数控车工技能大师工作室', '环翠区', '75', '76', '75.5']);
    const detail = sheets.get('评分明细')!;
    expect(detail.slice(2).map((r) => r.slice(0, 8))).toEqual([
      ['WH2024-0001', '张伟数控车工技能大师工作室', '赵专家', '28', '18', '27', '18', '91'],
      ['WH2024-0001', '张伟数控车工技能大师工作室', '钱专家', '26', '16', '25', '17', '84'],
      ['WH2024-0002', '李强数控车工技能大师工作室', '赵专家', '25', '15', '20', '15', '75'],
      ['WH2024-0002', '李强数控车工技能大师工作室', '钱专家', '24', '14', '22', '16', '76'],
    ]);
  });

  it('asks for what is missing or does not fit, keeping the choices', async () => {
    await admin.say('导出');
    await admin.click((b) => b.value.a === 'x.run', { campaign: 'weihai-2024' });
    expect(textOf(admin.card!)).toContain('请选择要导出的内容');
    await admin.click((b) => b.value.a === 'x.run', { campaign: 'weihai-2024', what: 'evaluation' });
    expect(textOf(admin.card!)).toContain('绩效评估结果只适用于绩效评估项目');
    await admin.click((b) => b.value.a === 'x.run', { campaign: 'weihai-2024', what: 'forms', number: 'WH24-1' });
    expect(textOf(admin.card!)).toContain('申报编号「WH24-1」格式不对');
    const before = filesTo('ou_admin');
    // This answer comes at once, while Lark may still be applying the click's own answer (2 s
    // here, within the 3 s Lark waits for it): the patch waits for that, so the card ends right.
    const clicked = admin.messageId;
    const card = () => h.emulator.messages.find((m) => m.message_id === clicked)!;
    const answered = card().updates.filter((u) => u.via === 'callback').length;
    admin.callbackLagMs = 2_000;
    await admin.click((b) => b.value.a === 'x.run', { campaign: 'weihai-2024', what: 'forms', number: 'WH2024-0099' });
    admin.callbackLagMs = 0;
    await waitFor('Lark to apply the answer', () => card().updates.filter((u) => u.via === 'callback').length > answered, 10_000, 50);
    await waitFor('the failure patched in', () => card().content.includes('没有找到编号为 WH2024-0099'), 10_000, 50);
    expect(filesTo('ou_admin')).toBe(before);
  });

  it('an administrator limited to 文登区 gets nothing from 环翠区', async () => {
    await districtAdmin.say('导出');
    expect(textOf(districtAdmin.card!)).toContain('2024年度威海市技能大师工作室申报 · 文登区');
    expect(JSON.stringify(districtAdmin.card)).not.toContain('wuhan-2024');
    await districtAdmin.click((b) => b.value.a === 'x.run', { campaign: 'weihai-2024', what: 'forms' });
    await waitFor(
      'the refusal patched in',
      () => h.emulator.messagesTo('ou_wendeng_admin').some((m) => m.updates.some((u) => u.content.includes('您的管理范围内还没有已提交的申报'))),
      10_000,
      50,
    );
    const before = await exportAs(districtAdmin, { campaign: 'weihai-2024', what: 'summary' });
    const sheets = await xlsxSheets((await fileTo('ou_wendeng_admin', before)).data);
    const all = JSON.stringify([...sheets.values()]);
    expect(all).not.toContain('WH2024-0001');
    expect(all).not.toContain('威海第1机械有限公司');
    await districtAdmin.clickRaw({ value: { a: 'x.run' } }, { campaign: 'wuhan-2024', what: 'summary' });
    expect(districtAdmin.lastToast).toMatchObject({ type: 'error', content: refusalOf(h, 'x.run') });
  });

  it('a job whose generator died is finished once, by the next scheduler run of any instance', async () => {
    const before = filesTo('ou_admin');
    await h.db.client.exportJob.create({
      data: {
        id: 'job-of-a-crashed-process',
        requestedBy: 'ou_admin',
        campaignId: 'weihai-2024',
        what: 'summary',
        status: 'running',
        leaseOwner: 'crashed:1',
        leaseUntil: new Date(Date.now() - 1000),
      },
    });
    await Promise.all([h.app.services.runScheduled(), h.app.services.runScheduled()]);
    const file = await fileTo('ou_admin', before);
    expect(file.name).toMatch(/一览表/);
    await settle(h.db);
    await h.app.services.runScheduled();
    await settle(h.db);
    expect(filesTo('ou_admin')).toBe(before + 1);
    expect(await h.db.client.exportJob.findUniqueOrThrow({ where: { id: 'job-of-a-crashed-process' } })).toMatchObject({ status: 'done', leaseOwner: null });
  });

  it('refuses anyone else, and nothing is generated', async () => {
    const jobs = await h.db.client.exportJob.count();
    await stranger.say('导出');
    expect(textOf(stranger.card!)).toContain('没有权限');
    await stranger.clickRaw({ value: { a: 'x.run' } }, { campaign: 'weihai-2024', what: 'forms' });
    expect(stranger.lastToast).toMatchObject({ type: 'error', content: refusalOf(h, 'x.run') });
    await stranger.clickRaw({ value: { a: 'x.menu', c: 'weihai-2024' } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    await settle(h.db);
    expect(await h.db.client.exportJob.count()).toBe(jobs);
    expect(filesTo('ou_stranger')).toBe(0);
  });
});
