// The answers that count and page in the database (issue 22) give what loading every row gave: on
// a seeded province (scripts/scale/seed.ts) on the dialect under test, 统计, both 待办 and the
// paged lists are checked against a plain recount of the rows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../cards/components.js';
import { campaignStatsCard } from '../../cards/stats.js';
import { type ScaleManifest, seedScale } from '../../scripts/scale/seed.js';
import { campaignStats } from '../../src/admin/stats.js';
import { buildApp } from '../../src/app.js';
import { formatBeijing } from '../../src/campaigns/schedule.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { cardTexts } from '../helpers/card-lint.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testEnv } from '../helpers/harness.js';

const N = 2_000;
const NOW = new Date('2026-12-07T02:00:00Z');

describe('counted and paged in the database, as a recount of the rows says', () => {
  let test: TestDatabase;
  let app: FastifyInstance;
  let db: Database;
  let m: ScaleManifest;
  const click = async (openId: string, value: Record<string, unknown>): Promise<Card> => {
    const reply = await db.transaction((tx) => app.services.actions.runCard(tx, { actor: { openId }, value, form: {}, name: undefined, messageId: undefined }));
    expect(reply?.card, JSON.stringify(reply?.toast)).toBeDefined();
    return reply!.card as Card;
  };

  beforeAll(async () => {
    test = await createTestDatabase();
    m = await seedScale({ ...test.database, applications: N, seed: 3, now: NOW });
    const config = loadConfig(
      testEnv({
        DATABASE_URL: test.database.url,
        ADMIN_IDS: m.actors.admin,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'smsb-scale-cards-')),
        APPROVAL_CENTER: 'off',
      }),
    );
    app = await buildApp({ config, now: () => NOW, workers: { tickMs: 0 } });
    db = app.services.db;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await test?.drop();
  });

  it('统计 of the biggest programme: the same card as counting every row', async () => {
    const c = app.services.catalog.campaigns.find((x) => x.id === m.actors.bigCampaign)!;
    const rows = await db.client.application.findMany({
      where: { campaignId: c.id },
      select: { id: true, status: true, stage: true, region: true, submittedAt: true },
    });
    const ids = new Set(rows.map((r) => r.id));
    const tasks = (await db.client.reviewTask.findMany({ where: { status: 'pending' }, select: { stageId: true, applicationId: true } })).filter((t) =>
      ids.has(t.applicationId),
    );
    expect(rows.length).toBeGreaterThan(N / 10);
    const expected = campaignStatsCard({ ...campaignStats(c, rows, tasks, NOW), scopeText: '全部项目和地区', at: formatBeijing(NOW) });
    expect(await click(m.actors.admin, { a: 'st.show', c: c.id })).toEqual(expected);
  });

  it("the reviewer's 待办 counts every current pending task and lists the oldest", async () => {
    const pending = await db.client.reviewTask.findMany({ where: { reviewerId: m.actors.reviewer, status: 'pending' }, orderBy: { createdAt: 'asc' } });
    expect(pending.length).toBe(m.targets.reviewerPending);
    const card = await click(m.actors.reviewer, { a: 'r.todo' });
    expect(cardTexts(card).join()).toContain(`${pending.length} 项待审核`);
  });

  it("the administrator's 待办 counts the applications waiting on reviewers as grouping the tasks does", async () => {
    const tasks = await db.client.reviewTask.findMany({ where: { status: 'pending' } });
    const apps = new Map(
      (await db.client.application.findMany({ where: { id: { in: [...new Set(tasks.map((t) => t.applicationId))] } } })).map((a) => [a.id, a]),
    );
    const waiting = new Set(
      tasks
        .filter((t) => {
          const a = apps.get(t.applicationId);
          return a && a.status === 'submitted' && a.stage === t.stageId;
        })
        .map((t) => t.applicationId),
    );
    expect(waiting.size).toBeGreaterThan(0);
    const card = await db.transaction((tx) =>
      app.services.actions.runCommand(tx, { openId: m.actors.admin }, 'todo', '', () => {
        throw new Error('refused');
      }),
    );
    expect(cardTexts(card!).join()).toContain(`${waiting.size} 份申报等待审核`);
  });

  it('the studio list: every studio exactly once across the pages, in status order', async () => {
    const total = await db.client.studio.count();
    const seen: string[] = [];
    const statuses: string[] = [];
    for (let p = 0; p * 25 < total; p++) {
      const card = await click(m.actors.admin, { a: 'e.studios', p });
      const ids = JSON.stringify(card)
        .match(/"a":"e\.studio","s":"([^"]+)"/g)!
        .map((x) => x.split('"s":"')[1]!.slice(0, -1));
      seen.push(...ids);
      const rows = await db.client.studio.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
      statuses.push(...ids.map((id) => rows.find((r) => r.id === id)!.status));
      expect(cardTexts(card).join()).toContain(`共 ${total} 个工作室，第 ${p + 1}/${Math.ceil(total / 25)} 页`);
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    const order = (s: string) => (s === 'rectifying' ? 0 : s === 'revoked' ? 1 : s === 'active' ? 2 : 3);
    expect(statuses.map(order)).toEqual([...statuses.map(order)].sort((x, y) => x - y));
  });

  it('the ranking: every candidate once across the pages, by score', async () => {
    const pages = [];
    for (let p = 0; p < 20; p++) {
      const text = cardTexts(await click(m.actors.admin, { a: 'rank.show', c: m.actors.rankingCampaign, s: m.actors.rankingStage, p })).join('\n');
      const lines = [...text.matchAll(/^(\d+)\. \*\*([A-Z]+\d{4}-\d+)\*\*/gm)].map((x) => ({ rank: Number(x[1]), number: x[2]! }));
      if (pages.flat().some((l) => l.rank === lines[0]?.rank)) break; // past the end: the last page again
      pages.push(lines);
    }
    const all = pages.flat();
    expect(all.length).toBe(m.targets.ranking);
    expect(all.map((l) => l.rank)).toEqual(all.map((_, i) => i + 1));
    expect(new Set(all.map((l) => l.number)).size).toBe(all.length);
  });
});
