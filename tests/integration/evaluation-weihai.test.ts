// Weihai: 不合格 in 2024 → one year of rectification; the unit asks for re-evaluation once it has
// ended; re-evaluated in 2025 (a round copied on the 项目 card) and still 不合格 → title revoked.
// Every step goes through the cards: self-assessment, district check, three experts, 公示, publication.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const evaluation = shippedCampaign('weihai-2024-evaluation');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const csv =
  '工作室名称,所在单位,领办人,职业（工种）,命名年度,项目,地区,联系人open_id\n孙伟焊工技能大师工作室,威海某船舶有限公司,孙伟,焊工,2020,威海,环翠区,ou_w1\n';

describe('Weihai: rectification, re-evaluation on request, revocation', () => {
  const clock = { now: new Date('2024-07-15T10:00:00+08:00') };
  let h: Harness;
  let admin: Applicant, contact: Applicant;
  const experts: Applicant[] = [];
  const status = async () => (await h.db.client.studio.findFirstOrThrow()).status;

  async function grant(campaign: string) {
    await admin.say('角色');
    await appoint(admin, `ou_district_${campaign}`, { role: 'reviewer', stage: `${campaign}/district`, region: '环翠区' });
    for (let i = 1; i <= 3; i++) await appoint(admin, `ou_expert_${i}`, { role: 'expert', stage: `${campaign}/experts` });
  }
  /** Self-assessment, district check, three experts' totals, 公示 and publication of one round. */
  async function runRound(campaign: string, totals: number[], noticeOn: Date, publishOn: Date) {
    await contact.received((c) => title(c) === '请填写工作室年度绩效评估' && JSON.stringify(c).includes(campaign));
    await contact.click((b) => b.value.a === 'j.start' && b.value.c === campaign);
    const fx = validApplication(evaluation);
    for (const id of ['studioName', 'unitName', 'leaderName', 'designatedYear', 'region']) delete fx.answers[id];
    await advanceTo(contact, fx);
    await attachAll(contact, fx);
    await confirmAndSubmit(contact);
    const district = new Applicant(h, `ou_district_${campaign}`);
    await district.received((c) => title(c).startsWith('待审核'));
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '', comment: '' });
    for (const [i, total] of totals.entries()) {
      const expert = experts[i]!;
      await expert.received((c) => title(c).startsWith('待评分'));
      await expert.click((b) => b.value.a === 's.score', { total: String(total) });
      expect(expert.lastToast?.type).toBe('success');
    }
    await admin.clickRaw({ value: { a: 'rank.confirm', c: campaign, s: 'experts' } }, {});
    clock.now = noticeOn;
    await admin.clickRaw({ value: { a: 'notice.start', c: campaign, s: 'publicity' } });
    const notice = await h.db.client.publicNotice.findFirstOrThrow({ where: { campaignId: campaign } });
    clock.now = publishOn;
    await admin.clickRaw({ value: { a: 'notice.publish', n: notice.id } });
    expect(admin.lastToast?.type).toBe('success');
    await settle(h.db);
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => clock.now, env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    contact = new Applicant(h, 'ou_w1');
    for (let i = 1; i <= 3; i++) experts.push(new Applicant(h, `ou_expert_${i}`));
    expect(textOf(await admin.sendFile('威海工作室.csv', Buffer.from(csv)))).toContain('已导入 **1** 个工作室');
    await grant('weihai-2024-evaluation');
  });
  afterAll(async () => h?.close());

  it('2024: three experts average 48 points → 不合格, one year of rectification', async () => {
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === 'weihai-2024-evaluation');
    await runRound('weihai-2024-evaluation', [45, 50, 49], new Date('2024-08-01T10:00:00+08:00'), new Date('2024-08-12T10:00:00+08:00'));
    const app = await h.db.client.application.findFirstOrThrow({ where: { campaignId: 'weihai-2024-evaluation' } });
    expect(app).toMatchObject({ score: 48, grade: '不合格', status: 'evaluated' });
    expect(await status()).toBe('rectifying');
    const rect = await h.db.client.studioEvent.findFirstOrThrow({ where: { kind: 'rectification' } });
    expect(rect).toMatchObject({ effectiveOn: '2024-08-12', until: '2025-08-12' });
    // Asking before the year is over is refused.
    const result = await contact.received((c) => title(c) === '评估结果：不合格');
    contact.card = result;
    await contact.click('申请重新考核评估');
    expect(contact.lastToast).toMatchObject({ type: 'warning', content: '整改期至 2025-08-12，期满后才能申请重新考核评估' });
  });

  it('2025: re-evaluated only on the unit’s request, still 不合格 → title revoked', async () => {
    clock.now = new Date('2025-08-20T10:00:00+08:00');
    await admin.say('项目');
    await admin.click((b) => b.value.a === 'p.show' && b.value.c === 'weihai-2024-evaluation');
    await admin.click((b) => b.value.a === 'p.copy', { newId: 'weihai-2025-evaluation', opensAt: '2025-08-20', copyDeadline: '2025-09-30' });
    await admin.click('启用');
    await grant('weihai-2025-evaluation');
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === 'weihai-2025-evaluation');
    expect(textOf(admin.card!)).toContain('1 个整改中的工作室尚未申请重新考核评估');

    contact.card = contact.cards().find((c) => title(c) === '评估结果：不合格');
    await contact.click('申请重新考核评估');
    expect(contact.lastToast?.type).toBe('success');
    await admin.say('评估');
    await admin.click((b) => b.value.a === 'e.open' && b.value.c === 'weihai-2025-evaluation');
    expect(admin.lastToast?.content).toBe('已通知 1 个工作室');

    await runRound('weihai-2025-evaluation', [40, 45, 44], new Date('2025-10-09T10:00:00+08:00'), new Date('2025-10-20T10:00:00+08:00'));
    expect(await status()).toBe('revoked');
    await admin.say('评估');
    await admin.click('工作室名单');
    await admin.click((b) => b.value.a === 'e.studio');
    const text = textOf(admin.card!);
    expect(text).toContain('已撤销');
    for (const line of ['2024-08-12　整改', '（至 2025-08-12）', '2025-08-20　申请重新考核评估', '2025-10-20　撤销：整改期满重新考核评估仍不合格'])
      expect(text).toContain(line);
  });
});
