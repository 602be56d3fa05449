// Acknowledgement figures: 2,000 signed, encrypted events at concurrency 20 against the bot running
// as its own process (npm start's code path), on SQLite and on PostgreSQL. Prints p50/p99 of the
// time from sending a push to receiving Lark's 200, and events acknowledged per second.
// Usage: npm run figures:ack [-- --events 2000 --concurrency 20 --only sqlite|postgres]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startLarkEmulator } from '../src/emulator/server.js';
import { buildPush, messageEvent } from '../src/emulator/signing.js';
import { PROJECT_ROOT } from '../src/paths.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '20' }, only: { type: 'string' } },
});
const EVENTS = Number(values.events);
const CONCURRENCY = Number(values.concurrency);
const APP = { appId: 'cli_figures', appSecret: 'figures_secret' };
const TOKEN = 'figures_verification_token';
const KEY = 'figures_encrypt_key';
const PG_ADMIN = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function run(dialect: 'sqlite' | 'postgres') {
  const emulator = await startLarkEmulator({ apps: [APP] });
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-figures-'));
    databaseUrl = `file:${join(dir, 'bot.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `smsb_figures_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  }
  const port = await freePort();
  const nodeArgs = process.env.FIGURES_NODE_ARGS ? process.env.FIGURES_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LARK_APP_ID: APP.appId, LARK_APP_SECRET: APP.appSecret, LARK_VERIFICATION_TOKEN: TOKEN, LARK_ENCRYPT_KEY: KEY, LARK_DOMAIN: emulator.url, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 300) throw new Error('bot did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Signing and encryption happen before the clock starts: only the bot is measured.
    const pushes = Array.from({ length: EVENTS }, (_, i) => {
      const openId = `ou_fig_${i % 500}`;
      return buildPush({
        encryptKey: KEY,
        verificationToken: TOKEN,
        payload: messageEvent({ appId: APP.appId, token: TOKEN, sender: { open_id: openId }, chatId: emulator.p2pChatId(openId), chatType: 'p2p', text: '帮助' }),
      });
    });
    // Warm-up (JIT, connections, token) outside the measurement.
    for (const p of pushes.slice(0, 20)) await fetch(`${url}/lark/events`, { method: 'POST', headers: p.headers, body: p.body });

    const latencies: number[] = [];
    let next = 20;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < pushes.length) {
          const p = pushes[next++]!;
          const t0 = performance.now();
          const res = await fetch(`${url}/lark/events`, { method: 'POST', headers: p.headers, body: p.body });
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status !== 200) failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { dialect, events: latencies.length, failures, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1)!, perSecond: latencies.length / seconds };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await emulator.close();
    await cleanup();
  }
}

const dialects = (values.only ? [values.only] : ['sqlite', 'postgres']) as ('sqlite' | 'postgres')[];
console.log(`${EVENTS} signed+encrypted events (first 20 as warm-up), concurrency ${CONCURRENCY}, bot in its own process, workers running`);
console.log('database   events  non-200  ack p50 ms  ack p99 ms  max ms  events/s');
for (const d of dialects) {
  const r = await run(d);
  console.log(
    `${r.dialect.padEnd(9)}  ${String(r.events).padStart(6)}  ${String(r.failures).padStart(7)}  ${r.p50.toFixed(2).padStart(10)}  ${r.p99.toFixed(2).padStart(10)}  ${r.max.toFixed(1).padStart(6)}  ${r.perSecond.toFixed(0).padStart(8)}`,
  );
}
