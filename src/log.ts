// One pino logger for the process. Before anything is written, secrets are removed by key name
// and ID/phone numbers are masked wherever they appear: message strings, logged objects at any
// depth, errors (message and stack), %o arguments and child-logger bindings.
import { type Logger, type LoggerOptions, pino } from 'pino';
import { maskPersonalData } from './rules/mask.js';

export type { Logger };

const SECRET_KEY = /secret|password|passwd|token|authorization|encrypt_?key|signature|cookie/i;
const MAX_DEPTH = 20;

/** A copy of `value` that is safe to log. Errors become plain {type, message, stack, code} objects. */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskPersonalData(value, { anyIdShape: true });
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; cause?: unknown };
    return scrub(
      { type: e.name, message: e.message, stack: e.stack, ...(e.code !== undefined ? { code: e.code } : {}), ...Object.fromEntries(Object.entries(e)) },
      depth + 1,
      seen,
    );
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '[redacted]' : scrub(v, depth + 1, seen);
  return out;
}

export function createLogger(level: LoggerOptions['level'] = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    formatters: {
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    hooks: {
      // Runs before pino's own serializers and interpolation, so nothing escapes the scrub.
      logMethod(args, method) {
        return method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
      },
    },
  };
  return scrubChildBindings(destination ? pino(options, destination) : pino(options));
}

// pino writes child bindings without passing them through formatters.log or formatters.bindings.
function scrubChildBindings(logger: Logger): Logger {
  const child = logger.child.bind(logger);
  logger.child = ((bindings: pino.Bindings, opts?: pino.ChildLoggerOptions) =>
    scrubChildBindings(child(scrub(bindings) as pino.Bindings, opts))) as unknown as Logger['child'];
  return logger;
}
