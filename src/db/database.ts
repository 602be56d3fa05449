// The database handle used by the whole app: one Prisma client per process, SQLite or PostgreSQL.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../config.js';
import { type Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES, SQLITE_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import { PrismaClient as PostgresClient } from './generated/postgres/client.ts';
import { Prisma, PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { OWNER_ONLY_DIR, ownerOnlyFile } from './owner-only.js';

export { Prisma };

/** The app is typed against the SQLite client; the PostgreSQL one has the same models. */
export type Client = Omit<SqliteClient, '$transaction' | '$connect' | '$disconnect' | '$extends' | '$on'>;
export type Tx = Prisma.TransactionClient;

export interface Database {
  dialect: 'sqlite' | 'postgres';
  /** Single statements. Safe to call anywhere, including concurrently with transactions. */
  client: Client;
  /** The only way to open a transaction. Never do network I/O inside one. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` ahead of queued background work (SQLite serialises all access): for the work a
   * waiting HTTP caller depends on, such as a card callback's transaction.
   */
  urgent<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * One statement outside Prisma, ahead of queued background work: for the hot path behind
   * Lark's 200, where Prisma's per-query cost (planning, preparing, mapping rows) would be most of
   * the work. Placeholders are `?`; Dates are stored as Prisma stores them. SQLite runs it on a
   * second connection with statements prepared once; PostgreSQL on a small pool of its own.
   */
  hotPath<Row>(sql: string, params: readonly HotParam[]): Promise<Row[]>;
  /** Formats a timestamp for raw SQL exactly as Prisma stores it in this dialect. */
  timestamp(d: Date): Date | string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type HotParam = string | number | null | Date;

/**
 * A timestamp column read through the hot path: a Date on PostgreSQL (read as UTC), the text
 * Prisma stored on SQLite (ISO 8601 with its offset), or SQLite's own CURRENT_TIMESTAMP text
 * (UTC without a zone) for a row a column default filled in.
 */
export function hotTimestamp(v: Date | string | number | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  return new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
}

/** A database's hot path, for a repository serving an action that runs without a transaction. */
export interface HotPath {
  query: Database['hotPath'];
  dialect: Database['dialect'];
}
const hotPaths = new WeakMap<object, HotPath>();
/**
 * The hot path of the database whose top-level client `c` is; undefined for a transaction's
 * client, whose statements must go through the transaction.
 */
export function hotPathOf(c: Tx | Client): HotPath | undefined {
  return hotPaths.get(c);
}

/** How long background work on SQLite may keep the event loop from reading sockets. */
export const SQLITE_TURN_MS = 10;

/**
 * Tells whether the event loop has had a turn (reached its check phase) within the last `ms`.
 * better-sqlite3 answers synchronously, so a chain of awaited statements is one microtask chain
 * that never lets the loop read a socket: a first retention pass over 100 k applications held it
 * for 26 s, and every click in that time waited for it.
 */
export function loopTurnedWithin(ms: number): boolean {
  if (!turn.stamping) {
    turn.stamping = true;
    setImmediate(() => {
      turn.at = performance.now();
      turn.stamping = false;
    });
  }
  return performance.now() - turn.at <= ms;
}
const turn = { at: 0, stamping: false };
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Callers run one at a time, first come first served, except that urgent callers go first.
 * Background (not urgent) callers first give the event loop a turn when it has not had one for
 * SQLITE_TURN_MS, so that a click that arrived meanwhile is read and goes ahead of them.
 */
class Mutex {
  #held = false;
  readonly #urgent: (() => void)[] = [];
  readonly #normal: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    if (!urgent && !loopTurnedWithin(SQLITE_TURN_MS)) await nextTurn();
    if (this.#held) await new Promise<void>((resolve) => (urgent ? this.#urgent : this.#normal).push(resolve));
    this.#held = true;
    try {
      return await fn();
    } finally {
      const urgent = this.#urgent.shift();
      if (urgent) urgent();
      else if (this.#normal.length > 0) {
        // Handing over in a later turn of the event loop lets waiting sockets be read first: an
        // urgent write (the inbox insert behind Lark's 200) then goes ahead of queued work.
        setImmediate(() => {
          const next = this.#urgent.shift() ?? this.#normal.shift();
          if (next) next();
          else this.#held = false;
        });
      } else this.#held = false;
    }
  }
}

interface Lane {
  inTransaction?: true;
  urgent?: true;
}

export interface OpenOptions {
  /** PostgreSQL: connections in Prisma's pool. */
  poolSize?: number;
  /**
   * SQLite: who copies the write-ahead log back into the file. 'worker' (the default for a file)
   * is a thread of its own (src/db/checkpointer.ts); 'inline' is SQLite's own way, inside
   * whichever commit finds the log long, for a short-lived tool that would not gain from a thread.
   */
  checkpoints?: 'worker' | 'inline';
}

export function openDatabase(database: Config['database'], options: OpenOptions = {}): Database {
  return database.dialect === 'sqlite' ? openSqlite(database.url, options) : openPostgres(database.url, options.poolSize ?? 10);
}

// The better-sqlite3 adapter keeps one connection, and an interactive transaction stays open across
// awaits: any statement issued meanwhile would silently join (and roll back with) that
// transaction. So on SQLite every statement and every transaction takes one process-wide turn.
function openSqlite(url: string, options: OpenOptions): Database {
  const path = url.replace(/^file:/, '');
  const inMemory = path === ':memory:';
  if (!inMemory) {
    mkdirSync(dirname(path), { recursive: true, mode: OWNER_ONLY_DIR });
    ownerOnlyFile(path);
  }
  const adapter = new PrismaBetterSqlite3({ url, timeout: 10_000 });
  const base = new SqliteClient({ adapter });
  const mutex = new Mutex();
  const lane = new AsyncLocalStorage<Lane>();
  const client = base.$extends({
    query: {
      async $allOperations({ args, query }) {
        const current = lane.getStore();
        if (current?.inTransaction) return query(args);
        return mutex.run(() => query(args), current?.urgent === true);
      },
    },
  }) as unknown as SqliteClient;
  let autocheckpoint = SQLITE_AUTOCHECKPOINT_PAGES;
  let checkpointer: Checkpointer | undefined;
  // WAL lets readers proceed during writes; NORMAL sync is still durable across a process crash.
  const ready = (async () => {
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await base.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
    await base.$queryRawUnsafe('PRAGMA foreign_keys = ON');
    if (!inMemory && (options.checkpoints ?? 'worker') === 'worker') {
      autocheckpoint = FALLBACK_AUTOCHECKPOINT_PAGES;
      await base.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${autocheckpoint}`);
      checkpointer = startCheckpointer(path, {
        // The worker died: the connections here checkpoint as SQLite does by default again.
        onStopped: () => {
          autocheckpoint = SQLITE_AUTOCHECKPOINT_PAGES;
          void mutex
            .run(async () => {
              direct?.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
              await base.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${autocheckpoint}`);
            })
            .catch(() => undefined);
        },
      });
    }
  })();
  // Only ever used inside the mutex, when no Prisma statement or transaction is open in this
  // process, so the two connections never wait on each other's locks.
  let direct: BetterSqlite3.Database | undefined;
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statement = (sql: string) => {
    if (!direct) {
      direct = new BetterSqlite3(path, { timeout: 10_000 });
      direct.pragma('journal_mode = WAL');
      direct.pragma('synchronous = NORMAL');
      direct.pragma('foreign_keys = ON');
      direct.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    }
    let prepared = statements.get(sql);
    if (!prepared) {
      if (statements.size >= 100) statements.clear(); // batch inserts of every size: keep it bounded
      statements.set(sql, (prepared = direct.prepare(sql)));
    }
    return prepared;
  };
  const sqliteValue = (v: HotParam) => (v instanceof Date ? sqliteTimestamp(v) : v);
  const hotPath = async <Row>(sql: string, params: readonly HotParam[]): Promise<Row[]> => {
    await ready;
    // An in-memory database is private to its connection: there the hot path is Prisma's.
    if (inMemory) return mutex.run(() => base.$queryRawUnsafe<Row[]>(sql, ...params.map(sqliteValue)), true);
    return mutex.run(async () => {
      const s = statement(sql);
      const values = params.map(sqliteValue);
      if (s.reader) return s.all(...values) as Row[];
      s.run(...values);
      return [];
    }, true);
  };
  hotPaths.set(client, { query: hotPath, dialect: 'sqlite' });
  return {
    dialect: 'sqlite',
    client,
    hotPath,
    transaction: async (fn) => {
      await ready;
      const urgent = lane.getStore()?.urgent === true;
      return mutex.run(() => lane.run({ inTransaction: true }, () => client.$transaction(fn, { timeout: 30_000, maxWait: 30_000 })), urgent);
    },
    urgent: (fn) => lane.run({ urgent: true }, fn),
    // Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit +00:00 offset.
    timestamp: sqliteTimestamp,
    ping: () => pingWith(client),
    close: async () => {
      await ready.catch(() => undefined);
      await checkpointer?.stop();
      await mutex.run(async () => {
        direct?.close();
        await base.$disconnect();
      });
    },
  };
}

const sqliteTimestamp = (d: Date) => d.toISOString().replace('Z', '+00:00');

/** PostgreSQL's type id of TIMESTAMP WITHOUT TIME ZONE. */
const TIMESTAMP_OID = 1114;
const utcTimestamp = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

function openPostgres(url: string, poolSize: number): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  const client = new PostgresClient({ adapter }) as unknown as SqliteClient;
  // Prisma's columns are TIMESTAMP(3) without a zone, holding UTC: never let pg apply the local zone.
  const pgValue = (v: HotParam) => (v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v);
  let hot: pg.Pool | undefined;
  const named = new Map<string, { name: string; text: string }>();
  const hotPath = async <Row>(sql: string, params: readonly HotParam[]): Promise<Row[]> => {
    if (!hot) {
      // Read back as Prisma reads them: a TIMESTAMP(3) without zone is UTC, whatever TZ says.
      const types = { getTypeParser: (oid: number, format?: string) => (oid === TIMESTAMP_OID ? utcTimestamp : pg.types.getTypeParser(oid, format as 'text')) };
      hot = new pg.Pool({ connectionString: url, max: 2, types: types as pg.CustomTypesConfig });
      hot.on('error', () => undefined); // an idle connection dropped: the next query opens another
    }
    let prepared = named.get(sql);
    if (!prepared) {
      let n = 0;
      // Named, so each connection parses and plans it once (a bounded set: the hot path's own statements).
      prepared = { name: `hot${named.size}`, text: sql.replace(/\?/g, () => `$${++n}`) };
      if (named.size < 100) named.set(sql, prepared);
      else delete (prepared as { name?: string }).name;
    }
    const result = await hot.query({ ...prepared, values: params.map(pgValue) });
    return result.rows as Row[];
  };
  hotPaths.set(client, { query: hotPath, dialect: 'postgres' });
  return {
    dialect: 'postgres',
    client,
    hotPath,
    transaction: (fn) => client.$transaction(fn, { timeout: 30_000, maxWait: 10_000 }),
    urgent: (fn) => fn(),
    timestamp: (d) => d,
    ping: () => pingWith(client),
    close: async () => {
      await hot?.end();
      await client.$disconnect();
    },
  };
}

async function pingWith(client: Client): Promise<boolean> {
  try {
    await client.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** True when the error is a unique-constraint violation (P2002), on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * Serialises the transactions that take the same name: the second waits until the first has
 * committed, then sees what it wrote. One-shot actions (start a public notice, confirm a list,
 * start an export) take their name first, so a double click or two administrators at once get the
 * first one's result. An upsert of a Counter row: PostgreSQL holds the row lock (or the conflicting
 * insert) until commit; SQLite serialises every transaction anyway.
 */
export async function lockName(tx: Tx, name: string): Promise<void> {
  const key = `lock:${name}`.slice(0, 500);
  await tx.$executeRaw`INSERT INTO "Counter" ("key", "value") VALUES (${key}, 1) ON CONFLICT ("key") DO UPDATE SET "value" = "Counter"."value" + 1`;
}
