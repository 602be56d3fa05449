// Timestamps written by raw SQL (inbox group commit, claims) and by Prisma must agree, whatever
// the server's time zone: a mismatch would leave events waiting hours before being claimed.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findApplication, updateApplication } from '../../src/applications/repository.js';
import type { Tx } from '../../src/db/database.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';

describe(`timestamps in time zone ${process.env.TZ ?? 'UTC'}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('stores inbox and outbox times as the same instant, and processes at once', async () => {
    const before = Date.now();
    await h.push(h.text('ou_tz', '帮助'));
    await settle(h.db);
    const inbox = await h.db.client.inboxEvent.findFirstOrThrow({ where: { orderingKey: 'ou_tz' } });
    const outbox = await h.db.client.outboxMessage.findFirstOrThrow({ where: { pacingKey: 'ou_tz' } });
    for (const t of [inbox.createdAt, inbox.availableAt, outbox.createdAt]) {
      expect(Math.abs(t.getTime() - before)).toBeLessThan(5_000);
    }
    expect(inbox.doneAt!.getTime()).toBeGreaterThanOrEqual(inbox.createdAt.getTime());
  });

  it('reads and writes an application through the hot path (a step save) as the same instants as Prisma', async () => {
    const id = randomUUID();
    const created = await h.db.client.application.create({ data: { id, campaignId: 'weihai-2024', applicantId: 'ou_tz_hot', lastStep: 'unit' } });
    const direct = h.db.client as Tx; // outside a transaction: the hot path
    const read = await findApplication(direct, id);
    expect(read!.createdAt.getTime()).toBe(created.createdAt.getTime());
    expect(read!.updatedAt.getTime()).toBe(created.updatedAt.getTime());
    const before = Date.now();
    await updateApplication(direct, read!, { lastStep: 'leader', answers: { unitName: '时区测试单位' } });
    const stored = await h.db.client.application.findUniqueOrThrow({ where: { id } });
    expect(Math.abs(stored.updatedAt.getTime() - before)).toBeLessThan(5_000);
    expect(stored).toMatchObject({ version: 1, lastStep: 'leader', answers: JSON.stringify({ unitName: '时区测试单位' }) });
    // The same read inside a transaction (Prisma's raw query) agrees with the hot path's.
    const inTx = await h.db.transaction((tx) => findApplication(tx, id));
    expect((await findApplication(direct, id))!.updatedAt.getTime()).toBe(inTx!.updatedAt.getTime());
  });
});
