// People by picking, not by id. On a real tenant nobody can see an open_id, so an administrator
// appoints reviewers and experts by picking them from the people the bot knows, by mentioning them
// in a group (角色 @某人), or by their mobile number or e-mail (Lark's directory lookup); an
// imported studio's contact is found by mobile/e-mail or claims the studio with a code; ADMIN_IDS
// may name administrators by user_id, mobile or e-mail. No card asks anyone for an open_id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES } from '../../src/emulator/server.js';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { APP_ID, type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { isRolesCard } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const isTask = (c: CardJson) => buttonsWith(c, 'r.open') || buttonsWith(c, 'r.decide');
const buttonsWith = (c: CardJson, a: string) => JSON.stringify(c).includes(`"a":"${a}"`);

/** Every element of a card that takes input, with its tag and name. */
function inputs(card: CardJson): { tag: string; name: string; node: Record<string, unknown> }[] {
  const out: { tag: string; name: string; node: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (typeof n !== 'object' || n === null) return;
    const node = n as Record<string, unknown>;
    if (typeof node.name === 'string' && typeof node.tag === 'string' && node.tag !== 'form' && node.tag !== 'button')
      out.push({ tag: node.tag, name: node.name, node });
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}

/** What a person reads: the text with Lark's person tags (shown as names by the client) taken out. */
const visible = (card: CardJson) =>
  textOf(card)
    .replace(/<person id='ou_[\w-]+'[^>]*><\/person>/g, '〔姓名〕')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

describe('appointing people without knowing their open_id', () => {
  let h: Harness;
  let admin: Applicant;
  let n = 0;

  async function submit(): Promise<string> {
    n++;
    const fx = validApplication(weihai);
    const first17 = `91371000MA3C5000${n}`;
    fx.answers.unitCreditCode = first17 + creditCodeCheckChar(first17);
    return applyThrough(new Applicant(h, `ou_appointing_unit_${n}`), weihai, fx);
  }

  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_boss' } });
    admin = new Applicant(h, 'ou_boss');
    h.emulator.addUser({ open_id: 'ou_wang', name: '王科长' });
    h.emulator.addUser({ open_id: 'ou_li', name: '李专家', mobile: '13800000001' });
    h.emulator.addUser({ open_id: 'ou_zhao', name: '赵处长', email: 'zhao@rsj.example.cn' });
  });
  afterAll(async () => h?.close());

  it('picks a reviewer from the people who wrote to the bot; the reviewer so appointed decides a task', async () => {
    const wang = new Applicant(h, 'ou_wang');
    await wang.say('你好');
    await settle(h.db);
    await h.app.services.runScheduled(); // names of new people are looked up in the background
    const roles = await admin.say('角色');
    const picker = inputs(roles).find((i) => i.tag === 'multi_select_person');
    expect(picker?.name).toBe('people');
    expect((picker!.node.options as { value: string }[]).map((o) => o.value)).toContain('ou_wang');
    // Nothing on the card asks for an id.
    expect(inputs(roles).map((i) => i.name)).not.toContain('openId');
    expect(visible(roles)).not.toMatch(/open_id|ou_/i);

    await admin.click((b) => b.value.a === 'role.grant', { people: ['ou_wang'], role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
    expect(visible(admin.card!)).toContain('已授予 王科长「审核人 · 2024年度威海市技能大师工作室申报 · 区市人社部门审核推荐 · 环翠区」');
    expect(visible(admin.card!)).not.toMatch(/ou_/);

    const number = await submit();
    const task = await wang.received(isTask);
    expect(textOf(task)).toContain(number);
    await wang.clickRaw(
      wang.button((b) => b.value.a === 'r.decide' && b.name === 'approve'),
      { reason: '', comment: '' },
    );
    expect(wang.lastToast?.type ?? 'success').not.toBe('error');
    const app = await h.db.client.application.findFirstOrThrow({ where: { number } });
    expect(await h.db.client.auditLog.count({ where: { subject: app.id, action: 'review.approve', actor: 'ou_wang' } })).toBe(1);
  });

  it('角色 @某人 in a group sends the grant card privately with that person chosen; the group learns nothing', async () => {
    await settle(h.db);
    const card = await admin.sayInGroup('角色', [{ openId: 'ou_expert_mentioned', name: '钱专家' }], 'oc_bureau_group', isRolesCard);
    const picker = inputs(card).find((i) => i.tag === 'multi_select_person')!;
    expect(picker.node.selected_values).toEqual(['ou_expert_mentioned']);
    await settle(h.db);
    const inGroup = h.emulator.messagesTo('oc_bureau_group').filter((m) => m.sender_type === 'app');
    expect(inGroup).toHaveLength(1);
    expect(textOf(JSON.parse(inGroup[0]!.content) as CardJson)).toContain('已发到您与助手的');
    expect(inGroup[0]!.content).not.toContain('role.grant');

    await admin.click((b) => b.value.a === 'role.grant', { role: 'expert', stage: 'weihai-2024/experts' });
    expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
    expect(visible(admin.card!)).toContain('已授予 钱专家');
    expect(await h.db.client.roleGrant.count({ where: { openId: 'ou_expert_mentioned', role: 'expert', revokedAt: null } })).toBe(1);
  });

  it('someone without the right to grant gets a refusal in private, and nothing is granted', async () => {
    const stranger = new Applicant(h, 'ou_stranger');
    const card = await stranger.sayInGroup('角色', [{ openId: 'ou_victim', name: '某人' }], 'oc_bureau_group');
    expect(textOf(card)).toContain('没有权限');
    expect(await h.db.client.roleGrant.count({ where: { openId: 'ou_victim' } })).toBe(0);
  });

  it('finds people by mobile number or e-mail; an unknown one is answered next to the form with what was entered kept', async () => {
    await settle(h.db);
    await admin.say('角色');
    await admin.click((b) => b.value.a === 'role.grant', { contact: '138 0000 0001，zhao@rsj.example.cn', role: 'expert', stage: 'weihai-2024/experts' });
    expect(admin.lastToast?.type, textOf(admin.card!)).toBe('success');
    expect(visible(admin.card!)).toMatch(/已授予 (李专家、赵处长|赵处长、李专家)/);

    await admin.click((b) => b.value.a === 'role.grant', { contact: '13900000000', role: 'reviewer', stage: 'weihai-2024/district', region: '文登区' });
    expect(admin.lastToast?.type).toBe('error');
    const text = visible(admin.card!);
    expect(text).toContain('没有找到“139****0000”对应的飞书用户');
    expect(text).not.toContain('13900000000');
    // What was entered stays.
    const kept = Object.fromEntries(inputs(admin.card!).map((i) => [i.name, i.node.default_value ?? i.node.initial_option]));
    expect(kept).toMatchObject({ contact: '13900000000', role: 'reviewer', stage: 'weihai-2024/district', region: '文登区' });

    await admin.click((b) => b.value.a === 'role.grant', { contact: '12345', role: 'expert', stage: 'weihai-2024/experts' });
    expect(visible(admin.card!)).toContain('手机号码应为以1开头的11位数字');
  });

  it('without the directory scope the lookup is refused with the scope named; picking still works', async () => {
    h.emulator.setScopes(
      APP_ID,
      DEFAULT_GRANTED_SCOPES.filter((s) => s !== 'contact:user.id:readonly'),
    );
    try {
      await admin.say('角色');
      await admin.click((b) => b.value.a === 'role.grant', { contact: '13800000001', role: 'expert', stage: 'weihai-2024/experts' });
      expect(admin.lastToast?.type).toBe('error');
      expect(visible(admin.card!)).toContain('contact:user.id:readonly');
    } finally {
      h.emulator.setScopes(APP_ID, DEFAULT_GRANTED_SCOPES);
    }
  });

  it('an imported studio contact is found by mobile, or claims the studio with the code the administrator passes on', async () => {
    h.emulator.addUser({ open_id: 'ou_contact_found', name: '孙联系人', mobile: '13700000007' });
    const csv = [
      '工作室名称,所在单位,领办人,职业（工种）,命名年度,项目,地区,联系人,联系人手机,联系人邮箱',
      '孙伟焊工技能大师工作室,威海某船舶有限公司,孙伟,焊工,2020,威海,环翠区,孙联系人,13700000007,',
      '周强电工技能大师工作室,威海某电力有限公司,周强,电工,2021,威海,文登区,周联系人,13600000006,',
      '吴刚钳工技能大师工作室,威海某机械有限公司,吴刚,钳工,2021,威海,文登区,吴联系人,,not-an-email',
    ].join('\n');
    const result = await admin.sendFile('工作室名单.csv', Buffer.from(csv, 'utf8'));
    const text = visible(result);
    expect(text).toContain('已导入 **2** 个工作室');
    expect(text).toContain('第4行：「联系人邮箱」');
    expect(text).not.toMatch(/open_id/i);
    const codes = [...text.matchAll(/：\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(2);

    // The directory knows the first contact: found in the background, the code no longer needed.
    await h.app.services.runScheduled();
    const found = await h.db.client.studio.findFirstOrThrow({ where: { name: '孙伟焊工技能大师工作室' } });
    expect(found).toMatchObject({ contactId: 'ou_contact_found', claimCode: null, contactPhone: null });
    const notFound = await h.db.client.studio.findFirstOrThrow({ where: { name: '周强电工技能大师工作室' } });
    expect(notFound.contactId).toBeNull();
    expect(notFound.contactLookupAt).not.toBeNull();
    const code = `${notFound.claimCode!.slice(0, 4)}-${notFound.claimCode!.slice(4)}`;

    // The other claims it with the code; a wrong code changes nothing.
    const zhou = new Applicant(h, 'ou_contact_zhou');
    expect(textOf(await zhou.say('认领 ZZZZ-ZZZZ'))).toContain('不正确或已被使用');
    expect(textOf(await zhou.say(`认领 ${code.toLowerCase()}`))).toContain('您已成为「周强电工技能大师工作室」');
    const claimed = await h.db.client.studio.findUniqueOrThrow({ where: { id: notFound.id } });
    expect(claimed).toMatchObject({ contactId: 'ou_contact_zhou', claimCode: null, contactPhone: null });
    // Once used, the code is spent.
    expect(textOf(await new Applicant(h, 'ou_late').say(`认领 ${code}`))).toContain('不正确或已被使用');
  });

  it('guessing claim codes stops after ten wrong ones a day', async () => {
    const guesser = new Applicant(h, 'ou_guesser');
    for (let i = 0; i < 10; i++) expect(textOf(await guesser.say(`认领 AAAA-AAA${i}`))).toContain('不正确');
    expect(textOf(await guesser.say('认领 AAAA-AAAA'))).toContain('次数太多');
  });
});

describe('ADMIN_IDS by user_id, mobile or e-mail', () => {
  let h: Harness;
  afterAll(async () => h?.close());

  it('become open_ids at start (user_id needs contact:user.employee_id:readonly), and those people administer', async () => {
    h = await startHarness({
      env: { ADMIN_IDS: 'boss001,13500000005,kz@rsj.example.cn' },
      tenant: (emulator) => {
        emulator.addUser({ open_id: 'ou_by_user_id', user_id: 'boss001', name: '局长' });
        emulator.addUser({ open_id: 'ou_by_mobile', name: '处长', mobile: '13500000005' });
        emulator.addUser({ open_id: 'ou_by_email', name: '科长', email: 'kz@rsj.example.cn' });
        emulator.setScopes(APP_ID, [...DEFAULT_GRANTED_SCOPES, 'contact:user.employee_id:readonly']);
      },
    });
    const config = h.apps[0]!.config;
    await waitFor('ADMIN_IDS resolved', () => ['ou_by_user_id', 'ou_by_mobile', 'ou_by_email'].every((id) => config.adminIds.includes(id)));
    // Replaced, so notices go once, by open_id.
    expect([...config.adminIds].sort()).toEqual(['ou_by_email', 'ou_by_mobile', 'ou_by_user_id']);
    // An event with no user_id in it (the scopes a bureau grants by default) is recognised by open_id.
    h.emulator.setScopes(APP_ID, DEFAULT_GRANTED_SCOPES);
    for (const id of ['ou_by_user_id', 'ou_by_mobile', 'ou_by_email']) {
      expect(textOf(await new Applicant(h, id).say('角色'))).toContain('授予角色');
    }
  });
});
