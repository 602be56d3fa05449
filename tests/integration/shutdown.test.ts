// SIGTERM: intake stops, the send in flight finishes, work not yet started goes back to the queue
// at once (not after a lease expiry), the database is closed and the process exits 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, deliver, messageEvent } from '../../src/emulator/signing.js';
import { enqueue } from '../../src/outbox/outbox.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { APP_ID, APP_SECRET, ENCRYPT_KEY, startHarness, testEnv, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { startBotProcess } from '../helpers/process.js';

describe('graceful shutdown', () => {
  let emulator: LarkEmulator;
  let testDb: TestDatabase;
  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET }] });
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await emulator?.close();
    await testDb?.drop();
  });

  it('on SIGTERM finishes the send in flight and exits 0', async () => {
    const bot = await startBotProcess(testEnv({ LARK_DOMAIN: emulator.url, DATABASE_URL: testDb.database.url, LOG_LEVEL: 'warn' }));
    emulator.setDelay('/open-apis/im/v1/messages', 1500);
    const chat = emulator.p2pChatId('ou_sigterm');
    const event = messageEvent({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      sender: { open_id: 'ou_sigterm' },
      chatId: chat,
      chatType: 'p2p',
      text: '帮助',
      emulator,
    });
    expect(
      (await deliver(`${bot.url}/lark/events`, buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload: event }))).status,
    ).toBe(200);
    await waitFor('the send to be in flight', () => emulator.calls.some((c) => c.path === '/open-apis/im/v1/messages'));

    const exit = bot.kill('SIGTERM');
    const later = await deliver(`${bot.url}/lark/events`, buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload: event })).catch(
      () => ({ status: 0 }),
    );
    // Before the close begins it is acknowledged as a duplicate; after, refused (Lark pushes again).
    expect([0, 200, 503]).toContain(later.status);
    const code = await exit;
    if (code !== 0) console.log(bot.output());
    expect(code).toBe(0);
    emulator.setDelay('/open-apis/im/v1/messages', 0);

    const db = openDatabase(testDb.database);
    try {
      const row = await db.client.outboxMessage.findFirstOrThrow({ where: { pacingKey: 'ou_sigterm' } });
      expect(row.status).toBe('done');
      expect(emulator.messagesTo(chat)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('hands claimed but unstarted messages back at once when the app closes', async () => {
    const h = await startHarness();
    const chat = 'oc_shutdown_queue';
    h.emulator.addChat({ chat_id: chat, name: '关闭测试群' });
    h.emulator.setDelay('/open-apis/im/v1/messages', 1000);
    await h.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: chat, msgType: 'text', content: { text: `${i}` } });
    });
    h.app.services.outbox.worker.notify();
    await waitFor('the first send in flight', () => h.emulator.calls.some((c) => c.path === '/open-apis/im/v1/messages'));
    const other = openDatabase(h.testDb.database);
    try {
      await h.app.close();
      const rows = await other.client.outboxMessage.findMany({ orderBy: { seq: 'asc' } });
      expect(rows.map((r) => r.status)).toEqual(['done', 'pending', 'pending']);
      expect(rows.slice(1).every((r) => r.leaseOwner === null && r.attempts === 0)).toBe(true);
    } finally {
      await other.close();
      h.apps.length = 0;
      await h.close();
    }
  });
});
