// The states an application is shown in to administrators (统计, 导出, 删除个人信息): the statuses
// of the journey and the review, folded into the seven a person tells apart. Every list of states
// (the 统计 charts and their legend, the colours) is derived from STATE_LABELS.
import type { Campaign } from './schema.js';

/** The states shown, in the order of the journey. */
export const STATE_LABELS = ['填写中', '审核中', '公示中', '退回修改', '已认定', '未通过', '已撤回'] as const;
export type StateLabel = (typeof STATE_LABELS)[number];

export function stateOf(c: Campaign, app: { status: string; stage: string | null }): StateLabel {
  switch (app.status) {
    case 'draft':
      return '填写中';
    case 'returned':
      return '退回修改';
    case 'designated':
      return '已认定';
    case 'withdrawn':
      return '已撤回';
    case 'rejected':
    case 'not_selected':
    case 'not_recommended':
      return '未通过';
    default:
      return c.pipeline.find((s) => s.id === app.stage)?.kind === 'publicity' ? '公示中' : '审核中';
  }
}

/** The state in words where one application is shown (an export row, the ledger): an evaluation's end states too. */
export function stateText(c: Campaign, app: { status: string; stage: string | null }): string {
  if (app.status === 'evaluated') return '已评定';
  if (app.status === 'absent') return '未参加';
  return stateOf(c, app);
}
