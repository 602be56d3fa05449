// Every card the journey can produce for the shipped programmes, with worst-case answers (every
// text at its maximum length, every group at its maximum rows, every slot full), is valid Card
// JSON 2.0 of the kinds the bot uses and stays under Lark's 30 KB.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, type Card, cardBytes } from '../../../cards/components.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { lintCard } from '../../helpers/card-lint.js';
import { applications, journeyCards, listCards } from '../../helpers/worst-cards.js';

function check(card: Card, what: string) {
  expect(lintCard(card, { validateAction: (v) => JourneyAction.safeParse(v).success }), what).toEqual([]);
  expect(cardBytes(card), `${what}: ${cardBytes(card)} bytes`).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
}

describe.each(applications.map((c) => [c.id, c] as const))('worst-case cards of %s', (_id, c) => {
  // Every step and page, every group and row form, overview, summary, introduction, file choice.
  it.each(journeyCards(c))('%s', (what, card) => check(card, what));
});

it.each(listCards())('the %s card with every shipped programme', (what, card) => check(card, what));
