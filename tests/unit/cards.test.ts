// The help family of cards: valid Card JSON 2.0, Chinese text, working buttons, admin commands for admins only.
import { describe, expect, it } from 'vitest';
import { button, buttonRow, CARD_LIMIT_BYTES, type Card, card, cardBytes } from '../../cards/components.js';
import { groupHelpCard, groupIntroCard, helpCard, ROLE_LABELS, refusedCard, welcomeCard } from '../../cards/help.js';
import type { Role } from '../../src/access/roles.js';
import { COMMANDS, type CommandName } from '../../src/bot/commands.js';

const ROLES: Role[] = ['applicant', 'reviewer', 'expert', 'admin'];
const NAMES = Object.keys(COMMANDS) as CommandName[];
const ADMIN_ONLY: CommandName[] = ['broadcast', 'stats', 'export', 'evaluate', 'role'];
const CJK = /[\u4e00-\u9fff]/;
const URL = 'https://applink.feishu.cn/client/chat/open?openId=ou_bot';

/** Every subset of the four roles, the empty one included. */
const roleSets: Role[][] = Array.from({ length: 16 }, (_, mask) => ROLES.filter((_, i) => mask & (1 << i)));

type Node = Record<string, unknown>;
function walk(value: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object') {
    visit(value as Node);
    Object.values(value).forEach((v) => walk(v, visit));
  }
}

function buttons(c: Card): Node[] {
  const found: Node[] = [];
  walk(c, (n) => n.tag === 'button' && found.push(n));
  return found;
}

const buttonText = (b: Node) => (b.text as { content: string }).content;

/** Every text a user sees: header, tags, summary, markdown, plain text. */
function visibleTexts(c: Card): string[] {
  const texts: string[] = [];
  if (c.config.summary) texts.push(c.config.summary.content);
  walk(c, (n) => {
    if ((n.tag === 'plain_text' || n.tag === 'markdown' || n.tag === 'lark_md') && typeof n.content === 'string') texts.push(n.content);
  });
  return texts;
}

function markdownText(c: Card): string {
  const texts: string[] = [];
  walk(c.body, (n) => n.tag === 'markdown' && texts.push(n.content as string));
  return texts.join('\n');
}

const label = (roles: Role[]) => (roles.length ? roles.join('+') : '(no role)');

const allCards: [string, Card][] = [
  ...roleSets.map((roles): [string, Card] => [`helpCard ${label(roles)}`, helpCard({ roles })]),
  ...roleSets.map((roles): [string, Card] => [`welcomeCard ${label(roles)}`, welcomeCard({ roles, name: '张三' })]),
  ['welcomeCard without a name', welcomeCard({ roles: ['applicant'] })],
  ['groupHelpCard without url', groupHelpCard({})],
  ['groupHelpCard with url', groupHelpCard({ privateChatUrl: URL })],
  ...NAMES.map((asked): [string, Card] => [`groupHelpCard asked ${asked}`, groupHelpCard({ privateChatUrl: URL, asked })]),
  ['groupIntroCard without url', groupIntroCard({})],
  ['groupIntroCard with url', groupIntroCard({ privateChatUrl: URL })],
  ['refusedCard', refusedCard('没有权限：「发送项目文件」仅限不限项目和地区的管理员。')],
];

describe('every card', () => {
  it.each(allCards)('%s: schema 2.0 with a Chinese header title, under the size limit', (_name, c) => {
    expect(c.schema).toBe('2.0');
    const title = (c.header?.title as { tag: string; content: string } | undefined) ?? { tag: '', content: '' };
    expect(title.tag).toBe('plain_text');
    expect(title.content).toMatch(CJK);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
    expect(Array.isArray(c.body.elements)).toBe(true);
    expect(c.body.elements.length).toBeGreaterThan(0);
    // Must survive the trip through JSON unchanged (no undefined, functions, …).
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it.each(allCards)('%s: every button is a callback with an object value or an open_url', (_name, c) => {
    for (const b of buttons(c)) {
      const behaviors = b.behaviors as { type: string; value?: unknown; default_url?: string }[];
      expect(behaviors).toHaveLength(1);
      const [behavior] = behaviors;
      if (behavior!.type === 'callback') {
        expect(behavior!.value).toBeTypeOf('object');
        expect(behavior!.value).not.toBeNull();
        expect(Array.isArray(behavior!.value)).toBe(false);
      } else {
        expect(behavior!.type).toBe('open_url');
        expect(behavior!.default_url).toMatch(/^https:\/\//);
      }
      expect(buttonText(b)).toMatch(CJK);
    }
  });

  it.each(allCards)('%s: all visible text is Chinese', (_name, c) => {
    const texts = visibleTexts(c);
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t).toMatch(CJK);
  });
});

describe('helpCard', () => {
  it.each(roleSets)('admin commands only for administrators: %j', (...roles) => {
    const c = helpCard({ roles });
    const md = markdownText(c);
    const texts = buttons(c).map(buttonText);
    const isAdmin = roles.includes('admin');
    for (const name of ADMIN_ONLY) {
      expect(md.includes(`**${COMMANDS[name].zh}**`)).toBe(isAdmin);
    }
    for (const name of ['broadcast', 'stats', 'export'] as const) {
      if (!isAdmin) expect(texts).not.toContain(COMMANDS[name].zh);
    }
    if (isAdmin) expect(texts).toEqual(expect.arrayContaining(['通知', '统计', '导出']));
  });

  it.each(roleSets)('command buttons send the command they show: %j', (...roles) => {
    for (const b of buttons(helpCard({ roles }))) {
      const value = (b.behaviors as { value: { a: string; c: CommandName } }[])[0]!.value;
      expect(value.a).toBe('cmd');
      expect(COMMANDS[value.c].zh).toBe(buttonText(b));
    }
  });

  it.each<[Role[], string[]]>([
    [['applicant'], ['apply', 'status']],
    [['reviewer'], ['todo']],
    [['expert'], ['todo']],
    [
      ['applicant', 'expert'],
      ['apply', 'status', 'todo'],
    ],
    [['admin'], ['todo', 'broadcast', 'stats', 'export', 'programmes', 'evaluate']],
    [
      ['applicant', 'reviewer', 'admin'],
      ['apply', 'status', 'todo', 'broadcast', 'stats', 'export'],
    ],
  ])('roles %j get buttons %j (at most six, first one primary)', (roles, expected) => {
    const bs = buttons(helpCard({ roles }));
    expect(bs.map((b) => (b.behaviors as { value: { c: string } }[])[0]!.value.c)).toEqual(expected);
    expect(bs.map((b) => b.type)).toEqual(expected.map((_, i) => (i === 0 ? 'primary' : 'default')));
  });

  it('lists every command the roles allow, in Chinese with the English word', () => {
    const md = markdownText(helpCard({ roles: ['applicant', 'reviewer', 'admin'] }));
    for (const name of NAMES.filter((n) => n !== 'help')) {
      expect(md).toContain(`**${COMMANDS[name].zh}**（${COMMANDS[name].en}）`);
    }
  });

  it('shows one tag per role with its Chinese label', () => {
    const c = helpCard({ roles: ['applicant', 'admin'] });
    const tags = (c.header?.text_tag_list as { text: { content: string } }[]).map((t) => t.text.content);
    expect(tags).toEqual([ROLE_LABELS.applicant, ROLE_LABELS.admin]);
  });

  it('has a 帮助 title, the welcome card a 欢迎 title and the greeting first', () => {
    expect((helpCard({ roles: ['applicant'] }).header?.title as { content: string }).content).toContain('帮助');
    const w = welcomeCard({ roles: ['applicant'], name: '李四' });
    expect((w.header?.title as { content: string }).content).toContain('欢迎');
    expect(w.body.elements[0]).toMatchObject({ tag: 'markdown' });
    expect((w.body.elements[0] as { content: string }).content).toMatch(/^李四，您好！/);
    expect((welcomeCard({ roles: ['applicant'] }).body.elements[0] as { content: string }).content).toMatch(/^您好！/);
  });
});

describe('group cards', () => {
  it.each([
    ['groupHelpCard', (url?: string) => groupHelpCard(url ? { privateChatUrl: url } : {})],
    ['groupIntroCard', (url?: string) => groupIntroCard(url ? { privateChatUrl: url } : {})],
  ])('%s has an 打开私聊 link button only when a URL is known', (_name, build) => {
    expect(buttons(build())).toHaveLength(0);
    const bs = buttons(build(URL));
    expect(bs).toHaveLength(1);
    expect(buttonText(bs[0]!)).toBe('打开私聊');
    expect(bs[0]!.behaviors).toEqual([{ type: 'open_url', default_url: URL }]);
  });

  it.each(NAMES.filter((n) => n !== 'help'))('groupHelpCard names the command asked: %s', (asked) => {
    expect(markdownText(groupHelpCard({ asked }))).toContain(`「${COMMANDS[asked].zh}」`);
  });

  it('groupHelpCard for 帮助 or no command gives the general explanation', () => {
    expect(markdownText(groupHelpCard({ asked: 'help' }))).toBe(markdownText(groupHelpCard({})));
    expect(markdownText(groupHelpCard({}))).toContain('私聊');
  });
});

describe('header tags', () => {
  it('at most three, as Lark shows: with four roles the applicant tag is the one left out', () => {
    const tags = (helpCard({ roles: ['applicant', 'reviewer', 'expert', 'admin'] }).header?.text_tag_list as { text: { content: string } }[]).map(
      (t) => t.text.content,
    );
    expect(tags).toEqual([ROLE_LABELS.reviewer, ROLE_LABELS.expert, ROLE_LABELS.admin]);
  });
});

describe('refusedCard', () => {
  it('is titled 没有权限 and says the sentence it was given', () => {
    const c = refusedCard('没有权限：「统计：申报和评审统计」仅限管理员（任何管理范围）。');
    expect((c.header?.title as { content: string }).content).toBe('没有权限');
    expect(markdownText(c)).toContain('「统计：申报和评审统计」仅限管理员');
  });
});

describe('components', () => {
  it('button without a value sends an empty object; with a url opens it', () => {
    expect(button({ text: '确定' })).toEqual({
      tag: 'button',
      text: { tag: 'plain_text', content: '确定' },
      type: 'default',
      behaviors: [{ type: 'callback', value: {} }],
    });
    expect(button({ text: '打开', url: URL, value: { a: 1 } }).behaviors).toEqual([{ type: 'open_url', default_url: URL }]);
  });

  it('buttonRow puts each button in an auto-width column', () => {
    const row = buttonRow([button({ text: '甲' }), button({ text: '乙' })]);
    expect(row).toMatchObject({ tag: 'column_set', flex_mode: 'flow' });
    expect((row.columns as { width: string }[]).map((c) => c.width)).toEqual(['auto', 'auto']);
  });

  it('card leaves out empty optional parts and measures UTF-8 bytes', () => {
    const c = card({ title: '标题', elements: [] });
    expect(c.header).toEqual({ title: { tag: 'plain_text', content: '标题' }, template: 'blue' });
    expect(c.config).toEqual({ update_multi: true, width_mode: 'fill' });
    // Measured as Lark does: the request body, with the card as an escaped string in content.
    const body = JSON.stringify({ receive_id: `oc_${'0'.repeat(61)}`, msg_type: 'interactive', content: JSON.stringify(c), uuid: '0'.repeat(50) });
    expect(cardBytes(c)).toBe(Buffer.byteLength(body, 'utf8'));
    expect(cardBytes(c)).toBeGreaterThan(Buffer.byteLength(JSON.stringify(c), 'utf8') + 100);
    expect(cardBytes(card({ title: '汉', elements: [] })) - cardBytes(card({ title: 'a', elements: [] }))).toBe(2);
    // Every quote in the card costs a backslash more in the request.
    expect(cardBytes(card({ title: '"', elements: [] })) - cardBytes(card({ title: 'a', elements: [] }))).toBe(3);
  });
});
