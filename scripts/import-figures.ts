// Word import figures (issue 21): per programme, a filled 申报表 in its official layout (with the
// variations people make) and the bot's own export, read and recognised as the bot does: fields
// recognised / fields in the form, values that pass the checks and equal what was written, and the
// time per document (read + recognise, mean of N runs), with the process's peak RSS.
// Usage: npm run figures:import [-- --runs 20]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCampaignDir } from '../src/campaigns/loader.js';
import type { Campaign } from '../src/campaigns/schema.js';
import { applicationFormDocx } from '../src/exports/application-form.js';
import { readWordFile } from '../src/files/word.js';
import { visibleFields, visibleSections } from '../src/forms/engine.js';
import { recogniseForm } from '../src/forms/form-import.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { FORM_TODAY, filledOfficialForm } from '../tests/helpers/filled-forms.js';
import { storedAnswers } from '../tests/helpers/fixtures.js';
import { scoreImport } from '../tests/helpers/form-import-check.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const catalog = loadCampaignDir(resolve(PROJECT_ROOT, 'campaigns'));
/** The answers the export prints (those the form shows), as the check expects them: scalar values, and group rows apart. */
function splitAnswers(c: Campaign, answers: Record<string, unknown>) {
  const shown = new Set(visibleSections(c, answers as never).flatMap((s) => visibleFields(s, answers as never).map((f) => f.id)));
  const groups: Record<string, Record<string, unknown>[]> = {};
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(answers)) {
    if (!shown.has(k)) continue;
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') groups[k] = v as Record<string, unknown>[];
    else values[k] = v;
  }
  return { values, groups };
}
const dir = mkdtempSync(join(tmpdir(), 'import-figures-'));
const rows: string[] = [];
try {
  for (const id of ['weihai-2024', 'gongshu-2020', 'lucheng-2024', 'zhenjiang-2023', 'wuhan-2024']) {
    const c = catalog.campaigns.find((x) => x.id === id)!;
    const official = await filledOfficialForm(c, { variations: true });
    const answers = storedAnswers(c);
    const exported = await applicationFormDocx(c, {
      number: `${c.code}${c.year}-0001`,
      submittedText: '',
      region: null,
      answers: answers as never,
      declarations: {},
      files: {},
    });
    for (const [layout, docx, expected] of [
      ['official', official.docx, official.expected],
      ['export', exported, splitAnswers(c, answers)],
    ] as const) {
      const path = join(dir, `${id}-${layout}.docx`);
      writeFileSync(path, docx);
      let rec = recogniseForm(c, { blocks: [] });
      const t0 = performance.now();
      for (let i = 0; i < RUNS; i++) {
        const read = await readWordFile(path, { name: `${id}.docx` });
        if (!read.ok) throw new Error(`${id} ${layout}: ${read.message}`);
        rec = recogniseForm(c, read.document);
      }
      const ms = (performance.now() - t0) / RUNS;
      const s = scoreImport(c, rec, expected, { today: FORM_TODAY });
      rows.push(
        `${id.padEnd(16)} ${layout.padEnd(9)} ${`${s.filled}/${s.total}`.padStart(7)} ${`${((100 * s.filled) / s.total).toFixed(1)} %`.padStart(8)} ${String(s.wrong).padStart(6)} ${ms.toFixed(1).padStart(8)} ms  ${(docx.length / 1024).toFixed(0)} KB`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`programme        layout    filled/fields  share  wrong  time/doc  size`);
for (const r of rows) console.log(r);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; ${RUNS} runs each`);
