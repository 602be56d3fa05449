/// <reference lib="dom" />
// The Approval Center and the ledger in the playground, driven by the bot itself (started as
// `npm start` starts it, in local mode): a Weihai 2026 application at the district review shows in
// the demo reviewer's 审批中心 (synced by the bot through the emulated third-party approval API);
// 同意 there goes to the bot's /lark/approval, which decides as the card's button would; the task
// moves to 已办 and the 多维表格 view shows the application's record at its new stage.
// Screenshots: test-artifacts/playground/approval-bot-*.png.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { CHROMIUM, chromiumArgs } from '../helpers/browser.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const weihai = shippedCampaign('weihai-2026');
const SHOTS = resolve(PROJECT_ROOT, 'test-artifacts', 'playground');
const REVIEWER = 'ou_demo_reviewer';

describe('the playground’s 审批中心 and 多维表格 with the bot syncing them', () => {
  let bot: BotProcess;
  let browser: Browser;
  let dataDir: string;
  let db: Database;
  const applicationId = randomUUID();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'playground-approval-'));
    bot = await startBotProcess({
      LARK_APP_ID: undefined,
      LARK_APP_SECRET: undefined,
      DATABASE_URL: undefined,
      ADMIN_IDS: undefined,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    db = openDatabase({ dialect: 'sqlite', url: `file:${join(dataDir, 'bot.db')}` });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    // An application the demo applicant submitted, at the district review with the demo reviewer's task.
    await db.client.application.create({
      data: { id: applicationId, campaignId: weihai.id, applicantId: 'ou_demo_applicant', answers: JSON.stringify(storedAnswers(weihai, '2026-03-05')) },
    });
    await db.client.application.update({
      where: { id: applicationId },
      data: { status: 'submitted', stage: 'district', number: 'WH2026-0101', region: weihai.regions.items[0]!, submittedAt: new Date(), stageRound: 1 },
    });
    await db.client.reviewTask.create({ data: { id: randomUUID(), applicationId, stageId: 'district', round: 1, reviewerId: REVIEWER } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await db?.close();
    await bot?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.addInitScript((id) => localStorage.setItem('playground.me', id), REVIEWER);
    const page = await context.newPage();
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  it('同意 in the 审批中心 decides the review; the task moves to 已办 and the ledger follows', async () => {
    const page = await open(1280, 900);
    await page.click('#apps [data-view="approval"]');
    await page.waitForFunction(() => document.body.dataset.view === 'approval');
    const task = page.locator('.task').first();
    await task.waitFor({ timeout: 30_000 });
    const text = await task.innerText();
    expect(text).toContain(weihai.title);
    expect(text).toContain('WH2026-0101');
    await page.screenshot({ path: join(SHOTS, 'approval-bot-todo-1280.png') });

    // 同意 asks for an optional comment (is_need_reason), as the Approval Center does.
    await task.locator('button[data-action="APPROVE"]').click();
    await task.locator('.task-reason input').fill('材料齐全');
    await task.locator('.task-reason button', { hasText: '确认同意' }).click();
    await page.waitForFunction(() => document.getElementById('toast')?.hidden === false, undefined, { timeout: 15_000 });
    expect(await page.locator('#toast').getAttribute('class'), `${await page.locator('#toast').innerText()}\n${bot.output().slice(-2000)}`).toContain(
      'toast-success',
    );
    const app = await waitFor('the application past the district review', async () => {
      const a = await db.client.application.findUniqueOrThrow({ where: { id: applicationId } });
      return a.stage === 'experts' ? a : undefined;
    });
    expect(app.status).toBe('submitted');
    expect(await db.client.auditLog.count({ where: { subject: applicationId, action: 'review.approve', actor: REVIEWER } })).toBe(1);

    await page.click('#approval-tabs [data-tab="done"]');
    await page.waitForFunction(() => (document.querySelector('.task')?.textContent ?? '').includes('已通过'), undefined, { timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'approval-bot-done-1280.png') });

    await page.click('#apps [data-view="bitable"]');
    await page.waitForFunction(() => document.body.dataset.view === 'bitable');
    await page.waitForFunction(() => (document.getElementById('bitable-grid')?.textContent ?? '').includes('市人社局组织专家评审'), undefined, {
      timeout: 20_000,
    });
    const grid = await page.locator('#bitable-grid').innerText();
    expect(grid).toContain('WH2026-0101');
    expect(grid).toContain('审核中');
    await page.screenshot({ path: join(SHOTS, 'approval-bot-ledger-1280.png') });
    const phone = await open(375, 740);
    await phone.click('#menu');
    await phone.click('#apps [data-view="bitable"]');
    await phone.waitForFunction(() => (document.getElementById('bitable-grid')?.textContent ?? '').includes('WH2026-0101'), undefined, { timeout: 20_000 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: join(SHOTS, 'approval-bot-ledger-375.png') });
  });
});
