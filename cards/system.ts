// Cards about the bot itself, for administrators of everything: an event it gave up on.
import { type Card, card, markdown, note } from './components.js';
import { safe, safeLine } from './journey/common.js';

/** `what` names the event in words (src/lark/events.ts EVENT_TEXT), else its type is shown. */
export function deadEventCard(v: { eventType: string; what?: string; receivedAt: string; attempts: number; reason: string; from?: string }): Card {
  const what = v.what ?? v.eventType;
  return card({
    title: '一条消息处理失败，已停止处理',
    template: 'red',
    summary: '一条消息处理失败，已停止处理',
    elements: [
      markdown(
        `**${safeLine(what, 40)}**（${safeLine(v.receivedAt, 30)} 收到${v.from ? `，来自 ${safeLine(v.from, 40)}` : ''}）已尝试处理 ${v.attempts} 次，都没有完成，助手不再重试，其他工作不受影响。`,
      ),
      markdown(`原因：${safe(v.reason, 300)}`),
      note('如果发件人还需要办理，请让他重新发送或换一种方式（例如把大文件拆小）。技术人员可在 /healthz 和日志中查看（status = dead）。'),
    ],
  });
}
