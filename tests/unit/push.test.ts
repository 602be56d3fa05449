// parsePush: raw HTTP bytes + headers → challenge / event / callback, or a 400/401 rejection.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CARD_ACTION, type PushSecrets, parsePush } from '../../src/lark/push.js';
import { PushRejected, type SignatureHeaders } from '../../src/lark/verify.js';

const KEY = 'push-encrypt-key';
const TOKEN = 'push-verification-token';
const NOW_S = 1_750_000_000;
const NOW_MS = NOW_S * 1000;
const WITH_KEY: PushSecrets = { verificationToken: TOKEN, encryptKey: KEY, signatureWindowSeconds: 300 };
const NO_KEY: PushSecrets = { verificationToken: TOKEN, encryptKey: undefined, signatureWindowSeconds: 300 };
const UNSIGNED: SignatureHeaders = { timestamp: undefined, nonce: undefined, signature: undefined };

function encrypt(plaintext: string, key = KEY): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

function signed(body: string, key = KEY, timestamp = String(NOW_S)): SignatureHeaders {
  const nonce = 'n-' + timestamp;
  return {
    timestamp,
    nonce,
    signature: createHash('sha256')
      .update(timestamp + nonce + key + body)
      .digest('hex'),
  };
}

/** The body Lark posts: encrypted when `key` is given. */
function body(payload: unknown, key?: string): string {
  return key ? JSON.stringify({ encrypt: encrypt(JSON.stringify(payload), key) }) : JSON.stringify(payload);
}

function event(eventType: string, over: Record<string, unknown> = {}, event: Record<string, unknown> = { hello: '世界' }) {
  return {
    schema: '2.0',
    header: {
      event_id: 'f7984f25108f8137722bb63cee927e66',
      event_type: eventType,
      create_time: '1749999999123',
      token: TOKEN,
      app_id: 'cli_a1b2c3',
      tenant_key: '736588c9260f175d',
      ...over,
    },
    event,
  };
}

const challenge = (token = TOKEN) => ({ challenge: 'ajls384kdjx98XX', token, type: 'url_verification' });

function parse(raw: string, headers: SignatureHeaders, secrets: PushSecrets) {
  return parsePush(Buffer.from(raw, 'utf8'), headers, secrets, NOW_MS);
}

function rejection(f: () => unknown): { status: number; reason: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PushRejected);
    return { status: (e as PushRejected).status, reason: (e as PushRejected).reason };
  }
  throw new Error('expected a PushRejected');
}

describe('parsePush: URL challenge', () => {
  it.each([
    ['plain, no key configured', NO_KEY, false, false],
    ['plain and unsigned while a key is configured', WITH_KEY, false, false],
    ['encrypted and unsigned while a key is configured', WITH_KEY, true, false],
    ['encrypted and signed', WITH_KEY, true, true],
  ])('%s → answered', (_name, secrets, encrypted, sign) => {
    const raw = body(challenge(), encrypted ? KEY : undefined);
    expect(parse(raw, sign ? signed(raw) : UNSIGNED, secrets)).toEqual({ kind: 'challenge', challenge: 'ajls384kdjx98XX' });
  });

  it.each([
    ['plain', NO_KEY, undefined],
    ['encrypted', WITH_KEY, KEY],
  ])('%s challenge with the wrong token → 401', (_name, secrets, key) => {
    expect(rejection(() => parse(body(challenge('forged'), key), UNSIGNED, secrets))).toEqual({ status: 401, reason: 'verification token mismatch' });
  });

  it.each([
    ['no challenge', { type: 'url_verification', token: TOKEN }],
    ['empty challenge', { ...challenge(), challenge: '' }],
    ['no token', { type: 'url_verification', challenge: 'x' }],
  ])('malformed challenge (%s) → 400', (_name, payload) => {
    expect(rejection(() => parse(JSON.stringify(payload), UNSIGNED, NO_KEY))).toEqual({ status: 400, reason: 'malformed url_verification' });
  });

  it('a signed challenge with a bad signature is still rejected', () => {
    const raw = body(challenge(), KEY);
    const h = { ...signed(raw), signature: 'ab'.repeat(32) };
    expect(rejection(() => parse(raw, h, WITH_KEY)).status).toBe(401);
  });
});

describe('parsePush: events and callbacks', () => {
  it.each([
    ['plain event, no key', NO_KEY, false, 'im.message.receive_v1', 'event'],
    ['encrypted signed event', WITH_KEY, true, 'im.message.receive_v1', 'event'],
    ['plain signed event while a key is configured', WITH_KEY, false, 'application.bot.menu_v6', 'event'],
    ['plain card callback, no key', NO_KEY, false, CARD_ACTION, 'callback'],
    ['encrypted signed card callback', WITH_KEY, true, 'card.action.trigger', 'callback'],
    ['a type that only starts like a callback', NO_KEY, false, 'card.action.trigger_v2', 'event'],
  ])('%s → kind %s', (_name, secrets, encrypted, eventType, kind) => {
    const raw = body(event(eventType), encrypted ? KEY : undefined);
    const push = parse(raw, secrets.encryptKey ? signed(raw) : UNSIGNED, secrets);
    expect(push).toEqual({
      kind,
      envelope: {
        eventId: 'f7984f25108f8137722bb63cee927e66',
        eventType,
        createdAt: 1749999999123,
        appId: 'cli_a1b2c3',
        tenantKey: '736588c9260f175d',
        event: { hello: '世界' },
      },
    });
  });

  it.each([
    ['a string create_time', '1749999999123', 1749999999123],
    ['a numeric create_time', 1749999999456, 1749999999456],
    ['no create_time', undefined, NOW_MS],
    ['a garbage create_time', 'soon', NOW_MS],
  ])('createdAt from %s', (_name, createTime, expected) => {
    const push = parse(body(event('im.message.receive_v1', { create_time: createTime })), UNSIGNED, NO_KEY);
    expect(push.kind).toBe('event');
    if (push.kind !== 'challenge') expect(push.envelope.createdAt).toBe(expected);
  });

  it('leaves appId and tenantKey out when the header has none', () => {
    const push = parse(body(event('im.message.receive_v1', { app_id: undefined, tenant_key: undefined })), UNSIGNED, NO_KEY);
    if (push.kind === 'challenge') throw new Error('unexpected challenge');
    expect(push.envelope).not.toHaveProperty('appId');
    expect(push.envelope).not.toHaveProperty('tenantKey');
  });
});

describe('parsePush: rejections', () => {
  const validEvent = body(event('im.message.receive_v1'));

  it.each<[string, () => unknown, number, string]>([
    ['an event without signature while a key is configured', () => parse(validEvent, UNSIGNED, WITH_KEY), 401, 'missing signature headers'],
    [
      'an encrypted event without signature while a key is configured',
      () => parse(body(event('im.message.receive_v1'), KEY), UNSIGNED, WITH_KEY),
      401,
      'missing signature headers',
    ],
    ['a partial signature (only a timestamp)', () => parse(validEvent, { ...UNSIGNED, timestamp: String(NOW_S) }, WITH_KEY), 401, 'missing signature headers'],
    ['a signature made with another key', () => parse(validEvent, signed(validEvent, 'other key'), WITH_KEY), 401, 'signature mismatch'],
    [
      'a replayed (stale) signature',
      () => parse(validEvent, signed(validEvent, KEY, String(NOW_S - 301)), WITH_KEY),
      401,
      'stale or future signature timestamp',
    ],
    [
      'an event with the wrong token',
      () => parse(body(event('im.message.receive_v1', { token: 'forged' })), UNSIGNED, NO_KEY),
      401,
      'verification token mismatch',
    ],
    [
      'an encrypted body while no key is configured',
      () => parse(body(event('x'), KEY), UNSIGNED, NO_KEY),
      400,
      'encrypted push but LARK_ENCRYPT_KEY is not configured',
    ],
    ['an encrypt field that is not a string', () => parse('{"encrypt":42}', signed('{"encrypt":42}'), WITH_KEY), 400, 'encrypt must be a string'],
    ['an encrypt field that is not base64', () => parse('{"encrypt":"%%%"}', signed('{"encrypt":"%%%"}'), WITH_KEY), 400, 'encrypt is not valid base64'],
    ['not JSON', () => parse('<xml/>', UNSIGNED, NO_KEY), 400, 'body is not valid JSON'],
    ['an empty body', () => parse('', UNSIGNED, NO_KEY), 400, 'body is not valid JSON'],
    ['a JSON array', () => parse('[1,2]', UNSIGNED, NO_KEY), 400, 'body is not a JSON object'],
    ['a JSON string', () => parse('"hello"', UNSIGNED, NO_KEY), 400, 'body is not a JSON object'],
    ['JSON null', () => parse('null', UNSIGNED, NO_KEY), 400, 'body is not a JSON object'],
    ['a JSON number', () => parse('42', UNSIGNED, NO_KEY), 400, 'body is not a JSON object'],
    [
      'an encrypted JSON array',
      () => {
        const raw = JSON.stringify({ encrypt: encrypt('[1]') });
        return parse(raw, signed(raw), WITH_KEY);
      },
      400,
      'decrypted body is not a JSON object',
    ],
    [
      'encrypted text that is not JSON',
      () => {
        const raw = JSON.stringify({ encrypt: encrypt('hello world') });
        return parse(raw, signed(raw), WITH_KEY);
      },
      400,
      'body is not valid JSON',
    ],
    [
      'a schema 2.0 event without header.event_type',
      () => parse(body(event('x', { event_type: undefined })), UNSIGNED, NO_KEY),
      400,
      'not a schema 2.0 event or callback',
    ],
    ['an empty event_type', () => parse(body(event('')), UNSIGNED, NO_KEY), 400, 'not a schema 2.0 event or callback'],
    ['no event_id', () => parse(body(event('x', { event_id: undefined })), UNSIGNED, NO_KEY), 400, 'not a schema 2.0 event or callback'],
    ['no header token', () => parse(body(event('x', { token: undefined })), UNSIGNED, NO_KEY), 400, 'not a schema 2.0 event or callback'],
    ['schema 1.0 (v1 events)', () => parse(JSON.stringify({ ...event('x'), schema: '1.0' }), UNSIGNED, NO_KEY), 400, 'not a schema 2.0 event or callback'],
    ['an event that is an array', () => parse(JSON.stringify({ ...event('x'), event: [] }), UNSIGNED, NO_KEY), 400, 'not a schema 2.0 event or callback'],
  ])('%s → %i', (_name, f, status, reason) => {
    expect(rejection(f)).toEqual({ status, reason });
  });
});
