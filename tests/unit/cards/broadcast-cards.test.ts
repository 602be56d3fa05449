// The administrators' broadcast cards, with worst-case content (100 groups, 20 failures, longest
// texts), are valid Card JSON 2.0 and stay under Lark's 30 KB.
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, cardBytes, type Card } from '../../../cards/components.js';
import { BroadcastAction, broadcastMessageCard, composerCard, groupsCard, previewCard, reportCard } from '../../../cards/broadcast.js';
import { buttonValues, lintCard } from '../../helpers/card-lint.js';

const long = (n: number) => '技'.repeat(n);
const groups = Array.from({ length: 120 }, (_, i) => ({ chatId: `oc_${String(i).padStart(30, '0')}`, name: long(60), tags: [long(20), long(20), long(20)] }));
const report = { broadcastId: 'b1', title: long(100), total: 300, sent: 250, pending: 20, failed: Array.from({ length: 30 }, () => ({ chat: long(40), reason: long(200) })) };

const cards: [string, Card][] = [
  ['composer', composerCard({ campaigns: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, title: long(80) })), groups, tags: groups.slice(0, 30).map((g, i) => `${g.tags[0]}${i}`), error: long(300), values: { title: long(100), body: long(1000) } })],
  ['group card with 开始申报', broadcastMessageCard({ title: long(100), body: long(3000), campaignId: 'weihai-2026', campaignTitle: long(60) })],
  ['preview', previewCard({ broadcastId: 'b1', title: long(100), body: long(3000), campaignId: 'c', campaignTitle: long(60), recipients: 300, audienceText: '全部群', scheduledAt: '2026年12月1日 09:00' })],
  ['preview with no recipients', previewCard({ broadcastId: 'b1', title: 'x', body: 'y', recipients: 0, audienceText: '标签：试点' })],
  ['report while sending, with failures', reportCard(report)],
  ['report scheduled', reportCard({ ...report, total: 0, sent: 0, pending: 0, failed: [], scheduledAt: '2026年12月1日 09:00' })],
  ['report cancelled', reportCard({ ...report, total: 0, sent: 0, pending: 0, failed: [], cancelled: true })],
  ['groups', groupsCard({ groups, flash: '标签已保存' })],
];

describe('broadcast cards', () => {
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it.each(cards)('every button on %s carries an action the router understands', (_, c) => {
    for (const v of buttonValues(c)) expect(BroadcastAction.safeParse(v).success, JSON.stringify(v)).toBe(true);
  });
});
