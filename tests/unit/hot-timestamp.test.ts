// Timestamps read through the hot path: every form a row can hold them in is the same instant.
import { describe, expect, it } from 'vitest';
import { hotTimestamp } from '../../src/db/database.js';

const INSTANT = Date.parse('2026-12-06T07:20:28.076Z');

describe('hotTimestamp', () => {
  it.each<[string, Date | string | number]>([
    ['a Date (PostgreSQL, read as UTC)', new Date(INSTANT)],
    ['ISO text with the +00:00 offset (as Prisma stores it on SQLite)', '2026-12-06T07:20:28.076+00:00'],
    ['ISO text with Z', '2026-12-06T07:20:28.076Z'],
    ['ISO text with another offset', '2026-12-06T15:20:28.076+08:00'],
    ["SQLite's CURRENT_TIMESTAMP form, which is UTC without a zone", '2026-12-06 07:20:28.076'],
    ['milliseconds since the epoch', INSTANT],
  ])('%s', (_, value) => {
    expect(hotTimestamp(value)!.getTime()).toBe(INSTANT);
  });

  it('whole seconds in the CURRENT_TIMESTAMP form', () => {
    expect(hotTimestamp('2026-12-06 07:20:28')!.toISOString()).toBe('2026-12-06T07:20:28.000Z');
  });

  it.each([null, undefined])('%s stays null', (v) => {
    expect(hotTimestamp(v)).toBeNull();
  });
});
