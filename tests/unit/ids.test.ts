// Time-ordered row ids for the inbox and outbox: valid UUIDs of version 7 (Lark takes the outbox id
// as its 50-character idempotency uuid), unique, and sorted by creation time across milliseconds.
import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../src/db/ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID of version 7 with the RFC 9562 variant, 36 characters', () => {
    for (let i = 0; i < 1000; i++) expect(timeOrderedId()).toMatch(V7);
  });

  it.each([0, 1, Date.parse('2026-12-06T07:20:28.076Z'), 2 ** 48 - 1])('carries the milliseconds %i in its first 48 bits', (ms) => {
    expect(Number.parseInt(timeOrderedId(ms).replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('sorts by time across milliseconds and never repeats', () => {
    const start = Date.parse('2026-12-06T00:00:00Z');
    const ids = Array.from({ length: 5000 }, (_, i) => timeOrderedId(start + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true);
  });
});
