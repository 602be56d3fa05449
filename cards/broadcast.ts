// Cards of broadcasts (通知) and group chats: composer, preview, the card groups receive, the
// self-updating delivery report, and the group list with tags.
import { z } from 'zod';
import { authoredMarkdown, button, buttonRow, type Card, card, divider, type Element, firstFitting, markdown, note, plain } from './components.js';
import { color, progressBar, safe, safeLine } from './journey/common.js';

export const BroadcastAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('b.compose') }),
  /** The composer's form: title, body, campaign, audience, chats, tags, sendAt. */
  z.object({ a: z.literal('b.preview') }),
  z.object({ a: z.literal('b.send'), b: z.string() }),
  z.object({ a: z.literal('b.report'), b: z.string() }),
  z.object({ a: z.literal('b.retry'), b: z.string() }),
  z.object({ a: z.literal('b.cancel'), b: z.string() }),
  /** 开始申报 on a broadcast in a group: the introduction goes to the clicker's private chat. */
  z.object({ a: z.literal('b.apply'), c: z.string() }),
  z.object({ a: z.literal('g.list') }),
  z.object({ a: z.literal('g.sync') }),
  /** `f`: the name of the tags input in the submitted form. */
  z.object({ a: z.literal('g.tag'), chat: z.string(), f: z.string().regex(/^tags_\d+$/) }),
]);
export type BroadcastAction = z.infer<typeof BroadcastAction>;

export interface ComposerView {
  campaigns: { id: string; title: string }[];
  groups: { chatId: string; name: string }[];
  tags: string[];
  /** A region-limited administrator: which groups their broadcasts can reach. */
  audienceNote?: string;
  error?: string;
  values?: { title?: string; body?: string };
}

const CHOOSABLE_GROUPS = 80;

export function composerCard(v: ComposerView): Card {
  // Option lists are what makes this card big: short texts and as many groups as fit keep the worst
  // case under Lark's 30 KB (tests/unit/cards/broadcast-cards.test.ts).
  return firstFitting([CHOOSABLE_GROUPS, 60, 40, 20].map((groups) => () => buildComposer(v, groups)));
}

function buildComposer(v: ComposerView, choosable: number): Card {
  const opts = (items: { value: string; text: string }[], limit = 100, chars = 40) =>
    items.slice(0, limit).map((i) => ({ text: plain(safeLine(i.text, chars)), value: i.value }));
  return card({
    title: '发布通知',
    subtitle: `机器人所在的群：${v.groups.length} 个`,
    template: 'blue',
    summary: '发布通知',
    elements: [
      ...(v.error ? [markdown(color('red', safe(v.error, 300)))] : []),
      ...(v.audienceNote ? [note(safe(v.audienceNote, 300))] : []),
      {
        tag: 'form',
        name: 'compose_form',
        elements: [
          {
            tag: 'input',
            name: 'title',
            placeholder: plain('标题，如 关于申报2026年度技能大师工作室的通知'),
            max_length: 100,
            width: 'fill',
            ...(v.values?.title ? { default_value: v.values.title } : {}),
          },
          {
            tag: 'input',
            name: 'body',
            placeholder: plain('正文（支持 Markdown）'),
            input_type: 'multiline_text',
            rows: 6,
            max_length: 1000,
            width: 'fill',
            ...(v.values?.body ? { default_value: v.values.body } : {}),
          },
          {
            tag: 'select_static',
            name: 'campaign',
            placeholder: plain('关联项目（选填：通知下方出现“开始申报”按钮）'),
            width: 'fill',
            options: opts(v.campaigns.map((c) => ({ value: c.id, text: c.title }))),
          },
          {
            tag: 'select_static',
            name: 'audience',
            placeholder: plain('发送范围'),
            width: 'fill',
            initial_option: 'all',
            options: [
              { text: plain('全部群'), value: 'all' },
              { text: plain('选定的群'), value: 'chats' },
              { text: plain('按标签'), value: 'tag' },
            ],
          },
          ...(v.groups.length
            ? [
                {
                  tag: 'multi_select_static',
                  name: 'chats',
                  placeholder: plain('选定的群（发送范围为“选定的群”时）'),
                  width: 'fill',
                  options: opts(
                    v.groups.map((g) => ({ value: g.chatId, text: g.name })),
                    choosable,
                    24,
                  ),
                },
              ]
            : []),
          ...(v.tags.length
            ? [
                {
                  tag: 'multi_select_static',
                  name: 'tags',
                  placeholder: plain('标签（发送范围为“按标签”时）'),
                  width: 'fill',
                  options: opts(v.tags.map((t) => ({ value: t, text: t }))),
                },
              ]
            : []),
          { tag: 'picker_datetime', name: 'sendAt', placeholder: plain('定时发送（选填，北京时间；不选则确认后立即发送）'), width: 'fill' },
          button({ text: '预览', type: 'primary', name: 'preview', submit: true, value: { a: 'b.preview' } }),
        ],
      },
      ...(v.groups.length > choosable ? [note(`可逐个选择的只有最早加入的 ${choosable} 个群；其余的群请在“群聊管理”中打上标签，再按标签发送。`)] : []),
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
      // The administrator's own formatting (正文支持 Markdown), not escaped like applicants' text.
      markdown(authoredMarkdown(v.body, 3000)),
      ...(v.campaignId
        ? [
            buttonRow([button({ text: '开始申报', type: 'primary', value: { a: 'b.apply', c: v.campaignId } })]),
            note(`点“开始申报”后，${safeLine(v.campaignTitle ?? '', 40)}的申报入口会发到您与助手的私聊中。`),
          ]
        : []),
    ],
  });
}

export function previewCard(v: {
  broadcastId: string;
  title: string;
  body: string;
  campaignId?: string;
  campaignTitle?: string;
  recipients: number;
  audienceText: string;
  scheduledAt?: string;
}): Card {
  const inner = broadcastMessageCard(v);
  return card({
    title: '预览通知',
    subtitle: `将发往 ${v.recipients} 个群（${v.audienceText}）${v.scheduledAt ? `，定时 ${v.scheduledAt}` : ''}`,
    template: 'orange',
    summary: '预览通知',
    elements: [
      markdown(`**${safeLine(v.title, 100)}**`),
      ...inner.body.elements.filter((e) => e.tag === 'markdown'),
      divider(),
      v.recipients
        ? buttonRow([
            button({
              text: v.scheduledAt ? `确认定时发送（${v.recipients} 个群）` : `确认发送到 ${v.recipients} 个群`,
              type: 'primary',
              value: { a: 'b.send', b: v.broadcastId },
            }),
            button({ text: '重新编辑', value: { a: 'b.compose' } }),
          ])
        : markdown(color('red', '没有符合发送范围的群，请重新编辑。')),
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
  /** Set while a scheduled broadcast waits for its time (Beijing time, for display). */
  scheduledAt?: string;
  cancelled?: boolean;
}

export function reportCard(v: ReportView): Card {
  if (v.scheduledAt || v.cancelled) {
    return card({
      title: v.cancelled ? '定时通知已取消' : '通知已定时',
      template: v.cancelled ? 'grey' : 'wathet',
      summary: v.cancelled ? '定时通知已取消' : `通知将于 ${v.scheduledAt} 发送`,
      elements: [
        markdown(`**${safeLine(v.title, 100)}**\n${v.cancelled ? '已取消，不会发送。' : `将于 ${v.scheduledAt}（北京时间）发送；到时此卡片显示发送进度。`}`),
        ...(v.cancelled
          ? []
          : [
              buttonRow([
                button({
                  text: '取消定时发送',
                  type: 'danger',
                  value: { a: 'b.cancel', b: v.broadcastId },
                  confirm: { title: '取消定时发送？', text: '取消后这条通知不会发送。' },
                }),
                button({ text: '刷新', value: { a: 'b.report', b: v.broadcastId } }),
              ]),
            ]),
      ],
    });
  }
  const done = v.pending === 0;
  const elements: Element[] = [
    markdown(`**${safeLine(v.title, 100)}**\n${progressBar(v.sent, v.total)}`),
    markdown(`${color('green', `已发送 ${v.sent}`)}　${color('blue', `发送中 ${v.pending}`)}　${color('red', `失败 ${v.failed.length}`)}　共 ${v.total} 个群`),
  ];
  if (v.failed.length) {
    elements.push(
      markdown(
        `**发送失败**\n${v.failed
          .slice(0, 20)
          .map((f) => `- ${safeLine(f.chat, 40)}：${safeLine(f.reason, 80)}`)
          .join('\n')}${v.failed.length > 20 ? `\n- ……另有 ${v.failed.length - 20} 个` : ''}`,
      ),
    );
    elements.push(buttonRow([button({ text: '重发失败的', type: 'primary', value: { a: 'b.retry', b: v.broadcastId } })]));
  }
  elements.push(buttonRow([button({ text: '刷新', value: { a: 'b.report', b: v.broadcastId } })]));
  return card({
    title: done ? (v.failed.length ? '通知已发送（有失败）' : '通知已全部发送') : '通知发送中',
    template: done ? (v.failed.length ? 'orange' : 'green') : 'blue',
    summary: `通知：已发送 ${v.sent}/${v.total}`,
    elements,
  });
}

export function groupsCard(v: { groups: { chatId: string; name: string; tags: string[] }[]; flash?: string }): Card {
  const elements: Element[] = [];
  if (v.flash) elements.push(markdown(color('green', safe(v.flash, 200))));
  elements.push(markdown(v.groups.length ? `机器人所在的群（${v.groups.length}）` : '机器人还没有加入任何群。把机器人拉进群后，群会出现在这里。'));
  // Each group is a small form; 20 keep the card inside Lark's 200-component limit.
  // Names must be unique across the whole card, not just within a form.
  for (const [i, g] of v.groups.slice(0, 20).entries()) {
    elements.push({
      tag: 'form',
      name: `tag_form_${i}`,
      elements: [
        markdown(`**${safeLine(g.name || g.chatId, 50)}**${g.tags.length ? `　${color('orange', g.tags.map((t) => safeLine(t, 20)).join(' '))}` : ''}`),
        {
          tag: 'input',
          name: `tags_${i}`,
          placeholder: plain('标签，用逗号分隔，如 区人社局,企业群'),
          max_length: 100,
          width: 'fill',
          ...(g.tags.length ? { default_value: g.tags.join(',') } : {}),
        },
        button({ text: '保存标签', name: `tag_save_${i}`, submit: true, value: { a: 'g.tag', chat: g.chatId, f: `tags_${i}` } }),
      ],
    });
  }
  if (v.groups.length > 20) elements.push(note(`另有 ${v.groups.length - 20} 个群未列出（按加入时间排列）。`));
  elements.push(
    buttonRow([button({ text: '从飞书同步群列表', value: { a: 'g.sync' } }), button({ text: '发布通知', type: 'primary', value: { a: 'b.compose' } })]),
  );
  return card({ title: '群聊管理', template: 'indigo', summary: '群聊管理', elements });
}
