// The help card (also the welcome card) and the short cards of the first conversations.
import { z } from 'zod';
import { COMMANDS, type CommandName } from '../src/access/commands.js';
import type { Role } from '../src/access/roles.js';
import { button, buttonRow, type Card, card, divider, markdown, note } from './components.js';
import { safe } from './journey/common.js';

export const ROLE_LABELS: Record<Role, string> = {
  applicant: '申报单位联系人',
  reviewer: '审核人',
  expert: '评审专家',
  admin: '管理员',
};

const ROLE_COLORS: Record<Role, string> = { applicant: 'blue', reviewer: 'turquoise', expert: 'violet', admin: 'orange' };

const SECTIONS: { role: Role; heading: string; commands: CommandName[] }[] = [
  { role: 'applicant', heading: '申报单位', commands: ['apply', 'status', 'claim'] },
  { role: 'reviewer', heading: '审核与评审', commands: ['todo'] },
  { role: 'admin', heading: '管理', commands: ['todo', 'broadcast', 'stats', 'export', 'programmes', 'evaluate', 'role', 'erase'] },
];

/** Commands that mean nothing without what follows them (认领 ABCD-EFGH): listed, not buttons. */
const NEEDS_ARGUMENT = new Set<CommandName>(['claim', 'erase']);

/** A button that runs a chat command (the help card's buttons). */
export const CommandButton = z.discriminatedUnion('a', [z.object({ a: z.literal('cmd'), c: z.string() })]);

/** The value a command button sends back in the card callback. */
export const commandAction = (name: CommandName) => ({ a: 'cmd', c: name });

function line(name: CommandName): string {
  const c = COMMANDS[name];
  return `- **${c.zh}**（${c.en}）— ${c.summary}`;
}

export interface HelpView {
  roles: Role[];
  /** Shown above the commands in the welcome card. */
  greeting?: string;
  /** Days after a programme's deadline that unsubmitted drafts are deleted (announced to applicants). */
  draftDays?: number;
}

export function helpCard(view: HelpView): Card {
  const has = (r: Role) => view.roles.includes(r) || (r === 'reviewer' && view.roles.includes('expert'));
  // A command is listed once, in the first section that has it (待办 is a reviewer's and an administrator's).
  const listed = new Set<CommandName>();
  const sections = SECTIONS.filter((s) => has(s.role))
    .map((s) => ({ ...s, commands: s.commands.filter((c) => !listed.has(c) && (listed.add(c), true)) }))
    .filter((s) => s.commands.length);
  const elements = [
    ...(view.greeting ? [markdown(view.greeting), divider()] : []),
    ...sections.map((s) => markdown(`**${s.heading}**\n${s.commands.map(line).join('\n')}`)),
    ...(view.draftDays && has('applicant')
      ? [note(`个人信息保护：未提交的申报草稿在项目申报截止 ${view.draftDays} 天后删除；审核人、专家和群聊看到的证件号码、电话等信息均已打码。`)]
      : []),
    note('直接发送上面加粗的词（中英文均可，也可加“/”，如 申报、/apply），或点击下方按钮。发送“帮助”可随时回到这里。'),
    buttonRow(
      sections
        .flatMap((s) => s.commands)
        .filter((name) => !NEEDS_ARGUMENT.has(name))
        .slice(0, 6)
        .map((name, i) => button({ text: COMMANDS[name].zh, type: i === 0 ? 'primary' : 'default', value: commandAction(name) })),
    ),
  ];
  return card({
    title: view.greeting ? '欢迎使用技能大师工作室助手' : '技能大师工作室助手 · 帮助',
    subtitle: '申报、审核、评审和绩效评估，都在飞书里完成',
    template: 'blue',
    // At most three tags fit a header: with four roles, 申报单位联系人 (everyone's) is the one left out.
    tags: (view.roles.length > 3 ? view.roles.filter((r) => r !== 'applicant') : view.roles).map((r) => ({ text: ROLE_LABELS[r], color: ROLE_COLORS[r] })),
    summary: '技能大师工作室助手：可用的操作',
    elements,
  });
}

export function welcomeCard(view: { roles: Role[]; name?: string; draftDays?: number }): Card {
  const who = view.name ? `${view.name}，您好！` : '您好！';
  return helpCard({
    roles: view.roles,
    ...(view.draftDays ? { draftDays: view.draftDays } : {}),
    greeting: `${who}我是技能大师工作室助手。我会一步一步引导您填写申报材料，随时保存草稿；审核人和专家可以直接在卡片上审核、打分；管理员可以发布通知、查看进度、导出材料。`,
  });
}

/** In groups the bot never collects personal data: it points to the private chat instead. */
export function groupHelpCard(view: { privateChatUrl?: string; asked?: CommandName }): Card {
  const asked = view.asked && view.asked !== 'help' ? `「${COMMANDS[view.asked].zh}」涉及个人或单位信息，` : '申报、审核、评分等操作涉及个人或单位信息，';
  return card({
    title: '技能大师工作室助手',
    template: 'wathet',
    summary: '请在与助手的私聊中操作',
    elements: [
      markdown(`${asked}请在与我的**私聊**中进行，群里不收集任何个人信息。`),
      note('在群里 @我 并发送“帮助”可再次看到本说明。'),
      ...(view.privateChatUrl ? [buttonRow([button({ text: '打开私聊', type: 'primary', url: view.privateChatUrl })])] : []),
    ],
  });
}

/** In a group, after 角色 @某人: the card itself went to the sender's private chat. */
export function sentPrivatelyCard(view: { privateChatUrl?: string }): Card {
  return card({
    title: '已私信回复',
    template: 'wathet',
    summary: '已私信回复',
    elements: [
      markdown('授予角色的卡片已发到您与助手的**私聊**，请在那里选择角色并确认。'),
      ...(view.privateChatUrl ? [buttonRow([button({ text: '打开私聊', type: 'primary', url: view.privateChatUrl })])] : []),
    ],
  });
}

export function groupIntroCard(view: { privateChatUrl?: string }): Card {
  return card({
    title: '技能大师工作室助手已加入本群',
    template: 'green',
    summary: '技能大师工作室助手已加入本群',
    elements: [
      markdown('我会在这里发布技能大师工作室的申报通知、截止提醒和公示信息。填写申报、审核和评分请在与我的私聊中进行。'),
      ...(view.privateChatUrl ? [buttonRow([button({ text: '打开私聊', type: 'primary', url: view.privateChatUrl })])] : []),
    ],
  });
}

/** A refusal (of a file, say): the sentence that says what is missing. */
export function refusedCard(why: string): Card {
  return card({
    title: '没有权限',
    template: 'orange',
    summary: '没有权限',
    elements: [markdown(safe(why, 300)), note('如需开通，请联系项目管理员在「角色」中为您授权。')],
  });
}
