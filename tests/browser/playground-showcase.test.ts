/// <reference lib="dom" />
// The playground as a showcase, seen at a desktop's width and at a phone's (375 px, as most people
// use Feishu), in a browser that speaks English (chromium --lang=en-US, locale en-US), against the
// bot started as `npm start` starts it with no Lark credentials: the welcome card when the bot chat
// is first opened, the broadcast composer's groups, the Chinese date-time picker, the demo clock,
// and every card the bot can send without anything spilling sideways. Screenshots go to
// test-artifacts/playground/.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { BUILDERS, everyCard } from '../helpers/all-cards.js';
import { CHROMIUM, chromiumArgs } from '../helpers/browser.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const SHOTS = resolve(PROJECT_ROOT, 'test-artifacts', 'playground');
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } } as const;
type Width = keyof typeof WIDTHS;

describe('the playground at desktop and phone width, in an English-speaking browser', () => {
  let bot: BotProcess;
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];

  /** A page at that width, as `openId` (remembered as the page's own choice would be). */
  async function open(width: Width, openId?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: WIDTHS[width], locale: 'en-US' });
    contexts.push(context);
    if (openId) await context.addInitScript((id) => localStorage.setItem('playground.me', id), openId);
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const cards = (page: Page) => page.locator('.msg.from-bot .card');
  const welcomes = (page: Page) => cards(page).filter({ has: page.locator('.card-title', { hasText: '欢迎使用技能大师工作室助手' }) });
  async function waitForWelcome(page: Page): Promise<void> {
    await expect.poll(() => welcomes(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
  }
  /** Sends a text and waits for the bot's answer; returns the answering card. */
  async function say(page: Page, text: string): Promise<Locator> {
    const count = Number((await page.locator('#messages').getAttribute('data-count')) ?? 0);
    await page.fill('#text', text);
    await page.click('#send');
    await page.waitForFunction((n) => Number(document.querySelector('#messages')?.getAttribute('data-count')) >= n + 2, count, { timeout: 15_000 });
    return cards(page).last();
  }

  beforeAll(async () => {
    mkdirSync(join(SHOTS, 'cards'), { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'playground-showcase-'));
    bot = await startBotProcess({
      LARK_APP_ID: undefined,
      LARK_APP_SECRET: undefined,
      DATABASE_URL: undefined,
      ADMIN_IDS: undefined,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...chromiumArgs, '--lang=en-US'],
      env: { ...process.env, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US' },
    });
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await bot?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a person opening the bot chat for the first time gets the welcome card, once', async () => {
    for (const [width, name] of [
      ['desktop', '王芳'],
      ['phone', '赵雷'],
    ] as const) {
      const page = await open(width);
      if (width === 'phone') await page.click('#menu'); // the chat list and 添加用户 are in the drawer
      await page.fill('#new-name', name);
      await page.click('#add-user button');
      await page.waitForFunction((n) => document.querySelector<HTMLSelectElement>('#who')?.selectedOptions[0]?.textContent === n, name);
      expect(await page.locator('.chat-title').innerText()).toBe('技能大师工作室助手');
      await waitForWelcome(page);
      expect(await welcomes(page).innerText()).toContain('您好！我是技能大师工作室助手');
      await shot(page, `welcome-${width}`);
      // Opening the chat again (a reload) does not greet again: what is typed next is answered,
      // and the one welcome is still the only one.
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await say(page, '帮助');
      expect(await cards(page).last().locator('.card-title').innerText()).toContain('帮助');
      expect(await welcomes(page).count()).toBe(1);
    }
  });

  it('the broadcast composer shows whole group names, several to a row, wrapping on a phone', async () => {
    for (const width of ['desktop', 'phone'] as const) {
      const page = await open(width, 'ou_demo_admin');
      await waitForWelcome(page);
      const composer = await say(page, '通知');
      expect(await composer.locator('.card-title').innerText()).toContain('发布通知');
      const groups = composer.locator('[data-name="chats"]');
      await groups.locator('.dd-control').click();
      const options = groups.locator('.dd-option');
      expect(await options.allInnerTexts()).toEqual(['市人社局技能人才工作群', '企业人事联络群', '技能大师工作室交流群']);
      const layout = await groups.evaluate((el) => {
        const card = el.closest('.card')!.getBoundingClientRect();
        return Array.from(el.querySelectorAll('.dd-option')).map((o) => {
          const t = o.querySelector('.dd-option-text')!;
          const r = o.getBoundingClientRect();
          return {
            top: Math.round(r.top),
            left: r.left,
            right: r.right,
            inCard: r.left >= card.left && r.right <= card.right,
            lines: Math.round(t.getBoundingClientRect().height / parseFloat(window.getComputedStyle(t).lineHeight)),
            clipped: t.scrollWidth > t.clientWidth,
          };
        });
      });
      // Every name on one line, whole, inside the card.
      for (const o of layout) expect(o, JSON.stringify(layout)).toMatchObject({ lines: 1, clipped: false, inCard: true });
      // Several to a row where they fit; at 375 px the row wraps.
      const rows = new Set(layout.map((o) => o.top)).size;
      expect(rows, JSON.stringify(layout)).toBeLessThan(layout.length);
      if (width === 'phone') expect(rows).toBeGreaterThan(1);
      await groups.locator('input[value="oc_demo_bureau"]').check();
      await groups.locator('input[value="oc_demo_masters"]').check();
      expect(await groups.locator('.dd-control .dd-chip').allInnerTexts()).toEqual(['市人社局技能人才工作群', '技能大师工作室交流群']);
      await groups.scrollIntoViewIfNeeded();
      await shot(page, `composer-groups-${width}`);
    }
  });

  it('the date-time picker speaks Chinese in an English browser, and the bot gets the time picked', async () => {
    const year = new Date().getUTCFullYear() + 1;
    for (const width of ['desktop', 'phone'] as const) {
      const page = await open(width, 'ou_demo_admin');
      expect(await page.evaluate(() => navigator.language)).toBe('en-US');
      await waitForWelcome(page);
      const composer = await say(page, '通知');
      const picker = composer.locator('[data-name="sendAt"]');
      expect(await picker.locator('.picker-control').innerText()).toContain('定时发送');
      await picker.locator('.picker-control').click();
      // No native control (they follow the browser's language): the card's own, in Chinese.
      expect(await page.locator('input[type="date"], input[type="datetime-local"], input[type="time"]').count()).toBe(0);
      expect(await picker.locator('.picker-weekday').allInnerTexts()).toEqual(['一', '二', '三', '四', '五', '六', '日']);
      await picker.locator('.picker-year').selectOption(String(year));
      await picker.locator('.picker-month').selectOption('12');
      expect(await picker.locator('.picker-year option:checked').innerText()).toBe(`${year}年`);
      expect(await picker.locator('.picker-month option:checked').innerText()).toBe('12月');
      await picker.locator(`.picker-day[data-date="${year}-12-05"]`).click();
      await picker.locator('.picker-hour').selectOption('14');
      await picker.locator('.picker-minute').selectOption('30');
      await picker.scrollIntoViewIfNeeded();
      await shot(page, `datetime-picker-${width}`);
      await picker.locator('.picker-ok').click();
      expect(await picker.locator('.picker-panel').isVisible()).toBe(false);
      expect(await picker.locator('.picker-text').innerText()).toBe(`${year}年12月5日 14:30`);
      // What the bot receives is the time picked: the preview says when it will go.
      await composer.locator('[data-name="title"] input').fill('关于申报的通知');
      await composer.locator('[data-name="body"] textarea').fill('请各单位按时申报。');
      await composer.locator('button[data-button-name^="preview"]').click();
      await page.waitForFunction(() => document.body.dataset.busy === 'false');
      await expect.poll(async () => cards(page).last().innerText(), { timeout: 15_000 }).toContain(`定时 ${year}年12月5日 14:30`);
    }
  });

  it('the demo clock moves the bot’s time forward and back (local mode)', async () => {
    for (const width of ['desktop', 'phone'] as const) {
      const page = await open(width, 'ou_demo_admin');
      if (width === 'phone') {
        // On a phone the chat fills the screen; the chat list and the clock are in the drawer.
        expect(await page.locator('#clock').isVisible()).toBe(false);
        await page.click('#menu');
      }
      const clock = page.locator('#clock');
      await expect.poll(() => clock.isVisible()).toBe(true);
      expect(await clock.locator('[data-move="notice"]').isDisabled()).toBe(true);
      expect(await clock.locator('[data-move="notice"]').getAttribute('title')).toBe('没有公示中的名单');
      const before = Date.parse((await page.locator('#clock-now').getAttribute('data-now'))!);
      await clock.locator('[data-move="day"]').click();
      await page.waitForFunction(() => document.body.dataset.busy === 'false');
      const after = Date.parse((await page.locator('#clock-now').getAttribute('data-now'))!);
      expect(after - before).toBeGreaterThanOrEqual(86_400_000);
      expect(after - before).toBeLessThan(86_400_000 + 60_000);
      expect(await page.locator('#clock-now').innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 星期[一二三四五六日] \d{2}:\d{2}$/);
      expect(await page.locator('#toast').innerText()).toContain('已快进一天');
      await shot(page, `demo-clock-${width}`);
      if (width === 'phone') await page.click('#scrim', { position: { x: 360, y: 300 } });
      expect(await page.locator('#clock-badge').innerText()).toContain('演示时间');
      if (width === 'phone') await page.click('#menu');
      await clock.locator('[data-move="reset"]').click();
      await page.waitForFunction(() => document.body.dataset.busy === 'false');
      expect(Math.abs(Date.parse((await page.locator('#clock-now').getAttribute('data-now'))!) - Date.now())).toBeLessThan(60_000);
      expect(await page.locator('#clock-badge').isVisible()).toBe(false);
    }
  });

  it('lists every card builder there is', async () => {
    const exported = new Set<string>();
    for (const dir of ['cards', 'cards/journey']) {
      for (const f of readdirSync(join(PROJECT_ROOT, dir)).filter((n) => n.endsWith('.ts'))) {
        const mod = (await import(join(PROJECT_ROOT, dir, f))) as Record<string, unknown>;
        for (const [name, v] of Object.entries(mod)) if (typeof v === 'function' && name.endsWith('Card')) exported.add(name);
      }
    }
    expect([...new Set(BUILDERS)].sort()).toEqual([...exported].sort());
  });

  it.each(['phone', 'desktop'] as const)('every card the bot can send fits the chat at %s width', async (width) => {
    const all = everyCard();
    expect(all.length).toBeGreaterThan(100);
    const page = await open(width, 'ou_demo_applicant');
    await waitForWelcome(page);
    // Each card as a message from the bot, one at a time, in a chat of its own on the page.
    await page.evaluate(
      `(async () => {
        const { renderCard } = await import('/playground/cards.js');
        // Where the chat's messages are, but growing with its card (so a tall card is pictured whole).
        const box = document.querySelector('#messages').getBoundingClientRect();
        const gallery = document.createElement('section');
        gallery.className = 'messages';
        gallery.id = 'gallery';
        gallery.style.cssText = 'position:absolute;z-index:30;top:0;left:' + box.left + 'px;width:' + box.width + 'px;overflow:visible;background:#f5f6f7';
        document.body.style.height = 'auto';
        document.body.append(gallery);
        window.showCard = (name, card) => {
          const row = document.createElement('div');
          row.className = 'msg from-bot';
          const from = document.createElement('div');
          from.className = 'msg-from';
          from.textContent = '技能大师工作室助手';
          row.append(from, renderCard(card, { onAction: () => undefined, fileUrl: (k) => '/playground/api/files/' + k }));
          gallery.replaceChildren(row);
          const problems = [];
          const c = row.querySelector('.card');
          if (c.scrollWidth > c.clientWidth) problems.push(name + ': the card is ' + c.scrollWidth + ' px wide inside ' + c.clientWidth + ' px');
          if (row.getBoundingClientRect().right > gallery.getBoundingClientRect().right + 0.5) problems.push(name + ': the message reaches past the chat');
          for (const u of row.querySelectorAll('.unsupported')) problems.push(name + ': ' + u.textContent);
          // A chart draws inside its frame (the legend's last items too), with its value axis numbered.
          for (const svg of row.querySelectorAll('svg.chart-svg')) {
            const frame = svg.viewBox.baseVal;
            for (const el of svg.querySelectorAll('text, rect')) {
              const b = el.getBBox();
              if (b.x + b.width > frame.width + 1 || b.y + b.height > frame.height + 1) problems.push(name + ': the chart draws “' + (el.textContent || el.tagName) + '” outside its frame');
            }
            if (svg.closest('.chart').dataset.chart === 'bar' && !svg.querySelector('.chart-value-tick')) problems.push(name + ': a bar chart without value-axis numbers');
          }
          if (document.documentElement.scrollWidth > window.innerWidth) problems.push(name + ': the page scrolls sideways');
          return problems;
        };
      })()`,
    );
    const dir = join(SHOTS, 'cards', width);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const problems: string[] = [];
    for (const [i, [name, card]] of all.entries()) {
      problems.push(
        ...((await page.evaluate(([n, c]) => (window as unknown as { showCard: (n: string, c: unknown) => string[] }).showCard(n, c), [
          name,
          card,
        ] as const)) as string[]),
      );
      const file = `${String(i + 1).padStart(3, '0')}-${name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}.png`;
      await page.locator('#gallery .msg').screenshot({ path: join(dir, file) });
    }
    expect(problems).toEqual([]);
  });

  it('the 统计 overview chart shows every state in its legend (已撤回 too) and a numbered value axis', async () => {
    const overview = everyCard().find(([name]) => name === 'overviewStatsCard')![1];
    const page = await open('phone', 'ou_demo_applicant');
    await waitForWelcome(page);
    const seen = (await page.evaluate(
      `(async (card) => {
        const { renderCard } = await import('/playground/cards.js');
        const el = renderCard(card, { onAction: () => undefined, fileUrl: (k) => k });
        document.querySelector('#messages').append(el);
        const svg = el.querySelector('svg.chart-svg');
        return {
          legend: [...svg.querySelectorAll('.chart-legend-item text')].map((t) => t.textContent),
          ticks: [...svg.querySelectorAll('.chart-value-tick')].map((t) => Number(t.textContent)),
        };
      })(${JSON.stringify(overview)})`,
    )) as { legend: string[]; ticks: number[] };
    expect(seen.legend).toEqual(['填写中', '审核中', '公示中', '退回修改', '已认定', '未通过', '已撤回']);
    expect(seen.ticks[0]).toBe(0);
    expect(seen.ticks.length).toBeGreaterThanOrEqual(3);
    expect(seen.ticks.every((t) => Number.isInteger(t))).toBe(true);
    await page
      .locator('#messages .card')
      .last()
      .screenshot({ path: join(SHOTS, 'stats-overview-phone.png') });
  });
});
