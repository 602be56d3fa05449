// Cards about the bot itself, for administrators of everything: an event it gave up on.
import { card, markdown, note, type Card } from './components.js';
import { safe, safeLine } from './journey/common.js';
import type { HandledEvent } from '../src/lark/events.js';

const EVENT_TEXT: Record<HandledEvent, string> = {
  'im.message.receive_v1': '用户发来的消息或文件',
  'application.bot.menu_v6': '菜单点击',
  'im.chat.member.bot.added_v1': '机器人进群',
  'im.chat.member.bot.deleted_v1': '机器人被移出群',
  'im.chat.access_event.bot_p2p_chat_entered_v1': '用户打开私聊',
};

export function deadEventCard(v: { eventType: string; receivedAt: string; attempts: number; reason: string; from?: string }): Card {
  const what = (EVENT_TEXT as Record<string, string | undefined>)[v.eventType] ?? v.eventType;
  return card({
    title: '一条消息处理失败，已停止处理',
    template: 'red',
    summary: '一条消息处理失败，已停止处理',
    elements: [
      markdown(`**${safeLine(what, 40)}**（${safeLine(v.receivedAt, 30)} 收到${v.from ? `，来自 ${safeLine(v.from, 40)}` : ''}）已尝试处理 ${v.attempts} 次，都没有完成，助手不再重试，其他工作不受影响。`),
      markdown(`原因：${safe(v.reason, 300)}`),
      note('如果发件人还需要办理，请让他重新发送或换一种方式（例如把大文件拆小）。技术人员可在 /healthz 和日志中查看（status = dead）。'),
    ],
  });
}
