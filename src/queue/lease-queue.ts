// A table used as a work queue with leases, on SQLite and PostgreSQL alike. A claim is one UPDATE
// of due rows (PostgreSQL skips rows another instance is claiming), so two instances never hold
// the same row; a row whose lease expired (its holder crashed) is claimed again.
import { randomUUID } from 'node:crypto';
import { type Client, type Database, type HotParam, hotTimestamp, Prisma, type Tx } from '../db/database.js';

export interface QueueRow {
  seq: number;
  id: string;
  status: string;
  attempts: number;
  leaseOwner: string | null;
}

type Where = Record<string, unknown>;
/** The part of a Prisma model delegate the queue needs. */
export interface QueueTable<Row> {
  findMany(args: { where: Where; orderBy?: Where; take?: number }): Promise<Row[]>;
  updateMany(args: { where: Where; data: Where }): Promise<{ count: number }>;
  count(args: { where: Where }): Promise<number>;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** Exponential backoff with ±20 % jitter, so retries from many rows do not arrive together. */
export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.min(policy.maxDelayMs, Math.round(raw * (0.8 + 0.4 * random())));
}

export type Claimed<Row> = Row & { lease: string };

/** The timestamp columns both queue tables have: read back through the hot path, they become Dates. */
const QUEUE_TIMESTAMPS = ['availableAt', 'leaseUntil', 'createdAt', 'doneAt'] as const;
/** What `complete` may set besides its own columns (names go into the statement, so only these). */
const COMPLETE_EXTRAS = new Set(['result']);

/**
 * A row set aside until its availableAt (LeaseQueue.hold): waiting like a pending one, but out of
 * the claims' way; it becomes pending again when released.
 */
export const HELD = 'held';
/** Rows not yet claimed. */
export const UNCLAIMED_STATUSES = ['pending', HELD] as const;
/** Rows not yet finished (claimed ones are being worked on). */
export const UNFINISHED_STATUSES = ['pending', HELD, 'leased'] as const;

/** Rows given up on, in the transaction that gave them up (to tell someone, exactly once). */
export type DeadLetterHandler<Row> = (tx: Tx, rows: Row[]) => Promise<void>;

/** What a row given up on after its handler kept dying (the process stopped each time) says. */
export const ABANDONED = 'abandoned: the process handling it stopped before it finished, every time it was tried';
/** What a row claimed again after its lease ran out says until it finishes. */
export const LEASE_EXPIRED = 'lease expired: the process handling it stopped before it finished; tried again';

/**
 * Held rows come back at most `batch` at a time and one batch per `gapMs` at most: 250 every 5 s is
 * Lark's 50 messages a second. Released faster than they can go, they would only be held again.
 */
export const RELEASE = { batch: 250, gapMs: 5_000 };
/** Pending rows a hold sets aside per statement. */
const HOLD_BATCH = 500;

export class LeaseQueue<Row extends QueueRow> {
  readonly #instance = randomUUID().slice(0, 8);
  #claims = 0;
  #sweptAt = 0;
  /** When rows this process held come due (Infinity: none it knows of; the sweep finds other instances'). */
  #releaseAt = Number.POSITIVE_INFINITY;
  /** The last claim found fewer due rows than it asked for: held rows may come in. */
  #drained = true;

  constructor(
    private readonly db: Database,
    /** The table's SQL name, for the claim statement. */
    private readonly tableName: 'InboxEvent' | 'OutboxMessage',
    private readonly table: (c: Client | Tx) => QueueTable<Row>,
    private readonly leaseMs: number,
    readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly onDead?: DeadLetterHandler<Row>,
    /** The table has rows that `hold` sets aside (the outbox); others never look for held rows. */
    private readonly holds = false,
    private readonly releasePace = RELEASE,
  ) {}

  /**
   * Claims up to `limit` due rows, oldest first. The attempt is counted here, when the work starts:
   * a row whose handler takes the whole process down (and so never reports a failure) still uses
   * up its attempts, and one whose lease ran out on its last attempt is given up (see sweep).
   */
  async claim(limit: number): Promise<Claimed<Row>[]> {
    if (limit <= 0) return [];
    const now = new Date();
    const sweeping = now.getTime() - this.#sweptAt >= Math.min(this.leaseMs, 5_000);
    if (sweeping) {
      this.#sweptAt = now.getTime();
      await this.sweep(now);
    }
    // Held rows come back a batch at a time, once the rows due before them have been taken: all at
    // once, a backlog held for a used-up quota would be claimed and held again in one sweep.
    if (this.holds && this.#drained && (sweeping || now.getTime() >= this.#releaseAt)) {
      const released = await this.releaseHeld(now);
      this.#releaseAt = released === this.releasePace.batch ? now.getTime() + this.releasePace.gapMs : Number.POSITIVE_INFINITY;
    }
    // A lease id per claim, not per instance: a late finisher whose lease expired and was
    // re-claimed (even by this same process) can no longer complete the row.
    const lease = `${this.#instance}:${++this.#claims}`;
    // Through the hot path: a worker claims after every row it finishes and at every poll, and
    // through the ORM each claim cost two statements' worth of its client runtime.
    const skipLocked = this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    // Due rows and rows whose lease ran out are looked for apart, each walking the (status, seq,
    // availableAt) index in write order, so a claim reads a few index entries however long the
    // backlog. Written as one OR, it read every pending row and sorted them (3.6 ms a claim with
    // 40,000 waiting; 12 ms where SQLite had statistics and scanned the table). Write order, not
    // the time a row came due: a row put back to wait for a slot must not fall behind the rows
    // written meanwhile (ordered by due time, replies waited seconds behind newer ones).
    const t = `"${this.tableName}"`;
    // SQLite's planner, given statistics, may prefer scanning the table in seq order: not here.
    const byIndex = this.db.dialect === 'sqlite' ? `INDEXED BY "${this.tableName}_status_seq_availableAt_idx"` : '';
    const rows = await this.db.hotPath<Record<string, unknown>>(
      `UPDATE ${t} SET "status" = 'leased', "leaseOwner" = ?, "leaseUntil" = ?, "attempts" = "attempts" + 1,
         "lastError" = CASE WHEN "status" = 'leased' THEN ? ELSE "lastError" END
       WHERE "seq" IN (
         SELECT "seq" FROM (SELECT "seq" FROM ${t} ${byIndex} WHERE "status" = 'pending' AND "availableAt" <= ? ORDER BY "seq" LIMIT ? ${skipLocked}) AS "due"
         UNION ALL
         SELECT "seq" FROM (SELECT "seq" FROM ${t} ${byIndex} WHERE "status" = 'leased' AND "leaseUntil" < ? AND "attempts" < ? ORDER BY "seq" LIMIT ? ${skipLocked}) AS "expired"
         ORDER BY "seq" LIMIT ?)
       RETURNING *`,
      [lease, new Date(now.getTime() + this.leaseMs), LEASE_EXPIRED, now, limit, now, this.retry.maxAttempts, limit, limit],
    );
    this.#drained = rows.length < limit;
    return rows
      .map((r) => {
        const row = { ...r, seq: Number(r.seq), attempts: Number(r.attempts), lease } as Record<string, unknown>;
        for (const c of QUEUE_TIMESTAMPS) row[c] = hotTimestamp(r[c] as Date | string | null);
        return row as unknown as Claimed<Row>;
      })
      .sort((a, b) => a.seq - b.seq);
  }

  /** Marks the row done if this claim still holds it; false means the lease was lost. */
  async complete(row: Claimed<Row>, extra: Record<string, string | null> = {}, tx?: Tx): Promise<boolean> {
    if (!tx) {
      // Outside a transaction (a message sent): one statement through the hot path.
      const extras = Object.entries(extra);
      for (const [k] of extras) if (!COMPLETE_EXTRAS.has(k)) throw new Error(`complete cannot set ${k}`);
      const done = await this.db.hotPath<{ seq: number }>(
        `UPDATE "${this.tableName}" SET "status" = 'done', "doneAt" = ?, "leaseOwner" = NULL, "leaseUntil" = NULL, "lastError" = NULL${extras.map(([k]) => `, "${k}" = ?`).join('')}
         WHERE "id" = ? AND "status" = 'leased' AND "leaseOwner" = ? RETURNING "seq"`,
        [new Date(), ...extras.map(([, v]) => v as HotParam), row.id, row.lease],
      );
      return done.length === 1;
    }
    const { count } = await this.table(tx).updateMany({
      where: { id: row.id, status: 'leased', leaseOwner: row.lease },
      data: { status: 'done', doneAt: new Date(), leaseOwner: null, leaseUntil: null, lastError: null, ...extra },
    });
    return count === 1;
  }

  /**
   * Rows whose lease ran out on their last attempt (the process died while handling them, every
   * time) are given up: dead, with the reason, and handed to the dead-letter handler in the same
   * transaction, so someone is told exactly once even with several instances sweeping.
   */
  async sweep(now = new Date()): Promise<number> {
    const table = Prisma.raw(`"${this.tableName}"`);
    const at = this.db.timestamp(now);
    return this.db.transaction(async (tx) => {
      const gone = await tx.$queryRaw<{ seq: number | bigint }[]>(Prisma.sql`
        UPDATE ${table} SET "status" = 'dead', "leaseOwner" = NULL, "leaseUntil" = NULL, "doneAt" = ${at}, "lastError" = ${ABANDONED}
        WHERE "status" = 'leased' AND "leaseUntil" < ${at} AND "attempts" >= ${this.retry.maxAttempts}
        RETURNING "seq"`);
      if (gone.length && this.onDead)
        await this.onDead(tx, await this.table(tx).findMany({ where: { seq: { in: gone.map((g) => Number(g.seq)) } }, orderBy: { seq: 'asc' } }));
      return gone.length;
    });
  }

  /** Puts the row back for a later try; after maxAttempts it goes dead (visible, not retried, handed to the dead-letter handler). */
  async fail(row: Claimed<Row>, error: string, opts: { delayMs?: number; permanent?: boolean } = {}): Promise<'retry' | 'dead' | 'lost'> {
    const dead = opts.permanent === true || row.attempts >= this.retry.maxAttempts;
    const delay = opts.delayMs ?? backoffMs(row.attempts, this.retry);
    return this.db.transaction(async (tx) => {
      const { count } = await this.table(tx).updateMany({
        where: { id: row.id, status: 'leased', leaseOwner: row.lease },
        data: dead
          ? { status: 'dead', leaseOwner: null, leaseUntil: null, lastError: error.slice(0, 2000), doneAt: new Date() }
          : { status: 'pending', leaseOwner: null, leaseUntil: null, lastError: error.slice(0, 2000), availableAt: new Date(Date.now() + delay) },
      });
      // Only the holder of the lease decides; a late finisher whose lease was taken changes nothing.
      if (count !== 1) return 'lost';
      if (dead && this.onDead) await this.onDead(tx, [{ ...row, status: 'dead', lastError: error.slice(0, 2000) }]);
      return dead ? 'dead' : 'retry';
    });
  }

  /** Waits without spending an attempt (rate limits are not failures of the row). */
  async postpone(row: Claimed<Row>, delayMs: number, reason: string): Promise<void> {
    await this.table(this.db.client).updateMany({
      where: { id: row.id, status: 'leased', leaseOwner: row.lease },
      data: {
        status: 'pending',
        leaseOwner: null,
        leaseUntil: null,
        lastError: reason.slice(0, 2000),
        availableAt: new Date(Date.now() + delayMs),
        attempts: { decrement: 1 },
      },
    });
  }

  /**
   * Sets `row` aside until `until` without spending an attempt, and with it every pending row whose
   * `alike.column` is one of `alike.values` (oldest first, HOLD_BATCH a statement), for a limit used
   * up for longer than a claimed row may wait: Lark's 1,000 messages a minute. Put back as pending
   * one by one instead, a backlog beyond that limit was claimed again each time it came due, and
   * every claim walked the rows not yet due in the index (2.8 ms a claim behind 40,000 of them): most
   * of the bot's time went there. Held rows are out of the claims' way; `claim` releases them.
   */
  async hold(row: Claimed<Row>, until: Date, reason: string, alike?: { column: 'kind'; values: readonly string[] }): Promise<void> {
    await this.table(this.db.client).updateMany({
      where: { id: row.id, status: 'leased', leaseOwner: row.lease },
      data: { status: HELD, leaseOwner: null, leaseUntil: null, lastError: reason.slice(0, 2000), availableAt: until, attempts: { decrement: 1 } },
    });
    // The quota is used up until then: nothing of it is released before (the sweep, every 5 s,
    // still releases what other holds made due).
    this.#releaseAt = until.getTime();
    if (!alike || alike.values.length === 0) return;
    const t = Prisma.raw(`"${this.tableName}"`);
    const column = Prisma.raw(`"${alike.column}"`);
    const at = this.db.timestamp(until);
    const skipLocked = Prisma.raw(this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '');
    for (;;) {
      // A row already waiting longer (a retry's backoff) keeps its own time.
      const held = await this.db.client.$executeRaw(Prisma.sql`
        UPDATE ${t} SET "status" = ${HELD}, "lastError" = ${reason.slice(0, 2000)},
          "availableAt" = CASE WHEN "availableAt" > ${at} THEN "availableAt" ELSE ${at} END
        WHERE "seq" IN (SELECT "seq" FROM ${t} WHERE "status" = 'pending' AND ${column} IN (${Prisma.join(alike.values)}) ORDER BY "seq" LIMIT ${HOLD_BATCH} ${skipLocked})`);
      if (held < HOLD_BATCH) return;
    }
  }

  /** Makes up to a batch of held rows that are due pending again, oldest first; returns how many. */
  async releaseHeld(now = new Date()): Promise<number> {
    const t = `"${this.tableName}"`;
    const skipLocked = this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const released = await this.db.hotPath<{ seq: number }>(
      `UPDATE ${t} SET "status" = 'pending'
       WHERE "seq" IN (SELECT "seq" FROM ${t} WHERE "status" = '${HELD}' AND "availableAt" <= ? ORDER BY "seq" LIMIT ? ${skipLocked})
       RETURNING "seq"`,
      [now, this.releasePace.batch],
    );
    return released.length;
  }

  /** Hands a claimed but unstarted row back at once (graceful shutdown). */
  async release(row: Claimed<Row>): Promise<void> {
    await this.postpone(row, 0, 'released at shutdown');
  }

  async counts(): Promise<Record<'pending' | 'leased' | 'dead', number>> {
    const t = this.table(this.db.client);
    // Held rows are waiting like pending ones.
    const [pending, leased, dead] = await Promise.all(
      [[...UNCLAIMED_STATUSES], ['leased'], ['dead']].map((statuses) => t.count({ where: { status: { in: statuses } } })),
    );
    return { pending: pending!, leased: leased!, dead: dead! };
  }
}
