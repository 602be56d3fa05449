// Chat commands: Chinese and English words, with or without a slash, with arguments.
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName, commandFromMenuKey, parseCommand } from '../../src/bot/commands.js';

const ALL = Object.entries(COMMANDS) as [CommandName, (typeof COMMANDS)[CommandName]][];
const words = ALL.flatMap(([name, c]) => [
  [name, c.zh],
  [name, c.en],
]) as [CommandName, string][];

describe('parseCommand: every command word', () => {
  it('covers the eight commands of the contract, plus 角色, 项目, 认领 and 删除个人信息', () => {
    expect(ALL.map(([name]) => name).sort()).toEqual([
      'apply',
      'broadcast',
      'claim',
      'erase',
      'evaluate',
      'export',
      'help',
      'programmes',
      'role',
      'stats',
      'status',
      'todo',
    ]);
  });

  it.each(words)('%s ← "%s"', (name, word) => {
    expect(parseCommand(word)).toEqual({ name, args: '' });
  });

  it.each(words)('%s ← "/%s"', (name, word) => {
    expect(parseCommand(`/${word}`)).toEqual({ name, args: '' });
  });

  it.each(words)('%s ← full-width slash "／%s"', (name, word) => {
    expect(parseCommand(`／${word}`)).toEqual({ name, args: '' });
  });

  it.each(words)('%s ← "  %s  " (surrounding spaces)', (name, word) => {
    expect(parseCommand(`  ${word}  `)).toEqual({ name, args: '' });
  });

  it.each(words)('%s ← "%s" upper-cased, with arguments', (name, word) => {
    expect(parseCommand(`/${word.toUpperCase()} 2025 威海`)).toEqual({ name, args: '2025 威海' });
  });
});

describe('parseCommand: forms and arguments', () => {
  it.each<[string, CommandName, string]>([
    ['申报 威海', 'apply', '威海'],
    ['  申报   威海  文登区 ', 'apply', '威海 文登区'],
    ['申报\u3000威海', 'apply', '威海'], // ideographic space
    ['申报\t威海\n', 'apply', '威海'],
    ['HELP', 'help', ''],
    ['Help me', 'help', 'me'],
    ['/Apply', 'apply', ''],
    ['//apply', 'apply', ''],
    ['/ apply', 'apply', ''],
    ['／帮助 abc', 'help', 'abc'],
    ['ａｐｐｌｙ', 'apply', ''], // full-width Latin letters
    ['?', 'help', ''],
    ['？', 'help', ''],
    ['/?', 'help', ''],
    ['菜单', 'help', ''],
    ['角色 授予 ou_abc 专家', 'role', '授予 ou_abc 专家'],
  ])('"%s" → %s (args "%s")', (text, name, args) => {
    expect(parseCommand(text)).toEqual({ name, args });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['/', 'a bare slash'],
    ['／', 'a bare full-width slash'],
    ['申报书怎么写', 'a question that starts with a command word'],
    ['请问怎么申报', 'a sentence containing a command word'],
    ['applying', 'an English word that starts with a command'],
    ['你好', 'a greeting'],
    ['hello', 'unknown English'],
    ['??', 'two question marks'],
    ['#申报', 'another prefix'],
  ])('"%s" (%s) → null', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});

describe('commandFromMenuKey', () => {
  it.each<[string, CommandName | null]>([
    ['cmd:apply', 'apply'],
    ['CMD:apply', 'apply'],
    ['cmd_status', 'status'],
    ['cmd-stats', 'stats'],
    ['apply', 'apply'],
    ['申报', 'apply'],
    ['cmd:申报', 'apply'],
    ['cmd:help', 'help'],
    ['export', 'export'],
    ['cmd:', null],
    ['cmd:unknown', null],
    ['menu_1', null],
    ['', null],
  ])('"%s" → %s', (key, name) => {
    expect(commandFromMenuKey(key)).toEqual(name ? { name, args: '' } : null);
  });

  it.each(ALL)('cmd:%s resolves to its own command', (name) => {
    expect(commandFromMenuKey(`cmd:${name}`)?.name).toBe(name);
  });
});
