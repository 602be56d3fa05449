// Lark's Approval Center for third-party approvals (审批 v4, 三方审批): definitions, instances with
// their tasks, the drift check, and the quick-approval callback Lark posts when an approver clicks
// 同意 / 拒绝 in the Approval Center. Every rule enforced below cites the documentation page that
// states it; where the documentation is silent the comment says what the emulator chose.
import { randomUUID } from 'node:crypto';
import { type Ctx, clone, type EmulatorHost, fail, first, isRecord, ok, type Reply } from './http.js';
import type { EmulatedUser } from './server.js';
import { approvalCallbackBody } from './signing.js';

// Pages quoted below.
// 创建三方审批定义: https://open.feishu.cn/document/server-docs/approval-v4/external_approval/create
// 查看指定三方审批定义: https://open.feishu.cn/document/approval-v4/external_approval/get
// 同步三方审批实例: https://open.feishu.cn/document/server-docs/approval-v4/external_instance/create
// 校验三方审批实例: https://open.feishu.cn/document/server-docs/approval-v4/external_instance/check
// 三方审批实例常见问题: https://open.feishu.cn/document/server-docs/approval-v4/external_instance/faqs
// 三方快捷审批回调: https://open.feishu.cn/document/server-docs/approval-v4/external_approval/quick-approval-callback

/** 1390001 param is invalid (HTTP 400): the error code every page above gives for a bad request. */
const INVALID = 1390001;

// 权限要求 of each page (「开启其中任意一项权限即可调用」).
const DEFINITION_SCOPES = ['approval:approval', 'approval:external_approval'];
const INSTANCE_SCOPES = ['approval:approval', 'approval:external_instance'];
const CHECK_SCOPES = ['approval:approval', 'approval:approval:readonly', 'approval:external_instance'];

// 接口频率限制 of each page: 「1000 次/分钟、50 次/秒」.
const PER_SECOND = 50;
const PER_MINUTE = 1000;

const LOCALES = new Set([
  'zh-CN',
  'en-US',
  'ja-JP',
  'zh-HK',
  'zh-TW',
  'de-DE',
  'es-ES',
  'fr-FR',
  'id-ID',
  'it-IT',
  'ko-KR',
  'pt-BR',
  'th-TH',
  'vi-VN',
  'ms-MY',
  'ru-RU',
]);
const INSTANCE_STATUSES = new Set(['PENDING', 'APPROVED', 'REJECTED', 'CANCELED', 'DELETED', 'HIDDEN', 'TERMINATED']);
const TASK_STATUSES = new Set(['PENDING', 'APPROVED', 'REJECTED', 'TRANSFERRED', 'DONE']);
const DISPLAY_METHODS = new Set(['BROWSER', 'SIDEBAR', 'NORMAL', 'TRUSTEESHIP']);
const VIEWER_TYPES = new Set(['TENANT', 'DEPARTMENT', 'USER', 'NONE']);
const KEY_PREFIX = '@i18n@';
/** 快捷审批回调: 「回调超时时间为 10 秒」 (the older Lark copy says 5 s). */
const CALLBACK_TIMEOUT_MS = 10_000;

export interface I18nResource {
  locale: string;
  texts: { key: string; value: string }[];
  is_default: boolean;
}

export interface ExternalLinks {
  pc_link?: string;
  mobile_link?: string;
}

export interface ActionConfig {
  action_type: string;
  action_name?: string;
  is_need_reason?: boolean;
  is_reason_required?: boolean;
  is_need_attachment?: boolean;
}

export interface ExternalTask {
  task_id: string;
  user_id?: string;
  open_id?: string;
  title?: string;
  links: ExternalLinks;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'TRANSFERRED' | 'DONE';
  extra?: string;
  create_time: string;
  end_time: string;
  update_time?: string;
  action_context?: string;
  action_configs?: ActionConfig[];
  display_method?: string;
  exclude_statistics?: boolean;
  node_id?: string;
  node_name?: string;
  generate_type?: string;
}

export interface ExternalCc {
  cc_id: string;
  user_id?: string;
  open_id?: string;
  links: ExternalLinks;
  read_status: 'READ' | 'UNREAD';
  extra?: string;
  title?: string;
  create_time: string;
  update_time: string;
  display_method?: string;
}

/** An instance as the app synced it (after UPDATE-mode merging), echoed in `data.data`. */
export interface ExternalInstance {
  approval_code: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELED' | 'DELETED' | 'HIDDEN' | 'TERMINATED';
  extra?: string;
  instance_id: string;
  links: ExternalLinks;
  title?: string;
  form?: { name?: string; value?: string }[];
  user_id?: string;
  user_name?: string;
  open_id?: string;
  department_id?: string;
  department_name?: string;
  start_time: string;
  end_time: string;
  update_time: string;
  display_method?: string;
  update_mode?: 'REPLACE' | 'UPDATE';
  task_list?: ExternalTask[];
  cc_list?: ExternalCc[];
  i18n_resources: I18nResource[];
  [more: string]: unknown;
}

export interface ExternalConfig {
  biz_name?: string;
  biz_type?: string;
  create_link_mobile?: string;
  create_link_pc?: string;
  support_pc?: boolean;
  support_mobile?: boolean;
  support_batch_read?: boolean;
  enable_mark_readed?: boolean;
  enable_quick_operate?: boolean;
  action_callback_url?: string;
  action_callback_token?: string;
  action_callback_key?: string;
  allow_batch_operate?: boolean;
  exclude_efficiency_statistics?: boolean;
}

export interface ApprovalDefinitionView {
  appId: string;
  /** The code Lark generated on the first create (what the API returns and instances may name). */
  approval_code: string;
  /** The app's own code, sent on every create-or-update. */
  own_code: string;
  approval_name: string;
  /** approval_name in the default locale. */
  nameText: string;
  group_code?: string;
  group_name?: string;
  description?: string;
  external: ExternalConfig;
  viewers?: { viewer_type?: string; viewer_user_id?: string; viewer_department_id?: string }[];
  i18n_resources: I18nResource[];
  managers?: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ApprovalTaskView extends ExternalTask {
  /** title in the default locale (absent without a title). */
  titleText?: string;
  /** node_name in the default locale. */
  nodeText?: string;
  /** The actions in the default locale: APPROVE 同意, REJECT 拒绝, others their action_name. */
  actions: (ActionConfig & { nameText: string })[];
}

export interface ApprovalInstanceView extends ExternalInstance {
  appId: string;
  /** The Lark code of the definition the instance belongs to. */
  larkApprovalCode: string;
  /** The definition's name in the default locale. */
  approvalName: string;
  /** title in the default locale, or the definition's name when the instance has no title (同步三方审批实例: title). */
  titleText: string;
  formText: { name: string; value: string }[];
  userNameText?: string;
  departmentNameText?: string;
  task_list: ApprovalTaskView[];
}

/** What a task row shows of its instance. */
export type ApprovalInstanceSummary = Pick<
  ApprovalInstanceView,
  | 'appId'
  | 'instance_id'
  | 'approval_code'
  | 'larkApprovalCode'
  | 'approvalName'
  | 'status'
  | 'titleText'
  | 'formText'
  | 'links'
  | 'start_time'
  | 'end_time'
  | 'update_time'
  | 'user_id'
  | 'open_id'
  | 'userNameText'
  | 'departmentNameText'
  | 'extra'
>;

/** One task of a person with the instance it belongs to (the Approval Center's 待办 / 已办 rows). */
export interface ApprovalTaskEntry extends ApprovalTaskView {
  instance: ApprovalInstanceSummary;
}

export interface QuickApprovalInput {
  taskId: string;
  /** Needed only when two instances have a task with this id. */
  instanceId?: string;
  /** The approver acting in the Approval Center. */
  openId: string;
  action: 'APPROVE' | 'REJECT';
  reason?: string;
  /** Skip the checks the Approval Center makes before it calls (pending, assignee, buttons, reason). */
  force?: boolean;
}

export interface QuickApprovalResult {
  /** The app's HTTP status: 200 is success (快捷审批回调: 「回调失败时（http code != 200）…」). */
  status: number;
  /** The app's answer, parsed as JSON when it is JSON. */
  body: unknown;
  /** What the Approval Center shows the approver on failure: the answer's `message`, when given. */
  message?: string;
  /** The callback's fields as posted (before encryption). */
  sent: Record<string, unknown>;
}

/** The Approval Center refused before calling the app (what Lark's client would not let a person do). */
export class QuickApprovalError extends Error {}

interface StoredInstance {
  appId: string;
  def: StoredDefinition;
  data: ExternalInstance;
  /** Order of first sync, for stable listing. */
  seq: number;
}

type StoredDefinition = Omit<ApprovalDefinitionView, 'nameText'>;

function invalid(detail: string): never {
  fail(400, INVALID, `param is invalid: ${detail}`);
}

const isKey = (v: unknown): v is string => typeof v === 'string' && v.startsWith(KEY_PREFIX);
const isMs = (v: unknown): v is string => typeof v === 'string' && /^\d{1,16}$/.test(v);
const msOf = (v: string | undefined): bigint => (v && /^\d+$/.test(v) ? BigInt(v) : 0n);

function optString(o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') invalid(`${where}${key} must be a string`);
  return v;
}

function reqString(o: Record<string, unknown>, key: string, where: string): string {
  const v = optString(o, key, where);
  if (!v) invalid(`${where}${key} is required`);
  return v;
}

function optBool(o: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') invalid(`${where}${key} must be a boolean`);
  return v;
}

function enumOf(o: Record<string, unknown>, key: string, allowed: Set<string>, where: string, required: boolean): string | undefined {
  const v = required ? reqString(o, key, where) : optString(o, key, where);
  if (v !== undefined && !allowed.has(v)) invalid(`${where}${key} ${JSON.stringify(v)} is not one of ${[...allowed].join(', ')}`);
  return v;
}

/** 「start_time … Unix 毫秒时间戳」 as a string (the doc's type; its examples are "1556468012678"). */
function msString(o: Record<string, unknown>, key: string, where: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) invalid(`${where}${key} is required`);
    return undefined;
  }
  if (!isMs(v)) invalid(`${where}${key} must be a string of digits (ms since the epoch), got ${JSON.stringify(v)}`);
  return v;
}

/** `extra`: 「JSON 格式，传值时需要压缩转义为字符串」. */
function jsonString(o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = optString(o, key, where);
  if (v === undefined) return undefined;
  try {
    JSON.parse(v);
  } catch {
    invalid(`${where}${key} must be a JSON string`);
  }
  return v;
}

/** links: 「pc_link 和 mobile_link 至少填一个」. */
function links(o: Record<string, unknown>, where: string): ExternalLinks {
  const l = o.links;
  if (!isRecord(l)) invalid(`${where}links is required`);
  const pc = optString(l, 'pc_link', `${where}links.`);
  const mobile = optString(l, 'mobile_link', `${where}links.`);
  if (!pc && !mobile) invalid(`${where}links needs pc_link or mobile_link`);
  return { ...(pc ? { pc_link: pc } : {}), ...(mobile ? { mobile_link: mobile } : {}) };
}

/**
 * i18n_resources: locale from the documented list, texts of {key, value} with keys starting with
 * @i18n@ (「Key 需要以 @i18n@ 开头」), and one default locale (「是否为默认语言。默认语言需要包含所有
 * 所需的文案 Key」). The doc does not say what two defaults do; the emulator refuses them.
 */
function readI18n(v: unknown, required: boolean): I18nResource[] {
  if (v === undefined || v === null) {
    if (required) invalid('i18n_resources is required');
    return [];
  }
  if (!Array.isArray(v) || v.length === 0) invalid('i18n_resources must be a non-empty array');
  const out: I18nResource[] = [];
  for (const [i, r] of v.entries()) {
    const where = `i18n_resources[${i}].`;
    if (!isRecord(r)) invalid(`${where.slice(0, -1)} must be an object`);
    const locale = enumOf(r, 'locale', LOCALES, where, true)!;
    const isDefault = r.is_default;
    if (typeof isDefault !== 'boolean') invalid(`${where}is_default is required (a boolean)`);
    if (!Array.isArray(r.texts)) invalid(`${where}texts is required`);
    const texts = r.texts.map((t, j) => {
      if (!isRecord(t)) invalid(`${where}texts[${j}] must be an object`);
      const key = reqString(t, 'key', `${where}texts[${j}].`);
      if (!key.startsWith(KEY_PREFIX)) invalid(`${where}texts[${j}].key must start with ${KEY_PREFIX}`);
      if (typeof t.value !== 'string') invalid(`${where}texts[${j}].value is required (a string)`);
      return { key, value: t.value };
    });
    out.push({ locale, texts, is_default: isDefault });
  }
  const defaults = out.filter((r) => r.is_default);
  if (defaults.length !== 1) invalid(`i18n_resources needs exactly one default locale (is_default: true), got ${defaults.length}`);
  return out;
}

function defaultTexts(resources: I18nResource[]): Map<string, string> {
  const def = resources.find((r) => r.is_default);
  return new Map((def?.texts ?? []).map((t) => [t.key, t.value]));
}

/** Every key used must be in the default locale (i18n_resources.is_default: 「默认语言需要包含所有所需的文案 Key」). */
function requireKeys(used: { where: string; key: string }[], resources: I18nResource[]): void {
  const texts = defaultTexts(resources);
  for (const u of used) if (!texts.has(u.key)) invalid(`${u.where} ${JSON.stringify(u.key)} has no text in the default locale of i18n_resources`);
}

function textOf(texts: Map<string, string>, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return isKey(v) ? (texts.get(v) ?? v) : v;
}

const ACTION_TEXT: Record<string, string> = { APPROVE: '同意', REJECT: '拒绝' };

export class ApprovalCenter {
  private readonly definitions = new Map<string, StoredDefinition>(); // `${appId}\0${own code}`
  private readonly byLarkCode = new Map<string, StoredDefinition>();
  private readonly groups = new Map<string, string>(); // `${appId}\0${group_code}` -> group_name
  private readonly instances = new Map<string, StoredInstance>(); // `${appId}\0${instance_id}`
  private seq = 0;

  constructor(private readonly host: EmulatorHost) {
    host.on('POST', '/open-apis/approval/v4/external_approvals', (c) => this.createDefinition(c));
    host.on('GET', '/open-apis/approval/v4/external_approvals/:approval_code', (c) => this.getDefinition(c));
    // check before the instance route: both are POSTs under external_instances.
    host.on('POST', '/open-apis/approval/v4/external_instances/check', (c) => this.check(c));
    host.on('POST', '/open-apis/approval/v4/external_instances', (c) => this.syncInstance(c));
  }

  reset(): void {
    this.definitions.clear();
    this.byLarkCode.clear();
    this.groups.clear();
    this.instances.clear();
  }

  // ---------- accessors ----------

  definitionsView(): ApprovalDefinitionView[] {
    return [...this.definitions.values()].map((d) => this.definitionView(d));
  }

  instancesView(): ApprovalInstanceView[] {
    return [...this.instances.values()].sort((a, b) => a.seq - b.seq).map((s) => this.instanceView(s));
  }

  /**
   * A person's synced tasks (assigned by open_id, or by the user_id of that person), newest first.
   * Instances synced as DELETED (「审批被删除」) are left out. DONE tasks are included here (the
   * synced data), although Lark does not show them to the approver (「DONE：任务通过但审批人未操作。
   * 审批人看不到该任务」): the playground leaves them out.
   */
  tasksOf(openId: string): ApprovalTaskEntry[] {
    const userId = this.host.getUser(openId)?.user_id;
    const out: ApprovalTaskEntry[] = [];
    for (const s of this.instances.values()) {
      if (s.data.status === 'DELETED') continue;
      const view = this.instanceView(s);
      const instance: ApprovalInstanceSummary = {
        appId: view.appId,
        instance_id: view.instance_id,
        approval_code: view.approval_code,
        larkApprovalCode: view.larkApprovalCode,
        approvalName: view.approvalName,
        status: view.status,
        titleText: view.titleText,
        formText: view.formText,
        links: view.links,
        start_time: view.start_time,
        end_time: view.end_time,
        update_time: view.update_time,
        ...(view.user_id !== undefined ? { user_id: view.user_id } : {}),
        ...(view.open_id !== undefined ? { open_id: view.open_id } : {}),
        ...(view.userNameText !== undefined ? { userNameText: view.userNameText } : {}),
        ...(view.departmentNameText !== undefined ? { departmentNameText: view.departmentNameText } : {}),
        ...(view.extra !== undefined ? { extra: view.extra } : {}),
      };
      for (const t of view.task_list) {
        if (t.open_id === openId || (userId !== undefined && t.user_id === userId)) out.push({ ...t, instance });
      }
    }
    const time = (t: ApprovalTaskEntry) => msOf(t.create_time);
    return out.sort((a, b) => (time(b) > time(a) ? 1 : time(b) < time(a) ? -1 : 0));
  }

  // ---------- definitions ----------

  /**
   * 创建三方审批定义 (create or update by the app's approval_code): approval_name an @i18n@ key of at
   * least 9 characters; approval_code at most 128 characters; external required with support_pc and
   * support_mobile not both false; a new group_code needs group_name; viewers and managers at most
   * 200; every @i18n@ key in the default locale. The first create returns a Lark-generated code
   * (「返回的是真实的 approval_code」); later updates by the same code return the stored one.
   */
  private createDefinition(c: Ctx): Reply {
    this.host.requireScope(c, DEFINITION_SCOPES);
    this.host.limit(c, 'approval.external_approvals.create', PER_SECOND, PER_MINUTE);
    const body = isRecord(c.body) ? c.body : invalid('the body must be a JSON object');
    const userIdType = first(c.query, 'user_id_type') ?? 'open_id';
    if (!['open_id', 'union_id', 'user_id'].includes(userIdType)) invalid('user_id_type must be open_id, union_id or user_id');
    const deptType = first(c.query, 'department_id_type') ?? 'open_department_id';
    if (!['department_id', 'open_department_id'].includes(deptType)) invalid('department_id_type must be department_id or open_department_id');

    const used: { where: string; key: string }[] = [];
    const name = reqString(body, 'approval_name', '');
    // 「approval_name … 必须以 @i18n@ 开头，长度不得少于 9 个字符」.
    if (!name.startsWith(KEY_PREFIX) || name.length < 9) invalid('approval_name must be an @i18n@ key of at least 9 characters');
    used.push({ where: 'approval_name', key: name });
    const ownCode = reqString(body, 'approval_code', '');
    if (ownCode.length > 128) invalid('approval_code is longer than 128 characters');
    const groupCode = optString(body, 'group_code', '');
    const groupName = optString(body, 'group_name', '');
    const description = optString(body, 'description', '');
    for (const [where, v] of [
      ['group_name', groupName],
      ['description', description],
    ] as const) {
      if (v === undefined) continue;
      if (!isKey(v)) invalid(`${where} must be an @i18n@ key`);
      used.push({ where, key: v });
    }
    // 「group_name … 如果 group_code 当前不存在，则该字段必填」.
    const groupKey = groupCode ? `${c.appId}\u0000${groupCode}` : undefined;
    if (groupKey && !this.groups.has(groupKey) && !groupName) invalid('group_name is required for a new group_code');

    const ext = isRecord(body.external) ? body.external : invalid('external is required');
    const external: ExternalConfig = {};
    for (const k of [
      'biz_name',
      'biz_type',
      'create_link_mobile',
      'create_link_pc',
      'action_callback_url',
      'action_callback_token',
      'action_callback_key',
    ] as const) {
      const v = optString(ext, k, 'external.');
      if (v !== undefined) external[k] = v;
    }
    for (const k of [
      'support_pc',
      'support_mobile',
      'support_batch_read',
      'enable_mark_readed',
      'enable_quick_operate',
      'allow_batch_operate',
      'exclude_efficiency_statistics',
    ] as const) {
      const v = optBool(ext, k, 'external.');
      if (v !== undefined) external[k] = v;
    }
    if (external.biz_name !== undefined) {
      if (!isKey(external.biz_name)) invalid('external.biz_name must be an @i18n@ key');
      used.push({ where: 'external.biz_name', key: external.biz_name });
    }
    // 「support_pc 和 support_mobile 不可都为 false」 (both default to false).
    if (!external.support_pc && !external.support_mobile) invalid('external.support_pc and external.support_mobile cannot both be false');
    if (external.action_callback_url !== undefined && !/^https?:\/\//.test(external.action_callback_url))
      invalid('external.action_callback_url must be an http(s) URL');

    let viewers: ApprovalDefinitionView['viewers'];
    if (body.viewers !== undefined) {
      if (!Array.isArray(body.viewers)) invalid('viewers must be an array');
      // 「viewers … 最多 200 个」.
      if (body.viewers.length > 200) invalid('viewers has more than 200 entries');
      viewers = body.viewers.map((v, i) => {
        if (!isRecord(v)) invalid(`viewers[${i}] must be an object`);
        const type = enumOf(v, 'viewer_type', VIEWER_TYPES, `viewers[${i}].`, false);
        const userId = optString(v, 'viewer_user_id', `viewers[${i}].`);
        const deptId = optString(v, 'viewer_department_id', `viewers[${i}].`);
        if (type === 'USER' && !userId) invalid(`viewers[${i}].viewer_user_id is required for USER`);
        if (type === 'DEPARTMENT' && !deptId) invalid(`viewers[${i}].viewer_department_id is required for DEPARTMENT`);
        return { ...(type ? { viewer_type: type } : {}), ...(userId ? { viewer_user_id: userId } : {}), ...(deptId ? { viewer_department_id: deptId } : {}) };
      });
    }
    let managers: string[] | undefined;
    if (body.managers !== undefined) {
      if (!Array.isArray(body.managers) || body.managers.some((m) => typeof m !== 'string')) invalid('managers must be an array of strings');
      // 「managers … 最多 200 个」.
      if (body.managers.length > 200) invalid('managers has more than 200 entries');
      managers = body.managers as string[];
    }
    const i18n = readI18n(body.i18n_resources, true);
    requireKeys(used, i18n);

    const now = Date.now();
    const key = `${c.appId}\u0000${ownCode}`;
    const existing = this.definitions.get(key);
    // 「group_code … 更新审批定义时，如果不传该值，则保留当前分组」; an existing group keeps its name unless
    // group_name renames it.
    const effectiveGroup = groupCode ?? existing?.group_code;
    const effectiveGroupName = groupName ?? (effectiveGroup ? this.groups.get(`${c.appId}\u0000${effectiveGroup}`) : undefined);
    const def: StoredDefinition = {
      appId: c.appId,
      approval_code: existing?.approval_code ?? randomUUID().toUpperCase(),
      own_code: ownCode,
      approval_name: name,
      ...(effectiveGroup ? { group_code: effectiveGroup } : {}),
      ...(effectiveGroupName ? { group_name: effectiveGroupName } : {}),
      ...(description !== undefined ? { description } : {}),
      external,
      ...(viewers ? { viewers } : {}),
      i18n_resources: i18n,
      ...(managers ? { managers } : {}),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (effectiveGroup && groupName) this.groups.set(`${c.appId}\u0000${effectiveGroup}`, groupName);
    this.definitions.set(key, def);
    this.byLarkCode.set(def.approval_code, def);
    this.host.changed('approval');
    return ok({ approval_code: def.approval_code });
  }

  /**
   * 查看指定三方审批定义. The emulator accepts the Lark code or the app's own code and answers with
   * the Lark code; an unknown code gets 1390001 (the page lists no not-found code: a guess).
   */
  private getDefinition(c: Ctx): Reply {
    this.host.requireScope(c, DEFINITION_SCOPES);
    this.host.limit(c, 'approval.external_approvals.get', PER_SECOND, PER_MINUTE);
    const def = this.findDefinition(c.appId, c.params.approval_code ?? '');
    if (!def) invalid(`approval_code ${JSON.stringify(c.params.approval_code)} is not a known definition`);
    return ok({
      approval_name: def.approval_name,
      approval_code: def.approval_code,
      group_code: def.group_code ?? '',
      ...(def.group_name ? { group_name: def.group_name } : {}),
      ...(def.description ? { description: def.description } : {}),
      external: clone(def.external),
      ...(def.viewers ? { viewers: clone(def.viewers) } : {}),
      i18n_resources: clone(def.i18n_resources),
      ...(def.managers ? { managers: [...def.managers] } : {}),
    });
  }

  private findDefinition(appId: string, code: string): StoredDefinition | undefined {
    const byLark = this.byLarkCode.get(code);
    if (byLark?.appId === appId) return byLark;
    return this.definitions.get(`${appId}\u0000${code}`);
  }

  // ---------- instances ----------

  /** 同步三方审批实例: the validation, then REPLACE or UPDATE (see merge). */
  private syncInstance(c: Ctx): Reply {
    this.host.requireScope(c, INSTANCE_SCOPES);
    this.host.limit(c, 'approval.external_instances.create', PER_SECOND, PER_MINUTE);
    const { data, def } = this.readInstance(c);
    const key = `${c.appId}\u0000${data.instance_id}`;
    const existing = this.instances.get(key);
    let stored: StoredInstance;
    if (!existing) {
      stored = { appId: c.appId, def, data, seq: ++this.seq };
      this.instances.set(key, stored);
    } else {
      stored = existing;
      stored.data = data.update_mode === 'UPDATE' ? merge(existing.data, data) : data;
      stored.def = def;
    }
    this.host.changed('approval');
    return ok({ data: clone(stored.data) });
  }

  private readInstance(c: Ctx): { data: ExternalInstance; def: StoredDefinition } {
    const body = isRecord(c.body) ? c.body : invalid('the body must be a JSON object');
    const code = reqString(body, 'approval_code', '');
    // 「approval_code … 创建三方审批定义的返回值」; the emulator also accepts the app's own code.
    const def = this.findDefinition(c.appId, code);
    if (!def) invalid(`approval_code ${JSON.stringify(code)} is not a known third-party definition of this app`);
    const used: { where: string; key: string }[] = [];
    /** Display strings of an instance are i18n keys: 「这里传入的是国际化文案 Key … Key 需要以 @i18n@ 开头」. */
    const keyField = (o: Record<string, unknown>, k: string, where: string): string | undefined => {
      const v = optString(o, k, where);
      if (v === undefined) return undefined;
      if (!isKey(v)) invalid(`${where}${k} must be an @i18n@ key (got ${JSON.stringify(v)})`);
      used.push({ where: `${where}${k}`, key: v });
      return v;
    };

    const instanceId = reqString(body, 'instance_id', '');
    const status = enumOf(body, 'status', INSTANCE_STATUSES, '', true) as ExternalInstance['status'];
    const title = keyField(body, 'title', '');
    let form: ExternalInstance['form'];
    if (body.form !== undefined) {
      if (!Array.isArray(body.form)) invalid('form must be an array');
      form = body.form.map((f, i) => {
        if (!isRecord(f)) invalid(`form[${i}] must be an object`);
        const name = keyField(f, 'name', `form[${i}].`);
        const value = keyField(f, 'value', `form[${i}].`);
        return { ...(name !== undefined ? { name } : {}), ...(value !== undefined ? { value } : {}) };
      });
    }
    const userId = optString(body, 'user_id', '');
    const openId = optString(body, 'open_id', '');
    // 「审批发起人的 open_id 和 user_id 需至少传入一个」.
    if (!userId && !openId) invalid('user_id or open_id (the initiator) is required');
    const userName = keyField(body, 'user_name', '');
    const departmentId = optString(body, 'department_id', '');
    const departmentName = keyField(body, 'department_name', '');
    const startTime = msString(body, 'start_time', '', true)!;
    const endTime = msString(body, 'end_time', '', true)!;
    const updateTime = msString(body, 'update_time', '', true)!;
    const displayMethod = enumOf(body, 'display_method', DISPLAY_METHODS, '', false);
    const updateMode = enumOf(body, 'update_mode', new Set(['REPLACE', 'UPDATE']), '', false) as ExternalInstance['update_mode'];
    const extra = jsonString(body, 'extra', '');

    // IDs of the instance, its tasks and ccs: 「需确保审批实例内各类实体（实例、任务、抄送） ID 在审批实例内的
    // 唯一性，不属于同一实体之间的 ID 也要确保唯一性」. Lark does not say it refuses duplicates (it says the
    // data then does not show); the emulator refuses them so the app finds out.
    const ids = new Set<string>([instanceId]);
    const unique = (id: string, where: string) => {
      if (ids.has(id)) invalid(`${where} ${JSON.stringify(id)} repeats an id of this instance (instance, task and cc ids must all differ)`);
      ids.add(id);
    };

    let taskList: ExternalTask[] | undefined;
    if (body.task_list !== undefined) {
      if (!Array.isArray(body.task_list)) invalid('task_list must be an array');
      // 「task_list … 最大长度：300」 (the Lark copy and the legacy v2 API said 200).
      if (body.task_list.length > 300) invalid('task_list has more than 300 tasks');
      taskList = body.task_list.map((t, i) => {
        const w = `task_list[${i}].`;
        if (!isRecord(t)) invalid(`${w.slice(0, -1)} must be an object`);
        const taskId = reqString(t, 'task_id', w);
        unique(taskId, `${w}task_id`);
        const tUser = optString(t, 'user_id', w);
        const tOpen = optString(t, 'open_id', w);
        // 「user_id 与 open_id 需至少传入一个」.
        if (!tUser && !tOpen) invalid(`${w}user_id or open_id (the approver) is required`);
        const tTitle = keyField(t, 'title', w);
        const tLinks = links(t, w);
        const tStatus = enumOf(t, 'status', TASK_STATUSES, w, true) as ExternalTask['status'];
        const tExtra = jsonString(t, 'extra', w);
        const createTime = msString(t, 'create_time', w, true)!;
        const tEnd = msString(t, 'end_time', w, true)!;
        const tUpdate = msString(t, 'update_time', w, false);
        const actionContext = optString(t, 'action_context', w);
        let actionConfigs: ActionConfig[] | undefined;
        if (t.action_configs !== undefined) {
          if (!Array.isArray(t.action_configs)) invalid(`${w}action_configs must be an array`);
          // 「每个任务都可以配置两个操作」.
          if (t.action_configs.length > 2) invalid(`${w}action_configs has more than 2 actions`);
          actionConfigs = t.action_configs.map((a, j) => {
            const aw = `${w}action_configs[${j}].`;
            if (!isRecord(a)) invalid(`${aw.slice(0, -1)} must be an object`);
            const type = reqString(a, 'action_type', aw);
            const actionName = keyField(a, 'action_name', aw);
            // 「如果 action_type 不等于 APPROVAL 或 REJECT，则必须提供该字段」.
            if (type !== 'APPROVE' && type !== 'REJECT' && !actionName) invalid(`${aw}action_name is required for action_type ${type}`);
            const cfg: ActionConfig = { action_type: type };
            if (actionName !== undefined) cfg.action_name = actionName;
            for (const k of ['is_need_reason', 'is_reason_required', 'is_need_attachment'] as const) {
              const v = optBool(a, k, aw);
              if (v !== undefined) cfg[k] = v;
            }
            return cfg;
          });
        }
        const tDisplay = enumOf(t, 'display_method', DISPLAY_METHODS, w, false);
        const excludeStatistics = optBool(t, 'exclude_statistics', w);
        const nodeId = optString(t, 'node_id', w);
        const nodeName = keyField(t, 'node_name', w);
        // 「generate_type … 可不填，但是不要填空字符串」.
        if (t.generate_type === '') invalid(`${w}generate_type must not be an empty string (leave it out instead)`);
        const generateType = enumOf(t, 'generate_type', new Set(['EXTERNAL_CONSIGN', 'DEFAULT']), w, false);
        const task: ExternalTask = { task_id: taskId, links: tLinks, status: tStatus, create_time: createTime, end_time: tEnd };
        if (tUser) task.user_id = tUser;
        if (tOpen) task.open_id = tOpen;
        if (tTitle !== undefined) task.title = tTitle;
        if (tExtra !== undefined) task.extra = tExtra;
        if (tUpdate !== undefined) task.update_time = tUpdate;
        if (actionContext !== undefined) task.action_context = actionContext;
        if (actionConfigs) task.action_configs = actionConfigs;
        if (tDisplay !== undefined) task.display_method = tDisplay;
        if (excludeStatistics !== undefined) task.exclude_statistics = excludeStatistics;
        if (nodeId !== undefined) task.node_id = nodeId;
        if (nodeName !== undefined) task.node_name = nodeName;
        if (generateType !== undefined) task.generate_type = generateType;
        return task;
      });
    }

    let ccList: ExternalCc[] | undefined;
    if (body.cc_list !== undefined) {
      if (!Array.isArray(body.cc_list)) invalid('cc_list must be an array');
      // 「cc_list … 最大长度：200」.
      if (body.cc_list.length > 200) invalid('cc_list has more than 200 entries');
      ccList = body.cc_list.map((cc, i) => {
        const w = `cc_list[${i}].`;
        if (!isRecord(cc)) invalid(`${w.slice(0, -1)} must be an object`);
        const ccId = reqString(cc, 'cc_id', w);
        unique(ccId, `${w}cc_id`);
        const cUser = optString(cc, 'user_id', w);
        const cOpen = optString(cc, 'open_id', w);
        if (!cUser && !cOpen) invalid(`${w}user_id or open_id is required`);
        const out: ExternalCc = {
          cc_id: ccId,
          links: links(cc, w),
          read_status: enumOf(cc, 'read_status', new Set(['READ', 'UNREAD']), w, true) as ExternalCc['read_status'],
          create_time: msString(cc, 'create_time', w, true)!,
          update_time: msString(cc, 'update_time', w, true)!,
        };
        if (cUser) out.user_id = cUser;
        if (cOpen) out.open_id = cOpen;
        const ccExtra = jsonString(cc, 'extra', w);
        if (ccExtra !== undefined) out.extra = ccExtra;
        // A cc's title is plain text in the doc's example ("xxx"), not a key; a key must still resolve.
        const ccTitle = optString(cc, 'title', w);
        if (ccTitle !== undefined) {
          out.title = ccTitle;
          if (isKey(ccTitle)) used.push({ where: `${w}title`, key: ccTitle });
        }
        const ccDisplay = enumOf(cc, 'display_method', DISPLAY_METHODS, w, false);
        if (ccDisplay !== undefined) out.display_method = ccDisplay;
        return out;
      });
    }

    const i18n = readI18n(body.i18n_resources, true);
    requireKeys(used, i18n);
    // 「form … 最多展示前 3 个，长度不超过 2048 字符」: the page does not say whether the keys or their texts
    // count; the emulator refuses a form whose JSON, or whose default-locale texts, exceed 2048.
    if (form) {
      const texts = defaultTexts(i18n);
      const textLength = form.reduce((n, f) => n + (textOf(texts, f.name)?.length ?? 0) + (textOf(texts, f.value)?.length ?? 0), 0);
      if (JSON.stringify(form).length > 2048 || textLength > 2048) invalid('form is longer than 2048 characters');
    }

    // Everything else the app sent (trusteeship_*, resource_region…) is kept as sent.
    const data: ExternalInstance = {
      ...clone(body),
      approval_code: code,
      status,
      instance_id: instanceId,
      links: links(body, ''),
      start_time: startTime,
      end_time: endTime,
      update_time: updateTime,
      i18n_resources: i18n,
    };
    const set = <K extends keyof ExternalInstance>(k: K, v: ExternalInstance[K] | undefined) => {
      if (v === undefined) delete data[k];
      else data[k] = v;
    };
    set('title', title);
    set('form', form);
    set('user_id', userId);
    set('open_id', openId);
    set('user_name', userName);
    set('department_id', departmentId);
    set('department_name', departmentName);
    set('display_method', displayMethod);
    set('update_mode', updateMode);
    set('extra', extra);
    set('task_list', taskList);
    set('cc_list', ccList);
    return { data, def };
  }

  // ---------- check ----------

  /**
   * 校验三方审批实例, diff rules from 三方审批实例常见问题 (「校验逻辑」), in order: an unknown instance comes
   * back with update_time "0" and no tasks; an unknown task with task update_time "0"; a task whose
   * update_time is not the server's with the server's value (both with the instance's server
   * update_time); otherwise an instance whose update_time is not the server's with the server's value
   * and no tasks. All fields of the request are required. No maximum number of instances or tasks
   * per call is documented; the emulator enforces none.
   */
  private check(c: Ctx): Reply {
    this.host.requireScope(c, CHECK_SCOPES);
    this.host.limit(c, 'approval.external_instances.check', PER_SECOND, PER_MINUTE);
    const body = isRecord(c.body) ? c.body : invalid('the body must be a JSON object');
    if (!Array.isArray(body.instances)) invalid('instances is required');
    const diff: { instance_id: string; update_time: string; tasks: { task_id: string; update_time: string }[] }[] = [];
    for (const [i, raw] of body.instances.entries()) {
      const w = `instances[${i}].`;
      if (!isRecord(raw)) invalid(`${w.slice(0, -1)} must be an object`);
      const instanceId = reqString(raw, 'instance_id', w);
      const updateTime = msString(raw, 'update_time', w, true)!;
      if (!Array.isArray(raw.tasks)) invalid(`${w}tasks is required`);
      const tasks = raw.tasks.map((t, j) => {
        if (!isRecord(t)) invalid(`${w}tasks[${j}] must be an object`);
        return { task_id: reqString(t, 'task_id', `${w}tasks[${j}].`), update_time: msString(t, 'update_time', `${w}tasks[${j}].`, true)! };
      });
      const stored = this.instances.get(`${c.appId}\u0000${instanceId}`)?.data;
      if (!stored) {
        diff.push({ instance_id: instanceId, update_time: '0', tasks: [] });
        continue;
      }
      const serverTasks = new Map((stored.task_list ?? []).map((t) => [t.task_id, t]));
      const taskDiff: { task_id: string; update_time: string }[] = [];
      for (const t of tasks) {
        const s = serverTasks.get(t.task_id);
        if (!s) taskDiff.push({ task_id: t.task_id, update_time: '0' });
        else if (msOf(s.update_time) !== msOf(t.update_time)) taskDiff.push({ task_id: t.task_id, update_time: s.update_time ?? '0' });
      }
      if (taskDiff.length) diff.push({ instance_id: instanceId, update_time: stored.update_time, tasks: taskDiff });
      else if (msOf(stored.update_time) !== msOf(updateTime)) diff.push({ instance_id: instanceId, update_time: stored.update_time, tasks: [] });
    }
    return ok({ diff_instances: diff });
  }

  // ---------- quick approval ----------

  /**
   * The emulator acting as the Approval Center when an approver clicks 同意 / 拒绝 on a task
   * (三方快捷审批回调): it posts the task's action to the definition's action_callback_url. Unless
   * `force`, it first checks what Lark's client would: the task is PENDING (「审批人在待审批的任务上
   * 点击同意或拒绝」), assigned to this person (open_id, or that person's user_id), has the action among its
   * action_configs (「不配置 action_configs 则不展示同意、拒绝按钮」, FAQ) and a reason when
   * is_reason_required. Lark does not change its stored task: the app syncs the instance again.
   */
  async quickApprove(input: QuickApprovalInput): Promise<QuickApprovalResult> {
    const matches = [...this.instances.values()].filter(
      (s) => (input.instanceId === undefined || s.data.instance_id === input.instanceId) && s.data.task_list?.some((t) => t.task_id === input.taskId),
    );
    if (matches.length === 0) throw new QuickApprovalError('找不到这项审批任务');
    if (matches.length > 1) throw new QuickApprovalError('多个审批实例中有这个任务编号，请同时指定实例');
    const stored = matches[0]!;
    const task = stored.data.task_list!.find((t) => t.task_id === input.taskId)!;
    const user: EmulatedUser | undefined = this.host.getUser(input.openId);
    if (!input.force) {
      if (task.status !== 'PENDING') throw new QuickApprovalError('这项任务已经处理过了');
      const mine = task.open_id === input.openId || (user !== undefined && task.user_id !== undefined && task.user_id === user.user_id);
      if (!mine) throw new QuickApprovalError('这项任务不是分配给你的');
      const config = task.action_configs?.find((a) => a.action_type === input.action);
      if (!config) throw new QuickApprovalError(`这项任务没有「${ACTION_TEXT[input.action]}」按钮（未配置 action_configs）`);
      if (config.is_reason_required && !input.reason?.trim()) throw new QuickApprovalError('请填写审批意见');
    }
    const ext = stored.def.external;
    if (!ext.action_callback_url) throw new QuickApprovalError('审批定义没有配置 action_callback_url，不能快捷审批');
    // The fields of 快捷审批回调's request body; user_id is the operator's user_id (there is no open_id).
    const payload: Record<string, unknown> = {
      action_type: input.action,
      ...(task.action_context !== undefined ? { action_context: task.action_context } : {}),
      user_id: user?.user_id ?? '',
      approval_code: stored.def.approval_code,
      instance_id: stored.data.instance_id,
      task_id: task.task_id,
      ...(input.reason ? { reason: input.reason } : {}),
      token: ext.action_callback_token ?? '',
    };
    const res = await fetch(ext.action_callback_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: approvalCallbackBody({ payload, ...(ext.action_callback_key ? { key: ext.action_callback_key } : {}) }),
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    }).catch((e: unknown) => {
      throw new QuickApprovalError(
        e instanceof Error && e.name === 'TimeoutError' ? '审批系统没有在 10 秒内响应' : `无法连接审批系统：${e instanceof Error ? e.message : String(e)}`,
      );
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text
    }
    // 「回调失败时（http code != 200），尝试从 response body 中获取 message 字段并展示给用户」.
    const message = res.status !== 200 && isRecord(body) && typeof body.message === 'string' ? body.message : undefined;
    return { status: res.status, body, ...(message !== undefined ? { message } : {}), sent: payload };
  }

  // ---------- views ----------

  private definitionView(d: StoredDefinition): ApprovalDefinitionView {
    const texts = defaultTexts(d.i18n_resources);
    return { ...clone(d), nameText: textOf(texts, d.approval_name) ?? d.approval_name };
  }

  private instanceView(s: StoredInstance): ApprovalInstanceView {
    const d = clone(s.data);
    const texts = defaultTexts(d.i18n_resources);
    const approvalName = textOf(defaultTexts(s.def.i18n_resources), s.def.approval_name) ?? s.def.approval_name;
    const tasks: ApprovalTaskView[] = (d.task_list ?? []).map((t) => ({
      ...t,
      ...(t.title !== undefined ? { titleText: textOf(texts, t.title) } : {}),
      ...(t.node_name !== undefined ? { nodeText: textOf(texts, t.node_name) } : {}),
      actions: (t.action_configs ?? []).map((a) => ({ ...a, nameText: textOf(texts, a.action_name) ?? ACTION_TEXT[a.action_type] ?? a.action_type })),
    }));
    return {
      ...d,
      appId: s.appId,
      larkApprovalCode: s.def.approval_code,
      approvalName,
      titleText: textOf(texts, d.title) ?? approvalName,
      formText: (d.form ?? []).map((f) => ({ name: textOf(texts, f.name) ?? '', value: textOf(texts, f.value) ?? '' })),
      ...(d.user_name !== undefined ? { userNameText: textOf(texts, d.user_name) } : {}),
      ...(d.department_name !== undefined ? { departmentNameText: textOf(texts, d.department_name) } : {}),
      task_list: tasks,
    };
  }
}

/**
 * update_mode UPDATE (三方审批实例常见问题): nothing is deleted; the instance applies only when its
 * update_time is strictly greater than the stored one (「update_time 一样时，也不会更新数据」), and then
 * each task and cc only when its own update_time is strictly greater (new ones are added). What may
 * not change in UPDATE mode is kept from the stored copy: approval_code, instance_id, department_id,
 * department_name; a task's task_id, user_id, open_id, create_time, node_id, node_name; a cc's
 * cc_id, user_id, open_id, create_time.
 */
function merge(old: ExternalInstance, next: ExternalInstance): ExternalInstance {
  if (msOf(next.update_time) <= msOf(old.update_time)) return old;
  const out: ExternalInstance = { ...next, approval_code: old.approval_code, instance_id: old.instance_id };
  for (const k of ['department_id', 'department_name'] as const) {
    if (old[k] === undefined) delete out[k];
    else out[k] = old[k];
  }
  const tasks = [...(old.task_list ?? [])];
  for (const t of next.task_list ?? []) {
    const i = tasks.findIndex((x) => x.task_id === t.task_id);
    if (i < 0) tasks.push(t);
    else if (msOf(t.update_time) > msOf(tasks[i]!.update_time)) {
      const prev = tasks[i]!;
      const merged: ExternalTask = { ...t, create_time: prev.create_time };
      for (const k of ['user_id', 'open_id', 'node_id', 'node_name'] as const) {
        if (prev[k] === undefined) delete merged[k];
        else merged[k] = prev[k];
      }
      tasks[i] = merged;
    }
  }
  const ccs = [...(old.cc_list ?? [])];
  for (const cc of next.cc_list ?? []) {
    const i = ccs.findIndex((x) => x.cc_id === cc.cc_id);
    if (i < 0) ccs.push(cc);
    else if (msOf(cc.update_time) > msOf(ccs[i]!.update_time)) {
      const prev = ccs[i]!;
      const merged: ExternalCc = { ...cc, create_time: prev.create_time };
      for (const k of ['user_id', 'open_id'] as const) {
        if (prev[k] === undefined) delete merged[k];
        else merged[k] = prev[k];
      }
      ccs[i] = merged;
    }
  }
  if (tasks.length) out.task_list = tasks;
  if (ccs.length) out.cc_list = ccs;
  // Texts of the kept tasks must stay resolvable: the stored texts are kept, the new ones win.
  out.i18n_resources = mergeI18n(old.i18n_resources, next.i18n_resources);
  return out;
}

function mergeI18n(old: I18nResource[], next: I18nResource[]): I18nResource[] {
  const out = clone(next);
  for (const r of old) {
    const target = out.find((x) => x.locale === r.locale) ?? (r.is_default ? out.find((x) => x.is_default) : undefined);
    if (!target) {
      out.push({ ...clone(r), is_default: false });
      continue;
    }
    const have = new Set(target.texts.map((t) => t.key));
    for (const t of r.texts) if (!have.has(t.key)) target.texts.push({ ...t });
  }
  return out;
}
