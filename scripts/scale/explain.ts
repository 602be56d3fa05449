// The query plans of the hot queries on a seeded database (scripts/scale/seed.ts), for review:
// each should start from an index that narrows to what the answer shows or counts, never a scan of
// every application, task or event.
// Usage: npx tsx scripts/scale/explain.ts --url file:/tmp/x.db | postgresql://…/db
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const url = values.url!;
const sqlite = url.startsWith('file:');

// SQLite's planner, given statistics, may prefer scanning the table in seq order: the claim names its index.
const outboxIndex = sqlite ? 'INDEXED BY "OutboxMessage_status_seq_availableAt_idx"' : '';

/** [what, SQL with $1… placeholders, params]. */
const QUERIES: [string, string, unknown[]][] = [
  [
    '待办, reviewer: their pending tasks',
    `SELECT "id","applicationId","stageId","round","createdAt" FROM "ReviewTask" WHERE "reviewerId" = $1 AND "status" = 'pending' ORDER BY "createdAt"`,
    ['ou_scale_reviewer'],
  ],
  [
    '待办, administrator: applications waiting on reviewers, oldest 30 and how many in all',
    `SELECT w.id, a."number", w.since, w.total FROM (SELECT t."applicationId" AS id, MIN(t."createdAt") AS since, COUNT(*) AS reviewers, COUNT(*) OVER () AS total
       FROM "ReviewTask" t JOIN "Application" a ON a."id" = t."applicationId"
       WHERE t."status" = 'pending' AND a."status" = 'submitted' AND a."stage" = t."stageId" GROUP BY t."applicationId" ORDER BY MIN(t."createdAt"), t."applicationId" LIMIT 30) w
     JOIN "Application" a ON a."id" = w.id ORDER BY w.since, w.id`,
    [],
  ],
  [
    '待办, administrator: applications nobody can act on (one programme)',
    `SELECT a."id", COUNT(*) OVER () FROM "Application" a WHERE a."campaignId" = $1 AND a."status" = 'submitted'
       AND (a."stage" IN ('district') OR (a."stage" IN ('experts') AND a."score" IS NULL))
       AND NOT EXISTS (SELECT 1 FROM "ReviewTask" t WHERE t."applicationId" = a."id" AND t."stageId" = a."stage" AND t."status" = 'pending')
     ORDER BY a."submittedAt", a."id" LIMIT 20`,
    ['weihai-2026'],
  ],
  [
    '待办, administrator: scoring still open',
    `SELECT "campaignId","stage",COUNT(*) FROM "Application" WHERE "status" = 'submitted' AND "score" IS NULL GROUP BY 1, 2`,
    [],
  ],
  [
    '统计: state, stage, region and submitted in one pass',
    `SELECT "status","stage","region",COUNT(*),COUNT("submittedAt") FROM "Application" WHERE "campaignId" = $1 GROUP BY 1, 2, 3`,
    ['weihai-2026'],
  ],
  [
    '统计: submissions in the chart window',
    `SELECT COUNT(*) FROM "Application" WHERE "campaignId" = $1 AND "submittedAt" >= $2 AND "submittedAt" < $3`,
    sqlite ? ['weihai-2026', '2026-11-05T00:00:00.000+00:00', '2026-12-06T00:00:00.000+00:00'] : ['weihai-2026', '2026-11-05', '2026-12-06'],
  ],
  [
    '统计: pending tasks by stage',
    `SELECT t."stageId", COUNT(*) FROM "ReviewTask" t JOIN "Application" a ON a."id" = t."applicationId" WHERE t."status" = 'pending' AND t."stageId" IN ('district','experts') AND a."campaignId" = $1 GROUP BY t."stageId"`,
    ['weihai-2026'],
  ],
  [
    'ranking: candidates at a stage',
    `SELECT "id" FROM "Application" WHERE "campaignId" = $1 AND "stage" = $2 AND "status" = 'submitted' ORDER BY "submittedAt"`,
    ['lucheng-2026', 'experts'],
  ],
  ['studio list: page 100', `SELECT * FROM "Studio" WHERE "status" = 'active' ORDER BY "name","id" LIMIT 25 OFFSET 2475`, []],
  ["timeline: an application's audit rows", `SELECT * FROM "AuditLog" WHERE "subject" = $1 ORDER BY "id"`, ['x']],
  ["进度: a person's applications", `SELECT * FROM "Application" WHERE "applicantId" = $1 ORDER BY "updatedAt" DESC`, ['ou_x']],
  [
    'step save: the application and its uploads',
    `SELECT a.*, u."id" FROM "Application" a LEFT JOIN "Upload" u ON u."applicationId" = a."id" WHERE a."id" = $1 ORDER BY u."createdAt"`,
    ['x'],
  ],
  [
    // As LeaseQueue.claim selects (its UPDATE around this would run under ANALYZE): due rows and
    // expired leases looked for apart, each in write order along the index.
    'outbox claim',
    `SELECT "seq" FROM (SELECT "seq" FROM "OutboxMessage" ${outboxIndex} WHERE "status" = 'pending' AND "availableAt" <= $1 ORDER BY "seq" LIMIT 10) AS "due"
     UNION ALL
     SELECT "seq" FROM (SELECT "seq" FROM "OutboxMessage" ${outboxIndex} WHERE "status" = 'leased' AND "leaseUntil" < $1 AND "attempts" < 8 ORDER BY "seq" LIMIT 10) AS "expired"
     ORDER BY "seq" LIMIT 10`,
    [sqlite ? '2026-12-06T00:00:00.000+00:00' : '2026-12-06'],
  ],
  [
    'outbox: held messages released (LeaseQueue.releaseHeld)',
    `SELECT "seq" FROM "OutboxMessage" WHERE "status" = 'held' AND "availableAt" <= $1 ORDER BY "seq" LIMIT 250`,
    [sqlite ? '2026-12-06T00:00:00.000+00:00' : '2026-12-06'],
  ],
  [
    'retention: payloads done since the last run',
    `SELECT COUNT(*) FROM "InboxEvent" WHERE "status" IN ('done','dead') AND "doneAt" < $1 AND "doneAt" >= $2 AND "payload" <> ''`,
    sqlite ? ['2026-11-30T00:00:00.000+00:00', '2026-11-28T00:00:00.000+00:00'] : ['2026-11-30', '2026-11-28'],
  ],
];

if (sqlite) {
  const db = new BetterSqlite3(url.slice('file:'.length), { readonly: true });
  for (const [what, sql, params] of QUERIES) {
    // SQLite binds by position: each $n becomes a ? with its value.
    const bound = [...sql.matchAll(/\$(\d+)/g)].map((x) => params[Number(x[1]) - 1]);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/\$\d+/g, '?')}`).all(...(bound as never[])) as { detail: string }[];
    console.log(`\n${what}\n${plan.map((p) => `  ${p.detail}`).join('\n')}`);
  }
  db.close();
} else {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const [what, sql, params] of QUERIES) {
    const r = await client.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`, params);
    console.log(`\n${what}\n${r.rows.map((x) => `  ${x['QUERY PLAN']}`).join('\n')}`);
  }
  await client.end();
}
