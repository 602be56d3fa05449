// buildApp(deps) wires the bot together; main.ts decides where it listens. Tests build the same app.

import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { deadEventCard } from '../cards/system.js';
import { ActionRegistry, Refused } from './access/registry.js';
import { createTargets } from './access/targets.js';
import { resolveAdministrators } from './access/users.js';
import { registerAdmin } from './admin/actions.js';
import { createBroadcasts, createReportRefresher, syncGroups } from './admin/broadcast.js';
import { createCampaignAdmin, isCampaignFileName, reportCatalogProblems } from './admin/campaign-files.js';
import { createReminders } from './admin/reminders.js';
import { createRoleAdmin, lookUpContacts } from './admin/roles.js';
import { createStats } from './admin/stats.js';
import { registerJourney } from './applications/actions.js';
import { createConflicts } from './applications/conflicts.js';
import { createJourney } from './applications/journey.js';
import { createFileIntake, filePurposes } from './bot/intake.js';
import { actionOf, type Bot, createBot } from './bot/router.js';
import { createCatalogReloader, loadCampaigns } from './campaigns/catalog.js';
import type { CampaignCatalog } from './campaigns/loader.js';
import { formatBeijing } from './campaigns/schedule.js';
import type { Config } from './config.js';
import { type Database, isUniqueViolation, openDatabase, type Tx } from './db/database.js';
import { migrate } from './db/migrate.js';
import { ownerOnlyDir } from './db/owner-only.js';
import { registerEvaluation } from './evaluation/actions.js';
import { createEvaluation } from './evaluation/rounds.js';
import { createExports } from './exports/exports.js';
import { libreOfficeConverter } from './files/office-convert.js';
import { type FileStore, LocalFileStore } from './files/store.js';
import { readWordFile } from './files/word.js';
import { type InboxEvent, InboxWriter, inboxKeys, inboxProcessor, inboxQueue, recordHandled, UnprocessableEvent } from './inbox/inbox.js';
import { EVENT_TEXT, isHandledEvent } from './lark/events.js';
import { longConnectionDispatcher, startLongConnection } from './lark/long-connection.js';
import { createMessenger, type Messenger, missingScopes } from './lark/messenger.js';
import type { LarkEnvelope } from './lark/push.js';
import { checkedHandlers, type ReceiverHandlers } from './lark/receiver.js';
import { larkReceiver } from './lark/routes.js';
import { createLogger, type Logger } from './log.js';
import { callbackSecrets, createMirrors, type MirrorSettings, type Mirrors } from './mirrors/mirrors.js';
import { QUICK_APPROVAL_ROUTE, quickApprovalRoute } from './mirrors/quick-approval.js';
import { tellAdmins } from './notify.js';
import { type OutboxMessage, outboxQueue, outboxSender } from './outbox/outbox.js';
import { Pacer } from './outbox/pacer.js';
import { registerPrivacy } from './privacy/actions.js';
import { createErasure } from './privacy/erasure.js';
import { createRetention, type Retention } from './privacy/retention.js';
import type { LeaseQueue } from './queue/lease-queue.js';
import { pushPressure } from './queue/pressure.js';
import { QueueWorker } from './queue/worker.js';
import { type CallbackAnswer, callbackAnswer } from './reply.js';
import { registerReview } from './review/actions.js';
import { createOversight, type Oversight } from './review/oversight.js';
import { createSelection } from './review/selection.js';
import { createStaffing } from './review/staffing.js';
import { createReview } from './review/workflow.js';
import { createWorkingDayCalendar, type WorkingDayCalendar } from './rules/working-days.js';
import { createScheduler, schedulerPlugin } from './scheduler.js';

export interface AppDeps {
  config: Config;
  log?: Logger;
  /** Injected by tests that share one database between apps; otherwise opened (and closed) here. */
  db?: Database;
  /** Close an injected database with the app, once its workers have finished (a send in flight completes on it). */
  closeDb?: boolean;
  messenger?: Messenger;
  /** Programmes to serve; loaded from CAMPAIGNS_DIR when absent. */
  catalog?: CampaignCatalog;
  /** Where received files are kept; content-addressed under DATA_DIR/files when absent. */
  fileStore?: FileStore;
  /** The clock (tests move it past deadlines). */
  now?: () => Date;
  /** Worker tuning (tests shorten polls; `tickMs: 0` leaves the minute tick off, for tests that run it themselves). */
  workers?: { inboxConcurrency?: number; outboxConcurrency?: number; pollMs?: number; tickMs?: number };
}

export interface Services {
  config: Config;
  db: Database;
  messenger: Messenger;
  catalog: CampaignCatalog;
  fileStore: FileStore;
  oversight: Oversight;
  /** Deadline reminders (the scheduler runs them; the scale benchmark times them). */
  reminders: ReturnType<typeof createReminders>;
  /** Removal of personal data past its retention period (the scheduler runs it daily). */
  retention: Retention;
  /** The Approval Center and ledger copies (tests run the drift check themselves). */
  mirrors: Mirrors;
  /** Runs the scheduler's work now (tests; the tick runs it every minute). */
  runScheduled: () => Promise<void>;
  /** Working days with the official holidays, for public-notice dates. */
  calendar: WorkingDayCalendar;
  bot: Bot;
  /** Every card action, command and file kind with the permission it needs. */
  actions: ActionRegistry;
  /** The transport-neutral entry points (HTTP receiver and long connection both call these). */
  receive: ReceiverHandlers;
  inbox: { queue: LeaseQueue<InboxEvent>; worker: QueueWorker<InboxEvent> };
  outbox: { queue: LeaseQueue<OutboxMessage>; worker: QueueWorker<OutboxMessage> };
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

const FAILED_CALLBACK: CallbackAnswer = { toast: { type: 'error', content: '操作没有完成，请稍后再试一次。已填写的内容不会丢失。' } };

function privateChatUrl(config: Config): string | undefined {
  if (config.mode === 'local') return undefined;
  const host = config.lark.domain.includes('larksuite') ? 'applink.larksuite.com' : 'applink.feishu.cn';
  return `https://${host}/client/bot/open?appId=${encodeURIComponent(config.lark.appId)}`;
}

/**
 * The copies kept outside the chat. The Approval Center needs an address Lark can call back
 * (PUBLIC_URL; in local mode the playground's own, known once it listens) unless APPROVAL_CENTER=off;
 * the ledger needs BITABLE_APP_TOKEN. Read lazily: local mode learns its address after listening.
 */
export function mirrorSettings(config: Config): MirrorSettings {
  const secrets = callbackSecrets(config.lark.appSecret);
  const chatUrl = privateChatUrl(config);
  const approvalOn = config.approvalCenter && (config.mode === 'local' || config.publicUrl !== undefined);
  const larksuite = config.lark.domain.includes('larksuite');
  return {
    ...(approvalOn
      ? {
          approval: {
            chatLink: () => chatUrl ?? `${config.publicUrl ?? ''}/`,
            callbackUrl: () => (config.publicUrl ? `${config.publicUrl}${QUICK_APPROVAL_ROUTE}` : undefined),
            ...secrets,
          },
        }
      : {}),
    ...(config.bitableAppToken
      ? {
          ledger: {
            appToken: config.bitableAppToken,
            // The base opens on the tenant's own domain; feishu.cn / larksuite.com send a signed-in person there.
            tableUrl: (tableId: string) =>
              config.mode === 'local'
                ? `${config.publicUrl ?? ''}/#ledger=${tableId}`
                : `https://${larksuite ? 'www.larksuite.com' : 'www.feishu.cn'}/base/${config.bitableAppToken}?table=${tableId}`,
          },
        }
      : {}),
  };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const log = deps.log ?? createLogger(config.logLevel);
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
  });

  // Personal data at rest: DATA_DIR (files, exports, the default database) is the bot's user's only.
  if (!ownerOnlyDir(config.dataDir))
    log.error({ dataDir: config.dataDir }, 'DATA_DIR belongs to another user and could not be made 0700: personal data may be readable by others');
  const ownsDb = deps.db === undefined;
  const db = deps.db ?? openDatabase(config.database);
  const applied = await migrate(db);
  if (applied.length) log.info({ applied, dialect: db.dialect }, 'database migrations applied');

  const messenger = deps.messenger ?? createMessenger(config.lark, log);
  const loadedCampaigns = deps.catalog ? { catalog: deps.catalog, calendar: createWorkingDayCalendar() } : loadCampaigns(config.campaignsDir, log);
  const { catalog, calendar } = loadedCampaigns;
  await db.transaction((tx) => reportCatalogProblems(tx, catalog, config.adminIds, config.campaignsDir));
  let botOpenId: string | undefined;
  const chatUrl = privateChatUrl(config);
  const fileStore = deps.fileStore ?? new LocalFileStore(join(config.dataDir, 'files'));
  const now = deps.now ?? (() => new Date());
  const campaigns = () => catalog.campaigns;
  // Copies in the Approval Center and the ledger: the triggers mark changes only for what is on.
  const mirrored = mirrorSettings(config);
  const mirrors = createMirrors({ db, messenger, campaigns, settings: mirrored, log, leaseMs: config.workerLeaseMs });
  await mirrors.applySwitches();
  const selection = createSelection({ campaigns, now, adminIds: config.adminIds, calendar });
  const review = createReview({
    campaigns,
    now,
    adminIds: config.adminIds,
    fileStore,
    enterScoring: selection.enterScoring,
    enterRecommend: selection.enterRecommend,
  });
  const staffing = createStaffing({
    campaigns,
    assignReviewer: review.assignReviewer,
    assignExpert: selection.assignExpert,
    advance: review.advance,
    completeScoring: selection.completeScoring,
  });
  const roleAdmin = createRoleAdmin({ campaigns, staffing });
  const oversight = createOversight({ db, campaigns, now, calendar, review, staffing });
  // Who may do what: every card action, command and file kind is registered with its permission.
  const actions = new ActionRegistry(() => config.adminIds);
  const targets = createTargets(campaigns);
  const broadcasts = createBroadcasts({
    campaigns,
    now,
    journeyIntro: async (tx, actor, campaignId) => (await journey.intro(tx, actor, campaignId)).card,
    // A scheduled broadcast goes out only if its author may still send it when its time comes.
    authorMaySend: async (tx, b) => {
      const target = await targets.broadcast(tx, b.id);
      return target !== null && (await actions.check(actions.principal(tx, { openId: b.createdBy }), 'broadcast.manage', target, '定时发送通知')).ok;
    },
  });
  const refreshReports = createReportRefresher(db, broadcasts);
  const reminders = createReminders({ campaigns, now, todo: (tx, actor, deadline) => review.todo(tx, actor, deadline) });
  const conflicts = createConflicts({ campaigns, adminIds: () => config.adminIds, now });
  const journey = createJourney({ campaigns, now, onSubmitted: review.onSubmitted, returnReasons: review.returnReasons, onUnitTaken: conflicts.record });
  // .doc and .wps become .docx through LibreOffice where it is installed, inside the inbox lease.
  const convertWord = libreOfficeConverter({ timeoutMs: Math.min(20_000, config.workerLeaseMs * 0.6) });
  const prepareFile = createFileIntake({
    messenger,
    store: fileStore,
    readWord: (path, name) => readWordFile(path, { name, convert: convertWord }),
    purposeOf: filePurposes({ db, adminIds: () => config.adminIds, campaigns, quotaBytes: config.uploadQuotaBytes, now }),
  });
  const stats = createStats({ campaigns, now, dialect: db.dialect, ledgerUrl: (campaignId) => mirrors.ledgerUrl(campaignId) });
  const retention = createRetention({ db, campaigns, periods: config.retention, fileStore });
  const exports = createExports({ campaigns, now, adminIds: config.adminIds, dataDir: config.dataDir, log });
  // Programme files activated in the chat (stored in the database) replace the folder's.
  const reloadCampaigns = createCatalogReloader(catalog, config.campaignsDir, log);
  await reloadCampaigns(db);
  const campaignAdmin = createCampaignAdmin({ catalog, campaignsDir: config.campaignsDir, now, fileStore, reload: () => reloadCampaigns(db) });
  const evaluation = createEvaluation({ campaigns, now, fileStore });

  registerJourney(actions, {
    journey,
    conflicts,
    holderOf: async (tx, conflictId) => {
      const holder = await conflicts.holderOf(tx, conflictId);
      return holder ? targets.application(tx, holder) : null;
    },
  });
  registerReview(actions, { targets, review, selection, oversight });
  registerAdmin(actions, {
    targets,
    roles: roleAdmin,
    broadcasts,
    stats,
    exports,
    campaigns: campaignAdmin,
    lookUpContacts: (form) => lookUpContacts(messenger, form, missingScopes),
    syncGroups: () =>
      syncGroups(db, messenger).then(
        () => undefined,
        (error: unknown) => log.warn({ err: error }, 'group sync failed'),
      ),
    // Generation starts after the request has committed, outside Lark's 3 s.
    runExports: async () => void setImmediate(() => void scheduler.runExports()),
  });
  registerEvaluation(actions, { targets, evaluation, now });
  registerPrivacy(actions, { erasure: createErasure({ campaigns }) });
  const bot = createBot({
    actions,
    log,
    botOpenId: () => botOpenId,
    ...(chatUrl ? { privateChatUrl: chatUrl } : {}),
    draftDays: config.retention.draftDays,
    fileKindFor: async (file, administrator) =>
      administrator && isCampaignFileName(file.name) ? 'programme' : administrator && (await evaluation.isStudioList(file)) ? 'studios' : 'attachment',
  });

  const pollMs = deps.workers?.pollMs ?? 500;
  const outQueue = outboxQueue(db, config.workerLeaseMs);
  const outWorker: QueueWorker<OutboxMessage> = new QueueWorker(
    outQueue,
    outboxSender({
      db,
      queue: outQueue,
      messenger,
      pacer: new Pacer(),
      log,
      wakeIn: (ms) => setTimeout(() => outWorker.notify(), ms + 5).unref(),
      mirror: (m) => mirrors.deliver(m),
    }),
    { name: 'outbox', concurrency: deps.workers?.outboxConcurrency ?? 32, pollMs, log },
    (row) => row.pacingKey, // messages to one chat leave in the order they were written
  );
  // An event given up on (its handler failed every time, or took the process down every time) is
  // told to the administrators of everything, once, in the transaction that gave it up.
  const inQueue = inboxQueue(db, config.workerLeaseMs, undefined, async (tx, rows) => {
    for (const row of rows) {
      const from = inboxKeys(JSON.parse(row.payload) as LarkEnvelope).orderingKey ?? undefined;
      const card = deadEventCard({
        eventType: row.eventType,
        ...(isHandledEvent(row.eventType) ? { what: EVENT_TEXT[row.eventType] } : {}),
        receivedAt: formatBeijing(row.createdAt),
        attempts: row.attempts,
        reason: row.lastError ?? '未知',
        ...(from ? { from } : {}),
      });
      await tellAdmins(tx, config.adminIds, 'everything', card, `dead:${row.id}`);
      log.error({ eventId: row.eventId, eventType: row.eventType, attempts: row.attempts, reason: row.lastError }, 'gave up on an event');
    }
  });
  const pressure = pushPressure();
  const inWorker = new QueueWorker(
    inQueue,
    inboxProcessor({
      db,
      queue: inQueue,
      prepare: prepareFile,
      handle: (e, tx, prepared) => bot.handleEvent(e, tx, prepared),
      log,
      onProcessed: () => outWorker.notify(),
    }),
    // In a flood of pushes, processing trickles (stored events wait) so that every push gets its 200 fast.
    { name: 'inbox', concurrency: deps.workers?.inboxConcurrency ?? 8, pollMs, log, yieldWhile: () => pressure.flooded() },
    (row) => row.orderingKey,
  );
  const scheduler = createScheduler({
    db,
    messenger,
    fileStore,
    log,
    now,
    dataDir: config.dataDir,
    notify: () => outWorker.notify(),
    oversight,
    broadcasts,
    reminders,
    exports,
    retention,
    reloadCampaigns,
    refreshReports,
    checkMirrors: () => mirrors.checkDrift(),
    ...(deps.workers?.tickMs !== undefined ? { tickMs: deps.workers.tickMs } : {}),
  });

  const inbox = new InboxWriter(db);
  // What arrives from Lark, however it arrives (HTTP push or the long connection). Hostile or broken
  // input is refused by the checks in checkedHandlers and never reaches the inbox or the bot.
  const receive: ReceiverHandlers = checkedHandlers(
    {
      async onEvent(envelope: LarkEnvelope) {
        pressure.note();
        const outcome = await inbox.store(envelope);
        if (outcome === 'stored') inWorker.notify();
        else log.debug({ eventId: envelope.eventId }, 'duplicate event acknowledged');
        return outcome === 'stored' ? 'stored' : 'duplicate';
      },
      // The one synchronous path: the answer (and any replacement card) goes back in the HTTP reply.
      async onCallback(envelope: LarkEnvelope) {
        try {
          const { value } = actionOf(envelope.event);
          const operator = (envelope.event as { operator?: { open_id?: string } }).operator?.open_id;
          // Network work an action needs (同步群列表 reads Lark's chat list) happens before its
          // transaction, and only for someone allowed to do it.
          const prepare = actions.prepareOf(value);
          const form = (envelope.event as { action?: { form_value?: Record<string, unknown> } }).action?.form_value ?? {};
          const prepared =
            prepare && operator && (await db.urgent(() => db.transaction((tx) => actions.permits(tx, { openId: operator }, value))))
              ? await prepare(form)
              : undefined;
          // Someone is waiting on this answer (Lark gives up after 3 s): it goes ahead of background work.
          const transactional = actions.needsTransaction(value);
          const { answer, after } = await db.urgent(() =>
            transactional
              ? db.transaction(async (tx) => {
                  if (!actions.isReplaySafe(value)) await recordHandled(tx, envelope);
                  return bot.handleCardAction(envelope, tx, prepared);
                })
              : bot.handleCardAction(envelope, db.client as Tx, prepared),
          );
          // A single guarded write queues no message of its own (a mirror row its trigger writes
          // is picked up at the next poll): no need to look for work after every keystroke's save.
          if (transactional) outWorker.notify();
          // What the action set going once committed (a programme reload takes effect before the next click).
          if (after) await after().catch((error: unknown) => log.error({ err: error }, 'work after a card action failed'));
          return answer;
        } catch (error) {
          // A refusal rolled the transaction back: nothing was written.
          if (error instanceof Refused) return callbackAnswer(error.reply);
          if (isUniqueViolation(error)) return {};
          const level = error instanceof UnprocessableEvent ? 'warn' : 'error';
          log[level]({ err: error, eventId: envelope.eventId }, 'card callback failed');
          return FAILED_CALLBACK;
        }
      },
    },
    log,
    FAILED_CALLBACK,
  );

  app.decorate('services', {
    config,
    db,
    messenger,
    catalog,
    calendar,
    fileStore,
    oversight,
    reminders,
    retention,
    mirrors,
    runScheduled: scheduler.runScheduled,
    bot,
    actions,
    receive,
    inbox: { queue: inQueue, worker: inWorker },
    outbox: { queue: outQueue, worker: outWorker },
  });

  await app.register(larkReceiver, {
    secrets: { verificationToken: config.lark.verificationToken, encryptKey: config.lark.encryptKey, signatureWindowSeconds: config.signatureWindowSeconds },
    bodyLimit: config.bodyLimitBytes,
    log,
    handlers: receive,
  });
  // 同意 / 拒绝 from the Approval Center, when its sync is on.
  if (mirrored.approval)
    await app.register(quickApprovalRoute, {
      db,
      actions,
      messenger,
      secrets: { token: mirrored.approval.token, key: mirrored.approval.key },
      log,
      notify: () => outWorker.notify(),
    });
  // LARK_MODE=ws: the same handlers, fed by the SDK's long connection instead of (as well as) HTTP.
  let longConnection: { close(): void } | undefined;

  app.get('/healthz', async (_req, reply) => {
    const reachable = await db.ping();
    const [inbox, outbox] = reachable ? await Promise.all([inQueue.counts(), outQueue.counts()]) : [null, null];
    const programmes = { loaded: catalog.campaigns.length, problems: catalog.errors.length };
    return reply
      .code(reachable ? 200 : 503)
      .send({ status: reachable ? 'ok' : 'error', database: { dialect: db.dialect, reachable }, inbox, outbox, programmes });
  });

  // A keep-alive connection busy when closing began would otherwise hold server.close() open
  // until its idle timeout; answer it and let it go.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook, not an async one: it runs on every answer, and a promise each is measurable.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onReady', async () => {
    void messenger.botOpenId().then((id) => (botOpenId = id));
    // ADMIN_IDS by user_id, mobile or e-mail become open_ids (events carry open_id; user_id only
    // with a scope the bot does not ask for). Start waits a little for it, then it goes on behind.
    const named = config.adminIds.filter((e) => !e.startsWith('ou_'));
    if (named.length) {
      const resolving = resolveAdministrators(messenger, named)
        .then((r) => {
          // In place: every module holds this array. A resolved entry is replaced by its open_id (so
          // notices go once, by open_id); an entry that names nobody stays, and is logged.
          for (const [entry, id] of r.resolved) {
            const at = config.adminIds.indexOf(entry);
            if (config.adminIds.includes(id)) config.adminIds.splice(at, 1);
            else config.adminIds.splice(at, 1, id);
          }
          for (const u of r.unresolved) log.error({ entry: u.entry, why: u.why }, 'an ADMIN_IDS entry names no Lark user: run npm run doctor');
        })
        .catch((error: unknown) => log.error({ err: error }, 'could not resolve ADMIN_IDS'));
      await Promise.race([resolving, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
    inWorker.start();
    outWorker.start();
    // Definitions brought up to date with this start's callback address (in local mode, once known).
    void mirrors
      .ensureDefinitions()
      .catch((error: unknown) => log.warn({ err: error }, 'Approval Center definitions not created at start; created on first sync'));
    void syncGroups(db, messenger).catch((error: unknown) => log.warn({ err: error }, 'group sync at start failed'));
    if (config.larkTransport === 'ws' && config.mode === 'lark')
      longConnection = startLongConnection(
        { appId: config.lark.appId, appSecret: config.lark.appSecret, domain: config.lark.domain },
        longConnectionDispatcher(receive, log),
        log,
      );
  });
  // Fastify has stopped taking requests by now; let in-flight work finish or hand it back.
  app.addHook('onClose', async () => {
    longConnection?.close();
    await inWorker.stop();
    await outWorker.stop();
    if (ownsDb || deps.closeDb) await db.close();
  });
  // The minute tick, the report tick and the export debounce: started after the workers, stopped before them.
  await app.register(schedulerPlugin, { scheduler });
  return app;
}
