// readLimited stops pulling as soon as the limit is passed.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLimited } from '../../../src/files/download.js';

function chunks(count: number, size: number) {
  const state = { pulled: 0, finished: false };
  async function* gen(): AsyncGenerator<Uint8Array> {
    try {
      for (let i = 0; i < count; i++) {
        state.pulled++;
        yield new Uint8Array(size).fill(i);
      }
    } finally {
      state.finished = true; // runs on return() too
    }
  }
  return { state, stream: gen() };
}

describe('readLimited', () => {
  it('returns all bytes under the limit', async () => {
    const { stream, state } = chunks(3, 10);
    const r = await readLimited(stream, 100);
    expect(r.ok).toBe(true);
    expect(r.ok && [...r.bytes]).toEqual([...new Array<number>(10).fill(0), ...new Array<number>(10).fill(1), ...new Array<number>(10).fill(2)]);
    expect(state.pulled).toBe(3);
  });

  it('accepts exactly the limit', async () => {
    const r = await readLimited(chunks(3, 10).stream, 30);
    expect(r.ok && r.bytes.length).toBe(30);
  });

  it('stops at the first chunk past the limit', async () => {
    const { stream, state } = chunks(1000, 1024);
    const r = await readLimited(stream, 5000);
    expect(r).toEqual({ ok: false, tooLarge: true, seenBytes: 5 * 1024 });
    expect(state.pulled).toBe(5); // not 1000
    expect(state.finished).toBe(true); // the generator was closed, not left hanging
  });

  it('rejects a single oversized chunk', async () => {
    const r = await readLimited(chunks(1, 11).stream, 10);
    expect(r).toEqual({ ok: false, tooLarge: true, seenBytes: 11 });
  });

  it('handles an empty stream and a zero limit', async () => {
    const r = await readLimited(chunks(0, 0).stream, 0);
    expect(r.ok && r.bytes.length).toBe(0);
    expect(await readLimited(chunks(1, 1).stream, 0)).toMatchObject({ ok: false, seenBytes: 1 });
  });

  it('destroys a Node stream it gives up on', async () => {
    let read = 0;
    const readable = new Readable({
      highWaterMark: 1,
      read() {
        read++;
        this.push(Buffer.alloc(1024));
      },
    });
    const r = await readLimited(readable, 2048);
    expect(r.ok).toBe(false);
    expect(readable.destroyed).toBe(true);
    expect(read).toBeLessThan(10);
  });
});
