// npm run doctor: passes against the emulator with everything right, and fails naming the cause
// when the secret is wrong or a scope is missing (run both as a function and as the command).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor.js';
import { DEFAULT_GRANTED_SCOPES } from '../../src/emulator/server.js';
import { APP_ID, type Harness, startHarness, testEnv } from '../helpers/harness.js';

describe('npm run doctor', () => {
  let h: Harness;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    h = await startHarness();
    h.emulator.addUser({ open_id: 'ou_doctor_admin', name: '管理员甲' });
    h.emulator.addUser({ open_id: 'ou_doctor_admin_2', name: '管理员乙', mobile: '13900000009' });
    env = testEnv({
      LARK_DOMAIN: h.emulator.url,
      DATABASE_URL: h.testDb.database.url,
      PUBLIC_URL: h.url,
      ADMIN_IDS: 'ou_doctor_admin,13900000009',
      APPROVAL_CENTER: 'off',
    });
  });
  afterAll(async () => h?.close());

  const failures = (lines: { ok: boolean; text: string }[]) => lines.filter((l) => !l.ok).map((l) => l.text);

  it('passes when everything is right, naming each scope and the request URLs', async () => {
    const lines = await runDoctor(env);
    expect(failures(lines)).toEqual([]);
    const text = lines.map((l) => l.text).join('\n');
    expect(text).toContain('可以获取 tenant_access_token');
    expect(text).toContain('机器人能力：已启用');
    expect(text).toContain('权限 contact:user.id:readonly');
    expect(text).toContain('ADMIN_IDS 13900000009：对应飞书用户 管理员乙');
    expect(text).toContain(`事件请求地址 ${h.url}/lark/events`);
    expect(text).toContain(`回调请求地址 ${h.url}/lark/callbacks`);
    expect(text).toContain('数据库：可以连接，已是最新结构');
    expect(text).toMatch(/项目文件：\d+ 个项目均有效/);
  });

  it('fails naming LARK_APP_SECRET when the secret is wrong', async () => {
    const lines = await runDoctor({ ...env, LARK_APP_SECRET: 'not-the-secret' });
    expect(failures(lines).join('\n')).toMatch(/LARK_APP_SECRET 不正确/);
  });

  it('fails naming the scope that is missing, and ADMIN_IDS it cannot resolve', async () => {
    h.emulator.setScopes(
      APP_ID,
      DEFAULT_GRANTED_SCOPES.filter((s) => s !== 'contact:user.id:readonly'),
    );
    try {
      const bad = failures(await runDoctor(env)).join('\n');
      expect(bad).toContain('权限 contact:user.id:readonly：未开通');
      expect(bad).toContain('ADMIN_IDS 13900000009：缺少权限 contact:user.id:readonly');
    } finally {
      h.emulator.setScopes(APP_ID, DEFAULT_GRANTED_SCOPES);
    }
  });

  it('fails on an unreachable request URL and an unknown administrator', async () => {
    const bad = failures(await runDoctor({ ...env, ADMIN_IDS: 'ou_nobody_at_all', PUBLIC_URL: 'https://bot.invalid' }, { probe: async () => 0 })).join('\n');
    expect(bad).toContain('ADMIN_IDS ou_nobody_at_all：找不到这个用户');
    expect(bad).toContain('https://bot.invalid/healthz 无法访问');
  });

  it('the Approval Center and the ledger: their scopes, the callback address, and a 多维表格 the bot cannot open', async () => {
    const on = { ...env, APPROVAL_CENTER: 'on', PUBLIC_URL: 'https://bot.example.gov.cn', BITABLE_APP_TOKEN: 'bascnNotShared0001' };
    h.emulator.setScopes(
      APP_ID,
      DEFAULT_GRANTED_SCOPES.filter((s) => s !== 'approval:approval' && s !== 'bitable:app'),
    );
    const missing = failures(await runDoctor(on, { probe: async () => 200 })).join('\n');
    expect(missing).toContain('权限 approval:external_approval（或 approval:approval）：未开通');
    expect(missing).toContain('权限 contact:user.employee_id:readonly：未开通');
    expect(missing).toContain('权限 bitable:app：未开通');
    h.emulator.setScopes(APP_ID, [...DEFAULT_GRANTED_SCOPES, 'approval:approval', 'contact:user.employee_id:readonly', 'bitable:app']);
    h.emulator.addBitableApp('bascnShared0000001', '台账');
    try {
      const lines = await runDoctor({ ...on, BITABLE_APP_TOKEN: 'bascnShared0000001' }, { probe: async () => 200 });
      expect(failures(lines)).toEqual([]);
      expect(lines.map((l) => l.text).join('\n')).toContain('“同意/拒绝”回调 https://bot.example.gov.cn/lark/approval');
      const notShared = failures(await runDoctor(on, { probe: async () => 200 })).join('\n');
      expect(notShared).toContain('台账：无法访问多维表格 bascnNotShared0001');
      const noUrl = failures(await runDoctor({ ...on, PUBLIC_URL: '' }, { probe: async () => 200 })).join('\n');
      expect(noUrl).toContain('审批中心：未配置 PUBLIC_URL');
    } finally {
      h.emulator.setScopes(APP_ID, DEFAULT_GRANTED_SCOPES);
    }
  });

  it('as a command: prints ✓ lines and exits 0, or ✗ and exits 1', async () => {
    // Asynchronously: the emulator and the bot answering it live in this process.
    const run = (extra: Record<string, string>) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'npx',
          ['tsx', 'src/doctor.ts'],
          { env: { ...process.env, ...env, ...extra } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 120_000 },
          (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const good = await run({});
    expect(good.stdout, good.stderr).toContain('✓ 应用凭证');
    expect(good.status).toBe(0);
    const bad = await run({ LARK_APP_SECRET: 'wrong' });
    expect(bad.stdout).toMatch(/✗ 应用凭证：LARK_APP_SECRET 不正确/);
    expect(bad.status).toBe(1);
  });
});
