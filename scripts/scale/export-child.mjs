// The child of export-bench.ts: the bot's compiled code under the bot's node flags, one export job
// (request, then runPending) timed from the request to the files written; prints one JSON line.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
// The bot's modules loaded as the running bot has them (Fastify, the Lark SDK, the cards…).
import '../../dist/src/app.js';
import { loadCampaignDir } from '../../dist/src/campaigns/loader.js';
import { openDatabase } from '../../dist/src/db/database.js';
import { createExports } from '../../dist/src/exports/exports.js';
import { createLogger } from '../../dist/src/log.js';
import { PROJECT_ROOT } from '../../dist/src/paths.js';

const args = JSON.parse(process.argv[2]);
const rssMB = (key) =>
  Math.round(
    Number(
      /(\d+) kB/.exec(
        readFileSync('/proc/self/status', 'utf8')
          .split('\n')
          .find((l) => l.startsWith(key)),
      )[1],
    ) / 1024,
  );
const catalog = loadCampaignDir(resolve(PROJECT_ROOT, 'campaigns'));
const db = openDatabase({ dialect: args.dialect, url: args.url });
const admin = 'ou_bench_admin';
const exports = createExports({
  campaigns: () => catalog.campaigns,
  adminIds: [admin],
  now: () => new Date('2026-12-31T10:00:00+08:00'),
  dataDir: args.dataDir,
  log: createLogger('error'),
});
await db.client.exportJob.count(); // connected and ready before the clock starts
const baseRssMB = rssMB('VmRSS:');
const t0 = performance.now();
await db.transaction((tx) =>
  exports.request(tx, { openId: admin }, [{ campaignId: null, region: null }], { campaign: args.campaign, what: args.what }, undefined),
);
await exports.runPending(db);
const seconds = (performance.now() - t0) / 1000;
const job = await db.client.exportJob.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
const files = (await db.client.outboxMessage.findMany({ where: { kind: 'file', causedBy: job.id }, orderBy: { createdAt: 'asc' } })).map((m) => {
  const p = JSON.parse(m.payload);
  return { name: p.fileName, bytes: statSync(p.path).size };
});
await db.close();
console.log(JSON.stringify({ seconds, peakRssMB: rssMB('VmHWM:'), baseRssMB, files, detail: job.detail, status: job.status, error: job.error }));
