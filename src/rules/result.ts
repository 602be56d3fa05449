// Outcome of every user-input check: the normalised value, or one Chinese sentence saying what to fix.
export type Check<T = string> = { ok: true; value: T } | { ok: false; message: string };

export function ok<T>(value: T): Check<T> {
  return { ok: true, value };
}

export function fail<T = never>(message: string): Check<T> {
  return { ok: false, message };
}
