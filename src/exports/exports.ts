// 导出: an administrator picks a programme and what to export; a job generates the files outside
// the card callback (documents take longer than Lark's 3 s), then one transaction marks the job
// done, sends the file as a message and turns the 正在生成 card into the result. A generator that
// crashed leaves its job to be claimed again when the lease runs out; only the holder of the
// lease can finish it, so the file is sent once. Every query goes through the requester's scope,
// checked again when the job runs.

import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Card } from '../../cards/components.js';
import { EXPORT_KINDS, type ExportKind, exportDoneCard, exportFailedCard, exportMenuCard, exportPendingCard } from '../../cards/exports.js';
import { type Actor, principalOf } from '../access/principal.js';
import { type AdminScope, adminScope, applicationsWhere, coversCampaign, describeScope } from '../access/scope.js';
import { studioNameOf, unitNameOf } from '../applications/names.js';
import { beijingDay, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { stateText } from '../campaigns/states.js';
import { type Database, lockName, type Tx } from '../db/database.js';
import { gradeOf } from '../evaluation/grading.js';
import { MAX_UPLOAD_BYTES } from '../files/limits.js';
import type { Answers } from '../forms/engine.js';
import { type Exposure, maskAnswers, mayReveal } from '../forms/privacy-policy.js';
import type { Logger } from '../log.js';
import { sendCard, toUser } from '../notify.js';
import { CALLBACK_ANSWER_WINDOW_MS, enqueue } from '../outbox/outbox.js';
import type { Reply } from '../reply.js';
import { maskPersonalData } from '../rules/mask.js';
import type { FormDocumentInput } from './application-form.js';
import { startFormDocuments } from './form-documents.js';
import { evaluationTables, type ListedApplication, type SheetTable, scoreTables, summaryFieldIds, summaryListTables, writeWorkbook } from './spreadsheets.js';
import { formTitle } from './values.js';
import { type PreparedEntry, prepareEntry, ZipFileWriter } from './zip-writer.js';

/** A generator holds its job this long; a crashed one's job is claimed again after it. */
export const EXPORT_LEASE_MS = 5 * 60_000;

type FileType = 'doc' | 'xls' | 'stream';

/**
 * What a finished generator hands to delivery: the files it wrote to the job's directory (several
 * zips when one would pass Lark's upload limit), each sent as its own file message.
 */
interface Produced {
  /** The name the done card shows (the zips' common name when there are parts). */
  fileName: string;
  files: { fileName: string; fileType: FileType; path: string }[];
  detail: string;
}

/** Writes the export's files into `dir`, reading what it needs through `db` page by page. */
type Builder = (db: Database, dir: string) => Promise<Produced>;

/** Applications read per query (and per short transaction) while an export is generated. */
export const EXPORT_PAGE_SIZE = 200;

class ExportRefused extends Error {}

type Dialect = Database['dialect'];

/**
 * The order pages are read in: by number, an application without one first. After the first page
 * every row has a number (number > the last one read), and SQLite puts NULL first anyway, so there
 * a plain ascending order says the same and lets the database walk the number index to the next
 * page's rows. Prisma writes `nulls: 'first'` as ORDER BY CASE WHEN number IS NULL …, which no
 * index serves: every page of a 20,000-row 一览表 sorted all 20,000 applications again.
 */
const numberOrder = (dialect: Dialect, after: string | undefined) =>
  after === undefined && dialect === 'postgres' ? { number: { sort: 'asc' as const, nulls: 'first' as const } } : { number: 'asc' as const };

/** File names keep Chinese but lose what file systems and Lark refuse. */
export const safeFileName = (name: string) =>
  Array.from(name.replace(/[\\/:*?"<>|\r\n\t]+/g, '_').trim())
    .slice(0, 100)
    .join('');

const NOT_DRAFT = { status: { not: 'draft' } };

/** Runs one read in a transaction: the job's own (at gather), or a short one per page (while building). */
type Read = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export function createExports(deps: {
  campaigns: () => Campaign[];
  adminIds: readonly string[];
  now: () => Date;
  dataDir: string;
  log: Logger;
  /** The largest file sent (Lark's upload limit); a bigger zip is split into parts. Lowered by tests. */
  maxFileBytes?: number;
  /** Applications read per page. */
  pageSize?: number;
}) {
  const maxFileBytes = deps.maxFileBytes ?? MAX_UPLOAD_BYTES;
  const pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;
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
  /** The answers as the export shows them: in full, or masked. */
  function shownAnswers(c: Campaign, stored: string): Answers {
    const answers = JSON.parse(stored) as Answers;
    return exposureFor(c) === 'full' ? answers : maskAnswers(c, answers);
  }

  /**
   * One page of the programme's submitted applications in the scope, by number after `after`
   * (none: the first page). Three queries whatever the page size: the applications, their uploads
   * in attachment slots, and the decided reviews of the stages the form prints opinions of.
   */
  async function formPage(tx: Tx, dialect: Dialect, c: Campaign, where: Record<string, unknown>, after: string | undefined) {
    const rows = await tx.application.findMany({
      where: after === undefined ? where : { AND: [where, { number: { gt: after } }] },
      orderBy: numberOrder(dialect, after),
      take: pageSize,
      select: { id: true, number: true, region: true, submittedAt: true, answers: true, declarations: true },
    });
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const uploads = await tx.upload.findMany({
      where: { applicationId: { in: ids }, slotId: { not: null } },
      orderBy: { createdAt: 'asc' },
      select: { applicationId: true, slotId: true, name: true },
    });
    const opinionsOf = await stageOpinions(tx, c, ids);
    const uploadsOf = new Map<string, typeof uploads>();
    for (const u of uploads) uploadsOf.set(u.applicationId!, [...(uploadsOf.get(u.applicationId!) ?? []), u]);
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      region: r.region,
      submittedAt: r.submittedAt,
      answers: shownAnswers(c, r.answers),
      declarations: JSON.parse(r.declarations) as Record<string, boolean>,
      files: Object.fromEntries(c.form.attachments.map((s) => [s.id, (uploadsOf.get(r.id) ?? []).filter((u) => u.slotId === s.id).map((u) => u.name)])),
      opinions: opinionsOf.get(r.id) ?? {},
    }));
  }

  /**
   * Every page in turn, each read in its own short transaction (an export of thousands never
   * holds the database for the minute it takes). An application changed between two pages is
   * exported as it was when its own page was read; one submitted meanwhile is included if its
   * number comes after the pages already read.
   */
  async function* pages<T extends { number: string | null }>(read: Read, page: (tx: Tx, after: string | undefined) => Promise<T[]>): AsyncGenerator<T[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await read((tx) => page(tx, after));
      if (rows.length) yield rows;
      if (rows.length < pageSize) return;
      const last = rows.at(-1)!.number;
      // Numbers are given at submission: a whole page without one cannot happen.
      if (last === null) throw new Error('a page of submitted applications without numbers');
      after = last;
    }
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

  /**
   * The 一览表's rows (also the scores' and results' applications), page by page: of the answers
   * only the fields the 一览表's columns print are kept, so 20,000 rows stay small.
   */
  async function listed(read: Read, dialect: Dialect, c: Campaign, scope: AdminScope): Promise<ListedApplication[]> {
    const where = { ...applicationsWhere(scope, c.id), ...NOT_DRAFT };
    const keep = summaryFieldIds(c);
    const out: ListedApplication[] = [];
    const page = (tx: Tx, after: string | undefined) =>
      tx.application.findMany({
        where: after === undefined ? where : { AND: [where, { number: { gt: after } }] },
        orderBy: numberOrder(dialect, after),
        take: pageSize,
        select: { number: true, region: true, rank: true, status: true, stage: true, submittedAt: true, answers: true },
      });
    for await (const rows of pages(read, page))
      for (const r of rows) {
        const answers = shownAnswers(c, r.answers);
        out.push({
          number: r.number ?? '',
          region: r.region,
          rank: r.rank,
          unitName: unitNameOf(c, answers),
          studioName: studioNameOf(c, answers),
          stateText: stateText(c, r),
          submittedText: r.submittedAt ? formatBeijing(r.submittedAt) : '',
          answers: Object.fromEntries(Object.entries(answers).filter(([k]) => keep.has(k))),
        });
      }
    return out;
  }

  /** Experts by name; one whose name Lark has not given yet is 专家1, 专家2… in the sheet, never an id. */
  async function expertNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
    const known = new Map((await tx.larkUser.findMany({ where: { openId: { in: ids } } })).map((u) => [u.openId, u.name]));
    return new Map(ids.map((id, i) => [id, known.get(id) ?? `专家${i + 1}（姓名未同步）`]));
  }

  /**
   * Checks the job and reads what must be read under the job's transaction (the scope as it is
   * now, what to refuse, the audit record); returns the builder that reads the rest page by page
   * and writes the files, outside it.
   */
  async function gather(tx: Tx, dialect: Dialect, job: { requestedBy: string; campaignId: string; what: string; number: string | null }): Promise<Builder> {
    // The requester's scope as it is now: an administrator revoked since asking gets nothing.
    const scope = await adminScope(principalOf(tx, { openId: job.requestedBy }, deps.adminIds));
    const c = campaign(job.campaignId);
    if (!c) throw new ExportRefused('这个项目已不存在（项目文件可能已被移除）');
    if (!coversCampaign(scope, c.id)) throw new ExportRefused('这个项目不在您的管理范围内，无法导出');
    const what = job.what as ExportKind;
    const problem = unsuitable(c, what);
    if (problem) throw new ExportRefused(problem);
    const stamp = beijingDay(deps.now()).replace(/-/g, '');
    const pageRead =
      (db: Database): Read =>
      (fn) =>
        db.transaction(fn);

    if (what === 'forms') {
      const where = { ...applicationsWhere(scope, c.id), ...NOT_DRAFT, ...(job.number ? { number: job.number } : {}) };
      const none = job.number ? `没有找到编号为 ${job.number} 的已提交申报（或它不在您的管理范围内）` : '您的管理范围内还没有已提交的申报';
      const count = await tx.application.count({ where });
      if (!count) throw new ExportRefused(none);
      if (exposureFor(c) === 'full')
        await tx.auditLog.create({ data: { actor: job.requestedBy, action: 'personal_data.exported', subject: c.id, detail: `forms:${count}` } });
      return async (db, dir) => {
        type FormRow = Awaited<ReturnType<typeof formPage>>[number];
        const input = (app: FormRow): FormDocumentInput => ({
          number: app.number ?? '',
          submittedText: app.submittedAt ? formatBeijing(app.submittedAt) : '',
          region: app.region,
          answers: app.answers,
          declarations: app.declarations,
          files: app.files,
          opinions: app.opinions,
        });
        const entryName = (app: FormRow) => safeFileName(`${app.number} ${unitNameOf(c, app.answers)}.docx`);
        const reading = pages(pageRead(db), (ptx, after) => formPage(ptx, dialect, c, where, after));
        let first = (await reading.next()).value ?? [];
        if (!first.length) throw new ExportRefused(none);
        // The documents are made in a worker thread with a heap of its own (the bot's event loop
        // stays free for webhooks): this thread reads the pages and writes the files. One worker
        // per job, stopped when the job ends however it ends.
        const parts: ZipFileWriter[] = [];
        let total = 0;
        const documents = startFormDocuments(c);
        try {
          if (first.length === 1 && first.length < pageSize) {
            const app = first[0]!;
            documents.send([input(app)]);
            const fileName = safeFileName(`${formTitle(c)}-${entryName(app)}`);
            const path = join(dir, fileName);
            await writeFile(path, await documents.next(), { mode: 0o600 });
            return { fileName, files: [{ fileName, fileType: 'doc', path }], detail: `1 份申报表（${app.number}）` };
          }
          // Each document is appended to the zip on disk as it comes back. A zip that would pass
          // the upload limit is closed and the next one begun.
          let zip: ZipFileWriter | undefined;
          const add = async (entry: PreparedEntry) => {
            if (zip && zip.entries > 0 && zip.sizeWith(entry) > maxFileBytes) {
              await zip.close();
              zip = undefined;
            }
            if (!zip) parts.push((zip = await ZipFileWriter.create(join(dir, `part-${parts.length + 1}.zip`))));
            if (zip.sizeWith(entry) > maxFileBytes) throw new Error('one 申报表 alone is larger than the upload limit');
            await zip.add(entry);
            total++;
          };
          // Pipelined: while the worker makes page k, page k+1 is read and handed to it as soon as
          // it is (never more than that one page ahead).
          // Of a page handed over, this thread keeps only the documents' names.
          const handOver = (rows: FormRow[]) => {
            documents.send(rows.map(input));
            return rows.map(entryName);
          };
          try {
            let names: string[] | undefined = handOver(first);
            first = [];
            while (names) {
              const following: Promise<string[] | undefined> = reading.next().then((r) => (r.done ? undefined : handOver(r.value)));
              following.catch(() => undefined); // awaited below, after this page's documents
              for (const name of names) await add(await prepareEntry(name, await documents.next()));
              names = await following;
            }
            await zip?.close();
          } catch (error) {
            await zip?.abort();
            throw error;
          }
        } finally {
          await documents.close();
        }
        const stem = safeFileName(`${c.title}-申报表${total}份-${stamp}`);
        const files: Produced['files'] = [];
        for (const [i, part] of parts.entries()) {
          const fileName = parts.length === 1 ? `${stem}.zip` : `${stem}-第${i + 1}部分.zip`;
          await rename(part.path, join(dir, fileName));
          files.push({ fileName, fileType: 'stream', path: join(dir, fileName) });
        }
        return parts.length === 1
          ? { fileName: files[0]!.fileName, files, detail: `${total} 份申报表，打包为一个 zip` }
          : {
              fileName: `${stem}.zip（共${parts.length}部分）`,
              files,
              detail: `${total} 份申报表，分为 ${parts.length} 个 zip 依次发送（飞书单个文件不超过 30 MB）`,
            };
      };
    }

    /** A workbook written to the job's directory. */
    const sheetFile = async (dir: string, fileName: string, tables: SheetTable[], detail: string): Promise<Produced> => {
      const path = join(dir, fileName);
      await writeWorkbook(tables, path);
      return { fileName, files: [{ fileName, fileType: 'xls', path }], detail };
    };

    if (what === 'summary') {
      if (exposureFor(c) === 'full') {
        const count = await tx.application.count({ where: { ...applicationsWhere(scope, c.id), ...NOT_DRAFT } });
        await tx.auditLog.create({ data: { actor: job.requestedBy, action: 'personal_data.exported', subject: c.id, detail: `summary:${count}` } });
      }
      return async (db, dir) => {
        const apps = await listed(pageRead(db), dialect, c, scope);
        const tables = summaryListTables(c, apps, beijingDay(deps.now()));
        return sheetFile(
          dir,
          safeFileName(`${c.exports.summaryList?.title ?? `${c.title}申报情况一览表`}-${stamp}.xlsx`),
          tables,
          `${apps.length} 份申报，${tables.length} 张表（按${c.regions.label}）`,
        );
      };
    }

    // Scores (application programmes) and evaluation results share the experts' sheets: the
    // applications that reached scoring, read under the job's transaction.
    const apps = await listed((fn) => fn(tx), dialect, c, scope);
    const rows = await tx.application.findMany({
      where: { ...applicationsWhere(scope, c.id), ...NOT_DRAFT },
      select: { id: true, number: true, score: true, grade: true },
    });
    const gradeById = new Map(rows.map((r) => [r.id, r.grade]));
    const idOf = new Map(rows.map((r) => [r.number ?? '', r.id]));
    const scoreOf = new Map(rows.map((r) => [r.id, r.score]));
    const stages = c.pipeline.filter((s) => s.kind === 'scoring' && s.scoring);
    const tasks: Awaited<ReturnType<Tx['reviewTask']['findMany']>> = [];
    // By page of ids: a query takes only so many parameters.
    for (let i = 0; i < rows.length; i += pageSize)
      tasks.push(
        ...(await tx.reviewTask.findMany({
          where: { applicationId: { in: rows.slice(i, i + pageSize).map((r) => r.id) }, stageId: { in: stages.map((s) => s.id) }, status: 'decided' },
          orderBy: { decidedAt: 'asc' },
        })),
      );
    tasks.sort((a, b) => (a.decidedAt?.getTime() ?? 0) - (b.decidedAt?.getTime() ?? 0));
    const names = await expertNames(tx, [...new Set(tasks.map((t) => t.reviewerId))]);
    const tasksOf = new Map<string, typeof tasks>();
    for (const t of tasks) tasksOf.set(`${t.applicationId} ${t.stageId}`, [...(tasksOf.get(`${t.applicationId} ${t.stageId}`) ?? []), t]);
    const expertsOf = (appId: string, stageId: string) =>
      (tasksOf.get(`${appId} ${stageId}`) ?? []).map((t) => ({
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
      return async (_db, dir) =>
        sheetFile(dir, safeFileName(`${c.title}-专家评分和排名-${stamp}.xlsx`), tables, `${apps.length} 份申报，${tasks.length} 份专家评分`);
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
    return async (_db, dir) => sheetFile(dir, safeFileName(`${c.title}-评估结果-${stamp}.xlsx`), evaluationTables(c, studios), `${studios.length} 个工作室`);
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
    outcome: { produced: Produced } | { refused: string },
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
        // Several parts are several file messages, in order.
        for (const f of outcome.produced.files)
          await enqueue(
            tx,
            { kind: 'file', receiveIdType: 'open_id', receiveId: job.requestedBy, fileName: f.fileName, fileType: f.fileType, path: f.path },
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
          const build = await db.transaction((tx) => gather(tx, db.dialect, job));
          // A crashed generator's half-written files are not sent.
          const dir = join(deps.dataDir, 'exports', job.id);
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir, { recursive: true, mode: 0o700 });
          const produced = await build(db, dir);
          if (await finish(db, job, lease, { produced })) finished++;
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
