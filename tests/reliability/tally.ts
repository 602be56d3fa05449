// What the reliability suite tried and what held, counted for the summary `npm run
// test:reliability` prints (test files run in separate processes, so each appends a line).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

export const TALLY_FILE = join(PROJECT_ROOT, 'test-results', 'reliability', 'tally.jsonl');

export function tally(group: string, kind: string, held: boolean, count = 1): void {
  mkdirSync(join(PROJECT_ROOT, 'test-results', 'reliability'), { recursive: true });
  appendFileSync(TALLY_FILE, `${JSON.stringify({ group, kind, held, count })}\n`);
}
