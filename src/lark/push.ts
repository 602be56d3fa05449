// From raw HTTP bytes to a transport-neutral envelope. Nothing past this file knows about
// signatures, encryption or HTTP (the same idea as a "receiver" in Slack's bolt-js).
import { z } from 'zod';
import { decryptPush, hasSignature, PushRejected, type SignatureHeaders, tokenMatches, verifySignature } from './verify.js';

/** One Lark event or card callback, authenticated and decrypted. */
export interface LarkEnvelope {
  eventId: string;
  eventType: string;
  /** When Lark created the event (ms since epoch). */
  createdAt: number;
  appId?: string;
  tenantKey?: string;
  event: Record<string, unknown>;
}

export type Push = { kind: 'challenge'; challenge: string } | { kind: 'event'; envelope: LarkEnvelope } | { kind: 'callback'; envelope: LarkEnvelope };

export interface PushSecrets {
  verificationToken: string;
  encryptKey: string | undefined;
  signatureWindowSeconds: number;
}

export const CARD_ACTION = 'card.action.trigger';

const challengeSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().min(1).max(512),
  token: z.string(),
});

const eventSchema = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: z.string().min(1).max(128),
    event_type: z.string().min(1).max(128),
    create_time: z.union([z.string(), z.number()]).optional(),
    token: z.string(),
    app_id: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()),
});

/** Lark's bodies nest a handful of levels; anything far deeper is hostile (and would overflow the stack later). */
export const MAX_JSON_DEPTH = 64;

/** How deeply the JSON text nests objects and arrays, counted without parsing (strings skipped). */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      // Skip a string, with its escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return deepest;
}

function parseJson(text: string): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new PushRejected(400, `body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new PushRejected(400, 'body is not valid JSON');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Authenticates and decodes one push. Throws PushRejected (400 malformed, 401 forged or stale).
 * With an Encrypt Key, everything but the URL challenge must carry a valid signature; the
 * Verification Token is checked on everything, challenge included.
 */
export function parsePush(rawBody: Buffer, headers: SignatureHeaders, secrets: PushSecrets, nowMs = Date.now()): Push {
  const signed = hasSignature(headers);
  if (secrets.encryptKey && signed) {
    verifySignature(rawBody, headers, secrets.encryptKey, secrets.signatureWindowSeconds, nowMs);
  }
  let body = parseJson(rawBody.toString('utf8'));
  if (!isObject(body)) throw new PushRejected(400, 'body is not a JSON object');
  if ('encrypt' in body) {
    if (!secrets.encryptKey) throw new PushRejected(400, 'encrypted push but LARK_ENCRYPT_KEY is not configured');
    if (typeof body.encrypt !== 'string') throw new PushRejected(400, 'encrypt must be a string');
    body = parseJson(decryptPush(body.encrypt, secrets.encryptKey));
    if (!isObject(body)) throw new PushRejected(400, 'decrypted body is not a JSON object');
  }

  if (body.type === 'url_verification') {
    const c = challengeSchema.safeParse(body);
    if (!c.success) throw new PushRejected(400, 'malformed url_verification');
    if (!tokenMatches(c.data.token, secrets.verificationToken)) throw new PushRejected(401, 'verification token mismatch');
    return { kind: 'challenge', challenge: c.data.challenge };
  }
  // Only the challenge may arrive unsigned when an Encrypt Key is configured.
  if (secrets.encryptKey && !signed) throw new PushRejected(401, 'missing signature headers');

  const e = eventSchema.safeParse(body);
  if (!e.success) throw new PushRejected(400, 'not a schema 2.0 event or callback');
  const h = e.data.header;
  if (!tokenMatches(h.token, secrets.verificationToken)) throw new PushRejected(401, 'verification token mismatch');
  const envelope: LarkEnvelope = {
    eventId: h.event_id,
    eventType: h.event_type,
    createdAt: Number(h.create_time) || nowMs,
    event: e.data.event,
    ...(h.app_id ? { appId: h.app_id } : {}),
    ...(h.tenant_key ? { tenantKey: h.tenant_key } : {}),
  };
  return { kind: h.event_type === CARD_ACTION ? 'callback' : 'event', envelope };
}
