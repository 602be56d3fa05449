// Long texts in forms. A card input holds at most 1,000 characters (input `max_length` is 1–1000,
// open.feishu.cn …/card-json-v2-components/interactive-components/input), so a field allowed
// more (a 2,000-character 工作室简介) is shown as several inputs: `id`, `id__2`, `id__3`…
// The caller joins them back with `joinTextParts` before validating action.form_value.

/** Characters one card input can hold. */
export const INPUT_MAX_CHARS = 1000;

/** The form name of part `index` (0-based) of field `id`; part 0 is the field id itself. */
export const partName = (id: string, index: number) => (index === 0 ? id : `${id}__${index + 1}`);

const PART = /^(.+)__(\d+)$/;

/**
 * action.form_value with the parts of long texts joined into their field (`intro`, `intro__2`,
 * `intro__3` → `intro`). Other values pass through unchanged. Field ids never contain `__`.
 */
export function joinTextParts(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const parts = new Map<string, { index: number; text: string }[]>();
  for (const [key, value] of Object.entries(form)) {
    const m = PART.exec(key);
    if (m && typeof value === 'string') {
      const list = parts.get(m[1]!) ?? [];
      list.push({ index: Number(m[2]), text: value });
      parts.set(m[1]!, list);
    } else out[key] = value;
  }
  for (const [id, list] of parts) {
    const first = typeof out[id] === 'string' ? (out[id] as string) : '';
    out[id] =
      first +
      list
        .sort((a, b) => a.index - b.index)
        .map((p) => p.text)
        .join('');
  }
  return out;
}

/** Splits a text into chunks of at most `size` characters (code points, never half a character). */
export function splitText(text: string, size: number = INPUT_MAX_CHARS): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
