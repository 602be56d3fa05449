// All configuration, parsed once at start. Everything past this file receives a typed Config.
import { resolve } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths.js';

const LARK_DOMAINS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
};

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const seconds = (fallback: number) => z.coerce.number({ error: 'must be a number of seconds' }).positive('must be greater than 0').default(fallback);

const days = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days')
    .default(fallback);

const envSchema = z
  .object({
    LARK_APP_ID: optionalText,
    LARK_APP_SECRET: optionalText,
    LARK_ENCRYPT_KEY: optionalText,
    LARK_VERIFICATION_TOKEN: optionalText,
    LARK_DOMAIN: optionalText
      .transform((v) => (v === undefined ? LARK_DOMAINS.feishu! : (LARK_DOMAINS[v.toLowerCase()] ?? v)))
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://open.feishu.cn' }))
      .transform((v) => v.replace(/\/+$/, '')),
    LARK_MODE: z.enum(['http', 'ws'], { error: 'must be "http" or "ws"' }).default('http'),
    // The base address at which Lark reaches the bot (request URLs are this + /lark/events, /lark/callbacks).
    PUBLIC_URL: optionalText
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bot.example.gov.cn' }).optional())
      .transform((v) => v?.replace(/\/+$/, '')),
    // The Approval Center (审批中心) sync: on with credentials and PUBLIC_URL, unless `off`.
    APPROVAL_CENTER: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['on', 'off'], { error: 'must be "on" or "off"' }))
      .default('on'),
    // The 多维表格 (Bitable base) the ledger is kept in: its app_token, as in …/base/<app_token>.
    BITABLE_APP_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9]{8,64}$/, 'must be the app_token of a 多维表格 (the letters and digits after /base/ in its address)')
        .optional(),
    ),
    DATABASE_URL: optionalText.refine(
      (v) => v === undefined || /^(file:|postgres:\/\/|postgresql:\/\/)/.test(v),
      'must start with file:, postgres:// or postgresql://',
    ),
    PORT: z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3000),
    // Default: every interface with a Lark tenant; loopback only in local mode (see loadConfig).
    HOST: optionalText,
    ADMIN_IDS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(/[,，\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    CAMPAIGNS_DIR: optionalText.transform((v) => resolve(v ?? resolve(PROJECT_ROOT, 'campaigns'))),
    DATA_DIR: optionalText.transform((v) => resolve(v ?? './data')),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LARK_SIGNATURE_WINDOW_SECONDS: seconds(300),
    WORKER_LEASE_SECONDS: seconds(30),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    UPLOAD_QUOTA_MB: z.coerce.number({ error: 'must be a number of megabytes' }).int('must be a whole number').positive('must be more than 0').default(500),
    // Retention of personal data (docs/operators.md 个人信息保护). Days after which it is removed.
    RETENTION_INBOX_DAYS: days(7),
    RETENTION_OUTBOX_DAYS: days(30),
    RETENTION_DRAFT_DAYS: days(90),
    RETENTION_EXPORT_DAYS: days(1),
  })
  .superRefine((env, ctx) => {
    if (env.LARK_MODE === 'ws' && env.LARK_APP_ID === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_MODE'],
        message: 'ws (long connection) connects to a real Lark tenant: set LARK_APP_ID and LARK_APP_SECRET (local mode needs no transport setting)',
      });
    }
    if (env.LARK_APP_ID === undefined) return;
    for (const key of ['LARK_APP_SECRET', 'LARK_VERIFICATION_TOKEN'] as const) {
      if (env[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when LARK_APP_ID is set' });
      }
    }
  });

export type Env = z.input<typeof envSchema>;

export interface LarkCredentials {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey: string | undefined;
  domain: string;
}

export interface Config {
  /** `lark` talks to a real tenant; `local` runs without credentials (in-process emulator). */
  mode: 'lark' | 'local';
  lark: LarkCredentials;
  larkTransport: 'http' | 'ws';
  /** PUBLIC_URL: where Lark reaches the bot, if given (npm run doctor prints the request URLs from it). */
  publicUrl: string | undefined;
  /** APPROVAL_CENTER: false when set to off. The sync runs when this is true and the bot has a callback address (see src/mirrors/). */
  approvalCenter: boolean;
  /** BITABLE_APP_TOKEN: the 多维表格 the ledger is kept in; no ledger when absent. */
  bitableAppToken: string | undefined;
  database: { dialect: 'sqlite' | 'postgres'; url: string };
  port: number;
  host: string;
  adminIds: string[];
  campaignsDir: string;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  signatureWindowSeconds: number;
  workerLeaseMs: number;
  bodyLimitBytes: number;
  /** How much one person's attachments may add up to in a Beijing day. */
  uploadQuotaBytes: number;
  /** Retention periods in days (src/privacy/retention.ts). */
  retention: RetentionPeriods;
}

export interface RetentionPeriods {
  /** A processed event's payload (what people typed and clicked). */
  inboxDays: number;
  /** A sent (or given-up) message's card. */
  outboxDays: number;
  /** A draft never submitted, counted from the programme's deadline. */
  draftDays: number;
  /** An export file, counted from when it was made (and sent). */
  exportDays: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`配置错误 / configuration error: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Secrets are never echoed; credentials inside URLs are hidden. */
function shownValue(variable: string, value: string): string {
  if (/SECRET|KEY|TOKEN|PASSWORD/.test(variable)) return '***';
  return value.replace(/\/\/[^/@\s]*@/, '//***@');
}

export function databaseFromUrl(url: string | undefined, dataDir: string): Config['database'] {
  if (url === undefined) return { dialect: 'sqlite', url: `file:${resolve(dataDir, 'bot.db')}` };
  return { dialect: url.startsWith('file:') ? 'sqlite' : 'postgres', url };
}

/** Parses the environment. Throws ConfigError naming the first bad variable. */
export function loadConfig(rawEnv: Record<string, string | undefined> = process.env): Config {
  // A variable set to nothing (PORT=) means "use the default", as if it were not set.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = env[variable];
    const shown = got === undefined ? '' : ` (got "${shownValue(variable, got)}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const e = parsed.data;
  const local = e.LARK_APP_ID === undefined;
  return {
    mode: local ? 'local' : 'lark',
    lark: {
      // Local mode fills these in once its emulator is up; see src/main.ts.
      appId: e.LARK_APP_ID ?? 'cli_local',
      appSecret: e.LARK_APP_SECRET ?? 'local_secret',
      verificationToken: e.LARK_VERIFICATION_TOKEN ?? 'local_verification_token',
      encryptKey: e.LARK_ENCRYPT_KEY,
      domain: e.LARK_DOMAIN,
    },
    larkTransport: e.LARK_MODE,
    publicUrl: e.PUBLIC_URL,
    approvalCenter: e.APPROVAL_CENTER === 'on',
    bitableAppToken: e.BITABLE_APP_TOKEN,
    database: databaseFromUrl(e.DATABASE_URL, e.DATA_DIR),
    port: e.PORT,
    // In local mode anyone reaching the port acts as the demo administrator: loopback unless HOST says otherwise.
    host: e.HOST ?? (local ? '127.0.0.1' : '0.0.0.0'),
    adminIds: e.ADMIN_IDS,
    campaignsDir: e.CAMPAIGNS_DIR,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    signatureWindowSeconds: e.LARK_SIGNATURE_WINDOW_SECONDS,
    workerLeaseMs: Math.round(e.WORKER_LEASE_SECONDS * 1000),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    uploadQuotaBytes: e.UPLOAD_QUOTA_MB * 1024 * 1024,
    retention: {
      inboxDays: e.RETENTION_INBOX_DAYS,
      outboxDays: e.RETENTION_OUTBOX_DAYS,
      draftDays: e.RETENTION_DRAFT_DAYS,
      exportDays: e.RETENTION_EXPORT_DAYS,
    },
  };
}
