/// <reference lib="dom" />
// The playground's 审批中心 and 多维表格 in a real browser, against the bot started as `npm start`
// starts it with no Lark credentials. The emulator is seeded over its HTTP API with the real SDK, as
// an app would (a third-party approval definition whose action_callback_url is a small server in
// this test, two instances with tasks for the demo reviewer, one Bitable table with three records);
// the page follows those changes live. 同意 reaches the callback server and shows the success toast;
// 拒绝 asks for the required reason and shows the server's 403 message. Screenshots at 1280 and 375 px
// go to test-artifacts/playground/mirrors-*.png.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@larksuiteoapi/node-sdk';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableHex } from '../../src/emulator/ids.js';
import { decrypt } from '../../src/emulator/signing.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { DEMO_BITABLE_APP } from '../../src/playground/demo.js';
import { CHROMIUM, chromiumArgs } from '../helpers/browser.js';
import { waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const SHOTS = resolve(PROJECT_ROOT, 'test-artifacts', 'playground');
const WIDTHS = { 1280: { width: 1280, height: 900 }, 375: { width: 375, height: 740 } } as const;
const REVIEWER = 'ou_demo_reviewer';
const APPLICANT = 'ou_demo_applicant';
const TOKEN = 'mirrors-callback-token';
const KEY = 'mirrors-callback-key-0123456789';
const SUBMITTED = Date.UTC(2026, 2, 5, 1, 30); // 2026/03/05 09:30 Beijing

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const i18n = (texts: Record<string, string>) => [
  { locale: 'zh-CN' as const, is_default: true, texts: Object.entries(texts).map(([key, value]) => ({ key, value })) },
];

function instance(code: string, n: number, unit: string, tasks: Record<string, unknown>[]) {
  return {
    approval_code: code,
    status: 'PENDING' as const,
    instance_id: `wh-${n}`,
    links: { pc_link: `https://bot.example/apps/${n}` },
    title: '@i18n@title',
    form: [
      { name: '@i18n@unit', value: '@i18n@unit_v' },
      { name: '@i18n@master', value: '@i18n@master_v' },
      { name: '@i18n@field', value: '@i18n@field_v' },
      { name: '@i18n@extra', value: '@i18n@extra_v' },
    ],
    open_id: APPLICANT,
    start_time: String(SUBMITTED),
    end_time: '0',
    update_time: String(SUBMITTED + n),
    task_list: tasks as never,
    i18n_resources: i18n({
      '@i18n@title': `威海市技能大师工作室申报 · ${unit}`,
      '@i18n@unit': '申报单位',
      '@i18n@unit_v': unit,
      '@i18n@master': '领办人',
      '@i18n@master_v': '王建国',
      '@i18n@field': '技能领域',
      '@i18n@field_v': '数控加工',
      '@i18n@extra': '第四行',
      '@i18n@extra_v': '不显示',
      '@i18n@district': '区县审核',
      '@i18n@first': '材料初审',
    }),
  };
}

function task(id: string, status: 'PENDING' | 'APPROVED' | 'DONE', node: string, created: number) {
  return {
    task_id: id,
    open_id: REVIEWER,
    links: { pc_link: `https://bot.example/review/${id}` },
    status,
    create_time: String(created),
    end_time: status === 'PENDING' ? '0' : String(created + 3_600_000),
    update_time: String(created),
    action_context: `ctx-${id}`,
    action_configs: [{ action_type: 'APPROVE' }, { action_type: 'REJECT', is_need_reason: true, is_reason_required: true }],
    node_id: node,
    node_name: `@i18n@${node}`,
  };
}

describe('the playground’s 审批中心 and 多维表格', () => {
  let bot: BotProcess;
  let browser: Browser;
  let dataDir: string;
  let client: Client;
  let server: Server;
  let callbackUrl: string;
  const contexts: BrowserContext[] = [];
  const callbacks: Record<string, unknown>[] = [];

  async function open(width: keyof typeof WIDTHS, openId: string): Promise<Page> {
    const context = await browser.newContext({ viewport: WIDTHS[width] });
    contexts.push(context);
    await context.addInitScript((id) => localStorage.setItem('playground.me', id), openId);
    const page = await context.newPage();
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }
  /** Opens an app from the sidebar (the drawer on a phone). */
  async function openApp(page: Page, view: 'approval' | 'bitable', phone = false): Promise<void> {
    if (phone) await page.click('#menu');
    await page.click(`#apps [data-view="${view}"]`);
    await page.waitForFunction((v) => document.body.dataset.view === v, view);
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `mirrors-${name}.png`) });
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  async function toastSays(page: Page, type: string, text: string): Promise<void> {
    await page.waitForFunction(
      ({ type, text }) => {
        const t = document.getElementById('toast');
        return !!t && !t.hidden && t.classList.contains(`toast-${type}`) && (t.textContent ?? '').includes(text);
      },
      { type, text },
      { timeout: 15_000 },
    );
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'playground-mirrors-'));
    bot = await startBotProcess({
      LARK_APP_ID: undefined,
      LARK_APP_SECRET: undefined,
      DATABASE_URL: undefined,
      ADMIN_IDS: undefined,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    const emulatorUrl = /in-process Lark emulator at (http:\/\/\S+)/.exec(bot.output())?.[1];
    expect(emulatorUrl).toBeDefined();
    // The app's credentials in local mode (src/config.ts), over the emulator's HTTP API.
    const store = new Map<string, unknown>();
    client = new Client({
      appId: 'cli_local',
      appSecret: 'local_secret',
      domain: emulatorUrl!,
      logger: quiet,
      cache: { set: async (key, value) => (store.set(String(key), value), true), get: async (key) => store.get(String(key)) },
    });

    // The app's end of the quick-approval callback: one task may be approved, the other refused.
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const body = JSON.parse(decrypt(KEY, (JSON.parse(raw) as { encrypt: string }).encrypt)) as Record<string, unknown>;
        callbacks.push(body);
        const refused = body.task_id === 'wh-2-district';
        res.writeHead(refused ? 403 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(refused ? { message: '没有权限审核这份申报（已转交市局）', without_prefix: 'true' } : { code: 0, msg: 'success' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lark/approval`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await bot?.kill('SIGTERM');
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('审批中心 lists the synced tasks live; 同意 reaches the app, 拒绝 asks a reason and shows the app’s refusal', async () => {
    const def = await client.approval.v4.externalApproval.create({
      data: {
        approval_name: '@i18n@approval_name',
        approval_code: 'smsb-review',
        group_code: 'smsb',
        group_name: '@i18n@group',
        external: { support_pc: true, support_mobile: true, action_callback_url: callbackUrl, action_callback_token: TOKEN, action_callback_key: KEY },
        viewers: [{ viewer_type: 'TENANT' }],
        i18n_resources: i18n({ '@i18n@approval_name': '技能大师工作室申报审核', '@i18n@group': '技能人才' }),
      },
    });
    const code = def.data!.approval_code;

    const page = await open(1280, REVIEWER);
    await openApp(page, 'approval');
    await page.waitForFunction((me) => document.getElementById('approval-view')?.dataset.me === me, REVIEWER);
    await expect.poll(() => page.locator('#approval-list').innerText()).toContain('没有待处理的审批');

    // Synced while the view is open: the page follows.
    await client.approval.v4.externalInstance.create({
      data: instance(code, 1, '威海精工机械有限公司', [task('wh-1-district', 'PENDING', 'district', SUBMITTED + 60_000)]),
    });
    await client.approval.v4.externalInstance.create({
      data: instance(code, 2, '荣成海洋装备股份有限公司', [
        task('wh-2-first', 'APPROVED', 'first', SUBMITTED + 120_000),
        task('wh-2-district', 'PENDING', 'district', SUBMITTED + 180_000),
      ]),
    });
    await page.waitForFunction(() => document.getElementById('approval-view')?.dataset.todo === '2', undefined, { timeout: 15_000 });
    const first = page.locator('.task[data-task-id="wh-1-district"]');
    const text = await first.innerText();
    expect(text).toContain('威海市技能大师工作室申报 · 威海精工机械有限公司');
    expect(text).toContain('待处理');
    expect(text).toContain('当前节点：区县审核');
    expect(text).toContain('申报单位');
    expect(text).toContain('数控加工');
    expect(text).not.toContain('不显示'); // only the first three form lines
    expect(text).toContain('提交于 2026/03/05 09:30');
    expect(await first.locator('a.task-link').getAttribute('href')).toBe('https://bot.example/review/wh-1-district');
    // Newest first.
    expect(await page.locator('.task').evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.taskId))).toEqual(['wh-2-district', 'wh-1-district']);
    await shot(page, 'approval-1280');

    await first.locator('button[data-action="APPROVE"]').click();
    await toastSays(page, 'success', '已同意');
    await waitFor('the approval callback', () => callbacks.find((c) => c.task_id === 'wh-1-district'));
    expect(callbacks.find((c) => c.task_id === 'wh-1-district')).toEqual({
      action_type: 'APPROVE',
      action_context: 'ctx-wh-1-district',
      user_id: stableHex(`user_id:${REVIEWER}`, 8),
      approval_code: code,
      instance_id: 'wh-1',
      task_id: 'wh-1-district',
      token: TOKEN,
    });

    const second = page.locator('.task[data-task-id="wh-2-district"]');
    await second.locator('button[data-action="REJECT"]').click();
    await second.locator('.task-reason input').waitFor();
    expect(await second.locator('.task-reason input').getAttribute('placeholder')).toContain('必填');
    await second.locator('.task-reason button', { hasText: '确认拒绝' }).click();
    await toastSays(page, 'warning', '请填写拒绝理由');
    expect(callbacks.some((c) => c.task_id === 'wh-2-district')).toBe(false);
    await second.locator('.task-reason input').fill('材料不全，请补充营业执照');
    await shot(page, 'approval-reason-1280');
    await second.locator('.task-reason button', { hasText: '确认拒绝' }).click();
    await toastSays(page, 'error', '没有权限审核这份申报（已转交市局）');
    expect(callbacks.find((c) => c.task_id === 'wh-2-district')).toMatchObject({ action_type: 'REJECT', reason: '材料不全，请补充营业执照', token: TOKEN });

    // 已办: the task the reviewer approved earlier.
    await page.click('#approval-tabs [data-tab="done"]');
    const done = page.locator('.task[data-task-id="wh-2-first"]');
    expect(await done.innerText()).toContain('已同意');
    expect(await page.locator('.task').count()).toBe(1); // not the DONE one
    expect(await done.locator('button').count()).toBe(0);
    await shot(page, 'approval-done-1280');

    const phone = await open(375, REVIEWER);
    await openApp(phone, 'approval', true);
    await phone.waitForFunction(() => document.getElementById('approval-view')?.dataset.todo === '2');
    expect(await noSideways(phone)).toBe(true);
    await shot(phone, 'approval-375');
  });

  it('多维表格 shows each table as a grid with dates in Beijing time, live', async () => {
    const table = await client.bitable.v1.appTable.create({
      path: { app_token: DEMO_BITABLE_APP },
      data: {
        table: {
          name: '2026 年申报',
          default_view_name: '全部申报',
          fields: [
            { field_name: '申报编号', type: 1 },
            { field_name: '申报单位', type: 1 },
            { field_name: '提交时间', type: 5, property: { date_formatter: 'yyyy/MM/dd HH:mm' } },
            { field_name: '得分', type: 2, property: { formatter: '0.0' } },
            { field_name: '状态', type: 3 },
          ],
        },
      },
    });
    const tableId = table.data!.table_id!;
    const created = await client.bitable.v1.appTableRecord.batchCreate({
      path: { app_token: DEMO_BITABLE_APP, table_id: tableId },
      data: {
        records: [
          { fields: { 申报编号: 'WH-2026-001', 申报单位: '威海精工机械有限公司', 提交时间: SUBMITTED, 得分: 91.5, 状态: '已推荐' } },
          { fields: { 申报编号: 'WH-2026-002', 申报单位: '荣成海洋装备股份有限公司', 提交时间: SUBMITTED + 86_400_000, 得分: 78, 状态: '区县审核中' } },
          { fields: { 申报编号: 'WH-2026-003', 申报单位: '文登区某某精密制造有限公司（名称较长的单位）', 状态: '草稿' } },
        ],
      },
    });
    expect(created.code).toBe(0);

    const page = await open(1280, REVIEWER);
    await openApp(page, 'bitable');
    await page.waitForFunction(() => document.getElementById('bitable-grid')?.dataset.rows === '3', undefined, { timeout: 15_000 });
    expect(await page.locator('#bitable-grid thead th').allInnerTexts()).toEqual(['', '申报编号', '申报单位', '提交时间', '得分', '状态']);
    const rows = await page
      .locator('#bitable-grid tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows).toEqual([
      ['1', 'WH-2026-001', '威海精工机械有限公司', '2026/03/05 09:30', '91.5', '已推荐'],
      ['2', 'WH-2026-002', '荣成海洋装备股份有限公司', '2026/03/06 09:30', '78', '区县审核中'],
      ['3', 'WH-2026-003', '文登区某某精密制造有限公司（名称较长的单位）', '', '', '草稿'],
    ]);
    expect(await page.locator('#bitable-table option').allInnerTexts()).toEqual(['2026 年申报']);
    expect(await page.locator('#bitable-count').innerText()).toContain('共 3 条记录');
    await shot(page, 'bitable-1280');

    // An update while the view is open shows without reloading.
    await client.bitable.v1.appTableRecord.batchUpdate({
      path: { app_token: DEMO_BITABLE_APP, table_id: tableId },
      data: { records: [{ record_id: created.data!.records![1]!.record_id!, fields: { 状态: '已推荐', 得分: 80.25 } }] },
    });
    await page.waitForFunction(() => document.querySelector('#bitable-grid tbody tr:nth-child(2) td:nth-child(6)')?.textContent === '已推荐', undefined, {
      timeout: 15_000,
    });
    expect(await page.locator('#bitable-grid tbody tr:nth-child(2) td:nth-child(5)').innerText()).toBe('80.25');

    // A second table: the switcher offers both.
    const other = await client.bitable.v1.appTable.create({
      path: { app_token: DEMO_BITABLE_APP },
      data: { table: { name: '年度评估', fields: [{ field_name: '工作室', type: 1 }] } },
    });
    await page.waitForFunction(() => document.querySelectorAll('#bitable-table option').length === 2, undefined, { timeout: 15_000 });
    await page.selectOption('#bitable-table', `${DEMO_BITABLE_APP}|${other.data!.table_id}`);
    await page.waitForFunction(() => document.getElementById('bitable-grid')?.dataset.rows === '0');
    expect(await page.locator('#bitable-grid thead th').allInnerTexts()).toEqual(['', '工作室']);
    await page.selectOption('#bitable-table', `${DEMO_BITABLE_APP}|${tableId}`);

    const phone = await open(375, REVIEWER);
    await openApp(phone, 'bitable', true);
    await phone.waitForFunction(() => document.getElementById('bitable-grid')?.dataset.rows === '3');
    // The grid scrolls inside its box; the page itself does not scroll sideways.
    expect(await noSideways(phone)).toBe(true);
    await shot(phone, 'bitable-375');
  });
});
