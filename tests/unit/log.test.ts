// The process logger: personal data masked everywhere it is logged, secrets redacted by key.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

const PHONE = '13812345678';
const ID = '11010519491231002X';

function capture(level: Parameters<typeof createLogger>[0] = 'info') {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
      cb();
    },
  });
  const log = createLogger(level, stream);
  const records = async (): Promise<Record<string, unknown>[]> => {
    await new Promise((r) => setImmediate(r));
    return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  return { log, lines, records };
}

describe('createLogger: personal data', () => {
  it.each([
    ['a mobile number', `call ${PHONE} now`, 'call 138****5678 now'],
    ['an ID number', `身份证 ${ID}`, '身份证 1101**********002X'],
    ['both', `${PHONE}/${ID}`, '138****5678/1101**********002X'],
    ['a landline', '座机 0631-5201234', '座机 063****1234'],
  ])('masks %s in the message string', async (_name, msg, expected) => {
    const { log, records } = capture();
    log.info(msg);
    const [rec] = await records();
    expect(rec?.msg).toBe(expected);
  });

  it('masks the message string when an object comes first', async () => {
    const { log, records } = capture();
    log.warn({ step: 1 }, `申报人手机 ${PHONE}`);
    const [rec] = await records();
    expect(rec).toMatchObject({ step: 1, msg: '申报人手机 138****5678', level: 40 });
  });

  it('masks %s interpolation arguments that are strings', async () => {
    const { log, records } = capture();
    log.info('user %s sent %s', PHONE, ID);
    const [rec] = await records();
    expect(rec?.msg).toBe('user 138****5678 sent 1101**********002X');
  });

  it('masks strings in nested objects and arrays, leaving other values alone', async () => {
    const { log, lines, records } = capture();
    log.info(
      {
        applicant: { name: '张三', phone: PHONE, idNumber: ID, contacts: [{ tel: `+86 ${PHONE}` }, '0631-5201234'] },
        event: { message: { content: JSON.stringify({ text: `我的身份证是${ID}` }) } },
        count: 3,
        ok: true,
        eventId: '5e3702a84e847582be8db7fb73283c02',
        createdAt: '1795283564348',
      },
      'application received',
    );
    const [rec] = await records();
    expect(rec).toMatchObject({
      applicant: { name: '张三', phone: '138****5678', idNumber: '1101**********002X' },
      count: 3,
      ok: true,
      eventId: '5e3702a84e847582be8db7fb73283c02',
      createdAt: '1795283564348',
      msg: 'application received',
    });
    expect(JSON.parse((rec?.event as { message: { content: string } }).message.content)).toEqual({ text: '我的身份证是1101**********002X' });
    const raw = lines.join('\n');
    expect(raw).not.toContain(PHONE);
    expect(raw).not.toContain(ID);
    expect(raw).not.toContain('5201234');
  });

  it('masks a msg key inside the object', async () => {
    const { log, records } = capture();
    log.info({ msg: `inner ${PHONE}` });
    const [rec] = await records();
    expect(rec?.msg).toBe('inner 138****5678');
  });

  it('respects the level', async () => {
    const { log, records } = capture('warn');
    log.info(`hidden ${PHONE}`);
    log.error(`shown ${PHONE}`);
    const recs = await records();
    expect(recs.map((r) => r.msg)).toEqual(['shown 138****5678']);
  });
});

describe('createLogger: secrets', () => {
  it.each(['appSecret', 'encryptKey', 'verificationToken', 'token', 'tenantAccessToken', 'authorization', 'app_secret'])(
    'redacts top-level %s',
    async (key) => {
      const { log, lines, records } = capture();
      log.info({ [key]: 'very-secret-value', keep: 'visible' }, 'x');
      const [rec] = await records();
      expect(rec?.[key]).toBe('[redacted]');
      expect(rec?.keep).toBe('visible');
      expect(lines.join('\n')).not.toContain('very-secret-value');
    },
  );

  it.each(['appSecret', 'encryptKey', 'verificationToken', 'token', 'authorization', 'app_secret'])('redacts %s one level down', async (key) => {
    const { log, lines, records } = capture();
    log.info({ lark: { [key]: 'very-secret-value', appId: 'cli_x' } });
    const [rec] = await records();
    expect(rec?.lark).toEqual({ [key]: '[redacted]', appId: 'cli_x' });
    expect(lines.join('\n')).not.toContain('very-secret-value');
  });

  it('redacts request authorization and Lark signature headers', async () => {
    const { log, lines, records } = capture();
    log.info({ req: { headers: { authorization: 'Bearer t-abc' } }, headers: { authorization: 'Bearer t-def', 'x-lark-signature': 'deadbeef', host: 'bot' } });
    const [rec] = await records();
    expect(rec).toMatchObject({
      req: { headers: { authorization: '[redacted]' } },
      headers: { authorization: '[redacted]', 'x-lark-signature': '[redacted]', host: 'bot' },
    });
    expect(lines.join('\n')).not.toMatch(/t-abc|t-def|deadbeef/);
  });

  it('redacts secrets in child-logger bindings', async () => {
    const { log, lines, records } = capture();
    log.child({ token: 'bound-secret' }).info('from child');
    const [rec] = await records();
    expect(rec?.token).toBe('[redacted]');
    expect(lines.join('\n')).not.toContain('bound-secret');
  });

  it('redacts and masks in the same record', async () => {
    const { log, records } = capture();
    log.info({ appSecret: PHONE, phone: PHONE }, `m ${PHONE}`);
    const [rec] = await records();
    expect(rec).toMatchObject({ appSecret: '[redacted]', phone: '138****5678', msg: 'm 138****5678' });
  });
});
