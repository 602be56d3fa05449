// The emulator's request plumbing shared by its API families (messaging in server.ts, the Approval
// Center in approval.ts, Bitable in bitable.ts): the request context, replies, errors and the small
// host interface through which a family registers its routes on the emulator.
import type { IncomingHttpHeaders } from 'node:http';
import type { MultipartResult } from './multipart.js';
import type { EmulatedUser } from './server.js';

export type Query = Record<string, string | string[]>;

export interface Ctx {
  method: string;
  path: string;
  query: Query;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  multipart?: MultipartResult;
  /** Size of the request body as received. */
  bodyBytes: number;
  /** When the request was complete (RecordedCall.at): the instant the rate limits count. */
  at: number;
  appId: string;
}

export interface Reply {
  status: number;
  json?: Record<string, unknown>;
  raw?: Buffer;
  headers?: Record<string, string>;
  /**
   * Runs when the answer is about to leave, after any delay the test set (setDelay, injectFault):
   * until then the request is still being processed (Bitable's one-write-at-a-time rule uses it).
   */
  after?: () => void;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    readonly headers?: Record<string, string>,
  ) {
    super(msg);
  }
}

export const ok = (data?: Record<string, unknown>): Reply => ({ status: 200, json: { code: 0, msg: 'success', data: data ?? {} } });

// A declared function (not a const) so TypeScript narrows after calls to it.
export function fail(status: number, code: number, msg: string, headers?: Record<string, string>): never {
  throw new HttpError(status, code, msg, headers);
}

export function first(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

export function all(q: Query, key: string): string[] {
  const v = q[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function matchPath(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

/** A JSON copy: what the emulator stores is never shared with the request or with a caller. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

// Sliding windows keyed by chat, app or message (one second unless said otherwise).
export class Windows {
  private readonly hits = new Map<string, number[]>();

  /** Seconds until a slot frees, or 0 if a call is allowed now. */
  take(key: string, limit: number, now: number, windowMs = 1000): number {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    this.hits.set(key, list);
    if (list.length >= limit) return Math.max(1, Math.ceil((list[0]! + windowMs - now) / 1000));
    return 0;
  }

  record(key: string, now: number, windowMs = 1000): void {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    list.push(now);
    this.hits.set(key, list);
  }

  clear(): void {
    this.hits.clear();
  }
}

/** What changed in the emulator's state besides messages (the playground follows it). */
export type StateChange = 'approval' | 'bitable';

/** What an API family (approval.ts, bitable.ts) uses of the emulator. */
export interface EmulatorHost {
  /** Registers a route; `:name` segments become ctx.params. Authenticated with a tenant token. */
  on(method: string, pattern: string, handler: Handler): void;
  /** 99991672 unless the tenant granted the app one of these scopes. */
  requireScope(c: Ctx, anyOf: readonly string[]): void;
  /**
   * One API's frequency limit per app (频率控制策略: limits are per API, per app, per tenant), in
   * windows of its own: 429, 99991400 and the x-ogw-ratelimit-* headers when exceeded.
   */
  limit(c: Ctx, api: string, perSecond: number, perMinute?: number): void;
  getUser(openId: string): EmulatedUser | undefined;
  listUsers(): EmulatedUser[];
  /** Tells listeners (the playground's live view) that this part of the state changed. */
  changed(kind: StateChange): void;
}
