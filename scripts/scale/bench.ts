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
import { readFileSync } from 'node:fs';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { callbackFigures, FIGURES_APP, postCallback } from '../lib/callbacks.js';
import { type Dialect, quantile, startBot, throwawayDatabase } from '../lib/figures.js';
import { type ScaleManifest, seedScale } from './seed.js';

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

const peakRssMb = (pid: number) => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
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
    { what: '申报 (programme list)', openId: a.newcomer, value: { a: 'j.list' }, expect: 'card' },
    { what: '进度 (my applications)', openId: a.applicant, value: { a: 'cmd', c: 'status' }, expect: 'toast' },
    { what: `待办, reviewer (${a.reviewerPending} pending)`, openId: a.reviewer, value: { a: 'r.todo' }, expect: 'card' },
    { what: `待办, administrator (${a.adminPending} pending)`, openId: a.admin, value: { a: 'cmd', c: 'todo' }, expect: 'toast' },
    { what: `统计, one programme (${a.bigCampaignApplications})`, openId: a.admin, value: { a: 'st.show', c: a.bigCampaign }, expect: 'card' },
    { what: '统计, all programmes', openId: a.admin, value: { a: 'st.all' }, expect: 'card' },
    {
      what: `ranking (${a.rankingCandidates} candidates)`,
      openId: a.admin,
      value: { a: 'rank.show', c: a.rankingCampaign, s: a.rankingStage },
      expect: 'card',
    },
    { what: `studio list (${a.studios})`, openId: a.admin, value: { a: 'e.studios' }, expect: 'card' },
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

/** The daily jobs, each run `runs` times on a second instance (the claim of the day released between runs). */
async function measureJobs(dbUrl: string, emulator: LarkEmulator, manifest: ScaleManifest, runs: number): Promise<{ what: string; timing: Timing }[]> {
  const env = { ...botEnv(emulator, dbUrl, manifest), LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1' };
  const config = loadConfig(env);
  const db = openDatabase(config.database);
  // 09:30 Beijing on the manifest's working day: the digest's hour, reminders due, a 公示 ended.
  const now = () => new Date(manifest.jobsAt);
  const app = await buildApp({ config, db, now, workers: { tickMs: 0 } });
  const s = app.services;
  const release = (prefix: string) => db.client.counter.deleteMany({ where: { key: { startsWith: prefix } } });
  const jobs: { what: string; run: () => Promise<unknown>; reset: () => Promise<unknown> }[] = [
    { what: 'daily digest (待办 to every reviewer)', run: () => s.oversight.dailyDigest(), reset: () => release('digest:') },
    { what: 'deadline reminders', run: () => s.reminders.run(db), reset: () => release('remind:') },
    { what: 'retention', run: () => s.retention.run(new Date(manifest.jobsAt)), reset: async () => {} },
    { what: '公示 ended (notice end)', run: () => s.oversight.noticesEnded(), reset: () => release('notice-end:') },
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
  } finally {
    await app.close();
    await db.close();
  }
  return out;
}

export interface ScaleOptions {
  quick: boolean;
  dialects: Dialect[];
  sizes: number[];
  log?: (s: string) => void;
}

export async function scaleBench(opts: ScaleOptions): Promise<ScaleRow[]> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const rows: ScaleRow[] = [];
  const reps = opts.quick ? 20 : 50;
  for (const size of opts.sizes) {
    for (const dialect of opts.dialects) {
      const db = await throwawayDatabase(dialect);
      try {
        const t0 = performance.now();
        const manifest = await seedScale({ dialect, url: db.url, applications: size, seed: 1 });
        log(`scale ${size} ${dialect}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (${JSON.stringify(manifest.counts)})`);
        const emulator = await startLarkEmulator({ apps: [{ appId: FIGURES_APP.appId, appSecret: FIGURES_APP.appSecret }] });
        try {
          const bot = await startBot(botEnv(emulator, db.url, manifest));
          try {
            for (const c of await measureCards(bot.url, manifest, reps)) rows.push({ size, dialect, what: c.what, kind: 'card', timing: c.timing });
            const patterns = [
              { applicants: 1, rounds: opts.quick ? 20 : 50, thinkMs: 0 },
              { applicants: 20, rounds: opts.quick ? 3 : 10, thinkMs: 0 },
              { applicants: 100, rounds: opts.quick ? 1 : 3, thinkMs: 0 },
            ];
            const steps = await callbackFigures(dialect, patterns, { url: bot.url, prefix: `${size}_${dialect}_` });
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
          for (const j of await measureJobs(db.url, emulator, manifest, opts.quick ? 2 : 3))
            rows.push({ size, dialect, what: j.what, kind: 'job', timing: j.timing });
          // Exports on a bot of their own, so its peak RSS is the export's.
          const exportBot = await startBot(botEnv(emulator, db.url, manifest));
          try {
            const forms = await measureExport(exportBot.url, emulator, manifest.actors.admin, { campaign: manifest.actors.exportCampaign, what: 'forms' });
            rows.push({
              size,
              dialect,
              what: `export: ${manifest.actors.exportForms} 申报表 (zip)`,
              kind: 'export',
              timing: summarise([forms.ms], forms.ok ? 0 : 1),
              note: `peak RSS ${peakRssMb(exportBot.child.pid!).toFixed(0)} MB`,
            });
            const summary = await measureExport(exportBot.url, emulator, manifest.actors.admin, { campaign: manifest.actors.bigCampaign, what: 'summary' });
            rows.push({
              size,
              dialect,
              what: `export: 一览表 of ${manifest.actors.bigCampaignSubmitted} rows`,
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

/** The table: one line per measurement, a column per size and database (p50 / p99 ms). */
export function printScale(rows: ScaleRow[], log: (s: string) => void = console.log): void {
  const columns = [...new Set(rows.map((r) => `${r.size}|${r.dialect}`))];
  const label = (c: string) => {
    const [size, dialect] = c.split('|');
    return `${Number(size) / 1000}k ${dialect === 'postgres' ? 'PG' : 'SQLite'}`;
  };
  const whats = [...new Set(rows.map((r) => r.what.replace(/\(\d+( pending| candidates|\))?.*?\)|of \d+ rows|\d+ 申报表/g, (x) => x)))];
  log('\nprovince scale: p50 / p99 ms (exports and jobs: ms for the whole run)');
  log(`${'what'.padEnd(52)}${columns.map((c) => label(c).padStart(22)).join('')}`);
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.kind}:${r.what.replace(/\d[\d,]*/g, '#')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cells = columns.map((c) => {
      const x = rows.find((y) => `${y.size}|${y.dialect}` === c && `${y.kind}:${y.what.replace(/\d[\d,]*/g, '#')}` === key);
      if (!x) return ''.padStart(22);
      const t = x.kind === 'export' || x.kind === 'job' ? `${fmt(x.timing.p50)}` : `${fmt(x.timing.p50)} / ${fmt(x.timing.p99)}`;
      return `${t}${x.timing.failed ? ` !${x.timing.failed}` : ''}`.padStart(22);
    });
    log(
      `${r.what
        .replace(/\d[\d,]*/g, '#')
        .slice(0, 51)
        .padEnd(52)}${cells.join('')}`,
    );
  }
  for (const r of rows.filter((x) => x.note)) log(`  ${label(`${r.size}|${r.dialect}`)} ${r.what}: ${r.note}`);
  void whats;
}
