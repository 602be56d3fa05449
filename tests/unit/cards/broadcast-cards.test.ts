// The administrators' broadcast cards, with worst-case content (100 groups, 20 failures, longest
// texts), are valid Card JSON 2.0 and stay under Lark's 30 KB.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes } from '../../../cards/components.js';
import { BroadcastAction } from '../../../cards/broadcast.js';
import { buttonValues, lintCard } from '../../helpers/card-lint.js';
import { broadcastCards } from '../../helpers/worst-cards.js';

const cards = broadcastCards;

describe('broadcast cards', () => {
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it.each(cards)('every button on %s carries an action the router understands', (_, c) => {
    for (const v of buttonValues(c)) expect(BroadcastAction.safeParse(v).success, JSON.stringify(v)).toBe(true);
  });
});
