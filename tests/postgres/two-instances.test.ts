// Two instances of the bot on one PostgreSQL database share the inbox and outbox: every event
// is processed by exactly one of them and every reply is sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';

describe('two instances on one PostgreSQL database', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apps: 2 });
  });
  afterAll(async () => h?.close());

  it('500 events spread across both → 500 replies, none twice', async () => {
    expect(h.apps[0]!.db.dialect).toBe('postgres');
    const users = Array.from({ length: 500 }, (_, i) => `ou_pair_${i}`);
    const events = users.map((u) => h.text(u, '帮助'));
    // Alternate instances, 20 in flight at a time, like Lark's pushes spread by a load balancer.
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < users.length) {
          const i = next++;
          const res = await h.push(events[i]!, { app: i % 2 });
          expect(res.status).toBe(200);
        }
      }),
    );
    // Lark re-delivers some events to the other instance: still once.
    for (let i = 0; i < 50; i++) {
      const res = await h.push(events[i]!, { app: (i + 1) % 2 });
      expect(res.status).toBe(200);
    }
    await waitFor('500 replies', () => h.emulator.messages.length >= 500, 60_000);
    await settle(h.db, 30_000);
    await new Promise((r) => setTimeout(r, 500));

    const perChat = new Map<string, number>();
    for (const m of h.emulator.messages) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    const duplicates = [...perChat.values()].filter((n) => n > 1).length;
    expect(duplicates).toBe(0);
    expect(h.emulator.messages).toHaveLength(500);
    // Each create carried a distinct uuid, and Lark saw no uuid it had to deduplicate.
    const creates = h.emulator.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && c.status === 200);
    expect(new Set(creates.map((c) => (c.body as { uuid: string }).uuid)).size).toBe(creates.length);
    expect(await h.db.client.inboxEvent.count({ where: { status: 'done' } })).toBe(500);
    expect(await h.db.client.outboxMessage.count({ where: { status: 'done' } })).toBe(500);
  });
});
