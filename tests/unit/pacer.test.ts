// Send pacing: 5 per chat and 50 per app in any sliding window, plus per-chat 429 blocks.
import { describe, expect, it } from 'vitest';
import { kindsPacedAs, LARK_LIMITS, type PacedApi, Pacer, type PacerLimits, pacedApi, waitForSlot } from '../../src/outbox/pacer.js';

// The mechanics are shown with round figures (50 a second over 1,050 ms, 1,000 a minute); the
// limits the bot uses stay under Lark's documented ones, with a margin (last test).
const LIMITS: PacerLimits = { perChat: 5, perApp: 50, windowMs: 1_050, perAppPerMinute: 1_000, minuteMs: 60_500 };

describe('LARK_LIMITS', () => {
  it("stays within Lark's documented limits: 5 a second per receiver, 50 a second and 1,000 a minute per app", () => {
    expect(LARK_LIMITS.perChat / (LARK_LIMITS.windowMs / 1000)).toBeLessThanOrEqual(5);
    expect(LARK_LIMITS.perApp / (LARK_LIMITS.windowMs / 1000)).toBeLessThan(50);
    expect(LARK_LIMITS.perAppPerMinute / (LARK_LIMITS.minuteMs / 60_000)).toBeLessThan(1000);
    // Spread out: never more than 48 calls in any second, two under the limit for arrivals bunched on the way.
    expect(Math.floor(1000 / (LARK_LIMITS.spacingMs ?? 0)) + 1).toBeLessThanOrEqual(48);
  });
});

describe('waitForSlot', () => {
  it.each<[string, number[], number, number, number, number]>([
    ['no history', [], 5, 1000, 10_000, 0],
    ['under the limit', [9_500, 9_600, 9_700, 9_800], 5, 1000, 10_000, 0],
    ['at the limit, oldest 600 ms ago', [9_400, 9_500, 9_600, 9_700, 9_800], 5, 1000, 10_000, 400],
    ['at the limit, all at once', [10_000, 10_000, 10_000, 10_000, 10_000], 5, 1000, 10_000, 1000],
    ['over the limit: waits for the one that makes room', [9_100, 9_200, 9_300, 9_400, 9_500, 9_600], 5, 1000, 10_000, 200],
    ['old entries outside the window are ignored', [1_000, 2_000, 8_000, 9_999, 9_500, 9_600, 9_700], 5, 1000, 10_000, 0],
    ['an entry exactly one window old has expired', [9_000, 9_500, 9_600, 9_700, 9_800], 5, 1000, 10_000, 0],
    ['an entry 1 ms inside the window still counts', [9_001, 9_500, 9_600, 9_700, 9_800], 5, 1000, 10_000, 1],
    ['limit 1', [9_990], 1, 1050, 10_000, 1040],
    ['Lark limits, 5 sends 100 ms ago', [9_900, 9_900, 9_900, 9_900, 9_900], LIMITS.perChat, LIMITS.windowMs, 10_000, 950],
  ])('%s → %i ms', (_name, times, limit, windowMs, now, expected) => {
    expect(waitForSlot(times, limit, windowMs, now)).toBe(expected);
  });

  it('never asks for a negative wait', () => {
    for (let now = 0; now < 3000; now += 37) expect(waitForSlot([0, 100, 200, 300, 400], 5, 1000, now)).toBeGreaterThanOrEqual(0);
  });
});

/**
 * A fake clock whose sleepers wake in time order, as real timers would. Sleepers due at the same
 * moment wake in the order they fell asleep, or with `ties: 'latest first'` in the reverse order:
 * Node promises no order between timers of different lengths that fall due together.
 */
class FakeTime {
  now = 0;
  constructor(private readonly ties: 'in order' | 'latest first' = 'in order') {}
  readonly #sleepers: { wake: number; seq: number; resolve: () => void }[] = [];
  #seq = 0;
  readonly sleeps: number[] = [];

  readonly clock = (): number => this.now;
  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.#sleepers.push({ wake: this.now + ms, seq: this.#seq++, resolve }));
  };

  /** Runs until every promise in `work` has settled, advancing the clock only when all are asleep. */
  async run<T>(work: Promise<T>[]): Promise<T[]> {
    let settled = false;
    const all = Promise.all(work).finally(() => {
      settled = true;
    });
    for (;;) {
      // Every microtask runs before a macrotask: all that can go on without the clock has gone on.
      await new Promise((r) => setImmediate(r));
      if (settled) return all;
      this.#sleepers.sort((a, b) => a.wake - b.wake || (this.ties === 'in order' ? a.seq - b.seq : b.seq - a.seq));
      const next = this.#sleepers.shift();
      if (!next) throw new Error('deadlock: nothing settled and nobody is asleep');
      this.now = Math.max(this.now, next.wake);
      next.resolve();
    }
  }
}

/** The largest number of events in any window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

function setup(limits: PacerLimits = LIMITS, ties: 'in order' | 'latest first' = 'in order') {
  const time = new FakeTime(ties);
  const pacer = new Pacer(limits, time.clock, time.sleep);
  const sent: { chat: string; at: number }[] = [];
  const send = async (chat: string) => {
    await pacer.acquire(chat);
    sent.push({ chat, at: time.now });
  };
  return { time, pacer, sent, send };
}

describe('Pacer', () => {
  it('12 sequential sends to one chat: 5 at once, 5 after one window, 2 after two', async () => {
    const { time, sent, send } = setup();
    await time.run([
      (async () => {
        for (let i = 0; i < 12; i++) await send('oc_one');
      })(),
    ]);
    expect(sent.map((s) => s.at)).toEqual([0, 0, 0, 0, 0, 1050, 1050, 1050, 1050, 1050, 2100, 2100]);
    expect(
      maxInWindow(
        sent.map((s) => s.at),
        1050,
      ),
    ).toBe(5);
    expect(time.now).toBe(2100);
  });

  it('12 concurrent sends to one chat never exceed 5 in any 1050 ms window and finish at 2100 ms', async () => {
    const { time, sent, send } = setup();
    await time.run(Array.from({ length: 12 }, () => send('oc_one')));
    expect(sent).toHaveLength(12);
    expect(
      maxInWindow(
        sent.map((s) => s.at),
        1050,
      ),
    ).toBeLessThanOrEqual(5);
    expect(Math.max(...sent.map((s) => s.at))).toBe(2100);
  });

  it('60 sends across 60 chats: 50 at once, the other 10 one window later', async () => {
    const { time, sent, send } = setup();
    await time.run(Array.from({ length: 60 }, (_, i) => send(`oc_${i}`)));
    const times = sent.map((s) => s.at);
    expect(maxInWindow(times, 1050)).toBe(50);
    expect(times.filter((t) => t === 0)).toHaveLength(50);
    expect(times.filter((t) => t === 1050)).toHaveLength(10);
    expect(new Set(sent.map((s) => s.chat)).size).toBe(60);
  });

  it('mixed load: both the per-chat and the app limit hold at once', async () => {
    const { time, sent, send } = setup();
    const work = [];
    for (let chat = 0; chat < 15; chat++) for (let i = 0; i < 8; i++) work.push(send(`oc_${chat}`));
    await time.run(work);
    expect(sent).toHaveLength(120);
    expect(
      maxInWindow(
        sent.map((s) => s.at),
        1050,
      ),
    ).toBeLessThanOrEqual(50);
    for (let chat = 0; chat < 15; chat++) {
      expect(
        maxInWindow(
          sent.filter((s) => s.chat === `oc_${chat}`).map((s) => s.at),
          1050,
        ),
      ).toBeLessThanOrEqual(5);
    }
  });

  it('sends to different chats do not wait for each other under the app limit', async () => {
    const { time, sent, send } = setup();
    await time.run(['a', 'b', 'c'].flatMap((chat) => Array.from({ length: 5 }, () => send(chat))));
    expect(sent.every((s) => s.at === 0)).toBe(true);
    expect(time.sleeps).toEqual([]);
  });

  it('block(chat, until) delays only that chat, until exactly that time', async () => {
    const { time, pacer, sent, send } = setup();
    pacer.block('oc_limited', 3_000);
    await time.run([send('oc_limited'), send('oc_other'), send('oc_other')]);
    expect(sent).toEqual([
      { chat: 'oc_other', at: 0 },
      { chat: 'oc_other', at: 0 },
      { chat: 'oc_limited', at: 3_000 },
    ]);
  });

  it('a shorter block never shortens a longer one; a block in the past is harmless', async () => {
    const { time, pacer, sent, send } = setup();
    pacer.block('oc_x', 2_000);
    pacer.block('oc_x', 500);
    pacer.block('oc_y', -10);
    await time.run([send('oc_x'), send('oc_y')]);
    expect(sent).toEqual([
      { chat: 'oc_y', at: 0 },
      { chat: 'oc_x', at: 2_000 },
    ]);
  });

  it('after a block expires the chat is paced normally again', async () => {
    const { time, pacer, sent, send } = setup();
    pacer.block('oc_x', 100);
    await time.run(Array.from({ length: 7 }, () => send('oc_x')));
    expect(sent.map((s) => s.at)).toEqual([100, 100, 100, 100, 100, 1150, 1150]);
  });

  it('1,200 sends across 1,200 chats: 50 a second, and no more than 1,000 in any minute (Lark: 1000 次/分钟)', async () => {
    const { time, sent, send } = setup();
    await time.run(Array.from({ length: 1_200 }, (_, i) => send(`oc_${i}`)));
    const times = sent.map((s) => s.at);
    expect(sent).toHaveLength(1_200);
    expect(maxInWindow(times, 1050)).toBe(50);
    expect(maxInWindow(times, 60_500)).toBe(1_000);
    // The first thousand within 20 windows; the rest once the first minute has passed.
    expect(times.filter((t) => t < 21_000)).toHaveLength(1_000);
    expect(Math.min(...times.filter((t) => t >= 21_000))).toBe(60_500);
  });

  it('honours custom limits', async () => {
    const { time, sent, send } = setup({ perChat: 2, perApp: 3, windowMs: 100, perAppPerMinute: 0, minuteMs: 60_000 });
    await time.run(['a', 'a', 'a', 'b', 'b'].map(send));
    expect(
      maxInWindow(
        sent.map((s) => s.at),
        100,
      ),
    ).toBeLessThanOrEqual(3);
    expect(
      maxInWindow(
        sent.filter((s) => s.chat === 'a').map((s) => s.at),
        100,
      ),
    ).toBeLessThanOrEqual(2);
    expect(sent).toHaveLength(5);
    expect(Math.max(...sent.map((s) => s.at))).toBe(100);
  });

  it('does not wait past maxWaitMs: it says how long is left, and counts nothing', async () => {
    const { pacer } = setup();
    for (let i = 0; i < 5; i++) expect(await pacer.acquire('oc_busy', 0)).toBe(0);
    expect(await pacer.acquire('oc_busy', 500)).toBe(1050);
    // Nothing was counted: another chat still has the app's whole window but five.
    for (let i = 0; i < 45; i++) expect(await pacer.acquire(`oc_${i}`, 0)).toBe(0);
    expect(await pacer.acquire('oc_46', 0)).toBe(1050);
  });

  it('after the app’s 429 everyone waits for the reset; after a receiver’s limit only that receiver', async () => {
    const { pacer, time } = setup();
    pacer.block('oc_throttled', time.now + 2_000);
    expect(await pacer.acquire('oc_throttled', 0)).toBe(2_000);
    expect(await pacer.acquire('oc_other', 0)).toBe(0);
    pacer.blockAll(time.now + 3_000);
    expect(await pacer.acquire('oc_other', 0)).toBe(3_000);
    expect(await pacer.acquire('oc_third', 0)).toBe(3_000);
  });

  // 频控策略: 「频控策略等级都是应用于每个 API、每个应用、每个租户的基础上」.
  it('counts each API against its own app-wide quota: 50 sends and 50 patches at once both go at once', async () => {
    const { time, pacer } = setup();
    const at: { api: string; at: number }[] = [];
    const call = async (chat: string, api: 'im.message.create' | 'im.message.patch') => {
      await pacer.acquire(chat, Number.POSITIVE_INFINITY, api);
      at.push({ api, at: time.now });
    };
    await time.run([
      ...Array.from({ length: 51 }, (_, i) => call(`oc_s${i}`, 'im.message.create')),
      ...Array.from({ length: 50 }, (_, i) => call(`oc_p${i}`, 'im.message.patch')),
    ]);
    expect(at.filter((c) => c.api === 'im.message.patch').every((c) => c.at === 0)).toBe(true);
    const sends = at.filter((c) => c.api === 'im.message.create').map((c) => c.at);
    expect(sends.filter((t) => t === 0)).toHaveLength(50);
    expect(sends.filter((t) => t === LIMITS.windowMs)).toHaveLength(1);
  });

  it('with a spacing: the first half of a second goes at once, then calls leave evenly, never in a burst, within the windows', async () => {
    const { time, sent, send } = setup({ ...LIMITS, perApp: 48, spacingMs: 22 });
    await time.run(Array.from({ length: 200 }, (_, i) => send(`oc_${i}`)));
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    expect(times.filter((t) => t === 0)).toHaveLength(24);
    for (let i = 24; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(22);
    expect(maxInWindow(times, 1050)).toBeLessThanOrEqual(48);
  });

  it('below half the second, a call goes at once: 20 a second, one every 50 ms, none waits', async () => {
    const { time, pacer } = setup({ ...LIMITS, spacingMs: 21 });
    for (let i = 0; i < 100; i++) {
      time.now = i * 50;
      expect(await pacer.acquire(`oc_${i}`, 0)).toBe(0);
    }
  });

  it.each(['in order', 'latest first'] as const)(
    'first come, first served (timers due together wake %s): with 240 waiting (5 s at the pace), each gets its slot in turn and none gives up',
    async (ties) => {
      const { time, pacer } = setup({ ...LIMITS, perApp: 50, spacingMs: 22 }, ties);
      const order: number[] = [];
      const waits = await time.run(
        Array.from({ length: 240 }, async (_, i) => {
          const wait = await pacer.acquire(`oc_${i}`, 5_300, 'im.message.create');
          if (wait === 0) order.push(i);
          return wait;
        }),
      );
      expect(waits.every((w) => w === 0)).toBe(true);
      expect(order).toEqual(Array.from({ length: 240 }, (_, i) => i));
      // 25 at once, 25 more one spacing apart, the window full until the first 25 leave it at 1,050 ms, then one every 22 ms.
      expect(time.now).toBe(1_050 + 189 * 22);
    },
  );

  it('one that would wait past its limit gives up at once, and those behind it are not held up', async () => {
    const { time, pacer } = setup({ ...LIMITS, perApp: 1_000, perAppPerMinute: 0, spacingMs: 21 });
    // Half the second's calls used: from here on calls leave one spacing apart.
    for (let i = 0; i < 500; i++) expect(await pacer.acquire(`oc_before_${i}`, 0)).toBe(0);
    const at: Record<string, number> = {};
    const waits = await time.run([
      ...Array.from({ length: 10 }, (_, i) => pacer.acquire(`oc_${i}`, 1_000).then((w) => ((at[`oc_${i}`] = time.now), w))),
      pacer.acquire('oc_hurried', 0).then((w) => ((at.oc_hurried = time.now), w)),
      pacer.acquire('oc_after', 1_000).then((w) => ((at.oc_after = time.now), w)),
    ]);
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(Array.from({ length: 10 }, (_, i) => at[`oc_${i}`])).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 21));
    expect(waits[10]).toBeGreaterThan(0); // ten ahead of it, one spacing apart: it does not wait
    expect(at.oc_hurried).toBe(0);
    expect(waits[11]).toBe(0);
    expect(at.oc_after).toBe(11 * 21);
  });

  it("a receiver's own limit is waited out of line: messages to others go meanwhile", async () => {
    const { time, sent, send } = setup();
    await time.run([...Array.from({ length: 6 }, () => send('oc_busy')), ...Array.from({ length: 5 }, (_, i) => send(`oc_other_${i}`))]);
    const busy = sent.filter((s) => s.chat === 'oc_busy').map((s) => s.at);
    expect(busy.filter((t) => t === 0)).toHaveLength(5);
    expect(busy.at(-1)).toBe(LIMITS.windowMs);
    expect(sent.filter((s) => s.chat.startsWith('oc_other')).every((s) => s.at === 0)).toBe(true);
  });

  it('a refused call is given back: near the minute limit, a refusal does not hold the last calls for a minute', async () => {
    const limits: PacerLimits = { perChat: 5, perApp: 50, windowMs: 1_000, perAppPerMinute: 10, minuteMs: 60_000 };
    const { time, pacer } = setup(limits);
    for (let i = 0; i < 10; i++) expect(await pacer.acquire(`oc_${i}`, 0, 'im.message.create')).toBe(0);
    expect(await pacer.acquire('oc_x', 0, 'im.message.create')).toBe(60_000);
    pacer.refund('im.message.create');
    expect(await pacer.acquire('oc_x', 0, 'im.message.create')).toBe(0);
    expect(time.now).toBe(0);
  });

  it("a 429 on one API holds that API's calls only", async () => {
    const { time, pacer } = setup();
    pacer.blockAll(time.now + 2_000, 'im.message.patch');
    expect(await pacer.acquire('oc_a', 0, 'im.message.patch')).toBe(2_000);
    expect(await pacer.acquire('oc_a', 0, 'im.message.create')).toBe(0);
    expect(await pacer.acquire('oc_b', 0)).toBe(0);
  });
});

describe('pacedApi', () => {
  it.each([
    ['send', 'im.message.create'],
    ['file', 'im.message.create'],
    ['image', 'im.message.create'],
    ['reply', 'im.message.reply'],
    ['patch', 'im.message.patch'],
    ['card_update', 'card.update'],
  ])('%s → %s', (kind, api) => expect(pacedApi(kind)).toBe(api));
});

describe('appWait (how long the whole API is used up, whoever the message is to)', () => {
  const limits: PacerLimits = { perChat: 5, perApp: 50, windowMs: 1_000, perAppPerMinute: 10, minuteMs: 60_000 };

  it('is 0 while the windows have room, and counts only the app-wide limits, not one receiver’s', async () => {
    let now = 1_000;
    const pacer = new Pacer(limits, () => now);
    expect(pacer.appWait('im.message.create')).toBe(0);
    for (let i = 0; i < 5; i++) expect(await pacer.acquire('oc_one', 0, 'im.message.create')).toBe(0);
    // oc_one has had its 5 this second; the API has room for 5 more this minute.
    expect(await pacer.acquire('oc_one', 0, 'im.message.create')).toBeGreaterThan(0);
    expect(pacer.appWait('im.message.create')).toBe(0);
    for (let i = 0; i < 5; i++) expect(await pacer.acquire(`oc_other_${i}`, 0, 'im.message.create')).toBe(0);
    // Ten in the minute: used up until the first leaves the window, for every receiver.
    now += 500;
    expect(pacer.appWait('im.message.create')).toBe(59_500);
    expect(await pacer.acquire('oc_new', 0, 'im.message.create')).toBe(59_500);
    // Other APIs are counted apart.
    expect(pacer.appWait('im.message.reply')).toBe(0);
  });

  it("includes a 429's reset", () => {
    const now = 5_000;
    const pacer = new Pacer(limits, () => now);
    pacer.blockAll(now + 2_500, 'card.update');
    expect(pacer.appWait('card.update')).toBe(2_500);
    expect(pacer.appWait('im.message.patch')).toBe(0);
  });
});

describe('kindsPacedAs', () => {
  it.each<[PacedApi, string[]]>([
    ['im.message.create', ['send', 'file', 'image']],
    ['im.message.reply', ['reply']],
    ['im.message.patch', ['patch']],
    ['card.update', ['card_update']],
    ['default', []],
  ])('%s → %j', (api, kinds) => {
    expect(kindsPacedAs(api)).toEqual(kinds);
    for (const k of kinds) expect(pacedApi(k)).toBe(api);
  });
});
