// A .zip written to disk one entry at a time: each entry's bytes go to the file as they are added
// and only its central-directory record (name, sizes, CRC, offset) stays in memory, so a zip of
// thousands of documents never holds more than the one being added. Entries are deflated, or
// stored where deflating does not pay (a .docx is itself a deflated zip). No ZIP64: a part is kept
// far below 4 GB and 65,535 entries by its caller (Lark takes 30 MB per file).
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** General purpose flag bit 11: names are UTF-8 (Chinese file names open right in Windows 10+, macOS, WPS). */
const UTF8 = 0x0800;

/** An entry made ready to add: its bytes as they will be stored, and how big it makes the zip. */
export interface PreparedEntry {
  name: Buffer;
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
}

/** Deflates (or stores, when that is not smaller) one entry's content. */
export async function prepareEntry(name: string, content: Buffer, compress = true): Promise<PreparedEntry> {
  const crc = crc32(content);
  const deflated = compress ? await deflate(content) : undefined;
  const smaller = deflated && deflated.length < content.length;
  return { name: Buffer.from(name, 'utf8'), data: smaller ? deflated : content, method: smaller ? 8 : 0, crc, size: content.length };
}

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipFileWriter {
  readonly #central: Buffer[] = [];
  #offset = 0;
  #centralSize = 0;
  readonly #stamp = dosDateTime(new Date());

  private constructor(
    readonly path: string,
    private readonly file: Awaited<ReturnType<typeof open>>,
  ) {}

  static async create(path: string): Promise<ZipFileWriter> {
    return new ZipFileWriter(path, await open(path, 'w', 0o600));
  }

  get entries(): number {
    return this.#central.length;
  }

  /** The size of the finished zip if it ended now. */
  get size(): number {
    return this.#offset + this.#centralSize + END_RECORD;
  }

  /** The size of the finished zip if it ended after this entry. */
  sizeWith(e: PreparedEntry): number {
    return this.size + LOCAL_HEADER + CENTRAL_HEADER + 2 * e.name.length + e.data.length;
  }

  async add(e: PreparedEntry): Promise<void> {
    if (this.#central.length >= 0xffff || this.sizeWith(e) >= 0xffffffff) throw new Error('zip too large without ZIP64');
    const local = Buffer.alloc(LOCAL_HEADER);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(this.#stamp.time, 10);
    local.writeUInt16LE(this.#stamp.date, 12);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(e.name.length, 26);
    local.writeUInt16LE(0, 28);
    await this.file.writev([local, e.name, e.data]);

    const central = Buffer.alloc(CENTRAL_HEADER);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: UNIX, 2.0 (permissions below)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt16LE(this.#stamp.time, 12);
    central.writeUInt16LE(this.#stamp.date, 14);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(e.name.length, 28);
    // extra, comment, disk number, internal attributes: 0
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    central.writeUInt32LE(this.#offset, 42);
    const record = Buffer.concat([central, e.name]);
    this.#central.push(record);
    this.#centralSize += record.length;
    this.#offset += LOCAL_HEADER + e.name.length + e.data.length;
  }

  /** Writes the central directory and closes the file; returns the zip's size. */
  async close(): Promise<number> {
    const end = Buffer.alloc(END_RECORD);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#central.length, 8);
    end.writeUInt16LE(this.#central.length, 10);
    end.writeUInt32LE(this.#centralSize, 12);
    end.writeUInt32LE(this.#offset, 16);
    await this.file.writev([...this.#central, end]);
    await this.file.close();
    return this.size;
  }

  /** Closes the file without finishing it (the caller removes it). */
  async abort(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }
}
