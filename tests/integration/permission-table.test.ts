// The permission table in docs/operators.md and docs/permissions.md say what the registry enforces: they are
// rendered from it, and this test fails when either falls behind (run npm run docs:permissions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionTable, permissionTable, tableIn } from '../../src/access/table.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('the documented permission tables', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tick: false });
  });
  afterAll(async () => h?.close());

  it('docs/operators.md has one row per permission, matching the registry', () => {
    expect(tableIn(readFileSync(join(PROJECT_ROOT, 'docs/operators.md'), 'utf8'))).toBe(permissionTable(h.app.services.actions.list()));
  });

  it('docs/permissions.md has one row per action, matching the registry', () => {
    const table = tableIn(readFileSync(join(PROJECT_ROOT, 'docs/permissions.md'), 'utf8'));
    expect(table).toBe(actionTable(h.app.services.actions.list()));
    expect(table.split('\n').length - 2).toBe(h.app.services.actions.list().length);
  });
});
