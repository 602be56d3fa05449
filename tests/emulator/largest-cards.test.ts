// The largest card every builder can produce, sent and patched through the bot's own messenger
// (the real SDK over HTTP) to the strict emulator, which measures the request body as Lark does:
// none is refused, and no request is over 30 KB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { createMessenger, type Messenger } from '../../src/lark/messenger.js';
import { createLogger } from '../../src/log.js';
import { largestCards } from '../helpers/worst-cards.js';

const LIMIT = 30 * 1024;

describe('the largest card of every builder through the strict emulator', () => {
  let emu: LarkEmulator;
  let messenger: Messenger;
  const cards = largestCards();

  beforeAll(async () => {
    // Only sizes are under test here: the per-app rates are lifted (the outbox paces real sends).
    emu = await startLarkEmulator({ apps: [{ appId: 'cli_cards', appSecret: 's' }], perAppQps: 100_000, perAppPerMinute: 100_000 });
    messenger = createMessenger({ appId: 'cli_cards', appSecret: 's', domain: emu.url, verificationToken: 'v', encryptKey: undefined }, createLogger('silent'));
  });
  afterAll(async () => emu?.close());

  it(`sends and patches all ${cards.length} of them; the largest request stays under 30 KB`, async () => {
    let largest = { name: '', bytes: 0 };
    for (const [i, [name, card]] of cards.entries()) {
      const to = `ou_${String(i).padStart(32, '0')}`;
      const sent = await messenger.send({ receiveIdType: 'open_id', receiveId: to, msgType: 'interactive', content: JSON.stringify(card), uuid: `u${i}` });
      await messenger.patchCard({ messageId: sent.messageId, content: JSON.stringify(card) });
      const [send, patch] = emu.calls.slice(-2);
      for (const call of [send!, patch!]) {
        expect(call.code, `${name}: ${call.method} answered ${call.code}`).toBe(0);
        expect(call.bytes, `${name}: ${call.method} request of ${call.bytes} bytes`).toBeLessThanOrEqual(LIMIT);
        if (call.bytes > largest.bytes) largest = { name, bytes: call.bytes };
      }
    }
    expect(emu.calls.filter((c) => c.code === 230025)).toEqual([]);
    console.log(`largest request: ${largest.bytes} bytes (${largest.name}) of ${cards.length} cards`);
  });
});
