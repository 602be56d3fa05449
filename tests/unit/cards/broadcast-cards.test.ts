// The administrators' broadcast cards, with worst-case content (100 groups, 20 failures, longest
// texts), are valid Card JSON 2.0 and stay under Lark's 30 KB.
import { describe, expect, it } from 'vitest';
import { BroadcastAction, broadcastMessageCard, previewCard } from '../../../cards/broadcast.js';
import { CARD_LIMIT_BYTES, cardBytes, truncate } from '../../../cards/components.js';
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

describe('a notice’s body is the administrator’s own Markdown', () => {
  const body = "各区市人社局：\n- 请于**7月31日前**完成申报\n- <font color='red'>逾期不予受理</font>\n详见[通知原文](https://hrss.weihai.gov.cn/notice)";
  const sent = broadcastMessageCard({ title: '关于开展申报工作的通知', body });
  const preview = previewCard({ broadcastId: 'b1', title: '关于开展申报工作的通知', body, recipients: 3, audienceText: '全部群' });

  it.each([
    ['the card the groups receive', sent],
    ['the preview', preview],
  ])('%s renders bold, colour, lists and links (nothing escaped)', (_name, c) => {
    const md = JSON.stringify(c);
    expect(md).toContain('**7月31日前**');
    expect(md).toContain("<font color='red'>逾期不予受理</font>");
    expect(md).toContain('\\n- 请于');
    expect(md).toContain('[通知原文](https://hrss.weihai.gov.cn/notice)');
    expect(md).not.toMatch(/&#42;|&lt;font|&#91;/);
  });

  it('a title cut short ends with a plain …, never an internal count', () => {
    expect(truncate('一'.repeat(40), 30)).toBe(`${'一'.repeat(30)}…`);
    expect(truncate('一'.repeat(400), 200)).toBe(`${'一'.repeat(200)}…（共400字）`);
  });
});
