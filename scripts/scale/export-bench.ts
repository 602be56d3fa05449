// Exports at province scale (issue 22): 2,000 申报表 as zip(s) and a 20,000-row 一览表, timed
// through the real export job (request + runPending) in a child process started with the bot's
// own node flags and environment (read from `npm start`'s command) on the compiled
// dist/, against a database holding far more than is exported. Peak RSS is the child's VmHWM.
// Usage: npm run figures:exports-scale [-- --dialect postgres --forms 2000 --rows 20000 --noise 20000 --only forms|summary --cpu-prof DIR]
// The filler below is deliberately small and local (a bulk INSERT of Application rows, plus an
// upload and a decided district review per exported form); it is not a general seeder.

import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { loadCampaignDir } from '../../src/campaigns/loader.js';
import type { Campaign } from '../../src/campaigns/schema.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { createTestDatabase, type Dialect } from '../../tests/helpers/database.js';
import { storedAnswers } from '../../tests/helpers/fixtures.js';
// @ts-expect-error: plain JavaScript without types
import { ensureBuilt } from '../build.mjs';
import { startCommand } from '../lib/figures.js';

const { values } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'sqlite' },
    forms: { type: 'string', default: '2000' },
    rows: { type: 'string', default: '20000' },
    noise: { type: 'string', default: '20000' },
    only: { type: 'string' },
    // A directory: each child writes a V8 CPU profile there (open it in Chrome's DevTools).
    'cpu-prof': { type: 'string' },
  },
});
const dialect = values.dialect as Dialect;
const FORMS = Number(values.forms);
const ROWS = Number(values.rows);
const NOISE = Number(values.noise);

ensureBuilt({ quiet: true });
const catalog = loadCampaignDir(resolve(PROJECT_ROOT, 'campaigns'));
const byId = (id: string) => catalog.campaigns.find((c) => c.id === id)!;

interface Row {
  id: string;
  campaignId: string;
  applicantId: string;
  status: string;
  stage: string | null;
  number: string | null;
  unitKey: string | null;
  region: string | null;
  answers: string;
  declarations: string;
  submittedAt: Date | null;
}
interface Extra {
  uploads: {
    id: string;
    applicationId: string;
    ownerId: string;
    messageId: string;
    sha256: string;
    name: string;
    size: number;
    kind: string;
    slotId: string;
  }[];
  tasks: {
    id: string;
    applicationId: string;
    stageId: string;
    round: number;
    reviewerId: string;
    status: string;
    decision: string;
    comment: string;
    decidedAt: Date;
  }[];
}

/** N applications of a programme, answers varied per row (unit, studio, leader, region). */
function applications(c: Campaign, n: number, status: string, extra?: Extra): Row[] {
  const base = storedAnswers(c);
  const regions = c.regions.items;
  const declarations = JSON.stringify(Object.fromEntries(c.form.declarations.map((d) => [d.id, true])));
  return Array.from({ length: n }, (_, i) => {
    const region = regions[i % regions.length]!;
    const answers = {
      ...base,
      unitName: `威海第${i + 1}机械有限公司`,
      studioName: `第${i + 1}号数控车工技能大师工作室`,
      leaderName: `张${'伟强明华军'[i % 5]}${i}`,
      ...(c.regionField ? { [c.regionField]: region } : {}),
    };
    const id = randomUUID();
    const submitted = status !== 'draft';
    if (extra && submitted) {
      extra.uploads.push({
        id: randomUUID(),
        applicationId: id,
        ownerId: `ou_bench_${c.id}_${i}`,
        messageId: `om_${randomUUID()}`,
        sha256: randomUUID().replace(/-/g, ''),
        name: `申请报告${i + 1}.pdf`,
        size: 120_000,
        kind: 'file',
        slotId: 'applicationReport',
      });
      extra.tasks.push({
        id: randomUUID(),
        applicationId: id,
        stageId: 'district',
        round: 1,
        reviewerId: 'ou_bench_district',
        status: 'decided',
        decision: 'approve',
        comment: `同意推荐（第${i + 1}份）`,
        decidedAt: new Date(Date.UTC(2024, 6, 20, 2, 0, i % 60)),
      });
    }
    return {
      id,
      campaignId: c.id,
      applicantId: `ou_bench_${c.id}_${status}_${i}`,
      status,
      stage: submitted ? 'district' : null,
      number: submitted ? `${c.code}${c.year}-${String(i + 1).padStart(4, '0')}` : null,
      unitKey: `91371000BENCH${status === 'draft' ? 'D' : 'S'}${String(i).padStart(5, '0')}`,
      region,
      answers: JSON.stringify(answers),
      declarations,
      submittedAt: submitted ? new Date(Date.UTC(2024, 6, 15, 2, 0, i % 60)) : null,
    };
  });
}

type Table = { name: string; rows: Record<string, unknown>[] };

async function fill(url: string, tables: Table[]): Promise<void> {
  const chunk = 200;
  if (dialect === 'sqlite') {
    const db = new BetterSqlite3(url.replace(/^file:/, ''));
    const ts = (v: unknown) => (v instanceof Date ? v.toISOString().replace('Z', '+00:00') : v);
    db.transaction(() => {
      for (const t of tables) {
        if (!t.rows.length) continue;
        const cols = Object.keys(t.rows[0]!);
        for (let i = 0; i < t.rows.length; i += chunk) {
          const part = t.rows.slice(i, i + chunk);
          const sql = `INSERT INTO "${t.name}" (${cols.map((k) => `"${k}"`).join(',')}) VALUES ${part.map(() => `(${cols.map(() => '?').join(',')})`).join(',')}`;
          db.prepare(sql).run(...part.flatMap((r) => cols.map((k) => ts(r[k]))));
        }
      }
    })();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const t of tables) {
      if (!t.rows.length) continue;
      const cols = Object.keys(t.rows[0]!);
      for (let i = 0; i < t.rows.length; i += chunk) {
        const part = t.rows.slice(i, i + chunk);
        let n = 0;
        const sql = `INSERT INTO "${t.name}" (${cols.map((k) => `"${k}"`).join(',')}) VALUES ${part.map(() => `(${cols.map(() => `$${++n}`).join(',')})`).join(',')}`;
        const params = part.flatMap((r) => cols.map((k) => (r[k] instanceof Date ? (r[k] as Date).toISOString().replace('T', ' ').replace('Z', '') : r[k])));
        await client.query(sql, params);
      }
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

const withTimes = <T extends object>(rows: T[]): Record<string, unknown>[] => {
  const now = new Date();
  return rows.map((r) => ({ ...r, createdAt: now, ...('stageId' in r ? {} : 'messageId' in r ? {} : { updatedAt: now }) }));
};

async function main() {
  const testDb = await createTestDatabase(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'smsb-export-bench-'));
  try {
    const db = openDatabase(testDb.database);
    await migrate(db);
    await db.close();
    const t0 = performance.now();
    const extra: Extra = { uploads: [], tasks: [] };
    const apps = [
      ...applications(byId('weihai-2024'), FORMS, 'submitted', extra),
      ...applications(byId('weihai-2024'), Math.round(FORMS / 4), 'draft'),
      ...applications(byId('weihai-2026'), ROWS, 'submitted'),
    ];
    // Noise: other programmes' applications, never exported here.
    const others = ['wuhan-2024', 'zhenjiang-2023', 'gongshu-2026', 'lucheng-2024'];
    for (const [k, id] of others.entries()) apps.push(...applications(byId(id), Math.round(NOISE / others.length), k % 2 ? 'submitted' : 'draft'));
    await fill(testDb.database.url, [
      { name: 'Application', rows: withTimes(apps) },
      { name: 'Upload', rows: withTimes(extra.uploads) },
      { name: 'ReviewTask', rows: withTimes(extra.tasks) },
    ]);
    console.log(
      `${dialect}: ${apps.length} applications in the database (${FORMS} weihai-2024 submitted, ${ROWS} weihai-2026 submitted, the rest drafts and other programmes), filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const runs: { what: string; campaign: string }[] = [
      { what: 'forms', campaign: 'weihai-2024' },
      { what: 'summary', campaign: 'weihai-2026' },
    ].filter((r) => !values.only || r.what === values.only);
    const start = startCommand();
    for (const run of runs) {
      const child = spawnSync(
        process.execPath,
        [
          ...start.flags,
          ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`] : []),
          join(PROJECT_ROOT, 'scripts/scale/export-child.mjs'),
          JSON.stringify({ ...run, dialect, url: testDb.database.url, dataDir: join(dataDir, run.what) }),
        ],
        { encoding: 'utf8', maxBuffer: 10 * 1024 * 1024, env: { ...process.env, ...start.env } },
      );
      if (child.status !== 0) {
        console.error(child.stdout, child.stderr);
        throw new Error(`the ${run.what} child failed (${child.status ?? child.signal})`);
      }
      const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
        seconds: number;
        peakRssMB: number;
        baseRssMB: number;
        files: { name: string; bytes: number }[];
        detail: string;
        status: string;
        error?: string;
      };
      if (r.status !== 'done') console.error(child.stdout.slice(0, 3000), child.stderr.slice(0, 3000));
      const size = `${(r.files.reduce((s, f) => s + f.bytes, 0) / 1024 / 1024).toFixed(1)} MB in ${r.files.length} file${r.files.length === 1 ? '' : 's'}`;
      if (run.what === 'forms')
        console.log(
          `forms ${FORMS}: ${r.seconds.toFixed(1)} s, ${size}, peak RSS ${r.peakRssMB} MB (${r.baseRssMB} MB before the export) — ${r.status}: ${r.detail ?? r.error}`,
        );
      else
        console.log(
          `summary ${ROWS} rows: ${r.seconds.toFixed(1)} s, ${size}, peak RSS ${r.peakRssMB} MB (${r.baseRssMB} MB before the export) — ${r.status}: ${r.detail ?? r.error}`,
        );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await testDb.drop();
  }
}

await main();
