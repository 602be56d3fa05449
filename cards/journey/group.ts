// The rows of a repeating group (团队成员, 获奖情况) and the form for one row.
//
// A `table` cannot hold buttons, so each row is a markdown line with its buttons beside it
// (column_set). A card holds at most 200 elements, so a long list falls back to one full-width
// button per row (编辑 opens the row, which has 删除这条).
import { button, buttonRow, type Card, card, type Element, firstFitting, markdown, note } from '../components.js';
import { act } from './actions.js';
import { color, flashBlock, safeLine } from './common.js';
import { renderInput } from './inputs.js';
import type { GroupView, RowFormView } from './views.js';

function rowText(view: GroupView, row: GroupView['rows'][number], cellMax: number): string {
  const cells = row.cells.map((c, i) => ({ name: view.columns[i] ?? '', value: c })).filter((c) => c.value.trim() !== '');
  const [first, ...rest] = cells;
  const head = first ? `**${safeLine(first.value, cellMax)}**` : color('grey', '（空）');
  const tail = rest.map((c) => `${c.name ? `${safeLine(c.name, 20)}：` : ''}${safeLine(c.value, cellMax)}`).join('｜');
  return `${row.index + 1}. ${head}${tail ? `　${tail}` : ''}`;
}

type Layout = 'full' | 'compact';

function buildGroup(view: GroupView, layout: Layout, cellMax: number, confirm: boolean): Card {
  const base = { app: view.applicationId, v: view.version, s: view.sectionId, g: view.groupId };
  const rowLabel = safeLine(view.rowLabel, 20);
  const count = view.rows.length;
  const full = count >= view.maxRows;
  const status =
    count < view.minRows
      ? color('orange', `还需添加 ${view.minRows - count} 条`)
      : full
        ? color('grey', '已达上限')
        : count > 0
          ? color('green', '数量符合要求')
          : '';
  const rows: Element[] = [];
  if (!count) rows.push(note(`还没有添加${rowLabel}，点下面的「添加${rowLabel}」开始。`));
  else if (layout === 'full') {
    for (const row of view.rows) {
      rows.push({
        tag: 'column_set',
        flex_mode: 'none',
        horizontal_spacing: '8px',
        columns: [
          { tag: 'column', width: 'weighted', weight: 4, vertical_align: 'center', elements: [markdown(rowText(view, row, cellMax))] },
          { tag: 'column', width: 'auto', vertical_align: 'center', elements: [button({ text: '编辑', value: act({ a: 'j.row', ...base, r: row.index }) })] },
          {
            tag: 'column',
            width: 'auto',
            vertical_align: 'center',
            elements: [
              button({
                text: '删除',
                type: 'danger',
                value: act({ a: 'j.rowRemove', ...base, r: row.index }),
                ...(confirm ? { confirm: { title: `删除第 ${row.index + 1} 条？`, text: '删除后不能恢复。' } } : {}),
              }),
            ],
          },
        ],
      });
    }
  } else {
    rows.push(note(`点一条${rowLabel}可修改或删除。`));
    for (const row of view.rows) {
      const first = row.cells.find((c) => c.trim() !== '') ?? '（空）';
      rows.push(
        button({
          text: `${row.index + 1}. ${Array.from(first.replace(/\s+/g, ' ')).slice(0, cellMax).join('')}`,
          width: 'fill',
          value: act({ a: 'j.row', ...base, r: row.index }),
        }),
      );
    }
  }
  return card({
    title: `${view.label}（${count} 条）`,
    subtitle: `至少 ${view.minRows} 条，最多 ${view.maxRows} 条`,
    template: 'blue',
    summary: `${view.label}：已填写 ${count} 条`,
    elements: [
      ...flashBlock(view.flashes),
      // The header has the label, the count and the limits; the body only whether the count is enough.
      ...(status ? [markdown(status)] : []),
      ...rows,
      ...(full ? [note(`已达到上限 ${view.maxRows} 条，不能再添加；可以修改或删除已有的${rowLabel}。`)] : []),
      buttonRow([
        ...(full ? [] : [button({ text: `添加${rowLabel}`, type: 'primary', value: act({ a: 'j.row', ...base }) })]),
        button({ text: '返回本步', value: act({ a: 'j.step', app: view.applicationId, v: view.version, s: view.sectionId }) }),
      ]),
    ],
  });
}

export function groupCard(view: GroupView): Card {
  return firstFitting([
    () => buildGroup(view, 'full', 40, true),
    () => buildGroup(view, 'full', 24, false),
    () => buildGroup(view, 'compact', 30, false),
    () => buildGroup(view, 'compact', 12, false),
  ]);
}

function buildRowForm(view: RowFormView, hintMax: number, labelMax: number): Card {
  const base = { app: view.applicationId, v: view.version, s: view.sectionId, g: view.groupId };
  const editing = view.rowIndex !== undefined;
  const rowLabel = safeLine(view.rowLabel, 20);
  const title = editing ? `修改${view.rowLabel}（第 ${view.rowIndex! + 1} 条）` : `添加${view.rowLabel}`;
  const errors = view.inputs.filter((i) => i.error).length;
  return card({
    title,
    subtitle: view.label,
    template: 'blue',
    summary: title,
    elements: [
      ...flashBlock(view.flashes),
      ...(errors ? [markdown(color('red', `有 ${errors} 处需要修改，请看下面标红的提示。`))] : []),
      {
        tag: 'form',
        name: 'row_form',
        elements: [
          ...view.inputs.flatMap((i) => renderInput(i, { hintMax, labelMax })),
          button({
            text: '保存',
            type: 'primary',
            name: 'save',
            submit: true,
            value: act({ a: 'j.rowSave', ...base, ...(editing ? { r: view.rowIndex! } : {}) }),
          }),
        ],
      },
      buttonRow([
        button({ text: '取消', value: act({ a: 'j.group', ...base }) }),
        ...(editing
          ? [
              button({
                text: `删除这条${rowLabel}`,
                type: 'danger',
                value: act({ a: 'j.rowRemove', ...base, r: view.rowIndex! }),
                confirm: { title: `删除第 ${view.rowIndex! + 1} 条？`, text: '删除后不能恢复。' },
              }),
            ]
          : []),
      ]),
    ],
  });
}

export function rowFormCard(view: RowFormView): Card {
  // Answers are never cut (they are what gets saved); hints and labels are.
  return firstFitting([() => buildRowForm(view, 200, 100), () => buildRowForm(view, 60, 40), () => buildRowForm(view, 0, 20)]);
}
