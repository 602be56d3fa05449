// Retention on a controlled clock: each kind of personal data goes when its period has passed and
// not before, and nothing else goes with it. Processed events lose what people typed after 7 days,
// sent cards after 30, a return's snapshot once the resubmission was reviewed, unsubmitted drafts
// (and files never put into one) 90 days after the deadline, export files a day after they were
// made and sent. The daily run happens once across two instances.
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, inputNames, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { LEADER_ID, PDF_BYTES, validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
const DAY = 86_400_000;
const days = (n: number) => new Date(Date.now() + n * DAY);
const TYPED = `我的身份证号是${LEADER_ID}`;

/** From the overview or the summary: submits with every declaration confirmed. */
async function submitFromSummary(a: Applicant): Promise<void> {
  if (a.hasButton((b) => b.value.a === 'j.review')) await a.click((b) => b.value.a === 'j.review');
  const submit = a.button((b) => b.value.a === 'j.submit');
  await a.click((b) => b.value.a === 'j.submit', Object.fromEntries(inputNames(submit.form!).map((n) => [n, true])));
}

describe('retention', () => {
  let h: Harness;
  let admin: Applicant, unit: Applicant, idle: Applicant, district: Applicant;

  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' }, apps: 2, tick: false });
    admin = new Applicant(h, 'ou_admin');
    unit = new Applicant(h, 'ou_ret_unit');
    idle = new Applicant(h, 'ou_ret_idle');
    district = new Applicant(h, 'ou_ret_district');
    await admin.say('角色');
    await appoint(admin, district.openId, { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
  });
  afterAll(async () => h?.close());

  const retention = () => h.app.services.retention;
  const snapshots = () => h.db.client.reviewTask.count({ where: { snapshot: { not: null } } });

  it('a return keeps its snapshot until the resubmission is reviewed; other decisions keep none', async () => {
    const fx = validApplication(weihai);
    await begin(unit, weihai);
    await advanceTo(unit, fx);
    await attachAll(unit, fx);
    await confirmAndSubmit(unit);
    await district.received((c) => String(c.header?.title?.content ?? '').startsWith('待审核'));
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '请补充材料' });
    await settle(h.db);
    expect(await snapshots()).toBe(1);
    expect((await retention().run(clock.now)).snapshots).toBe(0);
    // Resubmitted: the new task's card shows what changed, from the snapshot.
    await unit.received((c) => String(c.header?.title?.content ?? '') === '申报被退回修改');
    await unit.click((b) => b.value.a === 'j.overview');
    await submitFromSummary(unit);
    await district.received((c) => String(c.header?.title?.content ?? '').startsWith('待审核'));
    expect((await retention().run(clock.now)).snapshots).toBe(0);
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    await settle(h.db);
    expect((await retention().run(clock.now)).snapshots).toBe(1);
    expect(await snapshots()).toBe(0);
    expect(await h.db.client.reviewTask.count({ where: { decision: 'approve' } })).toBe(1);
  });

  it('an unsubmitted draft and a file never put into it go 90 days after the deadline, not before', async () => {
    // Applicants are told in the help card.
    await idle.say('帮助');
    expect(textOf(idle.card!)).toContain('未提交的申报草稿在项目申报截止 90 天后删除');
    await begin(idle, weihai);
    await idle.sendFile('身份证.pdf', PDF_BYTES);
    await idle.say(TYPED);
    await settle(h.db);
    const draft = await h.db.client.application.findFirstOrThrow({ where: { applicantId: idle.openId } });
    expect(draft.status).toBe('draft');
    // 89 days after 2024-07-31.
    expect((await retention().run(new Date('2024-10-28T10:00:00+08:00'))).drafts).toBe(0);
    expect(await h.db.client.application.count({ where: { id: draft.id } })).toBe(1);
    const after = await retention().run(new Date('2024-11-01T10:00:00+08:00'));
    expect(after.drafts).toBe(1);
    expect(await h.db.client.application.count({ where: { id: draft.id } })).toBe(0);
    expect(await h.db.client.upload.count({ where: { ownerId: idle.openId } })).toBe(0);
    // The submitted application and its files stay.
    const submitted = await h.db.client.application.findFirstOrThrow({ where: { applicantId: unit.openId } });
    expect(submitted.status).toBe('submitted');
    expect(await h.db.client.upload.count({ where: { applicationId: submitted.id } })).toBeGreaterThan(0);
  });

  it('what people typed goes from processed events after 7 days; sent cards after 30', async () => {
    const typed = () => h.db.client.inboxEvent.count({ where: { payload: { contains: LEADER_ID } } });
    const cards = () => h.db.client.outboxMessage.count({ where: { status: 'done', payload: { not: '{}' } } });
    expect(await typed()).toBe(1);
    const sentCards = await cards();
    expect(sentCards).toBeGreaterThan(10);

    expect((await retention().run(days(6))).inboxPayloads).toBe(0);
    expect(await typed()).toBe(1);
    const week = await retention().run(days(8));
    expect(week.inboxPayloads).toBeGreaterThan(0);
    expect(await typed()).toBe(0);
    // The rows stay (a re-delivered event is still recognised); only the content went.
    expect(await h.db.client.inboxEvent.count({ where: { payload: '' } })).toBe(week.inboxPayloads);
    expect(week.outboxPayloads).toBe(0);
    expect(await cards()).toBe(sentCards);

    const month = await retention().run(days(31));
    expect(month.outboxPayloads).toBeGreaterThanOrEqual(sentCards);
    expect(await cards()).toBe(0);
    // Nothing waiting to be sent lost its card.
    expect(await h.db.client.outboxMessage.count({ where: { status: { in: ['pending', 'leased'] }, payload: '{}' } })).toBe(0);
    // The application itself is untouched.
    expect(await h.db.client.application.count({ where: { applicantId: unit.openId, status: 'submitted' } })).toBe(1);
  });

  it('export files go a day after they were made, once nothing waits to send them', async () => {
    const dataDir = h.apps[0]!.config.dataDir;
    const made = (job: string, ageDays: number) => {
      const dir = join(dataDir, 'exports', job);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, '申报表.zip'), 'zip');
      const at = new Date(Date.now() - ageDays * DAY);
      utimesSync(dir, at, at);
      return dir;
    };
    const fresh = made('job-fresh', 0.5);
    const old = made('job-old', 2);
    const unsent = made('job-unsent', 2);
    await h.db.client.outboxMessage.create({
      data: { id: 'file-unsent', kind: 'file', pacingKey: 'ou_admin', payload: '{}', causedBy: 'job-unsent', availableAt: new Date(Date.now() + 3600_000) },
    });
    expect(await retention().removeExportFiles(dataDir, new Date())).toBe(1);
    expect([existsSync(fresh), existsSync(old), existsSync(unsent)]).toEqual([true, false, true]);
  });

  it('the daily run happens once across two instances', async () => {
    const day = new Date('2030-01-02T10:00:00+08:00');
    const [a, b] = await Promise.all([h.apps[0]!.app.services.retention.daily(day), h.apps[1]!.app.services.retention.daily(day)]);
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    expect(await h.apps[0]!.app.services.retention.daily(new Date('2030-01-02T20:00:00+08:00'))).toBeNull();
  });
});
