// Authenticity of Lark pushes: signature, replay window, AES decryption and the Verification Token.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptPush, hasSignature, PushRejected, type SignatureHeaders, tokenMatches, verifySignature } from '../../src/lark/verify.js';

const KEY = 'encrypt-key-under-test';
const WINDOW = 300;
const NOW_S = 1_700_000_000;
const NOW_MS = NOW_S * 1000;
const BODY = Buffer.from('{"encrypt":"abc","中文":"申报"}', 'utf8');

/** Written from Lark's docs, independently of the code under test. */
function sign(body: Buffer, timestamp: string, nonce: string, key = KEY): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(timestamp + nonce + key, 'utf8'), body]))
    .digest('hex');
}

function headers(over: Partial<SignatureHeaders> = {}, body = BODY): SignatureHeaders {
  const timestamp = over.timestamp ?? String(NOW_S);
  const nonce = over.nonce ?? 'nonce-1';
  return { timestamp, nonce, signature: sign(body, timestamp, nonce), ...over };
}

/** AES-256-CBC, key sha256(encryptKey), random IV prefix, PKCS#7; base64(IV ‖ ciphertext). */
function encryptLikeLark(plaintext: string, key: string, iv = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key, 'utf8').digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

function rejection(f: () => unknown): { status: number; reason: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PushRejected);
    const r = e as PushRejected;
    return { status: r.status, reason: r.reason };
  }
  throw new Error('expected a PushRejected, nothing was thrown');
}

describe('verifySignature', () => {
  it('accepts a correctly signed body', () => {
    expect(() => verifySignature(BODY, headers(), KEY, WINDOW, NOW_MS)).not.toThrow();
  });

  it('accepts an upper-case hex signature (same bytes)', () => {
    const h = headers();
    expect(() => verifySignature(BODY, { ...h, signature: h.signature!.toUpperCase() }, KEY, WINDOW, NOW_MS)).not.toThrow();
  });

  it('rejects a body with one byte changed', () => {
    const tampered = Buffer.from(BODY);
    tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 0x01;
    expect(rejection(() => verifySignature(tampered, headers(), KEY, WINDOW, NOW_MS))).toEqual({ status: 401, reason: 'signature mismatch' });
  });

  it('checks the raw bytes, not a re-serialisation (extra whitespace breaks the signature)', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(BODY.toString('utf8')), null, 1));
    expect(rejection(() => verifySignature(reformatted, headers(), KEY, WINDOW, NOW_MS)).status).toBe(401);
  });

  it.each([
    ['nonce', { nonce: 'nonce-2' }],
    ['timestamp', { timestamp: String(NOW_S + 1) }],
  ])('rejects a tampered %s header', (_name, over) => {
    const h = { ...headers(), ...over };
    expect(rejection(() => verifySignature(BODY, h, KEY, WINDOW, NOW_MS))).toEqual({ status: 401, reason: 'signature mismatch' });
  });

  it('rejects a signature made with another key', () => {
    const h = headers();
    const forged = { ...h, signature: sign(BODY, h.timestamp!, h.nonce!, 'another key') };
    expect(rejection(() => verifySignature(BODY, forged, KEY, WINDOW, NOW_MS))).toEqual({ status: 401, reason: 'signature mismatch' });
  });

  it.each([
    ['exactly at the past edge', NOW_S - WINDOW, true],
    ['exactly at the future edge', NOW_S + WINDOW, true],
    ['one second too old', NOW_S - WINDOW - 1, false],
    ['one second too far ahead', NOW_S + WINDOW + 1, false],
    ['a day old', NOW_S - 86_400, false],
    ['in milliseconds instead of seconds', NOW_MS, false],
  ])('timestamp %s → accepted: %s', (_name, ts, accepted) => {
    const h = headers({ timestamp: String(ts) });
    if (accepted) expect(() => verifySignature(BODY, h, KEY, WINDOW, NOW_MS)).not.toThrow();
    else expect(rejection(() => verifySignature(BODY, h, KEY, WINDOW, NOW_MS))).toEqual({ status: 401, reason: 'stale or future signature timestamp' });
  });

  it('uses sub-second precision of now at the edge (300.5 s away is outside a 300 s window)', () => {
    const h = headers({ timestamp: String(NOW_S) });
    expect(rejection(() => verifySignature(BODY, h, KEY, WINDOW, NOW_MS + WINDOW * 1000 + 500)).status).toBe(401);
  });

  it.each([
    ['timestamp', { timestamp: undefined }],
    ['nonce', { nonce: undefined }],
    ['signature', { signature: undefined }],
    ['empty timestamp', { timestamp: '' }],
    ['empty signature', { signature: '' }],
  ])('missing %s → 401', (_name, over) => {
    const h = { ...headers(), ...over };
    expect(rejection(() => verifySignature(BODY, h, KEY, WINDOW, NOW_MS))).toEqual({ status: 401, reason: 'missing signature headers' });
  });

  it('a non-numeric timestamp → 401', () => {
    expect(rejection(() => verifySignature(BODY, headers({ timestamp: 'yesterday' }), KEY, WINDOW, NOW_MS))).toEqual({
      status: 401,
      reason: 'malformed signature timestamp',
    });
  });

  it.each([
    ['non-hex', 'z'.repeat(64)],
    ['too short', 'ab'],
    ['one hex digit short', sign(BODY, String(NOW_S), 'nonce-1').slice(0, 63)],
    ['too long', sign(BODY, String(NOW_S), 'nonce-1') + '00'],
    ['odd characters', '../../etc/passwd'],
    [
      'base64 of the right digest',
      createHash('sha256')
        .update(String(NOW_S) + 'nonce-1' + KEY)
        .update(BODY)
        .digest('base64'),
    ],
  ])('a %s signature is a 401, never a crash', (_name, signature) => {
    expect(rejection(() => verifySignature(BODY, headers({ signature }), KEY, WINDOW, NOW_MS))).toEqual({ status: 401, reason: 'signature mismatch' });
  });
});

describe('hasSignature', () => {
  it.each([
    [{ timestamp: undefined, nonce: undefined, signature: undefined }, false],
    [{ timestamp: '1', nonce: undefined, signature: undefined }, true],
    [{ timestamp: undefined, nonce: 'n', signature: undefined }, true],
    [{ timestamp: undefined, nonce: undefined, signature: 'ab' }, true],
  ])('%j → %s', (h, expected) => {
    expect(hasSignature(h)).toBe(expected);
  });
});

describe('decryptPush', () => {
  it('decrypts the vector from Lark\'s documentation ("test key" → "hello world")', () => {
    expect(decryptPush('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });

  it.each([
    ['empty object', '{}'],
    ['exactly one block of padding', 'x'.repeat(16)],
    ['Chinese text', JSON.stringify({ text: '技能大师工作室 申报 威海' })],
    ['a long event', JSON.stringify({ schema: '2.0', event: { text: '申'.repeat(5000) } })],
  ])('round-trips an independent encryption: %s', (_name, plaintext) => {
    expect(decryptPush(encryptLikeLark(plaintext, KEY), KEY)).toBe(plaintext);
  });

  it('uses the IV prefix: the same text under two IVs decrypts to the same plaintext', () => {
    const a = encryptLikeLark('same', KEY);
    const b = encryptLikeLark('same', KEY);
    expect(a).not.toBe(b);
    expect([decryptPush(a, KEY), decryptPush(b, KEY)]).toEqual(['same', 'same']);
  });

  it.each([
    ['not base64 at all', '!!!not-base64!!!', 'encrypt is not valid base64'],
    ['empty', '', 'encrypt is not valid base64'],
    ['base64url alphabet', encryptLikeLark('{}', KEY).replace(/\+/g, '-').replace(/\//g, '_') + '-_', 'encrypt is not valid base64'],
    ['length not a multiple of 4', 'QUJD' + 'QQ', 'encrypt is not valid base64'],
    ['with embedded whitespace', 'P37w+VZImNgPEO1R BhJ6RtKl7n6zymIbEG1pReEzghk=', 'encrypt is not valid base64'],
    ['padding in the middle', 'P37w+VZImNgPEO1R=hJ6RtKl7n6zymIbEG1pReEzghk=', 'encrypt is not valid base64'],
    ['too much padding', encryptLikeLark('{}', KEY) + '====', 'encrypt is not valid base64'],
    ['padding whose bits are not zero (QR== is not how anyone encodes one byte)', `${'A'.repeat(40)}QR==`, 'encrypt is not valid base64'],
    ['only an IV (16 bytes)', randomBytes(16).toString('base64'), 'encrypt has a wrong length'],
    ['not a whole number of blocks (33 bytes)', randomBytes(33).toString('base64'), 'encrypt has a wrong length'],
  ])('%s → 400', (_name, encrypted, reason) => {
    expect(rejection(() => decryptPush(encrypted, KEY))).toEqual({ status: 400, reason });
  });

  it('the documented vector with the wrong key → 400', () => {
    expect(rejection(() => decryptPush('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'other key'))).toEqual({
      status: 400,
      reason: 'encrypt could not be decrypted',
    });
  });

  it('a JSON body under the wrong key never yields the plaintext', () => {
    const plaintext = JSON.stringify({ schema: '2.0', header: { token: 'secret' } });
    for (let i = 0; i < 20; i++) {
      const encrypted = encryptLikeLark(plaintext, KEY);
      let out: string | undefined;
      try {
        out = decryptPush(encrypted, 'wrong key');
      } catch (e) {
        expect(e).toBeInstanceOf(PushRejected);
        expect((e as PushRejected).status).toBe(400);
      }
      expect(out).not.toBe(plaintext);
    }
  });
});

describe('tokenMatches', () => {
  it.each([
    ['the same token', 'v-token', true],
    ['a different token', 'v-token2', false],
    ['a prefix', 'v-tok', false],
    ['another case', 'V-TOKEN', false],
    ['empty', '', false],
    ['a number', 123, false],
    ['undefined', undefined, false],
    ['null', null, false],
    ['an object', { token: 'v-token' }, false],
    ['an array holding it', ['v-token'], false],
  ])('%s → %s', (_name, given, expected) => {
    expect(tokenMatches(given, 'v-token')).toBe(expected);
  });

  it('handles Chinese and long tokens', () => {
    expect(tokenMatches('令牌'.repeat(200), '令牌'.repeat(200))).toBe(true);
    expect(tokenMatches('令牌'.repeat(200), '令牌'.repeat(199))).toBe(false);
  });
});
