// What a received file really is, decided from its bytes. Applicants rename files (or their phone
// does), so the name is only a tie-breaker where the bytes cannot decide (an unreadable OLE2
// directory); an .exe renamed 报告.pdf must never pass as a PDF.

export type FileKind = 'pdf' | 'jpeg' | 'png' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'zip' | 'rar' | 'ofd' | 'gif' | 'webp' | 'bmp' | 'exe' | 'unknown';

export function sniffFileKind(bytes: Uint8Array, fileName?: string): FileKind {
  // Executables first: a polyglot that is also a PDF further in must still count as a program.
  if (startsWith(bytes, [0x4d, 0x5a])) return 'exe'; // MZ: PE and DOS programs alike
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'exe'; // ELF
  if (isMachO(bytes)) return 'exe';

  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (isBmp(bytes)) return 'bmp';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return sniffOle2(bytes, fileName);
  // PK\5\6 is an empty archive, PK\7\8 a spanned one: both still plain zips.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(bytes);
  if (startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]) || startsWith(bytes, [0x50, 0x4b, 0x07, 0x08])) return 'zip';
  if (startsWith(bytes, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar'; // RAR 4 (…00) and RAR 5 (…01 00)

  // Readers accept a PDF header anywhere in the first 1024 bytes (some scanners prepend junk).
  if (indexOf(bytes, ascii('%PDF-'), 0, 1024) >= 0) return 'pdf';
  return 'unknown';
}

const LABELS: Record<FileKind, string> = {
  pdf: 'PDF 文档',
  jpeg: 'JPEG 图片',
  png: 'PNG 图片',
  doc: 'Word 文档（.doc）',
  docx: 'Word 文档（.docx）',
  xls: 'Excel 表格（.xls）',
  xlsx: 'Excel 表格（.xlsx）',
  zip: 'ZIP 压缩包',
  rar: 'RAR 压缩包',
  ofd: 'OFD 版式文件',
  gif: 'GIF 图片',
  webp: 'WebP 图片',
  bmp: 'BMP 图片',
  exe: 'Windows 可执行程序',
  unknown: '无法识别的文件',
};

export function fileKindLabel(kind: FileKind): string {
  return LABELS[kind];
}

/** Programme-file extension → the kind it stands for (jpg and jpeg are one format). */
const EXTENSION_KIND: Readonly<Record<string, FileKind>> = {
  pdf: 'pdf',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  doc: 'doc',
  docx: 'docx',
  xls: 'xls',
  xlsx: 'xlsx',
  zip: 'zip',
  rar: 'rar',
  ofd: 'ofd',
};

function normaliseExtension(ext: string): string {
  return ext.trim().toLowerCase().replace(/^\./, '');
}

function extensionKind(ext: string): FileKind | undefined {
  const key = normaliseExtension(ext);
  return Object.hasOwn(EXTENSION_KIND, key) ? EXTENSION_KIND[key] : undefined;
}

export function kindMatchesAccept(kind: FileKind, accept: string[]): boolean {
  if (kind === 'unknown') return false;
  return accept.some((ext) => extensionKind(ext) === kind);
}

const MiB = 1024 * 1024;

export function formatSize(bytes: number): string {
  const n = Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : 0;
  if (n < 1024) return `${n} B`;
  // Round first, then pick the unit, so 1023.7 KB shows as 1 MB rather than 1024 KB.
  const kb = Math.round(n / 1024);
  if (kb < 1024) return `${kb} KB`;
  const mb = Math.round((n / MiB) * 10) / 10;
  // String(20) is '20' and String(1.5) is '1.5': no trailing .0 to strip.
  if (mb < 1024) return `${mb} MB`;
  return `${Math.round((n / (MiB * 1024)) * 10) / 10} GB`;
}

export interface AttachmentSlotLimits {
  label: string;
  accept: string[];
  maxSizeMB: number;
}

/** Either the downloaded bytes, or what an earlier sniff found (so size checks need no buffer). */
export interface ReceivedFile {
  bytes: Uint8Array | { kind: FileKind; size: number };
  name: string;
}

export type AttachmentCheck = { ok: true; kind: FileKind } | { ok: false; message: string };

export function checkAttachment(file: ReceivedFile, slot: AttachmentSlotLimits): AttachmentCheck {
  const { kind, size } = file.bytes instanceof Uint8Array ? { kind: sniffFileKind(file.bytes, file.name), size: file.bytes.byteLength } : file.bytes;
  const name = `“${file.name}”`;

  if (size === 0) return { ok: false, message: `「${slot.label}」收到的${name}是空文件，请重新发送` };
  // Type before size: a 40 MB program renamed .pdf should be told it is a program.
  if (!kindMatchesAccept(kind, slot.accept)) {
    const accepted = acceptedList(slot.accept);
    // “实际是” only when the name claims something else; a real .docx sent where PDF is wanted is no trick.
    const claimed = nameKind(file.name);
    const verb = claimed === kind ? '是' : '实际是';
    return {
      ok: false,
      message: `「${slot.label}」只接受 ${accepted} 文件，您发送的${name}${verb}${spaced(fileKindLabel(kind))}`,
    };
  }
  if (size > slot.maxSizeMB * MiB) {
    return {
      ok: false,
      message: `「${slot.label}」单个文件不能超过 ${slot.maxSizeMB} MB，${name}有 ${tooLargeSize(size, slot.maxSizeMB)}`,
    };
  }
  return { ok: true, kind };
}

// '有 20 MB' under a 20 MB limit would read as a bug: show enough digits to see it is over.
function tooLargeSize(size: number, maxSizeMB: number): string {
  const shown = formatSize(size);
  const mb = size / MiB;
  if (!shown.endsWith(' MB') || Number.parseFloat(shown) > maxSizeMB) return shown;
  return `${Math.ceil(mb * 100) / 100} MB`;
}

// Labels starting with Latin letters get a space after Chinese text ('实际是 PDF 文档'), others not.
function spaced(label: string): string {
  return /^[A-Za-z]/.test(label) ? ` ${label}` : label;
}

function acceptedList(accept: string[]): string {
  const shown: string[] = [];
  for (const ext of accept) {
    const kind = extensionKind(ext);
    const text = kind === 'jpeg' ? 'JPG' : normaliseExtension(ext).toUpperCase();
    if (!shown.includes(text)) shown.push(text);
  }
  return shown.join('、');
}

// What the name claims, beyond the programme's extensions, so '“a.gif”是 GIF 图片' reads right.
const OTHER_EXTENSIONS: Readonly<Record<string, FileKind>> = { gif: 'gif', webp: 'webp', bmp: 'bmp', exe: 'exe', com: 'exe', scr: 'exe' };

function nameKind(fileName: string): FileKind | undefined {
  const ext = normaliseExtension(extensionOf(fileName));
  return extensionKind(ext) ?? (Object.hasOwn(OTHER_EXTENSIONS, ext) ? OTHER_EXTENSIONS[ext] : undefined);
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot >= 0 ? fileName.slice(dot + 1) : '';
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

function indexOf(bytes: Uint8Array, sig: readonly number[], from: number, to: number): number {
  const end = Math.min(to, bytes.length - sig.length);
  for (let i = from; i <= end; i++) if (startsWith(bytes, sig, i)) return i;
  return -1;
}

function u16(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 2 > bytes.length) return undefined;
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined;
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function isMachO(bytes: Uint8Array): boolean {
  // Thin Mach-O only: CA FE BA BE is shared with Java class files.
  const magics = [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
  ];
  return magics.some((m) => startsWith(bytes, m));
}

// 'BM' alone would catch any text starting "BM…": also require zero reserved fields and a known
// DIB header size.
function isBmp(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, [0x42, 0x4d])) return false;
  const reserved = u32(bytes, 6);
  const dibSize = u32(bytes, 14);
  return reserved === 0 && dibSize !== undefined && [12, 16, 40, 52, 56, 64, 108, 124].includes(dibSize);
}

// ---------------------------------------------------------------------------------------------
// OLE2 compound files (.doc, .xls, but also .ppt, .msi, .msg): the top-level streams say which.

const NOSTREAM = 0xffffffff;
const MAX_REGULAR_SECTOR = 0xfffffffa;

function sniffOle2(bytes: Uint8Array, fileName?: string): FileKind {
  const found = ole2RootStreams(bytes);
  if (found) {
    // Only root-level streams count: an .xls with an embedded Word object has a WordDocument
    // stream too, inside its own storage.
    if (found.names.has('WordDocument')) return 'doc';
    if (found.names.has('Workbook') || found.names.has('Book')) return 'xls';
    if (found.complete) return 'unknown'; // read it all: a PowerPoint, an installer, …
  }
  const claimed = fileName ? extensionKind(extensionOf(fileName)) : undefined;
  return claimed === 'doc' || claimed === 'xls' ? claimed : 'unknown';
}

/** Names of the root storage's children; `complete` is false when part of the tree was unreadable. */
function ole2RootStreams(bytes: Uint8Array): { names: Set<string>; complete: boolean } | undefined {
  const shift = u16(bytes, 0x1e);
  if (shift !== 9 && shift !== 12) return undefined;
  const sectorSize = 1 << shift;
  const perSector = sectorSize / 4;

  // FAT sector ids: 109 in the header, the rest chained through DIFAT sectors.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sid = u32(bytes, 0x4c + i * 4);
    if (sid === undefined || sid > MAX_REGULAR_SECTOR) break;
    fatSectors.push(sid);
  }
  let difat = u32(bytes, 0x44);
  for (let guard = 0; difat !== undefined && difat <= MAX_REGULAR_SECTOR && guard < 1 << 16; guard++) {
    const base = (difat + 1) * sectorSize;
    for (let i = 0; i < perSector - 1; i++) {
      const sid = u32(bytes, base + i * 4);
      if (sid === undefined || sid > MAX_REGULAR_SECTOR) break;
      fatSectors.push(sid);
    }
    difat = u32(bytes, base + (perSector - 1) * 4);
  }

  const nextSector = (sid: number): number | undefined => {
    const fat = fatSectors[Math.floor(sid / perSector)];
    return fat === undefined ? undefined : u32(bytes, (fat + 1) * sectorSize + (sid % perSector) * 4);
  };

  // The directory is a chain of sectors holding 128-byte entries.
  const entryOffsets: number[] = [];
  let complete = true;
  const seen = new Set<number>();
  let sid = u32(bytes, 0x30);
  while (sid !== undefined && sid <= MAX_REGULAR_SECTOR) {
    if (seen.has(sid)) break; // a loop in a damaged file
    seen.add(sid);
    const base = (sid + 1) * sectorSize;
    if (base + sectorSize > bytes.length) {
      complete = false;
      break;
    }
    for (let off = 0; off < sectorSize; off += 128) entryOffsets.push(base + off);
    sid = nextSector(sid);
  }
  if (sid === undefined) complete = false;
  const root = entryOffsets[0];
  if (root === undefined || bytes[root + 0x42] !== 5) return undefined;

  // Children of the root form a red-black tree through left/right sibling ids.
  const names = new Set<string>();
  const pending = [u32(bytes, root + 0x4c)];
  const visited = new Set<number>();
  while (pending.length > 0) {
    const id = pending.pop();
    if (id === undefined) {
      complete = false;
      continue;
    }
    if (id === NOSTREAM || visited.has(id)) continue;
    visited.add(id);
    const at = entryOffsets[id];
    if (at === undefined) {
      complete = false;
      continue;
    }
    const name = ole2EntryName(bytes, at);
    if (name !== undefined) names.add(name);
    pending.push(u32(bytes, at + 0x44), u32(bytes, at + 0x48));
  }
  return { names, complete };
}

function ole2EntryName(bytes: Uint8Array, at: number): string | undefined {
  const length = u16(bytes, at + 0x40); // in bytes, including the UTF-16 terminator
  if (length === undefined || length < 2 || length > 64 || length % 2 !== 0) return undefined;
  let name = '';
  for (let i = 0; i < length - 2; i += 2) name += String.fromCharCode(u16(bytes, at + i)!);
  return name;
}

// ---------------------------------------------------------------------------------------------
// ZIP packages: docx, xlsx and ofd are zips told apart by their entry names.

function sniffZip(bytes: Uint8Array): FileKind {
  const names = zipEntryNames(bytes);
  const has = (n: string): boolean => names.has(n);
  const under = (prefix: string): boolean => [...names].some((n) => n.startsWith(prefix));
  // Main part names are fixed in practice; the content-types marker catches renamed main parts.
  if (has('word/document.xml') || (has('[Content_Types].xml') && under('word/'))) return 'docx';
  if (has('xl/workbook.xml') || (has('[Content_Types].xml') && under('xl/'))) return 'xlsx';
  if ([...names].some((n) => n.toLowerCase() === 'ofd.xml')) return 'ofd';
  return 'zip';
}

function zipEntryNames(bytes: Uint8Array): Set<string> {
  // The central directory lists exactly the archive's own entries; scanning raw bytes instead
  // would also find entries of a .docx stored (uncompressed) inside a plain zip.
  return centralDirectoryNames(bytes) ?? localHeaderNames(bytes);
}

const decoder = new TextDecoder('utf-8'); // non-fatal: a GBK name just decodes to junk, harmlessly

function entryName(bytes: Uint8Array, at: number, length: number): string {
  return decoder.decode(bytes.subarray(at, at + length)).replaceAll('\\', '/');
}

function centralDirectoryNames(bytes: Uint8Array): Set<string> | undefined {
  // End-of-central-directory record: 22 bytes plus a comment of up to 65535.
  const eocdSig = [0x50, 0x4b, 0x05, 0x06];
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (startsWith(bytes, eocdSig, i)) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = u16(bytes, eocd + 10);
  const offset = u32(bytes, eocd + 16);
  if (count === undefined || offset === undefined || count === 0xffff || offset === 0xffffffff) return undefined; // zip64

  const names = new Set<string>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (!startsWith(bytes, [0x50, 0x4b, 0x01, 0x02], at)) return undefined;
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    if (nameLength === undefined || extraLength === undefined || commentLength === undefined) return undefined;
    if (at + 46 + nameLength > bytes.length) return undefined;
    names.add(entryName(bytes, at + 46, nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

// For a truncated download (no central directory): walk the local headers from the start.
function localHeaderNames(bytes: Uint8Array): Set<string> {
  const sig = [0x50, 0x4b, 0x03, 0x04];
  const names = new Set<string>();
  let at = 0;
  while (startsWith(bytes, sig, at)) {
    const flags = u16(bytes, at + 6);
    const compressedSize = u32(bytes, at + 18);
    const nameLength = u16(bytes, at + 26);
    const extraLength = u16(bytes, at + 28);
    if (flags === undefined || compressedSize === undefined || nameLength === undefined || extraLength === undefined) break;
    if (at + 30 + nameLength > bytes.length) break;
    names.add(entryName(bytes, at + 30, nameLength));
    const dataStart = at + 30 + nameLength + extraLength;
    if ((flags & 0x08) !== 0 && compressedSize === 0) {
      // Size comes after the data (streamed writer): find the next header the slow way.
      const next = indexOf(bytes, sig, dataStart, bytes.length);
      if (next < 0) break;
      at = next;
    } else {
      at = dataStart + compressedSize;
    }
  }
  return names;
}
