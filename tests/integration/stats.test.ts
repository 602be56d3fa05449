// 统计 through the emulator: with no applications the card lists every programme with empty
// charts; after a submission the numbers move; an administrator limited to one region sees only
// that region; anyone else is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shipped, shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
type Chart = { tag: string; chart_spec: { data: { values: Record<string, string | number>[] } } };
const charts = (c: CardJson) => (c.body?.elements ?? []).filter((e) => (e as { tag?: string }).tag === 'chart') as unknown as Chart[];
const count = (ch: Chart, label: string) => ch.chart_spec.data.values.find((v) => v.label === label)?.count;

describe('statistics (统计)', () => {
  let h: Harness;
  let admin: Applicant, districtAdmin: Applicant, applicant: Applicant, stranger: Applicant;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
    admin = new Applicant(h, 'ou_admin');
    districtAdmin = new Applicant(h, 'ou_wendeng_admin');
    applicant = new Applicant(h, 'ou_unit_contact');
    stranger = new Applicant(h, 'ou_stranger');
  });
  afterAll(async () => h?.close());

  it('with no applications the card still shows every programme and empty charts', async () => {
    await admin.say('统计');
    const text = textOf(admin.card!);
    expect(text).toContain('申报统计');
    for (const c of shipped.campaigns.filter((x) => x.kind === 'application')) expect(text).toContain(c.title);
    expect(charts(admin.card!)).toHaveLength(1);
    await admin.click((b) => b.value.a === 'st.show' && b.value.c === 'weihai-2024');
    expect(textOf(admin.card!)).toContain('还没有申报');
    const [byState, byRegion, perDay, pending] = charts(admin.card!);
    expect(byState!.chart_spec.data.values.every((v) => v.count === 0)).toBe(true);
    expect(byRegion!.chart_spec.data.values.map((v) => v.label)).toEqual(weihai.regions.items);
    expect(perDay!.chart_spec.data.values.map((v) => v.day)).toEqual(['07-09', '07-10', '07-11', '07-12', '07-13', '07-14', '07-15']);
    expect(pending!.chart_spec.data.values.every((v) => v.count === 0)).toBe(true);
  });

  it('counts a submitted application by state, region, day and pending stage', async () => {
    h.emulator.addUser({ open_id: 'ou_rev', name: '王科长' });
    await admin.say('角色');
    await appoint(admin, 'ou_rev', { role: 'reviewer', stage: 'weihai-2024/district', region: weihai.regions.items[0]! });
    await appoint(admin, 'ou_wendeng_admin', { role: 'admin', stage: 'weihai-2024/district', region: '文登区' });
    expect(textOf(admin.card!)).toContain('管理员 · 2024年度威海市技能大师工作室申报 · 文登区');
    await applyThrough(applicant, weihai, validApplication(weihai));

    await admin.say('统计');
    await admin.click((b) => b.value.a === 'st.show' && b.value.c === 'weihai-2024');
    const [byState, byRegion, perDay, pending] = charts(admin.card!);
    expect(count(byState!, '审核中')).toBe(1);
    expect(count(byRegion!, weihai.regions.items[0]!)).toBe(1);
    expect(perDay!.chart_spec.data.values.at(-1)).toEqual({ day: '07-15', count: 1 });
    expect(count(pending!, weihai.pipeline[0]!.title)).toBe(1);
    expect(textOf(admin.card!)).toContain('共 **1** 份');
  });

  it('an administrator limited to one region and programme sees only those', async () => {
    await districtAdmin.say('统计');
    const text = textOf(districtAdmin.card!);
    expect(text).toContain(weihai.title);
    expect(text).not.toContain(shippedCampaign('wuhan-2024').title);
    expect(text).toContain('统计范围：2024年度威海市技能大师工作室申报 · 文登区');
    await districtAdmin.click((b) => b.value.a === 'st.show' && b.value.c === 'weihai-2024');
    expect(charts(districtAdmin.card!)[0]!.chart_spec.data.values.every((v) => v.count === 0)).toBe(true);
    // Another programme's charts, asked for directly: refused.
    await districtAdmin.clickRaw({ value: { a: 'st.show', c: 'wuhan-2024' } });
    expect(districtAdmin.lastToast).toMatchObject({ type: 'error' });
    // A limited administrator cannot widen their own scope.
    await districtAdmin.clickRaw({ value: { a: 'role.grant' } }, { people: ['ou_wendeng_admin'], role: 'admin' });
    expect(districtAdmin.lastToast).toMatchObject({ type: 'error' });
    expect(await h.db.client.roleGrant.count({ where: { openId: 'ou_wendeng_admin', revokedAt: null } })).toBe(1);
  });

  it('shows a withdrawn application under 已撤回: in the legend with its colour, in the numbers, on the value axis chart', async () => {
    // The unit withdraws (the state is what is counted; how it came about is the conflicts' business).
    await h.db.client.application.updateMany({ where: { campaignId: 'weihai-2024', status: 'submitted' }, data: { status: 'withdrawn' } });
    await admin.say('统计');
    const [overview] = charts(admin.card!) as unknown as {
      chart_spec: {
        data: { values: { programme: string; state: string; count: number }[] };
        legends: { orient: string };
        color: { domain: string[]; range: string[] };
        axes: { orient: string; type: string }[];
      };
    }[];
    const spec = overview!.chart_spec;
    expect(spec.data.values.filter((v) => v.state === '已撤回').reduce((n, v) => n + v.count, 0)).toBe(1);
    expect(spec.color.domain).toContain('已撤回');
    expect(spec.color.range).toHaveLength(spec.color.domain.length);
    expect(spec.legends.orient).toBe('bottom');
    expect(spec.axes).toContainEqual(expect.objectContaining({ orient: 'bottom', type: 'linear' }));
    expect(textOf(admin.card!)).toContain('已撤回 **1**');

    await admin.click((b) => b.value.a === 'st.show' && b.value.c === 'weihai-2024');
    const [byState] = charts(admin.card!);
    expect(count(byState!, '已撤回')).toBe(1);
    expect(count(byState!, '审核中')).toBe(0);
    // The programme is named once, in the header, not again at the top of the body.
    expect((admin.card!.header as { subtitle?: { content?: string } }).subtitle?.content).toBe(weihai.title);
    expect(JSON.stringify(admin.card!.body)).not.toContain(weihai.title);
  });

  it('refuses anyone else', async () => {
    await stranger.say('统计');
    expect(textOf(stranger.card!)).toContain('没有权限');
    await stranger.clickRaw({ value: { a: 'st.show', c: 'weihai-2024' } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
    await stranger.clickRaw({ value: { a: 'st.all' } });
    expect(stranger.lastToast).toMatchObject({ type: 'error' });
  });
});
