// The filled 申报表 sent as a Word file (issue 21), through the real intake: an applicant with no
// draft sends Weihai's official form filled in → the draft is started and filled, the card says how
// many answers, which failed their checks and which were not found; a second applicant who already
// typed some answers keeps them (named on the card); the bot's own export read into another draft
// gives back the same answers; a file that is not a 申报表, a password-protected one and a broken
// one get their sentence, and no draft changes.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationFormDocx } from '../../src/exports/application-form.js';
import { visibleFields, visibleSections } from '../../src/forms/engine.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { filledOfficialForm } from '../helpers/filled-forms.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { compoundFile, rawZip, zerosDeflated } from '../helpers/word-files.js';

const weihai = shippedCampaign('weihai-2024');
const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

describe('a filled 申报表 sent as a Word file', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now });
  });
  afterAll(async () => h?.close());

  const draftOf = (openId: string) => h.db.client.application.findFirst({ where: { applicantId: openId } });

  it('with no draft yet: the open programme whose form it is gets a draft, filled; the card counts and names', async () => {
    const a = new Applicant(h, 'ou_word_a');
    const { docx } = await filledOfficialForm(weihai, { variations: true });
    const card = await a.sendFile('威海市技能大师工作室申报表（已填）.docx', docx);
    expect(title(card), textOf(card)).toMatch(/^已(从申报表)?填入 \d+ 项/);
    const filled = Number(/\*\*(\d+)\*\* 项内容已填入/.exec(textOf(card))?.[1]);
    expect(filled).toBeGreaterThan(20);
    const draft = await draftOf('ou_word_a');
    expect(draft?.campaignId).toBe('weihai-2024');
    expect(draft?.status).toBe('draft');
    const answers = JSON.parse(draft!.answers) as Record<string, unknown>;
    expect(Object.keys(answers).length).toBeGreaterThanOrEqual(filled - 5);
    // Nothing is submitted; the applicant goes on from the first step that needs them.
    await a.click('从第一个需要处理的步骤继续');
    expect(title(a.card!)).toMatch(/第 \d+\/\d+ 步|附件|检查并提交/);
  });

  it('an old .doc, or a WPS file (.wps), is converted with LibreOffice and read like the .docx', async () => {
    const { docx } = await filledOfficialForm(weihai, { variations: true });
    const dir = mkdtempSync(join(tmpdir(), 'word-import-doc-'));
    try {
      writeFileSync(join(dir, 'form.docx'), docx);
      // LibreOffice writes the Word 97 binary format, which is also what WPS saves as .wps.
      await new Promise<void>((resolve, reject) =>
        execFile(
          'soffice',
          [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'doc', '--outdir', dir, join(dir, 'form.docx')],
          { timeout: 120_000 },
          (error) => (error ? reject(error) : resolve()),
        ),
      );
      const doc = readFileSync(join(dir, 'form.doc'));
      const e = new Applicant(h, 'ou_word_e');
      const card = await e.sendFile('威海申报表.wps', doc);
      expect(title(card), textOf(card)).toMatch(/填入 \d+ 项/);
      const answers = JSON.parse((await draftOf('ou_word_e'))!.answers) as Record<string, unknown>;
      expect(answers.unitName).toBe(JSON.parse((await draftOf('ou_word_a'))!.answers).unitName);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('what the applicant already typed is kept and named on the card', async () => {
    const b = new Applicant(h, 'ou_word_b');
    await b.say('申报');
    await b.click((x) => x.value.a === 'j.intro' && x.value.c === 'weihai-2024');
    expect(textOf(b.card!)).toContain('已经填好了申报表？直接发送 Word 文件');
    await b.click((x) => x.value.a === 'j.start');
    const app = (await draftOf('ou_word_b'))!;
    await h.db.client.application.update({ where: { id: app.id }, data: { answers: JSON.stringify({ unitName: '我自己填的单位名称' }) } });
    const { docx } = await filledOfficialForm(weihai, { variations: false });
    const card = await b.sendFile('申报表.docx', docx);
    expect(textOf(card)).toContain('保留了您已填写的内容');
    const after = JSON.parse((await draftOf('ou_word_b'))!.answers) as Record<string, unknown>;
    expect(after.unitName).toBe('我自己填的单位名称');
  });

  it('round trip: the bot’s own export read into another draft gives back the same answers', async () => {
    const answers = storedAnswers(weihai);
    const docx = await applicationFormDocx(weihai, {
      number: 'WH2024-0001',
      submittedText: '',
      region: null,
      answers: answers as never,
      declarations: {},
      files: {},
    });
    const c = new Applicant(h, 'ou_word_c');
    const card = await c.sendFile('WH2024-0001 申报表.docx', docx);
    expect(textOf(card)).not.toContain('没有填入');
    const back = JSON.parse((await draftOf('ou_word_c'))!.answers) as Record<string, unknown>;
    // Every answer the form shows (a question hidden by another answer, like 女职工退休年龄类别 for a man, is not printed).
    const shown = new Set(visibleSections(weihai, answers as never).flatMap((s) => visibleFields(s, answers as never).map((f) => f.id)));
    expect(back).toEqual(Object.fromEntries(Object.entries(answers).filter(([k]) => shown.has(k))));
  });

  it('a Word file that is not a 申报表, a password-protected one, a broken one and a zip bomb: a clear sentence each, within bounds, no draft', async () => {
    const d = new Applicant(h, 'ou_word_d');
    const { Document, Packer, Paragraph } = await import('docx');
    const letter = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('关于召开技能人才工作会议的通知')] }] }));
    expect(textOf(await d.sendFile('会议通知.docx', letter))).toContain('不像是正在开放的项目的申报表');
    const locked = compoundFile([
      { name: 'EncryptionInfo', data: Buffer.alloc(4096, 1) },
      { name: 'EncryptedPackage', data: randomBytes(8192) },
      { name: '\u0006DataSpaces' },
    ]);
    expect(textOf(await d.sendFile('申报表（加密）.docx', locked))).toContain('文件设置了打开密码');
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
    expect(textOf(await d.sendFile('申报表（坏）.docx', broken))).toContain('文件已损坏');
    const zeros = zerosDeflated(1024); // 1 GB of zeros in about 1 MB
    const bomb = rawZip([{ name: 'word/document.xml', data: zeros.data, method: 8, crc: zeros.crc, size: zeros.size }]);
    const before = process.memoryUsage().rss;
    expect(textOf(await d.sendFile('申报表.docx', bomb))).toMatch(/内容过多|太大|超过/);
    expect((process.memoryUsage().rss - before) / 1024 / 1024).toBeLessThan(100);
    expect(await draftOf('ou_word_d')).toBeNull();
  });

  it('with a draft, an unreadable Word file leaves the draft as it was and is offered as an attachment, saying why nothing was filled', async () => {
    const b = new Applicant(h, 'ou_word_b');
    const before = (await draftOf('ou_word_b'))!;
    const locked = compoundFile([
      { name: 'EncryptionInfo', data: Buffer.alloc(4096, 1) },
      { name: 'EncryptedPackage', data: randomBytes(8192) },
      { name: '\u0006DataSpaces' },
    ]);
    const card = await b.sendFile('申报表.docx', locked);
    expect(textOf(card)).toContain('如果这是填好的申报表：文件设置了打开密码');
    const after = (await draftOf('ou_word_b'))!;
    expect(after.answers).toBe(before.answers);
  });
});
