// Timestamps written by raw SQL (inbox group commit, claims) and by Prisma must agree, whatever
// the server's time zone: a mismatch would leave events waiting hours before being claimed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
