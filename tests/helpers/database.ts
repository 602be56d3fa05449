// A fresh database per test file: a temporary SQLite file, or a uniquely named PostgreSQL
// database created on the server at TEST_POSTGRES_URL and dropped afterwards.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

export type Dialect = Config['database']['dialect'];

export const testDialect = (): Dialect => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  database: Config['database'];
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: Dialect = testDialect()): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-test-'));
    return { database: { dialect, url: `file:${join(dir, 'bot.db')}` }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `smsb_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { dialect, url: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh database with every migration applied, opened; `close` closes it and drops it. */
export async function migratedTestDatabase(dialect: Dialect = testDialect()): Promise<{ db: Database; url: string; close: () => Promise<void> }> {
  const testDb = await createTestDatabase(dialect);
  const db = openDatabase(testDb.database);
  await migrate(db);
  return {
    db,
    url: testDb.database.url,
    async close() {
      await db.close();
      await testDb.drop();
    },
  };
}

/** A fresh migrated database for the suite it is called in (opened before, dropped after): read it through the getter. */
export function useMigratedDatabase(dialect: Dialect = testDialect()): () => Database {
  let fresh: Awaited<ReturnType<typeof migratedTestDatabase>> | undefined;
  beforeAll(async () => {
    fresh = await migratedTestDatabase(dialect);
  });
  afterAll(async () => fresh?.close());
  return () => {
    if (!fresh) throw new Error('the database is opened in beforeAll');
    return fresh.db;
  };
}
