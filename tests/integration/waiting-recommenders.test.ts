// The administrator's 待办 names the districts whose applications nobody can recommend (no reviewer
// holds that district), and only those: a district with its own reviewer is not listed. The reviewers' grants are read once for all districts, so a
// grant or a revocation must show at the next 待办.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const zhenjiang = shippedCampaign('zhenjiang-2023');
const DISTRICTS = ['丹阳市', '句容市', '扬中市'];

describe('待办: districts without a recommender (Zhenjiang 2023)', () => {
  let h: Harness;
  let admin: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2023-05-20T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    await admin.say('角色');
    await appoint(admin, 'ou_danyang', { role: 'reviewer', stage: 'zhenjiang-2023/district', region: '丹阳市' });
    for (const [i, region] of DISTRICTS.entries()) {
      const a = new Applicant(h, `ou_unit_${i}`);
      const fx = validApplication(zhenjiang);
      const first17 = `9132118100000${i}00X`.slice(0, 17);
      Object.assign(fx.answers, { unitCreditCode: first17 + creditCodeCheckChar(first17), unitName: `${region}第${i + 1}企业`, region });
      await begin(a, zhenjiang);
      await advanceTo(a, fx);
      await attachAll(a, fx);
      await confirmAndSubmit(a);
    }
    await settle(h.db);
  });
  afterAll(async () => h?.close());

  const waitingText = async () => {
    await admin.say('待办');
    return textOf(admin.card!);
  };

  it('lists each district that has no reviewer, not the one that has', async () => {
    const apps = await h.db.client.application.findMany({ where: { status: 'submitted' }, select: { region: true, stage: true } });
    expect(apps.map((a) => a.region).sort()).toEqual([...DISTRICTS].sort());
    expect(apps.every((a) => a.stage === 'district')).toBe(true);
    const text = await waitingText();
    expect(text).toContain('句容市还没有推荐人');
    expect(text).toContain('扬中市还没有推荐人');
    expect(text).not.toContain('丹阳市还没有推荐人');
  });

  it('a new grant for one district takes it off the list at the next 待办', async () => {
    await appoint(admin, 'ou_jurong', { role: 'reviewer', stage: 'zhenjiang-2023/district', region: '句容市' });
    const text = await waitingText();
    expect(text).not.toContain('句容市还没有推荐人');
    expect(text).toContain('扬中市还没有推荐人');
  });

  it('a revocation puts its district on the list at the next 待办', async () => {
    await admin.say('角色');
    const g = await h.db.client.roleGrant.findFirstOrThrow({ where: { openId: 'ou_danyang', revokedAt: null } });
    await admin.clickRaw({ value: { a: 'role.revoke', g: g.id } });
    expect(admin.lastToast?.type).toBe('success');
    const text = await waitingText();
    expect(text).toContain('丹阳市还没有推荐人');
    expect(text).not.toContain('句容市还没有推荐人');
  });
});
