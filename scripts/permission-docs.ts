// Writes the permission tables into docs/operators.md (one row per permission) and docs/permissions.md
// (one row per action) from the action registry of a bot built on a throwaway database.
// Usage: npm run docs:permissions   (tests/integration/permission-table.test.ts checks they match)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionTable, permissionTable, withTable } from '../src/access/table.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'smsb-permission-docs-'));
try {
  // Built, never started: nothing listens and nothing reaches Lark.
  const config = loadConfig({
    LARK_APP_ID: 'cli_docs',
    LARK_APP_SECRET: 'docs',
    LARK_VERIFICATION_TOKEN: 'docs',
    LARK_DOMAIN: 'http://127.0.0.1:9',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp({ config });
  const actions = app.services.actions.list();
  await app.close();
  for (const [file, table] of [
    ['docs/operators.md', permissionTable(actions)],
    ['docs/permissions.md', actionTable(actions)],
  ] as const) {
    const path = join(PROJECT_ROOT, file);
    writeFileSync(path, withTable(readFileSync(path, 'utf8'), table));
    console.log(`${file}: ${table.split('\n').length - 2} rows`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
