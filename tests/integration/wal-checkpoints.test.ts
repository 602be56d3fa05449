// SQLite's write-ahead log is copied back into the database file by a worker thread, not inside
// the commits the bot waits for (src/db/checkpointer.ts). These tests open SQLite files whatever
// TEST_DB says: PostgreSQL has nothing like it. Each waits for a condition, bounded by a deadline.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckpointReport, FALLBACK_AUTOCHECKPOINT_PAGES, SQLITE_AUTOCHECKPOINT_PAGES, startCheckpointer } from '../../src/db/checkpointer.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

const DEADLINE_MS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'smsb-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Rows in the database file alone, as if the log were lost: only what a checkpoint copied. A copy
 * taken while a checkpoint writes the file can be torn (SQLite's locks are bypassed): -1, look again.
 */
function rowsInFileAlone(path: string, table: string): number {
  const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(copy, { readonly: true });
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
    return exists ? (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n : 0;
  } catch (error) {
    if (/malformed|not a database/i.test(String(error))) return -1;
    throw error;
  } finally {
    db?.close();
    rmSync(copy, { force: true });
  }
}

const PAGE_FILLER = 'x'.repeat(3_000);

describe('the checkpoint worker', () => {
  it('copies what another connection commits into the database file, without that connection checkpointing', async () => {
    const path = join(dir, 'worker.db');
    const writer = new BetterSqlite3(path);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = NORMAL');
    writer.pragma('wal_autocheckpoint = 0'); // only the worker may copy
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    const reports: CheckpointReport[] = [];
    const checkpointer = startCheckpointer(path, { everyMs: 20, onStopped: () => undefined, onReport: (r) => reports.push(r) });
    await checkpointer.ready;
    const insert = writer.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < 500; i++) insert.run(PAGE_FILLER);
    // The worker's report is a message: it may be read after the file already shows the rows.
    await until(() => rowsInFileAlone(path, 't') === 500 && reports.some((r) => r.checkpointed > 0), 'the 500 rows to reach the database file, and the report');
    // With everything copied and nothing writing, the next commit starts the log from its beginning.
    insert.run(PAGE_FILLER);
    const [after] = writer.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    expect(after!.log).toBeLessThan(10);
    await checkpointer.stop();
    writer.close();
  });

  it('reports that it stopped when it cannot checkpoint (here: the file is not a database)', async () => {
    const path = join(dir, 'not-a-database.db');
    writeFileSync(path, 'this is not an SQLite file, but it is long enough to be read as one: '.repeat(100));
    let stopped: unknown;
    const checkpointer = startCheckpointer(path, { everyMs: 10, onStopped: (error) => (stopped = error ?? 'stopped') });
    await until(() => stopped !== undefined, 'the worker to report that it stopped');
    expect(stopped).toBeInstanceOf(Error);
    expect((stopped as Error).message).toMatch(/checkpoint failed: .*(not a database|file is encrypted)/i);
    await checkpointer.stop(); // after a crash, stopping is harmless
  });
});

describe('a bot database on SQLite', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });
  const open = async (name: string, checkpoints?: 'worker' | 'inline') => {
    const url = `file:${join(dir, name)}`;
    const db = openDatabase({ dialect: 'sqlite', url }, checkpoints ? { checkpoints } : {});
    opened.push(db);
    await migrate(db);
    return { db, path: join(dir, name) };
  };
  const autocheckpoint = async (db: Database) => {
    const [prisma] = await db.client.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>('PRAGMA wal_autocheckpoint');
    const [direct] = await db.hotPath<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint', []);
    return [Number(prisma!.wal_autocheckpoint), Number(direct!.wal_autocheckpoint)];
  };

  it('leaves checkpoints to the worker: its own connections copy only past the fallback limit', async () => {
    const { db, path } = await open('bot.db');
    expect(await autocheckpoint(db)).toEqual([FALLBACK_AUTOCHECKPOINT_PAGES, FALLBACK_AUTOCHECKPOINT_PAGES]);
    // About 1,500 pages through the hot path, above SQLite's own 1,000 and far below the fallback's
    // 10,000: only the worker can have put them into the database file.
    const now = new Date();
    for (let i = 0; i < 1_500; i++) {
      await db.hotPath(
        `INSERT INTO "InboxEvent" ("id", "eventId", "eventType", "payload", "status", "attempts", "availableAt", "createdAt") VALUES (?, ?, 'im.message.receive_v1', ?, 'done', 1, ?, ?)`,
        [`row-${i}`, `event-${i}`, PAGE_FILLER, now, now],
      );
    }
    await until(() => rowsInFileAlone(path, 'InboxEvent') === 1_500, 'the 1,500 events to reach the database file');
  });

  it("checkpoints inside commits as SQLite does by default when asked to ('inline')", async () => {
    const { db } = await open('inline.db', 'inline');
    expect(await autocheckpoint(db)).toEqual([SQLITE_AUTOCHECKPOINT_PAGES, SQLITE_AUTOCHECKPOINT_PAGES]);
  });
});
