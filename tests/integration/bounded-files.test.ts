// Files only when they are wanted, never whole in memory: a file from someone with no draft is
// answered without being downloaded; an attachment is downloaded no further than its limit (the
// largest slot, or what is left of the sender's daily quota); a studio list of more rows than a
// province has, or that unpacks to far more than it weighs, is refused with what to do; files
// nothing refers to are swept after a day.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STUDIO_ROWS } from '../../src/evaluation/registry.js';
import { LocalFileStore } from '../../src/files/store.js';
import { sweepFiles } from '../../src/files/sweep.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { PDF_BYTES } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { begin } from '../helpers/journey-driver.js';

const weihai = shippedCampaign('weihai-2024');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const pdf = (bytes: number) => {
  const b = Buffer.alloc(bytes, 0x20);
  PDF_BYTES.copy(b);
  return b;
};

describe('bounded files', () => {
  let h: Harness;
  const downloads = () => h.emulator.calls.filter((c) => c.method === 'GET' && /\/resources\//.test(c.path)).length;

  beforeAll(async () => {
    // A small daily quota, so that it can be reached here.
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin', UPLOAD_QUOTA_MB: '1' }, tick: false });
  });
  afterAll(async () => h?.close());

  it('a file from someone without a draft is answered without downloading it, and nothing is kept', async () => {
    const before = downloads();
    const stranger = new Applicant(h, 'ou_no_draft');
    const card = await stranger.sendFile('大文件.pdf', pdf(20 * 1024 * 1024));
    expect(title(card)).toBe('请先开始申报');
    expect(downloads()).toBe(before);
    expect(await h.db.client.upload.count({ where: { ownerId: 'ou_no_draft' } })).toBe(0);
    // The same from an administrator: a .pdf is no programme file or studio list either.
    await new Applicant(h, 'ou_admin').sendFile('材料.pdf', pdf(1024));
    expect(downloads()).toBe(before);
  });

  it('attachments stop at the day’s quota, with what is left said', async () => {
    const a = new Applicant(h, 'ou_quota');
    await begin(a, weihai);
    let card = await a.sendFile('营业执照.pdf', pdf(600 * 1024));
    expect(title(card)).not.toBe('文件没有保存');
    card = await a.sendFile('身份证.pdf', pdf(600 * 1024));
    expect(title(card)).toBe('文件没有保存');
    expect(textOf(card)).toContain('“身份证.pdf”超过今天还能发送的 424 KB（每人每天最多 1 MB），无法保存。请明天再发送，或压缩后再发送。');
    card = await a.sendFile('小图.pdf', pdf(400 * 1024));
    expect(title(card)).not.toBe('文件没有保存');
    card = await a.sendFile('再一张.pdf', pdf(100 * 1024));
    expect(textOf(card)).toContain('“再一张.pdf”超过今天还能发送的 24 KB（每人每天最多 1 MB）');
    expect(await h.db.client.upload.count({ where: { ownerId: 'ou_quota' } })).toBe(2);
  });

  it('a studio list longer than a province is refused whole, with what to do', async () => {
    const admin = new Applicant(h, 'ou_admin');
    const header = '工作室名称,所在单位,领办人,职业（工种）,命名年度,项目,地区';
    const rows = Array.from({ length: MAX_STUDIO_ROWS + 1 }, (_, i) => `工作室${i},单位${i},张三,钳工,2020,威海,环翠区`);
    const card = await admin.sendFile('全部工作室.csv', Buffer.from([header, ...rows].join('\n'), 'utf8'));
    expect(title(card)).toBe('工作室名单导入');
    expect(textOf(card)).toContain(`表格超过 ${MAX_STUDIO_ROWS} 行（不含表头），请分成几个文件分批发送`);
    expect(await h.db.client.studio.count()).toBe(0);
  });

  it('an .xlsx of 1.5 million rows (a few MB packed) is refused before it is read, and the bot carries on', async () => {
    // A valid workbook whose one sheet is 1.5 million rows: packed it is small, unpacked it is not.
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    );
    zip.file(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    );
    zip.file(
      'xl/workbook.xml',
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    );
    zip.file(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    );
    const header =
      '<row r="1">' +
      ['工作室名称', '所在单位', '领办人', '职业（工种）', '命名年度', '项目', '地区']
        .map((t, i) => `<c r="${'ABCDEFG'[i]}1" t="inlineStr"><is><t>${t}</t></is></c>`)
        .join('') +
      '</row>';
    const rows: string[] = [];
    for (let i = 2; i <= 1_500_001; i++) rows.push(`<row r="${i}"><c r="A${i}"><v>1</v></c></row>`);
    zip.file(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}${rows.join('')}</sheetData></worksheet>`,
    );
    const chunks = [await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } })];
    const xlsx = Buffer.concat(chunks);
    expect(xlsx.byteLength).toBeLessThan(10 * 1024 * 1024);
    const admin = new Applicant(h, 'ou_admin');
    const card = await admin.sendFile('全省工作室.xlsx', xlsx);
    expect(textOf(card)).toContain('表格内容太多（解压后超过限制），请分成几个文件分批发送，或另存为 CSV 后发送');
    // One that is not a readable workbook at all is answered too, not retried until it dies.
    const broken = await admin.sendFile('坏表格.xlsx', Buffer.concat([xlsx.subarray(0, 2000), Buffer.alloc(100)]));
    expect(title(broken)).not.toBe('工作室名单导入');
    await settle(h.db);
    expect(await h.db.client.inboxEvent.count({ where: { status: 'dead' } })).toBe(0);
    expect(title(await admin.say('帮助'))).toContain('帮助');
  }, 180_000);

  it('files nothing refers to are swept after a day; those in use, and young ones, are kept', async () => {
    const store = new LocalFileStore(join(h.apps[0]!.config.dataDir, 'files'));
    const used = (await h.db.client.upload.findFirstOrThrow({ where: { ownerId: 'ou_quota' } })).sha256;
    const orphan = await store.put(Buffer.from('一个没有人用的文件'));
    const young = await store.put(Buffer.from('刚收到的文件'));
    const leftover = await store.incoming();
    await (await import('node:fs/promises')).writeFile(leftover, 'half a download');
    const old = new Date(Date.now() - 2 * 24 * 3600_000);
    for (const sha of [used, orphan.sha256]) utimesSync(store.path(sha)!, old, old);
    utimesSync(leftover, old, old);
    await sweepFiles(h.db, store);
    expect(await store.has(orphan.sha256)).toBe(false);
    expect(await store.has(used)).toBe(true);
    expect(await store.has(young.sha256)).toBe(true);
    const left = [];
    for await (const f of store.list()) if ('incoming' in f) left.push(f);
    expect(left).toEqual([]);
  });
});
