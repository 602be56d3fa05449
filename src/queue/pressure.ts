// How hard Lark is pushing right now. During a flood (a burst of pushes, a retry storm after an
// outage) the 200s come first: background processing steps aside, because what it has not done
// yet is safe in the inbox, while a late 200 makes Lark send everything again.

export interface PushPressure {
  /** A push was received. */
  note(): void;
  /** True while pushes arrive faster than the flood threshold. */
  flooded(): boolean;
}

/**
 * Counts pushes in two consecutive windows; flooded when the last two windows together saw more
 * than `perSecond` pushes per second. Ordinary traffic (a bureau's applicants, even at a deadline)
 * stays far below the default of 200 per second.
 */
export function pushPressure(opts: { perSecond?: number; windowMs?: number; now?: () => number } = {}): PushPressure {
  const perSecond = opts.perSecond ?? 200;
  const windowMs = opts.windowMs ?? 100;
  const now = opts.now ?? (() => performance.now());
  const limit = (perSecond * 2 * windowMs) / 1000;
  let windowStart = now();
  let current = 0;
  let previous = 0;
  const roll = () => {
    const t = now();
    const elapsed = t - windowStart;
    if (elapsed < windowMs) return;
    previous = elapsed < 2 * windowMs ? current : 0;
    current = 0;
    windowStart = t - (elapsed % windowMs);
  };
  return {
    note() {
      roll();
      current++;
    },
    flooded() {
      roll();
      return current + previous > limit;
    },
  };
}
