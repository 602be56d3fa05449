// Content-addressed storage for received attachments. Addressing by SHA-256 makes re-deliveries
// and resends of the same file free, and lets an object store replace the local one later.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface FileStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Buffer | undefined>;
  /** The first `bytes` bytes (enough to tell what kind of file it is) without reading it all. */
  head(sha256: string, bytes: number): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
  /** A local path for tools that need one; stores without a file system omit it. */
  path?(sha256: string): string | undefined;
  /** A fresh path for a download in progress, on the store's own file system. */
  incoming(): Promise<string>;
  /** Takes a finished download (hashed on its way in) into the store. */
  adopt(tempPath: string, sha256: string): Promise<void>;
  /** Every stored file with when it was stored, and leftovers of downloads that never finished. */
  list(): AsyncIterable<{ sha256: string; storedAt: Date } | { incoming: string; storedAt: Date }>;
  remove(sha256OrIncoming: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/i;

/** Downloads in progress live here until they are hashed and taken in. */
const INCOMING = '.incoming';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Files live at `<root>/ab/cd/<sha256>` so no directory grows too large. */
export class LocalFileStore implements FileStore {
  private readonly root: string;
  // Concurrent puts of the same bytes in this process share one write.
  private readonly writing = new Map<string, Promise<void>>();

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
  }

  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = sha256Hex(bytes);
    const size = bytes.byteLength;
    let pending = this.writing.get(sha256);
    if (!pending) {
      pending = this.writeOnce(sha256, bytes).finally(() => this.writing.delete(sha256));
      this.writing.set(sha256, pending);
    }
    await pending;
    return { sha256, size };
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.fileOf(sha256));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.fileOf(sha256))).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  path(sha256: string): string | undefined {
    const file = this.fileOf(sha256);
    return existsSync(file) ? file : undefined;
  }

  async head(sha256: string, bytes: number): Promise<Buffer | undefined> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.fileOf(sha256), 'r');
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async incoming(): Promise<string> {
    const dir = join(this.root, INCOMING);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return join(dir, `${process.pid}.${randomBytes(8).toString('hex')}.part`);
  }

  async adopt(tempPath: string, sha256: string): Promise<void> {
    const file = this.fileOf(sha256);
    try {
      // Same bytes already stored (a resend): the download is not needed.
      if ((await stat(file)).isFile()) {
        await rm(tempPath, { force: true });
        return;
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const dir = join(file, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await rename(tempPath, file);
    await syncDir(dir);
  }

  async *list(): AsyncIterable<{ sha256: string; storedAt: Date } | { incoming: string; storedAt: Date }> {
    const entries = async (dir: string) => {
      try {
        return await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    };
    for (const e of await entries(join(this.root, INCOMING))) {
      if (e.isFile()) yield { incoming: e.name, storedAt: (await stat(join(this.root, INCOMING, e.name))).mtime };
    }
    for (const a of await entries(this.root)) {
      if (!a.isDirectory() || a.name === INCOMING) continue;
      for (const b of await entries(join(this.root, a.name))) {
        if (!b.isDirectory()) continue;
        for (const f of await entries(join(this.root, a.name, b.name))) {
          if (f.isFile() && SHA256.test(f.name)) yield { sha256: f.name, storedAt: (await stat(join(this.root, a.name, b.name, f.name))).mtime };
        }
      }
    }
  }

  async remove(sha256OrIncoming: string): Promise<void> {
    const path = SHA256.test(sha256OrIncoming) ? this.fileOf(sha256OrIncoming) : join(this.root, INCOMING, sha256OrIncoming.replace(/[\\/]/g, ''));
    await rm(path, { force: true });
  }

  private fileOf(sha256: string): string {
    // The hash becomes a path: anything but 64 hex digits could climb out of the root.
    if (typeof sha256 !== 'string' || !SHA256.test(sha256)) throw new Error(`不是有效的 SHA-256：${String(sha256).slice(0, 80)}`);
    const hex = sha256.toLowerCase();
    return join(this.root, hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  private async writeOnce(sha256: string, bytes: Uint8Array): Promise<void> {
    const file = this.fileOf(sha256);
    // Already there (another process, or an earlier put): same name means same content. A size
    // mismatch can only be damage, so that one is rewritten.
    try {
      if ((await stat(file)).size === bytes.byteLength) return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const dir = join(file, '..');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Temp file in the same directory, so the rename is atomic: readers see all or nothing.
    const temp = join(dir, `.${sha256}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o600); // the bot's user only, whatever the umask
      try {
        await handle.writeFile(bytes);
        await handle.sync(); // data on disk before the name points at it
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDir(dir);
  }
}

// Makes the rename itself durable. Not possible on every platform (Windows), hence best effort.
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
