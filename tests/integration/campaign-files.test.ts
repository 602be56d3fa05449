// 项目管理 through the emulator: a programme YAML sent to the bot is checked (errors with path and
// reason), previewed and activated on confirmation; the list card opens, closes and copies a
// programme to a new year; non-administrators are refused. (Two instances: tests/postgres.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { refusalOf } from '../helpers/access.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { CAMPAIGNS_DIR } from '../helpers/campaigns.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';

const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const yaml = (file: string, set: [(string | number)[], unknown][]) => {
  const doc = parseDocument(readFileSync(join(CAMPAIGNS_DIR, file), 'utf8'));
  for (const [path, value] of set) doc.setIn(path, value);
  return Buffer.from(String(doc));
};

describe('programme management (项目)', () => {
  let h: Harness;
  let admin: Applicant, applicant: Applicant, stranger: Applicant;
  const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    applicant = new Applicant(h, 'ou_unit');
    stranger = new Applicant(h, 'ou_stranger');
  });
  afterAll(async () => h?.close());

  it('a broken file is answered with each problem’s path and reason, and nothing changes', async () => {
    const card = await admin.sendFile(
      'lucheng-2027.yaml',
      yaml('lucheng-2024.yaml', [
        [['id'], 'lucheng-2027'],
        [['code'], 'lc'],
        [['form', 'sections', 0, 'fields', 0, 'type'], 'txt'],
        [['schedule', 'deadline'], '2027年7月31日'],
      ]),
    );
    expect(title(card)).toBe('项目文件有错误，未启用');
    const text = textOf(card).replace(/&#91;/g, '[').replace(/&#93;/g, ']'); // markdown-escaped brackets
    expect(text).toContain('code');
    expect(text).toContain('应为2到4个大写字母');
    expect(text).toMatch(/form\.sections\[0\]（[^）]+）\.fields\[0\]（[^）]+）\.type/);
    expect(text).toContain('字段类型 type 不正确');
    expect(text).toContain('schedule.deadline');
    expect(await h.db.client.campaignUpload.count()).toBe(0);
    expect(await h.db.client.campaignFile.count()).toBe(0);
  });

  it('a valid new programme is previewed, then activated on confirmation and offered to applicants', async () => {
    const card = await admin.sendFile(
      'lucheng-2027.yaml',
      yaml('lucheng-2024.yaml', [
        [['id'], 'lucheng-2027'],
        [['title'], '2027年温州市鹿城区技能大师工作室建设项目申报'],
        [['year'], 2027],
        [['schedule', 'opensAt'], '2024-07-01'],
        [['schedule', 'deadline'], '2024-08-31'],
      ]),
    );
    expect(title(card)).toBe('项目文件预览');
    expect(textOf(card)).toContain('这是一个新项目');
    expect(textOf(card)).toContain('2027年温州市鹿城区技能大师工作室建设项目申报');
    await applicant.say('申报');
    expect(textOf(applicant.card!)).not.toContain('2027年温州市鹿城区');

    // The preview as it was when clicked: Lark replaces it in the chat with the answer.
    const preview = admin.card!;
    await admin.click('启用');
    expect(admin.lastToast).toMatchObject({ type: 'success' });
    expect(title(admin.card!)).toBe('项目已启用');
    await applicant.say('申报');
    expect(textOf(applicant.card!)).toContain('2027年温州市鹿城区技能大师工作室建设项目申报');
    await applicant.click((b) => b.value.a === 'j.intro' && b.value.c === 'lucheng-2027');
    expect(textOf(applicant.card!)).toContain('开始填写');

    // A second click on 启用 changes nothing.
    const enable = admin.button('启用', preview);
    await admin.clickRaw(enable);
    expect(admin.lastToast).toMatchObject({ type: 'warning', content: '这个项目文件已经启用过了' });
    expect(await h.db.client.campaignFile.findUniqueOrThrow({ where: { campaignId: 'lucheng-2027' } })).toMatchObject({ version: 1, updatedBy: 'ou_admin' });
  });

  it('closes and reopens a programme from its card; drafts are kept', async () => {
    await applicant.say('申报');
    await applicant.click((b) => b.value.a === 'j.intro' && b.value.c === 'weihai-2024');
    await applicant.click('开始填写');
    await admin.say('项目');
    expect(title(admin.card!)).toBe('项目管理');
    await admin.click((b) => b.value.a === 'p.show' && b.value.c === 'weihai-2024');
    expect(textOf(admin.card!)).toContain('申报中');
    await admin.click('立即截止申报');
    expect(textOf(admin.card!)).toContain('已截止申报，草稿都保留');
    expect(textOf(admin.card!)).toContain('2024年7月15日 10:00');
    await applicant.say('申报');
    expect(textOf(applicant.card!)).toMatch(/2024年度威海市技能大师工作室申报[\s\S]*已截止/);
    expect(await h.db.client.application.count({ where: { campaignId: 'weihai-2024', applicantId: 'ou_unit', status: 'draft' } })).toBe(1);

    await admin.click((b) => b.value.a === 'p.open', { deadline: '2024-07-10' });
    expect(textOf(admin.card!)).toContain('截止日期 2024-07-10 已经过去');
    await admin.click((b) => b.value.a === 'p.open', { deadline: '2024-08-15 +0800' });
    expect(textOf(admin.card!)).toContain('已开放申报，截止到 2024-08-15 23:59');
    const stored = await h.db.client.campaignFile.findUniqueOrThrow({ where: { campaignId: 'weihai-2024' } });
    expect(stored.version).toBe(2);
    expect(stored.text).toContain('deadline: 2024-08-15');
    expect(stored.text).toContain('# 各区市于7月31日前报送'); // the file's comments survive the edit
    await applicant.say('申报');
    expect(textOf(applicant.card!)).toContain('2024年8月15日');
  });

  it('copies a programme to a new year: everything inherited, only year, title and dates change', async () => {
    await admin.say('项目');
    await admin.click((b) => b.value.a === 'p.show' && b.value.c === 'weihai-2024');
    await admin.click((b) => b.value.a === 'p.copy', { newId: 'weihai-2024', opensAt: '2025-07-01' });
    expect(textOf(admin.card!)).toContain('已有项目使用 id「weihai-2024」');
    await admin.click((b) => b.value.a === 'p.copy', { newId: 'weihai-2025', opensAt: '2025-07-01', copyDeadline: '2025-06-01' });
    expect(textOf(admin.card!)).toContain('截止日期不能早于开始申报日期');
    await admin.click((b) => b.value.a === 'p.copy', { newId: 'weihai-2025', opensAt: '2025-07-01 +0800', copyDeadline: '2025-07-31 +0800' });
    expect(title(admin.card!)).toBe('项目文件预览');
    expect(textOf(admin.card!)).toContain('2025年度威海市技能大师工作室申报');
    expect(textOf(admin.card!)).toContain('继承自');
    await admin.click('启用');
    const c = h.app.services.catalog.campaigns.find((x) => x.id === 'weihai-2025')!;
    const parent = h.app.services.catalog.campaigns.find((x) => x.id === 'weihai-2024')!;
    expect(c).toMatchObject({
      year: 2025,
      title: '2025年度威海市技能大师工作室申报',
      schedule: { opensAt: '2025-07-01', deadline: '2025-07-31', stageDeadlines: {} },
    });
    expect(c.issuer.docNumber).toBeUndefined();
    expect(c.form).toEqual(parent.form);
    expect(c.pipeline).toEqual(parent.pipeline);
  });

  it('refuses non-administrators: their .yaml is not a programme, their clicks change nothing', async () => {
    await stranger.say('项目');
    expect(textOf(stranger.card!)).toContain('没有权限');
    const uploads = await h.db.client.campaignUpload.count();
    const files = await h.db.client.campaignFile.findMany({ orderBy: { campaignId: 'asc' } });
    await stranger.sendFile('evil.yaml', yaml('lucheng-2024.yaml', [[['id'], 'evil-2027']]));
    expect(title(stranger.card!)).not.toBe('项目文件预览');
    const pending = await h.db.client.campaignUpload.findFirst({ where: { status: 'pending' } });
    for (const value of [
      { a: 'p.list' },
      { a: 'p.close', c: 'weihai-2024' },
      { a: 'p.open', c: 'weihai-2024' },
      { a: 'p.copy', c: 'weihai-2024' },
      { a: 'p.activate', u: pending?.id ?? 'x' },
    ]) {
      await stranger.clickRaw({ value }, { deadline: '2030-01-01', newId: 'evil-2030', opensAt: '2030-01-01' });
      // A made-up or missing upload id is refused without saying whether it exists.
      expect(stranger.lastToast?.type).toBe('error');
      if (value.a !== 'p.activate' || pending) expect(stranger.lastToast?.content).toBe(refusalOf(h, value.a));
      else expect(stranger.lastToast?.content).toMatch(/^没有权限：找不到/);
    }
    await settle(h.db);
    expect(await h.db.client.campaignUpload.count()).toBe(uploads);
    expect(await h.db.client.campaignFile.findMany({ orderBy: { campaignId: 'asc' } })).toEqual(files);
  });
});
