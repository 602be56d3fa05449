// Soak: the bot (its own process, SQLite by default) takes a steady stream of signed, encrypted
// events for a long time — by default 10 minutes at 200 events/s — and must answer every one with
// 200, keep the inbox drained and keep its memory flat. The events are group messages that do not
// mention the bot (stored and processed, no reply), so Lark's 50 messages/s per app does not pile
// up an outbox the bot could never send.
// Usage: npm run test:reliability -- --soak   or   npx tsx scripts/soak.ts [--minutes 10 --rate 200 --only postgres]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLarkEmulator } from '../src/emulator/server.js';
import { buildPush, messageEvent } from '../src/emulator/signing.js';
import { tally } from '../tests/reliability/tally.js';
import { type Dialect, startBot, throwawayDatabase } from './lib/figures.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    only: { type: 'string', default: 'sqlite' },
    soak: { type: 'boolean' },
  },
  allowPositionals: true,
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const APP = { appId: 'cli_soak', appSecret: 'soak_secret' };
const TOKEN = 'soak_token';
const KEY = 'soak_key';

const emulator = await startLarkEmulator({ apps: [APP] });
const db = await throwawayDatabase(values.only as Dialect);
const bot = await startBot({
  LARK_APP_ID: APP.appId,
  LARK_APP_SECRET: APP.appSecret,
  LARK_VERIFICATION_TOKEN: TOKEN,
  LARK_ENCRYPT_KEY: KEY,
  LARK_DOMAIN: emulator.url,
  DATABASE_URL: db.url,
});
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${bot.child.pid}/status`, 'utf8'))![1]) / 1024;

let sent = 0;
let ok = 0;
let failed = 0;
const samples: { at: number; rss: number }[] = [];
const started = performance.now();
const end = started + MINUTES * 60_000;
const sampler = setInterval(() => samples.push({ at: (performance.now() - started) / 1000, rss: rssMb() }), 10_000);
try {
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; performance.now() < end; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const push = buildPush({
      encryptKey: KEY,
      verificationToken: TOKEN,
      payload: messageEvent({
        appId: APP.appId,
        token: TOKEN,
        sender: { open_id: `ou_soak_${i % 1000}` },
        chatId: `oc_soak_${i % 50}`,
        chatType: 'group',
        text: `第${i}条群消息`,
      }),
    });
    sent++;
    const p = fetch(`${bot.url}/lark/events`, { method: 'POST', headers: push.headers, body: push.body })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 200) ok++;
        else failed++;
      })
      .catch(() => void failed++)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  // The inbox drains once the stream stops.
  let health: { inbox?: { pending: number; leased: number; dead: number } } = {};
  for (let w = 0; w < 240; w++) {
    health = (await (await fetch(`${bot.url}/healthz`)).json()) as typeof health;
    if (!health.inbox?.pending && !health.inbox?.leased) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  // Flat memory: the last minute's average RSS against the second minute's (after warm-up).
  const avg = (from: number, to: number) => {
    const xs = samples.filter((s) => s.at >= from && s.at < to).map((s) => s.rss);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  };
  const early = avg(60, 120);
  const late = avg(seconds - 70, seconds);
  const growth = late / early - 1;
  const flat = !(growth > 0.2);
  console.log(
    `soak (${values.only}): ${sent} events in ${seconds.toFixed(0)} s (${(sent / seconds).toFixed(0)}/s offered), ${ok} answered 200, ${failed} failed; inbox after: ${JSON.stringify(health.inbox)}`,
  );
  console.log(
    `memory: ${early.toFixed(0)} MB in minute 2, ${late.toFixed(0)} MB at the end (${(growth * 100).toFixed(1)} %), samples ${samples.map((s) => s.rss.toFixed(0)).join(' ')}`,
  );
  tally('soak', `${MINUTES} min at ${RATE} events/s: every event answered 200`, failed === 0 && ok === sent, sent);
  tally('soak', 'inbox drained, nothing dead', !health.inbox?.pending && !health.inbox?.leased && !health.inbox?.dead, 1);
  tally('soak', 'memory flat (end within 20 % of minute 2)', flat, 1);
  if (failed || !flat) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  await bot.stop();
  await emulator.close();
  await db.drop();
}
