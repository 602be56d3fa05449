// Retention (PIPL: kept only as long as needed). Once a day, across instances, personal data the
// bot no longer needs is removed; each period is configurable (RETENTION_* in src/config.ts) and
// documented in docs/operators.md. Each step is one idempotent statement or a bounded batch, so a crash
// in the middle leaves the rest for the next run.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { deadlineInstant } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { RetentionPeriods } from '../config.js';
import { type Database, isUniqueViolation, type Tx } from '../db/database.js';
import type { FileStore } from '../files/store.js';
import { UNFINISHED_STATUSES } from '../queue/lease-queue.js';

const DAY_MS = 86_400_000;
const BATCH = 500;
/** Drafts one transaction deletes with what hangs on them: 30-40 ms on SQLite at province scale (500 took 70-80), so clicks get in between. */
const DRAFT_BATCH = 100;

/** What a processed event keeps of its payload, and a sent message of its card. */
export const REMOVED_PAYLOAD = '';
export const REMOVED_CARD = '{}';

export interface RetentionReport {
  inboxPayloads: number;
  outboxPayloads: number;
  snapshots: number;
  drafts: number;
  uploads: number;
  files: number;
}

export interface RetentionDeps {
  db: Database;
  campaigns: () => readonly Campaign[];
  periods: RetentionPeriods;
  fileStore: FileStore;
}

/** Files whose rows are gone are removed now (the hourly sweep would, an hour later). */
async function removeUnreferenced(db: Database, store: FileStore, sha256s: Iterable<string>): Promise<number> {
  let removed = 0;
  for (const sha of new Set(sha256s)) {
    if ((await db.client.upload.count({ where: { sha256: sha } })) > 0) continue;
    await store.remove(sha);
    removed++;
  }
  return removed;
}

/** Deletes applications (drafts, or everything of a person) and what hangs on them; returns the files' hashes. */
export async function deleteApplications(tx: Tx, ids: readonly string[]): Promise<{ uploads: string[] }> {
  if (!ids.length) return { uploads: [] };
  const uploads = await tx.upload.findMany({ where: { applicationId: { in: [...ids] } }, select: { sha256: true } });
  await tx.upload.deleteMany({ where: { applicationId: { in: [...ids] } } });
  await tx.reviewTask.deleteMany({ where: { applicationId: { in: [...ids] } } });
  await tx.unitConflict.deleteMany({ where: { OR: [{ claimedBy: { in: [...ids] } }, { heldBy: { in: [...ids] } }] } });
  await tx.application.deleteMany({ where: { id: { in: [...ids] } } });
  return { uploads: uploads.map((u) => u.sha256) };
}

/** Rows whose payloads one statement clears: short enough (under 30 ms on SQLite at province scale) for card callbacks to get in between. */
const PAYLOAD_BATCH = 1_000;

/**
 * Finds and clears rows a batch at a time; how many were cleared. A first pass (`lastSeq` given)
 * walks the primary key in windows of PAYLOAD_BATCH up to it, so each batch reads only its own rows
 * however many there are; a daily pass follows its doneAt range in seq order from where the last
 * batch ended.
 */
async function inBatches(
  find: (seq: { gt: number; lte?: number }) => Promise<{ seq: number }[]>,
  clear: (seqs: number[]) => Promise<{ count: number }>,
  lastSeq: number | null,
): Promise<number> {
  let cleared = 0;
  let after = 0;
  for (;;) {
    const rows = await find(lastSeq === null ? { gt: after } : { gt: after, lte: after + PAYLOAD_BATCH });
    if (rows.length) cleared += (await clear(rows.map((r) => r.seq))).count;
    if (lastSeq !== null) {
      after += PAYLOAD_BATCH;
      if (after >= lastSeq) return cleared;
    } else {
      if (rows.length < PAYLOAD_BATCH) return cleared;
      after = rows.at(-1)!.seq;
    }
  }
}

export function createRetention(deps: RetentionDeps) {
  const { db } = deps;

  // How far payloads were cleared, as a day number (Counter values are 32-bit).
  const clearedKey = (what: string) => `retention:${what}:cleared-day`;
  async function clearedUpTo(what: string, cutoff: Date): Promise<Date | null> {
    const row = await db.client.counter.findUnique({ where: { key: clearedKey(what) } });
    if (!row || row.value * DAY_MS > cutoff.getTime()) return null; // never run, or the period grew: all of it
    return new Date((row.value - 1) * DAY_MS);
  }
  async function markCleared(what: string, cutoff: Date): Promise<void> {
    const value = Math.floor(cutoff.getTime() / DAY_MS);
    await db.client.counter.upsert({ where: { key: clearedKey(what) }, create: { key: clearedKey(what), value }, update: { value } });
  }

  /** Return snapshots are kept only while a resubmission may still need the diff. */
  async function trimSnapshots(): Promise<number> {
    let cleared = 0;
    let after = '';
    for (;;) {
      const rows = await db.client.reviewTask.findMany({
        where: { snapshot: { not: null }, id: { gt: after } },
        select: { id: true, applicationId: true, stageId: true, round: true, decision: true },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
      if (!rows.length) return cleared;
      after = rows[rows.length - 1]!.id;
      const done: string[] = [];
      for (const t of rows) {
        if (t.decision !== 'return') {
          done.push(t.id);
          continue;
        }
        const app = await db.client.application.findUnique({ where: { id: t.applicationId }, select: { status: true } });
        const settled = !app || !['submitted', 'returned'].includes(app.status);
        const reviewedAgain =
          (await db.client.reviewTask.count({ where: { applicationId: t.applicationId, stageId: t.stageId, round: { gt: t.round }, status: 'decided' } })) > 0;
        if (settled || reviewedAgain) done.push(t.id);
      }
      if (done.length) cleared += (await db.client.reviewTask.updateMany({ where: { id: { in: done } }, data: { snapshot: null } })).count;
    }
  }

  /** Drafts never submitted, `draftDays` after their programme's deadline, and files never put in a slot. */
  async function removeAbandonedDrafts(now: Date): Promise<{ drafts: number; uploads: number; files: number }> {
    const cutoff = now.getTime() - deps.periods.draftDays * DAY_MS;
    let drafts = 0;
    const hashes: string[] = [];
    for (const c of deps.campaigns()) {
      const deadline = deadlineInstant(c);
      if (!deadline || deadline.getTime() > cutoff) continue;
      for (;;) {
        const ids = (await db.client.application.findMany({ where: { campaignId: c.id, status: 'draft' }, select: { id: true }, take: DRAFT_BATCH })).map(
          (a) => a.id,
        );
        if (!ids.length) break;
        const { uploads } = await db.transaction((tx) => deleteApplications(tx, ids));
        drafts += ids.length;
        hashes.push(...uploads);
      }
    }
    // Files sent in the chat but never put into an application.
    const loose = await db.client.upload.findMany({ where: { applicationId: null, createdAt: { lt: new Date(cutoff) } }, select: { id: true, sha256: true } });
    if (loose.length) await db.client.upload.deleteMany({ where: { id: { in: loose.map((u) => u.id) } } });
    hashes.push(...loose.map((u) => u.sha256));
    return { drafts, uploads: hashes.length, files: await removeUnreferenced(db, deps.fileStore, hashes) };
  }

  return {
    /** Everything but the export files (those are per instance: see removeExportFiles). */
    async run(now: Date): Promise<RetentionReport> {
      const inboxCutoff = new Date(now.getTime() - deps.periods.inboxDays * DAY_MS);
      const outboxCutoff = new Date(now.getTime() - deps.periods.outboxDays * DAY_MS);
      // Each run clears what fell past the cutoff since the last run (a day back from it, on the
      // doneAt index), not every row ever done: millions of rows stay cheap. The first run, or a
      // changed period, goes through everything once.
      const inboxFrom = await clearedUpTo('inbox', inboxCutoff);
      const outboxFrom = await clearedUpTo('outbox', outboxCutoff);
      // Processed events lose what people typed and clicked; the row stays for deduplication. In
      // batches: a first run over millions of rows must not hold SQLite's one writer for a minute.
      const inbox = await inBatches(
        (seq) =>
          db.client.inboxEvent.findMany({
            where: {
              seq,
              status: { in: ['done', 'dead'] },
              doneAt: { lt: inboxCutoff, ...(inboxFrom ? { gte: inboxFrom } : {}) },
              payload: { not: REMOVED_PAYLOAD },
            },
            select: { seq: true },
            orderBy: { seq: 'asc' },
            take: PAYLOAD_BATCH,
          }),
        (seqs) => db.client.inboxEvent.updateMany({ where: { seq: { in: seqs } }, data: { payload: REMOVED_PAYLOAD } }),
        inboxFrom ? null : ((await db.client.inboxEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? 0),
      );
      // Sent (or given-up) messages lose their card; the row (and the message id later patches use) stays.
      const outbox = await inBatches(
        (seq) =>
          db.client.outboxMessage.findMany({
            where: {
              seq,
              status: { in: ['done', 'dead'] },
              doneAt: { lt: outboxCutoff, ...(outboxFrom ? { gte: outboxFrom } : {}) },
              payload: { not: REMOVED_CARD },
            },
            select: { seq: true },
            orderBy: { seq: 'asc' },
            take: PAYLOAD_BATCH,
          }),
        (seqs) => db.client.outboxMessage.updateMany({ where: { seq: { in: seqs } }, data: { payload: REMOVED_CARD } }),
        outboxFrom ? null : ((await db.client.outboxMessage.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }))?.seq ?? 0),
      );
      await markCleared('inbox', inboxCutoff);
      await markCleared('outbox', outboxCutoff);
      const snapshots = await trimSnapshots();
      const drafts = await removeAbandonedDrafts(now);
      return { inboxPayloads: inbox, outboxPayloads: outbox, snapshots, drafts: drafts.drafts, uploads: drafts.uploads, files: drafts.files };
    },

    /** Once per Beijing day across instances (a unique counter claims the day); null when another instance had it. */
    async daily(now: Date): Promise<RetentionReport | null> {
      const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      try {
        await db.client.counter.create({ data: { key: `retention:${day}`, value: 1 } });
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
      return this.run(now);
    },

    /**
     * Export files `exportDays` after they were made, once nothing waits to send them. Each instance
     * writes its exports in its own DATA_DIR, so each removes its own.
     */
    async removeExportFiles(dataDir: string, now: Date): Promise<number> {
      const root = join(dataDir, 'exports');
      let entries: string[];
      try {
        entries = await readdir(root);
      } catch {
        return 0;
      }
      let removed = 0;
      for (const jobId of entries) {
        const dir = join(root, jobId);
        const made = (await stat(dir)).mtime.getTime();
        if (now.getTime() - made < deps.periods.exportDays * DAY_MS) continue;
        const waiting = await db.client.outboxMessage.count({ where: { causedBy: jobId, kind: 'file', status: { in: [...UNFINISHED_STATUSES] } } });
        if (waiting) continue;
        await rm(dir, { recursive: true, force: true });
        removed++;
      }
      return removed;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
