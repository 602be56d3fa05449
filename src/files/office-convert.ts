// Converting an old Word (.doc), WPS or RTF file to .docx with LibreOffice, so src/files/word.ts
// reads one format. Each conversion runs `soffice --headless --convert-to docx` in a throwaway
// directory of its own: its own user profile (two instances sharing a profile wait on each other's
// lock or fail), a copy of the input (LibreOffice leaves a lock file beside what it opens, which
// must not land in the file store), and the output. It runs in its own process group and the whole
// group is killed on timeout (soffice is a script that starts oosplash, which starts soffice.bin).
// The output's size is checked, and everything but the output is removed before returning; the
// caller removes the output with `cleanup`.

import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ConvertResult =
  | {
      ok: true;
      path: string;
      /** Removes the converted file and its directory; call it once the file has been read. */
      cleanup?: () => Promise<void>;
    }
  | { ok: false; reason: 'unavailable' | 'failed' | 'timeout' };

const DEFAULT_TIMEOUT_MS = 30_000;

/** Settings the throwaway profile starts with (officecfg Common.xcs, Security/Scripting). */
const HARDENED_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
`;
/** A converted 申报表 is far smaller; the reader refuses more than this anyway. */
const MAX_OUTPUT_BYTES = 100 * 1024 * 1024;

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The binary's path: as given when it has a slash, else the first match on PATH. */
export async function findExecutable(names: readonly string[]): Promise<string | undefined> {
  for (const name of names) {
    if (name.includes('/')) {
      if (await isExecutable(name)) return name;
      continue;
    }
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
    }
  }
  return undefined;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * `maxParallel`: conversions running at once (each is a LibreOffice process of ~1 s and 100+ MB);
 * more wait their turn, so a burst of .doc files cannot exhaust the host.
 */
export function libreOfficeConverter(opts: { timeoutMs?: number; binary?: string; maxParallel?: number } = {}): (path: string) => Promise<ConvertResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const names = opts.binary ? [opts.binary] : ['soffice', 'libreoffice'];
  const maxParallel = opts.maxParallel ?? 2;
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = async (): Promise<() => void> => {
    if (running >= maxParallel) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    return () => {
      running--;
      waiting.shift()?.();
    };
  };

  return async (path: string): Promise<ConvertResult> => {
    const done = await turn();
    try {
      return await convertOne(path);
    } finally {
      done();
    }
  };

  async function convertOne(path: string): Promise<ConvertResult> {
    const binary = await findExecutable(names);
    if (!binary) return { ok: false, reason: 'unavailable' };

    const work = await mkdtemp(join(tmpdir(), 'word-convert-'));
    const removeWork = () => rm(work, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    try {
      const inDir = join(work, 'in');
      const outDir = join(work, 'out');
      const profile = join(work, 'profile');
      await mkdir(inDir);
      await mkdir(outDir);
      // Keep a known extension (type detection leans on it); the store's names have none.
      const ext = /^\.(doc|dot|wps|wpt|rtf|docx)$/i.test(extname(path)) ? extname(path).toLowerCase() : '.doc';
      // The document is untrusted: no macros, no fetching of linked resources while loading it.
      await mkdir(join(profile, 'user'), { recursive: true });
      await writeFile(join(profile, 'user', 'registrymodifications.xcu'), HARDENED_PROFILE);
      const input = join(inDir, `source${ext}`);
      await copyFile(path, input);

      const outcome = await run(
        binary,
        [
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--headless',
          '--invisible',
          '--norestore',
          '--nologo',
          '--nodefault',
          '--nolockcheck',
          '--convert-to',
          'docx:MS Word 2007 XML',
          '--outdir',
          outDir,
          input,
        ],
        timeoutMs,
      );
      if (outcome === 'unavailable' || outcome === 'timeout') {
        await removeWork();
        return { ok: false, reason: outcome };
      }
      const output = join(outDir, 'source.docx');
      const size = await stat(output).then(
        (s) => (s.isFile() ? s.size : -1),
        () => -1,
      );
      // soffice exits 0 even when it could not load the input: the output is what counts.
      if (size <= 0 || size > MAX_OUTPUT_BYTES) {
        await removeWork();
        return { ok: false, reason: 'failed' };
      }
      await rm(profile, { recursive: true, force: true });
      await rm(inDir, { recursive: true, force: true });
      return { ok: true, path: output, cleanup: removeWork };
    } catch (err) {
      await removeWork();
      throw err;
    }
  }
}

/** Runs the converter; resolves once the process has exited (or its group was killed). */
function run(binary: string, args: string[], timeoutMs: number): Promise<'exited' | 'timeout' | 'unavailable'> {
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve(err.code === 'ENOENT' || err.code === 'EACCES' ? 'unavailable' : 'exited');
    });
    child.once('exit', () => {
      clearTimeout(timer);
      // Whatever it left behind in its group (a stray soffice.bin) goes with it.
      killGroup(child.pid);
      resolve(timedOut ? 'timeout' : 'exited');
    });
  });
}
