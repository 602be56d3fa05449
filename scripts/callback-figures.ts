// Card callback figures: 20 applicants at once, each submitting a step of the Weihai 2026 demo
// programme over and over (下一步 on 申报单位基本信息, then back), against the bot in its own
// process. Prints p50/p99 of the time from posting the signed callback to receiving the next card.
// Usage: npm run figures:callbacks [-- --applicants 20 --rounds 25 --think 0 --only sqlite|postgres]
import { parseArgs } from 'node:util';
import { callbackFigures } from './lib/callbacks.js';
import type { Dialect } from './lib/figures.js';

const { values } = parseArgs({
  options: {
    applicants: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '25' },
    only: { type: 'string' },
    think: { type: 'string', default: '0' },
  },
});
/** Milliseconds an applicant spends reading a card before the next click (0 = click at once). */
const THINK_MS = Number(values.think);
const APPLICANTS = Number(values.applicants);
const ROUNDS = Number(values.rounds);

const dialects = (values.only ? [values.only] : ['sqlite', 'postgres']) as Dialect[];
console.log(
  `step submits (下一步 on 申报单位基本信息, validated and saved), ${APPLICANTS} applicants at once, ${ROUNDS} each, ${THINK_MS ? `about ${THINK_MS} ms reading each card` : 'clicking again at once'}; bot in its own process`,
);
console.log('database   submits  failures  p50 ms  p99 ms  max ms');
for (const d of dialects) {
  const r = (await callbackFigures(d, [{ applicants: APPLICANTS, rounds: ROUNDS, thinkMs: THINK_MS }]))[0]!;
  console.log(
    `${r.dialect.padEnd(9)}  ${String(r.n).padStart(7)}  ${String(r.failures).padStart(8)}  ${r.p50.toFixed(1).padStart(6)}  ${r.p99.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}`,
  );
}
