// The database handle used by the whole app: one Prisma client per process, SQLite or PostgreSQL.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient, Prisma } from './generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from './generated/postgres/client.ts';
import type { Config } from '../config.js';

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
   * Runs `fn` ahead of queued background work (SQLite serialises all access): for the writes a
   * waiting HTTP caller depends on, such as the inbox insert before Lark's 200.
   */
  urgent<T>(fn: () => Promise<T>): Promise<T>;
  /** Formats a timestamp for raw SQL exactly as Prisma stores it in this dialect. */
  timestamp(d: Date): Date | string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Callers run one at a time, first come first served, except that urgent callers go first. */
class Mutex {
  #held = false;
  readonly #urgent: (() => void)[] = [];
  readonly #normal: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    if (this.#held) await new Promise<void>((resolve) => (urgent ? this.#urgent : this.#normal).push(resolve));
    this.#held = true;
    try {
      return await fn();
    } finally {
      const next = this.#urgent.shift() ?? this.#normal.shift();
      if (next) next();
      else this.#held = false;
    }
  }
}

interface Lane {
  inTransaction?: true;
  urgent?: true;
}

export function openDatabase(database: Config['database'], options: { poolSize?: number } = {}): Database {
  return database.dialect === 'sqlite' ? openSqlite(database.url) : openPostgres(database.url, options.poolSize ?? 10);
}

// The better-sqlite3 adapter keeps one connection, and an interactive transaction stays open across
// awaits: any statement issued meanwhile would silently join (and roll back with) that
// transaction. So on SQLite every statement and every transaction takes one process-wide turn.
function openSqlite(url: string): Database {
  const path = url.replace(/^file:/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
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
  // WAL lets readers proceed during writes; NORMAL sync is still durable across a process crash.
  const ready = (async () => {
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await base.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
    await base.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  })();
  return {
    dialect: 'sqlite',
    client,
    transaction: async (fn) => {
      await ready;
      const urgent = lane.getStore()?.urgent === true;
      return mutex.run(() => lane.run({ inTransaction: true }, () => client.$transaction(fn, { timeout: 30_000, maxWait: 30_000 })), urgent);
    },
    urgent: (fn) => lane.run({ urgent: true }, fn),
    // Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit +00:00 offset.
    timestamp: (d) => d.toISOString().replace('Z', '+00:00'),
    ping: () => pingWith(client),
    close: async () => {
      await ready.catch(() => undefined);
      await mutex.run(() => base.$disconnect());
    },
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  const client = new PostgresClient({ adapter }) as unknown as SqliteClient;
  return {
    dialect: 'postgres',
    client,
    transaction: (fn) => client.$transaction(fn, { timeout: 30_000, maxWait: 10_000 }),
    urgent: (fn) => fn(),
    timestamp: (d) => d,
    ping: () => pingWith(client),
    close: () => client.$disconnect(),
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
