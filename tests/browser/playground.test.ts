/// <reference lib="dom" />
// The playground in a real browser (Debian's chromium driven by playwright-core), against the bot
// started as `npm start` would start it with no Lark credentials: a complete Weihai 2026 application
// typed and clicked as a person would, files sent from the composer, then the district reviewer
// approves it. Screenshots of the main cards go to test-results/playground/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { CHROMIUM, chromiumArgs } from '../helpers/browser.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { KNOWN_COMPONENTS } from '../helpers/card-lint.js';
import { type ApplicationFixture, validApplication } from '../helpers/fixtures.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const weihai = shippedCampaign('weihai-2026');
const SHOTS = resolve(PROJECT_ROOT, 'test-results', 'playground');

describe('the playground in a browser', () => {
  let bot: BotProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const fx: ApplicationFixture = validApplication(weihai);

  const lastCard = () => page.locator('.msg.from-bot .card').last();
  /** No card on screen fell back to the "unsupported component" placeholder. */
  const expectAllRendered = async () => expect(await page.locator('.unsupported').allInnerTexts()).toEqual([]);
  const shot = async (name: string) => {
    await expectAllRendered();
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
  };
  /** Clicks and waits for the bot's answer to land (the card replaced, or a new message). */
  async function act(target: Locator): Promise<void> {
    await target.click();
    await page.waitForFunction(() => document.body.dataset.busy === 'false', undefined, { timeout: 15_000 });
  }
  /** Switches who is using the page and waits until that person's conversation is on screen. */
  async function actAs(openId: string): Promise<void> {
    await page.selectOption('#who', openId);
    await page.waitForFunction((id) => document.querySelector('#messages')?.getAttribute('data-me') === id, openId, { timeout: 15_000 });
    // Opening the bot chat the first time brings the welcome card (before anything typed is answered).
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('.msg.from-bot .card-title')).some((t) => t.textContent?.includes('欢迎使用')),
      undefined,
      { timeout: 15_000 },
    );
  }
  async function sendText(text: string): Promise<void> {
    const count = Number((await page.locator('#messages').getAttribute('data-count')) ?? 0);
    await page.fill('#text', text);
    await page.click('#send');
    await page.waitForFunction((n) => Number(document.querySelector('#messages')?.getAttribute('data-count')) >= n + 2, count, { timeout: 15_000 });
  }
  /** The index of the first button on the card the predicate accepts (its callback value, name's role and text; a submit button's name is role.value). */
  async function button(card: Locator, pred: (v: Record<string, unknown>, name: string | null, text: string) => boolean): Promise<number> {
    const all = await card.locator('button').evaluateAll((bs) =>
      bs.map((b) => ({
        v: JSON.parse(b.getAttribute('data-value') ?? '{}') as Record<string, unknown>,
        n: b.getAttribute('data-button-name')?.split('.')[0] ?? null,
        t: b.textContent ?? '',
      })),
    );
    return all.findIndex((b) => pred(b.v, b.n, b.t));
  }
  async function clickButton(pred: (v: Record<string, unknown>, name: string | null, text: string) => boolean, card: Locator = lastCard()): Promise<void> {
    const i = await button(card, pred);
    if (i < 0)
      throw new Error(
        `no such button on the card:\n${await card.innerText()}\n${(await card.locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-value')))).join('\n')}`,
      );
    await act(card.locator('button').nth(i));
  }

  /** Types the fixture's values into the fields the card on screen shows. */
  async function fill(card: Locator, values: Record<string, string | string[]>): Promise<void> {
    for (const wrapper of await card.locator('[data-name]').all()) {
      const name = (await wrapper.getAttribute('data-name'))!;
      const value = values[name];
      if (value === undefined) continue;
      const kind = await wrapper.evaluate((el) => (el.classList.contains('dropdown') ? 'dropdown' : el.classList.contains('picker') ? 'picker' : ''));
      if (kind === 'dropdown') {
        // As a person does: open the list, tick, close it.
        await wrapper.locator('.dd-control').click();
        for (const v of [value].flat()) await wrapper.locator(`input[value="${v}"]`).check();
        if (await wrapper.locator('.dd-menu').isVisible()) await wrapper.locator('.dd-control').click();
      } else if (kind === 'picker') {
        await pickDate(wrapper, String(value));
      } else if ((await wrapper.locator('select').count()) > 0) {
        await wrapper.locator('select').selectOption(String(value));
      } else if ((await wrapper.locator('input[type="checkbox"]').count()) > 0) {
        if (value === '是') await wrapper.locator('input[type="checkbox"]').check();
      } else {
        await wrapper.locator('input, textarea').first().fill(String(value));
      }
    }
  }

  /** Picks a date (YYYY-MM-DD) in the card's Chinese date picker: 年, 月, then the day. */
  async function pickDate(wrapper: Locator, iso: string): Promise<void> {
    const [y, m] = iso.split('-').map(Number);
    await wrapper.locator('.picker-control').click();
    await wrapper.locator('.picker-year').selectOption(String(y));
    await wrapper.locator('.picker-month').selectOption(String(m));
    await wrapper.locator(`.picker-day[data-date="${iso}"]`).click();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'playground-'));
    // As `npm start` on a fresh clone: no Lark credentials, no database URL.
    bot = await startBotProcess({
      LARK_APP_ID: undefined,
      LARK_APP_SECRET: undefined,
      DATABASE_URL: undefined,
      ADMIN_IDS: undefined,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    expect(bot.output()).toContain('Open the playground:');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${bot.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await bot?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an applicant goes through a whole Weihai application by typing and clicking', async () => {
    await actAs('ou_demo_applicant');
    await sendText('申报');
    await shot('01-programmes');
    await clickButton((v) => v.a === 'j.intro' && v.c === 'weihai-2026');
    await shot('02-introduction');
    await clickButton((v) => v.a === 'j.start');

    for (let guard = 0; guard < 40; guard++) {
      const card = lastCard();
      if ((await button(card, (v, n) => v.a === 'j.save' && n === 'next')) < 0) break;
      // Repeating groups first: each row through its own small form.
      // A step's 管理 buttons submit its form (j.save with the group), saving what was typed first.
      const groups = await card
        .locator('button[data-action="j.save"]')
        .evaluateAll((bs) => [...new Set(bs.map((b) => JSON.parse(b.getAttribute('data-value')!).g as string | undefined).filter((g): g is string => !!g))]);
      for (const g of groups) {
        await clickButton((v) => v.a === 'j.save' && v.g === g);
        for (const row of fx.rows[g] ?? []) {
          await clickButton((v) => v.a === 'j.row' && v.r === undefined);
          await fill(lastCard(), row);
          await clickButton((v) => v.a === 'j.rowSave');
        }
        await clickButton((v) => v.a === 'j.step');
      }
      if (guard === 0) await shot('03-first-step');
      await fill(lastCard(), fx.answers);
      await clickButton((v, n) => v.a === 'j.save' && n === 'next');
      // Questions revealed by an answer come back on the same step.
      if ((await lastCard().innerText()).includes('还有需要填写的内容') || (await page.locator('#toast').innerText()).includes('还有需要填写的内容')) {
        await fill(lastCard(), fx.answers);
        await clickButton((v, n) => v.a === 'j.save' && n === 'next');
      }
      expect(await page.locator('#toast').getAttribute('class'), await lastCard().innerText()).not.toContain('toast-error');
    }
    expect(await lastCard().innerText()).toContain('已完成 6/8 步');

    // Attachments: sent as files from the composer, then put into their slots.
    for (const f of fx.files) {
      const before = Number(await page.locator('#messages').getAttribute('data-count'));
      await page.setInputFiles('#file', { name: f.name, mimeType: f.kind === 'pdf' ? 'application/pdf' : 'image/png', buffer: f.bytes });
      await page.waitForFunction((n) => Number(document.querySelector('#messages')?.getAttribute('data-count')) >= n + 2, before, { timeout: 15_000 });
      await clickButton((v) => v.a === 'j.assign' && v.slot === f.slot);
    }
    await shot('04-attachments');
    await clickButton((v) => v.a === 'j.review');
    await shot('05-summary');
    for (const box of await lastCard().locator('.checker input').all()) await box.check();
    await clickButton((v) => v.a === 'j.submit');
    const done = await lastCard().innerText();
    expect(done).toContain('申报已提交');
    expect(done).toMatch(/WHD2026-0001|[A-Z]{2,4}2026-0001/);
    await shot('06-submitted');
  });

  it('the district reviewer approves it from the 待审核 card', async () => {
    await actAs('ou_demo_reviewer');
    await page.waitForFunction(() => document.querySelector('.chat-title')?.textContent === '技能大师工作室助手');
    // The reviewer's task card is sent through the outbox: it may arrive a moment after the switch.
    // (It came before the reviewer opened the chat, so it sits above the welcome card.)
    const tasks = page.locator('.msg.from-bot .card').filter({ has: page.locator('.card-title', { hasText: '待审核' }) });
    await expect.poll(async () => tasks.count(), { timeout: 15_000 }).toBe(1);
    // The same message after the decision replaces it.
    const id = await tasks.evaluate((el) => (el.closest('.msg') as HTMLElement).dataset.messageId);
    const task = page.locator(`.msg[data-message-id="${id}"] .card`);
    await task.scrollIntoViewIfNeeded();
    await shot('07-review-task');
    await clickButton((v, n) => v.a === 'r.decide' && n === 'approve', task);
    await expect.poll(async () => task.innerText(), { timeout: 15_000 }).toMatch(/已推荐|已通过|推荐/);
    await shot('08-approved');
  });

  it('an administrator’s cards render too: help, statistics with charts, export, broadcast, programmes, roles, evaluation, 待办', async () => {
    await actAs('ou_demo_admin');
    await page.waitForFunction(() => document.querySelector('.chat-title')?.textContent === '技能大师工作室助手');
    for (const [command, expected] of [
      ['帮助', '管理'],
      ['统计', '申报统计'],
      ['导出', '导出'],
      ['通知', '发布通知'],
      ['项目', '项目管理'],
      ['角色', '角色管理'],
      ['评估', '绩效评估'],
      ['待办', ''],
    ] as const) {
      await sendText(command);
      expect(await lastCard().innerText()).toContain(expected);
      await expectAllRendered();
    }
    // An export arrives as a file message shown by its name (Lark's file content carries only the key).
    await sendText('导出');
    await fill(lastCard(), { campaign: 'weihai-2026', what: 'summary' });
    await clickButton((v) => v.a === 'x.run');
    const fileBubbles = async () => (await page.locator('.bubble.file').allInnerTexts()).join('\n');
    await expect.poll(fileBubbles, { timeout: 30_000 }).toMatch(/一览表.*\.xlsx/);
    expect(await fileBubbles()).not.toContain('file_v3');
    await sendText('统计');
    await clickButton((v) => v.a === 'st.show' && v.c === 'weihai-2026');
    expect(await lastCard().locator('.chart svg').count()).toBe(4);
    expect(await lastCard().locator('.chart rect').count()).toBeGreaterThan(0);
    await shot('09-statistics');
    await sendText('项目');
    await clickButton((v) => v.a === 'p.show' && v.c === 'weihai-2026');
    await shot('10-programme');
  });

  it('every component the cards may use has a renderer (no "unsupported" placeholder)', async () => {
    const plain = (content: string) => ({ tag: 'plain_text', content });
    const samples: Record<(typeof KNOWN_COMPONENTS)[number], object> = {
      markdown: {
        tag: 'markdown',
        content:
          "**粗体** *斜体* ~~删除~~ `代码` [链接](https://example.com) <font color='red'>红字</font> <at id=all></at>\n- 列表\n1. 编号\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |",
      },
      hr: { tag: 'hr' },
      div: { tag: 'div', text: plain('文本') },
      column_set: { tag: 'column_set', columns: [{ tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '左' }] }] },
      column: { tag: 'column', elements: [{ tag: 'markdown', content: '列' }] },
      button: { tag: 'button', text: plain('按钮'), type: 'primary', behaviors: [{ type: 'callback', value: { a: 'x' } }] },
      form: {
        tag: 'form',
        name: 'f',
        elements: [
          { tag: 'input', name: 'a', placeholder: plain('单行') },
          { tag: 'input', name: 'b', rows: 4, input_type: 'multiline_text', placeholder: plain('多行') },
          { tag: 'select_static', name: 'c', options: [{ text: plain('一'), value: '1' }] },
          { tag: 'multi_select_static', name: 'd', options: [{ text: plain('一'), value: '1' }], selected_values: ['1'] },
          { tag: 'date_picker', name: 'e' },
          { tag: 'picker_datetime', name: 'f2' },
          { tag: 'checker', name: 'g', text: plain('同意') },
          { tag: 'button', text: plain('提交'), name: 'submit', form_action_type: 'submit', behaviors: [{ type: 'callback', value: { a: 'x' } }] },
        ],
      },
      input: { tag: 'input', name: 'i', placeholder: plain('输入') },
      select_static: { tag: 'select_static', name: 's', options: [{ text: plain('一'), value: '1' }] },
      multi_select_static: { tag: 'multi_select_static', name: 'm', options: [{ text: plain('一'), value: '1' }] },
      date_picker: { tag: 'date_picker', name: 'dp' },
      picker_datetime: { tag: 'picker_datetime', name: 'pd' },
      checker: { tag: 'checker', name: 'ck', text: plain('勾选') },
      collapsible_panel: { tag: 'collapsible_panel', header: { title: plain('展开') }, elements: [{ tag: 'markdown', content: '内容' }] },
      table: { tag: 'table', columns: [{ name: 'a', display_name: '甲', data_type: 'text' }], rows: [{ a: '1' }] },
      img: { tag: 'img', img_key: 'img_v3_x', alt: plain('图') },
      chart: { tag: 'chart', chart_spec: { type: 'bar', data: { values: [{ label: '甲', count: 1 }] }, xField: 'label', yField: 'count' } },
    };
    const card = {
      schema: '2.0',
      config: { update_multi: true },
      header: { title: plain('全部组件'), template: 'blue', text_tag_list: [{ tag: 'text_tag', text: plain('标签'), color: 'green' }] },
      body: { elements: Object.values(samples) },
    };
    // A string, so the test runner's module transform leaves the page's own import() alone.
    const placeholders = (await page.evaluate(`(async () => {
      const { renderCard } = await import('/playground/cards.js');
      const el = renderCard(${JSON.stringify(card)}, { onAction: () => undefined, fileUrl: (k) => '/playground/api/files/' + k });
      return [...el.querySelectorAll('.unsupported')].map((x) => x.textContent);
    })()`)) as string[];
    expect(placeholders).toEqual([]);
    expect(Object.keys(samples).sort()).toEqual([...KNOWN_COMPONENTS].sort());
  });

  it('numbers an ordered list as written, even when other lines break it', async () => {
    const card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: '编号' } },
      body: { elements: [{ tag: 'markdown', content: '1. 甲\n　　说明\n2. 乙\n3. 丙' }] },
    };
    const numbers = (await page.evaluate(`(async () => {
      const { renderCard } = await import('/playground/cards.js');
      const el = renderCard(${JSON.stringify(card)}, { onAction: () => undefined, fileUrl: (k) => k });
      document.body.append(el);
      const items = [...el.querySelectorAll('ol > li')].map((li) => li.value);
      el.remove();
      return items;
    })()`)) as number[];
    expect(numbers).toEqual([1, 2, 3]);
  });
});
