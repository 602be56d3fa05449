// Lark misbehaving: for the whole run the emulator answers at random with 429 (and its reset
// header), 500, slow answers and expired tokens. Every one of 300 users still gets exactly one
// reply in the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent } from '../../src/emulator/signing.js';
import { APP_ID, type Harness, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { tally } from './tally.js';

const USERS = 300;

describe('a misbehaving Lark', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('every message is delivered exactly once in the end', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const injected = { '429': 0, '500': 0, slow: 0, 'expired token': 0 };
    // Faults keep coming while the events are pushed and for a while after (about 1 in 5 calls):
    // each message meets a few of them, as in a bad minute on Lark's side.
    const chaos = setInterval(() => {
      const r = random();
      if (r < 0.3) {
        h.emulator.injectFault({
          method: 'POST',
          path: '/open-apis/im/v1/messages',
          times: 3,
          status: 429,
          code: 99991400,
          msg: 'request trigger frequency limit',
          headers: { 'x-ogw-ratelimit-reset': '1' },
        });
        injected['429'] += 3;
      } else if (r < 0.6) {
        h.emulator.injectFault({ method: 'POST', path: '/open-apis/im/v1/messages', times: 3, status: 500, code: 1000, msg: 'internal error' });
        injected['500'] += 3;
      } else if (r < 0.8) {
        h.emulator.injectFault({ method: 'POST', path: '/open-apis/im/v1/messages', times: 2, status: 200, delayMs: 1_500 });
        injected.slow += 2;
      } else {
        h.emulator.invalidateTokens();
        injected['expired token'] += 1;
      }
    }, 400);
    try {
      const users = Array.from({ length: USERS }, (_, i) => `ou_chaos_${i}`);
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < users.length) {
            const u = users[next++]!;
            const res = await h.push(
              messageEvent({
                appId: APP_ID,
                token: VERIFICATION_TOKEN,
                sender: { open_id: u },
                chatId: h.emulator.p2pChatId(u),
                chatType: 'p2p',
                text: '帮助',
                emulator: h.emulator,
              }),
            );
            expect(res.status).toBe(200);
          }
        }),
      );
      await new Promise((r) => setTimeout(r, 10_000));
      clearInterval(chaos);
      await waitFor('a reply to every user', () => users.every((u) => h.emulator.messagesTo(h.emulator.p2pChatId(u)).length >= 1), 240_000, 250);
      await new Promise((r) => setTimeout(r, 2_000));
      const wrong = users.filter((u) => h.emulator.messagesTo(h.emulator.p2pChatId(u)).length !== 1);
      expect(wrong).toEqual([]);
      for (const [kind, n] of Object.entries(injected)) tally('Lark misbehaving', `${kind} answers injected`, true, n);
      tally('Lark misbehaving', 'messages delivered exactly once', wrong.length === 0, USERS);
    } finally {
      clearInterval(chaos);
    }
  });
});
