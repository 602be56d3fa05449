// 导出: an administrator picks a programme and what to export; a job generates the files outside
// the card callback (documents take longer than Lark's 3 s), then one transaction marks the job
// done, sends the file as a message and turns the 正在生成 card into the result. A generator that
// crashed leaves its job to be claimed again when the lease runs out; only the holder of the
// lease can finish it, so the file is sent once. Every query goes through the requester's scope,
// checked again when the job runs.

import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Card } from '../../cards/components.js';
import { EXPORT_KINDS, type ExportKind, exportDoneCard, exportFailedCard, exportMenuCard, exportPendingCard } from '../../cards/exports.js';
import { type Actor, principalOf } from '../access/principal.js';
import { type AdminScope, adminScope, applicationsWhere, coversCampaign, describeScope } from '../access/scope.js';
import { studioNameOf, unitNameOf } from '../applications/names.js';
import { type ApplicationRecord, findApplication } from '../applications/repository.js';
import { beijingDay, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { stateText } from '../campaigns/states.js';
import { type Database, lockName, type Tx } from '../db/database.js';
import { gradeOf } from '../evaluation/grading.js';
import { type Exposure, maskAnswers, mayReveal } from '../forms/privacy-policy.js';
import type { Logger } from '../log.js';
import { sendCard, toUser } from '../notify.js';
import { CALLBACK_ANSWER_WINDOW_MS, enqueue } from '../outbox/outbox.js';
import type { Reply } from '../reply.js';
import { maskPersonalData } from '../rules/mask.js';
import { evaluationTables, type ListedApplication, type SheetTable, scoreTables, summaryListTables, workbook } from './spreadsheets.js';

/** A generator holds its job this long; a crashed one's job is claimed again after it. */
export const EXPORT_LEASE_MS = 5 * 60_000;

/** What a finished generator hands to delivery. */
interface Produced {
  fileName: string;
  fileType: 'doc' | 'xls' | 'stream';
  data: Buffer;
  detail: string;
}

class ExportRefused extends Error {}

/** File names keep Chinese but lose what file systems and Lark refuse. */
export const safeFileName = (name: string) =>
  Array.from(name.replace(/[\\/:*?"<>|\r\n\t]+/g, '_').trim())
    .slice(0, 100)
    .join('');

const NOT_DRAFT = { status: { not: 'draft' } };

export function createExports(deps: { campaigns: () => Campaign[]; adminIds: readonly string[]; now: () => Date; dataDir: string; log: Logger }) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);
  const titleOf = (id: string) => campaign(id)?.title ?? id;
  const instance = randomUUID().slice(0, 8);

  async function menu(scope: AdminScope, selected?: string, error?: string, values?: { what?: string; number?: string }): Promise<Card> {
    const campaigns = deps
      .campaigns()
      .filter((c) => coversCampaign(scope, c.id))
      .map((c) => ({ id: c.id, title: c.title }));
    return exportMenuCard({
      campaigns,
      ...(selected ? { selected } : {}),
      ...(error ? { error } : {}),
      ...(values ? { values } : {}),
      scopeText: describeScope(scope, titleOf),
    });
  }

  /** Why this programme cannot give this export, if it cannot. */
  function unsuitable(c: Campaign, what: ExportKind): string | undefined {
    if (what === 'scores' && !c.pipeline.some((s) => s.kind === 'scoring' && s.scoring)) return `「${c.title}」没有专家评分环节，无法导出评分和排名`;
    if (what === 'evaluation' && c.kind !== 'evaluation') return `绩效评估结果只适用于绩效评估项目，「${c.title}」是申报项目`;
    return undefined;
  }

  /** What the export shows of personal data: in full where the programme lets administrators reveal it (recorded), otherwise masked. */
  function exposureFor(c: Campaign): Exposure {
    return mayReveal(c, 'administrator') ? 'full' : 'masked';
  }
  async function readApplication(tx: Tx, c: Campaign, id: string): Promise<ApplicationRecord> {
    const app = (await findApplication(tx, id))!;
    return exposureFor(c) === 'full' ? app : { ...app, draft: { ...app.draft, answers: maskAnswers(c, app.draft.answers) } };
  }

  /**
   * The opinion boxes of the official form that name a stage, filled with what its reviewers wrote
   * when they decided (备注, else the reason), latest round; masked like the answers where
   * administrators do not see personal data in full.
   */
  async function stageOpinions(tx: Tx, c: Campaign, applicationIds: string[]): Promise<Map<string, Record<string, string>>> {
    // A box names its stage, or is titled as a stage's opinion (opinionLabel: 区市人社部门意见).
    const boxes = (c.exports.applicationForm?.opinions ?? [])
      .map((o) => ({ ...o, stage: o.stage ?? c.pipeline.find((st) => st.opinionLabel === o.title)?.id }))
      .filter((o) => o.stage);
    const out = new Map<string, Record<string, string>>();
    if (!boxes.length || !applicationIds.length) return out;
    const tasks = await tx.reviewTask.findMany({
      where: { applicationId: { in: applicationIds }, stageId: { in: boxes.map((b) => b.stage!) }, status: 'decided' },
      orderBy: [{ round: 'asc' }, { decidedAt: 'asc' }],
    });
    for (const t of tasks) {
      const text = (t.comment ?? t.reason ?? '').trim();
      if (!text) continue;
      const box = boxes.find((b) => b.stage === t.stageId)!;
      const mine = out.get(t.applicationId) ?? {};
      // A later round replaces an earlier one; several reviewers of one round are all printed.
      const round = `${t.stageId}#${t.round}`;
      const previous = mine[`__round:${box.title}`];
      mine[box.title] = previous === round ? `${mine[box.title]}\n${text}` : text;
      mine[`__round:${box.title}`] = round;
      out.set(t.applicationId, mine);
    }
    const exposure = exposureFor(c);
    for (const [id, m] of out)
      out.set(
        id,
        Object.fromEntries(
          Object.entries(m)
            .filter(([k]) => !k.startsWith('__round:'))
            .map(([k, v]) => [k, exposure === 'full' ? v : maskPersonalData(v)]),
        ),
      );
    return out;
  }

  async function listed(tx: Tx, c: Campaign, scope: AdminScope): Promise<ListedApplication[]> {
    const rows = await tx.application.findMany({ where: { ...applicationsWhere(scope, c.id), ...NOT_DRAFT }, orderBy: { number: 'asc' } });
    const out: ListedApplication[] = [];
    for (const r of rows) {
      const app = await readApplication(tx, c, r.id);
      out.push({
        number: r.number ?? '',
        region: r.region,
        rank: r.rank,
        unitName: unitNameOf(c, app.draft.answers),
        studioName: studioNameOf(c, app.draft.answers),
        stateText: stateText(c, r),
        submittedText: r.submittedAt ? formatBeijing(r.submittedAt) : '',
        answers: app.draft.answers,
      });
    }
    return out;
  }

  /** Experts by name; one whose name Lark has not given yet is 专家1, 专家2… in the sheet, never an id. */
  async function expertNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
    const known = new Map((await tx.larkUser.findMany({ where: { openId: { in: ids } } })).map((u) => [u.openId, u.name]));
    return new Map(ids.map((id, i) => [id, known.get(id) ?? `专家${i + 1}（姓名未同步）`]));
  }

  /** Reads what the job needs (inside a transaction) and returns the builder to run outside it. */
  async function gather(tx: Tx, job: { requestedBy: string; campaignId: string; what: string; number: string | null }): Promise<() => Promise<Produced>> {
    // The requester's scope as it is now: an administrator revoked since asking gets nothing.
    const scope = await adminScope(principalOf(tx, { openId: job.requestedBy }, deps.adminIds));
    const c = campaign(job.campaignId);
    if (!c) throw new ExportRefused('这个项目已不存在（项目文件可能已被移除）');
    if (!coversCampaign(scope, c.id)) throw new ExportRefused('这个项目不在您的管理范围内，无法导出');
    const what = job.what as ExportKind;
    const problem = unsuitable(c, what);
    if (problem) throw new ExportRefused(problem);
    const stamp = beijingDay(deps.now()).replace(/-/g, '');

    if (what === 'forms') {
      const rows = await tx.application.findMany({
        where: { ...applicationsWhere(scope, c.id), ...NOT_DRAFT, ...(job.number ? { number: job.number } : {}) },
        orderBy: { number: 'asc' },
      });
      if (!rows.length)
        throw new ExportRefused(job.number ? `没有找到编号为 ${job.number} 的已提交申报（或它不在您的管理范围内）` : '您的管理范围内还没有已提交的申报');
      const apps: ApplicationRecord[] = [];
      for (const r of rows) apps.push(await readApplication(tx, c, r.id));
      const opinionsOf = await stageOpinions(
        tx,
        c,
        apps.map((a) => a.id),
      );
      if (exposureFor(c) === 'full')
        await tx.auditLog.create({ data: { actor: job.requestedBy, action: 'personal_data.exported', subject: c.id, detail: `forms:${apps.length}` } });
      return async () => {
        // The document libraries are loaded when the first export needs them.
        const [{ applicationFormDocx, formTitle }, { default: JSZip }] = await Promise.all([import('./application-form.js'), import('jszip')]);
        // One document at a time, yielding between them: a 200-form export (~3 s of CPU here)
        // never holds webhook acknowledgements back for more than one document.
        const docs: { name: string; data: Buffer }[] = [];
        for (const app of apps) {
          docs.push({
            name: safeFileName(`${app.number} ${unitNameOf(c, app.draft.answers)}.docx`),
            data: await applicationFormDocx(c, {
              number: app.number ?? '',
              submittedText: app.submittedAt ? formatBeijing(app.submittedAt) : '',
              region: app.region,
              answers: app.draft.answers,
              declarations: app.draft.declarations,
              files: Object.fromEntries(c.form.attachments.map((s) => [s.id, app.uploads.filter((u) => u.slotId === s.id).map((u) => u.name)])),
              opinions: opinionsOf.get(app.id) ?? {},
            }),
          });
          await new Promise((r) => setImmediate(r));
        }
        if (docs.length === 1)
          return {
            fileName: safeFileName(`${formTitle(c)}-${docs[0]!.name}`),
            fileType: 'doc',
            data: docs[0]!.data,
            detail: `1 份申报表（${apps[0]!.number}）`,
          };
        const zip = new JSZip();
        for (const d of docs) zip.file(d.name, d.data);
        const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
        return {
          fileName: safeFileName(`${c.title}-申报表${docs.length}份-${stamp}.zip`),
          fileType: 'stream',
          data,
          detail: `${docs.length} 份申报表，打包为一个 zip`,
        };
      };
    }

    if (what === 'summary') {
      const apps = await listed(tx, c, scope);
      if (exposureFor(c) === 'full')
        await tx.auditLog.create({ data: { actor: job.requestedBy, action: 'personal_data.exported', subject: c.id, detail: `summary:${apps.length}` } });
      const tables = summaryListTables(c, apps, beijingDay(deps.now()));
      return async () => ({
        fileName: safeFileName(`${c.exports.summaryList?.title ?? `${c.title}申报情况一览表`}-${stamp}.xlsx`),
        fileType: 'xls',
        data: await workbook(tables),
        detail: `${apps.length} 份申报，${tables.length} 张表（按${c.regions.label}）`,
      });
    }

    // Scores (application programmes) and evaluation results share the experts' sheets.
    const apps = await listed(tx, c, scope);
    const rows = await tx.application.findMany({
      where: { ...applicationsWhere(scope, c.id), ...NOT_DRAFT },
      select: { id: true, number: true, score: true, grade: true },
    });
    const gradeById = new Map(rows.map((r) => [r.id, r.grade]));
    const idOf = new Map(rows.map((r) => [r.number ?? '', r.id]));
    const scoreOf = new Map(rows.map((r) => [r.id, r.score]));
    const stages = c.pipeline.filter((s) => s.kind === 'scoring' && s.scoring);
    const tasks = await tx.reviewTask.findMany({
      where: { applicationId: { in: rows.map((r) => r.id) }, stageId: { in: stages.map((s) => s.id) }, status: 'decided' },
      orderBy: { decidedAt: 'asc' },
    });
    const names = await expertNames(tx, [...new Set(tasks.map((t) => t.reviewerId))]);
    const expertsOf = (appId: string, stageId: string) =>
      tasks
        .filter((t) => t.applicationId === appId && t.stageId === stageId)
        .map((t) => ({
          name: names.get(t.reviewerId) ?? '（姓名未同步）',
          total: t.total,
          scores: t.scores ? (JSON.parse(t.scores) as Record<string, number>) : {},
          at: t.decidedAt ? formatBeijing(t.decidedAt) : '',
        }));

    if (what === 'scores') {
      const tables: SheetTable[] = stages.flatMap((stage) => {
        const rubric = c.rubrics.find((r) => r.id === stage.scoring!.rubric)!;
        const scored = apps.map((a) => ({ ...a, score: scoreOf.get(idOf.get(a.number)!) ?? null, experts: expertsOf(idOf.get(a.number)!, stage.id) }));
        const t = scoreTables(c, stage.title, rubric, scored);
        return stages.length > 1 ? t.map((x) => ({ ...x, name: `${stage.title}-${x.name}` })) : t;
      });
      return async () => ({
        fileName: safeFileName(`${c.title}-专家评分和排名-${stamp}.xlsx`),
        fileType: 'xls',
        data: await workbook(tables),
        detail: `${apps.length} 份申报，${tasks.length} 份专家评分`,
      });
    }

    const stage = stages[0];
    const studios = apps.map((a) => {
      const score = scoreOf.get(idOf.get(a.number)!) ?? null;
      return {
        number: a.number,
        studioName: a.studioName,
        unitName: a.unitName,
        region: a.region,
        experts: stage ? expertsOf(idOf.get(a.number)!, stage.id) : [],
        score,
        grade: gradeById.get(idOf.get(a.number)!) ?? (score === null ? null : (gradeOf(c, score) ?? null)),
        stateText: a.stateText,
      };
    });
    return async () => ({
      fileName: safeFileName(`${c.title}-评估结果-${stamp}.xlsx`),
      fileType: 'xls',
      data: await workbook(evaluationTables(c, studios)),
      detail: `${studios.length} 个工作室`,
    });
  }

  async function claimOne(db: Database, id: string): Promise<string | null> {
    const lease = `${instance}:${randomUUID().slice(0, 8)}`;
    const now = new Date();
    const { count } = await db.client.exportJob.updateMany({
      where: { id, OR: [{ status: 'pending' }, { status: 'running', leaseUntil: { lt: now } }] },
      data: { status: 'running', leaseOwner: lease, leaseUntil: new Date(now.getTime() + EXPORT_LEASE_MS) },
    });
    return count === 1 ? lease : null;
  }

  async function finish(
    db: Database,
    job: { id: string; requestedBy: string; campaignId: string; messageId: string | null; createdAt: Date },
    lease: string,
    outcome: { produced: Produced; path: string } | { refused: string },
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      const ok = 'produced' in outcome;
      const { count } = await tx.exportJob.updateMany({
        where: { id: job.id, status: 'running', leaseOwner: lease },
        data: ok
          ? { status: 'done', fileName: outcome.produced.fileName, detail: outcome.produced.detail, doneAt: new Date(), leaseOwner: null }
          : { status: 'failed', error: outcome.refused, doneAt: new Date(), leaseOwner: null },
      });
      if (count !== 1) return false; // the lease ran out and someone else has it now
      const title = titleOf(job.campaignId);
      const result = ok
        ? exportDoneCard({ campaign: title, fileName: outcome.produced.fileName, detail: outcome.produced.detail, campaignId: job.campaignId })
        : exportFailedCard({ campaign: title, reason: outcome.refused, campaignId: job.campaignId });
      if (ok) {
        await enqueue(
          tx,
          {
            kind: 'file',
            receiveIdType: 'open_id',
            receiveId: job.requestedBy,
            fileName: outcome.produced.fileName,
            fileType: outcome.produced.fileType,
            path: outcome.path,
          },
          job.id,
        );
        await tx.auditLog.create({
          data: { actor: job.requestedBy, action: 'export.sent', subject: job.id, detail: `${job.campaignId} ${outcome.produced.fileName}` },
        });
      }
      // The card clicked to ask for it: patched only once the click's answer can no longer overwrite the patch.
      if (job.messageId)
        await enqueue(
          tx,
          { kind: 'patch', messageId: job.messageId, chatId: job.requestedBy, card: result },
          job.id,
          new Date(job.createdAt.getTime() + CALLBACK_ANSWER_WINDOW_MS),
        );
      else await sendCard(tx, toUser(job.requestedBy), result, job.id);
      return true;
    });
  }

  return {
    menu,
    async request(tx: Tx, actor: Actor, scope: AdminScope, form: Record<string, unknown>, messageId: string | undefined): Promise<Reply> {
      const campaignId = typeof form.campaign === 'string' ? form.campaign : '';
      const what = typeof form.what === 'string' && form.what in EXPORT_KINDS ? (form.what as ExportKind) : undefined;
      const number = typeof form.number === 'string' && form.number.trim() ? form.number.trim().toUpperCase() : undefined;
      const c = campaign(campaignId);
      const problem = !c
        ? '请选择项目'
        : !what
          ? '请选择要导出的内容'
          : (unsuitable(c, what) ??
            (number && what !== 'forms'
              ? '申报编号只用于导出单份申报表；导出表格时请不填'
              : number && !/^[A-Z]{2,4}\d{4}-\d{4}$/.test(number)
                ? `申报编号「${number}」格式不对，应如 WH2024-0001`
                : undefined));
      if (problem) {
        const values = { ...(what ? { what } : {}), ...(number ? { number } : {}) };
        return { card: await menu(scope, c?.id, problem, values), toast: { type: 'error', content: problem } };
      }
      // A second click while the same export is being made waits for the first (also when both arrive at once).
      await lockName(tx, `export:${actor.openId}:${c!.id}:${what}:${number ?? ''}`);
      const running = await tx.exportJob.findFirst({
        where: { requestedBy: actor.openId, campaignId: c!.id, what, number: number ?? null, status: { in: ['pending', 'running'] } },
      });
      const job =
        running ??
        (await tx.exportJob.create({
          data: { id: randomUUID(), requestedBy: actor.openId, campaignId: c!.id, what: what!, number: number ?? null, messageId: messageId ?? null },
        }));
      if (!running)
        await tx.auditLog.create({
          data: { actor: actor.openId, action: 'export.requested', subject: job.id, detail: `${c!.id} ${what}${number ? ` ${number}` : ''}` },
        });
      return {
        card: exportPendingCard({ campaign: c!.title, what: what!, ...(number ? { number } : {}), since: formatBeijing(job.createdAt) }),
        toast: { type: running ? 'info' : 'success', content: running ? '正在生成，请稍候' : '已开始生成' },
      };
    },

    /** Generates and sends every waiting export (and any whose generator died); returns how many finished. */
    async runPending(db: Database): Promise<number> {
      const waiting = await db.client.exportJob.findMany({
        where: { OR: [{ status: 'pending' }, { status: 'running', leaseUntil: { lt: new Date() } }] },
        orderBy: { createdAt: 'asc' },
        take: 20,
      });
      let finished = 0;
      for (const job of waiting) {
        const lease = await claimOne(db, job.id);
        if (!lease) continue;
        try {
          const build = await db.transaction((tx) => gather(tx, job));
          const produced = await build();
          const dir = join(deps.dataDir, 'exports', job.id);
          await mkdir(dir, { recursive: true, mode: 0o700 });
          const path = join(dir, produced.fileName);
          await writeFile(path, produced.data, { mode: 0o600 });
          if (await finish(db, job, lease, { produced, path })) finished++;
        } catch (error) {
          if (!(error instanceof ExportRefused)) deps.log.error({ err: error, jobId: job.id }, 'export failed');
          const reason = error instanceof ExportRefused ? error.message : '生成文件时出错，请稍后重试；如果一再出错，请联系技术支持';
          if (await finish(db, job, lease, { refused: reason })) finished++;
        }
      }
      return finished;
    },
  };
}

export type Exports = ReturnType<typeof createExports>;
