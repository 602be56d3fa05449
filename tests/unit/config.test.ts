// loadConfig: defaults, shorthands, and a ConfigError naming each bad variable.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, databaseFromUrl, loadConfig } from '../../src/config.js';

const LARK = { LARK_APP_ID: 'cli_a1b2c3d4', LARK_APP_SECRET: 'app-secret-value-XYZ', LARK_VERIFICATION_TOKEN: 'verification-token-value-XYZ' };

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig: defaults', () => {
  const c = loadConfig({});

  it('runs in local mode without LARK_APP_ID', () => {
    expect(c.mode).toBe('local');
    expect(c.lark.appId).toBeTruthy();
    expect(c.lark.encryptKey).toBeUndefined();
  });

  it('uses SQLite under DATA_DIR (./data by default)', () => {
    expect(c.dataDir).toBe(resolve('./data'));
    expect(c.database).toEqual({ dialect: 'sqlite', url: `file:${join(resolve('./data'), 'bot.db')}` });
  });

  it('has the documented defaults', () => {
    expect(c).toMatchObject({
      port: 3000,
      // Local mode: anyone reaching the port acts as the demo administrator, so loopback only.
      host: '127.0.0.1',
      larkTransport: 'http',
      publicUrl: undefined,
      adminIds: [],
      logLevel: 'info',
      signatureWindowSeconds: 300,
      workerLeaseMs: 30_000,
      bodyLimitBytes: 1024 * 1024,
    });
    expect(c.lark.domain).toBe('https://open.feishu.cn');
  });

  it('listens on every interface with a Lark tenant, and wherever HOST says in either mode', () => {
    const tenant = { LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_VERIFICATION_TOKEN: 't' };
    expect(loadConfig(tenant).host).toBe('0.0.0.0');
    expect(loadConfig({ ...tenant, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '  ' }).host).toBe('127.0.0.1');
  });

  it('puts the database under a given DATA_DIR', () => {
    const dir = resolve('/tmp/skill-master-data');
    expect(loadConfig({ DATA_DIR: dir }).database).toEqual({ dialect: 'sqlite', url: `file:${join(dir, 'bot.db')}` });
  });

  it('treats blank optional values as unset', () => {
    const b = loadConfig({ LARK_APP_ID: '  ', LARK_ENCRYPT_KEY: '', DATABASE_URL: ' ', LARK_DOMAIN: '' });
    expect(b.mode).toBe('local');
    expect(b.lark.encryptKey).toBeUndefined();
    expect(b.database.dialect).toBe('sqlite');
    expect(b.lark.domain).toBe('https://open.feishu.cn');
  });
});

describe('loadConfig: Lark mode', () => {
  it('with credentials, runs in lark mode and keeps them', () => {
    const c = loadConfig({ ...LARK, LARK_ENCRYPT_KEY: ' enc-key ' });
    expect(c.mode).toBe('lark');
    expect(c.lark).toEqual({
      appId: 'cli_a1b2c3d4',
      appSecret: 'app-secret-value-XYZ',
      verificationToken: 'verification-token-value-XYZ',
      encryptKey: 'enc-key',
      domain: 'https://open.feishu.cn',
    });
  });

  it.each([
    ['feishu', 'https://open.feishu.cn'],
    ['lark', 'https://open.larksuite.com'],
    ['Lark', 'https://open.larksuite.com'],
    ['https://open.larksuite.com/', 'https://open.larksuite.com'],
    ['https://open.feishu.cn///', 'https://open.feishu.cn'],
    ['http://127.0.0.1:9000/', 'http://127.0.0.1:9000'],
  ])('LARK_DOMAIN=%s → %s', (value, domain) => {
    expect(loadConfig({ LARK_DOMAIN: value }).lark.domain).toBe(domain);
  });

  it('LARK_MODE=http is the transport', () => {
    expect(loadConfig({ LARK_MODE: 'http' }).larkTransport).toBe('http');
  });

  it('LARK_MODE=ws needs a real tenant (local mode has no transport to choose)', () => {
    expect(() => loadConfig({ LARK_MODE: 'ws' })).toThrow(/LARK_MODE ws \(long connection\) connects to a real Lark tenant/);
    expect(loadConfig({ LARK_MODE: 'ws', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LARK_VERIFICATION_TOKEN: 't' }).larkTransport).toBe('ws');
  });

  it.each([
    ['postgres://u:p@db:5432/bot', 'postgres'],
    ['postgresql://u:p@db/bot', 'postgres'],
    ['file:./local.db', 'sqlite'],
  ])('DATABASE_URL=%s → %s', (url, dialect) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ dialect, url });
  });

  it('databaseFromUrl is consistent with loadConfig', () => {
    expect(databaseFromUrl(undefined, '/srv/data')).toEqual({ dialect: 'sqlite', url: `file:${join(resolve('/srv/data'), 'bot.db')}` });
    expect(databaseFromUrl('postgres://x/y', '/srv/data')).toEqual({ dialect: 'postgres', url: 'postgres://x/y' });
  });

  it('converts seconds to milliseconds for the worker lease', () => {
    expect(loadConfig({ WORKER_LEASE_SECONDS: '1.5', LARK_SIGNATURE_WINDOW_SECONDS: '60' })).toMatchObject({ workerLeaseMs: 1500, signatureWindowSeconds: 60 });
  });

  it.each(['0', '8080', '65535'])('PORT=%s is accepted', (port) => {
    expect(loadConfig({ PORT: port }).port).toBe(Number(port));
  });
});

describe('loadConfig: PUBLIC_URL', () => {
  it('is an http(s) base address without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://bot.example.gov.cn/' }).publicUrl).toBe('https://bot.example.gov.cn');
    expect(() => loadConfig({ PUBLIC_URL: 'bot.example.gov.cn' })).toThrow(/PUBLIC_URL/);
  });
});

describe('loadConfig: ADMIN_IDS', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['ou_a', ['ou_a']],
    ['ou_a,ou_b', ['ou_a', 'ou_b']],
    ['ou_a, ou_b ,ou_c', ['ou_a', 'ou_b', 'ou_c']],
    ['ou_a，ou_b', ['ou_a', 'ou_b']], // Chinese comma
    ['ou_a ou_b\tou_c', ['ou_a', 'ou_b', 'ou_c']],
    [' ,ou_a,, ，ou_b, ', ['ou_a', 'ou_b']],
  ])('"%s" → %j', (value, ids) => {
    expect(loadConfig({ ADMIN_IDS: value }).adminIds).toEqual(ids);
  });
});

describe('loadConfig: errors name the variable', () => {
  it.each<[string, Record<string, string>, string]>([
    ['PORT not a number', { PORT: 'abc' }, 'PORT'],
    ['PORT too large', { PORT: '70000' }, 'PORT'],
    ['PORT negative', { PORT: '-1' }, 'PORT'],
    ['PORT fractional', { PORT: '80.5' }, 'PORT'],
    ['DATABASE_URL of another database', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['DATABASE_URL without scheme', { DATABASE_URL: './bot.db' }, 'DATABASE_URL'],
    ['LARK_DOMAIN not http(s)', { LARK_DOMAIN: 'ftp://x' }, 'LARK_DOMAIN'],
    ['LARK_DOMAIN without scheme', { LARK_DOMAIN: 'open.feishu.cn' }, 'LARK_DOMAIN'],
    ['LARK_APP_ID without LARK_APP_SECRET', { LARK_APP_ID: 'cli_x', LARK_VERIFICATION_TOKEN: 'v' }, 'LARK_APP_SECRET'],
    ['LARK_APP_ID without LARK_VERIFICATION_TOKEN', { LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' }, 'LARK_VERIFICATION_TOKEN'],
    ['LARK_APP_ID with a blank secret', { ...LARK, LARK_APP_SECRET: '   ' }, 'LARK_APP_SECRET'],
    ['LARK_MODE unknown', { LARK_MODE: 'foo' }, 'LARK_MODE'],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    ['LARK_SIGNATURE_WINDOW_SECONDS zero', { LARK_SIGNATURE_WINDOW_SECONDS: '0' }, 'LARK_SIGNATURE_WINDOW_SECONDS'],
    ['WORKER_LEASE_SECONDS not a number', { WORKER_LEASE_SECONDS: 'soon' }, 'WORKER_LEASE_SECONDS'],
    ['BODY_LIMIT_BYTES not a number', { BODY_LIMIT_BYTES: 'lots' }, 'BODY_LIMIT_BYTES'],
  ])('%s → ConfigError(%j)', (_name, env, variable) => {
    const e = configError(env);
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(variable);
    expect(e.name).toBe('ConfigError');
  });

  it.each([
    ['PORT', { PORT: 'abc' }, 'abc'],
    ['LARK_MODE', { LARK_MODE: 'foo' }, 'foo'],
    ['LARK_DOMAIN', { LARK_DOMAIN: 'ftp://x' }, 'ftp://x'],
  ])('shows the bad value of a non-secret %s', (_name, env, value) => {
    expect(configError(env).message).toContain(`"${value}"`);
  });

  it('reports a missing secret without echoing any other secret', () => {
    const e = configError({ LARK_APP_ID: 'cli_x', LARK_VERIFICATION_TOKEN: 'token-should-not-appear', LARK_ENCRYPT_KEY: 'key-should-not-appear' });
    expect(e.variable).toBe('LARK_APP_SECRET');
    expect(e.message).not.toContain('token-should-not-appear');
    expect(e.message).not.toContain('key-should-not-appear');
  });

  it('treats a blank secret as missing and never echoes secrets', () => {
    const e = configError({ ...LARK, LARK_APP_SECRET: '   ' });
    expect(e.variable).toBe('LARK_APP_SECRET');
    expect(e.message).toContain('is required when LARK_APP_ID is set');
    expect(e.message).not.toContain(LARK.LARK_VERIFICATION_TOKEN);
  });

  it('an error elsewhere does not leak the configured secrets', () => {
    const e = configError({ ...LARK, LARK_ENCRYPT_KEY: 'enc-key-secret', PORT: 'abc' });
    expect(e.variable).toBe('PORT');
    for (const secret of [LARK.LARK_APP_SECRET, LARK.LARK_VERIFICATION_TOKEN, 'enc-key-secret']) expect(e.message).not.toContain(secret);
  });
});
