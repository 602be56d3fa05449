// One pino logger for the process. Secrets are removed by path; personal data is masked
// wherever it appears in a logged string (free text such as message content included).
import { pino, type Logger, type LoggerOptions } from 'pino';
import { maskPersonalData } from './privacy/mask.js';

export type { Logger };

const SECRET_PATHS = [
  'appSecret',
  'encryptKey',
  'verificationToken',
  'token',
  'tenantAccessToken',
  'authorization',
  '*.appSecret',
  '*.encryptKey',
  '*.verificationToken',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'headers["x-lark-signature"]',
  '*.app_secret',
  'app_secret',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

export function createLogger(level: LoggerOptions['level'] = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: SECRET_PATHS, censor: '[redacted]' },
    formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        // pino's message string (the last string argument) bypasses formatters.log.
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
