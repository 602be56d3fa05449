// Files at once, measured on the bot as `npm start` runs it: four applicants with drafts each send a
// 20 MB attachment (their slots' limit), four people without a draft send 95 MB each, and an
// administrator sends a 1.5-million-row studio list; prints what was downloaded and kept, and the
// bot's peak resident memory.
// Usage: npm run figures:files
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { loadCampaignDir } from '../src/campaigns/loader.js';
import { openDatabase } from '../src/db/database.js';
import { startLarkEmulator } from '../src/emulator/server.js';
import { buildPush, deliver, messageEvent } from '../src/emulator/signing.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { storedAnswers } from '../tests/helpers/fixtures.js';
import { startBot, throwawayDatabase } from './lib/figures.js';

const APP = { appId: 'cli_files_figures', appSecret: 'secret' };
const TOKEN = 'files_token';
const KEY = 'files_key_0123456789';
const MB = 1024 * 1024;

const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pdf = (bytes: number) => {
  const b = Buffer.alloc(bytes, 0x20);
  Buffer.from('%PDF-1.4\n').copy(b);
  return b;
};

function bigStudioList(rows: number): Promise<Buffer> {
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
  const body: string[] = [];
  for (let i = 2; i <= rows + 1; i++) body.push(`<row r="${i}"><c r="A${i}"><v>1</v></c></row>`);
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}${body.join('')}</sheetData></worksheet>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const emulator = await startLarkEmulator({ apps: [{ appId: APP.appId, appSecret: APP.appSecret }] });
const db = await throwawayDatabase('sqlite');
const dataDir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'smsb-files-figures-'));
const bot = await startBot({
  LARK_APP_ID: APP.appId,
  LARK_APP_SECRET: APP.appSecret,
  LARK_VERIFICATION_TOKEN: TOKEN,
  LARK_ENCRYPT_KEY: KEY,
  LARK_DOMAIN: emulator.url,
  DATABASE_URL: db.url,
  DATA_DIR: dataDir,
  ADMIN_IDS: 'ou_files_admin',
});
const database = openDatabase({ dialect: 'sqlite', url: db.url });
const weihai = loadCampaignDir(join(PROJECT_ROOT, 'campaigns')).campaigns.find((c) => c.id === 'weihai-2024')!;
const applicants = Array.from({ length: 4 }, (_, i) => `ou_files_applicant_${i}`);
for (const openId of applicants)
  await database.client.application.create({
    data: { id: randomUUID(), campaignId: weihai.id, applicantId: openId, answers: JSON.stringify(storedAnswers(weihai)) },
  });
const idleMb = peakRssMb(bot.child.pid!);

const sends: { openId: string; name: string; bytes: Buffer }[] = [
  ...applicants.map((openId) => ({ openId, name: '申请报告.pdf', bytes: pdf(20 * MB) })),
  ...Array.from({ length: 4 }, (_, i) => ({ openId: `ou_files_stranger_${i}`, name: '大文件.pdf', bytes: pdf(95 * MB) })),
  { openId: 'ou_files_admin', name: '全省工作室.xlsx', bytes: await bigStudioList(1_500_000) },
];
const t0 = performance.now();
await Promise.all(
  sends.map(async (s) => {
    const messageId = `om_${randomUUID().replace(/-/g, '')}`;
    const key = `file_v3_${messageId.slice(3, 19)}`;
    emulator.putResource(messageId, key, s.bytes, s.name);
    const event = messageEvent({
      appId: APP.appId,
      token: TOKEN,
      sender: { open_id: s.openId },
      chatId: emulator.p2pChatId(s.openId),
      chatType: 'p2p',
      messageType: 'file',
      content: { file_key: key, file_name: s.name },
      messageId,
      emulator,
    });
    await deliver(`${bot.url}/lark/events`, buildPush({ encryptKey: KEY, verificationToken: TOKEN, payload: event }));
  }),
);
for (;;) {
  if (sends.every((s) => emulator.messagesTo(emulator.p2pChatId(s.openId)).length >= 1)) break;
  if (performance.now() - t0 > 120_000) throw new Error('not every sender was answered within 120 s');
  await new Promise((r) => setTimeout(r, 100));
}
const seconds = (performance.now() - t0) / 1000;
const downloads = emulator.calls.filter((c) => c.method === 'GET' && /\/resources\//.test(c.path));
const kept: number[] = [];
const walk = (dir: string) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name));
    else kept.push(statSync(join(dir, e.name)).size);
  }
};
walk(join(dataDir, 'files'));
const titles = sends.map((s) => JSON.parse(emulator.messagesTo(emulator.p2pChatId(s.openId))[0]!.content).header?.title?.content as string);
console.log(
  `sent: 4 × 20 MB from applicants with drafts, 4 × 95 MB from people without one, 1 studio list of 1,500,000 rows (${(sends.at(-1)!.bytes.byteLength / MB).toFixed(1)} MB)`,
);
console.log(
  `answered all ${sends.length} in ${seconds.toFixed(1)} s: ${[...new Set(titles)].map((t) => `「${t}」×${titles.filter((x) => x === t).length}`).join(' ')}`,
);
console.log(
  `downloads started: ${downloads.length} (the four without a draft: none); files kept: ${kept.length}, ${(kept.reduce((a, b) => a + b, 0) / MB).toFixed(1)} MB`,
);
console.log(`bot peak RSS ${peakRssMb(bot.child.pid!).toFixed(0)} MB (idle ${idleMb.toFixed(0)} MB)`);
await bot.stop();
await database.close();
await emulator.close();
await db.drop();
