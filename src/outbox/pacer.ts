// Keeps sends inside Lark's limits: at most 5 messages per second to one receiver (a person, by
// open_id, or a group), 50 per second and 1,000 per minute for the whole app (sliding windows),
// and honours a receiver's 429 reset time. Lark: 发送消息 (im/v1/messages create) — 频率限制
// 「1000 次/分钟、50 次/秒」; 给同一用户/群发消息「5 QPS」(open.feishu.cn/document/server-docs/im-v1/message/create).

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
}

// A margin under each limit: Lark measures arrival, we measure departure, and a busy host or network
// bunches departures up on the way. Below 50 a second costs nothing in a long broadcast, which the
// 1,000 a minute governs (16.7 a second on average).
export const LARK_LIMITS: PacerLimits = { perChat: 5, perApp: 45, windowMs: 1_100, perAppPerMinute: 980, minuteMs: 61_000 };

export class Pacer {
  readonly #chats = new Map<string, number[]>();
  readonly #app: number[] = [];
  readonly #appMinute: number[] = [];
  readonly #blockedUntil = new Map<string, number>();
  #allBlockedUntil = 0;

  constructor(
    private readonly limits: PacerLimits = LARK_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Waits until one more message to `chat` is allowed and counts it (returns 0). A wait that would
   * pass `maxWaitMs` is not waited: the milliseconds still to wait are returned, and the caller
   * hands its work back for later instead of sitting on it (a minute's wait outlives a lease).
   */
  async acquire(chat: string, maxWaitMs = Number.POSITIVE_INFINITY): Promise<number> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const now = this.now();
      const times = this.#chats.get(chat) ?? [];
      const wait = Math.max(
        waitForSlot(times, this.limits.perChat, this.limits.windowMs, now),
        waitForSlot(this.#app, this.limits.perApp, this.limits.windowMs, now),
        this.limits.perAppPerMinute > 0 ? waitForSlot(this.#appMinute, this.limits.perAppPerMinute, this.limits.minuteMs, now) : 0,
        (this.#blockedUntil.get(chat) ?? 0) - now,
        this.#allBlockedUntil - now,
      );
      if (wait <= 0) {
        this.#record(chat, times, now);
        return 0;
      }
      if (now + wait > deadline) return wait;
      await this.sleep(wait);
    }
  }

  /** After a receiver's limit (230020): nothing more to this chat until the reset time. */
  block(chat: string, untilMs: number): void {
    this.#blockedUntil.set(chat, Math.max(untilMs, this.#blockedUntil.get(chat) ?? 0));
  }

  /** After the app's limit (429, 99991400; another instance may have used the window): nothing to anyone until the reset. */
  blockAll(untilMs: number): void {
    this.#allBlockedUntil = Math.max(untilMs, this.#allBlockedUntil);
  }

  #record(chat: string, times: number[], now: number): void {
    const horizon = now - this.limits.windowMs;
    const kept = times.filter((t) => t > horizon);
    kept.push(now);
    this.#chats.set(chat, kept);
    while (this.#app.length > 0 && this.#app[0]! <= horizon) this.#app.shift();
    this.#app.push(now);
    if (this.limits.perAppPerMinute > 0) {
      while (this.#appMinute.length > 0 && this.#appMinute[0]! <= now - this.limits.minuteMs) this.#appMinute.shift();
      this.#appMinute.push(now);
    }
    if ((this.#blockedUntil.get(chat) ?? 0) <= now) this.#blockedUntil.delete(chat);
    if (this.#chats.size > 10_000) this.#prune(horizon);
  }

  #prune(horizon: number): void {
    for (const [chat, times] of this.#chats) if (times.every((t) => t <= horizon)) this.#chats.delete(chat);
  }
}
