// Prints what the reliability suite tried and what held, from the tally its tests wrote.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { TALLY_FILE } from '../tests/reliability/tally.js';

// `npm run test:reliability -- --soak` adds the long soak (not run in CI) before the summary.
if (process.argv.includes('--soak')) {
  const soak = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/soak.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
  if (soak.status !== 0) process.exitCode = 1;
}

if (!existsSync(TALLY_FILE)) {
  console.log('reliability: nothing was tallied (did the suite run?)');
  process.exit(1);
}
const rows = readFileSync(TALLY_FILE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { group: string; kind: string; held: boolean; count: number });
const groups = new Map<string, Map<string, { tried: number; held: number }>>();
for (const r of rows) {
  const g = groups.get(r.group) ?? new Map<string, { tried: number; held: number }>();
  const k = g.get(r.kind) ?? { tried: 0, held: 0 };
  k.tried += r.count;
  if (r.held) k.held += r.count;
  g.set(r.kind, k);
  groups.set(r.group, g);
}
console.log('\nreliability summary: what was tried, and how often it held');
let failed = 0;
for (const [group, kinds] of groups) {
  console.log(`\n${group}`);
  for (const [kind, { tried, held }] of kinds) {
    console.log(`  ${kind.padEnd(52)} ${String(held).padStart(6)} / ${String(tried).padEnd(6)} ${held === tried ? 'held' : 'FAILED'}`);
    failed += tried - held;
  }
}
console.log(failed ? `\n${failed} did not hold` : '\nall held');
if (failed) process.exitCode = 1;
