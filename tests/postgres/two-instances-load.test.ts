// Two instances on one PostgreSQL under load: 2,000 events spread over both (with some delivered to
// both, as Lark re-delivers), while a broadcast to 500 groups is being sent. No event is processed
// twice and no message is sent twice (counted at the emulator, per chat and per uuid).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction } from '../../src/emulator/signing.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { tally } from '../reliability/tally.js';

const EVENTS = 2_000;
const GROUPS = 500;
const TITLE = '两实例群发测试通知';

describe('two instances on one PostgreSQL: 2,000 events and a 500-group broadcast', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apps: 2, env: { ADMIN_IDS: 'ou_admin' } });
    for (let i = 0; i < GROUPS; i++) h.emulator.addChat({ chat_id: `oc_pair_group_${i}`, name: `群${i}` });
  });
  afterAll(async () => h?.close());

  it('processes every event once and sends every message once', async () => {
    expect(h.apps[0]!.db.dialect).toBe('postgres');
    const click = async (app: number, value: object, formValue?: object) => {
      const res = await h.push(
        cardAction({
          appId: APP_ID,
          token: VERIFICATION_TOKEN,
          operatorOpenId: 'ou_admin',
          openMessageId: 'om_pair_report',
          openChatId: 'oc_admin',
          value,
          ...(formValue ? { formValue } : {}),
          emulator: h.emulator,
        }),
        { app, route: '/lark/callbacks' },
      );
      return JSON.stringify(res.json);
    };
    // The groups are synced from Lark at start, in the background.
    let preview = '';
    await waitFor(
      'all groups synced',
      async () => (preview = await click(0, { a: 'b.preview' }, { title: TITLE, body: '请按时申报。', audience: 'all' })).includes(`将发往 ${GROUPS} 个群`),
      30_000,
      200,
    );
    const id = /"a":"b\.send","b":"([^"]+)"/.exec(preview)![1]!;
    await click(1, { a: 'b.send', b: id }); // confirmed on the other instance

    const users = Array.from({ length: EVENTS }, (_, i) => `ou_pair_load_${i}`);
    const events = users.map((u) => h.text(u, '帮助'));
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < events.length) {
          const i = next++;
          expect((await h.push(events[i]!, { app: i % 2 })).status).toBe(200);
          if (i % 10 === 0) expect((await h.push(events[i]!, { app: (i + 1) % 2 })).status).toBe(200); // re-delivered to the other
        }
      }),
    );
    const replied = () => users.filter((u) => h.emulator.messagesTo(h.emulator.p2pChatId(u)).length >= 1).length;
    await waitFor('a reply to every event', () => replied() === EVENTS, 180_000, 250);
    await waitFor('the broadcast in every group', () => h.emulator.messages.filter((m) => m.content.includes(TITLE)).length >= GROUPS, 120_000, 250);
    await settle(h.db, 60_000);
    await new Promise((r) => setTimeout(r, 1_000));

    const perChat = new Map<string, number>();
    for (const m of h.emulator.messages) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    const twice = [...perChat.entries()].filter(([chat, n]) => n > 1 && chat !== h.emulator.p2pChatId('ou_admin'));
    expect(twice).toEqual([]);
    const creates = h.emulator.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && c.status === 200);
    expect(new Set(creates.map((c) => (c.body as { uuid: string }).uuid)).size).toBe(creates.length);
    expect(await h.db.client.inboxEvent.count({ where: { eventType: 'im.message.receive_v1', status: 'done' } })).toBe(EVENTS);
    tally('two instances on one PostgreSQL', 'events processed exactly once (10 % delivered to both)', true, EVENTS);
    tally('two instances on one PostgreSQL', 'broadcast messages sent exactly once', true, GROUPS);
    // 2,500 messages at Lark's 50 per second take some 50 s on an idle machine: the waits above are
    // what bound this test, not a fixed total that a busy CI machine would overrun.
  }, 420_000);
});
