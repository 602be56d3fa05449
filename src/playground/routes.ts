// The playground (local mode only): a web page that looks like a Lark chat client. What a person
// does there goes the real way: messages and files become signed events posted to /lark/events,
// clicks and form submits become signed card callbacks posted to /lark/callbacks, and what the bot
// sends arrives through the in-process Lark emulator, whose changes the page follows over SSE.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type BitableField, type EmulatedMessage, type LarkEmulator, type PlainValue, QuickApprovalError } from '../emulator/server.js';
import { buildPush, cardAction, deliver, messageEvent, p2pEnteredEvent } from '../emulator/signing.js';
import { PROJECT_ROOT } from '../paths.js';
import type { CallbackAnswer } from '../reply.js';
import type { DemoTime } from './clock.js';

export interface PlaygroundOptions {
  emulator: LarkEmulator;
  appId: string;
  verificationToken: string;
  encryptKey?: string;
  botName: string;
  /** The bot's own base URL (known once it listens). */
  selfUrl: () => string;
  /** The demo clock (local mode): 快进 moves the bot's time forward. */
  demoTime?: DemoTime;
}

const PUBLIC = join(PROJECT_ROOT, 'src', 'playground', 'public');
const FILES: Record<string, string> = { 'app.js': 'text/javascript', 'apps.js': 'text/javascript', 'cards.js': 'text/javascript', 'style.css': 'text/css' };

const say = z.object({ as: z.string().min(1), chatId: z.string().min(1), text: z.string().min(1).max(4000), mention: z.boolean().default(false) });
const file = z.object({ as: z.string().min(1), chatId: z.string().min(1), name: z.string().min(1).max(200), base64: z.string().max(140_000_000) });
const click = z.object({
  as: z.string().min(1),
  chatId: z.string().min(1),
  messageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()).default({}),
  name: z.string().optional(),
  formValue: z.record(z.string(), z.unknown()).optional(),
});
const newUser = z.object({ name: z.string().trim().min(1).max(40) });
const open = z.object({ as: z.string().min(1), chatId: z.string().min(1) });
const move = z.object({ move: z.enum(['day', 'deadline', 'notice', 'reset']) });
const act = z.object({
  as: z.string().min(1),
  taskId: z.string().min(1),
  instanceId: z.string().min(1).optional(),
  action: z.enum(['APPROVE', 'REJECT']),
  reason: z.string().max(1000).optional(),
});

// The Approval Center's words for a task's status (同步三方审批实例: task_list.status).
const TASK_STATUS: Record<string, string> = { PENDING: '待处理', APPROVED: '已同意', REJECTED: '已拒绝', TRANSFERRED: '已转交', DONE: '已完成' };

/** yyyy/MM/dd HH:mm in Beijing time, as the bureaus read dates. */
function beijing(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** A Bitable cell as the 多维表格 grid shows it: dates in Beijing time, numbers as written. */
function cellText(field: BitableField, v: PlainValue): string {
  if (v === null || v === undefined) return '';
  if ((field.type === 5 || field.type === 1001 || field.type === 1002) && typeof v === 'number') return beijing(v);
  if (typeof v === 'boolean') return v ? '☑' : '☐';
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}

function view(m: EmulatedMessage, names: (openId: string) => string, botName: string, fileName: (key: string) => string | undefined) {
  let content: unknown = m.content;
  try {
    content = JSON.parse(m.content);
  } catch {
    // kept as text
  }
  // A file message carries only its key (Lark's file content is {file_key}); the client shows the name it was uploaded with.
  if (m.msg_type === 'file' && content && typeof content === 'object' && 'file_key' in content) {
    const c = content as { file_key: string; file_name?: string };
    content = { ...c, file_name: c.file_name ?? fileName(c.file_key) ?? '文件' };
  }
  const fromBot = m.sender_type === 'app';
  return {
    id: m.message_id,
    fromBot,
    from: fromBot ? botName : names(m.sender_open_id ?? ''),
    fromId: fromBot ? 'bot' : (m.sender_open_id ?? ''),
    type: m.msg_type,
    content,
    time: Number(m.create_time),
    updated: m.updates.length,
  };
}

export async function playground(app: FastifyInstance, opts: PlaygroundOptions): Promise<void> {
  const { emulator } = opts;
  const names = (openId: string) => emulator.getUser(openId)?.name ?? openId;
  const push = (payload: object, route: '/lark/events' | '/lark/callbacks') =>
    deliver(
      `${opts.selfUrl()}${route}`,
      buildPush({ payload, verificationToken: opts.verificationToken, ...(opts.encryptKey ? { encryptKey: opts.encryptKey } : {}) }),
    );
  const common = { appId: opts.appId, token: opts.verificationToken, emulator };
  const chatOf = (chatId: string) => emulator.getChat(chatId);

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(await readFile(join(PUBLIC, 'index.html'))));
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
  app.get<{ Params: { file: string } }>('/playground/:file', async (req, reply) => {
    const type = FILES[req.params.file];
    if (!type) return reply.code(404).send({ error: 'not found' });
    return reply
      .type(`${type}; charset=utf-8`)
      .header('cache-control', 'no-cache')
      .send(await readFile(join(PUBLIC, req.params.file)));
  });

  app.get<{ Querystring: { as?: string } }>('/playground/api/state', async (req) => {
    const as = req.query.as ?? '';
    const users = emulator.listUsers().map((u) => ({ openId: u.open_id, name: u.name }));
    const chats = as
      ? [
          { chatId: emulator.p2pChatId(as), name: opts.botName, type: 'p2p' },
          ...emulator
            .listChats()
            .filter((c) => c.chat_type !== 'p2p' && c.members.includes(as))
            .map((c) => ({ chatId: c.chat_id, name: c.name, type: 'group' })),
        ]
      : [];
    return { bot: opts.botName, users, chats };
  });

  app.get<{ Querystring: { chatId?: string } }>('/playground/api/messages', async (req, reply) => {
    const chatId = req.query.chatId ?? '';
    if (!chatOf(chatId)) return reply.code(404).send({ error: '没有这个会话' });
    return { messages: emulator.chatLog(chatId).map((m) => view(m, names, opts.botName, (key) => emulator.getFile(key)?.fileName)) };
  });

  app.post('/playground/api/users', async (req, reply) => {
    const body = newUser.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '请填写名字（最多 40 个字）' });
    const openId = `ou_play_${randomBytes(8).toString('hex')}`;
    emulator.addUser({ open_id: openId, name: body.data.name });
    // A new person joins the demo groups, as a new colleague would.
    for (const c of emulator.listChats()) if (c.chat_type !== 'p2p') c.members.push(openId);
    return { openId, name: body.data.name };
  });

  // Opening the private chat with the bot: Lark tells the bot (bot_p2p_chat_entered), which
  // greets a person with its welcome card the first time. Sent once per person and chat here.
  const entered = new Set<string>();
  app.post('/playground/api/open', async (req, reply) => {
    const body = open.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '无法识别的会话' });
    const { as, chatId } = body.data;
    const chat = chatOf(chatId);
    if (!chat) return reply.code(404).send({ error: '没有这个会话' });
    if (chat.chat_type !== 'p2p' || !chat.members.includes(as) || entered.has(`${as}|${chatId}`)) return { entered: false };
    entered.add(`${as}|${chatId}`);
    const res = await push(p2pEnteredEvent({ ...common, chatId, operatorOpenId: as }), '/lark/events');
    if (res.status !== 200) entered.delete(`${as}|${chatId}`);
    return reply.code(res.status === 200 ? 200 : 502).send({ entered: res.status === 200 });
  });

  // The demo clock: where the bot's time is, and 快进 (local mode only; absent otherwise).
  const demoTime = opts.demoTime;
  if (demoTime) {
    app.get('/playground/api/clock', async () => demoTime.state());
    app.post('/playground/api/clock', async (req, reply) => {
      const body = move.safeParse(req.body);
      if (!body.success) return reply.code(400).send({ error: '无法识别的操作' });
      return demoTime.move(body.data.move);
    });
  }

  app.post('/playground/api/say', async (req, reply) => {
    const body = say.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '消息不能为空（最多 4000 字）' });
    const { as, chatId, text, mention } = body.data;
    const chat = chatOf(chatId);
    if (!chat) return reply.code(404).send({ error: '没有这个会话' });
    const group = chat.chat_type !== 'p2p';
    const bot = emulator.botOpenId(opts.appId);
    const event = messageEvent({
      ...common,
      sender: { open_id: as },
      chatId,
      chatType: group ? 'group' : 'p2p',
      text: group && mention ? `@_user_1 ${text}` : text,
      ...(group && mention ? { mentions: [{ key: '@_user_1', id: { open_id: bot }, name: opts.botName }] } : {}),
    });
    const res = await push(event, '/lark/events');
    return reply.code(res.status === 200 ? 200 : 502).send({ status: res.status });
  });

  app.post('/playground/api/file', { bodyLimit: 150 * 1024 * 1024 }, async (req, reply) => {
    const body = file.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '文件无法读取' });
    const { as, chatId, name, base64 } = body.data;
    const chat = chatOf(chatId);
    if (!chat) return reply.code(404).send({ error: '没有这个会话' });
    const messageId = `om_${randomBytes(16).toString('hex')}`;
    const key = `file_v3_${messageId.slice(3, 19)}`;
    emulator.putResource(messageId, key, Buffer.from(base64, 'base64'), name);
    const event = messageEvent({
      ...common,
      sender: { open_id: as },
      chatId,
      chatType: chat.chat_type === 'p2p' ? 'p2p' : 'group',
      messageType: 'file',
      content: { file_key: key, file_name: name },
      messageId,
    });
    const res = await push(event, '/lark/events');
    return reply.code(res.status === 200 ? 200 : 502).send({ status: res.status });
  });

  app.post('/playground/api/click', async (req, reply) => {
    const body = click.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '无法识别的操作' });
    const b = body.data;
    const event = cardAction({
      ...common,
      operatorOpenId: b.as,
      openMessageId: b.messageId,
      openChatId: b.chatId,
      value: b.value,
      tag: 'button',
      ...(b.name ? { name: b.name } : {}),
      ...(b.formValue ? { formValue: b.formValue } : {}),
    });
    const res = await push(event, '/lark/callbacks');
    const answer = (res.json ?? {}) as CallbackAnswer;
    // As in Lark, a card in the answer replaces the clicked one.
    if (answer.card?.data) emulator.replaceByCallback(b.messageId, answer.card.data);
    return { status: res.status, toast: answer.toast ?? null, replaced: Boolean(answer.card?.data) };
  });

  app.get<{ Params: { key: string } }>('/playground/api/files/:key', async (req, reply) => {
    const f = emulator.getFile(req.params.key) ?? emulator.getImage(req.params.key);
    if (!f) return reply.code(404).send({ error: '文件不存在' });
    return reply
      .type(f.kind === 'image' ? 'image/png' : 'application/octet-stream')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName ?? req.params.key)}`)
      .send(f.data);
  });

  // 审批中心: the person's tasks the bot synced to the Approval Center (third-party approval), as
  // Lark lists them in 待办 (pending) and 已办 (the rest).
  app.get<{ Querystring: { as?: string } }>('/playground/api/approval/tasks', async (req) => {
    const as = req.query.as ?? '';
    const userName = (openId?: string, userId?: string) =>
      (openId ? emulator.getUser(openId)?.name : undefined) ?? emulator.listUsers().find((u) => userId !== undefined && u.user_id === userId)?.name;
    // DONE tasks are not shown to the approver (同步三方审批实例, task_list.status: 「DONE：任务通过但审批人未
    // 操作。审批人看不到该任务」).
    const tasks = (as ? emulator.approvalTasks(as) : [])
      .filter((t) => t.status !== 'DONE')
      .map((t) => {
        const ended = Number(t.end_time);
        return {
          taskId: t.task_id,
          instanceId: t.instance.instance_id,
          title: t.instance.titleText,
          approvalName: t.instance.approvalName,
          taskTitle: t.titleText ?? null,
          initiator: t.instance.userNameText ?? userName(t.instance.open_id, t.instance.user_id) ?? null,
          form: t.instance.formText.slice(0, 3),
          node: t.nodeText ?? null,
          status: t.status,
          statusText: TASK_STATUS[t.status] ?? t.status,
          pending: t.status === 'PENDING',
          created: beijing(Number(t.create_time)),
          submitted: beijing(Number(t.instance.start_time)),
          ended: ended > 0 ? beijing(ended) : null,
          link: t.links.pc_link ?? t.links.mobile_link ?? t.instance.links.pc_link ?? t.instance.links.mobile_link ?? null,
          // Quick approval offers 同意 and 拒绝 (三方快捷审批回调's action_type); other actions open the link.
          actions: t.actions
            .filter((a) => a.action_type === 'APPROVE' || a.action_type === 'REJECT')
            .map((a) => ({
              type: a.action_type,
              name: a.nameText,
              needReason: Boolean(a.is_need_reason || a.is_reason_required),
              reasonRequired: Boolean(a.is_reason_required),
            })),
        };
      });
    return { todo: tasks.filter((t) => t.pending), done: tasks.filter((t) => !t.pending) };
  });

  // 同意 / 拒绝 in the Approval Center: Lark posts the quick-approval callback to the bot and shows the
  // bot's refusal (its `message`) to the approver.
  app.post('/playground/api/approval/act', async (req, reply) => {
    const body = act.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '无法识别的操作' });
    const b = body.data;
    try {
      const r = await emulator.quickApprove({
        taskId: b.taskId,
        ...(b.instanceId ? { instanceId: b.instanceId } : {}),
        openId: b.as,
        action: b.action,
        ...(b.reason ? { reason: b.reason } : {}),
      });
      if (r.status === 200) return { ok: true, status: r.status, message: b.action === 'APPROVE' ? '已同意，等待助手同步结果' : '已拒绝，等待助手同步结果' };
      const withoutPrefix = typeof r.body === 'object' && r.body !== null && (r.body as { without_prefix?: unknown }).without_prefix === 'true';
      const message = r.message ? (withoutPrefix ? r.message : `操作失败：${r.message}`) : `操作失败：审批系统返回 HTTP ${r.status}`;
      return { ok: false, status: r.status, message };
    } catch (error) {
      if (error instanceof QuickApprovalError) return reply.code(409).send({ error: error.message });
      throw error;
    }
  });

  // 多维表格: every table of every base the emulator holds, as its grid shows them.
  app.get('/playground/api/bitable', async () => ({
    apps: emulator.bitableApps().map((a) => ({
      appToken: a.appToken,
      name: a.name,
      tables: emulator.bitableTables(a.appToken).map((t) => ({
        tableId: t.table_id,
        name: t.name,
        fields: t.fields.map((f) => ({ name: f.field_name, type: f.type })),
        rows: emulator
          .bitableRecords(a.appToken, t.table_id)
          .map((r) => ({ recordId: r.record_id, cells: t.fields.map((f) => cellText(f, r.plain[f.field_name] ?? null)) })),
      })),
    })),
  }));

  // Live updates: every message the bot sends or updates is announced with its chat; changes of
  // the Approval Center and Bitable copies with their kind.
  app.get('/playground/api/stream', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const off = emulator.onMessage((m) => reply.raw.write(`data: ${JSON.stringify({ chatId: m.chat_id, messageId: m.message_id })}\n\n`));
    const offState = emulator.onChange((kind) => reply.raw.write(`data: ${JSON.stringify({ kind })}\n\n`));
    const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      off();
      offState();
      clearInterval(ping);
    });
  });
}
