// The scale seeder (scripts/scale/seed.ts) on the dialect under test, read back through the bot's
// own client: the rows are what the bot itself would have written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScaleManifest, seedScale } from '../../scripts/scale/seed.js';
import { findApplication } from '../../src/applications/repository.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { shipped } from '../helpers/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const N = 300;
const NOW = new Date('2026-12-07T02:00:00Z');

describe('scale seeder', () => {
  let test: TestDatabase;
  let db: Database;
  let manifest: ScaleManifest;
  beforeAll(async () => {
    test = await createTestDatabase();
    manifest = await seedScale({ ...test.database, applications: N, seed: 7, now: NOW });
    db = openDatabase(test.database);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('fills every table in proportion to N', async () => {
    const c = manifest.counts;
    expect(await db.client.application.count()).toBe(c.Application);
    expect(c.Application).toBeGreaterThan(N * 0.9);
    expect(c.Application).toBeLessThanOrEqual(N);
    expect(await db.client.reviewTask.count()).toBe(c.ReviewTask);
    expect(c.ReviewTask).toBeGreaterThan(N * 2);
    expect(await db.client.auditLog.count()).toBeGreaterThan(N * 3);
    expect(await db.client.inboxEvent.count()).toBe(N * 10);
    expect(await db.client.outboxMessage.count()).toBe(N * 10);
    expect(await db.client.outboxMessage.count({ where: { kind: 'mirror' } })).toBe(0);
    expect(await db.client.studio.count()).toBe(N / 10);
    expect(await db.client.larkUser.count()).toBe(c.LarkUser);
  });

  it('stores applications the bot can read, in states their pipelines have', async () => {
    const rows = await db.client.application.findMany();
    const byId = new Map(shipped.campaigns.map((c) => [c.id, c]));
    const ends = ['designated', 'evaluated', 'absent'];
    for (const row of rows) {
      const c = byId.get(row.campaignId)!;
      expect(c, row.campaignId).toBeDefined();
      expect(() => JSON.parse(row.answers)).not.toThrow();
      if (row.status === 'draft') expect(row.number).toBeNull();
      else if (!ends.includes(row.status) || row.status === 'designated') expect(row.number).toMatch(new RegExp(`^${c.code}${c.year}-\\d{4,}$`));
      if (ends.includes(row.status)) expect(row.stage).toBeNull();
      else if (row.status !== 'draft') expect(c.pipeline.map((s) => s.id)).toContain(row.stage);
      expect(['draft', 'submitted', 'returned', 'rejected', 'not_selected', 'not_recommended', 'withdrawn', ...ends]).toContain(row.status);
      if (row.status === 'submitted' && row.stage) expect(c.pipeline.find((s) => s.id === row.stage)).toBeDefined();
    }
    for (const row of rows.slice(0, 60)) {
      const app = await db.transaction((tx) => findApplication(tx, row.id));
      expect(app?.id).toBe(row.id);
      expect(app!.createdAt).toBeInstanceOf(Date);
      expect(app!.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      if (app!.submittedAt) expect(app!.submittedAt.getTime()).toBeGreaterThanOrEqual(app!.createdAt.getTime());
    }
    // Dates come back as the instants written.
    const task = await db.client.reviewTask.findFirst({ where: { status: 'decided' } });
    expect(task!.decidedAt!.getFullYear()).toBeGreaterThan(2019);
  });

  it('gives the benchmark its actors', async () => {
    const a = manifest.actors;
    const pending = await db.client.reviewTask.count({ where: { reviewerId: a.reviewer, status: 'pending' } });
    expect(pending).toBe(manifest.targets.reviewerPending);
    expect(await db.client.roleGrant.count({ where: { openId: a.reviewer, role: 'reviewer', campaignId: a.reviewerCampaign } })).toBe(1);
    const ranked = await db.client.application.count({
      where: { campaignId: a.rankingCampaign, stage: a.rankingStage, status: 'submitted', score: { not: null } },
    });
    expect(ranked).toBe(manifest.targets.ranking);
    expect(await db.client.application.count({ where: { campaignId: a.exportCampaign, status: { not: 'draft' } } })).toBeGreaterThan(0);
    expect(await db.client.application.count({ where: { campaignId: a.bigCampaign } })).toBe(Math.round(N * 0.2));
    expect(await db.client.auditLog.count({ where: { subject: a.timelineApplicationId } })).toBeGreaterThanOrEqual(10);
    expect((await db.client.application.findUnique({ where: { id: a.applicantApplicationId } }))?.applicantId).toBe(a.applicant);
    const notice = await db.client.publicNotice.findUnique({ where: { id: a.openNoticeId } });
    expect(notice?.status).toBe('open');
    expect(notice?.endDate).toBe('2026-12-07');
    // A DateTime written in bulk reads back through Prisma as the instant written.
    expect(notice?.createdAt.toISOString()).toBe(new Date(NOW.getTime() - 7 * 86_400_000).toISOString());
  });

  it('is deterministic for a seed', async () => {
    const again = await createTestDatabase();
    try {
      const m = await seedScale({ ...again.database, applications: N, seed: 7, now: NOW });
      expect(m.counts).toEqual(manifest.counts);
      expect(m.actors).toEqual({ ...manifest.actors });
    } finally {
      await again.drop();
    }
  }, 120_000);
});
