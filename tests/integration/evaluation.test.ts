// Evaluation rounds, first part: 50 existing studios imported from a spreadsheet with 3 bad rows
// (47 imported, 3 reported by row and reason, a second send doubles nothing); the Weihai 2024 round
// invites every eligible studio's contact; a contact self-assesses through the same step cards,
// prefilled from the registry, and submits; others are refused.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, confirmAndSubmit } from '../helpers/journey-driver.js';

const evaluation = shippedCampaign('weihai-2024-evaluation');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const regions = evaluation.regions.items;

async function studioList(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工作室');
  ws.addRow(['工作室名称', '所在单位', '领办人', '职业（工种）', '命名年度', '项目', '地区', '联系人open_id']);
  for (let i = 1; i <= 50; i++) {
    const row = [
      `第${i}号数控车工技能大师工作室`,
      `威海第${i}机械有限公司`,
      `领办人${i}`,
      '数控车工',
      2015 + (i % 8),
      '威海',
      regions[i % regions.length]!,
      `ou_contact_${i}`,
    ];
    if (i === 7) row[4] = 2035; // a year to come
    if (i === 20) row[5] = '火星'; // no such programme
    if (i === 33) row[2] = ''; // no leader
    ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('studio registry and evaluation rounds', () => {
  let h: Harness;
  let admin: Applicant, contact: Applicant, stranger: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    contact = new Applicant(h, 'ou_contact_1');
    stranger = new Applicant(h, 'ou_stranger');
  });
  afterAll(async () => h?.close());

  it('imports 47 of 50 studios and reports the 3 bad rows by row number and reason', async () => {
    const card = await admin.sendFile('已有工作室名单.xlsx', await studioList());
    expect(title(card)).toBe('工作室名单导入');
    const text = textOf(card);
    expect(text).toContain('已导入 **47** 个工作室，**3** 行未导入');
    expect(text).toContain('第8行：「命名年度」应为2000到2024之间的四位年份（填写的是“2035”）');
    expect(text).toContain('第21行：「项目」“火星”不是已有的项目');
    expect(text).toContain('第34行：「领办人」未填写');
    expect(await h.db.client.studio.count({ where: { source: 'imported', programme: 'weihai' } })).toBe(47);
    // The same file again: nothing doubled.
    const again = await admin.sendFile('已有工作室名单.xlsx', await studioList());
    expect(textOf(again)).toContain('已导入 **0** 个工作室');
    expect(await h.db.client.studio.count()).toBe(47);
  });

  it('a non-administrator’s spreadsheet is an attachment, not an import', async () => {
    await stranger.sendFile('名单.xlsx', await studioList());
    expect(await h.db.client.studio.count()).toBe(47);
  });

  it('opens the Weihai round: every eligible studio’s contact is invited once', async () => {
    await admin.say('评估');
    expect(textOf(admin.card!)).toContain('应参评 **47** 个');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === 'weihai-2024-evaluation');
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '已通知 47 个工作室' });
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === 'weihai-2024-evaluation');
    expect(admin.lastToast).toMatchObject({ content: '已通知 0 个工作室' });
    await settle(h.db);
    expect(await h.db.client.application.count({ where: { campaignId: 'weihai-2024-evaluation' } })).toBe(47);
    const invite = await contact.received((c) => title(c) === '请填写工作室年度绩效评估');
    expect(textOf(invite)).toContain('「第1号数控车工技能大师工作室」需要参加');
  });

  it('the contact self-assesses on the step cards, prefilled from the registry, and submits', async () => {
    await contact.click((b) => b.value.a === 'j.start');
    const prefilled = JSON.stringify(contact.card);
    expect(prefilled).toContain('第1号数控车工技能大师工作室');
    expect(prefilled).toContain('威海第1机械有限公司');
    const fx = validApplication(evaluation);
    // What the registry knows stays as prefilled: the fixture only fills the rest.
    for (const id of ['studioName', 'unitName', 'leaderName', 'designatedYear', 'region']) delete fx.answers[id];
    await advanceTo(contact, fx);
    await attachAll(contact, fx);
    await confirmAndSubmit(contact);
    expect(textOf(contact.card!)).toContain('WHPG2024-0001');
    const app = await h.db.client.application.findFirstOrThrow({ where: { campaignId: 'weihai-2024-evaluation', applicantId: 'ou_contact_1' } });
    const studio = await h.db.client.studio.findUniqueOrThrow({ where: { id: app.studioId! } });
    expect(studio.name).toBe('第1号数控车工技能大师工作室');
    expect(app).toMatchObject({ status: 'submitted', stage: 'district', region: regions[1] });
  });

  it('refuses anyone else', async () => {
    await stranger.say('评估');
    expect(textOf(stranger.card!)).toContain('没有权限');
    await stranger.clickRaw({ value: { a: 'e.open', c: 'weihai-2024-evaluation' } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    await stranger.clickRaw({ value: { a: 'j.start', c: 'weihai-2024-evaluation' } });
    expect(textOf(stranger.card!)).toContain('请等待评估通知');
    expect(await h.db.client.application.count({ where: { campaignId: 'weihai-2024-evaluation', applicantId: 'ou_stranger' } })).toBe(0);
  });
});
