// A flood of pushes: the gauge that notices it, and the worker that then steps aside.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Claimed, LeaseQueue, QueueRow } from '../../src/queue/lease-queue.js';
import { pushPressure } from '../../src/queue/pressure.js';
import { QueueWorker } from '../../src/queue/worker.js';

describe('pushPressure', () => {
  // pushes per 100 ms window over consecutive windows → flooded after the last window?
  it.each<[string, number[], boolean]>([
    ['quiet', [1, 0, 2, 1], false],
    ['a deadline rush well under 200/s', [15, 15, 15, 15], false],
    ['exactly at the limit (40 in two windows)', [20, 20], false],
    ['just over the limit', [20, 21], true],
    ['a burst within one window', [0, 0, 41], true],
    ['a flood that stopped one window ago still counts', [50, 0], true],
    ['a flood that stopped two windows ago is over', [50, 0, 0], false],
    ['a sustained flood', [300, 300, 300], true],
  ])('%s', (_name, perWindow, flooded) => {
    let t = 0;
    const gauge = pushPressure({ perSecond: 200, windowMs: 100, now: () => t });
    perWindow.forEach((n, w) => {
      t = w * 100 + 1;
      for (let i = 0; i < n; i++) gauge.note();
    });
    t += 1;
    expect(gauge.flooded()).toBe(flooded);
  });

  it('forgets a flood after a long silence', () => {
    let t = 0;
    const gauge = pushPressure({ perSecond: 200, windowMs: 100, now: () => t });
    for (let i = 0; i < 500; i++) gauge.note();
    expect(gauge.flooded()).toBe(true);
    t = 10_000;
    expect(gauge.flooded()).toBe(false);
  });
});

interface Row extends QueueRow {
  n: number;
}

/** An in-memory queue with the claim/release surface the worker uses. */
function memoryQueue(total: number) {
  const rows: Row[] = Array.from({ length: total }, (_, i) => ({ seq: i, id: `r${i}`, status: 'pending', attempts: 0, leaseOwner: null, n: i }));
  const claims: { at: number; size: number }[] = [];
  const queue = {
    claim: async (limit: number): Promise<Claimed<Row>[]> => {
      const taken = rows.splice(0, limit).map((r) => ({ ...r, lease: 'l' }));
      if (taken.length) claims.push({ at: performance.now(), size: taken.length });
      return taken;
    },
    release: async () => undefined,
  } as unknown as LeaseQueue<Row>;
  return { queue, claims, left: () => rows.length };
}

describe('QueueWorker during a flood', () => {
  const log = createLogger('fatal');

  it('takes one row at a time, spaced out, while flooded; full concurrency once it is over', async () => {
    const { queue, claims, left } = memoryQueue(40);
    let flooded = true;
    let running = 0;
    let most = 0;
    const worker = new QueueWorker(
      queue,
      async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
      { name: 'test', concurrency: 8, pollMs: 20, log, yieldWhile: () => flooded, yieldGapMs: 30 },
    );
    worker.start();
    await new Promise((r) => setTimeout(r, 200));
    const duringFlood = claims.length;
    expect(most).toBe(1);
    expect(duringFlood).toBeGreaterThanOrEqual(2);
    expect(duringFlood).toBeLessThanOrEqual(8); // ~200 ms / 30 ms, not all 40
    for (let i = 1; i < claims.length; i++) expect(claims[i]!.at - claims[i - 1]!.at).toBeGreaterThanOrEqual(25);
    flooded = false;
    worker.notify();
    for (let i = 0; i < 100 && left() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(left()).toBe(0);
    expect(most).toBe(8);
    expect(claims.slice(duringFlood).some((c) => c.size > 1)).toBe(true);
  });

  it('stops promptly while pausing', async () => {
    const { queue } = memoryQueue(5);
    const worker = new QueueWorker(queue, async () => undefined, { name: 'test', concurrency: 4, pollMs: 20, log, yieldWhile: () => true, yieldGapMs: 60_000 });
    worker.start();
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await worker.stop();
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
