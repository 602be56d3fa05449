// 项目管理: administrators add or update a programme by sending its YAML file to the bot (checked
// like the files in CAMPAIGNS_DIR, previewed, activated on confirmation), and open, close or copy
// programmes to a new year from a card. What they activate is stored in the database and overrides
// the folder's file of the same id; the catalog is reloaded after the transaction commits.
import { createHash, randomUUID } from 'node:crypto';
import { parseDocument, stringify } from 'yaml';
import {
  type CampaignSummary,
  campaignCard,
  campaignListCard,
  campaignPreviewCard,
  campaignProblemsCard,
  campaignResultCard,
} from '../../cards/campaign-admin.js';
import { campaignErrorsCard } from '../../cards/campaigns.js';
import type { Card } from '../../cards/components.js';
import type { Actor } from '../access/principal.js';
import { type AdminScope, coversCampaign } from '../access/scope.js';
import { currentSources } from '../campaigns/catalog.js';
import type { CampaignCatalog, CampaignSource } from '../campaigns/loader.js';
import { declaredId, formatCampaignError, parseCampaignSources } from '../campaigns/loader.js';
import { beijingDay, campaignState, deadlineInstant, formatBeijing, opensInstant } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Tx } from '../db/database.js';
import { MAX_CAMPAIGN_FILE_BYTES } from '../files/limits.js';
import type { FileStore } from '../files/store.js';
import { parseDateInput } from '../forms/fields.js';
import { adminRecipient, sendCard } from '../notify.js';
import type { Reply } from '../reply.js';

export { isCampaignFileName } from '../files/limits.js';

/**
 * Problems in the programme files, told to the administrators named in ADMIN_IDS once per distinct
 * set of problems (not at every restart). True when they were told.
 */
export async function reportCatalogProblems(tx: Tx, catalog: CampaignCatalog, adminIds: readonly string[], dir: string): Promise<boolean> {
  if (catalog.errors.length === 0 || adminIds.length === 0) return false;
  const digest = createHash('sha256').update(catalog.errors.map(formatCampaignError).sort().join('\n')).digest('hex').slice(0, 32);
  const already = await tx.auditLog.findFirst({ where: { action: 'campaigns.problems_reported', subject: digest } });
  if (already) return false;
  await tx.auditLog.create({ data: { actor: 'system', action: 'campaigns.problems_reported', subject: digest, detail: `${catalog.errors.length} problems` } });
  const c = campaignErrorsCard({ errors: catalog.errors, loaded: catalog.campaigns.length, dir });
  for (const id of adminIds) await sendCard(tx, adminRecipient(id), c, `campaigns:${digest}`);
  return true;
}

const STATE_TEXT = { upcoming: '未开始', open: '申报中', closed: '已截止' } as const;

export function summarise(c: Campaign, sourceText: string, now: Date): CampaignSummary {
  const deadline = deadlineInstant(c);
  const state = campaignState(c, now);
  return {
    id: c.id,
    title: c.title,
    kindText: c.kind === 'application' ? '申报' : '绩效评估',
    year: c.year,
    issuer: c.issuer.name,
    opensText: formatBeijing(opensInstant(c)).replace(/ 00:00$/, ''),
    deadlineText: deadline ? formatBeijing(deadline) : '截止时间待定',
    stateText: !deadline && state === 'open' ? '申报中（截止时间待定）' : STATE_TEXT[state],
    open: state === 'open',
    ...(c.source.extends ? { extendsId: c.source.extends } : {}),
    sections: c.form.sections.map((s) => s.title),
    fields: c.form.sections.reduce((n, s) => n + s.fields.length, 0),
    attachments: c.form.attachments.length,
    stages: c.pipeline.map((s) => s.title),
    rules: c.eligibility.length,
    regions: `${c.regions.label}：${c.regions.items.join('、')}`,
    sourceText,
  };
}

/** The same year in a title moved on: 2024年度… → 2025年度…. */
export function nextYearTitle(title: string, from: number, to: number): string {
  return title.includes(String(from)) ? title.split(String(from)).join(String(to)) : `${to}年${title}`;
}

/**
 * The file of a copy for a new year: inherits everything from the source and changes what belongs
 * to one year (id, year, title, dates; the old notice's number and stage deadlines removed;
 * an evaluation's period and cohort moved on by the same number of years).
 */
export function copyForNewYear(c: Campaign, o: { newId: string; year: number; opensAt: string; deadline?: string; by: string; today: string }): string {
  const shift = o.year - c.year;
  const move = (d: string) => `${Number(d.slice(0, 4)) + shift}${d.slice(4)}`;
  const file: Record<string, unknown> = {
    extends: c.id,
    id: o.newId,
    title: nextYearTitle(c.title, c.year, o.year),
    year: o.year,
    issuer: { docNumber: null, issuedOn: null },
    schedule: { opensAt: o.opensAt, deadline: o.deadline ?? null, stageDeadlines: null },
  };
  if (c.evaluation) {
    const s = c.evaluation.studios;
    file.evaluation = {
      period: { from: move(c.evaluation.period.from), to: move(c.evaluation.period.to) },
      // "Designated before N" excludes the newest cohort and moves on with the year; "since N" stays.
      ...(s.designatedBefore !== undefined ? { studios: { designatedBefore: s.designatedBefore + shift } } : {}),
    };
  }
  return `# 由 ${o.by} 于 ${o.today} 在助手中复制自 ${c.id}：未写出的设置都继承自它。\n${stringify(file)}`;
}

/** The file with its schedule changed, comments and layout kept. */
export function withSchedule(text: string, changes: { opensAt?: string; deadline?: string }): string {
  const doc = parseDocument(text);
  if (changes.opensAt) doc.setIn(['schedule', 'opensAt'], changes.opensAt);
  if (changes.deadline) doc.setIn(['schedule', 'deadline'], changes.deadline);
  return String(doc);
}

/** This minute in Beijing time as a programme file writes it: 2026-11-21T20:45:00+08:00. */
export const beijingMinute = (d: Date) => `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16)}:00+08:00`;

export function createCampaignAdmin(deps: {
  catalog: CampaignCatalog;
  campaignsDir: string;
  now: () => Date;
  fileStore: FileStore;
  reload: () => Promise<unknown>;
}) {
  /** Checks a candidate file among all the others (the one of the same id left out). */
  async function check(tx: Tx, candidate: CampaignSource): Promise<{ campaign: Campaign } | { problems: { path: string; message: string }[] }> {
    const id = declaredId(candidate.text);
    const others = (await currentSources(tx, deps.campaignsDir)).filter((s) => declaredId(s.text) !== id || id === undefined);
    const parsed = parseCampaignSources([...others, candidate]);
    const problems = parsed.errors.filter((e) => e.file === candidate.file).map((e) => ({ path: e.path, message: e.message }));
    const campaign = parsed.campaigns.find((c) => c.id === id);
    if (problems.length || !campaign) return { problems: problems.length ? problems : [{ path: 'id', message: '缺少项目 id' }] };
    return { campaign };
  }

  async function sourceOf(tx: Tx, id: string): Promise<{ source: CampaignSource; text: string } | undefined> {
    const row = await tx.campaignFile.findUnique({ where: { campaignId: id } });
    if (row) return { source: { file: row.fileName, text: row.text }, text: `在助手中启用（第 ${row.version} 版，${formatBeijing(row.updatedAt)}）` };
    const file = (await currentSources(tx, deps.campaignsDir)).find((s) => declaredId(s.text) === id);
    return file ? { source: file, text: `随附文件 ${file.file}` } : undefined;
  }

  async function list(tx: Tx, scope: AdminScope, flash?: string): Promise<Card> {
    const rows = new Map((await tx.campaignFile.findMany()).map((r) => [r.campaignId, r.version]));
    const campaigns = deps.catalog.campaigns
      .filter((c) => coversCampaign(scope, c.id))
      .map((c) => {
        const s = summarise(c, rows.has(c.id) ? `在助手中启用（第 ${rows.get(c.id)} 版）` : `随附文件 ${c.source.file}`, deps.now());
        return { id: s.id, title: s.title, stateText: s.stateText, open: s.open, sourceText: s.sourceText, kindText: s.kindText };
      });
    return campaignListCard({ campaigns, problems: deps.catalog.errors.length, ...(flash ? { flash } : {}) });
  }

  async function show(tx: Tx, id: string, flash?: { kind: 'success' | 'error'; text: string }, override?: Campaign): Promise<Reply> {
    const c = override ?? deps.catalog.campaigns.find((x) => x.id === id);
    const src = await sourceOf(tx, id);
    if (!c || !src) return { toast: { type: 'error', content: '这个项目已不存在' } };
    const suggestedId = /-\d{4}$/.test(c.id) ? c.id.replace(/\d{4}$/, String(c.year + 1)) : `${c.id}-${c.year + 1}`;
    return {
      card: campaignCard({ campaign: summarise(c, src.text, deps.now()), suggestedId, today: beijingDay(deps.now()), ...(flash ? { flash } : {}) }),
      ...(flash ? { toast: { type: flash.kind, content: flash.text } } : {}),
    };
  }

  /** Stores the file as the programme's current one (the catalog reloads after the commit). */
  async function activate(tx: Tx, actor: Actor, c: Campaign, source: CampaignSource, action: string): Promise<void> {
    const existing = await tx.campaignFile.findUnique({ where: { campaignId: c.id } });
    if (existing)
      await tx.campaignFile.update({
        where: { campaignId: c.id },
        data: { fileName: source.file, text: source.text, version: existing.version + 1, updatedBy: actor.openId },
      });
    else await tx.campaignFile.create({ data: { campaignId: c.id, fileName: source.file, text: source.text, updatedBy: actor.openId } });
    await tx.auditLog.create({ data: { actor: actor.openId, action, subject: c.id, detail: source.file } });
  }

  async function preview(tx: Tx, actor: Actor, source: CampaignSource): Promise<Card> {
    const checked = await check(tx, source);
    if ('problems' in checked) return campaignProblemsCard({ fileName: source.file, problems: checked.problems });
    const c = checked.campaign;
    const upload = await tx.campaignUpload.create({
      data: { id: randomUUID(), uploadedBy: actor.openId, fileName: source.file, text: source.text, campaignId: c.id },
    });
    const current = deps.catalog.campaigns.find((x) => x.id === c.id);
    const applications = current ? await tx.application.count({ where: { campaignId: c.id } }) : 0;
    return campaignPreviewCard({
      uploadId: upload.id,
      fileName: source.file,
      campaign: summarise(c, `文件 ${source.file}`, deps.now()),
      ...(current ? { replaces: { title: current.title, applications } } : {}),
    });
  }

  return {
    list,

    /** The programme a file sent as a programme file declares ('' when it declares none or cannot be read). */
    async declaredIn(file: { size: number; sha256: string }): Promise<string> {
      if (file.size > MAX_CAMPAIGN_FILE_BYTES) return '';
      const bytes = await deps.fileStore.get(file.sha256);
      return bytes ? (declaredId(bytes.toString('utf8').replace(/^\uFEFF/, '')) ?? '') : '';
    },

    /** A .yaml file an administrator sent: its problems, or its preview with 启用. */
    async receiveFile(tx: Tx, actor: Actor, file: { name: string; size: number; sha256: string }): Promise<Card> {
      if (file.size > MAX_CAMPAIGN_FILE_BYTES)
        return campaignProblemsCard({ fileName: file.name, problems: [{ path: '（文件）', message: '文件超过 1 MB，不像是项目配置文件' }] });
      const bytes = await deps.fileStore.get(file.sha256);
      if (!bytes) return campaignProblemsCard({ fileName: file.name, problems: [{ path: '（文件）', message: '文件没有保存下来，请重新发送' }] });
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      if (text.includes('\uFFFD'))
        return campaignProblemsCard({
          fileName: file.name,
          problems: [{ path: '（文件）', message: '文件不是 UTF-8 编码的文本，请用 UTF-8 保存后重新发送' }],
        });
      return preview(tx, actor, { file: file.name.trim(), text });
    },

    /** Every change of the catalog is followed by a reload once the transaction has committed. */
    async handle(tx: Tx, actor: Actor, scope: AdminScope, a: { a: string; c?: string; u?: string }, form: Record<string, unknown>): Promise<Reply> {
      const reply = await handle(tx, actor, scope, a, form);
      return { ...reply, after: deps.reload };
    },
  };

  async function handle(tx: Tx, actor: Actor, scope: AdminScope, a: { a: string; c?: string; u?: string }, form: Record<string, unknown>): Promise<Reply> {
    const now = deps.now();
    const today = beijingDay(now);
    switch (a.a) {
      case 'p.list':
        return { card: await list(tx, scope) };
      case 'p.show':
        return show(tx, a.c ?? '');
      case 'p.discard': {
        const { count } = await tx.campaignUpload.updateMany({ where: { id: a.u ?? '', status: 'pending' }, data: { status: 'discarded', decidedAt: now } });
        return { card: campaignResultCard({ title: '已放弃', text: count ? '这个项目文件没有启用。' : '这个项目文件已经处理过了。', ok: false }) };
      }
      case 'p.activate': {
        const up = await tx.campaignUpload.findUnique({ where: { id: a.u ?? '' } });
        if (up?.status !== 'pending')
          return {
            card: await list(tx, scope),
            toast: { type: 'warning', content: up?.status === 'activated' ? '这个项目文件已经启用过了' : '这个项目文件已放弃或不存在' },
          };
        // Checked again: other files may have changed since the preview.
        const checked = await check(tx, { file: up.fileName, text: up.text });
        if ('problems' in checked)
          return {
            card: campaignProblemsCard({ fileName: up.fileName, problems: checked.problems }),
            toast: { type: 'error', content: '项目文件现在有错误，未启用' },
          };
        const { count } = await tx.campaignUpload.updateMany({ where: { id: up.id, status: 'pending' }, data: { status: 'activated', decidedAt: now } });
        if (count !== 1) return { card: await list(tx, scope), toast: { type: 'warning', content: '这个项目文件已经启用过了' } };
        await activate(tx, actor, checked.campaign, { file: up.fileName, text: up.text }, 'programme.activated');
        return {
          card: campaignResultCard({ title: '项目已启用', text: `「${checked.campaign.title}」已启用（${checked.campaign.id}）。`, ok: true }),
          toast: { type: 'success', content: '已启用' },
        };
      }
      case 'p.close':
      case 'p.open': {
        const c = deps.catalog.campaigns.find((x) => x.id === a.c);
        const src = c && (await sourceOf(tx, c.id));
        if (!c || !src) return { card: await list(tx, scope), toast: { type: 'error', content: '这个项目已不存在' } };
        let changes: { opensAt?: string; deadline?: string };
        if (a.a === 'p.close') {
          if (campaignState(c, now) !== 'open') return show(tx, c.id, { kind: 'error', text: '这个项目现在不在申报期内，无需截止' });
          changes = { deadline: beijingMinute(now) };
        } else {
          const picked = typeof form.deadline === 'string' ? parseDateInput(form.deadline) : null;
          if (!picked) return show(tx, c.id, { kind: 'error', text: '请选择新的截止日期' });
          if (picked < today) return show(tx, c.id, { kind: 'error', text: `截止日期 ${picked} 已经过去，请选择今天或以后的日期` });
          changes = { deadline: picked, ...(c.schedule.opensAt > today ? { opensAt: today } : {}) };
        }
        const source = { file: src.source.file, text: withSchedule(src.source.text, changes) };
        const checked = await check(tx, source);
        if ('problems' in checked)
          return show(tx, c.id, { kind: 'error', text: `修改后的项目文件有错误：${checked.problems[0]!.path}：${checked.problems[0]!.message}` });
        await activate(tx, actor, checked.campaign, source, a.a === 'p.close' ? 'programme.closed' : 'programme.opened');
        return show(
          tx,
          c.id,
          { kind: 'success', text: a.a === 'p.close' ? '已截止申报，草稿都保留' : `已开放申报，截止到 ${changes.deadline} 23:59` },
          checked.campaign,
        );
      }
      case 'p.copy': {
        const c = deps.catalog.campaigns.find((x) => x.id === a.c);
        if (!c) return { card: await list(tx, scope), toast: { type: 'error', content: '这个项目已不存在' } };
        const newId = typeof form.newId === 'string' ? form.newId.trim() : '';
        const opensAt = typeof form.opensAt === 'string' ? parseDateInput(form.opensAt) : null;
        const deadline = typeof form.copyDeadline === 'string' && form.copyDeadline.trim() ? parseDateInput(form.copyDeadline) : undefined;
        const taken = deps.catalog.campaigns.some((x) => x.id === newId) || (await tx.campaignFile.count({ where: { campaignId: newId } })) > 0;
        const problem = !newId
          ? '请填写新项目的 id'
          : taken
            ? `已有项目使用 id「${newId}」，请换一个`
            : !opensAt
              ? '请选择开始申报日期'
              : deadline === null
                ? '截止日期无法识别，请用日期选择器重新选择'
                : deadline && deadline < opensAt
                  ? '截止日期不能早于开始申报日期'
                  : undefined;
        if (problem) return show(tx, c.id, { kind: 'error', text: problem });
        const year = /-(\d{4})$/.exec(newId) ? Number(/-(\d{4})$/.exec(newId)![1]) : Number(opensAt!.slice(0, 4));
        const text = copyForNewYear(c, { newId, year, opensAt: opensAt!, ...(deadline ? { deadline } : {}), by: actor.openId, today });
        return { card: await preview(tx, actor, { file: `${newId}.yaml`, text }) };
      }
      default:
        return { toast: { type: 'error', content: '无法识别的操作' } };
    }
  }
}

export type CampaignAdmin = ReturnType<typeof createCampaignAdmin>;
