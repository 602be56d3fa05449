// The scheduler: time-driven work (the reviewers' daily digest, scheduled broadcasts, deadline
// reminders, exports, clean-up) checked every minute, and the broadcast report cards kept current.
// It owns its timers: registered as a Fastify plugin, it starts when the app is ready and stops
// (waiting for an export under way) when the app closes, before the workers stop.
import type { FastifyPluginAsync } from 'fastify';
import { fillUserNames, syncGroupMembers } from './access/users.js';
import type { Broadcasts } from './admin/broadcast.js';
import type { createReminders } from './admin/reminders.js';
import type { Database } from './db/database.js';
import { findStudioContacts } from './evaluation/contacts.js';
import type { Exports } from './exports/exports.js';
import type { FileStore } from './files/store.js';
import { sweepFiles } from './files/sweep.js';
import type { Messenger } from './lark/messenger.js';
import type { Logger } from './log.js';
import type { Retention } from './privacy/retention.js';
import type { Oversight } from './review/oversight.js';

export interface SchedulerDeps {
  db: Database;
  messenger: Messenger;
  fileStore: FileStore;
  log: Logger;
  now: () => Date;
  dataDir: string;
  /** Wakes the outbox worker: messages were queued. */
  notify: () => void;
  oversight: Oversight;
  broadcasts: Broadcasts;
  reminders: ReturnType<typeof createReminders>;
  exports: Exports;
  retention: Retention;
  /** Takes up programme files another instance activated. */
  reloadCampaigns: (db: Database) => Promise<unknown>;
  /** Patches the report cards of broadcasts being sent; true when it queued a patch. */
  refreshReports: () => Promise<boolean>;
  /** 校验三方审批实例: repairs Approval Center instances that differ from what was sent (every quarter of an hour). */
  checkMirrors?: () => Promise<{ checked: number; repaired: number }>;
  /** The minute tick's period; 0 leaves it off (tests run the work themselves). */
  tickMs?: number;
  /** The report cards' refresh period. */
  reportMs?: number;
}

export interface Scheduler {
  /** Runs the minute tick's work now (tests and the demo clock; the tick runs it every minute). */
  runScheduled(): Promise<void>;
  /** Generates pending exports; asked for again while a run is under way, it runs once more after it. */
  runExports(): Promise<void>;
  start(): void;
  /** Stops the ticks and waits for an export under way. */
  stop(): Promise<void>;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { db, log } = deps;
  // Exports are generated outside the callback that asked for them (and retried by the tick).
  let exporting: Promise<void> | undefined;
  let exportAgain = false;
  const runExports = (): Promise<void> => {
    if (exporting) {
      exportAgain = true; // asked for while a run is under way: one more run after it
      return exporting;
    }
    exporting = (async () => {
      do {
        exportAgain = false;
        if ((await deps.exports.runPending(db)) > 0) deps.notify();
      } while (exportAgain);
    })()
      .catch((error: unknown) => log.error({ err: error }, 'exports failed'))
      .finally(() => (exporting = undefined));
    return exporting;
  };

  let sweptFilesAt = 0;
  let checkedMirrorsAt = 0;
  const runScheduled = async () => {
    try {
      if ((await deps.oversight.dailyDigest()) > 0) deps.notify();
      if ((await deps.oversight.noticesEnded()) > 0) deps.notify();
      if ((await deps.broadcasts.startDue(db)) > 0) deps.notify();
      if ((await deps.reminders.run(db)) > 0) deps.notify();
      await runExports();
      await deps.reloadCampaigns(db); // what another instance activated
      await fillUserNames(db, deps.messenger, 50, log);
      await syncGroupMembers(db, deps.messenger, log);
      await findStudioContacts(db, deps.messenger, log);
      // Personal data past its retention period, once a day across instances.
      const retained = await deps.retention.daily(deps.now());
      if (retained) log.info(retained, 'retention: removed personal data past its period');
      if (deps.checkMirrors && Date.now() - checkedMirrorsAt > 15 * 60_000) {
        checkedMirrorsAt = Date.now();
        await deps.checkMirrors().catch((error: unknown) => log.warn({ err: error }, 'Approval Center check failed'));
      }
      // Files nothing refers to and old export files, once an hour (each instance sweeps its own DATA_DIR).
      if (Date.now() - sweptFilesAt > 3600_000) {
        sweptFilesAt = Date.now();
        const swept = await sweepFiles(db, deps.fileStore); // file times are the real clock's
        if (swept.removed) log.info(swept, 'removed files nothing refers to');
        const exportsRemoved = await deps.retention.removeExportFiles(deps.dataDir, new Date());
        if (exportsRemoved) log.info({ exportsRemoved }, 'retention: removed export files');
      }
    } catch (error) {
      log.error({ err: error }, 'scheduled work failed');
    }
  };

  let tick: NodeJS.Timeout | undefined;
  let reportTick: NodeJS.Timeout | undefined;
  return {
    runScheduled,
    runExports,
    start() {
      const tickMs = deps.tickMs ?? 60_000;
      if (tickMs > 0) {
        tick = setInterval(() => void runScheduled(), tickMs);
        tick.unref();
      }
      reportTick = setInterval(
        () =>
          void deps
            .refreshReports()
            .then((patched) => patched && deps.notify())
            .catch((error: unknown) => log.error({ err: error }, 'report refresh failed')),
        deps.reportMs ?? 2_000,
      );
      reportTick.unref();
    },
    async stop() {
      if (tick) clearInterval(tick);
      if (reportTick) clearInterval(reportTick);
      tick = reportTick = undefined;
      await exporting;
    },
  };
}

/**
 * Starts the scheduler once the app is ready and stops it when the app closes. Registered after
 * the app's own hooks, it starts after the workers and (onClose hooks run last-registered first)
 * stops before them.
 */
export const schedulerPlugin: FastifyPluginAsync<{ scheduler: Scheduler }> = Object.assign(
  async (app: Parameters<FastifyPluginAsync>[0], { scheduler }: { scheduler: Scheduler }) => {
    app.addHook('onReady', async () => scheduler.start());
    app.addHook('onClose', async () => scheduler.stop());
  },
  // Not encapsulated (what fastify-plugin does): the hooks are the app's own.
  { [Symbol.for('skip-override')]: true },
);
