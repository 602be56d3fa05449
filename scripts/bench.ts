// The benchmark: everything on this machine in one go, for SQLite and PostgreSQL.
//  1. ceiling — a bare Fastify route answering {};
//  2. the usual alternative — the Lark SDK's EventDispatcher behind adaptDefault on node:http;
//  3. ours — /lark/events: signature, decryption, dedupe, durable inbox write (workers running);
//     each at concurrency 1, 20 and 100 with autocannon, every request a distinct signed event;
//     1 and 2 just before 3 at each level, 3 on a fresh bot each time, so each ratio is back to back;
//  4. end to end — event in → reply recorded by the emulator;
//  5. card callbacks — a journey step submit, 20 applicants at once;
//  6. broadcast — N groups under Lark's limits, wall time against the theoretical minimum;
//  7. memory — the bot's peak RSS under all of the above.
//  8. --scale — province scale (scripts/scale/bench.ts): seeded databases of 1 k, 10 k and 100 k
//     applications (--quick: 10 k only, and nothing else unless --stages asks), what people do on them.
// Prints a table, writes test-results/bench.json, and ends with
// `ratio ours/ceiling=R1 ours/sdk=R2 ack_p99_ms=P` (concurrency 20, SQLite), with --scale followed by
// `cb_p99_ms=C scale_worst_p99_ms=W` (step save, 20 back to back, PostgreSQL, the largest size; the
// worst card answer's p99 there).
// Usage: npm run bench [-- --quick] [-- --scale] [-- --only sqlite|postgres] [-- --stages webhook,e2e,callbacks,broadcast]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type LarkEmulator, startLarkEmulator } from '../src/emulator/server.js';
import { buildPush, cardAction, messageEvent, type Push } from '../src/emulator/signing.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { callbackFigures } from './lib/callbacks.js';
import { type Dialect, freePort, peakRssMb, quantile, startBot, throwawayDatabase } from './lib/figures.js';
import { printScale, type ScaleRow, scaleBench, worstCardP99 } from './scale/bench.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, scale: { type: 'boolean', default: false }, only: { type: 'string' }, stages: { type: 'string' } },
});
// --scale --quick is the quick check of the scale figures alone; --scale adds them to everything.
const STAGES = new Set((values.stages ?? (values.scale && values.quick ? '' : 'webhook,e2e,callbacks,broadcast')).split(',').filter(Boolean));
const QUICK = values.quick!;
const LEVELS = [1, 20, 100] as const;
const AMOUNT: Record<(typeof LEVELS)[number], number> = QUICK ? { 1: 200, 20: 3_000, 100: 3_000 } : { 1: 2_000, 20: 20_000, 100: 20_000 };
const APP = { appId: 'cli_bench', appSecret: 'bench_secret' };
const TOKEN = 'bench_verification_token';
const KEY = 'bench_encrypt_key';
const BROADCAST_GROUPS = QUICK ? 100 : 1_000;
const APP_RATE = 50; // Lark: messages per second per app

interface Run {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

async function spawnServer(script: string, env: Record<string, string>): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /ready (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url, pid: child.pid!, stop: async () => void (child.kill('SIGTERM'), await new Promise((r) => child.once('exit', r))) };
}

let sequence = 0;
/** Distinct signed and encrypted message events (a distinct event id and sender each). */
function pushes(n: number, emulator: LarkEmulator, prefix = 'ou_bench'): Push[] {
  return Array.from({ length: n }, () => {
    const openId = `${prefix}_${sequence++}`;
    return buildPush({
      encryptKey: KEY,
      verificationToken: TOKEN,
      payload: messageEvent({ appId: APP.appId, token: TOKEN, sender: { open_id: openId }, chatId: emulator.p2pChatId(openId), chatType: 'p2p', text: '帮助' }),
    });
  });
}

async function hammer(url: string, connections: number, list: Push[]): Promise<Run> {
  let i = 0;
  const started = performance.now();
  let last = started;
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: `${url}/lark/events`,
        connections,
        amount: list.length,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/lark/events',
            setupRequest: (req) => ({ ...req, body: list[i % list.length]!.body, headers: list[i++ % list.length]!.headers }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    run.on('response', () => (last = performance.now()));
  });
  // autocannon notices the end only at its next one-second tick: the run's length is up to the
  // last response, or every fast run would look like it took a whole second.
  return { rps: r.requests.total / ((last - started) / 1000), p50: r.latency.p50, p99: r.latency.p99, failed: r.errors + r.timeouts + r.non2xx };
}

/** One concurrency level against one server, after a short warm-up (JIT, connections, the token). */
async function webhookRun(url: string, emulator: LarkEmulator, c: (typeof LEVELS)[number]): Promise<Run> {
  await hammer(url, 20, pushes(200, emulator));
  return hammer(url, c, pushes(AMOUNT[c], emulator)); // signed just before the run: inside the 5-minute window
}

/**
 * Event in → the bot's reply recorded by the emulator. Paced at `rate` events/s: below Lark's 50
 * messages/s per app this is the latency of the bot itself; above it, replies queue for Lark's
 * limit, and the sustained rate shows that limit.
 */
async function endToEnd(url: string, emulator: LarkEmulator, n: number, rate: number) {
  const list = pushes(n, emulator, 'ou_e2e');
  const chats = list.map((_, i) => emulator.p2pChatId(`ou_e2e_${sequence - n + i}`));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let last = 0;
  const off = emulator.onMessage((m) => {
    const t = sentAt.get(m.chat_id);
    if (t !== undefined && !m.updated) {
      latencies.push(performance.now() - t);
      sentAt.delete(m.chat_id);
      last = performance.now();
    }
  });
  const started = performance.now();
  await Promise.all(
    list.map(async (p, i) => {
      const due = started + (i * 1000) / rate;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      sentAt.set(chats[i]!, performance.now());
      await fetch(`${url}/lark/events`, { method: 'POST', headers: p.headers, body: p.body }).then((r) => r.arrayBuffer());
    }),
  );
  for (let w = 0; latencies.length < n && w < 1200; w++) await new Promise((r) => setTimeout(r, 100));
  off();
  latencies.sort((a, b) => a - b);
  return {
    events: n,
    rate,
    replied: latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    perSecond: latencies.length / ((last - started) / 1000),
  };
}

/** An administrator's broadcast to N groups; wall time from 确认发送 to the last group's message. */
async function broadcast(dialect: Dialect) {
  const emulator = await startLarkEmulator({ apps: [APP] });
  for (let i = 0; i < BROADCAST_GROUPS; i++) emulator.addChat({ chat_id: `oc_bench_${i}`, name: `群${i}` });
  const db = await throwawayDatabase(dialect);
  const bot = await startBot({
    LARK_APP_ID: APP.appId,
    LARK_APP_SECRET: APP.appSecret,
    LARK_VERIFICATION_TOKEN: TOKEN,
    LARK_ENCRYPT_KEY: KEY,
    LARK_DOMAIN: emulator.url,
    DATABASE_URL: db.url,
    ADMIN_IDS: 'ou_admin',
  });
  try {
    const click = async (value: object, formValue?: object) => {
      const push = buildPush({
        encryptKey: KEY,
        verificationToken: TOKEN,
        payload: cardAction({
          appId: APP.appId,
          token: TOKEN,
          operatorOpenId: 'ou_admin',
          openMessageId: 'om_report',
          openChatId: 'oc_admin',
          value,
          ...(formValue ? { formValue } : {}),
        }),
      });
      const res = await fetch(`${bot.url}/lark/callbacks`, { method: 'POST', headers: push.headers, body: push.body });
      return JSON.stringify(await res.json());
    };
    const title = '关于开展技能大师工作室申报的通知（基准测试）';
    // The group list is synced from Lark at start, in the background: wait for all of it.
    let preview = '';
    for (let w = 0; w < 200 && !preview.includes(`将发往 ${BROADCAST_GROUPS} 个群`); w++) {
      preview = await click({ a: 'b.preview' }, { title, body: '请各单位按时申报。', audience: 'all' });
      if (!preview.includes(`将发往 ${BROADCAST_GROUPS} 个群`)) await new Promise((r) => setTimeout(r, 100));
    }
    const id = /"a":"b\.send","b":"([^"]+)"/.exec(preview)?.[1];
    if (!id) throw new Error('no preview to send');
    const started = performance.now();
    await click({ a: 'b.send', b: id });
    const delivered = () => emulator.messages.filter((m) => m.content.includes(title)).length;
    while (delivered() < BROADCAST_GROUPS && performance.now() - started < 600_000) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - started) / 1000;
    // Lark allows 50 messages in any second: the first 50 can leave at once, each further 50 a
    // second later, so N messages need at least ⌈N/50⌉ − 1 seconds.
    const minimum = Math.ceil(BROADCAST_GROUPS / APP_RATE) - 1;
    const perChat = new Map<string, number>();
    for (const m of emulator.messages.filter((x) => x.content.includes(title))) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    return {
      groups: BROADCAST_GROUPS,
      delivered: delivered(),
      twice: [...perChat.values()].filter((n) => n > 1).length,
      seconds,
      minimum,
      ratio: seconds / minimum,
      peakRssMb: peakRssMb(bot.child.pid!),
    };
  } finally {
    await bot.stop();
    await emulator.close();
    await db.drop();
  }
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const results: Record<string, unknown> = { quick: QUICK, node: process.version, at: new Date().toISOString() };
const benchStart = performance.now();
const phases: string[] = [];
let phaseStart = benchStart;
const phaseDone = (name: string) => {
  const now = performance.now();
  phases.push(`${name} ${((now - phaseStart) / 1000).toFixed(1)} s`);
  phaseStart = now;
};

// Ceiling and the SDK adapter: the same pushes, the same machine, no database. Each level is
// measured on them just before ours, with our bot idle, so every ratio compares two measurements
// taken back to back (this machine's speed drifts by a quarter over minutes).
const baseline: Record<string, { ceiling: Record<number, Run>; sdk: Record<number, Run> }> = {};
const REPEATS_AT_20 = QUICK ? 1 : 3;
const ratiosAt20: Record<string, number[]> = {};
const baselineServers = STAGES.has('webhook')
  ? {
      ceiling: await spawnServer('scripts/bench/ceiling.ts', {}),
      sdk: await spawnServer('scripts/bench/sdk-adapter.ts', { BENCH_KEY: KEY, BENCH_TOKEN: TOKEN }),
    }
  : undefined;

const dialects = (values.only ? [values.only] : ['sqlite', 'postgres']) as Dialect[];
const ours: Record<string, Record<number, Run>> = {};
for (const dialect of dialects) {
  // A fresh bot for each measurement: replies are paced at Lark's 50/s per app, so what one run
  // queues must not sit in front of the next.
  const fresh = async <T>(fn: (bot: { url: string; pid: number }, emulator: LarkEmulator) => Promise<T>): Promise<{ value: T; rss: number }> => {
    const emulator = await startLarkEmulator({ apps: [APP] });
    const db = await throwawayDatabase(dialect);
    const bot = await startBot({
      LARK_APP_ID: APP.appId,
      LARK_APP_SECRET: APP.appSecret,
      LARK_VERIFICATION_TOKEN: TOKEN,
      LARK_ENCRYPT_KEY: KEY,
      LARK_DOMAIN: emulator.url,
      DATABASE_URL: db.url,
    });
    try {
      const value = await fn({ url: bot.url, pid: bot.child.pid! }, emulator);
      return { value, rss: peakRssMb(bot.child.pid!) };
    } finally {
      await bot.stop();
      await emulator.close();
      await db.drop();
    }
  };
  let rss = Number.NaN;
  const peak = (r: number) => (rss = Number.isNaN(rss) ? r : Math.max(rss, r));
  if (STAGES.has('e2e')) {
    const run = await fresh(async (bot, emulator) => {
      const pacedFrom = performance.now();
      const paced = await endToEnd(bot.url, emulator, QUICK ? 60 : 600, 40);
      // Lark allows 1,000 messages a minute as well as 50 a second: the burst starts once the
      // paced run's replies have left the minute's window, and asks for no more than a minute's worth.
      const minutesWorth = 950; // under Lark's 1,000, as the pacer keeps it
      const burst = QUICK ? 100 : minutesWorth;
      if (paced.events + burst > minutesWorth) await new Promise((r) => setTimeout(r, Math.max(0, pacedFrom + 62_000 - performance.now())));
      results[`e2e_${dialect}`] = { paced, burst: await endToEnd(bot.url, emulator, burst, 200) };
    });
    peak(run.rss);
    phaseDone(`e2e ${dialect}`);
  }
  if (STAGES.has('webhook') && baselineServers) {
    // A fresh bot for each level: every event gets a reply, and tens of thousands of replies
    // queued behind Lark's 1,000 a minute must not sit in front of the next level's pushes.
    // At 20, the level the goal is set at, the pair is measured REPEATS_AT_20 times and the one
    // with the median ratio kept (all of them are printed): one pair moves by ±20 % on this machine.
    const mine: Record<number, Run> = {};
    const before: (typeof baseline)[string] = { ceiling: {}, sdk: {} };
    for (const c of LEVELS) {
      const pairs: { ceiling: Run; sdk: Run; ours: Run }[] = [];
      for (let i = 0; i < (c === 20 ? REPEATS_AT_20 : 1); i++) {
        const run = await fresh(async (bot, emulator) => {
          const ceiling = await webhookRun(baselineServers.ceiling.url, emulator, c);
          const sdk = await webhookRun(baselineServers.sdk.url, emulator, c);
          pairs.push({ ceiling, sdk, ours: await webhookRun(bot.url, emulator, c) });
        });
        peak(run.rss);
      }
      pairs.sort((a, b) => a.ours.rps / a.sdk.rps - b.ours.rps / b.sdk.rps);
      const median = pairs[pairs.length >> 1]!;
      [before.ceiling[c], before.sdk[c], mine[c]] = [median.ceiling, median.sdk, median.ours];
      if (pairs.length > 1) ratiosAt20[dialect] = pairs.map((p) => p.ours.rps / p.sdk.rps);
    }
    ours[dialect] = mine;
    baseline[dialect] = before;
    phaseDone(`webhook ${dialect}`);
  }
  results[`rss_${dialect}`] = rss;
  if (STAGES.has('callbacks')) {
    // Twenty applicants clicking back to back with no pause (the bot saturated: a callback waits
    // for the others in front of it), and twenty working through the form, ~1 s on each card.
    const [saturated, reading] = await callbackFigures(dialect, [
      { applicants: 20, rounds: QUICK ? 2 : 25, thinkMs: 0 },
      { applicants: 20, rounds: QUICK ? 1 : 15, thinkMs: 1_000 },
    ]);
    results[`callbacks_${dialect}`] = saturated;
    results[`callbacksReading_${dialect}`] = reading;
    phaseDone(`callbacks ${dialect}`);
  }
  if (STAGES.has('broadcast')) {
    results[`broadcast_${dialect}`] = await broadcast(dialect);
    phaseDone(`broadcast ${dialect}`);
  }
}
results.ours = ours;
results.baseline = baseline;
results.ratiosAt20 = ratiosAt20;
if (baselineServers) await Promise.all([baselineServers.ceiling.stop(), baselineServers.sdk.stop()]);

let scaleRows: ScaleRow[] = [];
if (values.scale) {
  scaleRows = await scaleBench({ quick: QUICK, dialects, sizes: QUICK ? [10_000] : [1_000, 10_000, 100_000] });
  results.scale = scaleRows;
  phaseDone('scale');
}

const row = (name: string, c: number, r: Run) =>
  console.log(
    `${name.padEnd(22)}  ${String(c).padStart(4)}  ${fmt(r.rps, 0).padStart(7)}  ${fmt(r.p50).padStart(7)}  ${fmt(r.p99).padStart(7)}  ${String(r.failed).padStart(6)}`,
  );
if (STAGES.has('webhook')) {
  console.log(`\nwebhook acknowledgements (autocannon, every request a distinct signed+encrypted event; ${QUICK ? 'quick' : 'full'} run)`);
  console.log('target                  conc    req/s    p50 ms   p99 ms   failed');
  for (const c of LEVELS) {
    for (const d of dialects) {
      row(`ceiling, before ${d}`, c, baseline[d]!.ceiling[c]!);
      row(`SDK, before ${d}`, c, baseline[d]!.sdk[c]!);
      row(`ours (${d})`, c, ours[d]![c]!);
    }
  }
}
for (const d of dialects) {
  if (STAGES.has('webhook')) {
    const r20 = ours[d]![20]!;
    const { ceiling, sdk } = baseline[d]!;
    const all = ratiosAt20[d] ? ` (median of ${ratiosAt20[d].map((r) => `${fmt(r, 2)}×`).join(', ')})` : '';
    console.log(`ours/${d} at 20: ${fmt((100 * r20.rps) / ceiling[20]!.rps, 1)} % of the ceiling, ${fmt(r20.rps / sdk[20]!.rps, 2)}× the SDK adapter${all}`);
  }
  type E2e = { events: number; rate: number; replied: number; p50: number; p99: number; perSecond: number };
  const e = results[`e2e_${d}`] as { paced: E2e; burst: E2e } | undefined;
  if (e) {
    console.log(
      `end to end (${d}), ${e.paced.rate} events/s offered: ${e.paced.replied}/${e.paced.events} replies, p50 ${fmt(e.paced.p50)} ms, p99 ${fmt(e.paced.p99)} ms`,
    );
    console.log(
      `end to end (${d}), ${e.burst.rate} events/s offered: ${e.burst.replied}/${e.burst.events} replies, ${fmt(e.burst.perSecond, 0)} events/s sustained (Lark allows ${APP_RATE} messages/s and 1,000 a minute per app), p99 ${fmt(e.burst.p99)} ms`,
    );
  }
  const cb = results[`callbacks_${d}`] as { n: number; failures: number; p50: number; p99: number } | undefined;
  if (cb)
    console.log(`card callbacks (${d}, 20 applicants clicking back to back): p50 ${fmt(cb.p50)} ms, p99 ${fmt(cb.p99)} ms, ${cb.failures} failed of ${cb.n}`);
  const cr = results[`callbacksReading_${d}`] as typeof cb;
  if (cr)
    console.log(`card callbacks (${d}, 20 applicants reading each card ~1 s): p50 ${fmt(cr.p50)} ms, p99 ${fmt(cr.p99)} ms, ${cr.failures} failed of ${cr.n}`);
  const b = results[`broadcast_${d}`] as
    | { groups: number; delivered: number; twice: number; seconds: number; minimum: number; ratio: number; peakRssMb: number }
    | undefined;
  if (b)
    console.log(
      `broadcast (${d}): ${b.delivered}/${b.groups} groups in ${fmt(b.seconds)} s, minimum ${fmt(b.minimum)} s at ${APP_RATE}/s → ${fmt(b.ratio, 2)}×; ${b.twice} twice; bot peak RSS ${fmt(b.peakRssMb, 0)} MB`,
    );
  if (!Number.isNaN(results[`rss_${d}`]))
    console.log(`peak RSS of the bot under the webhook and end-to-end load (${d}): ${fmt(results[`rss_${d}`] as number, 0)} MB`);
}
console.log(`took ${((performance.now() - benchStart) / 1000).toFixed(0)} s: ${phases.join(', ')}`);
mkdirSync(join(PROJECT_ROOT, 'test-results'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'test-results', 'bench.json'), JSON.stringify(results, null, 2));
if (scaleRows.length) printScale(scaleRows);
const mainDialect = ours.sqlite ? 'sqlite' : dialects[0]!;
const main = ours[mainDialect];
const last: string[] = [];
if (main) {
  const { ceiling, sdk } = baseline[mainDialect]!;
  last.push(
    `ratio ours/ceiling=${(main[20]!.rps / ceiling[20]!.rps).toFixed(3)} ours/sdk=${(main[20]!.rps / sdk[20]!.rps).toFixed(3)} ack_p99_ms=${main[20]!.p99.toFixed(1)}`,
  );
}
if (scaleRows.length) {
  const largest = Math.max(...scaleRows.map((r) => r.size));
  const step = (d: Dialect) => scaleRows.find((r) => r.size === largest && r.dialect === d && r.kind === 'step' && r.what.includes(' 20 clicking'));
  const cb = step('postgres') ?? step(dialects[0]!);
  const worst = worstCardP99(scaleRows);
  console.log(`worst card answer at ${largest / 1000}k: ${worst.what}, p99 ${worst.p99.toFixed(1)} ms`);
  last.push(`cb_p99_ms=${cb ? cb.timing.p99.toFixed(1) : 'NaN'} scale_worst_p99_ms=${worst.p99.toFixed(1)}`);
}
if (last.length) console.log(last.join(' '));
