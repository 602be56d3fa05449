// Exports at province scale, on the job itself (no Lark): a zip that would pass Lark's upload
// limit is split into parts, each under it, every application in exactly one part; and an
// export reads the database in the same number of queries whether it has 3 applications or 40.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../../src/access/scope.js';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createExports } from '../../src/exports/exports.js';
import { createLogger } from '../../src/log.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { zipEntries } from '../helpers/office.js';

const weihai = shippedCampaign('weihai-2024');
const ADMIN = 'ou_scale_admin';

/** The same database, counting every model query made through it (transactions' too). */
function counting(db: Database): { db: Database; queries: () => number } {
  let n = 0;
  const wrap = <T extends object>(client: T): T =>
    new Proxy(client, {
      get(target, key) {
        const model = Reflect.get(target, key) as unknown;
        // Only the model delegates (application, upload…): Prisma's own properties stay untouched.
        if (typeof key !== 'string' || key.startsWith('$') || typeof (model as { findMany?: unknown } | null)?.findMany !== 'function') return model;
        return new Proxy(model as object, {
          get(m, op) {
            const f = Reflect.get(m, op) as unknown;
            return typeof f === 'function'
              ? (...args: unknown[]) => {
                  n++;
                  return (f as (...a: unknown[]) => unknown).apply(m, args);
                }
              : f;
          },
        });
      },
    });
  return { db: { ...db, client: wrap(db.client), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) }, queries: () => n };
}

describe('exports at scale', () => {
  let testDb: TestDatabase;
  let db: Database;
  const dataDir = mkdtempSync(join(tmpdir(), 'smsb-export-scale-'));
  let seeded = 0;

  /** `n` more submitted applications of weihai-2024, each with an upload and a district opinion. */
  async function seed(n: number) {
    const base = storedAnswers(weihai);
    const ids: string[] = [];
    const rows = Array.from({ length: n }, () => {
      const i = ++seeded;
      const id = randomUUID();
      ids.push(id);
      return {
        id,
        campaignId: weihai.id,
        applicantId: `ou_unit_${i}`,
        status: 'submitted',
        stage: 'district',
        number: `WH2024-${String(i).padStart(4, '0')}`,
        unitKey: `key-${i}`,
        region: weihai.regions.items[i % weihai.regions.items.length]!,
        answers: JSON.stringify({ ...base, unitName: `威海第${i}机械有限公司` }),
        submittedAt: new Date(),
      };
    });
    await db.client.application.createMany({ data: rows });
    await db.client.upload.createMany({
      data: ids.map((id, k) => ({
        id: randomUUID(),
        applicationId: id,
        ownerId: 'ou_x',
        messageId: `om_${id}`,
        sha256: `${k}`,
        name: '申请报告.pdf',
        size: 1,
        kind: 'file',
        slotId: 'applicationReport',
      })),
    });
    await db.client.reviewTask.createMany({
      data: ids.map((id) => ({
        id: randomUUID(),
        applicationId: id,
        stageId: 'district',
        round: 1,
        reviewerId: 'ou_d',
        status: 'decided',
        comment: '同意推荐',
        decidedAt: new Date(),
      })),
    });
  }

  /** Runs one export job to the end; returns its files (name, path, size) and the job. */
  async function exportNow(what: 'forms' | 'summary', opts: { maxFileBytes?: number; through?: Database } = {}) {
    const exports = createExports({
      campaigns: () => [weihai],
      adminIds: [ADMIN],
      now: () => new Date('2024-07-20T10:00:00+08:00'),
      dataDir,
      log: createLogger('silent'),
      ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}),
    });
    const through = opts.through ?? db;
    await through.transaction((tx) => exports.request(tx, { openId: ADMIN }, EVERYTHING, { campaign: weihai.id, what }, undefined));
    expect(await exports.runPending(through)).toBe(1);
    const job = await db.client.exportJob.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(job.status).toBe('done');
    const files = (await db.client.outboxMessage.findMany({ where: { kind: 'file', causedBy: job.id }, orderBy: { createdAt: 'asc' } })).map((m) => {
      const p = JSON.parse(m.payload) as { fileName: string; path: string };
      return { ...p, size: statSync(p.path).size };
    });
    return { job, files };
  }

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = openDatabase(testDb.database);
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the database in as many queries for 40 forms as for 3 (whole pages, not a query per application)', async () => {
    await seed(3);
    const few = counting(db);
    await exportNow('forms', { through: few.db });
    const summaryFew = counting(db);
    await exportNow('summary', { through: summaryFew.db });
    await seed(37);
    const many = counting(db);
    const { files } = await exportNow('forms', { through: many.db });
    expect((await zipEntries(readFileSync(files[0]!.path))).size).toBe(40);
    const summaryMany = counting(db);
    await exportNow('summary', { through: summaryMany.db });
    expect(many.queries()).toBe(few.queries());
    expect(summaryMany.queries()).toBe(summaryFew.queries());
    expect(many.queries()).toBeLessThan(25);
  });

  it('splits a zip that would pass the upload limit into parts, each under it, every application in exactly one', async () => {
    const limit = 60_000; // a few documents each (Lark's 30 MB would take thousands)
    const { job, files } = await exportNow('forms', { maxFileBytes: limit });
    expect(files.length).toBeGreaterThan(3);
    const names: string[] = [];
    for (const [i, f] of files.entries()) {
      expect(f.size).toBeLessThanOrEqual(limit);
      expect(f.fileName).toBe(`2024年度威海市技能大师工作室申报-申报表${seeded}份-20240720-第${i + 1}部分.zip`);
      names.push(...(await zipEntries(readFileSync(f.path))).keys());
    }
    expect(names.length).toBe(seeded);
    expect(new Set(names).size).toBe(seeded);
    for (let i = 1; i <= seeded; i++) expect(names).toContain(`WH2024-${String(i).padStart(4, '0')} 威海第${i}机械有限公司.docx`);
    expect(job.detail).toBe(`${seeded} 份申报表，分为 ${files.length} 个 zip 依次发送（飞书单个文件不超过 30 MB）`);
    // The done card says so.
    const card = await db.client.outboxMessage.findFirstOrThrow({ where: { causedBy: job.id, kind: 'send' } });
    expect(card.payload).toContain(`分为 ${files.length} 个 zip`);
  });
});
