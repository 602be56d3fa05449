// Personal data at rest and in logs. With the usual umask (022) the bot still keeps DATA_DIR 0700
// and every file it writes there (received files, export files, the SQLite database and its WAL)
// 0600: readable by the bot's user only. And a whole application, review and export logged at
// LOG_LEVEL=trace leaves no ID number or phone in the log.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../src/rules/index.js';
import { Applicant } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { LEADER_ID, validApplication } from '../helpers/fixtures.js';
import { type Harness, settle, startHarness, waitFor } from '../helpers/harness.js';
import { applyThrough } from '../helpers/journey-driver.js';
import { appoint } from '../helpers/people.js';

const weihai = shippedCampaign('weihai-2024');
const OTHER_ID = (() => {
  const first17 = '37100219880203451';
  return first17 + idNumberCheckChar(first17);
})();
const MOBILE = '13963112345';

/** Every directory and file under `root`, with its permission bits. */
function modes(root: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  const walk = (p: string) => {
    const s = statSync(p);
    out.push({ path: p, dir: s.isDirectory(), mode: s.mode & 0o777 });
    if (s.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(root);
  return out;
}

describe('personal data at rest and in logs', () => {
  let h: Harness;
  let umaskBefore: number;
  const dataDir = join(mkdtempSync(join(tmpdir(), 'smsb-rest-')), 'data');
  const log: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });

  beforeAll(async () => {
    umaskBefore = process.umask(0o022);
    h = await startHarness({ now: () => new Date('2024-07-15T10:00:00+08:00'), env: { ADMIN_IDS: 'ou_admin', LOG_LEVEL: 'trace' }, dataDir, logTo: sink });
  });
  afterAll(async () => {
    await h?.close();
    process.umask(umaskBefore);
  });

  it('a whole application, its review and an export, at trace level', async () => {
    const admin = new Applicant(h, 'ou_admin');
    const district = new Applicant(h, 'ou_rest_district');
    await admin.say('角色');
    await appoint(admin, district.openId, { role: 'reviewer', stage: 'weihai-2024/district', region: '环翠区' });
    const unit = new Applicant(h, 'ou_rest_unit');
    // Someone types their ID and phone into the chat as well as into the form.
    await unit.say(`我的身份证是${OTHER_ID}，手机${MOBILE}`);
    const fx = validApplication(weihai);
    fx.answers.leaderAchievements = `徒弟身份证${OTHER_ID}，电话${MOBILE}`;
    await applyThrough(unit, weihai, fx);
    await district.received((c) => String(c.header?.title?.content ?? '').startsWith('待审核'));
    await district.click('查看完整信息');
    await district.click((b) => b.value.a === 'r.decide' && b.name === 'return', { reason: `请核对身份证${OTHER_ID}` });
    await admin.say('导出');
    await admin.click((b) => b.value.a === 'x.run', { campaign: 'weihai-2024', what: 'forms' });
    await waitFor('the export file', () => h.emulator.messagesTo('ou_admin').some((m) => m.msg_type === 'file'), 30_000, 50);
    await settle(h.db);
  });

  it('DATA_DIR is 0700, and everything in it the bot wrote is 0700 (directories) or 0600 (files), umask 022 notwithstanding', () => {
    const all = modes(dataDir);
    expect(all.some((e) => e.path.includes(`${join(dataDir, 'files')}`) && !e.dir)).toBe(true);
    expect(all.some((e) => e.path.includes(`${join(dataDir, 'exports')}`) && !e.dir)).toBe(true);
    const wrong = all.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(wrong).toEqual([]);
  });

  it('the SQLite database and its WAL are 0600 (on PostgreSQL the server keeps the data: see docs/operators.md)', () => {
    const { dialect, url } = h.apps[0]!.config.database;
    const files = dialect === 'sqlite' ? [url.replace(/^file:/, ''), `${url.replace(/^file:/, '')}-wal`] : [];
    expect(files.length).toBe(dialect === 'sqlite' ? 2 : 0);
    for (const f of files) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
  });

  it('the trace-level log holds no ID number and no phone', () => {
    const text = log.join('');
    expect(text.length).toBeGreaterThan(10_000); // it did log, at length
    // The typed message and the form did pass through the log, masked.
    expect(text).toContain(`${OTHER_ID.slice(0, 4)}**********${OTHER_ID.slice(-4)}`);
    expect(text).toContain('139****2345');
    for (const v of [LEADER_ID, OTHER_ID, MOBILE, '13812345678']) expect(text.includes(v), v).toBe(false);
  });
});
