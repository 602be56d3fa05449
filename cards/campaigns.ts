// Administrators are told when programme files have problems; the valid programmes keep working.
import type { CampaignError } from '../src/campaigns/schema.js';
import { type Card, card, markdown, note } from './components.js';

const MAX_LINES = 30;

export function campaignErrorsCard(view: { errors: CampaignError[]; loaded: number; dir: string }): Card {
  const files = [...new Set(view.errors.map((e) => e.file))];
  const shown = view.errors.slice(0, MAX_LINES);
  const lines = shown.map((e) => `- **${e.file}** · \`${e.path}\`：${e.message}`);
  const more = view.errors.length - shown.length;
  return card({
    title: '项目配置文件有错误',
    subtitle: `${files.length} 个文件未能加载，其余 ${view.loaded} 个项目照常运行`,
    template: 'orange',
    summary: `${files.length} 个项目配置文件有错误`,
    elements: [
      markdown(lines.join('\n') + (more > 0 ? `\n- ……另有 ${more} 处问题` : '')),
      note(`修改 ${view.dir} 下的文件后，运行 \`npm run campaigns -- check\` 检查，再重启助手。`),
    ],
  });
}
