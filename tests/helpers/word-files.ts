// Word files for the reader's tests (src/files/word.ts), built in the test: a .docx from raw
// WordprocessingML (what the `docx` package cannot write: merged cells by hand, check box
// controls, Wingdings symbols, tracked changes, nested tables), zips with headers written byte by
// byte (bombs, lying sizes), and OLE2 compound files with chosen root streams (an encrypted
// package, an old .doc). Plus a measure of time and memory around a read.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const NAMESPACES =
  `xmlns:w="${W_NS}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" mc:Ignorable="w14 wps"';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';

const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

/** The document.xml around a body's content. */
export function documentXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NAMESPACES}><w:body>${body}<w:sectPr/></w:body></w:document>`;
}

/** A .docx whose document.xml is given whole (as text or bytes), other parts as given. */
export async function docxWithDocumentXml(xml: string | Buffer, more: Record<string, string | Buffer> = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  zip.file('word/document.xml', xml);
  for (const [name, data] of Object.entries(more)) zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A .docx whose body is the given WordprocessingML. */
export function docxFromBody(body: string): Promise<Buffer> {
  return docxWithDocumentXml(documentXml(body));
}

// Small builders for body XML.
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const run = (text: string, rPr = '') => `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
export const para = (...runs: string[]) => `<w:p>${runs.join('')}</w:p>`;
export const p = (text: string) => para(run(text));
export const cell = (content: string, tcPr = '') => `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${content}</w:tc>`;
export const row = (...cells: string[]) => `<w:tr>${cells.join('')}</w:tr>`;
export const table = (...rows: string[]) => `<w:tbl><w:tblPr/><w:tblGrid/>${rows.join('')}</w:tbl>`;
export const sym = (font: string, char: string) => `<w:r><w:sym w:font="${font}" w:char="${char}"/></w:r>`;

// ---------------------------------------------------------------------------------------------
// Zips written by hand: local headers, central directory, end record (PKWARE APPNOTE 4.3).

export interface RawZipEntry {
  name: string;
  /** The bytes as stored (already deflated when method is 8). */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  /** The uncompressed size the headers declare (true or not). */
  size: number;
}

export function rawZip(entries: RawZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt16LE(0x21, 14);
    cd.writeUInt32LE(e.crc >>> 0, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, e.data);
    central.push(cd, name);
    offset += 30 + name.length + e.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBytes, end]);
}

/** An entry deflated honestly. */
export function deflatedEntry(name: string, content: string | Buffer): RawZipEntry {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, data: deflateRawSync(data), method: 8, crc: crc32(data), size: data.length };
}

/**
 * A raw deflate stream of `mib` MiB of zeros, about 1 KB per MiB: one MiB compressed with a sync
 * flush (byte-aligned, no final bit, back-references only within itself) repeated, then an empty
 * final block. Returns its CRC too, so the sizes and CRC can be told honestly.
 */
export function zerosDeflated(mib: number): { data: Buffer; crc: number; size: number } {
  const zero = Buffer.alloc(1024 * 1024);
  const block = deflateRawSync(zero, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(zero, crc);
  const data = Buffer.concat([...Array.from({ length: mib }, () => block), deflateRawSync(Buffer.alloc(0))]);
  return { data, crc: crc >>> 0, size: mib * 1024 * 1024 };
}

/**
 * Like zerosDeflated, but a well-formed start of a document.xml followed by `mib` MiB of spaces
 * inside <w:body>: text no reader keeps, so only the inflate limit can stop it.
 */
export function whitespaceDocumentDeflated(mib: number): { data: Buffer; crc: number; size: number } {
  const head = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W_NS}"><w:body>`);
  const spaces = Buffer.alloc(1024 * 1024, 0x20);
  const flush = { level: 9, finishFlush: constants.Z_SYNC_FLUSH };
  const block = deflateRawSync(spaces, flush);
  let crc = crc32(head);
  for (let i = 0; i < mib; i++) crc = crc32(spaces, crc);
  const data = Buffer.concat([deflateRawSync(head, flush), ...Array.from({ length: mib }, () => block), deflateRawSync(Buffer.alloc(0))]);
  return { data, crc: crc >>> 0, size: head.length + mib * 1024 * 1024 };
}

// ---------------------------------------------------------------------------------------------
// OLE2 compound files ([MS-CFB]): version 3, 512-byte sectors, one FAT sector, one directory
// sector (the root and up to three streams). Streams of 4,096 bytes or more go in regular
// sectors; shorter ones are listed with no data (the reader only looks at names and the FIB).

export function compoundFile(streams: { name: string; data?: Buffer }[]): Buffer {
  if (streams.length > 3) throw new Error('one directory sector holds the root and three streams');
  const SECTOR = 512;
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const FATSECT = 0xfffffffd;
  const header = Buffer.alloc(SECTOR, 0);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // directory at sector 1
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END, 0x3c);
  header.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);

  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(FATSECT, 0);
  fat.writeUInt32LE(END, 4);
  const dir = Buffer.alloc(SECTOR, 0);
  const data: Buffer[] = [];
  let next = 2;
  const entry = (i: number, name: string, type: number, start: number, size: number, right: number, child: number) => {
    const at = i * 128;
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(dir, at);
    dir.writeUInt16LE(n.length, at + 0x40);
    dir[at + 0x42] = type;
    dir[at + 0x43] = 1;
    dir.writeUInt32LE(FREE, at + 0x44);
    dir.writeUInt32LE(right, at + 0x48);
    dir.writeUInt32LE(child, at + 0x4c);
    dir.writeUInt32LE(start, at + 0x74);
    dir.writeUInt32LE(size, at + 0x78);
  };
  entry(0, 'Root Entry', 5, END, 0, FREE, streams.length ? 1 : FREE);
  streams.forEach((s, i) => {
    let start = END;
    let size = 0;
    if (s.data && s.data.length >= 4096) {
      const sectors = Math.ceil(s.data.length / SECTOR);
      start = next;
      for (let k = 0; k < sectors; k++) fat.writeUInt32LE(k === sectors - 1 ? END : next + k + 1, (next + k) * 4);
      const padded = Buffer.alloc(sectors * SECTOR);
      s.data.copy(padded);
      data.push(padded);
      next += sectors;
      size = s.data.length;
    }
    entry(i + 1, s.name, 2, start, size, i + 1 < streams.length ? i + 2 : FREE, FREE);
  });
  for (let i = streams.length + 1; i < 4; i++) {
    dir.writeUInt32LE(FREE, i * 128 + 0x44);
    dir.writeUInt32LE(FREE, i * 128 + 0x48);
    dir.writeUInt32LE(FREE, i * 128 + 0x4c);
  }
  if (next > 128) throw new Error('one FAT sector maps 128 sectors');
  return Buffer.concat([header, fat, dir, ...data]);
}

/** The start of a Word 97 WordDocument stream: FibBase with wIdent A5EC and fEncrypted as asked. */
export function wordDocumentStream(encrypted: boolean): Buffer {
  const b = Buffer.alloc(4096);
  b.writeUInt16LE(0xa5ec, 0);
  b.writeUInt16LE(0x00c1, 2); // nFib of Word 97
  b.writeUInt16LE(encrypted ? 0x0100 | 0x0200 : 0x0200, 0x0a); // fEncrypted, fWhichTblStm
  return b;
}

// ---------------------------------------------------------------------------------------------

const made: string[] = [];

/** A fresh directory under the system's temporary one, removed by `removeTempDirs`. */
export function tempDir(prefix = 'word-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function tempFile(name: string, bytes: Buffer | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

/** For afterAll: every directory tempDir made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Measured<T> {
  result: T;
  ms: number;
  /** Growth of the heap in use, peak over the call (sampled every 5 ms), in MB. */
  heapMB: number;
  /** Growth of the resident set, peak over the call, in MB. */
  rssMB: number;
}

/** Time and memory of one call; the event loop is sampled while it runs (the reader yields between chunks). */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const before = process.memoryUsage();
  let heap = before.heapUsed;
  let rss = before.rss;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - start;
    sample();
    return { result, ms, heapMB: (heap - before.heapUsed) / 1024 / 1024, rssMB: (rss - before.rss) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}
