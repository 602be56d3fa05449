import { describe, expect, it } from 'vitest';
import { parsePickedDateTime } from '../../src/campaigns/schedule.js';

describe('parsePickedDateTime', () => {
  it.each([
    ['2024-07-16 09:00 +0800', '2024-07-16T01:00:00.000Z'],
    ['2024-07-16 09:00', '2024-07-16T01:00:00.000Z'],
    ['2024-07-16 09:00:30', '2024-07-16T01:00:30.000Z'],
    ['2024-07-16 09:00 +08:00', '2024-07-16T01:00:00.000Z'],
    ['2024-07-16 09:00 +0000', '2024-07-16T09:00:00.000Z'],
    ['2024-07-16T09:00Z', '2024-07-16T09:00:00.000Z'],
    ['2024-02-29 23:59', '2024-02-29T15:59:00.000Z'],
  ])('%s is %s', (value, iso) => expect(parsePickedDateTime(value)?.toISOString()).toBe(iso));

  it.each(['', '明天上午', '2024-07-16', '2023-02-29 09:00', '2024-13-01 09:00', '2024-07-16 24:00', '2024-07-16 09:60', '2024/07/16 09:00'])(
    'refuses %j',
    (value) => expect(parsePickedDateTime(value)).toBeUndefined(),
  );
});
