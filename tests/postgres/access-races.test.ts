// Simultaneous clicks on two instances of the bot sharing one PostgreSQL database, repeated: a
// reviewer's decision at the very moment their role is revoked lands before the revocation or not
// at all; two administrators resolving the same credit-code conflict differently resolve it once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction } from '../../src/emulator/signing.js';
import { Applicant } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { storedAnswers } from '../helpers/fixtures.js';
import { APP_ID, type Harness, settle, startHarness, VERIFICATION_TOKEN } from '../helpers/harness.js';
import { appoint } from '../helpers/people.js';

const ROUNDS = 20;
const weihai = shippedCampaign('weihai-2024');

describe('races on access decisions (two instances, one PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apps: 2, now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin,ou_admin_2' }, tick: false });
  });
  afterAll(async () => h?.close());

  /** A card click sent to one of the two instances. */
  async function click(app: number, openId: string, value: Record<string, unknown>, opts: { name?: string; form?: Record<string, unknown> } = {}) {
    const envelope = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: openId,
      openMessageId: `om_${randomUUID().slice(0, 8)}`,
      openChatId: 'oc_x',
      value,
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.form ? { formValue: opts.form } : {}),
      emulator: h.emulator,
    });
    const res = await h.push(envelope, { app, route: '/lark/callbacks' });
    expect(res.status).toBe(200);
    return res.json as { toast?: { type: string; content: string } };
  }

  async function waitingApplication(n: number): Promise<string> {
    const id = randomUUID();
    await h.db.client.application.create({
      data: {
        id,
        campaignId: 'weihai-2024',
        applicantId: `ou_race_unit_${n}`,
        status: 'submitted',
        stage: 'district',
        number: `WH2024-${String(5000 + n)}`,
        region: '环翠区',
        unitKey: `RACE${n}`,
        answers: JSON.stringify(storedAnswers(weihai)),
        submittedAt: new Date(),
        stageRound: 1,
      },
    });
    return id;
  }

  it(`a decision and the revocation of its reviewer at the same moment: one or the other, never both (${ROUNDS} rounds)`, async () => {
    const admin = new Applicant(h, 'ou_admin');
    const outcomes = { decided: 0, revoked: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const appId = await waitingApplication(i);
      const reviewer = `ou_race_reviewer_${i}`;
      await admin.say('角色');
      await appoint(admin, reviewer, { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
      const task = await h.db.client.reviewTask.findFirstOrThrow({ where: { applicationId: appId, reviewerId: reviewer, status: 'pending' } });
      const grant = await h.db.client.roleGrant.findFirstOrThrow({ where: { openId: reviewer, revokedAt: null } });
      await Promise.all([
        click(i % 2, reviewer, { a: 'r.decide', t: task.id }, { name: 'approve', form: { reason: '' } }),
        click((i + 1) % 2, 'ou_admin', { a: 'role.revoke', g: grant.id }),
      ]);
      await settle(h.db);
      const app = await h.db.client.application.findUniqueOrThrow({ where: { id: appId } });
      const mine = await h.db.client.reviewTask.findUniqueOrThrow({ where: { id: task.id } });
      const approvals = await h.db.client.auditLog.count({ where: { action: 'review.approve', subject: appId } });
      if (mine.status === 'decided') {
        // The decision came first: it stands, and the revocation found nothing to take back here.
        outcomes.decided++;
        expect(app.stage).toBe('experts');
        expect(approvals).toBe(1);
      } else {
        outcomes.revoked++;
        expect(mine.status).toBe('revoked');
        expect(app.stage).toBe('district');
        expect(approvals).toBe(0);
      }
      expect(await h.db.client.reviewTask.count({ where: { applicationId: appId, stageId: 'district', status: 'pending' } })).toBe(0);
      expect(await h.db.client.roleGrant.count({ where: { id: grant.id, revokedAt: null } })).toBe(0);
    }
    console.log(`decision vs revocation: ${JSON.stringify(outcomes)}`);
    expect(outcomes.decided + outcomes.revoked).toBe(ROUNDS);
  });

  it(`two administrators resolving one credit-code conflict differently at the same moment resolve it once (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const holder = await waitingApplication(100 + i);
      const claimant = randomUUID();
      await h.db.client.application.create({ data: { id: claimant, campaignId: 'weihai-2024', applicantId: `ou_race_claimant_${i}`, answers: '{}' } });
      const conflict = randomUUID();
      await h.db.client.unitConflict.create({
        data: { id: conflict, campaignId: 'weihai-2024', unitKey: `RACE${100 + i}`, heldBy: holder, claimedBy: claimant },
      });
      const [keep, withdraw] = await Promise.all([
        click(i % 2, 'ou_admin', { a: 'u.keep', k: conflict }),
        click((i + 1) % 2, 'ou_admin_2', { a: 'u.withdraw', k: conflict }),
      ]);
      await settle(h.db);
      const resolved = await h.db.client.unitConflict.findUniqueOrThrow({ where: { id: conflict } });
      const held = await h.db.client.application.findUniqueOrThrow({ where: { id: holder } });
      expect([keep.toast?.type, withdraw.toast?.type].filter((t) => t === 'success')).toHaveLength(1);
      if (resolved.status === 'kept') expect(held).toMatchObject({ status: 'submitted', unitKey: `RACE${100 + i}` });
      else expect(resolved.status === 'withdrawn' && held.status === 'withdrawn' && held.unitKey === null).toBe(true);
      const claimantCards = h.emulator.messages.filter((m) => m.receive_id === `ou_race_claimant_${i}`);
      expect(claimantCards).toHaveLength(1);
    }
  });
});
