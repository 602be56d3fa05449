// Compiles src/ and cards/ to dist/ when the sources changed since the last build (tsc's
// incremental mode, so a rebuild after a small edit takes a few seconds). `npm start` runs the
// compiled JavaScript: under tsx the bot holds ~70 MB more and starts slower.
// Usage: node scripts/build.mjs (also run after npm install); import { ensureBuilt } to use it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist', '.built');

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuilt({ quiet = false } = {}) {
  const sources = Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'cards')), statSync(join(ROOT, 'tsconfig.json')).mtimeMs);
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  if (!quiet) console.error('Compiling the bot (src/, cards/ → dist/)…');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('TypeScript compilation failed (see above); fix the errors or run `npm run dev`');
  writeFileSync(STAMP, new Date().toISOString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuilt();
