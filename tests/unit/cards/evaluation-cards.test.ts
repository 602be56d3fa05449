// The evaluation cards (with worst-case content), the expert's score sheet with veto items and the
// review card with a grade to choose, are valid Card JSON 2.0 under Lark's limits, and every button
// carries an action the router understands.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes } from '../../../cards/components.js';
import { EvaluationAction } from '../../../cards/evaluation.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { ReviewAction } from '../../../cards/review.js';
import { SelectionAction } from '../../../cards/selection.js';
import { shippedCampaign } from '../../helpers/campaigns.js';
import { buttonValues, lintCard } from '../../helpers/card-lint.js';
import { evaluationCards } from '../../helpers/worst-cards.js';

const cards = evaluationCards;
const rubric = shippedCampaign('gongshu-2020-evaluation').rubrics.find((r) => r.id === 'evaluationTable')!;

describe('evaluation cards', () => {
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });
  it.each(cards)('every button on %s carries an action the router understands', (_, c) => {
    for (const v of buttonValues(c))
      expect(
        [EvaluationAction, SelectionAction, ReviewAction, JourneyAction].some((s) => s.safeParse(v).success),
        JSON.stringify(v),
      ).toBe(true);
  });
  it('the score sheet offers every veto item as a checker', () => {
    const sheet = JSON.stringify(cards.find(([name]) => name.startsWith('score sheet'))![1]);
    for (const v of rubric.veto) expect(sheet).toContain(`veto_${v.id}`);
  });
});
