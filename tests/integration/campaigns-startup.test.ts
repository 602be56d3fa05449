// A broken programme file never stops the bot: the valid programmes load, and administrators
// get one card naming each problem (not one more at every restart).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGNS_DIR } from '../helpers/campaigns.js';
import { type Harness, settle, startHarness } from '../helpers/harness.js';

describe('programme files at start', () => {
  let h: Harness;
  const dir = mkdtempSync(join(tmpdir(), 'smsb-campaign-dir-'));
  beforeAll(async () => {
    writeFileSync(join(dir, 'weihai-2024.yaml'), readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml')));
    writeFileSync(
      join(dir, 'broken.yaml'),
      readFileSync(join(CAMPAIGNS_DIR, 'weihai-2024.yaml'), 'utf8').replace('id: weihai-2024', 'id: broken-2024').replace('type: yesNo }', 'type: yesno }'),
    );
    h = await startHarness({ env: { CAMPAIGNS_DIR: dir, ADMIN_IDS: 'ou_admin_a,ou_admin_b' } });
  });
  afterAll(async () => h?.close());

  it('serves the valid programmes and reports the broken file to each administrator once', async () => {
    expect(h.app.services.catalog.campaigns.map((c) => c.id)).toEqual(['weihai-2024']);
    await settle(h.db);
    for (const admin of ['ou_admin_a', 'ou_admin_b']) {
      const cards = h.emulator.messagesTo(h.emulator.p2pChatId(admin));
      expect(cards).toHaveLength(1);
      expect(cards[0]!.content).toContain('broken.yaml');
      expect(cards[0]!.content).toMatch(/fields\[\d+\]（是否技师工作站）\.type/);
      expect(cards[0]!.content).toContain('字段类型 type 不正确');
    }
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { programmes: unknown };
    expect(health.programmes).toEqual({ loaded: 1, problems: 1 });

    // A restart with the same problems does not repeat the card.
    await h.startApp({ CAMPAIGNS_DIR: dir, ADMIN_IDS: 'ou_admin_a,ou_admin_b' });
    await settle(h.db);
    expect(h.emulator.messages).toHaveLength(2);
  });
});
