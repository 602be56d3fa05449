// An event that takes the process down every time it is handled (here: the bot is SIGKILLed
// whenever it is working on it, as an out-of-memory crash would) does not crash the bot into a
// loop: each claim counts an attempt, the last one's expired lease gives it up, the administrators
// are told once, and the restarted bot carries on with everything else.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, deliver, messageEvent } from '../../src/emulator/signing.js';
import { ABANDONED, DEFAULT_RETRY } from '../../src/queue/lease-queue.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { APP_ID, APP_SECRET, ENCRYPT_KEY, testEnv, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';
import { tally } from './tally.js';

describe('a poison event and a process that dies on it every time', () => {
  let emulator: LarkEmulator;
  let testDb: TestDatabase;
  let db: Database;
  let bot: BotProcess | undefined;
  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET }] });
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await bot?.kill();
    await db?.close();
    await emulator?.close();
    await testDb?.drop();
  });

  it('ends dead after the retry limit, the administrators told once; the bot stays up', async () => {
    const env = testEnv({ LARK_DOMAIN: emulator.url, DATABASE_URL: testDb.database.url, WORKER_LEASE_SECONDS: '1', LOG_LEVEL: 'error', ADMIN_IDS: 'ou_admin' });
    bot = await startBotProcess(env);
    db = openDatabase(testDb.database);
    // An applicant with a draft sends a file; while the bot handles it, the bot dies.
    const weihai = shippedCampaign('weihai-2024');
    await db.client.application.create({
      data: { id: randomUUID(), campaignId: weihai.id, applicantId: 'ou_poison', answers: JSON.stringify(storedAnswers(weihai)) },
    });
    const messageId = `om_${randomUUID().replace(/-/g, '')}`;
    emulator.putResource(messageId, 'file_v3_poison', Buffer.from('%PDF-1.4 poison'), '附件.pdf');
    emulator.setDelay(/\/resources\//, 60_000);
    const event = messageEvent({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      sender: { open_id: 'ou_poison' },
      chatId: emulator.p2pChatId('ou_poison'),
      chatType: 'p2p',
      messageType: 'file',
      content: { file_key: 'file_v3_poison', file_name: '附件.pdf' },
      messageId,
      emulator,
    });
    expect(
      (await deliver(`${bot.url}/lark/events`, buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload: event }))).status,
    ).toBe(200);
    const row = () => db.client.inboxEvent.findUniqueOrThrow({ where: { messageId } });

    let kills = 0;
    for (let seen = 0; (await row()).status !== 'dead' && kills < DEFAULT_RETRY.maxAttempts + 3; ) {
      await waitFor(
        'the bot to be working on the event again (or to give it up)',
        async () => {
          const r = await row();
          return r.status === 'dead' || (r.status === 'leased' && r.attempts > seen);
        },
        60_000,
        50,
      );
      const r = await row();
      if (r.status === 'dead') break;
      seen = r.attempts;
      await bot!.kill('SIGKILL');
      kills++;
      bot = await startBotProcess(env);
    }
    const dead = await row();
    expect(dead).toMatchObject({ status: 'dead', attempts: DEFAULT_RETRY.maxAttempts, lastError: ABANDONED });
    expect(kills).toBe(DEFAULT_RETRY.maxAttempts);
    const adminChat = emulator.p2pChatId('ou_admin');
    await waitFor('the administrators told', () => emulator.messagesTo(adminChat).some((m) => m.content.includes('一条消息处理失败，已停止处理')), 30_000);

    // The bot carries on: it answers, and a restart neither retries the event nor tells anyone again.
    const chat = emulator.p2pChatId('ou_after');
    await deliver(
      `${bot!.url}/lark/events`,
      buildPush({
        encryptKey: ENCRYPT_KEY,
        verificationToken: VERIFICATION_TOKEN,
        payload: messageEvent({
          appId: APP_ID,
          token: VERIFICATION_TOKEN,
          sender: { open_id: 'ou_after' },
          chatId: chat,
          chatType: 'p2p',
          text: '帮助',
          emulator,
        }),
      }),
    );
    await waitFor('the next user answered', () => emulator.messagesTo(chat).length === 1, 30_000);
    await bot!.kill('SIGTERM');
    bot = await startBotProcess(env);
    const again = emulator.p2pChatId('ou_after_restart');
    await deliver(
      `${bot.url}/lark/events`,
      buildPush({
        encryptKey: ENCRYPT_KEY,
        verificationToken: VERIFICATION_TOKEN,
        payload: messageEvent({
          appId: APP_ID,
          token: VERIFICATION_TOKEN,
          sender: { open_id: 'ou_after_restart' },
          chatId: again,
          chatType: 'p2p',
          text: '帮助',
          emulator,
        }),
      }),
    );
    await waitFor('answered after the restart', () => emulator.messagesTo(again).length === 1, 30_000);
    expect((await row()).status).toBe('dead');
    expect(emulator.messagesTo(adminChat).filter((m) => m.content.includes('一条消息处理失败，已停止处理'))).toHaveLength(1);
    tally(
      'poison event (process killed on it every time)',
      `given up after ${DEFAULT_RETRY.maxAttempts} attempts, administrators told once, bot up`,
      true,
      kills,
    );
  });
});
