// Local mode's demo clock (快进): moving it lets a visitor see in minutes what takes working days —
// a 公示 ends and 发文公布 goes through; an evaluation's deadline passes and its consequences follow.
// The clock is the bot's own (`now`), and every move runs the scheduler's work at the new time. It
// exists only in local mode: with Lark credentials there is no such route.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineInstant } from '../../src/campaigns/schedule.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { createDemoTime, DemoClock, type DemoTime } from '../../src/playground/clock.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const title = (c: CardJson) => String(c.header?.title?.content ?? '');

function demoHarness(start: string): Promise<{ h: Harness; clock: DemoClock; time: DemoTime }> {
  // The real clock stands still at `start` in these tests; the offset is the demo's.
  const clock = new DemoClock(() => new Date(start).getTime());
  return startHarness({ now: clock.now, env: { ADMIN_IDS: 'ou_admin' } }).then((h) => ({
    h,
    clock,
    time: createDemoTime({ clock, db: h.db, campaigns: () => h.app.services.catalog.campaigns, runScheduled: h.app.services.runScheduled }),
  }));
}

describe('the demo clock: 公示 → 快进到公示结束 → 发文公布', () => {
  let h: Harness;
  let clock: DemoClock;
  let time: DemoTime;
  const appId = randomUUID();
  beforeAll(async () => {
    // Monday 15 July 2024, Weihai 2024's programme running.
    ({ h, clock, time } = await demoHarness('2024-07-15T10:00:00+08:00'));
    await h.db.client.application.create({
      data: {
        id: appId,
        campaignId: 'weihai-2024',
        applicantId: 'ou_unit',
        status: 'submitted',
        stage: 'publicity',
        number: 'WH2024-0001',
        region: '环翠区',
        answers: JSON.stringify({ unitName: '威海某机械有限公司', studioName: '王强数控技能大师工作室' }),
      },
    });
  });
  afterAll(async () => h?.close());

  it('a 公示 started today cannot be published; after 快进到公示结束 it can, and the unit is told', async () => {
    const admin = new Applicant(h, 'ou_admin');
    expect((await time.state()).moves.notice).toEqual({ ok: false, hint: '没有公示中的名单' });
    await admin.clickRaw({ value: { a: 'notice.start', c: 'weihai-2024', s: 'publicity' } });
    expect(admin.lastToast).toEqual({ type: 'success', content: '公示已开始' });
    expect(textOf(admin.card!)).toContain('2024年7月15日至2024年7月19日');
    const notice = await h.db.client.publicNotice.findFirstOrThrow();

    await admin.clickRaw({ value: { a: 'notice.publish', n: notice.id } });
    expect(admin.lastToast).toEqual({ type: 'error', content: '公示期到2024年7月19日结束，结束后才能发文公布' });

    const state = await time.state();
    expect(state.moves.notice).toEqual({ ok: true, hint: '2024年度威海市技能大师工作室申报的公示期（至7月19日）结束后（2024年7月20日 09:00）' });
    const moved = await time.move('notice');
    expect(moved.ok).toBe(true);
    expect(moved.text).toBe('已快进到2024年度威海市技能大师工作室申报的公示期（至7月19日）结束之后：2024年7月20日 星期六 09:00。');
    expect(clock.now().toISOString()).toBe('2024-07-20T01:00:00.000Z');
    expect(moved.state.shifted).toBe(true);
    // The administrator's 待办 sees it at the new time too.
    expect(textOf(await admin.say('待办'))).toContain('公示期已满，待发文公布');

    await admin.clickRaw({ value: { a: 'notice.publish', n: notice.id } });
    expect(admin.lastToast).toEqual({ type: 'success', content: '已发文公布' });
    await settle(h.db);
    expect((await h.db.client.application.findUniqueOrThrow({ where: { id: appId } })).status).toBe('designated');
    expect(await h.db.client.studio.count({ where: { applicationId: appId } })).toBe(1);
    const told = await new Applicant(h, 'ou_unit').received((c) => title(c).includes('恭喜'));
    expect(textOf(told)).toContain('王强数控技能大师工作室');

    // 回到现在: the bot's clock is the real one again.
    await time.move('reset');
    expect(clock.now().toISOString()).toBe('2024-07-15T02:00:00.000Z');
  });
});

describe('the demo clock: an evaluation whose deadline passes', () => {
  let h: Harness;
  let clock: DemoClock;
  let time: DemoTime;
  const csv =
    '工作室名称,所在单位,领衔人,职业（工种）,命名年度,项目,地区,联系人open_id\n赵刚钳工技能大师工作室,镇江某重工有限公司,赵刚,钳工,2015,镇江,京口区,ou_z1\n';
  beforeAll(async () => {
    ({ h, clock, time } = await demoHarness('2023-05-10T10:00:00+08:00'));
  });
  afterAll(async () => h?.close());

  it('快进到截止后 makes a studio that stayed away 不合格 at publication (Zhenjiang), with its consequences', async () => {
    const admin = new Applicant(h, 'ou_admin');
    expect(textOf(await admin.sendFile('镇江工作室.csv', Buffer.from(csv)))).toContain('已导入 **1** 个工作室');
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === 'zhenjiang-2023-evaluation');
    expect(admin.lastToast?.content).toBe('已通知 1 个工作室');
    const studio = () => h.db.client.studio.findFirstOrThrow();
    expect((await studio()).status).toBe('active');

    // Past the evaluation's deadline, one 快进 at a time (an earlier deadline may come first).
    const deadline = deadlineInstant(h.app.services.catalog.campaigns.find((c) => c.id === 'zhenjiang-2023-evaluation')!)!;
    for (let i = 0; clock.now() <= deadline; i++) {
      expect(i, 'too many 快进 to pass the deadline').toBeLessThan(5);
      const moved = await time.move('deadline');
      expect(moved.ok).toBe(true);
      expect(moved.text).toMatch(/^已快进到「.+」.*截止之后：\d{4}年\d{1,2}月\d{1,2}日 星期. \d{2}:\d{2}。$/);
    }

    await admin.clickRaw({ value: { a: 'publish.stage', c: 'zhenjiang-2023-evaluation', s: 'publish' } });
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
    expect((await studio()).status).toBe('rectifying');
    const events = await h.db.client.studioEvent.findMany({ orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(['grade', 'rectification']);
    // Dated at the demo's time, not the real one.
    expect(events[0]!.effectiveOn > '2023-05-29').toBe(true);
    const told = await new Applicant(h, 'ou_z1').received((c) => title(c) === '评估结果：不合格');
    expect(textOf(told)).toContain('按通知直接定为不合格');
  });
});

describe('the demo clock exists only in local mode', () => {
  let emulator: LarkEmulator;
  const dirs: string[] = [];
  const bots: BotProcess[] = [];
  const start = async (env: Record<string, string | undefined>) => {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-demo-clock-'));
    dirs.push(dir);
    const bot = await startBotProcess({ DATA_DIR: dir, DATABASE_URL: undefined, ADMIN_IDS: undefined, LOG_LEVEL: 'warn', ...env });
    bots.push(bot);
    return bot;
  };
  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: 'cli_demo_clock_test', appSecret: 'secret' }] });
  });
  afterAll(async () => {
    for (const b of bots) await b.kill('SIGTERM');
    await emulator?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('local mode (no LARK_APP_ID) has it; with Lark credentials it is not there', async () => {
    const local = await start({ LARK_APP_ID: undefined, LARK_APP_SECRET: undefined });
    const shown = await fetch(`${local.url}/playground/api/clock`);
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { text: string }).text).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 星期. \d{2}:\d{2}$/);

    const lark = await start({ LARK_APP_ID: 'cli_demo_clock_test', LARK_APP_SECRET: 'secret', LARK_VERIFICATION_TOKEN: 'token', LARK_DOMAIN: emulator.url });
    expect(lark.output()).not.toContain('本地模式');
    expect((await fetch(`${lark.url}/playground/api/clock`)).status).toBe(404);
    const move = await fetch(`${lark.url}/playground/api/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ move: 'day' }),
    });
    expect(move.status).toBe(404);
    expect((await fetch(`${lark.url}/healthz`)).status).toBe(200);
  });
});
