// A broadcast survives the process being SIGKILLed halfway: after the restart the rest of the
// groups receive the notice, none receives it twice, and the report card still reaches "all sent".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, deliver } from '../../src/emulator/signing.js';
import { Applicant, textOf } from '../helpers/applicant.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { APP_ID, APP_SECRET, ENCRYPT_KEY, type Harness, testEnv, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const GROUPS = 300;
const TITLE = '关于开展技能大师工作室申报工作的通知';

describe('broadcast killed halfway (SIGKILL)', () => {
  let emulator: LarkEmulator;
  let testDb: TestDatabase;
  let db: Database;
  let bot: BotProcess | undefined;
  const chats = Array.from({ length: GROUPS }, (_, i) => `oc_crash_group_${String(i).padStart(3, '0')}`);
  const noticesIn = (chatId: string) => emulator.messagesTo(chatId).filter((m) => m.content.includes(TITLE));
  const delivered = () => chats.filter((c) => noticesIn(c).length > 0).length;

  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET, name: '技能大师工作室助手' }] });
    testDb = await createTestDatabase();
    db = openDatabase(testDb.database);
    for (const [i, c] of chats.entries()) emulator.addChat({ chat_id: c, name: `企业群${i}` });
  });
  afterAll(async () => {
    await bot?.kill();
    await db?.close();
    await emulator?.close();
    await testDb?.drop();
  });

  const start = async () =>
    (bot = await startBotProcess(
      testEnv({ LARK_DOMAIN: emulator.url, DATABASE_URL: testDb.database.url, ADMIN_IDS: 'ou_admin', WORKER_LEASE_SECONDS: '1', LOG_LEVEL: 'warn' }),
    ));
  // The applicant helper drives whichever process is running now.
  const viaProcess = {
    push: (payload: object, o: { route?: string } = {}) =>
      deliver(`${bot!.url}${o.route ?? '/lark/events'}`, buildPush({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, payload })),
  };

  it('delivers the rest after a restart and nothing twice', async () => {
    await start();
    Object.assign(viaProcess, { emulator });
    const admin = new Applicant(viaProcess as unknown as Harness, 'ou_admin');
    await waitFor('the start-up sync of the group list', async () => (await db.client.groupChat.count({ where: { active: true } })) === GROUPS, 20_000, 50);
    await admin.say('通知');
    await admin.click((b) => b.value.a === 'b.preview', { title: TITLE, body: '各企业：请按通知要求准备申报材料。', audience: 'all' });
    expect(textOf(admin.card!)).toContain(`将发往 ${GROUPS} 个群`);
    const reportMessage = admin.messageId!;
    await admin.click((b) => b.value.a === 'b.send');

    // At Lark's 50/s, 300 groups take six seconds: kill once about a third have it.
    await waitFor('a third of the groups to receive the notice', () => delivered() >= GROUPS / 3, 30_000, 10);
    expect(await bot!.kill('SIGKILL')).toBe(null);
    const beforeRestart = delivered();
    expect(beforeRestart).toBeLessThan(GROUPS);

    await start();
    await waitFor('every group to receive the notice after the restart', () => delivered() === GROUPS, 60_000, 100);
    await waitFor(
      'the outbox to drain',
      async () => (await db.client.outboxMessage.count({ where: { status: { notIn: ['done', 'dead'] } } })) === 0,
      30_000,
      100,
    );
    for (const c of chats) expect(noticesIn(c)).toHaveLength(1);
    expect(await db.client.outboxMessage.count({ where: { status: 'dead' } })).toBe(0);

    const report = () => emulator.messages.find((m) => m.message_id === reportMessage)!;
    await waitFor('the report card to reach all sent', () => report().content.includes(`已发送 ${GROUPS}`), 20_000);
  });
});
