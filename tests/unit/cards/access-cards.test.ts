// The cards this access work added or changed, with worst-case content: the administrators' 待办
// with what nobody can act on, a task card taken back, the credit-code conflict, a refusal and the
// objection form with the longest objection kept. Valid Card JSON 2.0 under Lark's limits, and
// every button carries an action the registry knows.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes } from '../../../cards/components.js';
import { ConflictAction, unitConflictCard } from '../../../cards/conflicts.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { OversightAction, ReviewAction, stuckCard } from '../../../cards/review.js';
import { SelectionAction } from '../../../cards/selection.js';
import { buttonValues, cardTexts, lintCard } from '../../helpers/card-lint.js';
import { accessCards, conflict } from '../../helpers/worst-cards.js';

const cards = accessCards;

describe('access cards', () => {
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });
  it.each(cards)('every button on %s carries an action the router understands', (_, c) => {
    for (const v of buttonValues(c))
      expect(
        [OversightAction, ReviewAction, ConflictAction, SelectionAction, JourneyAction].some((s) => s.safeParse(v).success),
        JSON.stringify(v),
      ).toBe(true);
  });
  it('offers 角色 only to an administrator who may grant roles', () => {
    const waiting = [{ applicationId: 'w', number: 'WH2024-0001', title: '威海', stageTitle: '区市审核', why: '环翠区没有审核人' }];
    expect(buttonValues(stuckCard({ items: [], waiting, canGrant: true })).map((v) => v.a)).toContain('role.list');
    expect(buttonValues(stuckCard({ items: [], waiting })).map((v) => v.a)).not.toContain('role.list');
    expect(cardTexts(stuckCard({ items: [], waiting })).join()).toContain('请不限范围的管理员在“角色”中授权');
  });
  it('a conflict card never offers to withdraw an application that is no longer in review', () => {
    expect(buttonValues(unitConflictCard(conflict({ holder: { ...conflict().holder, withdrawable: false } }))).map((v) => v.a)).toEqual(['u.keep']);
    expect(buttonValues(unitConflictCard(conflict({ resolved: '已保留' })))).toEqual([]);
  });
});
