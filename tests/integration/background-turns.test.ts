// Background work (retention, the minute tick, the workers) must let the event loop read sockets
// between its statements. On SQLite every statement answers synchronously, so a loop of awaited
// statements never waited for I/O: at province scale a first retention pass held the loop for 26 s
// and every click in that time waited for it. Each test waits for a condition, bounded by a deadline.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Database, loopTurnedWithin, SQLITE_TURN_MS } from '../../src/db/database.js';
import { useMigratedDatabase } from '../helpers/database.js';

const DEADLINE_MS = 20_000;

describe('background statements and the event loop', () => {
  const database = useMigratedDatabase();
  let db: Database;
  beforeAll(() => {
    db = database();
  });

  it('a timer set when a chain of background statements starts fires while the chain runs', async () => {
    let fired = false;
    setTimeout(() => (fired = true), 0);
    const started = performance.now();
    let statements = 0;
    while (!fired && performance.now() - started < DEADLINE_MS) {
      await db.client.counter.findUnique({ where: { key: 'nothing' } });
      statements++;
    }
    expect(fired).toBe(true);
    expect(statements).toBeGreaterThan(0);
  });

  it('a click that arrives during a chain of background writes is answered before the chain ends', async () => {
    let answered = false;
    setTimeout(() => {
      void db.urgent(() => db.client.counter.findUnique({ where: { key: 'background' } })).then(() => (answered = true));
    }, 0);
    const started = performance.now();
    let writes = 0;
    while (!answered && performance.now() - started < DEADLINE_MS) {
      await db.client.counter.upsert({ where: { key: 'background' }, create: { key: 'background', value: 1 }, update: { value: { increment: 1 } } });
      writes++;
    }
    expect(answered).toBe(true);
    expect((await db.client.counter.findUniqueOrThrow({ where: { key: 'background' } })).value).toBe(writes);
  });
});

describe('loopTurnedWithin', () => {
  // Turns of the loop until it reports a recent turn (on a busy machine a pause may fall between the stamp and the check).
  const untilTurned = async () => {
    const deadline = performance.now() + DEADLINE_MS;
    while (!loopTurnedWithin(SQLITE_TURN_MS) && performance.now() < deadline) await new Promise((r) => setImmediate(r));
    return loopTurnedWithin(SQLITE_TURN_MS);
  };

  it('is false after the loop was kept busy longer than the limit, true again after a turn', async () => {
    expect(await untilTurned()).toBe(true);
    const busyUntil = performance.now() + SQLITE_TURN_MS * 2;
    while (performance.now() < busyUntil) {
      /* a synchronous stretch, as a chain of SQLite statements is */
    }
    expect(loopTurnedWithin(SQLITE_TURN_MS)).toBe(false);
    expect(await untilTurned()).toBe(true);
  });
});
