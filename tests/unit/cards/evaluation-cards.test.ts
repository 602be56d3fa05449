// The evaluation cards (with worst-case content), the expert's score sheet with veto items and the
// review card with a grade to choose, are valid Card JSON 2.0 under Lark's limits, and every button
// carries an action the router understands.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes, type Card } from '../../../cards/components.js';
import { EvaluationAction, evaluationInviteCard, evaluationListCard, studioCard, studioImportCard, studiosCard } from '../../../cards/evaluation.js';
import { scoringCard, SelectionAction } from '../../../cards/selection.js';
import { ReviewAction, reviewTaskCard } from '../../../cards/review.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { buttonValues, lintCard } from '../../helpers/card-lint.js';
import { shippedCampaign } from '../../helpers/campaigns.js';

const long = (n: number) => '技'.repeat(n);
const gongshu = shippedCampaign('gongshu-2020-evaluation');
const rubric = gongshu.rubrics.find((r) => r.id === 'evaluationTable')!;
const programme = { campaignId: 'weihai-2024-evaluation', title: long(80), periodText: '2023-01-01 至 2023-12-31', deadlineText: long(30), open: true, eligible: 300, invited: 120, submitted: 80, graded: 40, rules: [long(100)] };

const cards: [string, Card][] = [
  ['evaluation list, 12 programmes', evaluationListCard({ programmes: Array.from({ length: 14 }, (_, i) => ({ ...programme, open: i % 2 === 0 })), studios: Array.from({ length: 10 }, (_, i) => ({ programme: `p${i}`, count: 30 })), flash: long(300) })],
  ['evaluation list, empty', evaluationListCard({ programmes: [], studios: [] })],
  ['invite', evaluationInviteCard({ campaignId: 'gongshu-2020-evaluation', title: long(80), studioName: long(60), periodText: 'x', deadlineText: long(40), materials: Array.from({ length: 12 }, () => long(200)) })],
  ['import with 300 problems', studioImportCard({ fileName: long(100), imported: 47, problems: Array.from({ length: 300 }, (_, i) => ({ row: i + 2, reason: long(200) })) })],
  ['studio with 50 events', studioCard({ id: 's', name: long(80), unitName: long(60), leaderName: long(20), programme: 'weihai', year: 2020, region: long(20), statusText: '整改中', events: Array.from({ length: 50 }, () => ({ on: '2024-08-12', until: '2025-08-12', kind: '整改', detail: long(150) })) })],
  ['studios, 200 of them', studiosCard({ studios: Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, name: long(60), programme: 'weihai', statusText: '正常', last: long(80) })) })],
  [
    'score sheet with every Gongshu item and the veto items',
    scoringCard({
      taskId: 't',
      stageTitle: long(30),
      campaignTitle: gongshu.title,
      number: 'GSPG2020-0001',
      unitName: long(40),
      studioName: long(60),
      sections: gongshu.form.sections.map((s) => ({ title: s.title, rows: s.fields.map((f) => ({ label: f.label, value: long(300) })) })),
      items: rubric.items.map((i) => ({ ...i, value: '', error: long(100) })),
      bonusCap: 10,
      veto: rubric.veto,
    }),
  ],
  [
    'review card with a grade to choose',
    reviewTaskCard({ taskId: 't', stageTitle: long(30), approveLabel: '评定等次', decisions: ['approve', 'return'], campaignTitle: long(60), number: 'ZJPG2024-0001', unitName: long(40), round: 1, sections: [{ title: long(30), rows: Array.from({ length: 30 }, () => ({ label: long(20), value: long(200) })) }], eligibility: [], warnings: [], attachments: [], grades: ['优秀', '合格', '不合格'] }),
  ],
];

describe('evaluation cards', () => {
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });
  it.each(cards)('every button on %s carries an action the router understands', (_, c) => {
    for (const v of buttonValues(c)) expect([EvaluationAction, SelectionAction, ReviewAction, JourneyAction].some((s) => s.safeParse(v).success), JSON.stringify(v)).toBe(true);
  });
  it('the score sheet offers every veto item as a checker', () => {
    const sheet = JSON.stringify(cards[6]![1]);
    for (const v of rubric.veto) expect(sheet).toContain(`veto_${v.id}`);
  });
});
