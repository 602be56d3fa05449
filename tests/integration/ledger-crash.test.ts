// The ledger never holds two records of one application, even when the bot is killed (SIGKILL)
// while Lark was creating them: the restarted bot finds the records by 编号 before creating any.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { DEFAULT_GRANTED_SCOPES, type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { APP_ID, APP_SECRET, testEnv, waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const BASE = 'bascnCrashLedger001';

describe('the ledger under SIGKILL', () => {
  let emulator: LarkEmulator;
  let testDb: TestDatabase;
  let db: Database;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET }] });
    emulator.setScopes(APP_ID, [...DEFAULT_GRANTED_SCOPES, 'bitable:app']);
    emulator.addBitableApp(BASE, '台账');
    testDb = await createTestDatabase();
    db = openDatabase(testDb.database);
  });
  afterEach(async () => {
    await bot?.kill();
    bot = undefined;
  });
  afterAll(async () => {
    await db?.close();
    await emulator?.close();
    await testDb?.drop();
  });

  const start = async () =>
    (bot = await startBotProcess(
      testEnv({ LARK_DOMAIN: emulator.url, DATABASE_URL: testDb.database.url, WORKER_LEASE_SECONDS: '1', LOG_LEVEL: 'warn', BITABLE_APP_TOKEN: BASE }),
    ));
  const records = () => {
    const table = emulator.bitableTables(BASE)[0];
    return table ? emulator.bitableRecords(BASE, table.table_id) : [];
  };
  const numbers = () =>
    records()
      .map((r) => {
        const v = r.fields.编号;
        return Array.isArray(v) ? v.map((p) => (p as { text: string }).text).join('') : String(v);
      })
      .sort();

  async function submitted(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      const id = `crash-app-${i}`;
      await db.client.application.create({
        data: { id, campaignId: 'weihai-2024', applicantId: `ou_crash_${i}`, answers: JSON.stringify({ unitName: `威海第${i}公司`, leaderName: '张伟' }) },
      });
      // Past its draft: the trigger marks its ledger copy and queues the sync.
      await db.client.application.update({
        where: { id },
        data: { status: 'submitted', stage: 'district', number: `WH2024-${String(i).padStart(4, '0')}`, submittedAt: new Date(), region: '环翠区' },
      });
    }
  }

  it('killed while Lark was creating the records: after the restart each application has exactly one record', async () => {
    await start();
    await waitFor('the ledger switched on', async () => (await db.client.mirrorSwitch.findUnique({ where: { target: 'ledger' } }))?.enabled === true);
    // Lark creates the records but its answer never reaches the bot.
    emulator.setDelay(/\/records\/batch_create$/, 60_000);
    await submitted(3);
    await waitFor('Lark to have created the records', () => records().length === 3, 20_000);
    expect(await bot!.kill('SIGKILL')).toBe(null);
    // The bot never learnt the record ids.
    expect(await db.client.mirror.count({ where: { target: 'ledger', remoteId: { not: null } } })).toBe(0);

    emulator.setDelay(/\/records\/batch_create$/, 0);
    await start();
    await waitFor(
      `every copy synced after the restart`,
      async () => (await db.client.mirror.count({ where: { target: 'ledger', remoteId: { not: null }, pendingToken: null } })) === 3,
      30_000,
    ).catch(async (e) => {
      console.log(bot?.output(), JSON.stringify(await db.client.mirror.findMany(), null, 1), JSON.stringify(await db.client.outboxMessage.findMany(), null, 1));
      console.log(emulator.calls.filter((c) => c.path.includes('bitable')).map((c) => `${c.method} ${c.path} ${c.status} ${c.code}`));
      throw e;
    });
    expect(numbers()).toEqual(['WH2024-0001', 'WH2024-0002', 'WH2024-0003']);

    // A later change updates the record in place.
    await db.client.application.update({ where: { id: 'crash-app-2' }, data: { status: 'returned' } });
    await waitFor('the change synced', () => records().some((r) => JSON.stringify(r.fields.状态).includes('退回修改')), 20_000);
    expect(numbers()).toEqual(['WH2024-0001', 'WH2024-0002', 'WH2024-0003']);
  });
});
