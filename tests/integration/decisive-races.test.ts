// Every decisive action, clicked by the people allowed to make it at the same moment (on two
// instances sharing one PostgreSQL; one instance on SQLite, which serialises), ends in exactly one
// effect and a consistent state. Each scenario is repeated to catch a race.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction } from '../../src/emulator/signing.js';
import { Applicant } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { testDialect } from '../helpers/database.js';
import { storedAnswers, validApplication } from '../helpers/fixtures.js';
import { APP_ID, type Harness, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { appoint } from '../helpers/people.js';

const POSTGRES = testDialect() === 'postgres';
/** Races need two instances and a database that runs transactions side by side. */
const ROUNDS = POSTGRES ? 20 : 4;
const weihai = shippedCampaign('weihai-2024');
const wuhan = shippedCampaign('wuhan-2024');
const GROUP = 'oc_races_group';

describe(`decisive actions clicked at the same moment (${POSTGRES ? 'two instances on PostgreSQL' : 'SQLite'}, ${ROUNDS} rounds each)`, () => {
  let h: Harness;
  let n = 0;
  const db = () => h.db.client;

  beforeAll(async () => {
    h = await startHarness({
      apps: POSTGRES ? 2 : 1,
      now: () => new Date('2024-07-15T10:00:00+08:00'),
      env: { ADMIN_IDS: 'ou_admin,ou_admin_2' },
      tick: false,
    });
    h.emulator.addChat({ chat_id: GROUP, name: '竞态测试群' });
    await db().groupChat.create({ data: { chatId: GROUP, name: '竞态测试群' } });
    const admin = new Applicant(h, 'ou_admin');
    await admin.say('角色');
    for (const form of [
      { openId: 'ou_r1', role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' },
      { openId: 'ou_r2', role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' },
      { openId: 'ou_e1', role: 'expert', stage: 'weihai-2024/experts' },
      { openId: 'ou_e2', role: 'expert', stage: 'weihai-2024/experts' },
      { openId: 'ou_rec', role: 'reviewer', stage: 'wuhan-2024/recommend', region: wuhan.regions.items[0]! },
    ]) {
      const { openId, ...rest } = form;
      await appoint(admin, openId!, rest);
      expect(admin.lastToast?.type).toBe('success');
    }
  });
  afterAll(async () => h?.close());

  /** One click on instance `app`; the answer's toast. */
  async function click(app: number, openId: string, value: Record<string, unknown>, opts: { name?: string; form?: Record<string, unknown> } = {}) {
    const envelope = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: openId,
      openMessageId: `om_${randomUUID().slice(0, 12)}`,
      openChatId: 'oc_x',
      value,
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.form ? { formValue: opts.form } : {}),
      emulator: h.emulator,
    });
    const res = await h.push(envelope, { app: app % h.apps.length, route: '/lark/callbacks' });
    expect(res.status).toBe(200);
    return (res.json as { toast?: { type: string; content: string } }).toast;
  }
  const together = (...clicks: (() => Promise<unknown>)[]) => Promise.all(clicks.map((c) => c()));

  /** A submitted Weihai application of 环翠区 at `stage`, as the bot would have left it. */
  async function application(stage: string, extra: Record<string, unknown> = {}, c = weihai): Promise<{ id: string; applicant: string; number: string }> {
    n++;
    const id = randomUUID();
    const applicant = `ou_race_applicant_${n}`;
    const number = `${c.code}${c.year}-${String(7000 + n)}`;
    await db().application.create({
      data: {
        id,
        campaignId: c.id,
        applicantId: applicant,
        status: 'submitted',
        stage,
        number,
        region: c === weihai ? '环翠区' : c.regions.items[0]!,
        unitKey: `RACE-${n}`,
        answers: JSON.stringify(storedAnswers(c)),
        submittedAt: new Date(),
        stageRound: 1,
        ...extra,
      },
    });
    return { id, applicant, number };
  }
  const task = (applicationId: string, stageId: string, reviewerId: string, extra: Record<string, unknown> = {}) =>
    db().reviewTask.create({ data: { id: randomUUID(), applicationId, stageId, round: 1, reviewerId, ...extra } });
  const messagesTo = (recipient: string) => db().outboxMessage.count({ where: { pacingKey: recipient } });

  it('district decision: two reviewers (or-sign) deciding differently and a double click → one decision', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const app = await application('district');
      const t1 = await task(app.id, 'district', 'ou_r1');
      const t2 = await task(app.id, 'district', 'ou_r2');
      await together(
        () => click(0, 'ou_r1', { a: 'r.decide', t: t1.id }, { name: 'approve', form: { reason: '' } }),
        () => click(1, 'ou_r2', { a: 'r.decide', t: t2.id }, { name: 'return', form: { reason: '请补充材料' } }),
        () => click(1, 'ou_r1', { a: 'r.decide', t: t1.id }, { name: 'approve', form: { reason: '' } }),
      );
      const tasks = await db().reviewTask.findMany({ where: { applicationId: app.id, stageId: 'district' } });
      expect(tasks.filter((t) => t.status === 'decided')).toHaveLength(1);
      expect(tasks.filter((t) => t.status === 'superseded')).toHaveLength(1);
      const after = await db().application.findUniqueOrThrow({ where: { id: app.id } });
      const decided = tasks.find((t) => t.status === 'decided')!;
      expect(decided.decision === 'approve' ? after.stage === 'experts' && after.status === 'submitted' : after.status === 'returned').toBe(true);
      expect(await db().auditLog.count({ where: { subject: app.id, action: { startsWith: 'review.' } } })).toBe(1);
      expect(await messagesTo(app.applicant)).toBe(1);
    }
  });

  it('the last two expert scores at the same moment → the application is scored, and the administrators told once', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const app = await application('experts');
      const t1 = await task(app.id, 'experts', 'ou_e1');
      const t2 = await task(app.id, 'experts', 'ou_e2');
      const sheet = { leader: '25', team: '15', projects: '25', support: '15' };
      await together(
        () => click(i, 'ou_e1', { a: 's.score', t: t1.id }, { name: 'score', form: sheet }),
        () => click(i + 1, 'ou_e2', { a: 's.score', t: t2.id }, { name: 'score', form: { ...sheet, leader: '27' } }),
      );
      expect((await db().application.findUniqueOrThrow({ where: { id: app.id } })).score).toBe(81);
      expect(await db().reviewTask.count({ where: { applicationId: app.id, status: 'decided' } })).toBe(2);
      const told = await db().outboxMessage.findMany({ where: { causedBy: app.id, pacingKey: 'ou_admin' } });
      expect(told.filter((m) => m.payload.includes('评分完成'))).toHaveLength(1);
    }
  });

  it('a region’s recommendation confirmed twice at once → recommended once', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const app = await application('recommend', {}, wuhan);
      const form = { [app.id]: '1' };
      await together(
        () => click(i, 'ou_rec', { a: 'rec.confirm', c: 'wuhan-2024', s: 'recommend' }, { form }),
        () => click(i + 1, 'ou_rec', { a: 'rec.confirm', c: 'wuhan-2024', s: 'recommend' }, { form }),
      );
      expect(await db().application.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ rank: 1, stage: 'qualification' });
      expect(await messagesTo(app.applicant)).toBe(1);
    }
    expect(await db().auditLog.count({ where: { action: 'recommendation.confirmed' } })).toBe(ROUNDS);
  });

  it('two administrators confirming the ranked list at once → one confirmation, one result per applicant, one 可以开始公示', async () => {
    // What earlier scenarios left at the experts' stage is not on this list.
    await db().application.updateMany({ where: { campaignId: 'weihai-2024', stage: 'experts' }, data: { stage: 'done-in-test' } });
    for (let i = 0; i < ROUNDS; i++) {
      // Weihai takes at most one 乡村特色 studio: one of the two is not rural.
      const apps = [
        await application('experts', { score: 90 }),
        await application('experts', { score: 80, answers: JSON.stringify({ ...storedAnswers(weihai), isRural: false }) }),
      ];
      for (const a of apps) await task(a.id, 'experts', 'ou_e1', { status: 'decided', decision: 'scored', total: 85, decidedAt: new Date() });
      const form = Object.fromEntries(apps.map((a) => [a.id, true]));
      const before = await db().auditLog.count({ where: { action: 'selection.confirmed' } });
      await together(
        () => click(i, 'ou_admin', { a: 'rank.confirm', c: 'weihai-2024', s: 'experts' }, { form }),
        () => click(i + 1, 'ou_admin_2', { a: 'rank.confirm', c: 'weihai-2024', s: 'experts' }, { form }),
      );
      expect(await db().auditLog.count({ where: { action: 'selection.confirmed' } })).toBe(before + 1);
      for (const a of apps) {
        expect(await db().application.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ stage: 'publicity', status: 'submitted' });
        expect(await messagesTo(a.applicant)).toBe(1);
      }
      // Leave nothing at publicity for the next round's list.
      await db().application.updateMany({ where: { id: { in: apps.map((a) => a.id) } }, data: { stage: 'done-in-test' } });
    }
  });

  it('two administrators pressing 开始公示 at once → one notice, one card per group', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const app = await application('publicity');
      const sentBefore = await messagesTo(GROUP);
      const toasts = await together(
        () => click(i, 'ou_admin', { a: 'notice.start', c: 'weihai-2024', s: 'publicity' }),
        () => click(i + 1, 'ou_admin_2', { a: 'notice.start', c: 'weihai-2024', s: 'publicity' }),
      );
      expect(toasts.map((t) => (t as { content: string }).content).sort()).toEqual(['公示已开始', '公示已经开始']);
      const notices = await db().publicNotice.findMany({ where: { campaignId: 'weihai-2024', status: 'open' } });
      expect(notices).toHaveLength(1);
      expect(await messagesTo(GROUP)).toBe(sentBefore + 1);
      // Two administrators resolving one objection at once: resolved once.
      const objection = await db().objection.create({
        data: { id: randomUUID(), noticeId: notices[0]!.id, openId: 'ou_objector', reason: '请核实该单位材料' },
      });
      await together(
        () => click(i, 'ou_admin', { a: 'notice.resolve', n: notices[0]!.id, o: objection.id }, { form: { resolution: '核实无误' } }),
        () => click(i + 1, 'ou_admin_2', { a: 'notice.resolve', n: notices[0]!.id, o: objection.id }, { form: { resolution: '不予采纳' } }),
      );
      expect(await db().auditLog.count({ where: { action: 'notice.objection_resolved', subject: notices[0]!.id } })).toBe(1);
      // Ended (the clock is fixed; the notice's end is moved back), then published by both at once: once.
      await db().publicNotice.update({ where: { id: notices[0]!.id }, data: { endDate: '2024-07-12' } });
      await together(
        () => click(i, 'ou_admin', { a: 'notice.publish', n: notices[0]!.id }),
        () => click(i + 1, 'ou_admin_2', { a: 'notice.publish', n: notices[0]!.id }),
      );
      expect(await db().publicNotice.findUniqueOrThrow({ where: { id: notices[0]!.id } })).toMatchObject({ status: 'published' });
      expect(await db().studio.count({ where: { applicationId: app.id } })).toBe(1);
      expect(await messagesTo(app.applicant)).toBe(1);
    }
  });

  it('one export pressed twice at once → one job, one file', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      await application('district');
      const before = await db().exportJob.count();
      await together(...[0, 1].map((k) => () => click(i + k, 'ou_admin', { a: 'x.run' }, { form: { campaign: 'weihai-2024', what: 'summary' } })));
      // The job's file row is written as it finishes; its card patch waits out the callback's
      // answer window, which this test need not sit through each round.
      await waitFor('the export to finish', async () => (await db().exportJob.count({ where: { status: { in: ['pending', 'running'] } } })) === 0, 60_000);
      expect(await db().exportJob.count()).toBe(before + 1);
    }
    expect(await db().outboxMessage.count({ where: { kind: 'file', pacingKey: 'ou_admin' } })).toBe(ROUNDS);
  });

  it('a broadcast confirmed twice at once → each group receives it once', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const id = randomUUID();
      await db().broadcast.create({ data: { id, title: `竞态通知${i}`, body: '正文', audience: JSON.stringify({ kind: 'all' }), createdBy: 'ou_admin' } });
      await together(
        () => click(i, 'ou_admin', { a: 'b.send', b: id }),
        () => click(i + 1, 'ou_admin', { a: 'b.send', b: id }),
      );
      expect(await db().outboxMessage.count({ where: { causedBy: id, kind: 'send' } })).toBe(1);
    }
  });

  it('two administrators opening an evaluation round at once → every studio’s contact invited once', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const contact = `ou_race_contact_${i}`;
      await db().studio.create({
        data: {
          id: randomUUID(),
          campaignId: 'weihai-2023',
          name: `竞态技能大师工作室${i}`,
          unitName: '威海竞态单位',
          year: 2022,
          programme: 'weihai',
          region: '环翠区',
          contactId: contact,
          source: 'imported',
        },
      });
      await together(
        () => click(i, 'ou_admin', { a: 'e.open', c: 'weihai-2024-evaluation' }),
        () => click(i + 1, 'ou_admin_2', { a: 'e.open', c: 'weihai-2024-evaluation' }),
      );
      expect(await db().application.count({ where: { campaignId: 'weihai-2024-evaluation', applicantId: contact } })).toBe(1);
      expect(await messagesTo(contact)).toBe(1);
    }
  });

  it('two administrators granting the same role at once → one grant; revoking it at once → one revocation', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const openId = `ou_race_expert_${i}`;
      const form = { people: [openId], role: 'expert', stage: 'lucheng-2024/experts' };
      await together(
        () => click(i, 'ou_admin', { a: 'role.grant' }, { form }),
        () => click(i + 1, 'ou_admin_2', { a: 'role.grant' }, { form }),
      );
      const grants = await db().roleGrant.findMany({ where: { openId, revokedAt: null } });
      expect(grants).toHaveLength(1);
      await together(
        () => click(i, 'ou_admin', { a: 'role.revoke', g: grants[0]!.id }),
        () => click(i + 1, 'ou_admin_2', { a: 'role.revoke', g: grants[0]!.id }),
      );
      expect(await db().auditLog.count({ where: { action: 'role.revoked', subject: openId } })).toBe(1);
    }
  });

  it('an applicant’s 下一步 clicked twice at once (no transaction, version-guarded) → saved once, the other click shown the current card', async () => {
    const section = weihai.form.sections[0]!;
    const typed = validApplication(weihai).answers;
    const form = Object.fromEntries(section.fields.filter((f) => f.id in typed).map((f) => [f.id, typed[f.id]]));
    for (let i = 0; i < ROUNDS; i++) {
      const id = randomUUID();
      const applicant = `ou_race_saver_${i}`;
      await db().application.create({ data: { id, campaignId: weihai.id, applicantId: applicant, lastStep: section.id } });
      const toasts = await together(
        () => click(i, applicant, { a: 'j.save', app: id, v: 0, s: section.id }, { name: 'next', form }),
        () => click(i + 1, applicant, { a: 'j.save', app: id, v: 0, s: section.id }, { name: 'next', form }),
      );
      const row = await db().application.findUniqueOrThrow({ where: { id } });
      expect(row.version).toBe(1);
      expect(row.lastStep).toBe(weihai.form.sections[1]!.id);
      expect(JSON.parse(row.answers)).toMatchObject({ unitName: storedAnswers(weihai).unitName });
      expect(toasts.map((t) => (t as { content?: string } | undefined)?.content).sort()).toEqual(['已保存', '已显示最新内容']);
    }
  });

  it('two units submitting the same credit code at once → one submission, the other refused', async () => {
    // Through the journey's own submit: drafts complete but for the confirmation, then 提交 together.
    for (let i = 0; i < ROUNDS; i++) {
      const code = `RACECODE${i}`;
      const drafts = [randomUUID(), randomUUID()];
      for (const [k, id] of drafts.entries()) {
        const answers = { ...storedAnswers(weihai), unitCreditCode: code };
        await db().application.create({
          data: { id, campaignId: 'weihai-2024', applicantId: `ou_race_unit_${i}_${k}`, answers: JSON.stringify(answers), lastStep: 'declarations' },
        });
        for (const slot of weihai.form.attachments) {
          await db().upload.create({
            data: {
              id: randomUUID(),
              applicationId: id,
              ownerId: `ou_race_unit_${i}_${k}`,
              messageId: `om_${randomUUID()}`,
              sha256: 'a'.repeat(64),
              name: `${slot.label}.pdf`,
              size: 1000,
              kind: 'pdf',
              slotId: slot.id,
            },
          });
        }
      }
      // Both take the same lock and the loser finds the winner's code (a draft never holds it).
      await together(
        ...drafts.map(
          (id, k) => async () =>
            click(
              i + k,
              `ou_race_unit_${i}_${k}`,
              { a: 'j.submit', app: id, v: 0 },
              { form: Object.fromEntries(weihai.form.declarations.map((d) => [d.id, true])) },
            ),
        ),
      );
      const rows = await db().application.findMany({ where: { id: { in: drafts } } });
      expect(rows.filter((r) => r.status === 'submitted')).toHaveLength(1);
      expect(rows.filter((r) => r.unitKey === code)).toHaveLength(1);
      expect(await db().unitConflict.count({ where: { unitKey: code } })).toBe(1);
    }
  });
});
