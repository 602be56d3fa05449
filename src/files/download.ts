// Reading a download with a size cap: the slot's limit (or Lark's 100 MB) is known up front, so an
// oversized file is abandoned at the first chunk past it instead of being buffered whole.

export type ReadLimitedResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true; seenBytes: number };

export async function readLimited(stream: AsyncIterable<Uint8Array>, maxBytes: number): Promise<ReadLimitedResult> {
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be a non-negative number, got ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      // Leaving the loop calls the iterator's return(): a generator stops, a Readable is destroyed;
      // the chunks kept so far are dropped with this frame.
      return { ok: false, tooLarge: true, seenBytes: total };
    }
    chunks.push(chunk);
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

export type SavedDownload = { ok: true; size: number; sha256: string } | { ok: false; tooLarge: true; seenBytes: number };

/**
 * Writes a download to `path` as it arrives, hashing it on the way, and stops at the first chunk
 * past `maxBytes` (the partial file is removed): a large file never sits in memory.
 */
export async function saveLimited(stream: AsyncIterable<Uint8Array>, path: string, maxBytes: number): Promise<SavedDownload> {
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be a non-negative number, got ${maxBytes}`);
  const { createHash } = await import('node:crypto');
  const { open, rm } = await import('node:fs/promises');
  const hash = createHash('sha256');
  const file = await open(path, 'wx', 0o600);
  let total = 0;
  let kept = false;
  try {
    for await (const chunk of stream) {
      total += chunk.byteLength;
      if (total > maxBytes) return { ok: false, tooLarge: true, seenBytes: total };
      hash.update(chunk);
      await file.write(chunk);
    }
    await file.sync();
    kept = true;
    return { ok: true, size: total, sha256: hash.digest('hex') };
  } finally {
    await file.close();
    if (!kept) await rm(path, { force: true });
  }
}
