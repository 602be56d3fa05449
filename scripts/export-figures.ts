// Export figures: how long the generator takes for a programme of N submitted applications (the
// 申报表 .docx of each, zipped; the 一览表 .xlsx), on this machine, without the database.
// Usage: npm run figures:exports [-- --applications 200]

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';
import { loadCampaignDir } from '../src/campaigns/loader.js';
import { applicationFormDocx } from '../src/exports/application-form.js';
import { summaryListTables, workbook } from '../src/exports/spreadsheets.js';
import type { Answers } from '../src/forms/engine.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { storedAnswers } from '../tests/helpers/fixtures.js';

const { values } = parseArgs({ options: { applications: { type: 'string', default: '200' } } });
const N = Number(values.applications);
const catalog = loadCampaignDir(resolve(PROJECT_ROOT, 'campaigns'));

for (const id of ['weihai-2024', 'wuhan-2024']) {
  const c = catalog.campaigns.find((x) => x.id === id)!;
  const answers = storedAnswers(c) as Answers;
  const t0 = performance.now();
  const zip = new JSZip();
  for (let i = 1; i <= N; i++) {
    const number = `${c.code}${c.year}-${String(i).padStart(4, '0')}`;
    zip.file(
      `${number}.docx`,
      await applicationFormDocx(c, {
        number,
        submittedText: '2024年7月15日 10:00',
        region: c.regions.items[i % c.regions.items.length]!,
        answers,
        declarations: {},
        files: {},
      }),
    );
  }
  const zipped = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  const t1 = performance.now();
  const apps = Array.from({ length: N }, (_, i) => ({
    number: String(i),
    region: c.regions.items[i % c.regions.items.length]!,
    rank: null,
    unitName: 'x',
    studioName: 'y',
    stateText: '审核中',
    submittedText: '',
    answers,
  }));
  const xlsx = await workbook(summaryListTables(c, apps, '2024-07-15'));
  const t2 = performance.now();
  console.log(
    `${id}: ${N} 申报表 .docx + zip ${Math.round(t1 - t0)} ms (${(zipped.length / 1024).toFixed(0)} KB, ${((t1 - t0) / N).toFixed(1)} ms each); 一览表 .xlsx ${Math.round(t2 - t1)} ms (${(xlsx.length / 1024).toFixed(0)} KB)`,
  );
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
