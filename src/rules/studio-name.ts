// Studio names built from a campaign's naming pattern, e.g. '{领办人}{职业工种}技能大师工作室'.
import { type Check, fail, ok } from './result.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Fills `{key}` placeholders from `values` (trimmed). A value that already ends with the text that
 * follows its placeholder ('数控车工技能大师工作室' before '技能大师工作室') is not doubled.
 * `prefix` (e.g. '温州市鹿城区') is prepended unless the name already starts with it.
 */
export function buildStudioName(pattern: string, values: Record<string, string | undefined>, opts: { prefix?: string } = {}): Check {
  const parts: { literal: string; key?: string }[] = [];
  let last = 0;
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    parts.push({ literal: pattern.slice(last, m.index), key: m[1]!.trim() });
    last = m.index + m[0].length;
  }
  const tail = pattern.slice(last);

  const missing = parts.map((p) => p.key!).filter((key, i, keys) => !values[key]?.trim() && keys.indexOf(key) === i);
  if (missing.length > 0) {
    return fail(`生成工作室名称需要先填写${missing.map((k) => `「${k}」`).join('')}`);
  }

  let name = '';
  parts.forEach((part, i) => {
    name += part.literal;
    let value = values[part.key!]!.trim();
    // The literal text right after this placeholder (up to the next placeholder).
    const following = i + 1 < parts.length ? parts[i + 1]!.literal : tail;
    if (following && value.endsWith(following)) value = value.slice(0, -following.length);
    name += value;
  });
  name += tail;

  const prefix = opts.prefix?.trim();
  if (prefix && !name.startsWith(prefix)) name = prefix + name;
  return ok(name);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const squeeze = (s: string) => s.replace(/\s+/gu, '');

/**
 * Whether a typed studio name follows the form a notice prescribes ("温州市鹿城区+领办人名字+职业
 * 工种名称+技能大师工作室"): the prefix, the literal parts in order, the placeholders listed in
 * `exact` equal to their answers (the leader's name), the others present (occupations are named in
 * more than one correct way). Spaces are ignored. Returns what was wrong, in the notice's terms.
 */
export function followsStudioNameForm(
  typed: string,
  pattern: string,
  values: Record<string, string | undefined>,
  opts: { prefix?: string; exact?: readonly string[] } = {},
): { ok: true } | { ok: false; problem: string } {
  const name = squeeze(typed);
  const prefix = squeeze(opts.prefix ?? '');
  if (prefix && !name.startsWith(prefix)) return { ok: false, problem: `应以“${prefix}”开头` };
  let source = `^${escapeRegExp(prefix)}`;
  let last = 0;
  const named: string[] = [];
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(squeeze(pattern.slice(last, m.index)));
    const key = m[1]!.trim();
    const value = values[key] ? squeeze(values[key]!) : '';
    if (opts.exact?.includes(key) && value) {
      source += escapeRegExp(value);
      named.push(`${key}“${value}”`);
    } else {
      source += '.+';
      named.push(key);
    }
    last = m.index + m[0].length;
  }
  const tail = squeeze(pattern.slice(last));
  source += `${escapeRegExp(tail)}$`;
  if (new RegExp(source, 'u').test(name)) return { ok: true };
  if (tail && !name.endsWith(tail)) return { ok: false, problem: `应以“${tail}”结尾` };
  return { ok: false, problem: `应依次写明${named.join('、')}` };
}
