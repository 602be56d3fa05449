// Lint and format (Biome, biome.json) are part of the test suite: unused imports, variables and
// parameters, import order and duplicate imports (the import organiser merges them), the line
// width, and the recommended correctness rules. `npm run format` fixes what it can.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

it('the code base passes `biome ci` (lint, format, import order)', () => {
  const biome = join(PROJECT_ROOT, 'node_modules', '.bin', 'biome');
  const run = spawnSync(biome, ['ci', '--reporter=summary', '--max-diagnostics=50'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(run.error).toBeUndefined();
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  // A guard that it looked at the code (a misconfigured include would check nothing).
  expect(`${run.stdout}${run.stderr}`).toMatch(/Checked [1-9]\d{2,} files/);
});
