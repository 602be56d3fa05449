// A programme activated on one instance is served by the other after its next scheduler run
// (several instances need PostgreSQL; SQLite is for one).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { Applicant, textOf } from '../helpers/applicant.js';
import { CAMPAIGNS_DIR } from '../helpers/campaigns.js';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('programme management across two instances', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apps: 2, now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin' } });
  });
  afterAll(async () => h?.close());

  it('activated on the first, served by the second after its scheduler run', async () => {
    const doc = parseDocument(readFileSync(join(CAMPAIGNS_DIR, 'lucheng-2024.yaml'), 'utf8'));
    doc.setIn(['id'], 'lucheng-2027');
    doc.setIn(['title'], '2027年温州市鹿城区技能大师工作室建设项目申报');
    doc.setIn(['year'], 2027);
    const admin = new Applicant(h, 'ou_admin');
    await admin.sendFile('lucheng-2027.yaml', Buffer.from(String(doc)));
    await admin.click('启用');
    expect(textOf(admin.card!)).toContain('已启用');
    const [first, second] = h.apps.map((a) => a.app.services);
    expect(first!.catalog.campaigns.some((c) => c.id === 'lucheng-2027')).toBe(true);
    expect(second!.catalog.campaigns.some((c) => c.id === 'lucheng-2027')).toBe(false);
    await second!.runScheduled();
    expect(second!.catalog.campaigns.find((c) => c.id === 'lucheng-2027')?.year).toBe(2027);
  });
});
