// One entry of a zip archive, read without trusting the archive: the central directory is checked
// (entry count, declared sizes) before anything is inflated, and the one entry wanted is inflated
// as a stream that stops as soon as it produces more than it declared or more than the caller
// allows. Built on node:zlib rather than jszip, which inflates whole entries into memory.
// Format: PKWARE APPNOTE.TXT (4.3.7 local header, 4.3.12 central directory, 4.3.16 end record,
// 4.3.14/4.3.15 ZIP64 end record and locator, 4.5.3 ZIP64 extra field).

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Size of the central directory itself. */
  maxDirectoryBytes: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** The entries' declared uncompressed sizes added up: the caller decides how much is too much. */
  totalBytes: number;
  /** Where the central directory starts: entry data must end before it. */
  directoryOffset: number;
}

/** The archive is not a zip, or its structure contradicts itself. */
export class ZipCorrupt extends Error {}
/** The archive is well formed but over one of the limits. */
export class ZipTooLarge extends Error {
  constructor(
    readonly limit: 'entries' | 'directory' | 'entry',
    message: string,
  ) {
    super(message);
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  if (bytesRead !== length) throw new ZipCorrupt('short read');
  return buf;
}

function safeNumber(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipCorrupt('size out of range');
  return Number(n);
}

/** Reads and checks the central directory; nothing is inflated. */
export async function readZipDirectory(fh: FileHandle, fileSize: number, limits: ZipLimits): Promise<ZipDirectory> {
  if (fileSize < 22) throw new ZipCorrupt('too short for a zip');
  // The end record is 22 bytes plus a comment of at most 65,535.
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(fh, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipCorrupt('no end of central directory record');

  let count: number = tail.readUInt16LE(eocd + 10);
  let directorySize: number = tail.readUInt32LE(eocd + 12);
  let directoryOffset: number = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    // ZIP64: a locator just before the end record points at the ZIP64 end record.
    const locatorAt = tailStart + eocd - 20;
    if (locatorAt < 0) throw new ZipCorrupt('ZIP64 locator missing');
    const locator = await readAt(fh, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) throw new ZipCorrupt('ZIP64 locator missing');
    const recordAt = safeNumber(locator.readBigUInt64LE(8));
    if (recordAt + 56 > fileSize) throw new ZipCorrupt('ZIP64 end record out of range');
    const record = await readAt(fh, recordAt, 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new ZipCorrupt('ZIP64 end record missing');
    count = safeNumber(record.readBigUInt64LE(32));
    directorySize = safeNumber(record.readBigUInt64LE(40));
    directoryOffset = safeNumber(record.readBigUInt64LE(48));
  }
  if (count > limits.maxEntries) throw new ZipTooLarge('entries', `${count} entries`);
  if (directorySize > limits.maxDirectoryBytes) throw new ZipTooLarge('directory', `central directory of ${directorySize} bytes`);
  if (directoryOffset + directorySize > fileSize) throw new ZipCorrupt('central directory out of range');

  const dir = await readAt(fh, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let totalBytes = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== CENTRAL_SIG) throw new ZipCorrupt('bad central directory entry');
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > dir.length) throw new ZipCorrupt('central directory entry out of range');
    let compressedSize: number = dir.readUInt32LE(at + 20);
    let size: number = dir.readUInt32LE(at + 24);
    let localHeaderOffset: number = dir.readUInt32LE(at + 42);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // The ZIP64 extra field holds, in this order, only the fields that overflowed.
      let x = at + 46 + nameLength;
      const extraEnd = x + extraLength;
      let found = false;
      while (x + 4 <= extraEnd) {
        const id = dir.readUInt16LE(x);
        const length = dir.readUInt16LE(x + 2);
        if (x + 4 + length > extraEnd) break;
        if (id === 0x0001) {
          let p = x + 4;
          const next = (): number => {
            if (p + 8 > x + 4 + length) throw new ZipCorrupt('short ZIP64 extra field');
            const v = safeNumber(dir.readBigUInt64LE(p));
            p += 8;
            return v;
          };
          if (size === 0xffffffff) size = next();
          if (compressedSize === 0xffffffff) compressedSize = next();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
          found = true;
          break;
        }
        x += 4 + length;
      }
      if (!found) throw new ZipCorrupt('ZIP64 extra field missing');
    }
    totalBytes += size;
    entries.push({
      name: dir.toString('utf8', at + 46, at + 46 + nameLength).replaceAll('\\', '/'),
      flags: dir.readUInt16LE(at + 8),
      method: dir.readUInt16LE(at + 10),
      crc: dir.readUInt32LE(at + 16),
      compressedSize,
      size,
      localHeaderOffset,
    });
    at = end;
  }
  return { entries, totalBytes, directoryOffset };
}

/**
 * Streams one entry's uncompressed bytes to `onChunk`, at most `maxBytes` of them: past that, or past
 * the size the directory declared, inflating stops (ZipTooLarge / ZipCorrupt). The CRC is checked
 * at the end. `onChunk` may throw to stop early; the error comes back out of this call.
 */
export async function streamZipEntry(
  path: string,
  fh: FileHandle,
  dir: ZipDirectory,
  entry: ZipEntry,
  maxBytes: number,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  if (entry.size > maxBytes) throw new ZipTooLarge('entry', `${entry.name} declares ${entry.size} bytes`);
  if (entry.flags & 0x0001) throw new ZipCorrupt('zip-level encryption');
  if (entry.method !== 0 && entry.method !== 8) throw new ZipCorrupt(`compression method ${entry.method}`);
  const local = await readAt(fh, entry.localHeaderOffset, 30).catch(() => {
    throw new ZipCorrupt('local header out of range');
  });
  if (local.readUInt32LE(0) !== LOCAL_SIG) throw new ZipCorrupt('bad local header');
  const nameLength = local.readUInt16LE(26);
  const extraLength = local.readUInt16LE(28);
  const localName = (await readAt(fh, entry.localHeaderOffset + 30, nameLength)).toString('utf8').replaceAll('\\', '/');
  // Two names for one entry is how some archives show one reader a different file than another.
  if (localName !== entry.name) throw new ZipCorrupt('local and central names differ');
  const start = entry.localHeaderOffset + 30 + nameLength + extraLength;
  if (start + entry.compressedSize > dir.directoryOffset) throw new ZipCorrupt('entry data out of range');
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) throw new ZipCorrupt('empty data for a non-empty entry');
    return;
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) throw new ZipCorrupt('stored entry sizes differ');

  const limit = Math.min(entry.size, maxBytes);
  let produced = 0;
  let crc = 0;
  // What stopped the consumer: the pipeline may report its own AbortError instead.
  let stopped: unknown;
  const source = createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
  const consume = async (chunks: AsyncIterable<Buffer>) => {
    try {
      for await (const chunk of chunks) {
        produced += chunk.length;
        if (produced > limit) {
          // Declared sizes are not trusted: more than declared is a lie, more than allowed a bomb.
          if (produced > maxBytes) throw new ZipTooLarge('entry', `${entry.name} inflates past ${maxBytes} bytes`);
          throw new ZipCorrupt(`${entry.name} inflates past its declared ${entry.size} bytes`);
        }
        crc = crc32(chunk, crc);
        onChunk(chunk);
      }
    } catch (err) {
      stopped = err;
      throw err;
    }
  };
  try {
    if (entry.method === 8) await pipeline(source, createInflateRaw({ chunkSize: 64 * 1024 }), consume);
    else await pipeline(source, consume);
  } catch (caught) {
    const err = stopped ?? caught;
    if (err instanceof ZipCorrupt || err instanceof ZipTooLarge) throw err;
    // zlib's own errors (invalid distance, unexpected end of data): the data is broken.
    const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : '';
    if (code.startsWith('Z_')) throw new ZipCorrupt(String(err));
    throw err;
  }
  if (produced !== entry.size) throw new ZipCorrupt(`${entry.name} inflates to ${produced} bytes, ${entry.size} declared`);
  if (crc >>> 0 !== entry.crc >>> 0) throw new ZipCorrupt(`${entry.name} fails its CRC`);
}
