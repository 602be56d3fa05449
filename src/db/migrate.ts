// Applies the committed SQL migrations of the current dialect, in file-name order, at start.
// The Prisma CLI cannot run here (it downloads its schema engine), so migrations are plain SQL
// per dialect under prisma/migrations/<dialect>/NNNN_name.sql.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { Database } from './database.js';

const MIGRATIONS_ROOT = join(PROJECT_ROOT, 'prisma/migrations');

// Any constant will do: it only has to be the same for every instance of this app.
const PG_MIGRATION_LOCK = 73_120_241;

export interface Migration {
  name: string;
  statements: string[];
}

export function loadMigrations(dialect: Database['dialect'], root = MIGRATIONS_ROOT): Migration[] {
  const dir = join(root, dialect);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.replace(/\.sql$/, ''), statements: splitStatements(readFileSync(join(dir, file), 'utf8')) }));
}

/**
 * Splits a migration file into statements at a `;` that ends a line, except inside a PostgreSQL
 * `$$ … $$` body or a SQLite trigger's `BEGIN … END;` (their inner statements end lines too).
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let lines: string[] = [];
  let inDollarQuote = false;
  const end = /;[ \t]*(?:--.*)?$/;
  const flush = () => {
    const text = lines.join('\n').replace(end, '').trim();
    if (text) statements.push(text);
    lines = [];
  };
  for (const raw of sql.split(/\r?\n/)) {
    if (/^[ \t]*--/.test(raw)) continue;
    lines.push(raw);
    if ((raw.match(/\$\$/g)?.length ?? 0) % 2 === 1) inDollarQuote = !inDollarQuote;
    if (inDollarQuote || !end.test(raw)) continue;
    const text = lines.join('\n');
    const inTriggerBody = /^\s*CREATE\s+TRIGGER\b/i.test(text) && /\bBEGIN\b/i.test(text) && !/^\s*END;/i.test(raw);
    if (!inTriggerBody) flush();
  }
  flush();
  return statements;
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS "SchemaMigration" ("name" TEXT NOT NULL PRIMARY KEY, "appliedAt" ${'TIMESTAMP'} NOT NULL DEFAULT CURRENT_TIMESTAMP)`;

/** Applies pending migrations; returns the names applied. Safe with several instances starting at once. */
export async function migrate(db: Database, migrations = loadMigrations(db.dialect)): Promise<string[]> {
  const ledger = db.dialect === 'sqlite' ? CREATE_LEDGER.replace('TIMESTAMP', 'DATETIME') : CREATE_LEDGER.replace('TIMESTAMP', 'TIMESTAMP(3)');
  await db.client.$executeRawUnsafe(ledger);
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`);
    const done = new Set((await tx.schemaMigration.findMany({ select: { name: true } })).map((m) => m.name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      for (const statement of m.statements) await tx.$executeRawUnsafe(statement);
      await tx.schemaMigration.create({ data: { name: m.name } });
      applied.push(m.name);
    }
    return applied;
  });
}
