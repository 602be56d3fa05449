// classifyLarkError: what the outbox should do with a failed Lark call.
import { describe, expect, it } from 'vitest';
import { classifyLarkError, LarkCallError, type LarkErrorKind } from '../../src/lark/messenger.js';

/** The shape axios (used by the Lark SDK) throws for an HTTP error answer. */
const http = (status: number, data?: unknown, headers: Record<string, unknown> = {}) => ({
  message: `Request failed with status code ${status}`,
  response: { status, headers, data },
});

describe('classifyLarkError', () => {
  it.each<[string, unknown, LarkErrorKind, number | undefined, number | undefined, number | undefined]>([
    // name, error, kind, status, code, retryAfterMs
    ['429 with a reset header', http(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': '3' }), 'rate_limited', 429, 99991400, 3000],
    ['429 with a numeric reset header', http(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': 7 }), 'rate_limited', 429, 99991400, 7000],
    ['429 without a reset header (1 s default)', http(429, {}), 'rate_limited', 429, undefined, 1000],
    ['429 with a zero reset header', http(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': '0' }), 'rate_limited', 429, 99991400, 1000],
    ['429 with a garbage reset header', http(429, { code: 99991400 }, { 'x-ogw-ratelimit-reset': 'soon' }), 'rate_limited', 429, 99991400, 1000],
    ['400 + 230020 (per-chat burst)', http(400, { code: 230020, msg: 'rate limit' }), 'rate_limited', 400, 230020, 1000],
    ['code 99991400 on another status', http(400, { code: 99991400 }), 'rate_limited', 400, 99991400, 1000],
    ['400 + 99991663 (invalid tenant token)', http(400, { code: 99991663, msg: 'token invalid' }), 'token_invalid', 400, 99991663, undefined],
    ['401 + 99991664', http(401, { code: 99991664 }), 'token_invalid', 401, 99991664, undefined],
    ['400 + 99991661 (missing token)', http(400, { code: 99991661 }), 'token_invalid', 400, 99991661, undefined],
    ['500', http(500, {}), 'transient', 500, undefined, undefined],
    ['502 with an HTML body', http(502, '<html>Bad Gateway</html>'), 'transient', 502, undefined, undefined],
    ['503 with a Lark code', http(503, { code: 1500 }), 'transient', 503, 1500, undefined],
    ['408 request timeout', http(408), 'transient', 408, undefined, undefined],
    ['400 + 230001 (invalid parameter)', http(400, { code: 230001, msg: 'invalid receive_id' }), 'permanent', 400, 230001, undefined],
    ['403 + 230027 (no permission)', http(403, { code: 230027 }), 'permanent', 403, 230027, undefined],
    ['404 without a body', http(404), 'permanent', 404, undefined, undefined],
  ])('%s → %s', (_name, error, kind, status, code, retryAfterMs) => {
    const e = classifyLarkError(error);
    expect(e).toBeInstanceOf(LarkCallError);
    expect({ kind: e.kind, status: e.status, code: e.code, retryAfterMs: e.retryAfterMs }).toEqual({ kind, status, code, retryAfterMs });
  });

  it.each<[string, unknown]>([
    ['a reset connection', { code: 'ECONNRESET', message: 'socket hang up' }],
    ['a timeout', { code: 'ECONNABORTED', message: 'timeout of 15000ms exceeded' }],
    ['DNS failure', Object.assign(new Error('getaddrinfo ENOTFOUND open.feishu.cn'), { code: 'ENOTFOUND' })],
    ['a plain Error', new Error('boom')],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['null', null],
  ])('no HTTP response (%s) → transient', (_name, error) => {
    const e = classifyLarkError(error);
    expect(e.kind).toBe('transient');
    expect(e.status).toBeUndefined();
    expect(e.message).toMatch(/^network/);
  });

  it('keeps the network error text in the message', () => {
    expect(classifyLarkError({ code: 'ECONNRESET', message: 'socket hang up' }).message).toContain('socket hang up');
  });

  it("puts status, code and Lark's msg in the message", () => {
    const e = classifyLarkError(http(400, { code: 230001, msg: 'invalid receive_id' }));
    expect(e.message).toBe('400 230001 invalid receive_id');
    expect(e.name).toBe('LarkCallError');
  });

  it('returns a LarkCallError unchanged', () => {
    const original = new LarkCallError('permanent', 'file upload returned no file_key');
    expect(classifyLarkError(original)).toBe(original);
  });
});
