// Keeps the copies of applications outside the chat: their instances in the Approval Center
// (审批中心, 三方审批) and their records in the ledger (多维表格). Database triggers mark a copy
// changed in the transaction of the change and queue a `mirror` row in the outbox
// (prisma/migrations/*/0014_mirrors.sql); the outbox worker hands it here, and the sync reads the
// application as it is then. A copy records the change it last sent (syncedSeq), so nothing is
// lost when changes arrive during a sync, and nothing is sent twice for one change.
import { createHmac, randomUUID } from 'node:crypto';
import { studioNameOf, unitNameOf } from '../applications/names.js';
import type { Campaign } from '../campaigns/schema.js';
import { stateText } from '../campaigns/states.js';
import { termsOf } from '../campaigns/terms.js';
import { type Database, Prisma } from '../db/database.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';
import type { MirrorMessage } from '../outbox/outbox.js';
import { Pacer } from '../outbox/pacer.js';
import { approvalDefinition, approvalInstance, type InstanceView, TASKS_KEPT, type TaskView } from './approval-instance.js';
import { APPLICATION_FIELDS, EVALUATION_FIELDS, KEY_FIELD, type LedgerView, ledgerRecord, tableName } from './ledger-record.js';

export interface MirrorSettings {
  /** On when the Approval Center sync runs: the bot's chat link and the quick-approval callback. */
  approval?: { chatLink: () => string; callbackUrl: () => string | undefined; token: string; key: string };
  /** On when the ledger is kept: the 多维表格's app_token and where a table opens in a browser. */
  ledger?: { appToken: string; tableUrl: (tableId: string) => string };
}

/** The quick-approval callback's token and key, the same on every instance of the app (derived from its secret). */
export function callbackSecrets(appSecret: string): { token: string; key: string } {
  const derive = (what: string) => createHmac('sha256', appSecret).update(`skill-master-studio:${what}`).digest('hex').slice(0, 32);
  return { token: derive('approval-callback-token'), key: derive('approval-callback-key') };
}

/** Another instance is writing to the ledger (a 多维表格 takes one write at a time): try again shortly. */
export class MirrorBusy extends Error {
  constructor(readonly retryInMs: number) {
    super('another instance is writing to the ledger');
    this.name = 'MirrorBusy';
  }
}

/** 三方审批 APIs: 50 a second and 1,000 a minute per app (同步三方审批实例, 频率限制). A wider margin than for messages: a burst of syncs leaves together and arrives bunched. */
const APPROVAL_LIMITS = { perChat: 40, perApp: 40, windowMs: 1_100, perAppPerMinute: 980, minuteMs: 61_000 };
/** Bitable: record writes 50/s, search 20/s, new tables 10/s (each API's 频率限制): the lowest common pace. */
const BITABLE_LIMITS = { perChat: 9, perApp: 9, windowMs: 1_100, perAppPerMinute: 0, minuteMs: 60_000 };
/** Records per call: the API takes 1,000 (新增多条记录); smaller calls finish well inside a lease. */
const BATCH = 500;
/** Batches per outbox row: a longer backlog goes on in a new row (other work gets its turn). */
const BATCHES_PER_RUN = 5;

export function createMirrors(deps: {
  db: Database;
  messenger: Messenger;
  campaigns: () => Campaign[];
  settings: MirrorSettings;
  log: Logger;
  /** The workers' lease: the ledger's lease is four of them (a crashed writer's is taken over after it). */
  leaseMs: number;
}) {
  const { db, messenger, settings, log } = deps;
  const ledgerLeaseMs = deps.leaseMs * 4;
  const approvalPacer = new Pacer(APPROVAL_LIMITS);
  const bitablePacer = new Pacer(BITABLE_LIMITS);
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);
  const instance = randomUUID().slice(0, 8);

  async function paced(pacer: Pacer, key: string): Promise<void> {
    await pacer.acquire(key);
  }

  /** Puts a sync in the outbox again (work left over, or an overwrite to repair): the triggers do it on a change. */
  async function touch(id: string): Promise<void> {
    await db.client.mirror.updateMany({ where: { id }, data: { changeSeq: { increment: 1 } } });
  }

  // ---------- switches ----------

  /**
   * Records which targets are on (the triggers read it). A target turned on marks what it should
   * hold: the Approval Center the applications in review or returned; the ledger every application
   * past its draft.
   */
  async function applySwitches(now = new Date()): Promise<void> {
    for (const [target, on] of [
      ['approval', settings.approval !== undefined],
      ['ledger', settings.ledger !== undefined],
    ] as const) {
      const before = await db.client.mirrorSwitch.findUnique({ where: { target } });
      if (before?.enabled === on) continue;
      await db.client.mirrorSwitch.upsert({ where: { target }, create: { target, enabled: on }, update: { enabled: on } });
      if (!on) continue;
      const statuses = target === 'approval' ? Prisma.sql`"status" IN ('submitted', 'returned')` : Prisma.sql`"status" <> 'draft'`;
      const marked = await db.client.$executeRaw(Prisma.sql`
        INSERT INTO "Mirror" ("id", "target", "applicationId", "campaignId", "changedAt")
        SELECT ${`${target}:`} || "id", ${target}, "id", "campaignId", ${db.timestamp(now)} FROM "Application" WHERE ${statuses}
        ON CONFLICT ("id") DO NOTHING`);
      log.info({ target, marked }, 'mirror turned on: existing applications queued for syncing');
    }
  }

  // ---------- the Approval Center ----------

  async function definitionFor(c: Campaign): Promise<string> {
    const space = await db.client.mirrorSpace.findUnique({ where: { id: `approval:${c.id}` } });
    if (space?.remoteId) return space.remoteId;
    return define(c);
  }

  /** Creates (or updates) the programme's definition; keeps the code Lark gave it first (创建三方审批定义: 「以传入的为准」 on update). */
  async function define(c: Campaign): Promise<string> {
    const a = settings.approval!;
    const callbackUrl = a.callbackUrl();
    if (!callbackUrl) throw new MirrorBusy(1_000); // local mode before it listens
    await paced(approvalPacer, 'approval');
    const code = await messenger.approvals.define(
      approvalDefinition({
        campaignId: c.id,
        campaignTitle: c.title,
        chatLink: a.chatLink(),
        callbackUrl,
        callbackToken: a.token,
        callbackKey: a.key,
      }),
    );
    const id = `approval:${c.id}`;
    const space = await db.client.mirrorSpace.upsert({ where: { id }, create: { id, remoteId: code }, update: {} });
    return space.remoteId ?? code;
  }

  /** Every programme's definition, created or brought up to date (its title, the callback address): at start. */
  async function ensureDefinitions(): Promise<void> {
    if (!settings.approval?.callbackUrl()) return;
    for (const c of deps.campaigns()) await define(c);
  }

  async function instanceView(m: { applicationId: string; changedAt: Date; removed: boolean; sentVersion: string | null }, c: Campaign): Promise<InstanceView> {
    const app = m.removed ? null : await db.client.application.findUnique({ where: { id: m.applicationId } });
    const sent = Number(m.sentVersion ?? 0);
    const version = String(Math.max(m.changedAt.getTime(), sent + 1));
    const chatLink = settings.approval!.chatLink();
    const t = termsOf(c);
    if (!app)
      return {
        applicationId: m.applicationId,
        campaignId: c.id,
        number: '',
        submission: t.submission,
        campaignTitle: c.title,
        unitName: '',
        studioName: '',
        stateText: '',
        status: 'removed',
        applicantId: '',
        submittedAt: null,
        changedAt: m.changedAt,
        version,
        tasks: [],
        chatLink,
        removed: true,
      };
    const answers = JSON.parse(app.answers) as Record<string, unknown>;
    const rows = await db.client.reviewTask.findMany({ where: { applicationId: app.id }, orderBy: { createdAt: 'desc' }, take: TASKS_KEPT });
    const tasks: TaskView[] = rows.map((r) => {
      const stage = c.pipeline.find((s) => s.id === r.stageId);
      const directGrade = c.kind === 'evaluation' && c.evaluation?.grading === 'direct' && stage?.role === 'expert';
      const quick = stage?.kind === 'review' && !directGrade && (stage.decisions ?? []).includes('approve');
      return {
        id: r.id,
        reviewerId: r.reviewerId,
        stageId: r.stageId,
        stageTitle: stage?.title ?? r.stageId,
        round: r.round,
        status: r.status,
        decision: r.decision,
        scoring: stage?.kind === 'scoring',
        createdAt: r.createdAt,
        decidedAt: r.decidedAt,
        ...(quick ? { quick: { reject: (stage.decisions ?? []).includes('reject') } } : {}),
      };
    });
    const state = stateText(c, app);
    const stage = c.pipeline.find((s) => s.id === app.stage);
    return {
      applicationId: app.id,
      campaignId: c.id,
      number: app.number ?? '',
      submission: t.submission,
      campaignTitle: c.title,
      unitName: unitNameOf(c, answers as never),
      studioName: studioNameOf(c, answers as never),
      stateText: state === '审核中' && stage ? `${state}（${stage.title}）` : state,
      status: app.status,
      applicantId: app.applicantId,
      submittedAt: app.submittedAt,
      changedAt: m.changedAt,
      version,
      tasks,
      chatLink,
      removed: false,
    };
  }

  async function syncInstance(applicationId: string): Promise<void> {
    const id = `approval:${applicationId}`;
    const m = await db.client.mirror.findUnique({ where: { id } });
    if (!m || m.syncedSeq >= m.changeSeq) return; // nothing new (a sync of this change already went)
    const c = campaign(m.campaignId);
    if (!c) {
      log.warn({ applicationId, campaignId: m.campaignId }, 'Approval Center: the programme is no longer loaded; not synced');
      return;
    }
    const seq = m.changeSeq;
    const code = await definitionFor(c);
    const view = await instanceView(m, c);
    await paced(approvalPacer, 'approval');
    await messenger.approvals.syncInstance(approvalInstance(code, view));
    const { count } = await db.client.mirror.updateMany({
      where: { id, syncedSeq: { lt: seq } },
      data: { syncedSeq: seq, sentVersion: view.version, syncedAt: new Date() },
    });
    if (count === 0) {
      // Another instance sent a later change while this one was on its way, and this may have
      // replaced it in Lark (REPLACE ignores update_time): send the state again.
      const now = await db.client.mirror.findUnique({ where: { id } });
      if (now && now.syncedSeq > seq) await touch(id);
      return;
    }
    if (view.removed) await db.client.mirror.deleteMany({ where: { id, changeSeq: seq } });
  }

  /**
   * 校验三方审批实例: the instances whose copy in Lark differs from what was last sent (an instance
   * lost, a task missing, an older version) are sent again. Run periodically (every page of 50).
   */
  let driftCursor = '';
  async function checkDrift(limit = 5_000): Promise<{ checked: number; repaired: number }> {
    if (!settings.approval) return { checked: 0, repaired: 0 };
    let checked = 0;
    let repaired = 0;
    // Each run goes on from where the last stopped (and starts over at the end): every copy is checked in turn.
    const start = driftCursor;
    let after = start;
    let wrapped = false;
    while (checked < limit) {
      const page = await db.client.mirror.findMany({
        where: { target: 'approval', removed: false, sentVersion: { not: null }, id: wrapped ? { gt: after, lte: start } : { gt: after } },
        orderBy: { id: 'asc' },
        take: 50,
      });
      if (page.length === 0) {
        if (wrapped || after === '') break;
        wrapped = true;
        after = '';
        continue;
      }
      after = page[page.length - 1]!.id;
      driftCursor = after;
      const settled = page.filter((m) => m.syncedSeq >= m.changeSeq);
      if (settled.length === 0) continue;
      const tasks = await db.client.reviewTask.findMany({
        where: { applicationId: { in: settled.map((m) => m.applicationId) } },
        select: { id: true, applicationId: true, createdAt: true },
        orderBy: { createdAt: 'desc' },
      });
      const instances = settled.map((m) => ({
        instance_id: m.applicationId,
        update_time: m.sentVersion!,
        tasks: tasks
          .filter((t) => t.applicationId === m.applicationId)
          .slice(0, TASKS_KEPT)
          .map((t) => ({ task_id: t.id, update_time: m.sentVersion! })),
      }));
      await paced(approvalPacer, 'approval');
      const differ = new Set(await messenger.approvals.check(instances));
      checked += settled.length;
      for (const m of settled)
        if (differ.has(m.applicationId)) {
          await touch(m.id);
          repaired++;
        }
    }
    if (repaired) log.warn({ checked, repaired }, 'Approval Center: instances that differed from what was sent are sent again');
    return { checked, repaired };
  }

  // ---------- the ledger ----------

  async function lease(): Promise<boolean> {
    const id = 'ledger';
    const now = new Date();
    await db.client.mirrorSpace.upsert({ where: { id }, create: { id }, update: {} });
    const { count } = await db.client.mirrorSpace.updateMany({
      where: { id, OR: [{ leaseOwner: null }, { leaseUntil: { lt: now } }] },
      data: { leaseOwner: instance, leaseUntil: new Date(now.getTime() + ledgerLeaseMs) },
    });
    return count === 1;
  }
  const release = () => db.client.mirrorSpace.updateMany({ where: { id: 'ledger', leaseOwner: instance }, data: { leaseOwner: null, leaseUntil: null } });

  /** The programme's table: found by name (created before a crash lost its id) or created with its fields. */
  async function tableFor(c: Campaign): Promise<string> {
    const id = `ledger:${c.id}`;
    const space = await db.client.mirrorSpace.findUnique({ where: { id } });
    if (space?.remoteId) return space.remoteId;
    const { appToken } = settings.ledger!;
    const evaluation = c.kind === 'evaluation';
    const name = tableName(c.title, evaluation);
    await paced(bitablePacer, 'bitable');
    const existing = (await messenger.bitable.listTables(appToken)).find((t) => t.name === name);
    let tableId = existing?.tableId;
    if (!tableId) {
      await paced(bitablePacer, 'bitable');
      tableId = await messenger.bitable.createTable(appToken, { name, fields: [...(evaluation ? EVALUATION_FIELDS : APPLICATION_FIELDS)] });
    }
    await db.client.mirrorSpace.upsert({ where: { id }, create: { id, remoteId: tableId }, update: { remoteId: tableId } });
    return tableId;
  }

  /** 排名 by score within the programme (1, 2, 2, 4…), for the applications that have one. */
  async function scoreRanks(campaignId: string): Promise<Map<string, number>> {
    const scored = await db.client.application.findMany({
      where: { campaignId, score: { not: null } },
      select: { id: true, score: true },
      orderBy: { score: 'desc' },
    });
    const ranks = new Map<string, number>();
    scored.forEach((a, i) => ranks.set(a.id, i > 0 && a.score === scored[i - 1]!.score ? ranks.get(scored[i - 1]!.id)! : i + 1));
    return ranks;
  }

  async function ledgerViews(c: Campaign, applicationIds: string[], ranks: Map<string, number>): Promise<Map<string, LedgerView>> {
    const apps = await db.client.application.findMany({ where: { id: { in: applicationIds } } });
    const outcomes =
      c.kind === 'evaluation' ? await db.client.studioEvent.findMany({ where: { applicationId: { in: applicationIds } }, orderBy: { createdAt: 'asc' } }) : [];
    const selfFields = c.form.sections.flatMap((s) => s.fields).filter((f) => f.type !== 'group' && /自评分$/.test(f.label));
    const views = new Map<string, LedgerView>();
    for (const app of apps) {
      const answers = JSON.parse(app.answers) as Record<string, unknown>;
      const stage = c.pipeline.find((s) => s.id === app.stage);
      const selfScores = selfFields.map((f) => Number(answers[f.id])).filter((n) => Number.isFinite(n));
      views.set(app.id, {
        number: app.number ?? '',
        unitName: unitNameOf(c, answers as never),
        studioName: studioNameOf(c, answers as never),
        leaderName: typeof answers.leaderName === 'string' ? answers.leaderName : '',
        region: app.region,
        stateText: stateText(c, app),
        stageTitle: stage?.title ?? '',
        score: app.score,
        // By score where the experts scored; else the region's order of recommendation.
        rank: ranks.get(app.id) ?? app.rank,
        submittedAt: app.submittedAt,
        updatedAt: app.updatedAt,
        selfScore: selfScores.length ? Math.round(selfScores.reduce((a, b) => a + b, 0) * 10) / 10 : null,
        grade: app.grade,
        outcomes: outcomes.filter((o) => o.applicationId === app.id).map((o) => o.detail),
      });
    }
    return views;
  }

  /** One programme's changed records, in batches, under the ledger's lease. */
  async function syncLedger(campaignId: string): Promise<void> {
    const c = campaign(campaignId);
    if (!c) return;
    if (!(await lease())) throw new MirrorBusy(1_000);
    try {
      const { appToken } = settings.ledger!;
      const tableId = await tableFor(c);
      const evaluation = c.kind === 'evaluation';
      let ranks = await scoreRanks(campaignId);
      let reranked = false;
      for (let batch = 0; ; batch++) {
        const dirty = await db.client.mirror.findMany({
          where: { target: 'ledger', campaignId, changeSeq: { gt: db.client.mirror.fields.syncedSeq } },
          orderBy: { id: 'asc' },
          take: BATCH,
        });
        if (dirty.length === 0) {
          // A score changed: other records' 排名 may have moved with it (each record keeps the rank it was sent with).
          if (reranked || ranks.size === 0) return;
          reranked = true;
          ranks = await scoreRanks(campaignId);
          const sent = await db.client.mirror.findMany({
            where: { target: 'ledger', campaignId, removed: false },
            select: { id: true, applicationId: true, sentVersion: true },
          });
          const moved = sent.filter((m) => ranks.has(m.applicationId) && m.sentVersion !== String(ranks.get(m.applicationId))).map((m) => m.id);
          if (moved.length === 0) return;
          await db.client.mirror.updateMany({ where: { id: { in: moved } }, data: { changeSeq: { increment: 1 } } });
          continue;
        }
        if (batch === BATCHES_PER_RUN) {
          await touch(dirty[0]!.id); // the rest goes on in a new outbox row
          return;
        }
        const views = await ledgerViews(
          c,
          dirty.filter((m) => !m.removed).map((m) => m.applicationId),
          ranks,
        );
        const gone = dirty.filter((m) => m.removed || !views.has(m.applicationId));
        const live = dirty.filter((m) => !gone.includes(m));
        const remote = new Map(dirty.filter((m) => m.remoteId).map((m) => [m.id, m.remoteId!]));

        // A create sent before and never confirmed (a crash, a timeout) may have made records:
        // find them by 编号 before creating, and remove any second record of one application.
        const uncertain = live.filter((m) => !m.remoteId && m.pendingToken);
        for (let i = 0; i < uncertain.length; i += 50) {
          const chunk = uncertain.slice(i, i + 50);
          await paced(bitablePacer, 'bitable');
          const found = await messenger.bitable.findRecords(
            appToken,
            tableId,
            KEY_FIELD,
            chunk.map((m) => views.get(m.applicationId)!.number),
          );
          const extra: string[] = [];
          for (const m of chunk) {
            const ids = found.get(views.get(m.applicationId)!.number) ?? [];
            if (ids[0]) remote.set(m.id, ids[0]);
            extra.push(...ids.slice(1));
          }
          if (extra.length) {
            await paced(bitablePacer, 'bitable');
            await messenger.bitable.deleteRecords(appToken, tableId, extra);
          }
        }
        const toCreate = live.filter((m) => !remote.has(m.id));
        if (toCreate.length) {
          const token = randomUUID();
          await db.client.mirror.updateMany({ where: { id: { in: toCreate.map((m) => m.id) } }, data: { pendingToken: token } });
          await paced(bitablePacer, 'bitable');
          const ids = await messenger.bitable.createRecords(
            appToken,
            tableId,
            toCreate.map((m) => ledgerRecord(views.get(m.applicationId)!, evaluation)),
            token,
          );
          toCreate.forEach((m, i) => remote.set(m.id, ids[i]!));
          await db.transaction(async (tx) => {
            for (const [i, m] of toCreate.entries()) await tx.mirror.update({ where: { id: m.id }, data: { remoteId: ids[i]!, pendingToken: null } });
          });
        }
        const toUpdate = live.filter((m) => !toCreate.includes(m));
        if (toUpdate.length) {
          await paced(bitablePacer, 'bitable');
          try {
            await messenger.bitable.updateRecords(
              appToken,
              tableId,
              toUpdate.map((m) => ({ recordId: remote.get(m.id)!, fields: ledgerRecord(views.get(m.applicationId)!, evaluation) })),
            );
          } catch (error) {
            // A record deleted by hand in the table (RecordIdNotFound): made again on the next pass.
            if ((error as { code?: number }).code !== RECORD_NOT_FOUND) throw error;
            await db.client.mirror.updateMany({ where: { id: { in: toUpdate.map((m) => m.id) } }, data: { remoteId: null } });
            continue;
          }
        }
        const removable = gone.filter((m) => remote.has(m.id)).map((m) => remote.get(m.id)!);
        if (removable.length) {
          await paced(bitablePacer, 'bitable');
          await messenger.bitable.deleteRecords(appToken, tableId, removable);
        }
        // Synced as read: a change made meanwhile raised changeSeq and stays to be synced.
        await db.transaction(async (tx) => {
          for (const m of dirty) {
            if (gone.includes(m)) await tx.mirror.deleteMany({ where: { id: m.id, changeSeq: m.changeSeq } });
            else {
              const rank = views.get(m.applicationId)?.rank;
              await tx.mirror.updateMany({
                where: { id: m.id },
                data: {
                  syncedSeq: m.changeSeq,
                  syncedAt: new Date(),
                  // The record found by 编号 after an unconfirmed create is this copy's from now on.
                  remoteId: remote.get(m.id) ?? null,
                  pendingToken: null,
                  sentVersion: rank === null || rank === undefined ? null : String(rank),
                },
              });
            }
          }
        });
      }
    } finally {
      await release();
    }
  }

  return {
    applySwitches,
    ensureDefinitions,
    checkDrift,
    /** Performs one `mirror` outbox row. Throws LarkCallError (classified by the outbox) or MirrorBusy. */
    async deliver(m: MirrorMessage): Promise<void> {
      const on = m.target === 'approval' ? settings.approval : settings.ledger;
      if (!on) {
        // Off here but on in the database: another instance has it on and takes the row; off everywhere: nothing to do.
        const sw = await db.client.mirrorSwitch.findUnique({ where: { target: m.target } });
        if (sw?.enabled) throw new MirrorBusy(5_000);
        return;
      }
      return m.target === 'approval' ? syncInstance(m.applicationId) : syncLedger(m.campaignId);
    },
    /** Where the programme's ledger table opens, once it exists. */
    async ledgerUrl(campaignId: string): Promise<string | undefined> {
      if (!settings.ledger) return undefined;
      const space = await db.client.mirrorSpace.findUnique({ where: { id: `ledger:${campaignId}` } });
      return space?.remoteId ? settings.ledger.tableUrl(space.remoteId) : undefined;
    },
  };
}

/** 更新多条记录: 1254043 RecordIdNotFound. */
const RECORD_NOT_FOUND = 1254043;

export type Mirrors = ReturnType<typeof createMirrors>;
