// Crashes under load: 2,000 events pushed while the bot (a real process) is SIGKILLed at random
// moments — at least five times — and restarted. Events Lark sent while the bot was down are
// re-delivered, as Lark does. Afterwards every event has had its effect exactly once (one reply per
// user) and no message was sent twice (counted at the emulator, by chat and by uuid).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, deliver, messageEvent, type Push } from '../../src/emulator/signing.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { APP_ID, APP_SECRET, ENCRYPT_KEY, testEnv, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { type BotProcess, startBotProcess } from '../helpers/process.js';
import { tally } from './tally.js';

const EVENTS = Number(process.env.RELIABILITY_EVENTS ?? 2_000);
const KILLS = 5;

describe('SIGKILL at random moments during a 2,000-event load', () => {
  let emulator: LarkEmulator;
  let testDb: TestDatabase;
  let bot: BotProcess | undefined;
  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET }] });
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await bot?.kill();
    await emulator?.close();
    await testDb?.drop();
  });

  it('every event answered exactly once, nothing sent twice', async () => {
    const env = testEnv({ LARK_DOMAIN: emulator.url, DATABASE_URL: testDb.database.url, WORKER_LEASE_SECONDS: '1', LOG_LEVEL: 'error' });
    const users = Array.from({ length: EVENTS }, (_, i) => `ou_storm_${i}`);
    const pushes: Push[] = users.map((u) =>
      buildPush({
        encryptKey: ENCRYPT_KEY,
        verificationToken: VERIFICATION_TOKEN,
        payload: messageEvent({
          appId: APP_ID,
          token: VERIFICATION_TOKEN,
          sender: { open_id: u },
          chatId: emulator.p2pChatId(u),
          chatType: 'p2p',
          text: '帮助',
          emulator,
        }),
      }),
    );
    const acknowledged = new Set<number>();
    bot = await startBotProcess(env);
    // Random kill moments spread over the load (seeded: the run can be repeated).
    let seed = 20261121;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const killAt = new Set(Array.from({ length: KILLS }, (_, k) => Math.floor(((k + random()) / KILLS) * EVENTS * 0.9)));
    let kills = 0;
    // Lark pushes each event until it is acknowledged with a 200 (re-delivery after a failure).
    for (let round = 0; acknowledged.size < EVENTS && round < 50; round++) {
      let next = 0;
      const pending = [...Array(EVENTS).keys()].filter((i) => !acknowledged.has(i));
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < pending.length) {
            const i = pending[next++]!;
            if (killAt.has(i) && kills < KILLS && bot) {
              killAt.delete(i);
              kills++;
              const dying = bot;
              bot = undefined;
              await dying.kill('SIGKILL');
              bot = await startBotProcess(env);
            }
            if (!bot) continue;
            const res = await deliver(`${bot.url}/lark/events`, pushes[i]!).catch(() => ({ status: 0 }));
            if (res.status === 200) acknowledged.add(i);
          }
        }),
      );
    }
    expect(kills).toBe(KILLS);
    expect(acknowledged.size).toBe(EVENTS);
    await waitFor('a reply to every user', () => users.every((u) => emulator.messagesTo(emulator.p2pChatId(u)).length >= 1), 240_000, 250);
    await new Promise((r) => setTimeout(r, 3_000)); // anything late and duplicate would show by now
    const twice = users.filter((u) => emulator.messagesTo(emulator.p2pChatId(u)).length !== 1);
    const uuids = emulator.calls
      .filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && c.status === 200)
      .map((c) => (c.body as { uuid?: string }).uuid);
    expect(twice).toEqual([]);
    expect(emulator.messages.filter((m) => m.sender_type === 'app')).toHaveLength(EVENTS);
    tally('crashes (SIGKILL)', `processes killed at random during ${EVENTS} events`, kills === KILLS, kills);
    tally('crashes (SIGKILL)', 'events answered exactly once', twice.length === 0, EVENTS);
    tally('crashes (SIGKILL)', 'sends Lark accepted (resends deduplicated by uuid)', new Set(uuids).size === EVENTS, uuids.length);
  });
});
