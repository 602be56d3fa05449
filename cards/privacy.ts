// Cards of the data-protection policy: erasing one person's data on request (PIPL).
import { z } from 'zod';
import { button, buttonRow, type Card, card, markdown, note } from './components.js';
import { safe, safeLine } from './journey/common.js';

export const PrivacyAction = z.discriminatedUnion('a', [
  /** Erase the person's data (after the confirmation card). */
  z.object({ a: z.literal('erase.confirm'), p: z.string().min(1).max(100) }),
]);
export type PrivacyAction = z.infer<typeof PrivacyAction>;

export interface ErasePreview {
  openId: string;
  /** Shown as 申报人; never the open_id. */
  who: string;
  applications: { number: string; title: string; statusText: string }[];
  studios: number;
  objections: number;
}

/** What erasing will remove, with 确认删除. */
export function eraseConfirmCard(v: ErasePreview): Card {
  const apps = v.applications.length
    ? v.applications
        .slice(0, 30)
        .map((a) => `- ${safeLine(a.number, 20)} ${safeLine(a.title, 50)}（${safeLine(a.statusText, 12)}）`)
        .join('\n')
    : '（没有申报）';
  return card({
    title: '删除个人信息',
    subtitle: v.who,
    template: 'red',
    summary: '删除个人信息（待确认）',
    elements: [
      markdown(`将删除申报人 **${safeLine(v.who, 30)}** 在本系统中的个人信息：\n${apps}`),
      markdown(
        [
          '- 上述申报（包括草稿、审核中和已结束的）及其附件、审核记录',
          v.studios ? `- ${v.studios} 个工作室登记的联系人信息（工作室本身作为认定记录保留）` : '',
          v.objections ? `- ${v.objections} 条公示异议` : '',
          '- 与其往来的消息内容、姓名',
          '- 审计日志保留，但不再能对应到这个人',
        ]
          .filter(Boolean)
          .join('\n'),
      ),
      note('删除后无法恢复。已经导出的文件不受影响（导出文件在生成一天后自动删除）。'),
      buttonRow([button({ text: '确认删除', type: 'danger', value: { a: 'erase.confirm', p: v.openId } })]),
    ],
  });
}

export function erasedCard(v: { who: string; applications: number; uploads: number; messages: number }): Card {
  return card({
    title: '已删除个人信息',
    subtitle: v.who,
    template: 'grey',
    summary: '已删除个人信息',
    elements: [
      markdown(
        `已删除 ${safe(v.who, 30)} 的个人信息：申报 ${v.applications} 份、附件 ${v.uploads} 个、消息内容 ${v.messages} 条。附件文件在一小时内从磁盘清除。`,
      ),
      note('审计日志中记录了这次删除，不含被删除的个人信息。'),
    ],
  });
}

export function eraseHelpCard(problem?: string): Card {
  return card({
    title: '删除个人信息',
    template: 'orange',
    summary: '删除个人信息',
    elements: [
      ...(problem ? [markdown(`**${safe(problem, 200)}**`)] : []),
      markdown('按申报人的请求删除其个人信息：发送“删除个人信息 申报编号”，如 `删除个人信息 WH2026-0007`。我会先列出将删除的内容，确认后才删除。'),
    ],
  });
}
