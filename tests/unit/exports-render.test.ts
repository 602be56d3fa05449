// The 申报表 .docx opened by a real word processor: LibreOffice converts it to PDF, the PDF's
// fonts include a CJK font with the Chinese text extractable (real glyphs, not boxes), and the
// first page is rendered to PNG (kept in test-results/ to look at). .ci/run installs LibreOffice,
// fonts-noto-cjk and poppler-utils; on a machine without them this test says so and is skipped,
// except in CI, where their absence is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applicationFormDocx } from '../../src/exports/application-form.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { shippedCampaign } from '../helpers/campaigns.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const available = has('soffice') && has('pdftoppm') && has('pdffonts') && has('pdftotext');

describe('申报表 .docx in LibreOffice', () => {
  it('LibreOffice and poppler are installed in CI', () => {
    if (process.env.CI) expect(available, 'soffice, pdftoppm, pdffonts and pdftotext (installed by .ci/run)').toBe(true);
  });

  it.runIf(available)(
    'converts to PDF with Chinese in a CJK font, and renders page 1 to PNG',
    async () => {
      const c = shippedCampaign('weihai-2024');
      const dir = mkdtempSync(join(tmpdir(), 'form-'));
      const docx = join(dir, 'form.docx');
      writeFileSync(
        docx,
        await applicationFormDocx(c, {
          number: 'WH2024-0001',
          submittedText: '2024年7月15日 10:00',
          region: '环翠区',
          answers: { unitName: '威海第一机械有限公司', leaderName: '张伟', leaderGender: '男' },
          declarations: {},
          files: {},
        }),
      );
      execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, docx], {
        stdio: 'ignore',
        timeout: 120_000,
      });
      const pdf = join(dir, 'form.pdf');
      expect(statSync(pdf).size).toBeGreaterThan(1000);
      const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
      expect(fonts).toMatch(/CJK|Song|Hei|Ming|WenQuanYi|Droid Sans Fallback/i);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      for (const words of ['威海市技能大师工作室申报表', '申报单位名称', '威海第一机械有限公司', '张伟']) expect(text).toContain(words);
      const out = resolve(PROJECT_ROOT, 'test-results', 'exports');
      mkdirSync(out, { recursive: true });
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(out, 'weihai-form-page1')]);
      const png = readFileSync(join(out, 'weihai-form-page1.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    },
    150_000,
  );
});
