// 同意 from the Approval Center is a decisive action like the card's button: the assigned reviewer's
// quick approval arriving twice (Lark resending, on two instances) while the other reviewer returns
// the application from the card, all at the same moment, ends in exactly one decision, and the
// Approval Center ends showing that one. Two instances on PostgreSQL; one on SQLite.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES } from '../../src/emulator/server.js';
import { approvalCallbackBody, cardAction } from '../../src/emulator/signing.js';
import { callbackSecrets } from '../../src/mirrors/mirrors.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { testDialect } from '../helpers/database.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { APP_ID, APP_SECRET, type Harness, settle, startHarness, VERIFICATION_TOKEN, waitFor } from '../helpers/harness.js';
import { freePort } from '../helpers/process.js';

const POSTGRES = testDialect() === 'postgres';
const ROUNDS = POSTGRES ? 20 : 4;
const weihai = shippedCampaign('weihai-2024');

describe(`quick approval and the card at the same moment (${POSTGRES ? 'two instances on PostgreSQL' : 'SQLite'}, ${ROUNDS} rounds)`, () => {
  let h: Harness;
  const db = () => h.db.client;
  const { token, key } = callbackSecrets(APP_SECRET);

  beforeAll(async () => {
    const port = await freePort();
    h = await startHarness({
      now: () => new Date('2024-07-15T10:00:00+08:00'),
      env: { ADMIN_IDS: 'ou_admin', PUBLIC_URL: `http://127.0.0.1:${port}`, PORT: String(port) },
      tick: false,
      tenant: (e) => {
        e.setScopes(APP_ID, [...DEFAULT_GRANTED_SCOPES, 'approval:approval', 'contact:user.employee_id:readonly']);
        e.addUser({ open_id: 'ou_q1', user_id: 'u_q1', name: '审核人甲' });
        e.addUser({ open_id: 'ou_q2', user_id: 'u_q2', name: '审核人乙' });
      },
    });
    // The second instance behind the same address (a load balancer): Lark calls either.
    if (POSTGRES) await h.startApp({ PORT: '0' });
    for (const openId of ['ou_q1', 'ou_q2'])
      await db().roleGrant.create({
        data: { id: randomUUID(), openId, role: 'reviewer', campaignId: weihai.id, stageId: 'district', region: '环翠区', grantedBy: 'ou_admin' },
      });
  });
  afterAll(async () => h?.close());

  const quick = (instance: number, taskId: string, applicationId: string) =>
    fetch(`${h.apps[instance % h.apps.length]!.url}/lark/approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: approvalCallbackBody({
        key,
        payload: { action_type: 'APPROVE', user_id: 'u_q1', instance_id: applicationId, task_id: taskId, reason: '同意', token },
      }),
    }).then((r) => r.status);
  const card = (instance: number, taskId: string) =>
    h.push(
      cardAction({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        operatorOpenId: 'ou_q2',
        openMessageId: `om_${randomUUID().slice(0, 12)}`,
        openChatId: 'oc_x',
        value: { a: 'r.decide', t: taskId },
        name: 'return',
        formValue: { reason: '请补充材料' },
        emulator: h.emulator,
      }),
      { app: instance % h.apps.length, route: '/lark/callbacks' },
    );

  it('exactly one decision each round, and the Approval Center shows it', async () => {
    const apps: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const id = randomUUID();
      apps.push(id);
      await db().application.create({
        data: {
          id,
          campaignId: weihai.id,
          applicantId: `ou_qa_${i}`,
          status: 'submitted',
          stage: 'district',
          number: `WH2024-${8000 + i}`,
          region: '环翠区',
          answers: JSON.stringify(storedAnswers(weihai)),
          submittedAt: new Date(),
          stageRound: 1,
        },
      });
      const t1 = await db().reviewTask.create({ data: { id: randomUUID(), applicationId: id, stageId: 'district', round: 1, reviewerId: 'ou_q1' } });
      const t2 = await db().reviewTask.create({ data: { id: randomUUID(), applicationId: id, stageId: 'district', round: 1, reviewerId: 'ou_q2' } });
      const [a, b, c] = await Promise.all([quick(i, t1.id, id), quick(i + 1, t1.id, id), card(i + 1, t2.id)]);
      // Each answer is a clear one: done (200), or refused because the other decision came first (409).
      for (const s of [a, b]) expect([200, 409]).toContain(s);
      expect(c.status).toBe(200);
      const tasks = await db().reviewTask.findMany({ where: { applicationId: id } });
      expect(tasks.filter((t) => t.status === 'decided')).toHaveLength(1);
      const decided = tasks.find((t) => t.status === 'decided')!;
      const after = await db().application.findUniqueOrThrow({ where: { id } });
      expect(decided.decision === 'approve' ? after.stage === 'experts' : after.status === 'returned').toBe(true);
      expect(await db().auditLog.count({ where: { subject: id, action: { in: ['review.approve', 'review.return'] } } })).toBe(1);
      expect(await db().outboxMessage.count({ where: { pacingKey: `ou_qa_${i}` } })).toBe(1);
    }
    await settle(h.db, 60_000);
    for (const id of apps) {
      const decided = await db().reviewTask.findFirstOrThrow({ where: { applicationId: id, status: 'decided' } });
      const copy = await waitFor('the instance', () => h.emulator.approvalInstances().find((x) => x.instance_id === id));
      const shown = copy.task_list.find((t) => t.task_id === decided.id)!;
      expect(shown.status).toBe(decided.decision === 'approve' ? 'APPROVED' : 'REJECTED');
      expect(copy.task_list.filter((t) => t.status === 'PENDING')).toHaveLength(0);
    }
  });
});
