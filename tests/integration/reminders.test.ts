// Deadline reminders with a controllable clock, on a copy of Weihai 2024 configured to remind 7
// and 3 days before (not 1) with quiet hours 22:00–08:30, and a district-stage deadline.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Applicant, type CardJson, textOf } from '../helpers/applicant.js';
import { CAMPAIGNS_DIR, shippedCampaign } from '../helpers/campaigns.js';
import { validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';
import { advanceTo, attachAll, begin, confirmAndSubmit } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const isReminder = (c: CardJson) => String(c.header?.title?.content ?? '').startsWith('申报截止还有');
const isTodo = (c: CardJson) => String(c.header?.title?.content ?? '').startsWith('审核截止还有');

describe('deadline reminders (Weihai 2024, deadline 2024-07-31)', () => {
  let h: Harness;
  let clock = new Date('2024-07-15T10:00:00+08:00');
  let drafter: Applicant, submitter: Applicant, reviewer: Applicant, admin: Applicant;
  const tick = async (at: string) => {
    clock = new Date(`${at}+08:00`);
    await Promise.all([h.app.services.runScheduled(), h.app.services.runScheduled()]); // two instances at once
    await settle(h.db);
  };
  // As sent: a reminder clicked (继续填写) becomes the step card in the chat.
  const reminders = (a: Applicant) => a.cardsAsSent().filter(isReminder);

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-reminders-'));
    const yaml = readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml'), 'utf8');
    expect(yaml).toContain('  deadline: 2024-07-31\n');
    writeFileSync(
      join(dir, 'weihai-2024.yaml'),
      yaml.replace(
        '  deadline: 2024-07-31\n',
        "  deadline: 2024-07-31\n  stageDeadlines: { district: 2024-08-10 }\n  reminders: { daysBefore: [7, 3], quietHours: { from: '22:00', to: '08:30' } }\n",
      ),
    );
    h = await startHarness({ now: () => clock, env: { CAMPAIGNS_DIR: dir, ADMIN_IDS: 'ou_admin' } });
    drafter = new Applicant(h, 'ou_drafter');
    submitter = new Applicant(h, 'ou_submitter');
    reviewer = new Applicant(h, 'ou_reviewer');
    admin = new Applicant(h, 'ou_admin');
    await admin.say('角色');
    await appoint(admin, 'ou_reviewer', { role: 'reviewer', stage: 'weihai-2024/district', region: weihai.regions.items[0] });
    expect(admin.lastToast?.type).toBe('success');

    await begin(drafter, weihai); // a draft with nothing filled in
    const fx = validApplication(weihai);
    await begin(submitter, weihai);
    await advanceTo(submitter, fx);
    await attachAll(submitter, fx);
    await confirmAndSubmit(submitter);
    expect(textOf(submitter.card!)).toContain('WH2024-0001');
    await settle(h.db);
  });
  afterAll(async () => h?.close());

  it('reminds the drafter 7 days before, after quiet hours, once; never the one who submitted', async () => {
    await tick('2024-07-23T12:00:00');
    await tick('2024-07-24T08:29:00'); // quiet hours
    expect(reminders(drafter)).toHaveLength(0);
    await tick('2024-07-24T08:30:00');
    await tick('2024-07-24T15:00:00');
    expect(reminders(drafter)).toHaveLength(1);
    const card = reminders(drafter)[0]!;
    expect(card.header?.title?.content).toBe('申报截止还有 7 天');
    expect(textOf(card)).toContain('2024年7月31日 23:59');
    expect(textOf(card)).toMatch(/还需要：[\s\S]*填写「/);
    expect(reminders(submitter)).toHaveLength(0);
  });

  it('reminds again 3 days before, not on days that are not configured, and 继续填写 resumes the draft', async () => {
    await tick('2024-07-25T10:00:00');
    await tick('2024-07-28T23:00:00'); // quiet hours all evening
    expect(reminders(drafter)).toHaveLength(1);
    await tick('2024-07-28T09:00:00');
    expect(reminders(drafter)).toHaveLength(2);
    expect(reminders(drafter)[1]!.header?.title?.content).toBe('申报截止还有 3 天');
    await tick('2024-07-30T10:00:00'); // 1 day before is not configured for this programme
    await tick('2024-08-01T10:00:00'); // past the deadline
    expect(reminders(drafter)).toHaveLength(2);

    await drafter.received(isReminder);
    clock = new Date('2024-07-30T10:00:00+08:00');
    await drafter.click((b) => b.value.a === 'j.start');
    expect(drafter.hasButton((b) => b.value.a === 'j.save')).toBe(true);
  });

  it('reminds the reviewer with pending items 7 days before the stage deadline', async () => {
    const before = reviewer.cards().filter(isTodo).length;
    await tick('2024-08-02T10:00:00');
    expect(reviewer.cards().filter(isTodo)).toHaveLength(before);
    await tick('2024-08-03T09:00:00');
    await tick('2024-08-03T10:00:00');
    const todos = reviewer.cards().filter(isTodo);
    expect(todos).toHaveLength(before + 1);
    expect(todos.at(-1)!.header?.title?.content).toBe('审核截止还有 7 天');
    expect(textOf(todos.at(-1)!)).toContain('WH2024-0001');
    expect(textOf(todos.at(-1)!)).toContain('将于 2024年8月10日 23:59 截止');
    expect(reminders(drafter)).toHaveLength(2);
  });
});
