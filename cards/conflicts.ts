// A 统一社会信用代码 claimed by two units: the administrators' card to resolve it. The second unit is
// never told whose application holds the code; the administrators see both and decide.
import { z } from 'zod';
import { button, buttonRow, type Card, card, divider, markdown, note } from './components.js';
import { color, safe, safeLine } from './journey/common.js';

export const ConflictAction = z.discriminatedUnion('a', [
  /** The application holding the code stays; the other unit is told. */
  z.object({ a: z.literal('u.keep'), k: z.string() }),
  /** The application holding the code is withdrawn (the code was not its unit's); the other unit may submit. */
  z.object({ a: z.literal('u.withdraw'), k: z.string() }),
]);
export type ConflictAction = z.infer<typeof ConflictAction>;

export interface ConflictView {
  conflictId: string;
  campaignTitle: string;
  unitKey: string;
  holder: { number: string; unitName: string; region: string; statusText: string; contact: string; submittedAt: string; withdrawable: boolean };
  claimant: { unitName: string; region: string; contact: string; triedAt: string };
  resolved?: string;
  flash?: string;
}

export function unitConflictCard(v: ConflictView): Card {
  const h = v.holder;
  const c = v.claimant;
  return card({
    title: v.resolved ? '统一社会信用代码冲突（已处理）' : '统一社会信用代码冲突，请核实',
    subtitle: `${v.campaignTitle} · ${v.unitKey}`,
    template: v.resolved ? 'grey' : 'red',
    summary: '统一社会信用代码冲突，请核实',
    elements: [
      ...(v.flash ? [markdown(color('green', safe(v.flash, 200)))] : []),
      markdown(
        `两个联系人用同一个统一社会信用代码 **${safeLine(v.unitKey, 20)}** 申报「${safeLine(v.campaignTitle, 60)}」。每个单位只能申报一次，第二个联系人的提交已被拦下（没有告诉他另一份申报的编号）。`,
      ),
      markdown(
        `**已提交的申报** ${safeLine(h.number, 20)}（${safeLine(h.statusText, 20)}）\n单位：${safeLine(h.unitName, 60)}　${safeLine(h.region, 20)}\n联系人：${safeLine(h.contact, 40)}　提交于 ${safeLine(h.submittedAt, 20)}`,
      ),
      markdown(
        `**被拦下的提交**\n单位：${safeLine(c.unitName, 60)}　${safeLine(c.region, 20)}\n联系人：${safeLine(c.contact, 40)}　尝试提交于 ${safeLine(c.triedAt, 20)}`,
      ),
      note('哪一方是该单位真正的联系人，区县审核人通常清楚：可先与其核实，再选择下面的处理方式。'),
      divider(),
      ...(v.resolved
        ? [markdown(`处理结果：${safe(v.resolved, 200)}`)]
        : [
            buttonRow([
              button({
                text: '保留已提交的申报',
                value: { a: 'u.keep', k: v.conflictId },
                confirm: { title: '保留已提交的申报', text: '被拦下的联系人会收到“该单位已申报”的答复。' },
              }),
              ...(h.withdrawable
                ? [
                    button({
                      text: '撤销已提交的申报',
                      type: 'danger',
                      value: { a: 'u.withdraw', k: v.conflictId },
                      confirm: { title: '撤销已提交的申报', text: '该申报将被撤销（冒用统一社会信用代码），其联系人会收到通知；被拦下的单位可以提交。' },
                    }),
                  ]
                : []),
            ]),
          ]),
    ],
  });
}
