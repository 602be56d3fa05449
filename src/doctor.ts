// `npm run doctor`: checks a deployment the way an operator gets it wrong, one line per check in
// Chinese with ✓ or ✗, and exits 0 only when every check passes. Every call to Lark goes through
// the SDK (the messenger), as the bot's own do.
import { pathToFileURL } from 'node:url';
import { resolveAdministrators } from './access/users.js';
import { currentSources, loadCampaigns } from './campaigns/catalog.js';
import { type CampaignError, formatCampaignError, parseCampaignSources, readCampaignDir } from './campaigns/loader.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { loadMigrations } from './db/migrate.js';
import { HANDLED_EVENTS } from './lark/events.js';
import { classifyLarkError, createMessenger, type Messenger } from './lark/messenger.js';
import { APPROVAL_SCOPES, BITABLE_SCOPES, EMPLOYEE_ID_SCOPE, missingNeeds, REQUIRED_SCOPES, type ScopeNeed } from './lark/scopes.js';
import { lark } from './lark/sdk.js';
import { createLogger } from './log.js';
import { QUICK_APPROVAL_ROUTE } from './mirrors/quick-approval.js';

export interface CheckLine {
  ok: boolean;
  text: string;
}

const EVENTS = HANDLED_EVENTS.join('、');

/** What Lark's token endpoint answered, in words an operator can act on. */
function credentialProblem(code: number | undefined, msg: string): string {
  if (code === 10014 || code === 99991543) return `LARK_APP_SECRET 不正确（飞书返回 ${code}：${msg}），请在开发者后台“凭证与基础信息”中复制 App Secret`;
  if (code === 10003 || code === 10012) return `LARK_APP_ID 不正确或应用不存在（飞书返回 ${code}：${msg}）`;
  return `无法获取 tenant_access_token（飞书返回 ${code ?? '?'}：${msg}）`;
}

/** Runs every check; `probe` fetches a URL (the request URLs' reachability), injectable for tests. */
export async function runDoctor(
  env: Record<string, string | undefined> = process.env,
  opts: { probe?: (url: string) => Promise<number> } = {},
): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const pass = (text: string) => lines.push({ ok: true, text });
  const failed = (text: string) => lines.push({ ok: false, text });

  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    failed(error instanceof ConfigError ? error.message : String(error));
    return lines;
  }
  pass('配置：环境变量格式正确');
  if (config.mode === 'local') {
    failed('LARK_APP_ID 未配置：助手会以本地模式（内置飞书模拟服务）运行，不连接真实的飞书租户');
    return lines;
  }
  const log = createLogger('silent');

  // 1. Credentials.
  let credentialsOk = false;
  try {
    const client = new lark.Client({
      appId: config.lark.appId,
      appSecret: config.lark.appSecret,
      domain: config.lark.domain,
      loggerLevel: lark.LoggerLevel.error,
      logger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined },
    });
    const res = await client.auth.v3.tenantAccessToken.internal({ data: { app_id: config.lark.appId, app_secret: config.lark.appSecret } });
    const token = (res as { tenant_access_token?: string }).tenant_access_token ?? res.data?.tenant_access_token;
    if (res.code === 0 && token) {
      credentialsOk = true;
      pass(`应用凭证：LARK_APP_ID 与 LARK_APP_SECRET 可以获取 tenant_access_token（${config.lark.domain}）`);
    } else failed(`应用凭证：${credentialProblem(res.code, res.msg ?? '')}`);
  } catch (error) {
    const e = classifyLarkError(error);
    failed(
      e.status === undefined ? `应用凭证：无法连接 ${config.lark.domain}（LARK_DOMAIN）：${e.message}` : `应用凭证：${credentialProblem(e.code, e.message)}`,
    );
  }

  const messenger: Messenger | undefined = credentialsOk ? createMessenger(config.lark, log) : undefined;
  if (messenger) {
    // 2. Bot capability.
    try {
      const bot = await messenger.botInfo();
      if (bot.activated) pass(`机器人能力：已启用（${bot.name ?? '未命名'}）`);
      else failed('机器人能力：未启用。请在开发者后台“添加应用能力”中添加机器人，并发布版本');
    } catch (error) {
      failed(`机器人能力：无法读取机器人信息（${classifyLarkError(error).message}），请确认已添加机器人能力`);
    }

    // 3. Scopes, by name.
    const needsUserId = config.adminIds.some((e) => !e.startsWith('ou_') && !e.includes('@') && !/^(\+?86)?1[3-9]\d{9}$/.test(e));
    const approvalOn = config.approvalCenter && config.publicUrl !== undefined;
    const needs: ScopeNeed[] = [...REQUIRED_SCOPES];
    if (approvalOn) needs.push(...APPROVAL_SCOPES);
    else if (needsUserId) needs.push(EMPLOYEE_ID_SCOPE);
    if (config.bitableAppToken) needs.push(...BITABLE_SCOPES);
    try {
      const granted = await messenger.grantedScopes();
      const missing = missingNeeds(granted, needs);
      for (const n of needs) {
        const label = `${n.scope}${n.orAnyOf?.length ? `（或 ${n.orAnyOf.join('、')}）` : ''}`;
        if (missing.includes(n)) failed(`权限 ${label}：未开通，用于${n.for}。请在“权限管理”中开通并发布版本`);
        else pass(`权限 ${label}：已开通（${n.for}）`);
      }
    } catch (error) {
      failed(`权限：无法查询应用的权限（${classifyLarkError(error).message}）`);
    }

    // 4. ADMIN_IDS.
    if (config.adminIds.length === 0) failed('ADMIN_IDS：未配置，没有人能管理助手。请填写管理员登录飞书用的手机号或邮箱（多个用逗号分隔）');
    else {
      const named = config.adminIds.filter((e) => !e.startsWith('ou_'));
      const resolved = await resolveAdministrators(messenger, named);
      for (const e of config.adminIds) {
        if (e.startsWith('ou_')) {
          const name = await messenger.userName(e);
          if (name) pass(`ADMIN_IDS ${e}：${name}`);
          else failed(`ADMIN_IDS ${e}：找不到这个用户（open_id 属于每个应用各自一套，请改用管理员的手机号或邮箱）`);
          continue;
        }
        const id = resolved.resolved.get(e);
        if (id) pass(`ADMIN_IDS ${e}：对应飞书用户 ${(await messenger.userName(id)) ?? id}`);
        else failed(`ADMIN_IDS ${e}：${resolved.unresolved.find((u) => u.entry === e)?.why ?? '找不到这个用户'}`);
      }
    }
  }

  // 5. Where Lark sends events and callbacks.
  if (config.larkTransport === 'ws') pass(`请求地址：LARK_MODE=ws，使用长连接接收事件与回调，无需公网地址。请订阅事件 ${EVENTS} 与回调 card.action.trigger`);
  else if (!config.publicUrl) failed('请求地址：未配置 PUBLIC_URL（飞书访问助手的公网地址，如 https://bot.example.gov.cn）；或改用 LARK_MODE=ws 长连接');
  else {
    const events = `${config.publicUrl}/lark/events`;
    const callbacks = `${config.publicUrl}/lark/callbacks`;
    const probe = opts.probe ?? defaultProbe;
    const status = await probe(`${config.publicUrl}/healthz`).catch(() => 0);
    const how = `事件请求地址 ${events}（订阅 ${EVENTS}）；回调请求地址 ${callbacks}（订阅 card.action.trigger）`;
    const plain = config.publicUrl.startsWith('http://') ? '（建议改用 https 地址）' : '';
    if (status === 200) pass(`请求地址：${how}；${config.publicUrl}/healthz 可以访问${plain}`);
    else failed(`请求地址：${how}；但 ${config.publicUrl}/healthz ${status ? `返回 ${status}` : '无法访问'}，请确认助手已启动、反向代理和防火墙已放行`);
  }

  // 5b. The Approval Center and the ledger.
  if (!config.approvalCenter) pass('审批中心：APPROVAL_CENTER=off，审核任务不同步到审批中心');
  else if (!config.publicUrl)
    failed('审批中心：未配置 PUBLIC_URL，审核任务不会同步到审批中心（“同意/拒绝”需要飞书能访问的回调地址）；不需要时设置 APPROVAL_CENTER=off');
  else if (!config.publicUrl.startsWith('https://')) failed(`审批中心：PUBLIC_URL 应为 https 地址（飞书回调 ${config.publicUrl}${QUICK_APPROVAL_ROUTE}）`);
  else pass(`审批中心：已开启；每个项目在审批中心有一个三方审批，“同意/拒绝”回调 ${config.publicUrl}${QUICK_APPROVAL_ROUTE}（启动时自动登记）`);
  if (!config.bitableAppToken) pass('台账：未配置 BITABLE_APP_TOKEN，不维护多维表格台账');
  else if (messenger)
    try {
      const tables = await messenger.bitable.listTables(config.bitableAppToken);
      pass(`台账：可以访问多维表格 ${config.bitableAppToken}（现有 ${tables.length} 个数据表）`);
    } catch (error) {
      const e = classifyLarkError(error);
      failed(
        `台账：无法访问多维表格 ${config.bitableAppToken}（${e.message}）。请确认 BITABLE_APP_TOKEN 是多维表格地址中 /base/ 后的那一段，并在多维表格的“分享”中把应用添加为可编辑的协作者`,
      );
    }

  // 6. Database.
  const db = openDatabase(config.database, { poolSize: 1 });
  let reachable = false;
  try {
    reachable = await db.ping();
    if (!reachable) failed(`数据库：无法连接（DATABASE_URL，${config.database.dialect}）`);
    else {
      const done = new Set(
        await db.client.schemaMigration.findMany({ select: { name: true } }).then(
          (rows) => rows.map((r) => r.name),
          () => [] as string[],
        ),
      );
      const pending = loadMigrations(db.dialect).filter((m) => !done.has(m.name));
      if (pending.length)
        failed(
          `数据库：可以连接，但有 ${pending.length} 个迁移尚未执行（${pending.map((m) => m.name).join('、')}）。启动助手时会自动执行；若助手已在运行，说明它的版本比这里旧`,
        );
      else pass(`数据库：可以连接，已是最新结构（${config.database.dialect}）`);
    }
  } catch (error) {
    failed(`数据库：无法连接（${String((error as Error).message ?? error).slice(0, 200)}）`);
  }

  // 7. Programme files: the folder, with the versions activated in the chat in their place.
  try {
    let errors: CampaignError[];
    let count: number;
    if (reachable) {
      const folder = readCampaignDir(config.campaignsDir);
      const sources = await db.transaction((tx) => currentSources(tx, config.campaignsDir, folder)).catch(() => folder.sources);
      const catalog = parseCampaignSources(sources);
      errors = [...folder.errors, ...catalog.errors];
      count = catalog.campaigns.length;
    } else {
      const { catalog } = loadCampaigns(config.campaignsDir, log);
      errors = catalog.errors;
      count = catalog.campaigns.length;
    }
    if (errors.length) for (const e of errors.slice(0, 20)) failed(`项目文件：${formatCampaignError(e)}`);
    else pass(`项目文件：${count} 个项目均有效（${config.campaignsDir}）`);
  } catch (error) {
    failed(`项目文件：无法读取 ${config.campaignsDir}（${String((error as Error).message ?? error)}）`);
  }
  await db.close();
  return lines;
}

async function defaultProbe(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return res.status;
}

// Run as a command.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const lines = await runDoctor();
  for (const l of lines) console.log(`${l.ok ? '✓' : '✗'} ${l.text}`);
  const bad = lines.filter((l) => !l.ok).length;
  console.log(bad ? `\n${bad} 项未通过，请按上面的提示修改后再运行 npm run doctor。` : `\n全部 ${lines.length} 项检查通过。`);
  process.exit(bad ? 1 : 0);
}
