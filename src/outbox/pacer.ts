// Keeps sends inside Lark's limits: at most 5 messages per second to one chat and 50 per second
// for the whole app (sliding one-second windows), and honours a chat's 429 reset time.

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
}

// A small margin over one second: Lark measures arrival, we measure departure.
export const LARK_LIMITS: PacerLimits = { perChat: 5, perApp: 50, windowMs: 1_050 };

export class Pacer {
  readonly #chats = new Map<string, number[]>();
  readonly #app: number[] = [];
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    private readonly limits: PacerLimits = LARK_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when one more message to `chat` is allowed, and counts it. */
  async acquire(chat: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const times = this.#chats.get(chat) ?? [];
      const wait = Math.max(
        waitForSlot(times, this.limits.perChat, this.limits.windowMs, now),
        waitForSlot(this.#app, this.limits.perApp, this.limits.windowMs, now),
        (this.#blockedUntil.get(chat) ?? 0) - now,
      );
      if (wait <= 0) {
        this.#record(chat, times, now);
        return;
      }
      await this.sleep(wait);
    }
  }

  /** After a 429: nothing more to this chat until Lark's reset time. */
  block(chat: string, untilMs: number): void {
    this.#blockedUntil.set(chat, Math.max(untilMs, this.#blockedUntil.get(chat) ?? 0));
  }

  #record(chat: string, times: number[], now: number): void {
    const horizon = now - this.limits.windowMs;
    const kept = times.filter((t) => t > horizon);
    kept.push(now);
    this.#chats.set(chat, kept);
    while (this.#app.length > 0 && this.#app[0]! <= horizon) this.#app.shift();
    this.#app.push(now);
    if ((this.#blockedUntil.get(chat) ?? 0) <= now) this.#blockedUntil.delete(chat);
    if (this.#chats.size > 10_000) this.#prune(horizon);
  }

  #prune(horizon: number): void {
    for (const [chat, times] of this.#chats) if (times.every((t) => t <= horizon)) this.#chats.delete(chat);
  }
}
