// Every card action × every kind of actor: allowed or refused as it should be, and a refused
// action changes nothing (applications, review tasks, roles, audit log, messages to send).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, textOf, type CardJson } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { settle, startHarness, type Harness } from '../helpers/harness.js';

const weihai = shippedCampaign('weihai-2024');
const lucheng = shippedCampaign('lucheng-2024');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
type Who = 'owner' | 'otherApplicant' | 'otherRegionReviewer' | 'reviewer' | 'expert' | 'admin' | 'stranger';
const EVERYONE: Who[] = ['owner', 'otherApplicant', 'otherRegionReviewer', 'reviewer', 'expert', 'admin', 'stranger'];

describe('authorisation of every card action', () => {
  let h: Harness;
  const actors = {} as Record<Who, Applicant>;
  const ids = { district: '', experts: '', draft: '', submitted: '', draftVersion: 0, grant: '' };

  async function fingerprint(): Promise<string> {
    const db = h.db.client;
    const state = {
      apps: await db.application.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, stage: true, version: true, answers: true, declarations: true, score: true, rank: true } }),
      tasks: await db.reviewTask.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, decision: true, scores: true } }),
      grants: await db.roleGrant.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
      uploads: await db.upload.findMany({ orderBy: { id: 'asc' }, select: { id: true, slotId: true } }),
      audit: await db.auditLog.count(),
      outbox: await db.outboxMessage.count(),
      notices: await db.publicNotice.count(),
      exports: await db.exportJob.count(),
      broadcasts: await db.broadcast.count(),
    };
    return createHash('sha256').update(JSON.stringify(state)).digest('hex');
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    const open: Record<Who, string> = { owner: 'ou_owner', otherApplicant: 'ou_other_applicant', otherRegionReviewer: 'ou_wendeng', reviewer: 'ou_huancui', expert: 'ou_expert', admin: 'ou_admin', stranger: 'ou_stranger' };
    for (const w of EVERYONE) actors[w] = new Applicant(h, open[w]);
    const admin = actors.admin;
    await admin.say('角色');
    await admin.click((b) => b.value.a === 'role.grant', { openId: 'ou_huancui', role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    await admin.click((b) => b.value.a === 'role.grant', { openId: 'ou_wendeng', role: 'reviewer', stage: 'weihai-2024/district', region: '文登区' });
    await admin.click((b) => b.value.a === 'role.grant', { openId: 'ou_expert', role: 'expert', stage: 'weihai-2024/experts' });
    ids.grant = (await h.db.client.roleGrant.findFirstOrThrow({ where: { openId: 'ou_wendeng' } })).id;
    // Two submitted applications: one waits at the district, the other (approved) at the experts.
    for (const [who, n] of [['owner', 1], ['otherApplicant', 2]] as const) {
      const fx = validApplication(weihai);
      const first17 = `91371000MA3C2000${n}`;
      fx.answers.unitCreditCode = first17 + creditCodeCheckChar(first17);
      await begin(actors[who], weihai);
      await advanceTo(actors[who], fx);
      await attachAll(actors[who], fx);
      await confirmAndSubmit(actors[who]);
    }
    await actors.reviewer.received((c) => title(c).startsWith('待审核') && textOf(c).includes('WH2024-0002'));
    await actors.reviewer.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    await settle(h.db);
    const tasks = await h.db.client.reviewTask.findMany();
    ids.district = tasks.find((t) => t.stageId === 'district' && t.status === 'pending')!.id;
    ids.experts = tasks.find((t) => t.stageId === 'experts')!.id;
    ids.submitted = (await h.db.client.application.findFirstOrThrow({ where: { number: 'WH2024-0001' } })).id;
    // And a draft of the owner's in another programme.
    await begin(actors.owner, lucheng);
    const draft = await h.db.client.application.findFirstOrThrow({ where: { campaignId: 'lucheng-2024' } });
    ids.draft = draft.id;
    ids.draftVersion = draft.version;
    await settle(h.db);
  });
  afterAll(async () => h?.close());

  const rows: { action: string; allowed: Who[]; click: (a: Applicant) => Promise<void> }[] = [
    { action: 'save a step of a draft', allowed: ['owner'], click: (a) => a.clickRaw({ value: { a: 'j.save', app: ids.draft, v: ids.draftVersion, s: lucheng.form.sections[0]!.id }, name: 'save' }, { unitName: '改名' }).then(() => undefined) },
    { action: 'open the overview of a draft', allowed: ['owner'], click: (a) => a.clickRaw({ value: { a: 'j.overview', app: ids.draft, v: -2 } }).then(() => undefined) },
    { action: 'open a district task', allowed: ['reviewer'], click: (a) => a.clickRaw({ value: { a: 'r.open', t: ids.district } }).then(() => undefined) },
    { action: 'get a task’s attachment', allowed: ['reviewer'], click: async (a) => void (await a.clickRaw({ value: { a: 'r.file', t: ids.district, u: (await h.db.client.upload.findFirstOrThrow({ where: { applicationId: ids.submitted } })).id } })) },
    { action: 'see the ranking', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'rank.show', c: 'weihai-2024', s: 'experts' } }).then(() => undefined) },
    { action: 'start the public notice', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'notice.start', c: 'weihai-2024', s: 'publicity' } }).then(() => undefined) },
    { action: 'see an application’s timeline', allowed: ['owner', 'admin'], click: (a) => a.clickRaw({ value: { a: 'o.detail', app: ids.submitted } }).then(() => undefined) },
    { action: 'remind the reviewers (催办)', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'o.remind', app: ids.submitted } }).then(() => undefined) },
    { action: 'grant a role', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'role.grant' } }, { openId: `ou_new_${a.openId}`, role: 'expert', stage: 'weihai-2024/experts' }).then(() => undefined) },
    { action: 'revoke a role', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'role.revoke', g: ids.grant } }).then(() => undefined) },
    { action: 'score at the experts’ stage', allowed: ['expert'], click: (a) => a.clickRaw({ value: { a: 's.score', t: ids.experts }, name: 'score' }, { leader: '20', team: '15', projects: '20', support: '15' }).then(() => undefined) },
    { action: 'confirm the ranked list', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'rank.confirm', c: 'weihai-2024', s: 'experts' } }, {}).then(() => undefined) },
    { action: 'see the statistics', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'st.all' } }).then(() => undefined) },
    { action: 'see a programme’s charts', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'st.show', c: 'weihai-2024' } }).then(() => undefined) },
    { action: 'open the export menu', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'x.menu', c: 'weihai-2024' } }).then(() => undefined) },
    { action: 'export the 申报表', allowed: ['admin'], click: (a) => a.clickRaw({ value: { a: 'x.run' } }, { campaign: 'weihai-2024', what: 'forms' }).then(() => undefined) },
    { action: 'decide a district task', allowed: ['reviewer'], click: (a) => a.clickRaw({ value: { a: 'r.decide', t: ids.district }, name: 'return' }, { reason: '请补充材料' }).then(() => undefined) },
  ];

  const REFUSAL = /权限|只有管理员|不属于您|找不到这份申报/;

  it.each(rows.map((r) => [r.action, r] as const))('%s', async (_name, row) => {
    for (const who of EVERYONE.filter((w) => !row.allowed.includes(w))) {
      const before = await fingerprint();
      actors[who].card = undefined; // judge only this answer, not an older card
      await row.click(actors[who]);
      const answer = `${actors[who].lastToast?.content ?? ''} ${textOf(actors[who].card ?? { body: { elements: [] } })}`;
      expect(answer, `${who} should be refused: ${row.action}`).toMatch(REFUSAL);
      await settle(h.db);
      expect(await fingerprint(), `${who} changed something: ${row.action}`).toBe(before);
    }
    for (const who of row.allowed) {
      await row.click(actors[who]);
      expect(actors[who].lastToast?.content ?? '', `${who} should be allowed: ${row.action}`).not.toMatch(REFUSAL);
    }
    await settle(h.db); // what the allowed click set going (an export) finishes before the next row
  });
});
