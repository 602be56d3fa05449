// The province-scale benchmark (`npm run bench -- --scale [--quick]`): for each size (1 k, 10 k,
// 100 k applications; --quick: 10 k) and each database, a seeded province (scripts/scale/seed.ts),
// the bot in its own process as `npm start` runs it, and what people do on it, each answer timed
// from posting the signed callback to receiving the answer:
//   - card answers (申报, 进度, 待办 for a reviewer with 300 pending and for an administrator of
//     everything, 统计 of the biggest programme and of all, the ranking, the studio list, a timeline);
//   - an applicant's step save (下一步), alone and with 20 and 100 applicants clicking back to back;
//   - exports (2,000 申报表 as a zip, the 一览表 of the biggest programme) with the bot's peak RSS;
//   - the daily jobs on a second instance in this process (digest, reminders, retention, the end
//     of a 公示, the Approval Center check).
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { callbackFigures, FIGURES_APP, postCallback } from '../lib/callbacks.js';
import { type Dialect, peakRssMb, quantile, startBot, throwawayDatabase } from '../lib/figures.js';
import { type ScaleManifest as Seeded, seedScale } from './seed.js';

/** The seed's manifest with what the benchmark counted after it. */
type ScaleManifest = Seeded & { bigCampaignApplications: number; bigCampaignSubmitted: number; exportForms: number; jobsAt: string };

export interface Timing {
  n: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
}

export interface ScaleRow {
  size: number;
  dialect: Dialect;
  /** What was measured, in the people's words. */
  what: string;
  kind: 'card' | 'step' | 'export' | 'job';
  timing: Timing;
  /** Extra figures (rows exported, peak RSS…). */
  note?: string;
}

const summarise = (ms: number[], failed = 0): Timing => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN, failed };
};

function botEnv(emulator: LarkEmulator, url: string, manifest: ScaleManifest): Record<string, string> {
  return {
    LARK_APP_ID: FIGURES_APP.appId,
    LARK_APP_SECRET: FIGURES_APP.appSecret,
    LARK_VERIFICATION_TOKEN: FIGURES_APP.token,
    LARK_ENCRYPT_KEY: FIGURES_APP.key,
    LARK_DOMAIN: emulator.url,
    DATABASE_URL: url,
    ADMIN_IDS: manifest.actors.admin,
    APPROVAL_CENTER: 'off',
  };
}

/** The card answers measured: who clicks what. */
function cardsOf(m: ScaleManifest): { what: string; openId: string; value: Record<string, unknown>; expect: 'card' | 'toast' }[] {
  const a = m.actors;
  return [
    { what: '申报 (programme list)', openId: 'ou_scale_newcomer', value: { a: 'j.list' }, expect: 'card' },
    { what: '进度 (my applications)', openId: a.applicant, value: { a: 'cmd', c: 'status' }, expect: 'toast' },
    { what: `待办, reviewer (${m.targets.reviewerPending} pending)`, openId: a.reviewer, value: { a: 'r.todo' }, expect: 'card' },
    { what: `待办, administrator (${m.targets.pendingTotal} pending)`, openId: a.admin, value: { a: 'cmd', c: 'todo' }, expect: 'toast' },
    { what: `统计, one programme (${m.bigCampaignApplications})`, openId: a.admin, value: { a: 'st.show', c: a.bigCampaign }, expect: 'card' },
    { what: '统计, all programmes', openId: a.admin, value: { a: 'st.all' }, expect: 'card' },
    { what: `ranking (${m.targets.ranking} candidates)`, openId: a.admin, value: { a: 'rank.show', c: a.rankingCampaign, s: a.rankingStage }, expect: 'card' },
    { what: `ranking, page 5`, openId: a.admin, value: { a: 'rank.show', c: a.rankingCampaign, s: a.rankingStage, p: 4 }, expect: 'card' },
    { what: '评估 (evaluation rounds)', openId: a.admin, value: { a: 'e.list' }, expect: 'card' },
    { what: `studio list (${m.counts.Studio})`, openId: a.admin, value: { a: 'e.studios' }, expect: 'card' },
    { what: 'studio list, page 100', openId: a.admin, value: { a: 'e.studios', p: 99 }, expect: 'card' },
    { what: 'timeline of an application', openId: a.admin, value: { a: 'o.detail', app: a.timelineApplicationId }, expect: 'card' },
  ];
}

async function measureCards(url: string, m: ScaleManifest, reps: number): Promise<{ what: string; timing: Timing }[]> {
  const out = [];
  for (const c of cardsOf(m)) {
    const ms: number[] = [];
    let failed = 0;
    for (let i = 0; i < reps + 3; i++) {
      const r = await postCallback(url, c.openId, { value: c.value });
      const ok = r.status === 200 && (c.expect === 'card' ? !!r.card && r.toast?.type !== 'error' : r.toast?.type === 'success');
      if (i < 3) {
        if (!ok && i === 0) console.error(`  ${c.what}: ${r.status} ${JSON.stringify(r.toast ?? r.card).slice(0, 300)}`);
        continue; // warm-up: JIT, prepared statements, caches
      }
      if (!ok) failed++;
      ms.push(r.ms);
    }
    out.push({ what: c.what, timing: summarise(ms, failed) });
  }
  return out;
}

/** An export from the click to the file message arriving at Lark; the bot's peak RSS. */
async function measureExport(url: string, emulator: LarkEmulator, admin: string, form: Record<string, unknown>): Promise<{ ms: number; ok: boolean }> {
  const before = emulator.messages.filter((x) => x.msg_type === 'file').length;
  const t0 = performance.now();
  const r = await postCallback(url, admin, { value: { a: 'x.run' } }, form);
  if (r.toast?.type === 'error') return { ms: NaN, ok: false };
  while (performance.now() - t0 < 600_000) {
    if (emulator.messages.filter((x) => x.msg_type === 'file').length > before) return { ms: performance.now() - t0, ok: true };
    await new Promise((res) => setTimeout(res, 100));
  }
  return { ms: NaN, ok: false };
}

/**
 * A database in use for years has had retention clear payloads every day; the seed leaves them all.
 * Retention's one-time first pass after an upgrade is timed here, before the bot starts, so the
 * figures after it are the bot at work, not that pass beside it (it claims today, as the bot's tick would).
 */
async function firstRetention(dbUrl: string, emulator: LarkEmulator, manifest: ScaleManifest): Promise<number> {
  const config = loadConfig({ ...botEnv(emulator, dbUrl, manifest), LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' });
  const db = openDatabase(config.database);
  const app = await buildApp({ config, db, workers: { tickMs: 0 } });
  try {
    const t0 = performance.now();
    await app.services.retention.daily(new Date());
    const ms = performance.now() - t0;
    // What that pass wrote would have been checkpointed long ago, not during the figures after it.
    if (db.dialect === 'sqlite') await db.client.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    return ms;
  } finally {
    await app.close();
    await db.close();
  }
}

/** The daily jobs, each run `runs` times on a second instance (the claim of the day released between runs). */
async function measureJobs(
  dbUrl: string,
  emulator: LarkEmulator,
  manifest: ScaleManifest,
  runs: number,
  retentionFirstMs: number,
): Promise<{ what: string; timing: Timing }[]> {
  // The Approval Center on, as it was all along (the switch already on: no backfill at start).
  const env = {
    ...botEnv(emulator, dbUrl, manifest),
    APPROVAL_CENTER: 'on',
    PUBLIC_URL: 'https://bench.example',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const config = loadConfig(env);
  const db = openDatabase(config.database);
  await db.client.mirrorSwitch.upsert({ where: { target: 'approval' }, create: { target: 'approval', enabled: true }, update: { enabled: true } });
  // 09:30 Beijing on the manifest's working day: the digest's hour, reminders due, a 公示 ended.
  const now = () => new Date(manifest.jobsAt);
  const app = await buildApp({ config, db, now, workers: { tickMs: 0 } });
  const s = app.services;
  const release = (prefix: string) => db.client.counter.deleteMany({ where: { key: { startsWith: prefix } } });
  // The check marks every copy it sends again as changed, and only looks at settled ones: a second
  // run would find (below 5,000 copies) nothing left to check and take a few ms. Each run starts
  // from the copies that were settled before the first one.
  const settled = (
    await db.client.mirror.findMany({
      where: { target: 'approval', removed: false, sentVersion: { not: null } },
      select: { id: true, changeSeq: true, syncedSeq: true },
    })
  )
    .filter((m) => m.syncedSeq >= m.changeSeq)
    .map((m) => m.id);
  const resettle = async () => {
    await db.client.outboxMessage.deleteMany({ where: { status: 'pending', causedBy: { startsWith: 'mirror:' } } });
    for (let i = 0; i < settled.length; i += 500) {
      const ids = settled.slice(i, i + 500);
      const list = ids.map((_, k) => (db.dialect === 'postgres' ? `$${k + 1}` : '?')).join(', ');
      await db.client.$executeRawUnsafe(`UPDATE "Mirror" SET "changeSeq" = "syncedSeq" WHERE "changeSeq" > "syncedSeq" AND "id" IN (${list})`, ...ids);
    }
  };
  let day = 0;
  const jobs: { what: string; run: () => Promise<unknown>; reset: () => Promise<unknown> }[] = [
    { what: 'daily digest (待办 to every reviewer)', run: () => s.oversight.dailyDigest(), reset: () => release('digest:') },
    { what: 'deadline reminders', run: () => s.reminders.run(db), reset: () => release('remind:') },
    { what: 'retention, a day later', run: () => s.retention.run(new Date(new Date(manifest.jobsAt).getTime() + ++day * 86_400_000)), reset: async () => {} },
    { what: '公示 ended (notice end)', run: () => s.oversight.noticesEnded(), reset: () => release('notice-end:') },
    // Every copy there is differs from the emulator's (it holds none): the worst case, each re-sent.
    { what: 'Approval Center check (5,000 copies)', run: () => s.mirrors.checkDrift(), reset: resettle },
  ];
  const out = [];
  try {
    for (const j of jobs) {
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        await j.reset();
        // What a run queued is taken away again, so each run does the same work.
        const t0 = performance.now();
        await j.run();
        ms.push(performance.now() - t0);
      }
      out.push({ what: j.what, timing: summarise(ms) });
    }
    out.push({ what: 'retention, first run after the upgrade (every row)', timing: summarise([retentionFirstMs]) });
  } finally {
    await app.close();
    // What the check queued is not for this benchmark's other bots.
    await db.client.outboxMessage.deleteMany({ where: { status: 'pending', causedBy: { startsWith: 'mirror:' } } });
    await db.client.mirrorSwitch.update({ where: { target: 'approval' }, data: { enabled: false } });
    await db.close();
  }
  return out;
}

/** What the seed put in the programmes measured, counted, and the moment the daily jobs run at. */
async function countsFor(dialect: Dialect, url: string, m: Seeded) {
  const db = openDatabase({ dialect, url } as Parameters<typeof openDatabase>[0]);
  try {
    const big = await db.client.application.count({ where: { campaignId: m.actors.bigCampaign } });
    const bigSubmitted = await db.client.application.count({ where: { campaignId: m.actors.bigCampaign, status: { not: 'draft' } } });
    const forms = await db.client.application.count({ where: { campaignId: m.actors.exportCampaign, status: { not: 'draft' } } });
    return { bigCampaignApplications: big, bigCampaignSubmitted: bigSubmitted, exportForms: forms, jobsAt: nextWorkingMorning(new Date()).toISOString() };
  } finally {
    await db.close();
  }
}

/** 09:30 Beijing on the next working day (Monday to Friday; the digest's hour). */
function nextWorkingMorning(now: Date): Date {
  for (let d = 1; ; d++) {
    const day = new Date(now.getTime() + 8 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
    const at = new Date(`${day}T09:30:00+08:00`);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return at;
  }
}

/** Waits (at most 30 s) until no inbox event or outbox message is due and unfinished; seconds waited. */
async function backlogDone(dialect: Dialect, url: string): Promise<number> {
  const db = openDatabase({ dialect, url } as Parameters<typeof openDatabase>[0]);
  const t0 = performance.now();
  try {
    for (;;) {
      const due = { status: { in: ['pending', 'leased'] }, availableAt: { lte: new Date() } };
      const left = (await db.client.inboxEvent.count({ where: due })) + (await db.client.outboxMessage.count({ where: due }));
      if (left === 0 || performance.now() - t0 > 30_000) return (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await db.close();
  }
}

export interface ScaleOptions {
  quick: boolean;
  dialects: Dialect[];
  sizes: number[];
  /** What to measure (all when absent): a run against older code measures what that code has. */
  parts?: ('cards' | 'steps' | 'jobs' | 'exports')[];
  log?: (s: string) => void;
}

export async function scaleBench(opts: ScaleOptions): Promise<ScaleRow[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const rows: ScaleRow[] = [];
  const reps = opts.quick ? 20 : 50;
  const want = (part: NonNullable<ScaleOptions['parts']>[number]) => !opts.parts || opts.parts.includes(part);
  for (const size of opts.sizes) {
    for (const dialect of opts.dialects) {
      const db = await throwawayDatabase(dialect);
      try {
        const t0 = performance.now();
        const seeded = await seedScale({ dialect, url: db.url, applications: size, seed: 1 });
        const manifest = { ...seeded, ...(await countsFor(dialect, db.url, seeded)) };
        log(`scale ${size} ${dialect}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${JSON.stringify(manifest.counts)})`);
        const emulator = await startLarkEmulator({ apps: [{ appId: FIGURES_APP.appId, appSecret: FIGURES_APP.appSecret }] });
        try {
          const retentionFirstMs = await firstRetention(db.url, emulator, manifest);
          log(`  retention's first pass (the seed's payloads) in ${(retentionFirstMs / 1000).toFixed(1)} s`);
          const bot = await startBot(botEnv(emulator, db.url, manifest));
          try {
            // The seed leaves some events and messages waiting (as a real database has after a
            // restart): the bot works through them first; the figures are of the bot at work after that.
            log(`  backlog worked through in ${(await backlogDone(dialect, db.url)).toFixed(1)} s`);
            if (want('cards'))
              for (const c of await measureCards(bot.url, manifest, reps)) rows.push({ size, dialect, what: c.what, kind: 'card', timing: c.timing });
            // At least 200 saves a figure (500-600 in the full run), so that a p99 is not just the
            // second slowest click of one unlucky run.
            const patterns = [
              { applicants: 1, rounds: opts.quick ? 20 : 50, thinkMs: 0 },
              { applicants: 20, rounds: opts.quick ? 10 : 30, thinkMs: 0 },
              { applicants: 100, rounds: opts.quick ? 2 : 5, thinkMs: 0 },
            ];
            // A bot on a deadline day has been saving steps for hours: the first few hundred saves of
            // a fresh process (V8 still compiling the step's code) are not measured. In this host's
            // runs they added 30-40 ms to the p99 of 20 clicking back to back.
            if (want('steps'))
              await callbackFigures(dialect, [{ applicants: 20, rounds: opts.quick ? 5 : 15, thinkMs: 0 }], {
                url: bot.url,
                prefix: `${size}_${dialect}_warm_`,
              });
            const steps = want('steps') ? await callbackFigures(dialect, patterns, { url: bot.url, prefix: `${size}_${dialect}_` }) : [];
            for (const s of steps)
              rows.push({
                size,
                dialect,
                what: `step save (下一步), ${s.applicants} clicking back to back`,
                kind: 'step',
                timing: { n: s.n, p50: s.p50, p99: s.p99, max: s.max, failed: s.failures },
              });
          } finally {
            await bot.stop();
          }
          if (want('jobs'))
            for (const j of await measureJobs(db.url, emulator, manifest, opts.quick ? 2 : 3, retentionFirstMs))
              rows.push({ size, dialect, what: j.what, kind: 'job', timing: j.timing });
          // Exports on a bot of their own, so its peak RSS is the export's.
          if (!want('exports')) continue;
          const exportBot = await startBot(botEnv(emulator, db.url, manifest));
          try {
            const forms = await measureExport(exportBot.url, emulator, manifest.actors.admin, { campaign: manifest.actors.exportCampaign, what: 'forms' });
            rows.push({
              size,
              dialect,
              what: `export: ${manifest.exportForms} 申报表 (zip)`,
              kind: 'export',
              timing: summarise([forms.ms], forms.ok ? 0 : 1),
              note: `peak RSS ${peakRssMb(exportBot.child.pid!).toFixed(0)} MB`,
            });
            const summary = await measureExport(exportBot.url, emulator, manifest.actors.admin, { campaign: manifest.actors.bigCampaign, what: 'summary' });
            rows.push({
              size,
              dialect,
              what: `export: 一览表 of ${manifest.bigCampaignSubmitted} rows`,
              kind: 'export',
              timing: summarise([summary.ms], summary.ok ? 0 : 1),
              note: `peak RSS ${peakRssMb(exportBot.child.pid!).toFixed(0)} MB`,
            });
          } finally {
            await exportBot.stop();
          }
        } finally {
          await emulator.close();
        }
      } finally {
        await db.drop();
      }
    }
  }
  return rows;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
/** A measurement's name without the counts that differ between sizes (they are listed under the table). */
const label = (what: string) => what.replace(/\s*\([^)]*\d[^)]*\)/g, '').replace(/\d[\d,]* (申报表|rows|copies)/g, '$1');

/** The table: one line per measurement, a column per size and database (p50 / p99 ms). */
export function printScale(rows: ScaleRow[], log: (s: string) => void = console.log): void {
  const columns = [...new Set(rows.map((r) => `${r.size}|${r.dialect}`))];
  const head = (c: string) => {
    const [size, dialect] = c.split('|');
    return `${Number(size) / 1000}k ${dialect === 'postgres' ? 'PG' : 'SQLite'}`;
  };
  const width = 20;
  log('\nprovince scale: p50 / p99 ms over repeated runs (exports and jobs: p50 of whole runs; ! = failed answers)');
  log(`${'what'.padEnd(48)}${columns.map((c) => head(c).padStart(width)).join('')}`);
  const keys = [...new Set(rows.map((r) => `${r.kind}|${label(r.what)}|${r.what.match(/(\d+) clicking/)?.[1] ?? ''}`))];
  for (const key of keys) {
    const [kind, name, n] = key.split('|');
    const cells = columns.map((c) => {
      const x = rows.find((y) => `${y.size}|${y.dialect}` === c && `${y.kind}|${label(y.what)}|${y.what.match(/(\d+) clicking/)?.[1] ?? ''}` === key);
      if (!x) return ''.padStart(width);
      const t = x.kind === 'export' || x.kind === 'job' ? fmt(x.timing.p50) : `${fmt(x.timing.p50)} / ${fmt(x.timing.p99)}`;
      return `${t}${x.timing.failed ? ` !${x.timing.failed}` : ''}`.padStart(width);
    });
    const title = kind === 'step' ? `step save (下一步), ${n} clicking back to back` : name!;
    log(`${title.padEnd(48)}${cells.join('')}`);
  }
  for (const c of columns) {
    const mine = rows.filter((r) => `${r.size}|${r.dialect}` === c);
    log(
      `  ${head(c)}: ${mine
        .filter((r) => r.kind === 'card' || r.kind === 'export')
        .map((r) =>
          r.what
            .match(/\(([^)]*\d[^)]*)\)|(\d[\d,]* (?:申报表|rows))/)
            ?.slice(1)
            .find(Boolean),
        )
        .filter(Boolean)
        .join(', ')}${mine
        .filter((r) => r.note)
        .map((r) => `; ${label(r.what)} ${r.note}`)
        .join('')}`,
    );
  }
}

/** The worst card answer's p99 at the largest size measured (the step saves and exports aside). */
export function worstCardP99(rows: ScaleRow[]): { p99: number; what: string } {
  const largest = Math.max(...rows.map((r) => r.size));
  const cards = rows.filter((r) => r.size === largest && r.kind === 'card');
  const worst = cards.reduce((w, r) => (r.timing.p99 > w.timing.p99 ? r : w), cards[0]!);
  return { p99: worst.timing.p99, what: `${worst.what} (${worst.dialect})` };
}

// Run on its own: tsx scripts/scale/bench.ts [--quick] [--only sqlite|postgres] [--sizes 1000,10000] [--parts cards,steps,jobs,exports]
if (import.meta.url === `file://${process.argv[1]}`) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, sizes: { type: 'string' }, parts: { type: 'string' } },
  });
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : values.quick ? [10_000] : [1_000, 10_000, 100_000];
  const rows = await scaleBench({
    quick: values.quick!,
    dialects: (values.only ? [values.only] : ['sqlite', 'postgres']) as Dialect[],
    sizes,
    ...(values.parts ? { parts: values.parts.split(',') as NonNullable<ScaleOptions['parts']> } : {}),
  });
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/scale.json', JSON.stringify(rows, null, 2));
  printScale(rows);
}
