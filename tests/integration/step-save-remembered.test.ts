// A step save on PostgreSQL starts from the state its instance last saved when the card carries
// that version (no read): the guarded update must still catch a change made on another instance,
// and the answer must show uploads filed meanwhile (they change without the version).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction } from '../../src/emulator/signing.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { testDialect } from '../helpers/database.js';
import { validApplication } from '../helpers/fixtures.js';
import { APP_ID, type Harness, startHarness, VERIFICATION_TOKEN } from '../helpers/harness.js';

const POSTGRES = testDialect() === 'postgres';
const weihai = shippedCampaign('weihai-2024');

describe(`a step save from a remembered state (${POSTGRES ? 'two instances on PostgreSQL' : 'SQLite'})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apps: POSTGRES ? 2 : 1, now: () => new Date('2024-07-15T10:00:00+08:00'), tick: false });
  });
  afterAll(async () => h?.close());

  async function save(app: number, openId: string, id: string, v: number, button: string, form: Record<string, unknown>) {
    const envelope = cardAction({
      appId: APP_ID,
      token: VERIFICATION_TOKEN,
      operatorOpenId: openId,
      openMessageId: `om_${randomUUID().slice(0, 12)}`,
      openChatId: 'oc_x',
      value: { a: 'j.save', app: id, v, s: weihai.form.sections[0]!.id },
      name: button,
      formValue: form,
      emulator: h.emulator,
    });
    const res = await h.push(envelope, { app: app % h.apps.length, route: '/lark/callbacks' });
    expect(res.status).toBe(200);
    return res.json as { card?: unknown; toast?: { type: string; content: string } };
  }

  it('shows an upload filed elsewhere, and a save from an older card changes nothing', async () => {
    const section = weihai.form.sections[0]!;
    const typed = validApplication(weihai).answers;
    const form = Object.fromEntries(section.fields.filter((f) => f.id in typed).map((f) => [f.id, typed[f.id]]));
    const id = randomUUID();
    const applicant = 'ou_remembered';
    await h.db.client.application.create({ data: { id, campaignId: weihai.id, applicantId: applicant, lastStep: section.id } });

    expect((await save(0, applicant, id, 0, 'next', form)).toast?.content).toBe('已保存');
    // Filed on another instance (a file sent in the chat): the version does not move.
    const slot = weihai.form.attachments[0]!;
    await h.db.client.upload.create({
      data: {
        id: randomUUID(),
        applicationId: id,
        ownerId: applicant,
        messageId: 'om_file',
        sha256: 'b'.repeat(64),
        name: '刚上传的营业执照.pdf',
        size: 2048,
        kind: 'pdf',
        slotId: slot.id,
      },
    });
    const overview = await save(0, applicant, id, 1, 'overview', form);
    expect(JSON.stringify(overview.card)).toContain('刚上传的营业执照.pdf');
    expect((await h.db.client.application.findUniqueOrThrow({ where: { id } })).version).toBe(2);

    // Saved from the v2 card on the other instance; then the first instance gets a click from the same v2 card.
    expect((await save(1, applicant, id, 2, 'next', { ...form, unitName: '乙单位' })).toast?.content).toBe('已保存');
    const late = await save(0, applicant, id, 2, 'next', { ...form, unitName: '甲单位' });
    expect(late.toast?.content).toBe('已显示最新内容');
    const row = await h.db.client.application.findUniqueOrThrow({ where: { id } });
    expect(row.version).toBe(3);
    expect(JSON.parse(row.answers).unitName).toBe('乙单位');
  });
});
