// Cards of broadcasts (通知) and group chats: composer, preview, the card groups receive, the
// self-updating delivery report, and the group list with tags.
import { z } from 'zod';
import { button, buttonRow, card, divider, markdown, note, plain, type Card, type Element } from './components.js';
import { color, progressBar, safe, safeLine } from './journey/common.js';

export const BroadcastAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('b.compose') }),
  /** The composer's form: title, body, campaign, audience, chats, tags. */
  z.object({ a: z.literal('b.preview') }),
  z.object({ a: z.literal('b.send'), b: z.string() }),
  z.object({ a: z.literal('b.report'), b: z.string() }),
  z.object({ a: z.literal('b.retry'), b: z.string() }),
  /** 开始申报 on a broadcast in a group: the introduction goes to the clicker's private chat. */
  z.object({ a: z.literal('b.apply'), c: z.string() }),
  z.object({ a: z.literal('g.list') }),
  z.object({ a: z.literal('g.sync') }),
  z.object({ a: z.literal('g.tag'), chat: z.string() }),
]);
export type BroadcastAction = z.infer<typeof BroadcastAction>;

export interface ComposerView {
  campaigns: { id: string; title: string }[];
  groups: { chatId: string; name: string }[];
  tags: string[];
  error?: string;
  values?: { title?: string; body?: string };
}

export function composerCard(v: ComposerView): Card {
  const opts = (items: { value: string; text: string }[]) => items.slice(0, 100).map((i) => ({ text: plain(safeLine(i.text, 60)), value: i.value }));
  return card({
    title: '发布通知',
    subtitle: `机器人所在的群：${v.groups.length} 个`,
    template: 'blue',
    summary: '发布通知',
    elements: [
      ...(v.error ? [markdown(color('red', safe(v.error, 300)))] : []),
      {
        tag: 'form',
        name: 'compose_form',
        elements: [
          { tag: 'input', name: 'title', placeholder: plain('标题，如 关于申报2026年度技能大师工作室的通知'), max_length: 100, width: 'fill', ...(v.values?.title ? { default_value: v.values.title } : {}) },
          { tag: 'input', name: 'body', placeholder: plain('正文（支持 Markdown）'), input_type: 'multiline_text', rows: 6, max_length: 1000, width: 'fill', ...(v.values?.body ? { default_value: v.values.body } : {}) },
          { tag: 'select_static', name: 'campaign', placeholder: plain('关联项目（选填：通知下方出现“开始申报”按钮）'), width: 'fill', options: opts(v.campaigns.map((c) => ({ value: c.id, text: c.title }))) },
          { tag: 'select_static', name: 'audience', placeholder: plain('发送范围'), width: 'fill', initial_option: 'all', options: [{ text: plain('全部群'), value: 'all' }, { text: plain('选定的群'), value: 'chats' }, { text: plain('按标签'), value: 'tag' }] },
          ...(v.groups.length ? [{ tag: 'multi_select_static', name: 'chats', placeholder: plain('选定的群（发送范围为“选定的群”时）'), width: 'fill', options: opts(v.groups.map((g) => ({ value: g.chatId, text: g.name }))) }] : []),
          ...(v.tags.length ? [{ tag: 'multi_select_static', name: 'tags', placeholder: plain('标签（发送范围为“按标签”时）'), width: 'fill', options: opts(v.tags.map((t) => ({ value: t, text: t }))) }] : []),
          button({ text: '预览', type: 'primary', name: 'preview', submit: true, value: { a: 'b.preview' } }),
        ],
      },
      buttonRow([button({ text: '管理群聊', value: { a: 'g.list' } })]),
    ],
  });
}

/** What the groups receive. */
export function broadcastMessageCard(v: { title: string; body: string; campaignId?: string; campaignTitle?: string }): Card {
  return card({
    title: v.title,
    template: 'blue',
    summary: v.title,
    elements: [
      markdown(safe(v.body, 3000)),
      ...(v.campaignId ? [buttonRow([button({ text: '开始申报', type: 'primary', value: { a: 'b.apply', c: v.campaignId } })]), note(`点“开始申报”后，${safeLine(v.campaignTitle ?? '', 40)}的申报入口会发到您与助手的私聊中。`)] : []),
    ],
  });
}

export function previewCard(v: { broadcastId: string; title: string; body: string; campaignId?: string; campaignTitle?: string; recipients: number; audienceText: string }): Card {
  const inner = broadcastMessageCard(v);
  return card({
    title: '预览通知',
    subtitle: `将发往 ${v.recipients} 个群（${v.audienceText}）`,
    template: 'orange',
    summary: '预览通知',
    elements: [
      markdown(`**${safeLine(v.title, 100)}**`),
      ...inner.body.elements.filter((e) => e.tag === 'markdown'),
      divider(),
      v.recipients ? buttonRow([button({ text: `确认发送到 ${v.recipients} 个群`, type: 'primary', value: { a: 'b.send', b: v.broadcastId } }), button({ text: '重新编辑', value: { a: 'b.compose' } })]) : markdown(color('red', '没有符合发送范围的群，请重新编辑。')),
    ],
  });
}

export interface ReportView {
  broadcastId: string;
  title: string;
  total: number;
  sent: number;
  pending: number;
  failed: { chat: string; reason: string }[];
}

export function reportCard(v: ReportView): Card {
  const done = v.pending === 0;
  const elements: Element[] = [
    markdown(`**${safeLine(v.title, 100)}**\n${progressBar(v.sent, v.total)}`),
    markdown(`${color('green', `已发送 ${v.sent}`)}　${color('blue', `发送中 ${v.pending}`)}　${color('red', `失败 ${v.failed.length}`)}　共 ${v.total} 个群`),
  ];
  if (v.failed.length) {
    elements.push(markdown(`**发送失败**\n${v.failed.slice(0, 20).map((f) => `- ${safeLine(f.chat, 40)}：${safeLine(f.reason, 80)}`).join('\n')}${v.failed.length > 20 ? `\n- ……另有 ${v.failed.length - 20} 个` : ''}`));
    elements.push(buttonRow([button({ text: '重发失败的', type: 'primary', value: { a: 'b.retry', b: v.broadcastId } })]));
  }
  elements.push(buttonRow([button({ text: '刷新', value: { a: 'b.report', b: v.broadcastId } })]));
  return card({ title: done ? (v.failed.length ? '通知已发送（有失败）' : '通知已全部发送') : '通知发送中', template: done ? (v.failed.length ? 'orange' : 'green') : 'blue', summary: `通知：已发送 ${v.sent}/${v.total}`, elements });
}

export function groupsCard(v: { groups: { chatId: string; name: string; tags: string[] }[]; flash?: string }): Card {
  const elements: Element[] = [];
  if (v.flash) elements.push(markdown(color('green', safe(v.flash, 200))));
  elements.push(markdown(v.groups.length ? `机器人所在的群（${v.groups.length}）` : '机器人还没有加入任何群。把机器人拉进群后，群会出现在这里。'));
  // Each group is a small form; 20 keep the card inside Lark's 200-component limit.
  for (const g of v.groups.slice(0, 20)) {
    elements.push({
      tag: 'form',
      name: `tag_${g.chatId.slice(-8)}`,
      elements: [
        markdown(`**${safeLine(g.name || g.chatId, 50)}**${g.tags.length ? `　${color('orange', g.tags.map((t) => safeLine(t, 20)).join(' '))}` : ''}`),
        { tag: 'input', name: 'tags', placeholder: plain('标签，用逗号分隔，如 区人社局,企业群'), max_length: 100, width: 'fill', ...(g.tags.length ? { default_value: g.tags.join(',') } : {}) },
        button({ text: '保存标签', name: 'tag', submit: true, value: { a: 'g.tag', chat: g.chatId } }),
      ],
    });
  }
  if (v.groups.length > 20) elements.push(note(`另有 ${v.groups.length - 20} 个群未列出（按加入时间排列）。`));
  elements.push(buttonRow([button({ text: '从飞书同步群列表', value: { a: 'g.sync' } }), button({ text: '发布通知', type: 'primary', value: { a: 'b.compose' } })]));
  return card({ title: '群聊管理', template: 'indigo', summary: '群聊管理', elements });
}
