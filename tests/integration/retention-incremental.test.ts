// Retention at scale: each daily run clears the payloads that fell past the cutoff since the last
// run (on the doneAt index) instead of looking at every row ever processed; the first run, and a
// run after the period grew, go through everything. Nothing past the cutoff is ever left behind.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { LocalFileStore } from '../../src/files/store.js';
import { createRetention, REMOVED_PAYLOAD } from '../../src/privacy/retention.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-07T01:30:00Z');

describe('retention clears what fell past its cutoff since the last run', () => {
  let testDb: TestDatabase;
  let db: Database;
  let seq = 0;
  const event = (doneDaysAgo: number | null, status = 'done') =>
    db.client.inboxEvent.create({
      data: {
        id: `e${++seq}`,
        eventId: `ev${seq}`,
        eventType: 'im.message.receive_v1',
        payload: '{"text":"我的手机号 13812345678"}',
        status,
        doneAt: doneDaysAgo === null ? null : new Date(NOW.getTime() - doneDaysAgo * DAY),
      },
    });
  const payloads = async () =>
    Object.fromEntries(
      (await db.client.inboxEvent.findMany({ orderBy: { seq: 'asc' } })).map((e) => [e.id, e.payload === REMOVED_PAYLOAD ? 'cleared' : 'kept']),
    );
  const retention = (inboxDays: number) =>
    createRetention({
      db,
      campaigns: () => [],
      periods: { inboxDays, outboxDays: 30, draftDays: 90, exportDays: 1 },
      fileStore: new LocalFileStore(mkdtempSync(join(tmpdir(), 'smsb-ret-files-'))),
    });

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = openDatabase(testDb.database);
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('the first run clears every old row; later runs the days since, on the index; a longer period goes through all again', async () => {
    await event(400); // e1: long ago
    await event(8); // e2: just past 7 days
    await event(3); // e3: recent
    await event(null, 'pending'); // e4: not processed
    await event(20, 'dead'); // e5: given up on
    expect((await retention(7).run(NOW)).inboxPayloads).toBe(3);
    expect(await payloads()).toEqual({ e1: 'cleared', e2: 'cleared', e3: 'kept', e4: 'kept', e5: 'cleared' });

    // Five days later e3 is past the cutoff; a row done long ago that still has its payload (it
    // cannot happen: doneAt is when it was done) is outside the window and not looked at.
    await event(500); // e6
    const later = new Date(NOW.getTime() + 5 * DAY);
    expect((await retention(7).run(later)).inboxPayloads).toBe(1);
    expect((await payloads()).e3).toBe('cleared');
    expect((await payloads()).e6).toBe('kept');

    // The period grew from 7 to 14 days: the cutoff moved back, so everything is gone through once.
    expect((await retention(14).run(later)).inboxPayloads).toBe(1);
    expect((await payloads()).e6).toBe('cleared');

    // Run again with nothing new: nothing changes.
    expect((await retention(14).run(later)).inboxPayloads).toBe(0);
  });
});
