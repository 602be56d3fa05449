// Drives the whole bot the way Lark does: a real emulator over HTTP, signed and encrypted pushes
// over HTTP to the app's real port, and the real SDK inside the app.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { type EmulatorOptions, type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, deliver, messageEvent, type Push } from '../../src/emulator/signing.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const APP_ID = 'cli_test_app';
export const APP_SECRET = 'test_app_secret';
export const VERIFICATION_TOKEN = 'test_verification_token';
export const ENCRYPT_KEY = 'test_encrypt_key_0123456789';

export interface AppUnderTest {
  app: FastifyInstance;
  url: string;
  config: Config;
  db: Database;
}

export interface Harness {
  emulator: LarkEmulator;
  testDb: TestDatabase;
  apps: AppUnderTest[];
  /** The first app. */
  app: FastifyInstance;
  url: string;
  db: Database;
  encryptKey: string | undefined;
  /** Signs/encrypts a payload like Lark and posts it to /lark/events of app `i`. */
  push(payload: object, opts?: { app?: number; route?: string; timestamp?: number | string }): Promise<{ status: number; body: string; json: unknown }>;
  post(push: Push, opts?: { app?: number; route?: string }): Promise<{ status: number; body: string; json: unknown }>;
  /** A private-chat text message event from `openId`. */
  text(openId: string, text: string, opts?: { eventId?: string; messageId?: string }): object;
  startApp(overrides?: Record<string, string>): Promise<AppUnderTest>;
  close(): Promise<void>;
}

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    LARK_APP_ID: APP_ID,
    LARK_APP_SECRET: APP_SECRET,
    LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    LARK_ENCRYPT_KEY: ENCRYPT_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  };
}

/** `tick: false`: no minute tick (a test that compares the whole database before and after a click runs it itself). */
export async function startHarness(
  opts: {
    encrypt?: boolean;
    env?: Record<string, string>;
    apps?: number;
    now?: () => Date;
    tick?: boolean;
    tenant?: (emulator: LarkEmulator) => void;
    dataDir?: string;
    logTo?: DestinationStream;
    /** How the emulated Lark behaves (its limits), where a test needs other than the documented defaults. */
    lark?: Omit<EmulatorOptions, 'apps'>;
  } = {},
): Promise<Harness> {
  const emulator = await startLarkEmulator({ ...opts.lark, apps: [{ appId: APP_ID, appSecret: APP_SECRET, name: '技能大师工作室助手' }] });
  // The tenant as it is before the bot starts (its users, the scopes granted).
  opts.tenant?.(emulator);
  const testDb = await createTestDatabase();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'smsb-data-'));
  const encryptKey = opts.encrypt === false ? undefined : ENCRYPT_KEY;
  const apps: AppUnderTest[] = [];

  async function startApp(overrides: Record<string, string> = {}): Promise<AppUnderTest> {
    const env = testEnv({
      LARK_DOMAIN: emulator.url,
      DATABASE_URL: testDb.database.url,
      LARK_ENCRYPT_KEY: encryptKey,
      DATA_DIR: dataDir,
      ...opts.env,
      ...overrides,
    });
    const config = loadConfig(env);
    // Each app gets its own connection (pool), as separate processes would.
    const db = openDatabase(config.database);
    const app = await buildApp({
      config,
      db,
      // Closed after the app's workers stop: a hook added here would run before them (last registered, first run).
      closeDb: true,
      log: createLogger(config.logLevel, opts.logTo),
      workers: { pollMs: 100, ...(opts.tick === false ? { tickMs: 0 } : {}) },
      ...(opts.now ? { now: opts.now } : {}),
    });
    // PORT '0' (testEnv) picks a free port; a test that must know it in advance (PUBLIC_URL) passes one.
    const address = await app.listen({ port: config.port, host: '127.0.0.1' });
    const started = { app, url: address, config, db };
    apps.push(started);
    return started;
  }

  const count = opts.apps ?? 1;
  for (let i = 0; i < count; i++) await startApp();
  const first = apps[0]!;

  const post: Harness['post'] = (p, o = {}) => deliver(`${apps[o.app ?? 0]!.url}${o.route ?? '/lark/events'}`, p);
  return {
    emulator,
    testDb,
    apps,
    app: first.app,
    url: first.url,
    db: first.db,
    encryptKey,
    push: (payload, o = {}) =>
      post(
        buildPush({
          ...(encryptKey ? { encryptKey } : {}),
          verificationToken: VERIFICATION_TOKEN,
          payload,
          ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
        }),
        o,
      ),
    post,
    text: (openId, text, o = {}) =>
      messageEvent({
        appId: APP_ID,
        token: VERIFICATION_TOKEN,
        sender: { open_id: openId },
        chatId: emulator.p2pChatId(openId),
        chatType: 'p2p',
        text,
        emulator,
        ...(o.eventId ? { eventId: o.eventId } : {}),
        ...(o.messageId ? { messageId: o.messageId } : {}),
      }),
    startApp,
    async close() {
      for (const a of apps) await a.app.close();
      await emulator.close();
      await testDb.drop();
    },
  };
}

/** Polls until `check` returns a truthy value (or throws with `what` after `timeoutMs`). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until no export is being made and neither queue has anything pending or in progress. */
export async function settle(db: Database, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    'exports, inbox and outbox to drain',
    async () => {
      const busy = { status: { in: ['pending', 'leased'] } };
      // Exports first: a finished export writes its outbox rows as it completes.
      if ((await db.client.exportJob.count({ where: { status: { in: ['pending', 'running'] } } })) > 0) return false;
      // A broadcast with a report card is marked done by the report tick once its sends are through.
      if ((await db.client.broadcast.count({ where: { status: 'sending', reportMessageId: { not: null } } })) > 0) return false;
      // Inbox first, then outbox: an event's outbox rows commit with its completion, so once the
      // inbox is empty every row it caused is already visible to the second query.
      if ((await db.client.inboxEvent.count({ where: busy })) > 0) return false;
      return (await db.client.outboxMessage.count({ where: busy })) === 0;
    },
    timeoutMs,
  );
}
