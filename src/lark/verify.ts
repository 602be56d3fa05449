// Authenticity of Lark pushes, checked over the raw body bytes (the Node SDK hashes a
// re-serialised body instead and has no replay window, so we do not use its dispatcher).
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

export class PushRejected extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'PushRejected';
  }
}

export interface SignatureHeaders {
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

export function hasSignature(h: SignatureHeaders): boolean {
  return h.timestamp !== undefined || h.nonce !== undefined || h.signature !== undefined;
}

/**
 * X-Lark-Signature = hex(sha256(timestamp + nonce + encryptKey + rawBody)), compared in constant
 * time; the timestamp must lie within `windowSeconds` of now (replay protection).
 */
export function verifySignature(rawBody: Buffer, h: SignatureHeaders, encryptKey: string, windowSeconds: number, nowMs = Date.now()): void {
  if (!h.timestamp || !h.nonce || !h.signature) throw new PushRejected(401, 'missing signature headers');
  const ts = Number(h.timestamp);
  if (!Number.isFinite(ts)) throw new PushRejected(401, 'malformed signature timestamp');
  if (Math.abs(nowMs / 1000 - ts) > windowSeconds) throw new PushRejected(401, 'stale or future signature timestamp');
  const expected = createHash('sha256')
    .update(h.timestamp + h.nonce + encryptKey, 'utf8')
    .update(rawBody)
    .digest();
  const given = Buffer.from(h.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PushRejected(401, 'signature mismatch');
  }
}

const digests = new Map<string, Buffer>();
/** sha256 of a configured secret (the AES key, the expected token), computed once per secret. */
function secretDigest(secret: string): Buffer {
  let digest = digests.get(secret);
  if (!digest) {
    digest = createHash('sha256').update(secret, 'utf8').digest();
    // Secrets come from the configuration: a handful, but never let the map grow unbounded.
    if (digests.size >= 16) digests.clear();
    digests.set(secret, digest);
  }
  return digest;
}

/** AES-256-CBC, key sha256(encryptKey), payload base64(IV ‖ ciphertext), PKCS#7 padding. */
export function decryptPush(encrypted: string, encryptKey: string): string {
  // Node's decoder skips what is not base64 and accepts base64url too; Lark sends the standard,
  // padded alphabet, so anything that does not encode back to the same text is refused (a regular
  // expression over the whole text did the same at four times the cost).
  const data = Buffer.from(encrypted, 'base64');
  if (encrypted.length === 0 || data.toString('base64') !== encrypted) throw new PushRejected(400, 'encrypt is not valid base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new PushRejected(400, 'encrypt has a wrong length');
  try {
    const decipher = createDecipheriv('aes-256-cbc', secretDigest(encryptKey), data.subarray(0, 16));
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    throw new PushRejected(400, 'encrypt could not be decrypted');
  }
}

/** Constant-time comparison of the Verification Token (hashed, so the lengths never differ). */
export function tokenMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(createHash('sha256').update(given, 'utf8').digest(), secretDigest(expected));
}
