// Process entry: read config once, build the app, listen, shut down cleanly on SIGTERM.
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { HANDLED_EVENTS } from './lark/events.js';
import { CARD_ACTION } from './lark/push.js';
import { REQUIRED_SCOPES } from './lark/scopes.js';
import { createLogger } from './log.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const log = createLogger(config.logLevel);
// Whatever the operator's umask: everything the bot writes is its own user's only (0700/0600).
process.umask(0o077);

// Local mode: no Lark tenant. The project's Lark emulator runs in-process and stands in for it.
const BOT_NAME = '技能大师工作室助手';
let closeEmulator: (() => Promise<void>) | undefined;
let emulator: import('./emulator/server.js').LarkEmulator | undefined;
// Local mode only: the demo clock the playground moves forward (快进); otherwise the real clock.
let demoClock: import('./playground/clock.js').DemoClock | undefined;
if (config.mode === 'local') {
  const { DemoClock } = await import('./playground/clock.js');
  demoClock = new DemoClock();
  const { startLarkEmulator, DEFAULT_GRANTED_SCOPES } = await import('./emulator/server.js');
  const { seedEmulator, DEMO_ADMIN, DEMO_BITABLE_APP } = await import('./playground/demo.js');
  emulator = await startLarkEmulator({ apps: [{ appId: config.lark.appId, appSecret: config.lark.appSecret, name: BOT_NAME }] });
  seedEmulator(emulator);
  // The Approval Center's quick approval names its operator by user_id: the demo tenant grants it.
  emulator.setScopes(config.lark.appId, [...DEFAULT_GRANTED_SCOPES, 'contact:user.employee_id:readonly']);
  // The ledger in a demo 多维表格 (the playground shows it), unless BITABLE_APP_TOKEN names one.
  config.bitableAppToken ??= DEMO_BITABLE_APP;
  if (config.bitableAppToken !== DEMO_BITABLE_APP) emulator.addBitableApp(config.bitableAppToken, '技能大师工作室台账');
  config.lark.domain = emulator.url;
  // The demo administrator, unless ADMIN_IDS names others.
  if (config.adminIds.length === 0) config.adminIds = [DEMO_ADMIN];
  closeEmulator = () => emulator!.close();
}

const app = await buildApp({ config, log, ...(demoClock ? { now: demoClock.now } : {}) });
let base = '';
if (emulator) {
  const { playground } = await import('./playground/routes.js');
  const { seedRoles, demoCopiesForYear } = await import('./playground/demo.js');
  // In a year after the shipped demos, this year's copies are activated (as an administrator would).
  const copies = demoCopiesForYear(app.services.catalog.campaigns, new Date());
  if (copies.length) {
    await app.services.db.transaction(async (tx) => {
      for (const c of copies)
        await tx.campaignFile.upsert({
          where: { campaignId: c.campaignId },
          create: { campaignId: c.campaignId, fileName: c.source.file, text: c.source.text, updatedBy: 'local-demo' },
          update: {},
        });
    });
    await app.services.runScheduled(); // reloads the programmes
  }
  const { createDemoTime } = await import('./playground/clock.js');
  const demoTime = demoClock
    ? createDemoTime({ clock: demoClock, db: app.services.db, campaigns: () => app.services.catalog.campaigns, runScheduled: app.services.runScheduled })
    : undefined;
  await app.register(playground, {
    emulator,
    ...(demoTime ? { demoTime } : {}),
    appId: config.lark.appId,
    verificationToken: config.lark.verificationToken,
    ...(config.lark.encryptKey ? { encryptKey: config.lark.encryptKey } : {}),
    botName: BOT_NAME,
    selfUrl: () => base,
  });
  await seedRoles(app.services.db, app.services.catalog.campaigns, new Date());
}
const address = await app.listen({ port: config.port, host: config.host });
base = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
// Local mode: the emulated Approval Center calls the playground's own address back.
if (config.mode === 'local') config.publicUrl ??= base;

if (config.mode === 'local') {
  console.log(
    [
      '',
      '技能大师工作室助手已在本地模式启动（未配置 LARK_APP_ID，使用内置的飞书模拟服务）。',
      `  在浏览器中打开 / Open the playground: ${base}/`,
      `  Local mode (no LARK_APP_ID): in-process Lark emulator at ${config.lark.domain}`,
      `  Webhook:  ${base}/lark/events   Health: ${base}/healthz`,
      `  Database: ${config.database.dialect} ${config.database.dialect === 'sqlite' ? config.database.url : '(DATABASE_URL)'}`,
      '',
    ].join('\n'),
  );
} else {
  const ws = config.larkTransport === 'ws';
  console.log(
    [
      '',
      `技能大师工作室助手已启动，连接 ${config.lark.domain}（应用 ${config.lark.appId}）。请在飞书开放平台配置：`,
      ws
        ? '  事件与回调 → 订阅方式：使用长连接接收事件 / 回调（LARK_MODE=ws，无需公网地址）'
        : `  事件订阅 Event request URL:  https://<公网地址>/lark/events\n  回调订阅 Callback request URL: https://<公网地址>/lark/callbacks`,
      `  事件 Events: ${HANDLED_EVENTS.join(', ')}; 回调 Callback: ${CARD_ACTION}`,
      `  权限 Scopes: ${REQUIRED_SCOPES.map((s) => s.scope).join(', ')}`,
      `  Listening on ${address}; health check ${base}/healthz. 检查配置：npm run doctor。See README「创建飞书应用」for every step.`,
      config.lark.encryptKey ? '' : '  提示：未配置 LARK_ENCRYPT_KEY，推送不会加密也无法校验签名，生产环境请配置。',
    ].join('\n'),
  );
}

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) {
    log.warn({ signal }, 'second signal: exiting at once');
    process.exit(1);
  }
  closing = true;
  log.info({ signal }, 'shutting down: no new requests; finishing or handing back work in progress');
  const timer = setTimeout(() => {
    log.error('shutdown took longer than 20 s; exiting');
    process.exit(1);
  }, 20_000).unref();
  try {
    await app.close();
    await closeEmulator?.();
  } finally {
    clearTimeout(timer);
  }
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
