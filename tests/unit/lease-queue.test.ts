// Retry backoff of the lease queue: exponential, capped, with ±20 % jitter.
import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from '../../src/queue/lease-queue.js';

describe('backoffMs', () => {
  const policy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 };

  it.each<[number, number, number]>([
    // attempt, random(), expected ms
    [1, 0.5, 1_000],
    [2, 0.5, 2_000],
    [3, 0.5, 4_000],
    [4, 0.5, 8_000],
    [6, 0.5, 32_000],
    [7, 0.5, 60_000], // 64 s capped at 60 s
    [30, 0.5, 60_000],
    [1, 0, 800], // -20 %
    [3, 0, 3_200],
    [1, 0.999_999, 1_200], // just under +20 %
    [3, 0.25, 3_600],
    [0, 0.5, 1_000], // attempt 0 treated like the first
    [-3, 0.5, 1_000],
  ])('attempt %i, random %f → %i ms', (attempt, r, expected) => {
    expect(backoffMs(attempt, policy, () => r)).toBe(expected);
  });

  it('grows monotonically with a fixed random until the cap', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffMs(i + 1, DEFAULT_RETRY, () => 0.5));
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('stays within ±20 % of the nominal delay for any random value', () => {
    for (const r of [0, 0.1, 0.33, 0.5, 0.77, 0.999]) {
      for (let attempt = 1; attempt <= 10; attempt++) {
        const nominal = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
        const d = backoffMs(attempt, DEFAULT_RETRY, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.round(nominal * 0.8));
        expect(d).toBeLessThanOrEqual(Math.round(nominal * 1.2));
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it('uses Math.random by default and returns a whole number of ms', () => {
    const d = backoffMs(2, DEFAULT_RETRY);
    expect(d).toBeGreaterThanOrEqual(1_600);
    expect(d).toBeLessThanOrEqual(2_400);
    expect(Number.isInteger(d)).toBe(true);
  });
});
