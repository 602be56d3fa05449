// Turning the Approval Center on where applications are already in review: every one of them is
// synced, paced within the documented limit (同步三方审批实例: 50 a second, 1,000 a minute), so
// Lark never answers 429.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES } from '../../src/emulator/server.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { APP_ID, type Harness, settle, startHarness } from '../helpers/harness.js';
import { freePort } from '../helpers/process.js';

const weihai = shippedCampaign('weihai-2024');
const COUNT = 150;

describe('the Approval Center turned on with applications in review', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      tick: false,
      tenant: (e) => e.setScopes(APP_ID, [...DEFAULT_GRANTED_SCOPES, 'approval:approval', 'contact:user.employee_id:readonly']),
    });
    for (let i = 0; i < COUNT; i++) {
      const id = randomUUID();
      await h.db.client.application.create({
        data: {
          id,
          campaignId: weihai.id,
          applicantId: `ou_backfill_${i}`,
          status: i % 10 === 0 ? 'designated' : 'submitted',
          stage: 'district',
          number: `WH2024-${String(5000 + i)}`,
          region: '环翠区',
          answers: JSON.stringify(storedAnswers(weihai)),
          submittedAt: new Date(),
        },
      });
      await h.db.client.reviewTask.create({ data: { id: randomUUID(), applicationId: id, stageId: 'district', round: 1, reviewerId: 'ou_backfill_reviewer' } });
    }
    // The Approval Center was off: nothing was marked.
    expect(await h.db.client.mirror.count()).toBe(0);
    await h.app.close();
    h.apps.shift();
    const port = await freePort();
    await h.startApp({ PUBLIC_URL: `http://127.0.0.1:${port}`, PORT: String(port) });
  });
  afterAll(async () => h?.close());

  it('every application in review is synced once, paced within 50 a second (a 429 waited out and sent again)', async () => {
    await settle(h.apps[0]!.db, 60_000);
    const instances = h.emulator.approvalInstances();
    expect(instances).toHaveLength(COUNT - COUNT / 10); // designated ones are not in anyone's 待办
    expect(instances.every((i) => i.task_list.some((t) => t.status === 'PENDING' && t.open_id === 'ou_backfill_reviewer'))).toBe(true);
    const calls = h.emulator.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/approval/v4/external_instances');
    // Paced below the limit as the bot sends them; a busy host can still bunch them on the way, and
    // Lark's 429 is then waited out and the sync sent again: each instance lands once.
    const accepted = calls.filter((c) => c.status === 200);
    const perInstance = new Map<string, number>();
    for (const c of accepted)
      perInstance.set((c.body as { instance_id: string }).instance_id, (perInstance.get((c.body as { instance_id: string }).instance_id) ?? 0) + 1);
    expect([...perInstance.values()].every((n) => n === 1)).toBe(true);
    const refused = calls.filter((c) => c.status === 429).length;
    expect(refused).toBeLessThanOrEqual(Math.ceil(calls.length / 10));
    const busiest = Math.max(...accepted.map((c) => accepted.filter((d) => d.at >= c.at && d.at < c.at + 1000).length));
    expect(busiest).toBeLessThanOrEqual(50);
    console.log(
      `backfill: ${accepted.length} instances synced in ${((accepted.at(-1)!.at - calls[0]!.at) / 1000).toFixed(1)} s, busiest second ${busiest}, ${refused} answered 429 and sent again`,
    );
  });
});
