// A 公示 of a province-sized list: Lark refuses a card over 30 KB, so the list goes to each group in
// as many cards as it needs, every name once and in order; publication turns each of them to 已公布
// and announces the whole list the same way (before, the 公示 was one card and failed to send past
// about 60 long names, and the 公布 named only the first 200).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_LIMIT_BYTES } from '../../cards/components.js';
import { Applicant } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { type Harness, startHarness, waitFor } from '../helpers/harness.js';

const weihai = shippedCampaign('weihai-2024');
const GROUP = 'oc_long_notice';
const STUDIOS = 300;
// Distinct at the front: a line keeps the first 60 characters of a name.
const studioName = (i: number) => `第${i + 1}号${'精密数控机床装调维修'.repeat(6)}技能大师工作室`;
const entryOf = (i: number) => `${i + 1}. **第${i + 1}号`;
const numbersIn = (content: string) => [...content.matchAll(/(\d+)\. \*\*第/g)].map((x) => Number(x[1]));

describe(`a 公示 of ${STUDIOS} studios with long names`, () => {
  let h: Harness;
  const db = () => h.db.client;
  const groupCards = (prefix: string) =>
    h.emulator
      .messagesTo(GROUP)
      .filter((m) => m.msg_type === 'interactive' && m.content.includes(prefix))
      .sort((a, b) => Number(a.create_time) - Number(b.create_time) || a.message_id.localeCompare(b.message_id));

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    h.emulator.addChat({ chat_id: GROUP, name: '全省企业群' });
    await db().groupChat.create({ data: { chatId: GROUP, name: '全省企业群' } });
    for (let i = 0; i < STUDIOS; i++)
      await db().application.create({
        data: {
          id: randomUUID(),
          campaignId: weihai.id,
          applicantId: `ou_long_${i}`,
          status: 'submitted',
          stage: 'publicity',
          number: `WH2024-${String(i + 1).padStart(4, '0')}`,
          region: '环翠区',
          unitKey: `LONG-${i}`,
          answers: JSON.stringify({ ...storedAnswers(weihai), studioName: studioName(i) }),
          submittedAt: new Date(),
          // Ordered by score, highest first: the list follows it.
          score: 100 - i / 10,
          stageRound: 1,
        },
      });
  });
  afterAll(async () => h?.close());

  it('goes to the group in several cards under 30 KB, every studio once and in order', async () => {
    const admin = new Applicant(h, 'ou_admin');
    await admin.clickRaw({ value: { a: 'notice.start', c: weihai.id, s: 'publicity' } });
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '公示已开始' });
    const notice = await db().publicNotice.findFirstOrThrow();
    const sent = await db().outboxMessage.count({ where: { causedBy: notice.id, kind: 'send' } });
    expect(sent).toBeGreaterThan(1);
    const cards = await waitFor('every part of the 公示 in the group', () => (groupCards('公示 ·').length === sent ? groupCards('公示 ·') : undefined), 60_000);
    // None refused or given up on.
    expect(await db().outboxMessage.count({ where: { causedBy: notice.id, status: 'dead' } })).toBe(0);
    const all = cards.map((m) => m.content).join('\n');
    for (const [k, m] of cards.entries()) {
      expect(Buffer.byteLength(m.content, 'utf8')).toBeLessThan(CARD_LIMIT_BYTES);
      expect(m.content).toContain(`（${k + 1}/${sent}）`);
      expect(m.content).toContain(`经评审，拟认定以下${STUDIOS}个技能大师工作室，现予公示。`);
      expect(m.content).toContain(`名单共${STUDIOS}个，分${sent}条消息发送，这是第${k + 1}条`);
      // Anyone can object from any part.
      expect(m.content).toContain('notice.objectForm');
    }
    let at = -1;
    for (let i = 0; i < STUDIOS; i++) {
      const line = entryOf(i);
      expect(all.split(line).length - 1, `studio ${i + 1} once`).toBe(1);
      expect(all.indexOf(line), `studio ${i + 1} after ${i}`).toBeGreaterThan(at);
      at = all.indexOf(line);
    }
  });

  it('published: every part turns to 已公布, and the 公布 names all of them, in parts too', async () => {
    const notice = await db().publicNotice.findFirstOrThrow();
    // The 公示 period is over (moved back rather than the clock forward).
    await db().publicNotice.update({ where: { id: notice.id }, data: { endDate: '2024-07-12' } });
    const admin = new Applicant(h, 'ou_admin');
    await admin.clickRaw({ value: { a: 'notice.publish', n: notice.id } });
    expect(admin.lastToast).toMatchObject({ type: 'success', content: '已发文公布' });
    const parts = groupCards('公示 ·').length;
    await waitFor('every part of the 公示 says 已公布', () => groupCards('公示 ·').every((m) => m.content.includes('公示已结束，名单已发文公布')), 60_000);
    const announced = await db().outboxMessage.count({ where: { causedBy: `${notice.id}:published`, kind: 'send' } });
    const cards = await waitFor('every part of the 公布', () => (groupCards('公布 ·').length === announced ? groupCards('公布 ·') : undefined), 60_000);
    expect(announced).toBeGreaterThan(1);
    // One patch per part sent, each part patched with its own slice of the list.
    expect(await db().outboxMessage.count({ where: { causedBy: `${notice.id}:published`, kind: 'patch' } })).toBe(parts);
    for (const [k, m] of groupCards('公示 ·').entries()) {
      expect(m.content).toContain(`（${k + 1}/${parts}）`);
      expect(m.content).not.toContain('notice.objectForm');
      // The same slice of the list as the part it replaces.
      expect(numbersIn(m.content)).toEqual(numbersIn(m.sentContent!));
      expect(numbersIn(m.content).length).toBeGreaterThan(0);
    }
    const all = cards.map((m) => m.content).join('\n');
    expect(all).toContain(`经评审和公示，认定以下${STUDIOS}个技能大师工作室，现予公布。`);
    for (let i = 0; i < STUDIOS; i++) expect(all.split(entryOf(i)).length - 1, `studio ${i + 1} once`).toBe(1);
    for (const m of cards) expect(Buffer.byteLength(m.content, 'utf8')).toBeLessThan(CARD_LIMIT_BYTES);
  });
});
