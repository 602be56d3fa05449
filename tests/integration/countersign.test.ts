// A countersign stage (signing: all) waits for every reviewer's approval; one return is enough
// to send the application back.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSources } from '../../src/campaigns/loader.js';
import { creditCodeCheckChar } from '../../src/rules/index.js';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { CAMPAIGNS_DIR } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const title = (c: CardJson) => String(c.header?.title?.content ?? '');
const dir = mkdtempSync(join(tmpdir(), 'smsb-countersign-'));
const text = readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml'), 'utf8').replace('    signing: or\n', '    signing: all\n');
writeFileSync(join(dir, 'weihai-2024.yaml'), text);
const weihai = parseCampaignSources([{ file: 'weihai-2024.yaml', text }]).campaigns[0]!;

describe('countersign', () => {
  let h: Harness;
  let r1: Applicant, r2: Applicant;
  beforeAll(async () => {
    expect(weihai.pipeline[0]!.signing).toBe('all');
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin', CAMPAIGNS_DIR: dir } });
    const admin = new Applicant(h, 'ou_admin');
    await admin.say('角色');
    for (const id of ['ou_cs_1', 'ou_cs_2']) await appoint(admin, id, { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    r1 = new Applicant(h, 'ou_cs_1');
    r2 = new Applicant(h, 'ou_cs_2');
  });
  afterAll(async () => h?.close());

  async function submit(n: number) {
    const a = new Applicant(h, `ou_cs_unit_${n}`);
    const fx = validApplication(weihai);
    const first17 = `91371000MA3C3000${n}`;
    fx.answers.unitCreditCode = first17 + creditCodeCheckChar(first17);
    await begin(a, weihai);
    await advanceTo(a, fx);
    await attachAll(a, fx);
    await confirmAndSubmit(a);
    return textOf(a.card!).match(/WH2024-\d{4}/)![0];
  }

  it('waits for every approval before moving on', async () => {
    const number = await submit(1);
    await r1.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    await r2.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    await r1.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    expect(r1.lastToast?.content).toBe('已推荐，等待其他审核人');
    expect(await h.db.client.application.findFirstOrThrow({ where: { number } })).toMatchObject({ stage: 'district' });
    await r2.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    expect(await h.db.client.application.findFirstOrThrow({ where: { number } })).toMatchObject({ stage: 'experts' });
  });

  it('one return is enough to send it back', async () => {
    const number = await submit(2);
    await r1.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    await r1.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '请补充场地照片' });
    expect(await h.db.client.application.findFirstOrThrow({ where: { number } })).toMatchObject({ status: 'returned', stage: 'district' });
  });

  it('a countersigner revoked after the other approved, with nobody else holding the role: the approvals given pass the stage', async () => {
    const number = await submit(3);
    await r1.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    await r2.received((c) => title(c).startsWith('待审核') && textOf(c).includes(number));
    await r1.click((b) => b.value.a === 'r.decide' && b.name === 'approve', { reason: '' });
    const admin = new Applicant(h, 'ou_admin');
    await admin.say('角色');
    const grant = await h.db.client.roleGrant.findFirstOrThrow({ where: { openId: 'ou_cs_2', revokedAt: null } });
    await admin.clickRaw({ value: { a: 'role.revoke', g: grant.id } });
    expect(textOf(admin.card!)).toContain('1份申报因其余人员已全部处理而完成该环节');
    expect(await h.db.client.application.findFirstOrThrow({ where: { number } })).toMatchObject({ stage: 'experts' });
    await r2.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: '太迟了' });
    expect(r2.lastToast?.content).toMatch(/^没有权限：这项任务已不再由您处理/);
  });
});
