// What an OLE2 compound file (CFB, [MS-CFB]) holds at its root, read sector by sector from disk:
// an Office file with an opening password is a compound file whose root has the streams
// EncryptionInfo and EncryptedPackage ([MS-OFFCRYPTO] 2.3.4 ECMA-376 Document Encryption,
// 2.3.4.4 \EncryptedPackage Stream); an old Word document has a WordDocument stream whose
// FibBase says whether it is encrypted ([MS-DOC] 2.5.2 FibBase, fEncrypted; 2.2.6).
// Every walk is bounded (sectors read, entries visited) so a damaged or hostile file ends quickly.

import type { FileHandle } from 'node:fs/promises';

export const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

const MAX_REGULAR_SECTOR = 0xfffffffa;
const NOSTREAM = 0xffffffff;
/** Directory sectors followed at most (4,096 × 4 entries of 512-byte sectors is far beyond any Office file). */
const MAX_DIRECTORY_SECTORS = 4096;
const MAX_DIFAT_SECTORS = 1024;
/** Sectors of the mini stream walked through to reach a small stream. */
const MAX_MINI_STREAM_SECTORS = 65_536;

export interface RootStream {
  name: string;
  /** 1 storage, 2 stream. */
  type: number;
  startSector: number;
  size: number;
}

export interface CompoundRoot {
  /** Children of the root storage by name (streams and storages). */
  children: Map<string, RootStream>;
  /** False when part of the directory could not be read (a damaged file). */
  complete: boolean;
  /** The first `length` bytes (at most 64) of a root stream, in regular sectors or in the mini stream. */
  readStreamStart(stream: RootStream, length: number): Promise<Buffer | undefined>;
}

/** undefined: not a compound file, or one whose header or directory is unreadable. */
export async function readCompoundRoot(fh: FileHandle, fileSize: number): Promise<CompoundRoot | undefined> {
  if (fileSize < 512) return undefined;
  const header = Buffer.alloc(512);
  await fh.read(header, 0, 512, 0);
  if (!CFB_SIGNATURE.every((b, i) => header[i] === b)) return undefined;
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return undefined;
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;
  const miniCutoff = header.readUInt32LE(0x38) || 4096;

  const readSector = async (sid: number): Promise<Buffer | undefined> => {
    const offset = (sid + 1) * sectorSize;
    if (sid > MAX_REGULAR_SECTOR || offset + sectorSize > fileSize) return undefined;
    const buf = Buffer.alloc(sectorSize);
    const { bytesRead } = await fh.read(buf, 0, sectorSize, offset);
    return bytesRead === sectorSize ? buf : undefined;
  };

  // FAT sector ids: 109 in the header, the rest chained through DIFAT sectors (read when needed).
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sid = header.readUInt32LE(0x4c + i * 4);
    if (sid > MAX_REGULAR_SECTOR) break;
    fatSectors.push(sid);
  }
  let difat = header.readUInt32LE(0x44);
  let difatRead = 0;
  const fatSectorFor = async (index: number): Promise<number | undefined> => {
    while (index >= fatSectors.length && difat <= MAX_REGULAR_SECTOR && difatRead < MAX_DIFAT_SECTORS) {
      const sector = await readSector(difat);
      difatRead++;
      if (!sector) return undefined;
      for (let i = 0; i < perSector - 1; i++) {
        const sid = sector.readUInt32LE(i * 4);
        if (sid <= MAX_REGULAR_SECTOR) fatSectors.push(sid);
      }
      difat = sector.readUInt32LE((perSector - 1) * 4);
    }
    return fatSectors[index];
  };
  const fatCache = new Map<number, Buffer>();
  const nextSector = async (sid: number): Promise<number | undefined> => {
    const index = Math.floor(sid / perSector);
    const fatSid = await fatSectorFor(index);
    if (fatSid === undefined) return undefined;
    let fat = fatCache.get(fatSid);
    if (!fat) {
      fat = await readSector(fatSid);
      if (!fat) return undefined;
      fatCache.set(fatSid, fat);
    }
    return fat.readUInt32LE((sid % perSector) * 4);
  };

  // The directory: a chain of sectors of 128-byte entries.
  const directory: Buffer[] = [];
  let complete = true;
  const seen = new Set<number>();
  let sid: number | undefined = header.readUInt32LE(0x30);
  while (sid !== undefined && sid <= MAX_REGULAR_SECTOR) {
    if (seen.has(sid) || seen.size >= MAX_DIRECTORY_SECTORS) {
      complete = false;
      break;
    }
    seen.add(sid);
    const sector = await readSector(sid);
    if (!sector) {
      complete = false;
      break;
    }
    directory.push(sector);
    sid = await nextSector(sid);
  }
  if (sid === undefined) complete = false;
  const perDirSector = sectorSize / 128;
  const entryAt = (id: number): { buf: Buffer; at: number } | undefined => {
    const buf = directory[Math.floor(id / perDirSector)];
    return buf ? { buf, at: (id % perDirSector) * 128 } : undefined;
  };
  const root = entryAt(0);
  if (root?.buf[root.at + 0x42] !== 5) return undefined;

  // The root's children form a red-black tree through left/right sibling ids.
  const children = new Map<string, RootStream>();
  const pending = [root.buf.readUInt32LE(root.at + 0x4c)];
  const visited = new Set<number>();
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (id === NOSTREAM || visited.has(id)) continue;
    visited.add(id);
    const e = entryAt(id);
    if (!e) {
      complete = false;
      continue;
    }
    const nameLength = e.buf.readUInt16LE(e.at + 0x40);
    if (nameLength >= 2 && nameLength <= 64 && nameLength % 2 === 0) {
      const name = e.buf.toString('utf16le', e.at, e.at + nameLength - 2);
      children.set(name, {
        name,
        type: e.buf[e.at + 0x42]!,
        startSector: e.buf.readUInt32LE(e.at + 0x74),
        size: e.buf.readUInt32LE(e.at + 0x78), // the high half is 0 in version 3 files and ignored here
      });
    }
    pending.push(e.buf.readUInt32LE(e.at + 0x44), e.buf.readUInt32LE(e.at + 0x48));
  }

  // Streams under the cutoff live in the mini stream (64-byte mini sectors) carried by the root's chain.
  const miniSectorSize = 1 << header.readUInt16LE(0x20);
  const miniStreamStart = root.buf.readUInt32LE(root.at + 0x74);

  return {
    children,
    complete,
    async readStreamStart(stream, length) {
      if (length > miniSectorSize || stream.size < length) return undefined;
      if (stream.size >= miniCutoff) return (await readSector(stream.startSector))?.subarray(0, length);
      const offset = stream.startSector * miniSectorSize;
      let sid: number | undefined = miniStreamStart;
      for (let k = Math.floor(offset / sectorSize); k > 0 && sid !== undefined; k--) {
        if (k > MAX_MINI_STREAM_SECTORS) return undefined;
        sid = await nextSector(sid);
      }
      if (sid === undefined) return undefined;
      const sector = await readSector(sid);
      const at = offset % sectorSize;
      return sector?.subarray(at, at + length);
    },
  };
}

/** The encryption streams of [MS-OFFCRYPTO] 2.3.4: an encrypted .docx (or .xlsx, .pptx). */
export function isEncryptedPackage(root: CompoundRoot): boolean {
  return root.children.has('EncryptionInfo') && root.children.has('EncryptedPackage');
}

/** A Word 97–2003 document whose FibBase has fEncrypted set (RC4 or XOR obfuscation, [MS-DOC] 2.2.6). */
export async function isEncryptedWordDocument(root: CompoundRoot): Promise<boolean> {
  const stream = root.children.get('WordDocument');
  if (stream?.type !== 2) return false;
  const fib = await root.readStreamStart(stream, 12);
  if (fib?.readUInt16LE(0) !== 0xa5ec) return false; // wIdent
  return (fib.readUInt16LE(0x0a) & 0x0100) !== 0; // fEncrypted: bit F of the flags after pnNext
}
