// Reading an applicant's Word file into the shared document model (src/forms/word-document.ts):
// body paragraphs and tables in order, each cell's text, spans and vertical merges, and check
// boxes in whatever form Word, WPS or a typist left them, as ☑ / ☐.
//
// The file is untrusted. A .docx is a zip: its central directory is checked before anything is
// inflated (entries, declared sizes), then only word/document.xml is inflated, as a stream that
// stops past its limit whatever the archive declared, into a streaming XML reader that builds the
// model as it goes (nothing holds the whole XML). The model is bounded too (rows, cells,
// paragraphs, characters). A compound (OLE2) file is either an encrypted Office file — refused
// with how to remove the password — or an old .doc / WPS file, converted to .docx by the
// `convert` given (LibreOffice, src/files/office-convert.ts) and read like any other.

import { type FileHandle, open } from 'node:fs/promises';
import type { WordCell, WordDocument, WordParagraph, WordTable } from '../forms/word-document.js';
import { CFB_SIGNATURE, isEncryptedPackage, isEncryptedWordDocument, readCompoundRoot } from './compound-file.js';
import type { ConvertResult } from './office-convert.js';
import { type FileKind, fileKindLabel, sniffFileKind } from './sniff.js';
import { decodeXmlText, XmlError, type XmlHandler, XmlStream } from './xml-stream.js';
import { readZipDirectory, streamZipEntry, ZipCorrupt, type ZipDirectory, ZipTooLarge } from './zip-entry.js';

export type WordRead =
  | { ok: true; document: WordDocument; converted: boolean }
  | { ok: false; problem: 'encrypted' | 'corrupt' | 'too_large' | 'not_word' | 'needs_docx'; message: string };

const MiB = 1024 * 1024;

/**
 * What a Word file may hold before it is refused as too large. A filled 申报表 is a few dozen pages:
 * its document.xml is well under 1 MB, with a few hundred table rows and some tens of thousands of
 * characters. The limits leave two orders of magnitude of room (a 500-page report with 2,000
 * table rows reads in well under a second) while keeping a hostile file to a few tens of MB of
 * memory and about a second of work.
 */
export const WORD_LIMITS = {
  /** The file as received: Lark delivers at most 100 MB. */
  fileBytes: 100 * MiB,
  /** Entries in the zip (a .docx has a dozen plus one per picture). */
  zipEntries: 2000,
  /** All entries' declared uncompressed sizes added up (pictures included). */
  zipTotalBytes: 100 * MiB,
  /** The central directory itself (about 100 bytes an entry in practice). */
  zipDirectoryBytes: 4 * MiB,
  /** word/document.xml uncompressed, declared and as actually inflated. */
  documentXmlBytes: 20 * MiB,
  /** Table rows, all tables together. */
  tableRows: 5000,
  /** Table cells, all tables together. */
  tableCells: 100_000,
  /** Paragraphs (empty ones and those in cells too) and tables. */
  blocks: 100_000,
  /** Characters of text in the model. */
  characters: 2_000_000,
  /** XML element nesting (a table in a table adds four levels). */
  xmlDepth: 256,
  /** One XML tag, comment or processing instruction. */
  xmlTokenChars: 1 * MiB,
} as const;

const MESSAGES = {
  encrypted: '文件设置了打开密码，助手无法读取。请在 Word 中取消密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码）后重新发送。',
  corrupt: '文件已损坏，无法打开。请在 Word 中打开确认无误、重新保存后再发送。',
  needsDocx: '这是旧版 Word（.doc）或 WPS 文件，请在 Word 或 WPS 中“另存为”.docx 格式后重新发送。',
  fileTooLarge: `文件超过 ${WORD_LIMITS.fileBytes / MiB} MB，助手无法读取。请删去文档中插入的大图片，只保留填好的申报表后重新发送；证书、照片等附件请单独发送。`,
  packageTooLarge: `文件解压后超过 ${WORD_LIMITS.zipTotalBytes / MiB} MB（多是文档中插入了大量图片），助手无法读取。请删去文档中的图片，只保留填好的申报表后重新发送；证书、照片等附件请单独发送。`,
  tooManyParts: `文件包含的部件超过 ${WORD_LIMITS.zipEntries} 个（多是文档中插入了大量图片或对象），助手无法读取。请删去这些图片或对象，只保留填好的申报表后重新发送。`,
  tooMuchContent: `文件内容过多（正文超过 ${WORD_LIMITS.characters / 10_000} 万字或表格超过 ${WORD_LIMITS.tableRows} 行），助手无法读取。请只发送填好的申报表本身，不要把其他材料合并在同一个文件里。`,
} as const;

type Problem = Extract<WordRead, { ok: false }>;
const problem = (p: Problem['problem'], message: string): Problem => ({ ok: false, problem: p, message });
const CORRUPT = problem('corrupt', MESSAGES.corrupt);
const NEEDS_DOCX = problem('needs_docx', MESSAGES.needsDocx);
const TOO_MUCH_CONTENT = problem('too_large', MESSAGES.tooMuchContent);

/** The model went over one of WORD_LIMITS while being built. */
class ContentTooLarge extends Error {}

export async function readWordFile(path: string, opts: { name: string; convert?: (path: string) => Promise<ConvertResult> }): Promise<WordRead> {
  const route = await inspect(path, opts.name);
  if (route !== 'legacy') return route;
  if (!opts.convert) return NEEDS_DOCX;
  const converted = await opts.convert(path);
  if (!converted.ok) return NEEDS_DOCX;
  try {
    const read = await inspect(converted.path, opts.name);
    if (read === 'legacy') return NEEDS_DOCX;
    if (read.ok) return { ...read, converted: true };
    // Too much is too much whatever the format; anything else is the converter's failure, and
    // saving as .docx in Word or WPS is still the way out.
    return read.problem === 'too_large' ? read : NEEDS_DOCX;
  } finally {
    await converted.cleanup?.();
  }
}

/** Reads a .docx, refuses what cannot be read, or says the file needs converting first. */
async function inspect(path: string, name: string): Promise<WordRead | 'legacy'> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size > WORD_LIMITS.fileBytes) return problem('too_large', MESSAGES.fileTooLarge);
    if (size === 0) return CORRUPT;
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    const startsWith = (sig: readonly number[]) => sig.every((b, i) => head[i] === b);

    if (startsWith([0x50, 0x4b, 0x03, 0x04])) return await readDocx(path, fh, size, name);
    if (startsWith([0x50, 0x4b, 0x05, 0x06])) return notWord(name, 'zip'); // an empty zip
    if (startsWith(CFB_SIGNATURE)) {
      const root = await readCompoundRoot(fh, size);
      if (root && isEncryptedPackage(root)) return problem('encrypted', MESSAGES.encrypted);
      if (root && (await isEncryptedWordDocument(root))) return problem('encrypted', MESSAGES.encrypted);
      if (root?.children.has('Workbook') || root?.children.has('Book')) return notWord(name, 'xls');
      if (root?.children.has('PowerPoint Document')) return notWord(name, 'ppt');
      // A .doc, a WPS file, or a compound file too damaged to tell: the converter decides.
      return 'legacy';
    }
    if (head.toString('latin1', 0, 5) === '{\\rtf') return 'legacy'; // RTF, often named .doc
    const kind = sniffFileKind(head, name);
    if (kind === 'unknown' && /\.(docx?|docm|dotx?|wps)$/i.test(name.trim())) return CORRUPT;
    return notWord(name, kind);
  } catch (err) {
    // A structure read out of its bounds (every read is checked; this is the net under them).
    if (err instanceof RangeError) return CORRUPT;
    throw err;
  } finally {
    await fh.close();
  }
}

function quoted(name: string): string {
  return name.trim() ? `“${name.trim()}”` : '这个文件';
}

function notWord(name: string, kind: FileKind | 'ppt' | 'pptx'): Problem {
  const who = quoted(name);
  if (kind === 'zip') return problem('not_word', `${who}是 ZIP 压缩包，不是 Word 文件。请解压后只发送其中填好的申报表（.docx）。`);
  if (kind === 'unknown') return problem('not_word', `${who}不是 Word 文件，助手无法读取。请发送填好的申报表 Word 文件（.docx）。`);
  const label = kind === 'ppt' ? 'PowerPoint 演示文稿（.ppt）' : kind === 'pptx' ? 'PowerPoint 演示文稿（.pptx）' : fileKindLabel(kind);
  const spaced = /^[A-Za-z]/.test(label) ? ` ${label}` : label;
  return problem('not_word', `${who}是${spaced}，不是 Word 文件，助手无法从中读取申报表。请发送填好的申报表 Word 文件（.docx）。`);
}

async function readDocx(path: string, fh: FileHandle, size: number, name: string): Promise<WordRead> {
  let dir: ZipDirectory;
  try {
    dir = await readZipDirectory(fh, size, {
      maxEntries: WORD_LIMITS.zipEntries,
      maxDirectoryBytes: WORD_LIMITS.zipDirectoryBytes,
    });
  } catch (err) {
    if (err instanceof ZipTooLarge) return problem('too_large', err.limit === 'entries' ? MESSAGES.tooManyParts : MESSAGES.packageTooLarge);
    if (err instanceof ZipCorrupt) return CORRUPT;
    throw err;
  }
  // Part names in a package are case-insensitive (ECMA-376 Part 2, 6.2.2.3).
  const main = dir.entries.filter((e) => e.name.toLowerCase() === 'word/document.xml');
  if (main.length === 0) {
    const has = (n: string) => dir.entries.some((e) => e.name.toLowerCase() === n);
    return notWord(name, has('xl/workbook.xml') ? 'xlsx' : has('ppt/presentation.xml') ? 'pptx' : has('ofd.xml') ? 'ofd' : 'zip');
  }
  if (main.length > 1) return CORRUPT; // two main documents: which one Word shows is anyone's guess
  // Declared sizes first (nothing inflated yet): the document's own, then the whole package's.
  if (main[0]!.size > WORD_LIMITS.documentXmlBytes) return TOO_MUCH_CONTENT;
  if (dir.totalBytes > WORD_LIMITS.zipTotalBytes) return problem('too_large', MESSAGES.packageTooLarge);

  const builder = new DocumentBuilder();
  const xml = new XmlStream(builder, NAMESPACES, { maxDepth: WORD_LIMITS.xmlDepth, maxTokenChars: WORD_LIMITS.xmlTokenChars });
  builder.xml = xml;
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  try {
    await streamZipEntry(path, fh, dir, main[0]!, WORD_LIMITS.documentXmlBytes, (chunk) => {
      // Package parts are UTF-8 or UTF-16 (ECMA-376 Part 2, 8.1.4); a BOM tells which.
      decoder ??= new TextDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8', {
        fatal: true,
      });
      xml.write(decoder.decode(chunk, { stream: true }));
    });
    if (!decoder) return CORRUPT; // an empty part
    xml.write(decoder.decode());
    xml.end();
    return { ok: true, document: builder.finish(), converted: false };
  } catch (err) {
    if (err instanceof ContentTooLarge) return TOO_MUCH_CONTENT;
    if (err instanceof ZipTooLarge) return TOO_MUCH_CONTENT;
    if (err instanceof ZipCorrupt || err instanceof XmlError) return CORRUPT;
    if (err instanceof TypeError && (err as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return CORRUPT;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// document.xml → WordDocument

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const NAMESPACES: ReadonlyMap<string, string> = new Map([
  [W, 'w'],
  ['http://purl.oclc.org/ooxml/wordprocessingml/main', 'w'], // Strict Open XML (Word's "Strict" save)
  ['http://schemas.microsoft.com/office/word/2010/wordml', 'w14'],
  ['http://schemas.openxmlformats.org/markup-compatibility/2006', 'mc'],
]);

const CHECKED = '☑';
const UNCHECKED = '☐';

/**
 * Symbol-font characters that are boxes or ticks, by their code in the font (w:sym's w:char, less
 * the F000 private-use offset Word adds). Wingdings: 6E ■, 6F □, 70 bold □, 71 ❑, 72 ❒, 78 ⌧ (X in
 * a box), A8 ◻, FB ✗, FC ✓, FD ☒, FE ☑ (the Unicode 7.0 mapping of the font, glyph names box3,
 * box4, boxshadowdwn, boxshadowup, clear, box2, xmarkbld, checkbld, boxxmarkbld, boxcheckbld).
 * Wingdings 2: 4F 🗴 (ballot X), 50 ✓, 51 🗵 (box with X), 52 ☑, 53 ☒, 54 ☒ bold, A2 ⬛, A3 ⬜ — the
 * ones Chinese forms use: Wingdings 2 "R" is the ticked box, "S" the crossed one, "£" the empty.
 * A box with an X is a ticked box: it is what Word's own check box shows when checked (☒).
 * Symbol: D6 √ (radical sign, the tick typed in many Chinese forms).
 */
const SYMBOL_FONTS: Record<string, Record<number, string>> = {
  wingdings: {
    110: '■',
    111: UNCHECKED,
    112: UNCHECKED,
    113: UNCHECKED,
    114: UNCHECKED,
    120: CHECKED,
    168: UNCHECKED,
    251: '✗',
    252: '√',
    253: CHECKED,
    254: CHECKED,
  },
  wingdings2: { 79: '✗', 80: '√', 81: CHECKED, 82: CHECKED, 83: CHECKED, 84: CHECKED, 162: '■', 163: UNCHECKED },
  symbol: { 214: '√' },
};

function symbolFont(font: string | undefined): string | undefined {
  if (!font) return undefined;
  const key = font.toLowerCase().replace(/\s+/g, '');
  return key in SYMBOL_FONTS ? key : undefined;
}

/** A character of a symbol font as text: a box or tick it stands for, or nothing (a bullet, an arrow). */
function symbolChar(font: string, code: number): string {
  const c = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  return SYMBOL_FONTS[font]?.[c] ?? '';
}

/** ST_OnOff: absent value means on. */
function onOff(v: string | undefined): boolean {
  return v === undefined || !['false', 'off', '0'].includes(v.toLowerCase());
}

interface Counts {
  rows: number;
  cells: number;
  blocks: number;
  characters: number;
}
interface Container {
  kind: 'body' | 'cell' | 'box';
  lines: string[];
}
interface OpenParagraph {
  text: string;
  /** Paragraphs of text boxes anchored in this one, after its own text. */
  after: string[];
  container: Container;
}
interface OpenCell {
  container: Container;
  span: number;
  vMerge?: 'restart' | 'continue';
}
interface OpenTable {
  table: WordTable;
  row: WordCell[] | null;
  rowDeleted: boolean;
}
interface OpenRun {
  hidden: boolean;
  font?: string;
}
interface OpenSdt {
  checkbox?: boolean;
  placeholder: boolean;
  suppressing: boolean;
}
interface FormField {
  kind?: 'checkbox' | 'dropdown';
  checked?: boolean;
  byDefault?: boolean;
  entries: string[];
  result?: number;
  defaultIndex?: number;
}

class DocumentBuilder implements XmlHandler {
  xml!: XmlStream;
  private readonly blocks: (WordParagraph | WordTable)[] = [];
  private readonly stack: string[] = [];
  private skip = 0;
  private readonly body: Container = { kind: 'body', lines: [] };
  private readonly containers: Container[] = [this.body];
  private readonly paragraphs: OpenParagraph[] = [];
  private readonly cells: OpenCell[] = [];
  private readonly tables: OpenTable[] = [];
  /** Tables of the outermost open table, itself first, nested ones in the order they start. */
  private flat: WordTable[] = [];
  private readonly runs: OpenRun[] = [];
  private readonly sdts: OpenSdt[] = [];
  private readonly alternates: boolean[] = [];
  /** Fields whose instructions (not yet their result) are being read. */
  private readonly fields: boolean[] = [];
  private formField: FormField | undefined;
  private suppress = 0;
  private inText = false;
  /** A check box met outside any paragraph: it starts the next one. */
  private pending = '';
  private root: string | undefined;
  private readonly counts: Counts = { rows: 0, cells: 0, blocks: 0, characters: 0 };

  finish(): WordDocument {
    if (this.root !== 'w:document') throw new XmlError(`the main part is <${this.root}>, not <w:document>`);
    return { blocks: this.blocks };
  }

  private count(what: keyof Counts, n = 1): void {
    this.counts[what] += n;
    const limit = { rows: WORD_LIMITS.tableRows, cells: WORD_LIMITS.tableCells, blocks: WORD_LIMITS.blocks, characters: WORD_LIMITS.characters }[what];
    if (this.counts[what] > limit) throw new ContentTooLarge(what);
  }

  open(name: string, attrs: string): void {
    if (this.skip > 0) {
      this.skip++;
      return;
    }
    this.root ??= name;
    const parent = this.stack[this.stack.length - 1];
    const grandparent = this.stack[this.stack.length - 2];
    const val = (attr = 'w:val') => this.xml.attr(attrs, attr);

    switch (name) {
      case 'w:del':
      case 'w:moveFrom':
        // Deleted (or moved-away) content is dropped; as a property (a deleted row, a deleted
        // paragraph mark) it only marks what it is in.
        if (name === 'w:del' && parent === 'w:trPr') {
          const t = this.tables[this.tables.length - 1];
          if (t) t.rowDeleted = true;
        } else if (!parent?.endsWith('Pr')) {
          this.skip = 1;
          return;
        }
        break;
      case 'w:rt':
        // Ruby (phonetic guide) text above the base text: not part of what was written.
        if (parent === 'w:ruby') {
          this.skip = 1;
          return;
        }
        break;
      case 'mc:AlternateContent':
        this.alternates.push(false);
        break;
      case 'mc:Choice':
      case 'mc:Fallback': {
        // Take the first choice (the reader wants only text, which every choice has) and skip the
        // rest, or the same text box would be read twice.
        const i = this.alternates.length - 1;
        if (i < 0 || this.alternates[i]) {
          this.skip = 1;
          return;
        }
        this.alternates[i] = true;
        break;
      }
      case 'w:p':
        this.count('blocks');
        this.paragraphs.push({ text: this.pending, after: [], container: this.containers[this.containers.length - 1]! });
        this.pending = '';
        break;
      case 'w:r':
        this.runs.push({ hidden: false });
        break;
      case 'w:rFonts':
        if (parent === 'w:rPr' && grandparent === 'w:r') {
          const run = this.runs[this.runs.length - 1];
          if (run) run.font = symbolFont(val('w:ascii')) ?? symbolFont(val('w:hAnsi'));
        }
        break;
      case 'w:vanish':
        if (parent === 'w:rPr' && grandparent === 'w:r') {
          const run = this.runs[this.runs.length - 1];
          if (run) run.hidden = onOff(val());
        }
        break;
      case 'w:t':
        if (parent === 'w:r') this.inText = true;
        break;
      case 'w:tab':
      case 'w:ptab':
        if (parent === 'w:r') this.emit(' ');
        break;
      case 'w:br':
      case 'w:cr':
        if (parent === 'w:r') this.emit('\n');
        break;
      case 'w:noBreakHyphen':
        if (parent === 'w:r') this.emit('-');
        break;
      case 'w:sym':
        if (parent === 'w:r') this.symbol(val('w:font'), val('w:char'));
        break;
      case 'w:fldChar':
        if (parent === 'w:r') this.fieldChar(val('w:fldCharType'));
        break;
      case 'w:checkBox':
        if (parent === 'w:ffData' && this.formField) this.formField.kind = 'checkbox';
        break;
      case 'w:ddList':
        if (parent === 'w:ffData' && this.formField) this.formField.kind = 'dropdown';
        break;
      case 'w:default':
        if (this.formField && parent === 'w:checkBox') this.formField.byDefault = onOff(val());
        if (this.formField && parent === 'w:ddList') this.formField.defaultIndex = Number.parseInt(val() ?? '0', 10);
        break;
      case 'w:checked':
        if (this.formField && parent === 'w:checkBox') this.formField.checked = onOff(val());
        break;
      case 'w:result':
        if (this.formField && parent === 'w:ddList') this.formField.result = Number.parseInt(val() ?? '0', 10);
        break;
      case 'w:listEntry':
        if (this.formField && parent === 'w:ddList') this.formField.entries.push(val() ?? '');
        break;
      case 'w:sdt':
        this.sdts.push({ placeholder: false, suppressing: false });
        break;
      case 'w14:checkbox': {
        const sdt = this.sdts[this.sdts.length - 1];
        if (sdt && parent === 'w:sdtPr') sdt.checkbox ??= false;
        break;
      }
      case 'w14:checked': {
        const sdt = this.sdts[this.sdts.length - 1];
        if (sdt && parent === 'w14:checkbox') sdt.checkbox = onOff(val('w14:val'));
        break;
      }
      case 'w:showingPlcHdr': {
        // The control still shows its prompt ("单击或点击此处输入文字"): nothing was entered.
        const sdt = this.sdts[this.sdts.length - 1];
        if (sdt && parent === 'w:sdtPr') sdt.placeholder = onOff(val());
        break;
      }
      case 'w:sdtContent': {
        const sdt = this.sdts[this.sdts.length - 1];
        if (sdt && parent === 'w:sdt') {
          // A check box control's content is its glyph (☒ / ☐ in MS Gothic by default): the state
          // is in w14:checked, and the glyph is replaced by ours.
          if (sdt.checkbox !== undefined) this.glyph(sdt.checkbox);
          if (sdt.checkbox !== undefined || sdt.placeholder) {
            sdt.suppressing = true;
            this.suppress++;
          }
        }
        break;
      }
      case 'w:tbl': {
        this.count('blocks');
        const table: WordTable = { kind: 'table', rows: [] };
        if (this.tables.length === 0) this.flat = [table];
        else this.flat.push(table);
        this.tables.push({ table, row: null, rowDeleted: false });
        break;
      }
      case 'w:tr': {
        const t = this.tables[this.tables.length - 1];
        if (t) {
          this.count('rows');
          t.row = [];
          t.rowDeleted = false;
        }
        break;
      }
      case 'w:tc': {
        this.count('cells');
        const container: Container = { kind: 'cell', lines: [] };
        this.cells.push({ container, span: 1 });
        this.containers.push(container);
        break;
      }
      case 'w:gridSpan':
        if (parent === 'w:tcPr' && grandparent === 'w:tc') {
          const cell = this.cells[this.cells.length - 1];
          const n = Number.parseInt(val() ?? '1', 10);
          if (cell && Number.isFinite(n)) cell.span = Math.min(Math.max(n, 1), 64); // Word allows 63 columns
        }
        break;
      case 'w:vMerge':
        if (parent === 'w:tcPr' && grandparent === 'w:tc') {
          const cell = this.cells[this.cells.length - 1];
          if (cell) cell.vMerge = val() === 'restart' ? 'restart' : 'continue';
        }
        break;
      case 'w:txbxContent':
        this.containers.push({ kind: 'box', lines: [] });
        break;
    }
    this.stack.push(name);
  }

  close(name: string): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.stack.pop();
    switch (name) {
      case 'w:t':
        this.inText = false;
        break;
      case 'w:r':
        this.runs.pop();
        break;
      case 'w:p': {
        const p = this.paragraphs.pop();
        if (p) this.deliver(p.container, p.text, p.after);
        break;
      }
      case 'w:fldChar':
        this.endFormField();
        break;
      case 'w:sdtContent': {
        const sdt = this.sdts[this.sdts.length - 1];
        if (sdt?.suppressing) {
          sdt.suppressing = false;
          this.suppress--;
        }
        break;
      }
      case 'w:sdt':
        this.sdts.pop();
        break;
      case 'mc:AlternateContent':
        this.alternates.pop();
        break;
      case 'w:tc': {
        const cell = this.cells.pop();
        if (!cell) break;
        this.containers.pop();
        const row = this.tables[this.tables.length - 1]?.row;
        if (row) row.push({ text: cell.container.lines.join('\n'), span: cell.span, ...(cell.vMerge ? { vMerge: cell.vMerge } : {}) });
        break;
      }
      case 'w:tr': {
        const t = this.tables[this.tables.length - 1];
        if (t?.row) {
          if (!t.rowDeleted) t.table.rows.push(t.row);
          t.row = null;
        }
        break;
      }
      case 'w:tbl':
        this.tables.pop();
        if (this.tables.length === 0) {
          this.blocks.push(...this.flat);
          this.flat = [];
        }
        break;
      case 'w:txbxContent': {
        const box = this.containers.pop();
        if (!box) break;
        const p = this.paragraphs[this.paragraphs.length - 1];
        if (p) p.after.push(...box.lines);
        else if (box.lines.length > 0) this.deliver(this.containers[this.containers.length - 1]!, box.lines[0]!, box.lines.slice(1));
        break;
      }
    }
  }

  text(raw: string, cdata: boolean): void {
    if (!this.inText || this.skip > 0) return;
    // A tab character typed into w:t (some writers do) is a tab like w:tab.
    let s = (cdata ? raw : decodeXmlText(raw)).replaceAll('\t', ' ');
    const font = this.runs[this.runs.length - 1]?.font;
    if (font) s = s.replace(/[\u0000-\u00ff\uf000-\uf0ff]/g, (c) => symbolChar(font, c.charCodeAt(0)));
    // ☒ typed (or left by a check box control that lost its w14 markup) means ticked.
    this.emit(s.replaceAll('☒', CHECKED));
  }

  private emit(s: string, inFieldCode = false): void {
    if (!s || this.suppress > 0) return;
    if (!inFieldCode && this.fields.some((instr) => instr)) return;
    if (this.runs[this.runs.length - 1]?.hidden) return;
    const p = this.paragraphs[this.paragraphs.length - 1];
    if (!p) return;
    this.count('characters', s.length);
    p.text += s;
  }

  private glyph(checked: boolean): void {
    const g = checked ? CHECKED : UNCHECKED;
    if (this.paragraphs.length === 0) this.pending += g;
    else this.emit(g, true);
  }

  private deliver(container: Container, text: string, after: string[]): void {
    if (container.kind !== 'body') {
      container.lines.push(text, ...after);
      return;
    }
    this.blocks.push({ kind: 'paragraph', text });
    for (const line of after) {
      this.count('blocks');
      this.blocks.push({ kind: 'paragraph', text: line });
    }
  }

  private symbol(font: string | undefined, char: string | undefined): void {
    const code = Number.parseInt(char ?? '', 16);
    if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return;
    const key = symbolFont(font);
    if (key) this.emit(symbolChar(key, code));
    else if (code < 0xf000 || code > 0xf0ff) this.emit(String.fromCodePoint(code).replaceAll('☒', CHECKED)); // a Unicode font: the character itself
  }

  private fieldChar(type: string | undefined): void {
    if (type === 'begin') {
      if (this.fields.length < 64) this.fields.push(true);
      this.formField = { entries: [] };
    } else if (type === 'separate') {
      if (this.fields.length > 0) this.fields[this.fields.length - 1] = false;
    } else if (type === 'end') {
      this.fields.pop();
    }
  }

  /** A legacy form field (FORMCHECKBOX, FORMDROPDOWN) shows no text of its own: its state is in w:ffData. */
  private endFormField(): void {
    const ff = this.formField;
    this.formField = undefined;
    if (ff?.kind === 'checkbox') this.glyph(ff.checked ?? ff.byDefault ?? false);
    else if (ff?.kind === 'dropdown') this.emit(ff.entries[ff.result ?? ff.defaultIndex ?? 0] ?? '', true);
  }
}
