// Keeps sends inside Lark's limits: at most 5 messages per second to one receiver (a person, by
// open_id, or a group), and for the whole app 50 per second and 1,000 per minute on each API
// (sliding windows); honours the reset time of a 429. Lark: 发送消息 (im/v1/messages create) — 频率限制
// 「1000 次/分钟、50 次/秒」; 给同一用户/群发消息「5 QPS」(open.feishu.cn/document/server-docs/im-v1/message/create);
// 频控策略: 「频控策略等级都是应用于每个 API、每个应用、每个租户的基础上」 and 「请求速率达到任意上限（QPS 或 QPM）都会触发限流」
// (open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN): sending, replying and patching a card are
// counted apart. Should a tenant count them together, Lark answers 429 and the app's calls wait for its reset.

/** Milliseconds to wait before one more event fits: at most `limit` times within `windowMs`. */
export function waitForSlot(times: readonly number[], limit: number, windowMs: number, now: number): number {
  const recent = times.filter((t) => t > now - windowMs);
  if (recent.length < limit) return 0;
  const oldestThatMustExpire = recent[recent.length - limit]!;
  return oldestThatMustExpire + windowMs - now;
}

export interface PacerLimits {
  perChat: number;
  perApp: number;
  windowMs: number;
  /** Per app per minute (0: no minute limit). */
  perAppPerMinute: number;
  minuteMs: number;
  /** Once half the second's calls are used, at least this long between two calls of one API (spread evenly rather than in bursts); 0 or absent: bursts allowed. */
  spacingMs?: number;
}

// A margin under each limit: Lark measures arrival, we measure departure, and a busy host or network
// bunches departures up on the way (at 50 per 1,050 ms in bursts Lark refused 91 of 1,200 on a busy
// host). Calls leave one every 21 ms (47.6 a second, never a burst), so arrivals bunched by tens
// of milliseconds still stay under 50 in any second: 1,000 groups in about 21 s against the 19 s that
// 50 a second allows. The minute's margin is in time (61 s), which jitter of arrivals cannot cross.
export const LARK_LIMITS: PacerLimits = { perChat: 5, perApp: 50, windowMs: 1_050, perAppPerMinute: 1_000, minuteMs: 61_000, spacingMs: 21 };

/** The app-wide quota a call counts against: one per Lark API (a pacer for one API uses the default). */
export type PacedApi = 'im.message.create' | 'im.message.reply' | 'im.message.patch' | 'card.update' | 'default';

/** The kinds of outbox message that are paced (a mirror row paces its own calls). */
export const PACED_KINDS = ['send', 'reply', 'patch', 'card_update', 'file', 'image'] as const;

/** The kinds of outbox message whose delivery counts against `api`. */
export const kindsPacedAs = (api: PacedApi): string[] => PACED_KINDS.filter((k) => pacedApi(k) === api);

/** The Lark API an outbox message's delivery is counted against, by its kind (a file or an image is sent as a message). */
export function pacedApi(kind: string): PacedApi {
  switch (kind) {
    case 'reply':
      return 'im.message.reply';
    case 'patch':
      return 'im.message.patch';
    case 'card_update':
      return 'card.update';
    default:
      return 'im.message.create';
  }
}

interface AppWindows {
  second: number[];
  minute: number[];
  blockedUntil: number;
  /** Someone of this API's line is taking a slot; the rest wait in `line`, first come first served. */
  busy: boolean;
  line: (() => void)[];
}

export class Pacer {
  readonly #chats = new Map<string, number[]>();
  readonly #apis = new Map<PacedApi, AppWindows>();
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    private readonly limits: PacerLimits = LARK_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Waits until one more message to `chat` is allowed and counts it (returns 0). A wait that would
   * pass `maxWaitMs` is not waited: the milliseconds still to wait are returned, and the caller
   * hands its work back for later instead of sitting on it (a minute's wait outlives a lease).
   *
   * Callers of one API get its slots first come, first served. Each used to sleep and look again,
   * and whoever woke first took the slot: with 32 messages waiting, one could lose every time until
   * its 5 s were up (replies 1–5 s late at 40 a second, 85 % of the pace).
   */
  async acquire(chat: string, maxWaitMs = Number.POSITIVE_INFINITY, api: PacedApi = 'default'): Promise<number> {
    const deadline = this.now() + maxWaitMs;
    const app = this.#app(api);
    for (;;) {
      // This receiver's own limits are waited for outside the line, so as not to hold up the others.
      const chatWait = this.#chatWait(chat, this.now());
      if (chatWait > 0) {
        if (this.now() + chatWait > deadline) return chatWait;
        await this.sleep(chatWait);
        continue;
      }
      if (app.busy) {
        // Those ahead leave one spacing apart at best: a line longer than the caller will wait is not joined.
        const ahead = (app.line.length + 1) * (this.limits.spacingMs ?? 0);
        if (this.now() + ahead > deadline) return ahead;
        await new Promise<void>((ready) => app.line.push(ready));
      } else app.busy = true;
      try {
        for (;;) {
          const now = this.now();
          if (this.#chatWait(chat, now) > 0) break; // taken meanwhile by a message to the same receiver: back of the line
          const wait = Math.max(this.appWait(api, now), this.#spacingWait(app, now));
          if (wait <= 0) {
            this.#record(chat, this.#chats.get(chat) ?? [], app, now);
            return 0;
          }
          if (now + wait > deadline) return wait;
          await this.sleep(wait);
        }
      } finally {
        // The turn passes straight to the next in line.
        const next = app.line.shift();
        if (next) next();
        else app.busy = false;
      }
    }
  }

  /**
   * Milliseconds until this API's app-wide windows (the second's, the minute's, a 429's reset)
   * admit one more call to anyone; 0 when they do now.
   */
  appWait(api: PacedApi = 'default', now = this.now()): number {
    const app = this.#app(api);
    return Math.max(
      0,
      waitForSlot(app.second, this.limits.perApp, this.limits.windowMs, now),
      this.limits.perAppPerMinute > 0 ? waitForSlot(app.minute, this.limits.perAppPerMinute, this.limits.minuteMs, now) : 0,
      app.blockedUntil - now,
    );
  }

  /**
   * Spacing keeps calls from arriving in bursts where bursts could cross Lark's limit: once the
   * window is half full. Below that, a call goes at once (a reply waits for no one at 40 a second).
   */
  #spacingWait(app: AppWindows, now: number): number {
    const spacing = this.limits.spacingMs ?? 0;
    if (!spacing || app.second.length === 0) return 0;
    // Half full: one more would have to wait were the limit half of what it is.
    const halfFull = waitForSlot(app.second, Math.ceil(this.limits.perApp / 2), this.limits.windowMs, now) > 0;
    return halfFull ? app.second[app.second.length - 1]! + spacing - now : 0;
  }

  #chatWait(chat: string, now: number): number {
    return Math.max(waitForSlot(this.#chats.get(chat) ?? [], this.limits.perChat, this.limits.windowMs, now), (this.#blockedUntil.get(chat) ?? 0) - now);
  }

  /**
   * A call Lark refused for a rate limit was not one it let through: it no longer counts against the
   * API's windows (else, near the minute's limit, a handful of refusals would hold the last calls of
   * a broadcast for a whole minute). Should Lark count refusals too, it refuses once more and the
   * reset it gives is waited out.
   */
  refund(api: PacedApi = 'default'): void {
    const app = this.#app(api);
    app.second.pop();
    app.minute.pop();
  }

  /** After a receiver's limit (230020): nothing more to this chat until the reset time. */
  block(chat: string, untilMs: number): void {
    this.#blockedUntil.set(chat, Math.max(untilMs, this.#blockedUntil.get(chat) ?? 0));
  }

  /**
   * After the app's limit on an API (429, 99991400; another instance, or a quota Lark counts with
   * another API, may have used the window): no call of that API to anyone until the reset.
   */
  blockAll(untilMs: number, api: PacedApi = 'default'): void {
    const app = this.#app(api);
    app.blockedUntil = Math.max(untilMs, app.blockedUntil);
  }

  #app(api: PacedApi): AppWindows {
    let w = this.#apis.get(api);
    if (!w) this.#apis.set(api, (w = { second: [], minute: [], blockedUntil: 0, busy: false, line: [] }));
    return w;
  }

  #record(chat: string, times: number[], app: AppWindows, now: number): void {
    const horizon = now - this.limits.windowMs;
    const kept = times.filter((t) => t > horizon);
    kept.push(now);
    this.#chats.set(chat, kept);
    while (app.second.length > 0 && app.second[0]! <= horizon) app.second.shift();
    app.second.push(now);
    if (this.limits.perAppPerMinute > 0) {
      while (app.minute.length > 0 && app.minute[0]! <= now - this.limits.minuteMs) app.minute.shift();
      app.minute.push(now);
    }
    if ((this.#blockedUntil.get(chat) ?? 0) <= now) this.#blockedUntil.delete(chat);
    if (this.#chats.size > 10_000) this.#prune(horizon);
  }

  #prune(horizon: number): void {
    for (const [chat, times] of this.#chats) if (times.every((t) => t <= horizon)) this.#chats.delete(chat);
  }
}
