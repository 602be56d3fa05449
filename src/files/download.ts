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
