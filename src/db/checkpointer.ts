// SQLite copies its write-ahead log back into the database file (a checkpoint) from whichever
// connection's commit finds the log past 1,000 pages: on the event loop, inside the inbox insert
// Lark's 200 waits for. Measured on that insert (10 events a statement): 517 µs a statement on
// average with checkpoints, 295 µs without, and a 9 ms p99 when one syncs the file. Here a worker
// thread with its own connection checkpoints every CHECKPOINT_EVERY_MS instead, and the bot's own
// connections keep a far higher limit, as a fallback for when the worker cannot keep up.
// The log starts again from its beginning only at a commit that finds it wholly copied: under a
// flood of commits that moment may not come, the log grows to the fallback limit, and there the
// bot's connection copies the little the worker has not and starts it again. So the log file is at
// most about 40 MB, as a checkpoint every 10,000 pages would leave it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const CHECKPOINT_EVERY_MS = 100;
/** SQLite's own default, which the bot's connections go back to if the worker stops unexpectedly. */
export const SQLITE_AUTOCHECKPOINT_PAGES = 1_000;
/** While the worker runs, the bot's connections checkpoint only when the log is this long (40 MB). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// Plain CommonJS run with eval, so the same code works from the compiled bot and from the sources.
// PASSIVE never waits for readers or writers: it copies what no reader still needs, and the next
// commit after a complete copy starts the log from its beginning again.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 1000 });
// An error (the disk, the file) ends the worker: the bot's connections then checkpoint again.
// Rethrown as a plain Error, which reaches the parent with its message.
const checkpoint = () => {
  let row;
  try {
    [row] = db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    throw new Error('checkpoint failed: ' + ((error && error.message) || error));
  }
  if (row && row.checkpointed > 0) parentPort.postMessage({ checkpointed: row.checkpointed, log: row.log });
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/** One checkpoint that copied pages: how many, out of how many in the log. */
export interface CheckpointReport {
  checkpointed: number;
  log: number;
}

export interface Checkpointer {
  /** Resolves when the worker has opened the database and runs. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the worker for the database file at `path`. `onStopped` runs if the worker ends before
 * `stop()` (it crashed): the caller then gives checkpoints back to its own connections.
 */
export function startCheckpointer(
  path: string,
  opts: { everyMs?: number; onStopped: (error: unknown) => void; onReport?: (report: CheckpointReport) => void },
): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs: opts.everyMs ?? CHECKPOINT_EVERY_MS },
    // The worker only runs one statement: a small heap is plenty, and keeps the bot's RSS down.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  let stopping = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  worker.on('message', (m: CheckpointReport & { ready?: true }) => {
    if (m.ready) markReady();
    else opts.onReport?.(m);
  });
  let failure: unknown;
  worker.on('error', (error) => (failure = error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      markReady();
      if (!stopping) opts.onStopped(failure ?? new Error(`checkpoint worker exited with code ${code}`));
      resolve();
    }),
  );
  return {
    ready,
    async stop() {
      stopping = true;
      // Unreferenced, the worker would let a process with nothing else to do exit before it
      // closed its connection (a command's top-level await would then never settle).
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
