// The authorisation matrix: every registered card action, command and kind of file × every kind of
// actor, with the expected outcome in one table. A refusal must be the registry's own sentence for
// that action and change nothing in any table; an allowed actor must not be refused. The test walks
// the registry, so an action added without a row here fails it.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalText } from '../../src/access/permissions.js';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { CAMPAIGNS_DIR, shippedCampaign } from '../helpers/campaigns.js';
import { PDF_BYTES, storedAnswers, validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const lucheng = shippedCampaign('lucheng-2024');
const wuhan = shippedCampaign('wuhan-2024');

/** The kinds of actor, each one person holding exactly what the kind says. */
const KINDS = {
  stranger: 'ou_stranger',
  applicant: 'ou_owner',
  otherApplicant: 'ou_other_applicant',
  reviewer: 'ou_huancui',
  otherRegionReviewer: 'ou_wendeng',
  otherStageReviewer: 'ou_other_stage',
  revokedReviewer: 'ou_revoked_reviewer',
  assignedExpert: 'ou_expert',
  unassignedExpert: 'ou_expert_spare',
  recusedExpert: 'ou_expert_recused',
  revokedExpert: 'ou_expert_revoked',
  adminOtherCampaign: 'ou_admin_lucheng',
  adminOtherRegion: 'ou_admin_wendeng',
  regionAdmin: 'ou_admin_huancui',
  campaignAdmin: 'ou_admin_weihai',
  fullAdmin: 'ou_admin',
} as const;
type Kind = keyof typeof KINDS;
const ALL = Object.keys(KINDS) as Kind[];
const ADMINS: Kind[] = ['adminOtherCampaign', 'adminOtherRegion', 'regionAdmin', 'campaignAdmin', 'fullAdmin'];
/** Administrators whose scope reaches some part of Weihai 2024. */
const WEIHAI_VIEW: Kind[] = ['adminOtherRegion', 'regionAdmin', 'campaignAdmin', 'fullAdmin'];
/** Administrators of the whole of Weihai 2024. */
const WEIHAI_MANAGE: Kind[] = ['campaignAdmin', 'fullAdmin'];
/** Administrators covering the Weihai applications of 环翠区. */
const HUANCUI_OVERSEE: Kind[] = ['regionAdmin', 'campaignAdmin', 'fullAdmin'];

const unitCode = (n: number) => {
  const first17 = `91371000MA3C2${String(n).padStart(4, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};

type Outcome = { refused: boolean; text: string };
interface Row {
  kind: 'card' | 'command' | 'file';
  name: string;
  allowed: readonly Kind[];
  act: (a: Applicant) => Promise<Outcome>;
}

describe('authorisation matrix: every registered action × every kind of actor', () => {
  let h: Harness;
  const people = {} as Record<Kind, Applicant>;
  const ids = {
    draft: '',
    submitted: '',
    districtTask: '',
    expertTask: '',
    wuhanApp: '',
    notice: '',
    objection: '',
    studio: '',
    conflict: '',
    upload: '',
    broadcast: '',
    throwawayGrant: '',
    groupChat: 'oc_matrix_group',
  };

  async function fingerprint(kind: Row['kind']): Promise<string> {
    const db = h.db.client;
    const state = {
      apps: await db.application.findMany({
        orderBy: { id: 'asc' },
        select: { id: true, status: true, stage: true, version: true, answers: true, declarations: true, score: true, rank: true, unitKey: true },
      }),
      tasks: await db.reviewTask.findMany({ orderBy: { id: 'asc' }, select: { id: true, reviewerId: true, status: true, decision: true, scores: true } }),
      grants: await db.roleGrant.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
      uploads: await db.upload.findMany({ orderBy: { id: 'asc' }, select: { id: true, slotId: true } }),
      notices: await db.publicNotice.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      objections: await db.objection.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      studios: await db.studio.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      studioEvents: await db.studioEvent.count(),
      broadcasts: await db.broadcast.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      exports: await db.exportJob.count(),
      campaignUploads: await db.campaignUpload.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      campaignFiles: await db.campaignFile.findMany({ orderBy: { campaignId: 'asc' }, select: { campaignId: true, version: true } }),
      conflicts: await db.unitConflict.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
      groups: await db.groupChat.findMany({ orderBy: { chatId: 'asc' }, select: { chatId: true, tags: true } }),
      audit: await db.auditLog.count(),
      // A refused card action writes nothing at all; a message (command, file) is answered, so its
      // inbox row and the reply are expected there.
      ...(kind === 'card' ? { outbox: await db.outboxMessage.count(), inbox: await db.inboxEvent.count(), users: await db.larkUser.count() } : {}),
    };
    return createHash('sha256').update(JSON.stringify(state)).digest('hex');
  }

  const refusalFor = (row: Pick<Row, 'kind' | 'name'>) => {
    const spec = h.app.services.actions.list().find((a) => a.kind === row.kind && a.name === row.name)!;
    return refusalText(spec.permission, spec.describe);
  };

  /** A click, answered with a toast (refusals) or a card. */
  const click =
    (value: () => Record<string, unknown>, form?: () => Record<string, unknown>, name?: string) =>
    async (a: Applicant): Promise<Outcome> => {
      a.card = undefined;
      a.lastToast = undefined;
      await a.clickRaw({ value: value(), ...(name ? { name } : {}) }, form?.());
      const text = (a.lastToast as Applicant['lastToast'])?.content ?? '';
      return { refused: text.startsWith('没有权限：'), text: text || textOf(a.card ?? ({ body: { elements: [] } } as CardJson)) };
    };
  const say =
    (text: string) =>
    async (a: Applicant): Promise<Outcome> => {
      const card = await a.say(text);
      return { refused: title(card) === '没有权限', text: textOf(card) };
    };
  const send =
    (name: string, bytes: Buffer) =>
    async (a: Applicant): Promise<Outcome> => {
      const card = await a.sendFile(name, bytes);
      return { refused: title(card) === '没有权限', text: textOf(card) };
    };
  const title = (c: CardJson) => String(c.header?.title?.content ?? '');
  const version = async () => (await h.db.client.application.findUniqueOrThrow({ where: { id: ids.draft } })).version;
  let draftVersion = 0;
  const v = () => draftVersion;
  const group = lucheng.form.sections.flatMap((s) => s.fields.filter((f) => f.type === 'group').map((f) => ({ s: s.id, g: f.id })))[0]!;

  beforeAll(async () => {
    // No minute tick: its daily digest would write between the fingerprints taken around a click.
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: KINDS.fullAdmin }, tick: false });
    for (const k of ALL) people[k] = new Applicant(h, KINDS[k]);
    const admin = people.fullAdmin;
    await admin.say('角色');
    const grant = async (openId: string, role: string, stage: string, extra: Record<string, string> = {}) => {
      await appoint(admin, openId, { role, stage, ...extra });
      expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
    };
    const wuhanRegions = wuhan.regions.items;
    await grant(KINDS.reviewer, 'reviewer', 'weihai-2024/district', { region: '环翠区' });
    await grant(KINDS.reviewer, 'reviewer', 'wuhan-2024/recommend', { region: wuhanRegions[0]! });
    await grant(KINDS.revokedReviewer, 'reviewer', 'weihai-2024/district', { region: '环翠区' });
    await grant(KINDS.otherRegionReviewer, 'reviewer', 'weihai-2024/district', { region: '文登区' });
    await grant(KINDS.otherRegionReviewer, 'reviewer', 'wuhan-2024/recommend', { region: wuhanRegions[1]! });
    await grant(KINDS.otherStageReviewer, 'reviewer', 'weihai-2024/experts');
    await grant(KINDS.otherStageReviewer, 'reviewer', 'wuhan-2024/qualification');
    // Weihai needs five experts: these five are assigned; the recused one is from the second unit.
    for (const id of [KINDS.assignedExpert, 'ou_expert_f1', 'ou_expert_f2', 'ou_expert_f3', KINDS.revokedExpert])
      await grant(id, 'expert', 'weihai-2024/experts');
    await grant(KINDS.recusedExpert, 'expert', 'weihai-2024/experts', { unitKey: unitCode(2) });
    await grant(KINDS.adminOtherCampaign, 'admin', 'lucheng-2024/review');
    await grant(KINDS.adminOtherRegion, 'admin', 'weihai-2024/district', { region: '文登区' });
    await grant(KINDS.regionAdmin, 'admin', 'weihai-2024/district', { region: '环翠区' });
    await grant(KINDS.campaignAdmin, 'admin', 'weihai-2024/district');

    // Two Weihai applications from 环翠区: the applicant's waits at the district, the other's is approved to the experts.
    for (const [who, n] of [
      ['applicant', 1],
      ['otherApplicant', 2],
    ] as const) {
      const fx = validApplication(weihai);
      fx.answers.unitCreditCode = unitCode(n);
      await begin(people[who], weihai);
      await advanceTo(people[who], fx);
      await attachAll(people[who], fx);
      await confirmAndSubmit(people[who]);
      expect(people[who].lastToast?.type, textOf(people[who].card!)).toBe('success');
    }
    await people.reviewer.received((c) => title(c).startsWith('待审核') && textOf(c).includes('WH2024-0002'));
    await people.reviewer.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    await settle(h.db);
    const db = h.db.client;
    ids.submitted = (await db.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } })).id;
    const second = (await db.application.findFirstOrThrow({ where: { number: 'WH2024-0002' } })).id;
    ids.districtTask = (await db.reviewTask.findFirstOrThrow({ where: { applicationId: ids.submitted, reviewerId: KINDS.reviewer } })).id;
    ids.expertTask = (await db.reviewTask.findFirstOrThrow({ where: { applicationId: second, reviewerId: KINDS.assignedExpert } })).id;

    // A sixth expert, then revocations: the revoked expert's task goes to the sixth; the spare granted
    // afterwards finds no vacancy. The revoked reviewer's task is taken back (the other reviewer remains).
    await grant('ou_expert_f4', 'expert', 'weihai-2024/experts');
    await admin.say('角色');
    const revoke = async (openId: string) => {
      const g = await db.roleGrant.findFirstOrThrow({ where: { openId, revokedAt: null } });
      await admin.clickRaw({ value: { a: 'role.revoke', g: g.id } });
      expect(admin.lastToast?.type).toBe('success');
    };
    await revoke(KINDS.revokedReviewer);
    await revoke(KINDS.revokedExpert);
    await grant(KINDS.unassignedExpert, 'expert', 'weihai-2024/experts');
    await settle(h.db);
    expect(await db.reviewTask.count({ where: { reviewerId: KINDS.unassignedExpert } })).toBe(0);
    expect(await db.reviewTask.findFirstOrThrow({ where: { reviewerId: KINDS.revokedReviewer } })).toMatchObject({ status: 'revoked' });
    expect(await db.reviewTask.findFirstOrThrow({ where: { reviewerId: KINDS.revokedExpert } })).toMatchObject({ status: 'revoked' });
    expect(await db.reviewTask.findFirstOrThrow({ where: { reviewerId: 'ou_expert_f4' } })).toMatchObject({ status: 'pending' });

    // The applicant's draft in another programme.
    await begin(people.applicant, lucheng);
    ids.draft = (await db.application.findFirstOrThrow({ where: { campaignId: 'lucheng-2024' } })).id;
    draftVersion = await version();

    // What the rest of the table acts on, written as the bot would have left it.
    ids.wuhanApp = randomUUID();
    await db.application.create({
      data: {
        id: ids.wuhanApp,
        campaignId: 'wuhan-2024',
        applicantId: 'ou_wuhan_unit',
        status: 'submitted',
        stage: 'recommend',
        number: 'WHS2024-0001',
        region: wuhanRegions[0]!,
        answers: JSON.stringify(storedAnswers(wuhan)),
        submittedAt: new Date('2024-06-20T02:00:00Z'),
        stageRound: 1,
      },
    });
    ids.notice = randomUUID();
    ids.objection = randomUUID();
    await db.publicNotice.create({
      data: {
        id: ids.notice,
        campaignId: 'weihai-2024',
        stageId: 'publicity',
        startDate: '2024-07-10',
        endDate: '2024-07-16',
        applicationIds: '[]',
        createdBy: KINDS.fullAdmin,
      },
    });
    await db.objection.create({ data: { id: ids.objection, noticeId: ids.notice, openId: 'ou_objector', reason: '对候选名单有疑问，请核实' } });
    ids.studio = randomUUID();
    await db.studio.create({
      data: {
        id: ids.studio,
        campaignId: 'weihai-2023',
        name: '威海环翠测试技能大师工作室',
        unitName: '威海测试单位',
        year: 2023,
        programme: 'weihai',
        region: '环翠区',
        contactId: KINDS.applicant,
        status: 'rectifying',
        source: 'imported',
      },
    });
    await db.studioEvent.create({
      data: {
        id: randomUUID(),
        studioId: ids.studio,
        kind: 'rectification',
        effectiveOn: '2023-07-01',
        until: '2024-07-01',
        detail: '整改',
        createdBy: 'system',
      },
    });
    const holder = randomUUID();
    const claimant = randomUUID();
    await db.application.create({
      data: {
        id: holder,
        campaignId: 'weihai-2024',
        applicantId: 'ou_squatter',
        status: 'submitted',
        stage: 'district',
        number: 'WH2024-0099',
        region: '环翠区',
        unitKey: unitCode(9),
        answers: JSON.stringify(storedAnswers(weihai)),
        submittedAt: new Date(),
        stageRound: 1,
      },
    });
    await db.application.create({
      data: { id: claimant, campaignId: 'weihai-2024', applicantId: 'ou_claimant', answers: JSON.stringify(storedAnswers(weihai)) },
    });
    ids.conflict = randomUUID();
    await db.unitConflict.create({ data: { id: ids.conflict, campaignId: 'weihai-2024', unitKey: unitCode(9), heldBy: holder, claimedBy: claimant } });
    ids.upload = randomUUID();
    await db.campaignUpload.create({
      data: {
        id: ids.upload,
        uploadedBy: KINDS.fullAdmin,
        fileName: 'weihai-2024.yaml',
        text: readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml'), 'utf8'),
        campaignId: 'weihai-2024',
      },
    });
    ids.broadcast = randomUUID();
    await db.broadcast.create({
      data: { id: ids.broadcast, title: '测试通知', body: '正文', audience: JSON.stringify({ kind: 'all' }), createdBy: KINDS.fullAdmin },
    });
    await db.groupChat.create({ data: { chatId: ids.groupChat, name: '环翠区工作群', tags: JSON.stringify(['环翠区']) } });
    ids.throwawayGrant = (
      await db.roleGrant.create({ data: { id: randomUUID(), openId: 'ou_throwaway', role: 'expert', campaignId: 'lucheng-2024', grantedBy: KINDS.fullAdmin } })
    ).id;
    await settle(h.db);
  }, 300_000);
  afterAll(async () => h?.close());

  // In the order a programme runs; each allowed click moves the fixture on as it would in use.
  const rows: Row[] = [
    { kind: 'command', name: 'help', allowed: ALL, act: say('帮助') },
    { kind: 'command', name: 'apply', allowed: ALL, act: say('申报') },
    { kind: 'command', name: 'status', allowed: ALL, act: say('进度') },
    { kind: 'command', name: 'todo', allowed: ALL, act: say('待办') },
    { kind: 'command', name: 'broadcast', allowed: ADMINS, act: say('通知') },
    { kind: 'command', name: 'stats', allowed: ADMINS, act: say('统计') },
    { kind: 'command', name: 'export', allowed: ADMINS, act: say('导出') },
    { kind: 'command', name: 'programmes', allowed: ADMINS, act: say('项目') },
    { kind: 'command', name: 'evaluate', allowed: ADMINS, act: say('评估') },
    { kind: 'command', name: 'role', allowed: ['fullAdmin'], act: say('角色') },
    // A wrong code is answered (and counted), never a refusal: anyone may hold a code.
    { kind: 'command', name: 'claim', allowed: ALL, act: say('认领 ABCD-EFGH') },
    { kind: 'card', name: 'cmd', allowed: ALL, act: click(() => ({ a: 'cmd', c: 'help' })) },

    { kind: 'card', name: 'j.list', allowed: ALL, act: click(() => ({ a: 'j.list' })) },
    { kind: 'card', name: 'j.intro', allowed: ALL, act: click(() => ({ a: 'j.intro', c: 'lucheng-2024' })) },
    { kind: 'card', name: 'j.status', allowed: ALL, act: click(() => ({ a: 'j.status' })) },
    { kind: 'card', name: 'j.start', allowed: ALL, act: click(() => ({ a: 'j.start', c: 'lucheng-2024' })) },
    { kind: 'card', name: 'j.step', allowed: ['applicant'], act: click(() => ({ a: 'j.step', app: ids.draft, v: v(), s: lucheng.form.sections[0]!.id })) },
    {
      kind: 'card',
      name: 'j.save',
      allowed: ['applicant'],
      act: click(
        () => ({ a: 'j.save', app: ids.draft, v: v(), s: lucheng.form.sections[0]!.id }),
        () => ({ unitName: '改名' }),
        'save',
      ),
    },
    { kind: 'card', name: 'j.overview', allowed: ['applicant'], act: click(() => ({ a: 'j.overview', app: ids.draft, v: v() })) },
    { kind: 'card', name: 'j.group', allowed: ['applicant'], act: click(() => ({ a: 'j.group', app: ids.draft, v: v(), s: group.s, g: group.g })) },
    { kind: 'card', name: 'j.row', allowed: ['applicant'], act: click(() => ({ a: 'j.row', app: ids.draft, v: v(), s: group.s, g: group.g })) },
    {
      kind: 'card',
      name: 'j.rowSave',
      allowed: ['applicant'],
      act: click(
        () => ({ a: 'j.rowSave', app: ids.draft, v: v(), s: group.s, g: group.g }),
        () => ({}),
      ),
    },
    {
      kind: 'card',
      name: 'j.rowRemove',
      allowed: ['applicant'],
      act: click(() => ({ a: 'j.rowRemove', app: ids.draft, v: v(), s: group.s, g: group.g, r: 0 })),
    },
    {
      kind: 'card',
      name: 'j.assign',
      allowed: ['applicant'],
      act: click(() => ({ a: 'j.assign', app: ids.draft, v: v(), u: 'no-such-upload', slot: lucheng.form.attachments[0]!.id })),
    },
    { kind: 'card', name: 'j.unfile', allowed: ['applicant'], act: click(() => ({ a: 'j.unfile', app: ids.draft, v: v(), u: 'no-such-upload' })) },
    { kind: 'card', name: 'j.slots', allowed: ['applicant'], act: click(() => ({ a: 'j.slots', app: ids.draft, v: v(), u: 'no-such-upload' })) },
    { kind: 'card', name: 'j.review', allowed: ['applicant'], act: click(() => ({ a: 'j.review', app: ids.draft, v: v() })) },
    {
      kind: 'card',
      name: 'j.submit',
      allowed: ['applicant'],
      act: click(
        () => ({ a: 'j.submit', app: ids.draft, v: v() }),
        () => ({}),
      ),
    },
    { kind: 'file', name: 'attachment', allowed: ALL, act: send('营业执照.pdf', PDF_BYTES) },

    { kind: 'card', name: 'r.todo', allowed: ALL, act: click(() => ({ a: 'r.todo' })) },
    { kind: 'card', name: 'r.open', allowed: ['reviewer'], act: click(() => ({ a: 'r.open', t: ids.districtTask })) },
    { kind: 'card', name: 'r.reveal', allowed: ['reviewer'], act: click(() => ({ a: 'r.reveal', t: ids.districtTask })) },
    { kind: 'card', name: 'r.file', allowed: ['reviewer'], act: click(() => ({ a: 'r.file', t: ids.districtTask, u: 'no-such-upload' })) },
    {
      kind: 'card',
      name: 's.score',
      allowed: ['assignedExpert'],
      act: click(
        () => ({ a: 's.score', t: ids.expertTask }),
        () => ({ leader: '20', team: '15', projects: '20', support: '15' }),
        'score',
      ),
    },
    { kind: 'card', name: 'rec.show', allowed: ['reviewer', 'otherRegionReviewer'], act: click(() => ({ a: 'rec.show', c: 'wuhan-2024', s: 'recommend' })) },
    {
      kind: 'card',
      name: 'rec.confirm',
      allowed: ['otherRegionReviewer', 'reviewer'],
      act: click(
        () => ({ a: 'rec.confirm', c: 'wuhan-2024', s: 'recommend' }),
        () => ({ [ids.wuhanApp]: '1' }),
      ),
    },
    { kind: 'card', name: 'o.detail', allowed: ['applicant', ...HUANCUI_OVERSEE], act: click(() => ({ a: 'o.detail', app: ids.submitted })) },
    { kind: 'card', name: 'o.reveal', allowed: HUANCUI_OVERSEE, act: click(() => ({ a: 'o.reveal', app: ids.submitted })) },
    { kind: 'card', name: 'o.remind', allowed: HUANCUI_OVERSEE, act: click(() => ({ a: 'o.remind', app: ids.submitted })) },
    {
      kind: 'card',
      name: 'r.decide',
      allowed: ['reviewer'],
      act: click(
        () => ({ a: 'r.decide', t: ids.districtTask }),
        () => ({ reason: '请补充材料' }),
        'return',
      ),
    },
    { kind: 'card', name: 'rank.show', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'rank.show', c: 'weihai-2024', s: 'experts' })) },
    {
      kind: 'card',
      name: 'rank.confirm',
      allowed: WEIHAI_MANAGE,
      act: click(
        () => ({ a: 'rank.confirm', c: 'weihai-2024', s: 'experts' }),
        () => ({}),
      ),
    },
    { kind: 'card', name: 'notice.start', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'notice.start', c: 'weihai-2024', s: 'publicity' })) },
    { kind: 'card', name: 'notice.objectForm', allowed: ALL, act: click(() => ({ a: 'notice.objectForm', n: ids.notice })) },
    {
      kind: 'card',
      name: 'notice.object',
      allowed: ALL,
      act: click(
        () => ({ a: 'notice.object', n: ids.notice }),
        () => ({ reason: '候选名单中某单位材料存疑' }),
      ),
    },
    { kind: 'card', name: 'notice.show', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'notice.show', n: ids.notice })) },
    {
      kind: 'card',
      name: 'notice.resolve',
      allowed: WEIHAI_MANAGE,
      act: click(
        () => ({ a: 'notice.resolve', n: ids.notice, o: ids.objection }),
        () => ({ resolution: '经核实，材料属实' }),
      ),
    },
    { kind: 'card', name: 'notice.publish', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'notice.publish', n: ids.notice })) },
    { kind: 'card', name: 'publish.stage', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'publish.stage', c: 'weihai-2024', s: 'publish' })) },
    { kind: 'card', name: 'u.keep', allowed: HUANCUI_OVERSEE, act: click(() => ({ a: 'u.keep', k: ids.conflict })) },
    { kind: 'card', name: 'u.withdraw', allowed: HUANCUI_OVERSEE, act: click(() => ({ a: 'u.withdraw', k: ids.conflict })) },

    { kind: 'card', name: 'b.apply', allowed: ALL, act: click(() => ({ a: 'b.apply', c: 'weihai-2024' })) },
    { kind: 'card', name: 'b.compose', allowed: ADMINS, act: click(() => ({ a: 'b.compose' })) },
    {
      kind: 'card',
      name: 'b.preview',
      allowed: WEIHAI_VIEW,
      act: click(
        () => ({ a: 'b.preview' }),
        () => ({ title: '通知', body: '正文', campaign: 'weihai-2024', audience: 'all' }),
      ),
    },
    { kind: 'card', name: 'b.report', allowed: ['fullAdmin'], act: click(() => ({ a: 'b.report', b: ids.broadcast })) },
    { kind: 'card', name: 'b.cancel', allowed: ['fullAdmin'], act: click(() => ({ a: 'b.cancel', b: ids.broadcast })) },
    { kind: 'card', name: 'b.send', allowed: ['fullAdmin'], act: click(() => ({ a: 'b.send', b: ids.broadcast })) },
    { kind: 'card', name: 'b.retry', allowed: ['fullAdmin'], act: click(() => ({ a: 'b.retry', b: ids.broadcast })) },
    { kind: 'card', name: 'g.list', allowed: ADMINS, act: click(() => ({ a: 'g.list' })) },
    { kind: 'card', name: 'g.sync', allowed: ADMINS, act: click(() => ({ a: 'g.sync' })) },
    {
      kind: 'card',
      name: 'g.tag',
      allowed: ['fullAdmin'],
      act: click(
        () => ({ a: 'g.tag', chat: ids.groupChat, f: 'tags_0' }),
        () => ({ tags_0: '环翠区' }),
      ),
    },

    { kind: 'card', name: 'st.all', allowed: ADMINS, act: click(() => ({ a: 'st.all' })) },
    { kind: 'card', name: 'st.show', allowed: WEIHAI_VIEW, act: click(() => ({ a: 'st.show', c: 'weihai-2024' })) },
    { kind: 'card', name: 'x.menu', allowed: WEIHAI_VIEW, act: click(() => ({ a: 'x.menu', c: 'weihai-2024' })) },
    {
      kind: 'card',
      name: 'x.run',
      allowed: WEIHAI_VIEW,
      act: click(
        () => ({ a: 'x.run' }),
        () => ({ campaign: 'weihai-2024', what: 'summary' }),
      ),
    },

    { kind: 'card', name: 'e.list', allowed: ADMINS, act: click(() => ({ a: 'e.list' })) },
    { kind: 'card', name: 'e.studios', allowed: ADMINS, act: click(() => ({ a: 'e.studios' })) },
    { kind: 'card', name: 'e.open', allowed: ['fullAdmin'], act: click(() => ({ a: 'e.open', c: 'weihai-2024-evaluation' })) },
    { kind: 'card', name: 'e.studio', allowed: HUANCUI_OVERSEE, act: click(() => ({ a: 'e.studio', s: ids.studio })) },
    { kind: 'card', name: 'e.reeval', allowed: ['applicant'], act: click(() => ({ a: 'e.reeval', s: ids.studio })) },
    { kind: 'card', name: 'e.cancel', allowed: HUANCUI_OVERSEE, act: click(() => ({ a: 'e.cancel', s: ids.studio })) },
    // Non-administrators' spreadsheets and .yaml files are attachments (not refused, not imported).
    {
      kind: 'file',
      name: 'studios',
      allowed: ALL,
      act: send(
        '工作室名单.csv',
        Buffer.from('工作室名称,所在单位,领办人,职业（工种）,命名年度,项目,地区\n环翠数控技能大师工作室,威海某公司,张三,数控车工,2022,威海,环翠区\n', 'utf8'),
      ),
    },

    { kind: 'card', name: 'p.list', allowed: ADMINS, act: click(() => ({ a: 'p.list' })) },
    { kind: 'card', name: 'p.show', allowed: WEIHAI_VIEW, act: click(() => ({ a: 'p.show', c: 'weihai-2024' })) },
    {
      kind: 'file',
      name: 'programme',
      allowed: ALL.filter((k) => !['adminOtherCampaign', 'adminOtherRegion', 'regionAdmin'].includes(k)),
      act: send('weihai-2024.yaml', readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml'))),
    },
    { kind: 'card', name: 'p.activate', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'p.activate', u: ids.upload })) },
    { kind: 'card', name: 'p.discard', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'p.discard', u: ids.upload })) },
    { kind: 'card', name: 'p.close', allowed: WEIHAI_MANAGE, act: click(() => ({ a: 'p.close', c: 'weihai-2024' })) },
    {
      kind: 'card',
      name: 'p.open',
      allowed: WEIHAI_MANAGE,
      act: click(
        () => ({ a: 'p.open', c: 'weihai-2024' }),
        () => ({ deadline: '2024-07-31' }),
      ),
    },
    {
      kind: 'card',
      name: 'p.copy',
      allowed: ['fullAdmin'],
      act: click(
        () => ({ a: 'p.copy', c: 'weihai-2024' }),
        () => ({ newId: 'weihai-2025', opensAt: '2025-07-01' }),
      ),
    },

    { kind: 'card', name: 'role.list', allowed: ['fullAdmin'], act: click(() => ({ a: 'role.list' })) },
    {
      kind: 'card',
      name: 'role.grant',
      allowed: ['fullAdmin'],
      act: click(
        () => ({ a: 'role.grant' }),
        () => ({ people: ['ou_new_expert'], role: 'expert', stage: 'lucheng-2024/experts' }),
      ),
    },
    { kind: 'card', name: 'role.revoke', allowed: ['fullAdmin'], act: click(() => ({ a: 'role.revoke', g: ids.throwawayGrant })) },

    // Erasing a person's data crosses every programme and region: an administrator of everything only.
    { kind: 'command', name: 'erase', allowed: ['fullAdmin'], act: say('删除个人信息 WH2024-0099') },
    { kind: 'card', name: 'erase.confirm', allowed: ['fullAdmin'], act: click(() => ({ a: 'erase.confirm', p: 'ou_nobody_to_erase' })) },
  ];

  it('has one row for every registered action, and no row for anything unregistered', () => {
    const registered = h.app.services.actions
      .list()
      .map((a) => `${a.kind}:${a.name}`)
      .sort();
    expect(rows.map((r) => `${r.kind}:${r.name}`).sort()).toEqual(registered);
  });

  it.each(rows.map((r) => [`${r.kind} ${r.name}`, r] as const))('%s', async (_label, row) => {
    const expected = refusalFor(row);
    // The refused first: each click is refused with the registry's sentence and changes nothing.
    for (const k of ALL.filter((x) => !row.allowed.includes(x))) {
      draftVersion = await version();
      const before = await fingerprint(row.kind);
      const outcome = await row.act(people[k]);
      expect(outcome.refused, `${k} should be refused: ${row.name} (answer: ${outcome.text.slice(0, 200)})`).toBe(true);
      expect(outcome.text, `${k}: ${row.name}`).toContain(row.kind === 'card' ? expected : expected.replace(/^没有权限：/, ''));
      await settle(h.db);
      expect(await fingerprint(row.kind), `${k} changed something: ${row.name}`).toBe(before);
    }
    for (const k of row.allowed) {
      draftVersion = await version();
      const outcome = await row.act(people[k]);
      expect(outcome.refused, `${k} should be allowed: ${row.name} (answer: ${outcome.text.slice(0, 200)})`).toBe(false);
      await settle(h.db);
    }
  });
});
