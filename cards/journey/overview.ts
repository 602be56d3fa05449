// 申报总览 (every step, the attachment slots, the files) and the "which slot?" card of a new file.
//
// A card holds at most 200 elements (components and text objects), so the richest layout that
// fits is chosen: one row per step and per file with its button; then plain lists with bare
// buttons; finally as many 删除 buttons as still fit (the files stay listed).

import { APPLICATION_TERMS } from '../../src/campaigns/terms.js';
import { button, buttonRow, CARD_LIMIT_BYTES, type Card, card, divider, type Element, fits, markdown, note } from '../components.js';
import { act } from './actions.js';
import { color, eligibilityBlock, flashBlock, safeLine } from './common.js';
import type { AttachmentSlotView, FileSlotChoiceView, OverviewView, StepState } from './views.js';

const STATE: Record<StepState, string> = {
  done: `✅ ${color('green', '已完成')}`,
  missing: `⚠️ ${color('orange', '未填完')}`,
  errors: `❌ ${color('red', '有错误')}`,
  untouched: `○ ${color('grey', '未开始')}`,
};

const TYPE_NAMES: Record<string, string> = {
  pdf: 'PDF',
  jpg: 'JPG',
  jpeg: 'JPG',
  png: 'PNG',
  doc: 'Word',
  docx: 'Word',
  xls: 'Excel',
  xlsx: 'Excel',
  zip: 'ZIP',
  rar: 'RAR',
  ofd: 'OFD',
};

/** PDF/JPG/PNG (file types a slot accepts, named the way people know them). */
export function acceptText(accept: string[]): string {
  return [...new Set(accept.map((a) => TYPE_NAMES[a.toLowerCase()] ?? a.toUpperCase()))].join('/');
}

function slotRule(slot: AttachmentSlotView): string {
  return `${acceptText(slot.accept)} · 单个不超过 ${slot.maxSizeMB} MB${slot.maxFiles > 1 ? ` · 最多 ${slot.maxFiles} 个` : ''}`;
}

/** Does a file name's extension suit the slot? Unknown extensions are offered everywhere (the server checks). */
function accepts(slot: AttachmentSlotView, fileName: string): boolean {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
  if (!m) return true;
  const ext = m[1]!.toLowerCase();
  const list = slot.accept.map((a) => a.toLowerCase());
  return list.includes(ext) || (ext === 'jpeg' && list.includes('jpg')) || (ext === 'jpg' && list.includes('jpeg'));
}

interface Options {
  rich: boolean;
  nameMax: number;
  /** Longest hint, label and eligibility text. */
  textMax: number;
  /** How many per-file 删除 buttons to show (the rest are listed without one). */
  fileButtons: number;
}

function buildOverview(view: OverviewView, o: Options): Card {
  const t = view.terms ?? APPLICATION_TERMS;
  const base = { app: view.applicationId, v: view.version };
  const done = view.steps.filter((s) => s.state === 'done').length;
  const elements: Element[] = [
    ...flashBlock(view.flashes, o.textMax * 2),
    note(`${view.deadlineText ? `${safeLine(view.deadlineText, 60)}　` : ''}已完成 ${done}/${view.steps.length} 步`),
  ];

  // Steps.
  elements.push(markdown('**填写进度**'));
  if (o.rich) {
    for (const s of view.steps) {
      elements.push({
        tag: 'column_set',
        flex_mode: 'none',
        horizontal_spacing: '8px',
        columns: [
          {
            tag: 'column',
            width: 'weighted',
            weight: 4,
            vertical_align: 'center',
            elements: [markdown(`${s.index + 1}. ${safeLine(s.title, o.textMax)}　${STATE[s.state]}`)],
          },
          {
            tag: 'column',
            width: 'auto',
            vertical_align: 'center',
            elements: [button({ text: '去填写', type: s.state === 'done' ? 'default' : 'primary', value: act({ a: 'j.step', ...base, s: s.id }) })],
          },
        ],
      });
    }
  } else {
    elements.push(markdown(view.steps.map((s) => `${s.index + 1}. ${safeLine(s.title, o.textMax)}　${STATE[s.state]}`).join('\n')));
    elements.push(
      buttonRow(
        view.steps.map((s) =>
          button({ text: `去填写 ${s.index + 1}`, type: s.state === 'done' ? 'default' : 'primary', value: act({ a: 'j.step', ...base, s: s.id }) }),
        ),
      ),
    );
  }

  // Attachments.
  if (view.attachments.length || view.unassigned.length) {
    elements.push(divider(), markdown(`**附件材料**\n📤 直接在对话框中发送文件或图片，我会问您放在哪一项。`));
  }
  let buttonsLeft = o.fileButtons;
  for (const slot of view.attachments) {
    const lines = [
      `**${safeLine(slot.label, o.textMax)}**${slot.required ? ` ${color('red', '*')}` : color('grey', '（选填）')}　${color('grey', slotRule(slot))}`,
    ];
    if (slot.hint && o.textMax >= 30) lines.push(color('grey', safeLine(slot.hint, o.textMax)));
    if (!slot.files.length) lines.push(slot.required ? color('orange', '尚未上传') : color('grey', '尚未上传'));
    const fileLine = (f: AttachmentSlotView['files'][number]) => `📎 ${safeLine(f.name, o.nameMax)}（${safeLine(f.sizeText, 20)}）`;
    if (o.rich) {
      elements.push(markdown(lines.join('\n')));
      for (const f of slot.files) {
        elements.push({
          tag: 'column_set',
          flex_mode: 'none',
          horizontal_spacing: '8px',
          columns: [
            { tag: 'column', width: 'weighted', weight: 4, vertical_align: 'center', elements: [markdown(fileLine(f))] },
            {
              tag: 'column',
              width: 'auto',
              vertical_align: 'center',
              elements: [button({ text: '删除', type: 'danger', value: act({ a: 'j.unfile', ...base, u: f.uploadId }) })],
            },
          ],
        });
      }
    } else {
      elements.push(markdown([...lines, ...slot.files.map(fileLine)].join('\n')));
      for (const f of slot.files) {
        if (buttonsLeft <= 0) break;
        buttonsLeft--;
        elements.push(
          button({ text: `删除 ${Array.from(f.name).slice(0, o.nameMax).join('')}`, type: 'danger', value: act({ a: 'j.unfile', ...base, u: f.uploadId }) }),
        );
      }
    }
  }
  const listed = view.attachments.reduce((n, s) => n + s.files.length, 0);
  if (!o.rich && o.fileButtons < listed) elements.push(note(`文件较多，只显示了前 ${o.fileButtons} 个文件的「删除」按钮；删除后会显示其余的。`));

  // Files not yet in a slot: offer the slots that take their type and still have room.
  if (view.unassigned.length) {
    elements.push(markdown(`**还有 ${view.unassigned.length} 个文件没有归类**，请选择栏位：`));
    for (const f of view.unassigned) {
      const targets = view.attachments.filter((s) => s.files.length < s.maxFiles && accepts(s, f.name));
      elements.push(
        markdown(
          `📎 ${safeLine(f.name, o.nameMax)}（${safeLine(f.sizeText, 20)}）${targets.length ? '' : `　${color('orange', '没有合适的栏位（类型不符或已满）')}`}`,
        ),
      );
      elements.push(
        buttonRow([
          ...targets.map((s) =>
            button({
              text: `放入「${Array.from(s.label).slice(0, 16).join('')}」`,
              type: 'primary',
              value: act({ a: 'j.assign', ...base, u: f.uploadId, slot: s.slotId }),
            }),
          ),
          button({ text: '删除', type: 'danger', value: act({ a: 'j.unfile', ...base, u: f.uploadId }) }),
        ]),
      );
    }
  }

  elements.push(...eligibilityBlock(view.eligibility, { heading: `**${t.conditions}**`, max: o.textMax }));
  elements.push(
    divider(),
    buttonRow([
      button({ text: '检查并提交', type: 'primary', value: act({ a: 'j.review', ...base }) }),
      button({ text: '保存并退出', value: act({ a: 'j.status' }) }),
    ]),
    // 申报 lists application programmes only: a self-assessment is found again through 进度.
    note(`填写内容随时自动保存。退出后发送${t.evaluation ? '' : '「申报」或'}「进度」可回到这里继续。`),
  );
  return card({
    title: t.overview,
    subtitle: view.campaignTitle,
    template: 'blue',
    summary: `${t.overview}：已完成 ${done}/${view.steps.length} 步`,
    elements,
  });
}

export function overviewCard(view: OverviewView): Card {
  const files = view.attachments.reduce((n, s) => n + s.files.length, 0);
  for (const o of [
    { rich: true, nameMax: 40, textMax: 120, fileButtons: files },
    { rich: false, nameMax: 30, textMax: 60, fileButtons: files },
    { rich: false, nameMax: 16, textMax: 30, fileButtons: files },
  ]) {
    const c = buildOverview(view, o);
    if (fits(c, CARD_LIMIT_BYTES)) return c;
  }
  // As many 删除 buttons as fit (binary search).
  const tight = (fileButtons: number) => buildOverview(view, { rich: false, nameMax: 12, textMax: 16, fileButtons });
  let lo = 0;
  let hi = files;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(tight(mid))) lo = mid;
    else hi = mid - 1;
  }
  return tight(lo);
}

function buildChoice(view: FileSlotChoiceView, nameMax: number): Card {
  const base = { app: view.applicationId, v: view.version };
  const fitting = view.slots.filter((s) => s.fits);
  const others = view.slots.filter((s) => !s.fits);
  // The file's name is the header's subtitle.
  const elements: Element[] = [markdown(color('grey', `大小：${safeLine(view.sizeText, 20)}　类型：${safeLine(view.kindText, 20)}`))];
  if (view.note) elements.push(markdown(color('orange', safeLine(view.note, 200))));
  if (fitting.length) {
    elements.push(markdown('**请选择放在哪一项：**'));
    for (const s of fitting) {
      const count = s.maxFiles > 1 ? `（已有 ${s.filled}/${s.maxFiles}）` : s.filled ? `（已有 ${s.filled} 个）` : '';
      elements.push(
        button({
          text: `${Array.from(s.label).slice(0, nameMax).join('')}${count}`,
          type: 'primary',
          width: 'fill',
          value: act({ a: 'j.assign', ...base, u: view.uploadId, slot: s.slotId }),
        }),
      );
    }
  } else {
    elements.push(markdown(color('orange', '⚠️ 这个文件不符合任何一项的要求，请检查文件类型和大小后重新发送。')));
  }
  if (others.length) {
    // One line per distinct reason (the same type mismatch is told once, with the items it concerns).
    const byReason = new Map<string, string[]>();
    for (const s of others) {
      const why = (s.why ?? '不符合要求').replace(/^「[^」]*」/, '');
      byReason.set(why, [...(byReason.get(why) ?? []), s.label]);
    }
    const lines = [...byReason].map(([why, labels]) => `· ${safeLine(labels.join('、'), nameMax * 2)}：${safeLine(why, 80)}`);
    elements.push(note(`不能放入：\n${lines.join('\n')}`));
  }
  elements.push(
    buttonRow([
      button({ text: '删除这个文件', type: 'danger', value: act({ a: 'j.unfile', ...base, u: view.uploadId }) }),
      button({ text: '查看总览', value: act({ a: 'j.overview', ...base }) }),
    ]),
  );
  return card({
    title: '收到文件，放在哪一项？',
    subtitle: Array.from(view.fileName).slice(0, 60).join(''),
    template: fitting.length ? 'blue' : 'orange',
    summary: `收到文件：${Array.from(view.fileName).slice(0, 30).join('')}`,
    elements,
  });
}

export function fileSlotChoiceCard(view: FileSlotChoiceView): Card {
  for (const max of [60, 30, 16]) {
    const c = buildChoice(view, max);
    if (fits(c)) return c;
  }
  return buildChoice(view, 10);
}
