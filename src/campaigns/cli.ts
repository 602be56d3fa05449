// npm run campaigns -- check [dir]: validates every programme file and prints one line each.
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import { createWorkingDayCalendar } from '../rules/working-days.js';
import { loadHolidayOverrides } from './holidays.js';
import { formatCampaignError, loadCampaignDir } from './loader.js';

const [command = 'check', dirArg] = process.argv.slice(2);
if (command !== 'check') {
  console.error(`未知命令「${command}」。用法：npm run campaigns -- check [目录]`);
  process.exit(2);
}
const dir = resolve(dirArg ?? process.env.CAMPAIGNS_DIR ?? resolve(PROJECT_ROOT, 'campaigns'));
const { campaigns, errors: campaignErrors } = loadCampaignDir(dir);
const holidays = loadHolidayOverrides(dir);
const errors = [...campaignErrors, ...holidays.errors];

for (const c of campaigns) {
  const fields = c.form.sections.reduce((n, s) => n + s.fields.reduce((m, f) => m + (f.type === 'group' ? f.fields.length : 1), 0), 0);
  console.log(
    [
      `✓ ${c.id}`,
      c.title,
      c.kind === 'application' ? '申报' : '绩效评估',
      `${c.form.sections.length} 部分`,
      `${fields} 个字段`,
      `${c.form.attachments.length} 个附件`,
      `${c.pipeline.length} 个环节（${c.pipeline.map((s) => s.title).join(' → ')}）`,
      ...(c.source.extends ? [`继承 ${c.source.extends}`] : []),
    ].join(' · '),
  );
}
for (const e of errors) console.log(`✗ ${formatCampaignError(e)}`);
if (holidays.errors.length === 0) {
  const calendar = createWorkingDayCalendar(holidays.years);
  const extra = holidays.years.length ? `（含本地补充：${holidays.years.map((y) => y.year).join('、')}年）` : '';
  console.log(`节假日安排覆盖到 ${calendar.coveredUntil()}${extra}；公示期超出此日期的将无法计算，需在 holidays/ 下补充新一年的安排`);
}
console.log(`${campaigns.length} 个项目有效，${new Set(errors.map((e) => e.file)).size} 个文件有错误（${dir}）`);
process.exit(errors.length > 0 ? 1 : 0);
