// A process killed with SIGKILL loses nothing and repeats nothing: acknowledged events are
// processed after the restart, and a send that Lark received before the crash is not duplicated.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, deliver, messageEvent } from '../../src/emulator/signing.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { APP_ID, APP_SECRET, ENCRYPT_KEY, testEnv, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

describe('crash safety (SIGKILL)', () => {
  let emulator: LarkEmulator;
  let testDb: TestDatabase;
  let db: Database;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET }] });
    testDb = await createTestDatabase();
  });
  afterEach(async () => {
    await bot?.kill();
    bot = undefined;
    await db?.close();
  });
  afterAll(async () => {
    await emulator?.close();
    await testDb?.drop();
  });

  // A short lease so the restarted process reclaims the dead one's work quickly.
  const env = () => testEnv({ LARK_DOMAIN: emulator.url, DATABASE_URL: testDb.database.url, WORKER_LEASE_SECONDS: '1', LOG_LEVEL: 'warn' });
  const start = async () => (bot = await startBotProcess(env()));
  const push = (openId: string, text = '帮助') =>
    deliver(
      `${bot!.url}/lark/events`,
      buildPush({
        encryptKey: ENCRYPT_KEY,
        verificationToken: VERIFICATION_TOKEN,
        payload: messageEvent({
          appId: APP_ID,
          token: VERIFICATION_TOKEN,
          sender: { open_id: openId },
          chatId: emulator.p2pChatId(openId),
          chatType: 'p2p',
          text,
          emulator,
        }),
      }),
    );

  it('killed after acknowledging and before replying: the reply is delivered exactly once after restart', async () => {
    emulator.reset();
    db = openDatabase(testDb.database);
    // Lark hangs on the token: the reply cannot leave before the kill.
    emulator.setDelay('/open-apis/auth/v3/tenant_access_token/internal', 60_000);
    await start();
    expect((await push('ou_crash_before_send')).status).toBe(200);
    await waitFor('the event to be processed and its reply queued', async () => (await db.client.outboxMessage.count()) === 1);
    expect(await bot!.kill('SIGKILL')).toBe(null);
    expect(emulator.messages).toHaveLength(0);

    emulator.setDelay('/open-apis/auth/v3/tenant_access_token/internal', 0);
    await start();
    const chat = emulator.p2pChatId('ou_crash_before_send');
    await waitFor('the reply after restart', () => emulator.messagesTo(chat).length >= 1, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(emulator.messagesTo(chat)).toHaveLength(1);
  });

  it('killed while Lark was creating the message: the resend carries the same uuid and Lark keeps one', async () => {
    emulator.reset();
    db = openDatabase(testDb.database);
    await start();
    // Lark creates the message but its answer never reaches the bot.
    emulator.setDelay('/open-apis/im/v1/messages', 60_000);
    const chat = emulator.p2pChatId('ou_crash_during_send');
    expect((await push('ou_crash_during_send')).status).toBe(200);
    await waitFor('Lark to have created the message', () => emulator.messagesTo(chat).length === 1);
    await bot!.kill('SIGKILL');

    emulator.setDelay('/open-apis/im/v1/messages', 0);
    await start();
    const resent = () => emulator.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && c.status === 200);
    await waitFor('the resend after restart', () => resent().length >= 1, 20_000);
    await waitFor(
      'the outbox row to be done',
      async () => (await db.client.outboxMessage.count({ where: { status: 'done', pacingKey: 'ou_crash_during_send' } })) === 1,
    );
    expect(emulator.messagesTo(chat)).toHaveLength(1);
    const uuids = emulator.calls.filter((c) => c.path === '/open-apis/im/v1/messages').map((c) => (c.body as { uuid: string }).uuid);
    expect(new Set(uuids).size).toBe(1);
  });

  it('killed in the middle of 120 events: after restart every event has exactly one reply', async () => {
    emulator.reset();
    db = openDatabase(testDb.database);
    await start();
    const users = Array.from({ length: 120 }, (_, i) => `ou_mid_stream_${i}`);
    // Slow Lark down so the kill lands while work is in every stage.
    emulator.setDelay('/open-apis/im/v1/messages', 250);
    const acks = await Promise.all(users.map((u) => push(u)));
    expect(acks.every((a) => a.status === 200)).toBe(true);
    await waitFor('some replies to be out', () => emulator.messages.length >= 1, 20_000, 5);
    await bot!.kill('SIGKILL');
    const before = emulator.messages.length;
    expect(before).toBeLessThan(users.length);

    emulator.setDelay('/open-apis/im/v1/messages', 0);
    await start();
    await waitFor('all replies', () => emulator.messages.length >= users.length, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    for (const u of users) expect(emulator.messagesTo(emulator.p2pChatId(u))).toHaveLength(1);
    expect(emulator.messages).toHaveLength(users.length);
  });
});
