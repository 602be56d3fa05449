// Cards of 导出: choose a programme and what to export; the job's progress and result.
import { z } from 'zod';
import { button, buttonRow, type Card, card, type Element, markdown, note, plain } from './components.js';
import { color, safe, safeLine } from './journey/common.js';

export const ExportAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('x.menu'), c: z.string().optional() }),
  /** The menu's form: campaign, what, number (one application's 申报表; blank = every one). */
  z.object({ a: z.literal('x.run') }),
]);

export type ExportKind = 'forms' | 'summary' | 'scores' | 'evaluation';

export const EXPORT_KINDS: Record<ExportKind, string> = {
  forms: '申报表（Word，每份申报一个文件，多份打包为 zip）',
  summary: '申报情况一览表（Excel，每个地区一张表）',
  scores: '专家评分和排名（Excel）',
  evaluation: '绩效评估结果（Excel）',
};

export interface ExportMenuView {
  campaigns: { id: string; title: string }[];
  selected?: string;
  error?: string;
  scopeText: string;
  values?: { what?: string; number?: string };
}

export function exportMenuCard(v: ExportMenuView): Card {
  const elements: Element[] = [];
  if (v.error) elements.push(markdown(`❌ ${color('red', safe(v.error, 300))}`));
  if (!v.campaigns.length) {
    elements.push(markdown('您的管理范围内还没有项目。'));
    return card({ title: '导出', template: 'turquoise', summary: '导出', elements });
  }
  const options = v.campaigns.slice(0, 100).map((p) => ({ text: plain(safeLine(p.title, 60)), value: p.id }));
  const picked = v.campaigns.findIndex((p) => p.id === v.selected);
  const kinds = Object.entries(EXPORT_KINDS).map(([value, text]) => ({ text: plain(text), value }));
  const whatIndex = kinds.findIndex((k) => k.value === v.values?.what);
  elements.push({
    tag: 'form',
    name: 'export_form',
    elements: [
      markdown('选择项目和要导出的内容，生成后文件会发到这个聊天里。'),
      {
        tag: 'select_static',
        name: 'campaign',
        placeholder: plain('项目'),
        width: 'fill',
        options,
        ...(picked >= 0 && picked < 100 ? { initial_index: picked + 1 } : {}),
      },
      {
        tag: 'select_static',
        name: 'what',
        placeholder: plain('导出内容'),
        width: 'fill',
        options: kinds,
        ...(whatIndex >= 0 ? { initial_index: whatIndex + 1 } : {}),
      },
      {
        tag: 'input',
        name: 'number',
        placeholder: plain('只要一份申报表时填写申报编号，如 WH2024-0001（可不填）'),
        max_length: 20,
        width: 'fill',
        ...(v.values?.number ? { default_value: v.values.number } : {}),
      },
      button({ text: '生成并发送', type: 'primary', name: 'run', submit: true, value: { a: 'x.run' } }),
    ],
  });
  elements.push(note(`导出范围：${safeLine(v.scopeText, 200)}。导出文件含完整的身份证号码和电话，请妥善保管，不要转发到群里。`));
  return card({ title: '导出', template: 'turquoise', summary: '导出', elements });
}

export function exportPendingCard(v: { campaign: string; what: ExportKind; number?: string; since: string }): Card {
  return card({
    title: '正在生成导出文件',
    template: 'turquoise',
    summary: '正在生成导出文件',
    elements: [
      markdown(
        `**${safeLine(v.campaign, 80)}**\n${EXPORT_KINDS[v.what]}${v.number ? `：${safeLine(v.number, 20)}` : ''}\n${color('grey', `提交于 ${v.since}，生成后文件会发到这个聊天里。`)}`,
      ),
    ],
  });
}

export function exportDoneCard(v: { campaign: string; fileName: string; detail: string; campaignId: string }): Card {
  return card({
    title: '导出完成',
    template: 'green',
    summary: '导出完成',
    elements: [
      markdown(`**${safeLine(v.campaign, 80)}**\n文件：${safeLine(v.fileName, 120)}\n${safeLine(v.detail, 200)}`),
      note('文件已作为消息发到这个聊天；含个人信息，请妥善保管。'),
      buttonRow([button({ text: '再导出', value: { a: 'x.menu', c: v.campaignId } })]),
    ],
  });
}

export function exportFailedCard(v: { campaign: string; reason: string; campaignId: string }): Card {
  return card({
    title: '导出没有完成',
    template: 'red',
    summary: '导出没有完成',
    elements: [
      markdown(`**${safeLine(v.campaign, 80)}**\n${safe(v.reason, 300)}`),
      buttonRow([button({ text: '重新选择', value: { a: 'x.menu', c: v.campaignId } })]),
    ],
  });
}
