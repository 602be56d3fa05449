// The answer to a filled 申报表 sent as a Word file: how many answers it filled, which values did not
// pass the checks (with the message, as under the field), what was not found, and what the draft
// already held and kept; then where to go on. Nothing is submitted; every step can still be edited.
import { button, buttonRow, type Card, card, type Element, firstFitting, markdown, note } from '../components.js';
import { act } from './actions.js';
import { color, safeLine } from './common.js';

export interface FormImportView {
  applicationId: string;
  version: number;
  campaignTitle: string;
  fileName: string;
  /** Answers filled from the file (a group's rows count one each). */
  filled: number;
  /** Repeating groups filled, with their rows. */
  groups: { label: string; rows: number }[];
  /** Values the file holds that did not pass the checks: not saved, the message says what to fix. */
  failed: { label: string; message: string }[];
  /** The form's questions the file did not answer. */
  notFound: string[];
  /** Answers the draft already had, kept (the file says something else). */
  kept: { label: string; inFile: string }[];
  /** The first step that needs the applicant (an error, a missing answer, an attachment), if any. */
  next?: { title: string };
  uploadId: string;
}

function build(v: FormImportView, max: number): Card {
  const elements: Element[] = [];
  const groups = v.groups.map((g) => `${safeLine(g.label, 20)} ${g.rows} 行`).join('、');
  elements.push(markdown(`文件中的 **${v.filled}** 项内容已填入申报书${groups ? `（其中 ${groups}）` : ''}。提交前请逐步核对；每一步都还可以修改。`));
  if (v.next) elements.push(markdown(`下一个需要处理的步骤：**${safeLine(v.next.title, 40)}**`));
  if (v.failed.length) {
    const lines = v.failed.slice(0, max).map((f) => `· **${safeLine(f.label, 40)}**：${safeLine(f.message, 120)}`);
    if (v.failed.length > max) lines.push(`· ……另有 ${v.failed.length - max} 项`);
    elements.push(markdown(`${color('red', `**以下 ${v.failed.length} 项没有填入，请在对应步骤修改：**`)}\n${lines.join('\n')}`));
  }
  if (v.kept.length) {
    const lines = v.kept.slice(0, max).map((k) => `· ${safeLine(k.label, 40)}（文件中为“${safeLine(k.inFile, 60)}”）`);
    if (v.kept.length > max) lines.push(`· ……另有 ${v.kept.length - max} 项`);
    elements.push(markdown(`${color('orange', `**以下 ${v.kept.length} 项保留了您已填写的内容，没有用文件中的覆盖：**`)}\n${lines.join('\n')}`));
  }
  if (v.notFound.length) {
    const shown = v.notFound.slice(0, max * 2).map((l) => safeLine(l, 30));
    elements.push(note(`文件中没有找到：${shown.join('、')}${v.notFound.length > shown.length ? ` 等 ${v.notFound.length} 项` : ''}。请在对应步骤填写。`));
  }
  const base = { app: v.applicationId, v: v.version };
  elements.push(
    buttonRow([
      // v = -1: the journey resumes at the first unfinished step (as 进度's 继续填写 does).
      ...(v.next ? [button({ text: '从第一个需要处理的步骤继续', type: 'primary', value: act({ a: 'j.overview', app: v.applicationId, v: -1 }) })] : []),
      button({ text: '查看总览', ...(v.next ? {} : { type: 'primary' as const }), value: act({ a: 'j.overview', ...base }) }),
      button({ text: '作为附件保存', value: act({ a: 'j.slots', ...base, u: v.uploadId }) }),
    ]),
  );
  const problems = v.failed.length > 0;
  return card({
    title: problems ? `已填入 ${v.filled} 项，${v.failed.length} 项需要修改` : `已从申报表填入 ${v.filled} 项`,
    subtitle: v.fileName,
    template: problems ? 'orange' : 'green',
    summary: `已从“${v.fileName}”填入 ${v.filled} 项`,
    elements,
  });
}

export function formImportCard(view: FormImportView): Card {
  return firstFitting([30, 15, 6, 3].map((max) => () => build(view, max)));
}
