// Acknowledgement figures: 2,000 signed, encrypted events at concurrency 20 against the bot running
// as its own process (npm start's code path), on SQLite and on PostgreSQL. Prints p50/p99 of the
// time from sending a push to receiving Lark's 200, and events acknowledged per second.
// Usage: npm run figures:ack [-- --events 2000 --concurrency 20 --only sqlite|postgres]
import { parseArgs } from 'node:util';
import { startLarkEmulator } from '../src/emulator/server.js';
import { buildPush, messageEvent } from '../src/emulator/signing.js';
import { type Dialect, quantile, startBot, throwawayDatabase } from './lib/figures.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '20' }, only: { type: 'string' } },
});
const EVENTS = Number(values.events);
const CONCURRENCY = Number(values.concurrency);
const APP = { appId: 'cli_figures', appSecret: 'figures_secret' };
const TOKEN = 'figures_verification_token';
const KEY = 'figures_encrypt_key';
async function run(dialect: Dialect) {
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
  const url = bot.url;
  try {
    // Signing and encryption happen before the clock starts: only the bot is measured.
    const pushes = Array.from({ length: EVENTS }, (_, i) => {
      const openId = `ou_fig_${i % 500}`;
      return buildPush({
        encryptKey: KEY,
        verificationToken: TOKEN,
        payload: messageEvent({
          appId: APP.appId,
          token: TOKEN,
          sender: { open_id: openId },
          chatId: emulator.p2pChatId(openId),
          chatType: 'p2p',
          text: '帮助',
        }),
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
    return {
      dialect,
      events: latencies.length,
      failures,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies.at(-1)!,
      perSecond: latencies.length / seconds,
    };
  } finally {
    await bot.stop();
    await emulator.close();
    await db.drop();
  }
}

const dialects = (values.only ? [values.only] : ['sqlite', 'postgres']) as Dialect[];
console.log(`${EVENTS} signed+encrypted events (first 20 as warm-up), concurrency ${CONCURRENCY}, bot in its own process, workers running`);
console.log('database   events  non-200  ack p50 ms  ack p99 ms  max ms  events/s');
for (const d of dialects) {
  const r = await run(d);
  console.log(
    `${r.dialect.padEnd(9)}  ${String(r.events).padStart(6)}  ${String(r.failures).padStart(7)}  ${r.p50.toFixed(2).padStart(10)}  ${r.p99.toFixed(2).padStart(10)}  ${r.max.toFixed(1).padStart(6)}  ${r.perSecond.toFixed(0).padStart(8)}`,
  );
}
