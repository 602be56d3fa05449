// Parsing the chat commands of the stable contract (Chinese and English, with or without a slash).
import { COMMANDS, type CommandName } from '../access/commands.js';

export { COMMANDS, type CommandName };

export interface Command {
  name: CommandName;
  /** Whatever follows the command word, trimmed. */
  args: string;
}

const byWord = new Map<string, CommandName>();
for (const [name, c] of Object.entries(COMMANDS) as [CommandName, (typeof COMMANDS)[CommandName]][]) {
  byWord.set(c.zh, name);
  byWord.set(c.en, name);
}
byWord.set('?', 'help');
byWord.set('？', 'help');
byWord.set('菜单', 'help');

/** Parses "申报", "/apply", "／帮助 abc", "HELP" …; null when the text is not a command. */
export function parseCommand(text: string): Command | null {
  const trimmed = text.normalize('NFKC').trim().replace(/^\/+/, '').trim();
  if (trimmed === '') return null;
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const name = byWord.get(word.toLowerCase());
  return name ? { name, args: rest.join(' ') } : null;
}

/** Keys of the bot's custom menu: a command name or word ("apply", "申报") or "cmd:apply". */
export function commandFromMenuKey(key: string): Command | null {
  return parseCommand(key.replace(/^cmd[:_-]/i, ''));
}
