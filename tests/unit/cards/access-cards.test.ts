// The cards this access work added or changed, with worst-case content: the administrators' 待办
// with what nobody can act on, a task card taken back, the credit-code conflict, a refusal and the
// objection form with the longest objection kept. Valid Card JSON 2.0 under Lark's limits, and
// every button carries an action the registry knows.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes, type Card } from '../../../cards/components.js';
import { OversightAction, ReviewAction, stuckCard, taskWithdrawnCard } from '../../../cards/review.js';
import { ConflictAction, unitConflictCard, type ConflictView } from '../../../cards/conflicts.js';
import { refusedCard } from '../../../cards/help.js';
import { objectionFormCard, SelectionAction } from '../../../cards/selection.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { buttonValues, cardTexts, lintCard } from '../../helpers/card-lint.js';

const long = (n: number) => '审'.repeat(n);
const conflict = (over: Partial<ConflictView> = {}): ConflictView => ({
  conflictId: 'k',
  campaignTitle: long(80),
  unitKey: '91371000MA3C20001X',
  holder: { number: 'WH2024-0001', unitName: long(80), region: long(20), statusText: '审核中', contact: long(30), submittedAt: '2024年7月15日 10:00', withdrawable: true },
  claimant: { unitName: long(80), region: long(20), contact: long(30), triedAt: '2024年7月16日 10:00' },
  ...over,
});

const cards: [string, Card][] = [
  ['待办 with 40 waiting on reviewers and 30 that nobody can act on', stuckCard({ canGrant: true, items: Array.from({ length: 40 }, (_, i) => ({ applicationId: `a${i}`, number: `WH2024-${i}`, title: long(80), stageTitle: long(30), waitingDays: 30, pendingReviewers: 3 })), waiting: Array.from({ length: 30 }, (_, i) => ({ applicationId: `w${i}`, number: `WH2024-${i}`, title: long(80), stageTitle: long(30), why: long(40) })) })],
  ['待办 of a scoped administrator', stuckCard({ items: [], waiting: [{ applicationId: 'w', number: 'WH2024-0001', title: '威海', stageTitle: '区市审核', why: '环翠区没有审核人' }] })],
  ['待办, nothing waiting', stuckCard({ items: [] })],
  ['a task taken back', taskWithdrawnCard({ campaignTitle: long(100), number: 'WH2024-0001', unitName: long(100), stageTitle: long(40), scoring: true })],
  ['a conflict to resolve', unitConflictCard(conflict({ flash: long(300) }))],
  ['a resolved conflict', unitConflictCard(conflict({ resolved: long(300) }))],
  ['a conflict whose holder can no longer be withdrawn', unitConflictCard(conflict({ holder: { ...conflict().holder, withdrawable: false } }))],
  ['a refusal', refusedCard(`没有权限：「${long(100)}」仅限${long(200)}。`)],
  ['the objection form keeping a 1,000-character objection', objectionFormCard({ noticeId: 'n', campaignTitle: long(80), error: long(300), reason: long(1200) })],
];

describe('access cards', () => {
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });
  it.each(cards)('every button on %s carries an action the router understands', (_, c) => {
    for (const v of buttonValues(c)) expect([OversightAction, ReviewAction, ConflictAction, SelectionAction, JourneyAction].some((s) => s.safeParse(v).success), JSON.stringify(v)).toBe(true);
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
