// Administrators limited to one programme or one region are limited in everything: they cannot
// confirm another programme's ranking, run its public notice, resolve its objections, open or close
// it, replace its programme file, cancel its studios, remind its reviewers, or read its ranking,
// timelines and 待办. A refusal says what is missing and changes nothing. A region-limited
// administrator's broadcast reaches only the groups tagged with their region.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { databaseFingerprint, refusalOf } from '../helpers/access.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { CAMPAIGNS_DIR, shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const title = (c: CardJson) => String(c.header?.title?.content ?? '');

describe('administrators limited to a programme or a region', () => {
  let h: Harness;
  let admin: Applicant, weihaiAdmin: Applicant, luchengAdmin: Applicant, wendengAdmin: Applicant;
  const numbers: Record<'huancui' | 'wendeng', string> = { huancui: '', wendeng: '' };

  /** The action is refused with its registry sentence, and nothing anywhere changes. */
  async function refused(a: Applicant, value: Record<string, unknown>, form?: Record<string, unknown>) {
    const before = await databaseFingerprint(h.db);
    await a.clickRaw({ value }, form);
    expect(a.lastToast, `${a.openId}: ${String(value.a)}`).toEqual({ type: 'error', content: refusalOf(h, String(value.a)) });
    await settle(h.db);
    expect(await databaseFingerprint(h.db), `${a.openId} changed something: ${String(value.a)}`).toBe(before);
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' }, tick: false });
    admin = new Applicant(h, 'ou_admin');
    weihaiAdmin = new Applicant(h, 'ou_weihai_admin');
    luchengAdmin = new Applicant(h, 'ou_lucheng_admin');
    wendengAdmin = new Applicant(h, 'ou_wendeng_admin');
    await admin.say('角色');
    const grant = async (form: Record<string, string>) => {
      const { openId, ...rest } = form;
      await appoint(admin, openId!, rest);
      expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
    };
    await grant({ openId: 'ou_weihai_admin', role: 'admin', stage: 'weihai-2024/district' });
    await grant({ openId: 'ou_lucheng_admin', role: 'admin', stage: 'lucheng-2024/review' });
    await grant({ openId: 'ou_wendeng_admin', role: 'admin', stage: 'weihai-2024/district', region: '文登区' });
    await grant({ openId: 'ou_r_huancui', role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    await grant({ openId: 'ou_r_wendeng', role: 'reviewer', stage: 'weihai-2024/district', region: '文登区' });
    for (let i = 1; i <= 5; i++) await grant({ openId: `ou_scope_expert_${i}`, role: 'expert', stage: 'weihai-2024/experts' });
    // One application from 环翠区 (scored by the experts), one from 文登区 (waiting at its district).
    for (const [i, region] of [
      [1, '环翠区'],
      [2, '文登区'],
    ] as const) {
      const fx = validApplication(weihai);
      const first17 = `91371000MA3C5000${i}`;
      fx.answers.unitCreditCode = first17 + creditCodeCheckChar(first17);
      fx.answers.region = region;
      numbers[i === 1 ? 'huancui' : 'wendeng'] = await applyThrough(new Applicant(h, `ou_scope_unit_${i}`), weihai, fx);
    }
    const reviewer = new Applicant(h, 'ou_r_huancui');
    await reviewer.received((c) => title(c).startsWith('待审核') && textOf(c).includes(numbers.huancui));
    await reviewer.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    for (let i = 1; i <= 5; i++) {
      const e = new Applicant(h, `ou_scope_expert_${i}`);
      await e.received((c) => e.hasButton((b) => b.value.a === 's.score', c));
      await e.click((b) => b.value.a === 's.score', { leader: '25', team: '15', projects: '25', support: '15' });
    }
    await settle(h.db);
  }, 180_000);
  afterAll(async () => h?.close());

  const appId = async (number: string) => (await h.db.client.application.findFirstOrThrow({ where: { number } })).id;

  it('only an administrator of the whole programme reads and confirms its ranking', async () => {
    const huancui = await appId(numbers.huancui);
    for (const a of [luchengAdmin, wendengAdmin]) {
      await refused(a, { a: 'rank.show', c: 'weihai-2024', s: 'experts' });
      await refused(a, { a: 'rank.confirm', c: 'weihai-2024', s: 'experts' }, { [huancui]: true });
    }
    expect(luchengAdmin.lastToast?.content).toBe('没有权限：「确认入选名单」仅限管理范围覆盖整个该项目（不限地区）的管理员。');
    await weihaiAdmin.clickRaw({ value: { a: 'rank.confirm', c: 'weihai-2024', s: 'experts' } }, { [huancui]: true });
    expect(weihaiAdmin.lastToast).toMatchObject({ type: 'success', content: '已确认入选1个' });
  });

  it('only an administrator of the whole programme starts and runs its public notice', async () => {
    for (const a of [luchengAdmin, wendengAdmin]) await refused(a, { a: 'notice.start', c: 'weihai-2024', s: 'publicity' });
    await weihaiAdmin.clickRaw({ value: { a: 'notice.start', c: 'weihai-2024', s: 'publicity' } });
    expect(weihaiAdmin.lastToast).toMatchObject({ type: 'success', content: '公示已开始' });
    const notice = await h.db.client.publicNotice.findFirstOrThrow({ where: { campaignId: 'weihai-2024' } });
    const objector = new Applicant(h, 'ou_objector');
    await objector.clickRaw({ value: { a: 'notice.object', n: notice.id } }, { reason: '该单位的团队成员情况与实际不符' });
    const objection = await h.db.client.objection.findFirstOrThrow({ where: { noticeId: notice.id } });
    for (const a of [luchengAdmin, wendengAdmin]) {
      await refused(a, { a: 'notice.show', n: notice.id });
      await refused(a, { a: 'notice.resolve', n: notice.id, o: objection.id }, { resolution: '不予采纳' });
      await refused(a, { a: 'notice.publish', n: notice.id });
    }
    // The objection reached the programme's administrators, not the others.
    await waitFor('the objection card', () => weihaiAdmin.cards().some((c) => title(c) === '收到公示异议'));
    expect(luchengAdmin.cards().some((c) => title(c) === '收到公示异议')).toBe(false);
    expect(wendengAdmin.cards().some((c) => title(c) === '收到公示异议')).toBe(false);
    await weihaiAdmin.clickRaw({ value: { a: 'notice.resolve', n: notice.id, o: objection.id } }, { resolution: '经核实，情况属实，不影响入选' });
    expect(await h.db.client.objection.findUniqueOrThrow({ where: { id: objection.id } })).toMatchObject({ status: 'resolved', resolvedBy: 'ou_weihai_admin' });
  });

  it('another programme’s administrator cannot open, close or replace it', async () => {
    for (const value of [
      { a: 'p.close', c: 'weihai-2024' },
      { a: 'p.open', c: 'weihai-2024' },
      { a: 'p.copy', c: 'weihai-2024' },
    ])
      await refused(luchengAdmin, value, { deadline: '2024-08-31', newId: 'weihai-2025', opensAt: '2025-07-01' });
    const uploads = await h.db.client.campaignUpload.count();
    const card = await luchengAdmin.sendFile('weihai-2024.yaml', readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml')));
    expect(title(card)).toBe('没有权限');
    expect(textOf(card)).toContain(refusalOf(h, 'programme', 'file').replace(/^没有权限：/, ''));
    expect(await h.db.client.campaignUpload.count()).toBe(uploads);
    // A file waiting for 启用 (sent by the programme's administrator) cannot be activated by another.
    await weihaiAdmin.sendFile('weihai-2024.yaml', readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml')));
    const pending = await h.db.client.campaignUpload.findFirstOrThrow({ where: { status: 'pending', campaignId: 'weihai-2024' } });
    await refused(luchengAdmin, { a: 'p.activate', u: pending.id });
    await refused(wendengAdmin, { a: 'p.activate', u: pending.id });
    await refused(wendengAdmin, { a: 'p.close', c: 'weihai-2024' });
  });

  it('another programme’s or region’s administrator cannot cancel a studio or remind its reviewers, nor read its timeline', async () => {
    const studio = randomUUID();
    await h.db.client.studio.create({
      data: {
        id: studio,
        campaignId: 'weihai-2023',
        name: '环翠测试技能大师工作室',
        unitName: '威海测试单位',
        year: 2023,
        programme: 'weihai',
        region: '环翠区',
        source: 'imported',
      },
    });
    for (const a of [luchengAdmin, wendengAdmin]) {
      await refused(a, { a: 'e.cancel', s: studio });
      await refused(a, { a: 'e.studio', s: studio });
    }
    const huancui = await appId(numbers.huancui);
    const wendeng = await appId(numbers.wendeng);
    for (const a of [luchengAdmin, wendengAdmin]) {
      await refused(a, { a: 'o.remind', app: huancui });
      await refused(a, { a: 'o.detail', app: huancui });
    }
    await refused(luchengAdmin, { a: 'o.remind', app: wendeng });
    // Their own region's application they may chase.
    await wendengAdmin.clickRaw({ value: { a: 'o.remind', app: wendeng } });
    expect(wendengAdmin.lastToast).toMatchObject({ type: 'success', content: '已提醒1位审核人' });
    expect(await h.db.client.studio.findUniqueOrThrow({ where: { id: studio } })).toMatchObject({ status: 'active' });
  });

  it('a studio list from a region’s administrator imports only that region’s rows; their studio list shows only theirs', async () => {
    const sheet = [
      '工作室名称,所在单位,领办人,职业（工种）,命名年度,项目,地区',
      '文登精工技能大师工作室,威海文登某公司,李四,钳工,2021,威海,文登区',
      '环翠数控技能大师工作室,威海环翠某公司,王五,数控车工,2021,威海,环翠区',
    ].join('\n');
    const card = await wendengAdmin.sendFile('工作室名单.csv', Buffer.from(sheet, 'utf8'));
    expect(textOf(card)).toContain('「环翠数控技能大师工作室」（weihai · 环翠区）不在您的管理范围内，未导入');
    expect(await h.db.client.studio.count({ where: { name: '文登精工技能大师工作室' } })).toBe(1);
    expect(await h.db.client.studio.count({ where: { name: '环翠数控技能大师工作室' } })).toBe(0);
    await wendengAdmin.clickRaw({ value: { a: 'e.studios' } });
    expect(textOf(wendengAdmin.card!)).toContain('文登精工技能大师工作室');
    expect(textOf(wendengAdmin.card!)).not.toContain('环翠测试技能大师工作室');
  });

  it('待办 lists only what the administrator’s scope covers', async () => {
    await settle(h.db);
    const wendengTodo = textOf(await wendengAdmin.say('待办'));
    expect(wendengTodo).toContain(numbers.wendeng);
    expect(wendengTodo).not.toContain(numbers.huancui);
    const luchengTodo = textOf(await luchengAdmin.say('待办'));
    expect(luchengTodo).not.toContain(numbers.wendeng);
    expect(luchengTodo).toContain('各环节都没有积压的申报');
    expect(textOf(await admin.say('待办'))).toContain(numbers.wendeng);
  });

  it('a region-limited administrator’s broadcast reaches only the groups tagged with their region', async () => {
    for (const [chat_id, name] of [
      ['oc_scope_wendeng', '文登区工作群'],
      ['oc_scope_huancui', '环翠区工作群'],
      ['oc_scope_city', '全市工作群'],
    ])
      h.emulator.addChat({ chat_id: chat_id!, name: name! });
    await h.db.client.groupChat.createMany({
      data: [
        { chatId: 'oc_scope_wendeng', name: '文登区工作群', tags: JSON.stringify(['文登区']) },
        { chatId: 'oc_scope_huancui', name: '环翠区工作群', tags: JSON.stringify(['环翠区']) },
        { chatId: 'oc_scope_city', name: '全市工作群', tags: '[]' },
      ],
    });
    const composer = await wendengAdmin.say('通知');
    expect(textOf(composer)).toContain('您的管理范围限于文登区');
    expect(JSON.stringify(composer)).not.toContain('oc_scope_huancui');
    await wendengAdmin.click((b) => b.value.a === 'b.preview', { title: '文登区申报提醒', body: '请抓紧提交', audience: 'all' });
    expect(title(wendengAdmin.card!)).toBe('预览通知');
    expect(textOf(wendengAdmin.card!)).toContain('将发往 1 个群（文登区的全部群）');
    // Choosing another region's group by id (a forged form) still reaches only their own.
    await wendengAdmin.clickRaw(
      { value: { a: 'b.preview' } },
      { title: '越权', body: '正文', audience: 'chats', chats: ['oc_scope_huancui', 'oc_scope_city'] },
    );
    expect(textOf(wendengAdmin.card!)).toContain('没有符合发送范围的群');
    await wendengAdmin.clickRaw({ value: { a: 'b.compose' } });
    await wendengAdmin.click((b) => b.value.a === 'b.preview', { title: '文登区申报提醒', body: '请抓紧提交', audience: 'all' });
    await wendengAdmin.click((b) => b.value.a === 'b.send');
    await settle(h.db);
    expect(
      h.emulator
        .messagesTo('oc_scope_wendeng')
        .map((m) => m.content)
        .join(),
    ).toContain('文登区申报提醒');
    expect(
      h.emulator
        .messagesTo('oc_scope_huancui')
        .map((m) => m.content)
        .join(),
    ).not.toContain('文登区申报提醒');
    expect(
      h.emulator
        .messagesTo('oc_scope_city')
        .map((m) => m.content)
        .join(),
    ).not.toContain('文登区申报提醒');
    // Only an administrator of everything tags groups (a tag is what a region's broadcast follows).
    await refused(wendengAdmin, { a: 'g.tag', chat: 'oc_scope_huancui', f: 'tags_0' }, { tags_0: '文登区' });
  });
});
