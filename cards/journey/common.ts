// Pieces shared by the journey cards: flashes, eligibility lines, the progress bar, coloured text.
import { type Element, escapeMd, markdown, truncate } from '../components.js';
import type { EligibilityLine, Flash } from './views.js';

/** `<font color>` takes the card colour enums (blue, green, orange, red, grey…). */
export const color = (c: 'green' | 'blue' | 'orange' | 'red' | 'grey', text: string) => `<font color='${c}'>${text}</font>`;

/** User or programme text, cut to `max` characters and made literal for markdown. */
export const safe = (text: string, max = 200) => escapeMd(truncate(text.replace(/\r\n?/g, '\n'), max));

/** The same on one line (table cells, list items, button-adjacent text). */
export const safeLine = (text: string, max = 80) => safe(text.replace(/\s*\n\s*/g, ' ').trim(), max);

/**
 * A person in markdown: their name when the bot knows it, else Lark's person tag, which the client
 * shows as the name (卡片 JSON 2.0 富文本「人员」: <person id='open_id' show_name=true …>). Never a bare id.
 */
export const personText = (openId: string, name?: string | null, max = 20) =>
  name ? safeLine(name, max) : /^ou_[\w-]+$/.test(openId) ? `<person id='${openId}' show_name=true show_avatar=false style='normal'></person>` : '（未知用户）';

const FLASH: Record<Flash['kind'], { icon: string; color: 'green' | 'blue' | 'orange' | 'red' }> = {
  success: { icon: '✅', color: 'green' },
  info: { icon: 'ℹ️', color: 'blue' },
  warning: { icon: '⚠️', color: 'orange' },
  error: { icon: '❌', color: 'red' },
};

/** Flashes as one coloured markdown block (none when there are none). */
export function flashBlock(flashes: Flash[], max = 200): Element[] {
  if (!flashes.length) return [];
  return [markdown(flashes.map((f) => `${FLASH[f.kind].icon} ${color(FLASH[f.kind].color, safe(f.text, max))}`).join('\n'))];
}

/** ✅ pass, ❌ fail (must), ⚠️ fail (原则上), ○ not yet known. */
export function eligibilityText(line: EligibilityLine, max = 120): string {
  const title = safeLine(line.title, max);
  const reason = line.reason ? `：${safeLine(line.reason, max)}` : '';
  if (line.status === 'pass') return `✅ ${title}`;
  if (line.status === 'fail') return line.severity === 'warn' ? `⚠️ ${color('orange', title + reason)}` : `❌ ${color('red', title + reason)}`;
  return `○ ${color('grey', title + (reason || '：待填写后判断'))}`;
}

/**
 * The eligibility block. `determinedOnly` leaves out the rules that cannot be judged yet;
 * `failingOnly` (step cards) shows only what is not met, since a rule met is told once when it
 * becomes so and listed on the overview and the summary; notApplicable ones are never shown.
 */
export function eligibilityBlock(
  lines: EligibilityLine[],
  opts: { determinedOnly?: boolean; failingOnly?: boolean; max?: number; heading?: string } = {},
): Element[] {
  const shown = lines.filter(
    (l) => l.status !== 'notApplicable' && (!opts.determinedOnly || l.status === 'pass' || l.status === 'fail') && (!opts.failingOnly || l.status === 'fail'),
  );
  if (!shown.length) return [];
  const heading = opts.heading ?? '**申报条件**';
  return [markdown(`${heading}\n${shown.map((l) => eligibilityText(l, opts.max)).join('\n')}`)];
}

/** ■■■□□□□□ 已完成 3/8 步 (at most 12 squares). */
export function progressBar(done: number, total: number): string {
  const t = Math.max(total, 1);
  const d = Math.min(Math.max(done, 0), t);
  const width = Math.min(t, 12);
  const filled = Math.round((d / t) * width);
  return `${'■'.repeat(filled)}${'□'.repeat(width - filled)} 已完成 ${d}/${total} 步`;
}

/** A red asterisk after a required label. */
export const requiredMark = (required: boolean) => (required ? ` ${color('red', '*')}` : '');
