// Studio names built from a campaign's naming pattern, e.g. '{领办人}{职业工种}技能大师工作室'.
import { fail, ok, type Check } from './result.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Fills `{key}` placeholders from `values` (trimmed). A value that already ends with the text that
 * follows its placeholder ('数控车工技能大师工作室' before '技能大师工作室') is not doubled.
 * `prefix` (e.g. '温州市鹿城区') is prepended unless the name already starts with it.
 */
export function buildStudioName(
  pattern: string,
  values: Record<string, string | undefined>,
  opts: { prefix?: string } = {},
): Check {
  const parts: { literal: string; key?: string }[] = [];
  let last = 0;
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    parts.push({ literal: pattern.slice(last, m.index), key: m[1]!.trim() });
    last = m.index + m[0].length;
  }
  const tail = pattern.slice(last);

  const missing = parts
    .map((p) => p.key!)
    .filter((key, i, keys) => !(values[key]?.trim()) && keys.indexOf(key) === i);
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
