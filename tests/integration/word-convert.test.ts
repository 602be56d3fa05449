// Old Word files through LibreOffice (src/files/office-convert.ts) and back into the reader
// (src/files/word.ts): a .doc that LibreOffice itself wrote from a .docx reads back with its
// tables intact; a password-protected .doc is refused before any conversion; the converter's
// timeout kills the whole process group; each conversion has its own profile and leaves nothing
// in the temporary directory. Spawns soffice, hence here and not in tests/unit.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckBox, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { afterAll, describe, expect, it } from 'vitest';
import { libreOfficeConverter } from '../../src/files/office-convert.js';
import { readWordFile } from '../../src/files/word.js';
import type { WordTable } from '../../src/forms/word-document.js';
import { measure, removeTempDirs, tempDir } from '../helpers/word-files.js';

afterAll(removeTempDirs);

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const available = has('soffice');

const NEEDS_DOCX = '这是旧版 Word（.doc）或 WPS 文件，请在 Word 或 WPS 中“另存为”.docx 格式后重新发送。';
const ENCRYPTED = '文件设置了打开密码，助手无法读取。请在 Word 中取消密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码）后重新发送。';

const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('word-convert-'));

/** soffice in its own process group, killed whole if it runs past the timeout (a macro error dialog would hang it). */
function soffice(args: string[], timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('soffice', args, { detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      reject(new Error(`soffice ${args.join(' ')} timed out`));
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function sampleDocx(): Promise<Buffer> {
  const cell = (text: string, opts: { rowSpan?: number; columnSpan?: number } = {}) =>
    new TableCell({ ...opts, children: text.split('\n').map((line) => new Paragraph(line)) });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph('威海市技能大师工作室申报表'),
          new Table({
            rows: [
              new TableRow({ children: [cell('申报单位名称'), cell('威海第一机械有限公司', { columnSpan: 3 })] }),
              new TableRow({ children: [cell('领办人', { rowSpan: 2 }), cell('姓名'), cell('张伟'), cell('男')] }),
              new TableRow({ children: [cell('职业资格'), cell('高级技师\n二级', { columnSpan: 2 })] }),
              new TableRow({
                children: [
                  cell('是否同意公示'),
                  new TableCell({
                    columnSpan: 3,
                    children: [
                      new Paragraph({
                        children: [new CheckBox({ checked: true }), new TextRun('同意 '), new CheckBox({ checked: false }), new TextRun('不同意')],
                      }),
                    ],
                  }),
                ],
              }),
            ],
          }),
          new Paragraph('填表日期：2024年7月15日'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const tableOf = (blocks: { kind: string }[]) => blocks.find((b): b is WordTable => b.kind === 'table');

describe('old Word files through LibreOffice', () => {
  it('LibreOffice is installed in CI', () => {
    if (process.env.CI) expect(available, 'soffice (installed by .ci/run)').toBe(true);
  });

  it.runIf(available)(
    'a .doc that LibreOffice wrote from a .docx reads back converted, its table intact',
    async () => {
      const dir = tempDir('word-doc-');
      const docx = join(dir, '申报表.docx');
      writeFileSync(docx, await sampleDocx());
      await soffice([
        `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'doc',
        '--outdir',
        dir,
        docx,
      ]);
      const doc = join(dir, '申报表.doc');
      expect(readFileSync(doc).subarray(0, 4).toString('hex')).toBe('d0cf11e0');

      const original = await readWordFile(docx, { name: '申报表.docx' });
      if (!original.ok) throw new Error(original.message);
      const before = leftovers();
      const m = await measure(() => readWordFile(doc, { name: '申报表.doc', convert: libreOfficeConverter() }));
      console.log(`.doc → .docx → model: ${m.ms.toFixed(0)} ms, heap +${m.heapMB.toFixed(1)} MB`);
      const read = m.result;
      if (!read.ok) throw new Error(read.message);
      expect(read.converted).toBe(true);
      expect(read.document.blocks.map((b) => b.kind)).toEqual(['paragraph', 'table', 'paragraph']);
      expect(read.document.blocks[0]).toEqual({ kind: 'paragraph', text: '威海市技能大师工作室申报表' });
      expect(tableOf(read.document.blocks)?.rows).toEqual([
        [
          { text: '申报单位名称', span: 1 },
          { text: '威海第一机械有限公司', span: 3 },
        ],
        [
          { text: '领办人', span: 1, vMerge: 'restart' },
          { text: '姓名', span: 1 },
          { text: '张伟', span: 1 },
          { text: '男', span: 1 },
        ],
        [
          { text: '', span: 1, vMerge: 'continue' },
          { text: '职业资格', span: 1 },
          { text: '高级技师\n二级', span: 2 },
        ],
        [
          { text: '是否同意公示', span: 1 },
          { text: '☑同意 ☐不同意', span: 3 },
        ],
      ]);
      // The same as the .docx it came from.
      expect(tableOf(read.document.blocks)).toEqual(tableOf(original.document.blocks));
      // Nothing left behind: profile, copy of the input and output are gone.
      expect(leftovers()).toEqual(before);
    },
    120_000,
  );

  it.runIf(available)(
    'a .doc with an opening password (set by LibreOffice through a macro) is refused as encrypted, never converted',
    async () => {
      const dir = tempDir('word-enc-');
      const docx = join(dir, 'plain.docx');
      const encrypted = join(dir, 'encrypted.doc');
      writeFileSync(docx, await sampleDocx());
      const profile = join(dir, 'profile');
      const profileUrl = `-env:UserInstallation=${pathToFileURL(profile).href}`;
      // A first run lays the profile out; then its Standard library gets the macro.
      await soffice([profileUrl, '--headless', '--norestore', '--convert-to', 'odt', '--outdir', dir, docx]);
      const basic = join(profile, 'user', 'basic', 'Standard');
      mkdirSync(basic, { recursive: true });
      writeFileSync(
        join(basic, 'Module1.xba'),
        `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Main
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden"
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL("${docx}"), "_blank", 0, load())
  Dim save(1) As New com.sun.star.beans.PropertyValue
  save(0).Name = "FilterName"
  save(0).Value = "MS Word 97"
  save(1).Name = "Password"
  save(1).Value = "secret"
  doc.storeToURL(ConvertToURL("${encrypted}"), save())
  doc.close(True)
End Sub
</script:module>`,
      );
      await soffice([
        profileUrl,
        '--headless',
        '--norestore',
        '--nolockcheck',
        'vnd.sun.star.script:Standard.Module1.Main?language=Basic&location=application',
      ]);
      expect(existsSync(encrypted), 'the macro wrote the encrypted .doc').toBe(true);

      let conversions = 0;
      const convert = libreOfficeConverter();
      const m = await measure(() =>
        readWordFile(encrypted, {
          name: '申报表.doc',
          convert: (path) => {
            conversions++;
            return convert(path);
          },
        }),
      );
      expect(m.result).toEqual({ ok: false, problem: 'encrypted', message: ENCRYPTED });
      expect(conversions).toBe(0);
      console.log(`encrypted .doc (LibreOffice, RC4): ${m.ms.toFixed(0)} ms`);
    },
    180_000,
  );

  it.runIf(available)(
    'conversions at once each run with their own profile and all succeed',
    async () => {
      const dir = tempDir('word-many-');
      const docx = join(dir, 'form.docx');
      writeFileSync(docx, await sampleDocx());
      await soffice([
        `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'doc',
        '--outdir',
        dir,
        docx,
      ]);
      const before = leftovers();
      const convert = libreOfficeConverter();
      const start = performance.now();
      const reads = await Promise.all([1, 2, 3].map(() => readWordFile(join(dir, 'form.doc'), { name: 'form.doc', convert })));
      console.log(`3 conversions at once: ${(performance.now() - start).toFixed(0)} ms`);
      for (const r of reads) expect(r).toMatchObject({ ok: true, converted: true });
      expect(leftovers()).toEqual(before);
    },
    180_000,
  );
});

describe('the converter when LibreOffice misbehaves or is missing', () => {
  const fake = (script: string) => {
    const dir = tempDir('word-fake-');
    const path = join(dir, 'soffice');
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return { dir, path };
  };
  const input = () => {
    const dir = tempDir('word-in-');
    const path = join(dir, 'old.doc');
    writeFileSync(path, 'not really a .doc');
    return path;
  };

  it('a conversion that hangs is killed at the timeout, its whole process group with it', async () => {
    const { dir, path } = fake('echo $$ > "$(dirname "$0")/pids"\nsleep 60 &\necho $! >> "$(dirname "$0")/pids"\nwait');
    const before = leftovers();
    const start = performance.now();
    const result = await libreOfficeConverter({ binary: path, timeoutMs: 1000 })(input());
    const ms = performance.now() - start;
    expect(result).toEqual({ ok: false, reason: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(6000);
    const pids = readFileSync(join(dir, 'pids'), 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    // Both the script and the sleep it started are gone (a zombie waiting for its parent counts as gone).
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of pids) {
      const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : undefined;
      expect(state === undefined || state === 'Z', `process ${pid} is ${state}`).toBe(true);
    }
    expect(leftovers()).toEqual(before);
  });

  it('no more conversions run at once than maxParallel: the others wait their turn', async () => {
    // Each run marks itself running, stays about a second, and records how many were running when it started.
    const { dir, path } = fake(
      'd="$(dirname "$0")"; touch "$d/run.$$"; ls "$d" | grep -c "^run\\." >> "$d/seen"; i=0; while [ ! -f "$d/go" ] && [ $i -lt 20 ]; do sleep 0.05; i=$((i+1)); done; rm "$d/run.$$"',
    );
    const convert = libreOfficeConverter({ binary: path, maxParallel: 2 });
    const results = await Promise.all(Array.from({ length: 5 }, () => convert(input())));
    expect(results.every((r) => !r.ok && r.reason === 'failed')).toBe(true);
    const seen = readFileSync(join(dir, 'seen'), 'utf8').trim().split('\n').map(Number);
    expect(seen).toHaveLength(5);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
  });

  it('a converter that writes nothing has failed; one not installed is unavailable; either way the reader asks for a .docx', async () => {
    const { path } = fake('exit 0');
    expect(await libreOfficeConverter({ binary: path })(input())).toEqual({ ok: false, reason: 'failed' });
    expect(await libreOfficeConverter({ binary: '/nonexistent/soffice' })(input())).toEqual({ ok: false, reason: 'unavailable' });
    expect(await libreOfficeConverter({ binary: 'no-such-office-binary' })(input())).toEqual({ ok: false, reason: 'unavailable' });
    const cfb = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    const doc = join(tempDir('word-in-'), 'old.doc');
    writeFileSync(doc, cfb);
    expect(await readWordFile(doc, { name: 'old.doc', convert: libreOfficeConverter({ binary: '/nonexistent/soffice' }) })).toEqual({
      ok: false,
      problem: 'needs_docx',
      message: NEEDS_DOCX,
    });
  });
});
