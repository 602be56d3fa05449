// Minimal but real files, built byte by byte so the sniffer is tested on what readers accept.

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
export const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

// A one-page PDF (readers rebuild the missing xref table).
export const PDF = text(
  '%PDF-1.4\n' +
    '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
    '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 72 72]>> endobj\n' +
    'trailer <</Root 1 0 R>>\n%%EOF\n',
);

// 1×1 images.
export const PNG = b64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==');
export const JPEG = b64(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
);
export const GIF = b64('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==');
export const WEBP = b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');

export function bmp1x1(): Uint8Array {
  const b = Buffer.alloc(58);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(58, 2); // file size
  b.writeUInt32LE(54, 10); // pixel data offset
  b.writeUInt32LE(40, 14); // BITMAPINFOHEADER
  b.writeInt32LE(1, 18);
  b.writeInt32LE(1, 22);
  b.writeUInt16LE(1, 26); // planes
  b.writeUInt16LE(24, 28); // bits per pixel
  b.writeUInt32LE(4, 34); // image size: one pixel padded to 4 bytes
  b.set([0x00, 0x00, 0xff], 54); // one red pixel (BGR)
  return new Uint8Array(b);
}

// A DOS header whose e_lfanew points at a PE signature: what every Windows .exe starts with.
export function peExe(): Uint8Array {
  const b = Buffer.alloc(0x80 + 24);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84); // i386
  return new Uint8Array(b);
}

export function elf(): Uint8Array {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // ELF64, little endian, version 1
  return new Uint8Array(b);
}

export const RAR4 = new Uint8Array([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00, 0xcf, 0x90, 0x73, 0x00, 0x00, 0x0d, 0x00]);
export const RAR5 = new Uint8Array([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00, 0x33, 0x92, 0xb5, 0xe5, 0x0a, 0x01]);

// ---------------------------------------------------------------------------------------------
// ZIP with STORED entries

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipOptions {
  /** Leave out the central directory, as in a download cut short. */
  truncate?: boolean;
  /** Streamed-writer style: sizes zero in the local header, data descriptor after the data. */
  dataDescriptor?: boolean;
}

export function zip(entries: Array<[name: string, content: Uint8Array | string]>, options: ZipOptions = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, raw] of entries) {
    const data = typeof raw === 'string' ? text(raw) : raw;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const flags = 0x0800 | (options.dataDescriptor ? 0x0008 : 0); // UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(0, 8); // STORED
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(options.dataDescriptor ? 0 : crc, 14);
    local.writeUInt32LE(options.dataDescriptor ? 0 : data.length, 18);
    local.writeUInt32LE(options.dataDescriptor ? 0 : data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const parts = [local, nameBytes, Buffer.from(data)];
    if (options.dataDescriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(data.length, 8);
      dd.writeUInt32LE(data.length, 12);
      parts.push(dd);
    }
    const record = Buffer.concat(parts);
    locals.push(record);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(Buffer.concat([central, nameBytes]));
    offset += record.length;
  }
  if (options.truncate) return new Uint8Array(Buffer.concat(locals));
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, eocd]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';

export function docx(options?: ZipOptions): Uint8Array {
  return zip(
    [
      ['[Content_Types].xml', CONTENT_TYPES],
      [
        '_rels/.rels',
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ],
      [
        'word/document.xml',
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
          '<w:body><w:p><w:r><w:t>申请报告</w:t></w:r></w:p></w:body></w:document>',
      ],
    ],
    options,
  );
}

export function xlsx(): Uint8Array {
  return zip([
    ['[Content_Types].xml', CONTENT_TYPES.replace('/word/document.xml', '/xl/workbook.xml')],
    ['_rels/.rels', '<Relationships/>'],
    ['xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'],
    ['xl/worksheets/sheet1.xml', '<worksheet/>'],
  ]);
}

export function ofd(): Uint8Array {
  return zip([
    ['OFD.xml', '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"/>'],
    ['Doc_0/Document.xml', '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>'],
  ]);
}

// ---------------------------------------------------------------------------------------------
// OLE2 compound file: header, one FAT sector (sector 0), one directory sector (sector 1).

export interface OleEntry {
  name: string;
  type: 1 | 2; // storage | stream
  left?: number;
  right?: number;
  child?: number;
}

const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const FAT_SECTOR = 0xfffffffd;

/** `rootChild` is the directory id (1-based into `entries`) of the root's first child. */
export function ole2(entries: OleEntry[], rootChild = 1): Uint8Array {
  if (entries.length > 3) throw new Error('one directory sector holds the root and three entries');
  const b = Buffer.alloc(512 * 3, 0);
  b.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  b.writeUInt16LE(0x3e, 0x18); // minor version
  b.writeUInt16LE(3, 0x1a); // major version 3: 512-byte sectors
  b.writeUInt16LE(0xfffe, 0x1c); // little endian
  b.writeUInt16LE(9, 0x1e); // sector shift
  b.writeUInt16LE(6, 0x20); // mini sector shift
  b.writeUInt32LE(1, 0x2c); // FAT sectors
  b.writeUInt32LE(1, 0x30); // first directory sector
  b.writeUInt32LE(4096, 0x38); // mini stream cutoff
  b.writeUInt32LE(END_OF_CHAIN, 0x3c); // no mini FAT
  b.writeUInt32LE(END_OF_CHAIN, 0x44); // no DIFAT sectors
  for (let i = 0; i < 109; i++) b.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);

  const fat = 512;
  for (let i = 0; i < 128; i++) b.writeUInt32LE(FREE, fat + i * 4);
  b.writeUInt32LE(FAT_SECTOR, fat); // sector 0 is the FAT itself
  b.writeUInt32LE(END_OF_CHAIN, fat + 4); // sector 1: the directory, one sector long

  const dir = 1024;
  const writeEntry = (at: number, name: string, type: number, left: number, right: number, child: number): void => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf16le');
    nameBytes.copy(b, at);
    b.writeUInt16LE(nameBytes.length, at + 0x40);
    b[at + 0x42] = type;
    b[at + 0x43] = 1; // black
    b.writeUInt32LE(left, at + 0x44);
    b.writeUInt32LE(right, at + 0x48);
    b.writeUInt32LE(child, at + 0x4c);
    b.writeUInt32LE(END_OF_CHAIN, at + 0x74); // start sector: empty streams
  };
  writeEntry(dir, 'Root Entry', 5, FREE, FREE, entries.length > 0 ? rootChild : FREE);
  entries.forEach((e, i) => writeEntry(dir + (i + 1) * 128, e.name, e.type, e.left ?? FREE, e.right ?? FREE, e.child ?? FREE));
  return new Uint8Array(b);
}
