// Sniffing decides from the bytes: renamed files are caught, real ones pass whatever their name.
import { describe, expect, it } from 'vitest';
import { checkAttachment, type FileKind, fileKindLabel, formatSize, kindMatchesAccept, sniffFileKind } from '../../../src/files/sniff.js';
import { bmp1x1, docx, elf, GIF, JPEG, ofd, ole2, PDF, PNG, peExe, RAR4, RAR5, text, WEBP, xlsx, zip } from './fixtures.js';

const MiB = 1024 * 1024;

describe('sniffFileKind', () => {
  const cases: Array<[string, Uint8Array, string | undefined, FileKind]> = [
    ['PDF', PDF, '申请报告.pdf', 'pdf'],
    ['PDF with junk before the header', new Uint8Array([...text('\r\n\r\n'), ...PDF]), 'a.pdf', 'pdf'],
    ['JPEG 1×1', JPEG, 'photo.jpg', 'jpeg'],
    ['PNG 1×1', PNG, 'photo.png', 'png'],
    ['GIF 1×1', GIF, 'a.gif', 'gif'],
    ['WebP 1×1', WEBP, 'a.webp', 'webp'],
    ['BMP 1×1', bmp1x1(), 'a.bmp', 'bmp'],
    ['docx', docx(), '报告.docx', 'docx'],
    ['docx without central directory (truncated)', docx({ truncate: true }), '报告.docx', 'docx'],
    ['docx from a streaming writer (data descriptors, no central directory)', docx({ dataDescriptor: true, truncate: true }), 'a.docx', 'docx'],
    ['xlsx', xlsx(), '名单.xlsx', 'xlsx'],
    ['OFD', ofd(), '发票.ofd', 'ofd'],
    ['plain zip', zip([['readme.txt', 'hello']]), '材料.zip', 'zip'],
    ['zip holding a stored docx is still a zip', zip([['申请材料.docx', docx()]]), '材料.zip', 'zip'],
    ['empty zip', new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]), 'e.zip', 'zip'],
    ['RAR 4', RAR4, 'a.rar', 'rar'],
    ['RAR 5', RAR5, 'a.rar', 'rar'],
    ['doc (OLE2 with WordDocument)', ole2([{ name: 'WordDocument', type: 2 }]), '申请表.doc', 'doc'],
    ['xls (OLE2 with Workbook)', ole2([{ name: 'Workbook', type: 2 }]), '名单.xls', 'xls'],
    ['Excel 95 xls (Book)', ole2([{ name: 'Book', type: 2 }]), '名单.xls', 'xls'],
    [
      'doc found among root siblings',
      ole2([
        { name: '1Table', type: 2, right: 2 },
        { name: 'WordDocument', type: 2 },
      ]),
      undefined,
      'doc',
    ],
    [
      'xls with an embedded Word object is an xls',
      ole2([
        { name: 'Workbook', type: 2, right: 2 },
        { name: 'MBD0001', type: 1, child: 3 },
        { name: 'WordDocument', type: 2 },
      ]),
      'a.doc',
      'xls',
    ],
    ['doc named .xls is a doc', ole2([{ name: 'WordDocument', type: 2 }]), 'a.xls', 'doc'],
    ['PowerPoint (OLE2) is not doc/xls', ole2([{ name: 'PowerPoint Document', type: 2 }]), 'a.doc', 'unknown'],
    ['OLE2 header only, named .xls: name decides', ole2([{ name: 'WordDocument', type: 2 }]).slice(0, 512), 'a.xls', 'xls'],
    ['OLE2 header only, named .doc: name decides', ole2([]).slice(0, 512), 'a.doc', 'doc'],
    ['OLE2 header only, named .pdf', ole2([]).slice(0, 512), 'a.pdf', 'unknown'],
    ['Windows exe renamed .pdf', peExe(), '报告.pdf', 'exe'],
    ['ELF renamed .jpg', elf(), 'photo.jpg', 'exe'],
    ['text renamed .pdf', text('这是一段文字，不是 PDF。\n'), '报告.pdf', 'unknown'],
    ['text starting with BM is no bitmap', text('BMW 4S 店维修记录'), 'a.bmp', 'unknown'],
    ['empty file', new Uint8Array(0), 'a.pdf', 'unknown'],
    ['PDF named .exe is a PDF', PDF, 'virus.exe', 'pdf'],
  ];

  it.each(cases)('%s', (_name, bytes, fileName, kind) => {
    expect(sniffFileKind(bytes, fileName)).toBe(kind);
  });

  it('never trusts the name alone', () => {
    for (const name of ['a.pdf', 'a.docx', 'a.jpg', 'a.zip']) expect(sniffFileKind(text('hello'), name)).toBe('unknown');
  });

  it('survives garbage after every signature', () => {
    const junk = new Uint8Array(300).map((_, i) => (i * 37) & 0xff);
    for (const sig of [
      [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
      [0x50, 0x4b, 0x03, 0x04],
    ]) {
      expect(() => sniffFileKind(new Uint8Array([...sig, ...junk]), 'x')).not.toThrow();
    }
  });
});

describe('fileKindLabel', () => {
  it.each<[FileKind, string]>([
    ['pdf', 'PDF 文档'],
    ['jpeg', 'JPEG 图片'],
    ['doc', 'Word 文档（.doc）'],
    ['xlsx', 'Excel 表格（.xlsx）'],
    ['exe', 'Windows 可执行程序'],
    ['unknown', '无法识别的文件'],
  ])('%s → %s', (kind, label) => {
    expect(fileKindLabel(kind)).toBe(label);
  });
});

describe('kindMatchesAccept', () => {
  it.each<[FileKind, string[], boolean]>([
    ['jpeg', ['jpg'], true],
    ['jpeg', ['jpeg'], true],
    ['jpeg', ['JPG'], true],
    ['pdf', ['pdf', 'jpg', 'png'], true],
    ['docx', ['doc'], false],
    ['doc', ['docx'], false],
    ['ofd', ['ofd'], true],
    ['gif', ['pdf', 'jpg', 'png'], false],
    ['exe', ['pdf'], false],
    ['unknown', ['pdf', 'jpg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'zip', 'rar', 'ofd'], false],
  ])('%s in %j → %s', (kind, accept, ok) => {
    expect(kindMatchesAccept(kind, accept)).toBe(ok);
  });
});

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [12, '12 B'],
    [1023, '1023 B'],
    [820 * 1024, '820 KB'],
    [1024 * 1024 - 100, '1 MB'],
    [1.5 * MiB, '1.5 MB'],
    [20 * MiB, '20 MB'],
    [Math.round(40.2 * MiB), '40.2 MB'],
    [2048 * MiB, '2 GB'],
  ])('%d → %s', (bytes, shown) => {
    expect(formatSize(bytes)).toBe(shown);
  });
});

describe('checkAttachment', () => {
  const licence = { label: '营业执照', accept: ['pdf', 'jpg', 'png'], maxSizeMB: 20 };
  const report = { label: '申请报告', accept: ['pdf', 'doc', 'docx'], maxSizeMB: 20 };

  it('accepts real files by their bytes', () => {
    expect(checkAttachment({ bytes: PDF, name: '执照.pdf' }, licence)).toEqual({ ok: true, kind: 'pdf' });
    expect(checkAttachment({ bytes: JPEG, name: 'IMG_0001' }, licence)).toEqual({ ok: true, kind: 'jpeg' });
    expect(checkAttachment({ bytes: docx(), name: '报告.docx' }, report)).toEqual({ ok: true, kind: 'docx' });
  });

  it('names the real type of an exe renamed .pdf', () => {
    expect(checkAttachment({ bytes: peExe(), name: '报告.pdf' }, licence)).toEqual({
      ok: false,
      message: '「营业执照」只接受 PDF、JPG、PNG 文件，您发送的“报告.pdf”实际是 Windows 可执行程序',
    });
  });

  it('says “是” rather than “实际是” when the name is honest', () => {
    expect(checkAttachment({ bytes: docx(), name: '执照.docx' }, licence)).toEqual({
      ok: false,
      message: '「营业执照」只接受 PDF、JPG、PNG 文件，您发送的“执照.docx”是 Word 文档（.docx）',
    });
  });

  it('rejects unrecognisable content', () => {
    expect(checkAttachment({ bytes: text('hello'), name: '执照.pdf' }, licence)).toEqual({
      ok: false,
      message: '「营业执照」只接受 PDF、JPG、PNG 文件，您发送的“执照.pdf”实际是无法识别的文件',
    });
  });

  it('lists jpg and jpeg once', () => {
    const r = checkAttachment({ bytes: { kind: 'gif', size: 10 }, name: 'a.gif' }, { label: '照片', accept: ['jpg', 'jpeg', 'png'], maxSizeMB: 5 });
    expect(r).toEqual({ ok: false, message: '「照片」只接受 JPG、PNG 文件，您发送的“a.gif”是 GIF 图片' });
  });

  it('names the size limit (40.2 MB against 20 MB, without allocating it)', () => {
    const r = checkAttachment({ bytes: { kind: 'pdf', size: Math.round(40.2 * MiB) }, name: '扫描件.pdf' }, report);
    expect(r).toEqual({ ok: false, message: '「申请报告」单个文件不能超过 20 MB，“扫描件.pdf”有 40.2 MB' });
  });

  it('shows a file just over the limit as over it', () => {
    const r = checkAttachment({ bytes: { kind: 'pdf', size: 20 * MiB + 1 }, name: 'a.pdf' }, report);
    expect(r).toEqual({ ok: false, message: '「申请报告」单个文件不能超过 20 MB，“a.pdf”有 20.01 MB' });
    expect(checkAttachment({ bytes: { kind: 'pdf', size: 20 * MiB }, name: 'a.pdf' }, report)).toEqual({ ok: true, kind: 'pdf' });
  });

  it('checks the type before the size', () => {
    const r = checkAttachment({ bytes: { kind: 'exe', size: 40 * MiB }, name: '报告.pdf' }, report);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('Windows 可执行程序');
  });

  it('rejects an empty file', () => {
    expect(checkAttachment({ bytes: new Uint8Array(0), name: 'a.pdf' }, licence)).toEqual({
      ok: false,
      message: '「营业执照」收到的“a.pdf”是空文件，请重新发送',
    });
  });
});
