// The local content-addressed store: round trip, idempotence, no way out of the root.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileStore, LocalFileStore } from '../../../src/files/store.js';
import { PDF, PNG } from './fixtures.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('LocalFileStore', () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'files-store-'));
    store = new LocalFileStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips bytes under <root>/ab/cd/<sha256>', async () => {
    const put = await store.put(PDF);
    expect(put).toEqual({ sha256: sha(PDF), size: PDF.length });
    expect(await store.has(put.sha256)).toBe(true);
    expect(new Uint8Array((await store.get(put.sha256))!)).toEqual(PDF);
    expect(store.path(put.sha256)).toBe(join(root, put.sha256.slice(0, 2), put.sha256.slice(2, 4), put.sha256));
    expect(filesUnder(root)).toEqual([store.path(put.sha256)]);
  });

  it('stores an empty file too', async () => {
    const put = await store.put(new Uint8Array(0));
    expect(put.size).toBe(0);
    expect((await store.get(put.sha256))!.length).toBe(0);
  });

  it('treats a missing hash as absent', async () => {
    const missing = sha(PNG);
    expect(await store.get(missing)).toBeUndefined();
    expect(await store.has(missing)).toBe(false);
    expect(store.path(missing)).toBeUndefined();
  });

  it('accepts the hash in upper case', async () => {
    const { sha256 } = await store.put(PNG);
    expect(await store.has(sha256.toUpperCase())).toBe(true);
  });

  it('writes the same bytes once', async () => {
    const first = await store.put(PNG);
    const file = store.path(first.sha256)!;
    const before = statSync(file, { bigint: true });
    await new Promise((r) => setTimeout(r, 20));
    const second = await store.put(new Uint8Array(PNG)); // equal bytes, different array
    expect(second).toEqual(first);
    const after = statSync(file, { bigint: true });
    expect(after.ino).toBe(before.ino); // not replaced by a rename
    expect(after.mtimeNs).toBe(before.mtimeNs);
  });

  it('handles concurrent puts of the same bytes, leaving no temp files', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.put(PDF)));
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(PDF)]));
    expect(filesUnder(root)).toEqual([store.path(sha(PDF))]);
    expect(new Uint8Array((await store.get(sha(PDF)))!)).toEqual(PDF);
  });

  it('handles concurrent puts from two stores on one root (two processes)', async () => {
    const other = new LocalFileStore(root);
    await Promise.all([store.put(PDF), other.put(PDF), store.put(PNG), other.put(PNG)]);
    expect(filesUnder(root).sort()).toEqual([store.path(sha(PDF)), store.path(sha(PNG))].sort());
  });

  it.each(['../../etc/passwd', `../${'a'.repeat(61)}`, 'a'.repeat(63), `${'a'.repeat(64)}/..`, 'g'.repeat(64), ''])('rejects %j as a hash', async (bad) => {
    await expect(store.get(bad)).rejects.toThrow(/SHA-256/);
    await expect(store.has(bad)).rejects.toThrow(/SHA-256/);
    expect(() => store.path(bad)).toThrow(/SHA-256/);
  });

  it('is usable through the interface', async () => {
    const s: FileStore = store;
    const { sha256 } = await s.put(PNG);
    expect(await s.has(sha256)).toBe(true);
  });
});
