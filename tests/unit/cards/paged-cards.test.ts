// Lists that grow with the province: the ranking and the studio list page through their rows, and
// the 待办 cards count what they do not list (the services read only a page from the database).
import { describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES, card, cardBytes, markdown, textBytes } from '../../../cards/components.js';
import { EvaluationAction, studiosCard } from '../../../cards/evaluation.js';
import { stuckCard, TODO_SHOWN, todoCard } from '../../../cards/review.js';
import { type PublicNoticeView, publicationCards, publicNoticeCards, RANKING_PAGE, rankingCard, SelectionAction } from '../../../cards/selection.js';
import { termsOf } from '../../../src/campaigns/terms.js';
import { buttonValues, cardTexts, lintCard } from '../../helpers/card-lint.js';

const candidates = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    applicationId: `app${i}`,
    number: `LC2026-${String(i + 1).padStart(4, '0')}`,
    unitName: `单位${i + 1}`,
    studioName: `工作室${i + 1}`,
    score: 95 - i / 10,
    experts: '5/5位专家已评分',
    selected: i < 10,
    tags: [],
  }));
const ranking = (rows: number, page?: number) =>
  rankingCard({
    campaignId: 'lucheng-2026',
    stageId: 'experts',
    campaignTitle: '鹿城区技能大师工作室',
    stageTitle: '专家评审',
    quotaText: '本项目认定10个',
    rows: candidates(rows),
    problems: [],
    ...(page !== undefined ? { page } : {}),
  });
const checkers = (c: ReturnType<typeof ranking>) => JSON.stringify(c).match(/"tag":"checker"/g)?.length ?? 0;

describe('the ranking card pages through 500 candidates', () => {
  it.each([
    ['the first page: ranks 1–60, the selection form, 下一页', 0, '1. **LC2026-0001**', 60, ['下一页']],
    ['page 3: ranks 121–180, no form, both ways and back to the form', 2, '121. **LC2026-0121**', 0, ['上一页', '下一页', '回到第一页确认名单']],
    ['the last page: ranks 481–500', 8, '481. **LC2026-0481**', 0, ['上一页', '回到第一页确认名单']],
    ['a page past the end shows the last', 99, '481. **LC2026-0481**', 0, ['上一页', '回到第一页确认名单']],
  ] as const)('%s', (_name, page, first, forms, buttons) => {
    const c = ranking(500, page);
    const text = cardTexts(c).join('\n');
    expect(text).toContain(first);
    expect(text).toContain(`共 500 份，第 ${Math.min(page, 8) + 1}/9 页`);
    expect(checkers(c)).toBe(forms);
    const values = buttonValues(c).filter((v) => v.a === 'rank.show');
    for (const v of values) expect(SelectionAction.safeParse(v).success).toBe(true);
    expect(JSON.stringify(c)).toSatisfy((json: string) => buttons.every((b) => json.includes(b)));
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
  });

  it('says who cannot be ticked on the card', () => {
    expect(cardTexts(ranking(500)).join()).toContain(`只能在排名前 ${RANKING_PAGE} 的申报中勾选；其余 440 份确认后标为未入选。`);
    expect(cardTexts(ranking(40)).join()).not.toContain('只能在排名前');
    expect(cardTexts(ranking(40)).join()).not.toContain('页');
  });
});

describe('the studio list pages through 10,000 studios', () => {
  const page = (p: number, total: number) =>
    studiosCard({
      studios: Array.from({ length: 25 }, (_, i) => ({ id: `s${p * 25 + i}`, name: `工作室${p * 25 + i}`, programme: 'weihai', statusText: '正常' })),
      total,
      page: p,
      pageSize: 25,
    });
  it.each([
    [0, ['下一页'], ['上一页']],
    [99, ['上一页', '下一页'], []],
    [399, ['上一页'], ['下一页']],
  ] as const)('page %i', (p, has, hasNot) => {
    const c = page(p, 10_000);
    expect(cardTexts(c).join()).toContain(`共 10000 个工作室，第 ${p + 1}/400 页`);
    const texts = JSON.stringify(c);
    for (const b of has) expect(texts).toContain(b);
    for (const b of hasNot) expect(texts).not.toContain(`"${b}"`);
    for (const v of buttonValues(c).filter((x) => x.a === 'e.studios')) expect(EvaluationAction.safeParse(v).success).toBe(true);
    expect(buttonValues(c)).toContainEqual({ a: 'e.studios', ...(p > 0 ? { p: p - 1 } : { p: 1 }) });
    expect(lintCard(c)).toEqual([]);
  });
});

describe('待办 counts what it does not list', () => {
  const item = (i: number) => ({
    taskId: `t${i}`,
    number: `WH2026-${i}`,
    unitName: `单位${i}`,
    campaignTitle: '威海',
    stageTitle: '区市审核',
    since: '2026-12-01',
    round: 1,
  });
  it('a reviewer with 300 pending sees the first 40 and the count', () => {
    const c = todoCard({ items: Array.from({ length: TODO_SHOWN }, (_, i) => item(i)), total: 300 });
    expect(cardTexts(c).join()).toContain('300 项待审核');
    expect(cardTexts(c).join()).toContain('还有 260 项');
  });
  it('an administrator with 4,331 waiting sees the oldest and the counts', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      applicationId: `a${i}`,
      number: `WH2026-${i}`,
      title: '威海',
      stageTitle: '区市审核',
      waitingDays: 3,
      pendingReviewers: 2,
    }));
    const c = stuckCard({ items, itemsTotal: 4331, waiting: [], waitingTotal: 0 });
    const text = cardTexts(c).join();
    expect(text).toContain('4331 份申报等待审核');
    expect(text).toMatch(/还有 43\d\d 份等待审核的申报/);
  });
});

describe('a 公示 and its 公布 go out in as many cards as the list needs', () => {
  const long = (n: number, i: number) => `${i + 1}号${'精'.repeat(n)}`;
  const entries = (n: number, nameLength: number, grade?: string) =>
    Array.from({ length: n }, (_, i) => ({ studioName: long(nameLength, i), unitName: long(nameLength, i), ...(grade ? { grade } : {}) }));
  const notice = (list: ReturnType<typeof entries>, status: 'open' | 'published', evaluation = false): PublicNoticeView => ({
    noticeId: 'n1',
    campaignTitle: '精'.repeat(60),
    issuer: '精'.repeat(60),
    startText: '2026年12月1日',
    endText: '2026年12月7日',
    workingDays: 5,
    entries: list,
    contact: '精'.repeat(60),
    status,
    ...(evaluation ? { terms: termsOf({ kind: 'evaluation' }) } : {}),
  });
  const numbers = (c: object) => [...JSON.stringify(c).matchAll(/(\d+)\. \*\*(\d+)号/g)].map((m) => [Number(m[1]), Number(m[2])]);

  it.each([
    // [entries, characters of each name, the cards expected (a range where the cut is the builder's)]
    ['none (a card still says so)', 0, 60, [1, 1]],
    ['one', 1, 60, [1, 1]],
    ['78 at the longest, graded or not: one card', 78, 60, [1, 1]],
    ['84 at the longest: two', 84, 60, [2, 2]],
    ['280 short names: one', 280, 8, [1, 1]],
    ['500 at the longest', 500, 60, [6, 7]],
    ['10,000 (a province’s yearly evaluation)', 10_000, 60, [118, 127]],
  ] as const)('%s', (_name, n, length, [least, most]) => {
    for (const evaluation of [false, true]) {
      const list = entries(n, length, evaluation ? '不合格' : undefined);
      const open = publicNoticeCards(notice(list, 'open', evaluation));
      const published = publicNoticeCards(notice(list, 'published', evaluation));
      const announced = publicationCards({ campaignTitle: '精'.repeat(60), issuer: '精'.repeat(60), dateText: '2026年12月12日', entries: list });
      expect(open.length).toBeGreaterThanOrEqual(least);
      expect(open.length).toBeLessThanOrEqual(most);
      // The i-th card sent is patched into the i-th published one: the same names on each.
      expect(published.map(numbers)).toEqual(open.map(numbers));
      for (const cards of [open, published, announced]) {
        // Every name once, in order, numbered through the parts; each card under Lark's limits.
        expect(cards.flatMap(numbers)).toEqual(list.map((_, i) => [i + 1, i + 1]));
        for (const [k, c] of cards.entries()) {
          expect(cardBytes(c)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
          expect(lintCard(c)).toEqual([]);
          const text = cardTexts(c).join('\n');
          if (cards.length > 1) expect(text).toContain(`名单共${n}个，分${cards.length}条消息发送，这是第${k + 1}条`);
          else expect(text).not.toContain('条消息发送');
          expect(text).toContain(`以下${n}个技能大师工作室`);
        }
      }
      for (const c of open) expect(buttonValues(c)).toEqual([{ a: 'notice.objectForm', n: 'n1' }]);
      for (const c of published) expect(buttonValues(c)).toEqual([]);
      if (evaluation && n > 0) expect(cardTexts(open[0]!).join()).toContain('等次：**不合格**');
    }
  });
});

describe('textBytes is what a text adds to the card Lark measures', () => {
  it.each([['plain'], ['中文'], ['"quotes" and \\ back\\slashes'], ['new\nlines\tand tabs'], ['emoji 👍🏽'], ['\u0001 control']])('%s', (text) => {
    const around = (t: string) => cardBytes(card({ title: 't', elements: [markdown(t)] }));
    expect(around(text) - around('')).toBe(textBytes(text));
    expect(around(`${text}${text}`) - around(text)).toBe(textBytes(text));
  });
});
