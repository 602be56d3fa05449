// Shared by the figure scripts: a throwaway database, the bot in its own process against the
// emulator, and percentiles.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/paths.js';

export type Dialect = 'sqlite' | 'postgres';
const PG_ADMIN = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function throwawayDatabase(dialect: Dialect): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-figures-'));
    return { url: `file:${join(dir, 'bot.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `smsb_figures_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

let built = false;

/** How `npm start` runs the bot, read from package.json: its node flags (the heap limits) and its environment (glibc's arenas). */
export function startCommand(): { flags: string[]; env: Record<string, string> } {
  const start = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const tokens = start.split(/\s+/);
  return {
    flags: tokens.filter((t) => t.startsWith('--')),
    env: Object.fromEntries(tokens.filter((t) => /^[A-Z_]+=/.test(t)).map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)])),
  };
}
/** `npm start`'s code path in a child process; resolves once /healthz answers. */
export async function startBot(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const start = startCommand();
  const nodeArgs = process.env.FIGURES_NODE_ARGS ? process.env.FIGURES_NODE_ARGS.split(' ') : start.flags;
  if (!built) {
    // As `npm start` runs it: compiled (rebuilt first if the sources changed).
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
    built = true;
  }
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...start.env,
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'smsb-figures-data-')),
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    // FIGURES_STDOUT=1 shows the bot's log (and --trace-gc through FIGURES_NODE_ARGS) while diagnosing.
    stdio: ['ignore', process.env.FIGURES_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 300) throw new Error('bot did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** A process's peak resident memory so far (VmHWM), in MB; NaN once it has gone. */
export function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
