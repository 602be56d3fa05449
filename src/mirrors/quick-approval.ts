// 同意 / 拒绝 from the Approval Center (三方快捷审批回调, open.feishu.cn/document/server-docs/
// approval-v4/external_approval/quick-approval-callback): Lark posts the action to the definition's
// action_callback_url, encrypted with its action_callback_key ({"encrypt": …}, AES-256-CBC with
// sha256(key), as events are) and carrying its action_callback_token. The operator comes as a
// user_id; the action runs as the card's 通过 / 不通过 button does, through the same registration
// and permission check. Lark reads a non-200 answer's `message` and shows it (without_prefix).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { type ActionRegistry, Refused } from '../access/registry.js';
import type { Database } from '../db/database.js';
import type { Messenger } from '../lark/messenger.js';
import { decryptPush, PushRejected, tokenMatches } from '../lark/verify.js';
import type { Logger } from '../log.js';
import { enqueue } from '../outbox/outbox.js';

export const QUICK_APPROVAL_ROUTE = '/lark/approval';

const callback = z.object({
  action_type: z.string().max(64),
  user_id: z.string().min(1).max(128),
  approval_code: z.string().max(256).optional(),
  instance_id: z.string().max(256).optional(),
  task_id: z.string().max(256).optional(),
  /** The task id when the action came from a search result. */
  id: z.string().max(256).optional(),
  action_context: z.string().max(1024).optional(),
  reason: z.string().max(2000).optional(),
  token: z.string().max(256),
});

class Answer extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(text);
  }
}

export interface QuickApprovalOptions {
  db: Database;
  actions: ActionRegistry;
  messenger: Messenger;
  secrets: { token: string; key: string };
  log: Logger;
  /** Something was written to the outbox. */
  notify: () => void;
}

export async function quickApprovalRoute(app: FastifyInstance, opts: QuickApprovalOptions): Promise<void> {
  const { db, actions, messenger, log } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

  /** The person a user_id names: known from earlier, or asked of the contact API (needs contact:user.employee_id:readonly). */
  async function openIdOf(userId: string): Promise<string | undefined> {
    const known = await db.client.larkUser.findFirst({ where: { userId }, select: { openId: true } });
    if (known) return known.openId;
    const openId = await messenger.openIdOfUserId(userId).catch((error: unknown) => {
      log.warn({ err: error, missingScopes: messenger.missingScopes(error) }, 'quick approval: could not map the user_id to a person');
      return undefined;
    });
    if (openId) await db.client.larkUser.upsert({ where: { openId }, create: { openId, userId }, update: { userId } });
    return openId;
  }

  const refuse = (reply: FastifyReply, status: number, text: string) =>
    reply.code(status).send({ code: status, msg: text, message: text, without_prefix: 'true' });

  app.post(QUICK_APPROVAL_ROUTE, async (req, reply) => {
    let payload: z.infer<typeof callback>;
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      let body = JSON.parse(raw) as unknown;
      const encrypted = (body as { encrypt?: unknown } | null)?.encrypt;
      if (typeof encrypted === 'string') body = JSON.parse(decryptPush(encrypted, opts.secrets.key));
      const parsed = callback.safeParse(body);
      if (!parsed.success) return refuse(reply, 400, '请求格式不正确');
      payload = parsed.data;
    } catch (error) {
      log.warn({ ip: req.ip, reason: error instanceof PushRejected ? error.reason : 'not JSON' }, 'rejected a quick-approval callback');
      return refuse(reply, 400, '请求格式不正确');
    }
    if (!tokenMatches(payload.token, opts.secrets.token)) {
      log.warn({ ip: req.ip }, 'rejected a quick-approval callback: wrong token');
      return refuse(reply, 401, '请求未通过校验');
    }
    const decision = payload.action_type === 'APPROVE' ? 'approve' : payload.action_type === 'REJECT' ? 'reject' : undefined;
    if (!decision) return refuse(reply, 400, '这项操作请在「技能大师工作室助手」的对话中完成');
    const taskId = payload.task_id ?? payload.id ?? payload.action_context;
    if (!taskId) return refuse(reply, 400, '缺少审核任务');
    const openId = await openIdOf(payload.user_id);
    if (!openId) return refuse(reply, 403, '无法确认您的身份：请在「技能大师工作室助手」的对话中处理这项审核');

    try {
      await db.urgent(() =>
        db.transaction(async (tx) => {
          const task = await tx.reviewTask.findUnique({ where: { id: taskId } });
          if (!task || (payload.instance_id && task.applicationId !== payload.instance_id)) throw new Answer(404, '这项审核已不存在');
          // Lark may send the same action again: the decision already taken by this person stands.
          if (task.status === 'decided' && task.reviewerId === openId && task.decision === decision) return;
          const answer = await actions.runCard(tx, {
            actor: { openId },
            value: { a: 'r.decide', t: taskId },
            form: { reason: payload.reason ?? '' },
            name: decision,
            messageId: undefined,
          });
          if (!answer) throw new Answer(400, '这项操作请在对话中完成');
          if (answer.toast?.type !== 'success') throw new Answer(409, answer.toast?.content ?? '这项审核没有完成');
          // The task card in the chat shows the decision, as after a click on it.
          if (answer.card && task.cardOutboxId) await enqueue(tx, { kind: 'patch', outboxRef: task.cardOutboxId, chatId: openId, card: answer.card }, task.id);
          await tx.auditLog.create({
            data: { actor: openId, action: 'review.via_approval_center', subject: task.applicationId, detail: `task:${task.id} ${decision}` },
          });
        }),
      );
    } catch (error) {
      if (error instanceof Refused) return refuse(reply, 403, error.reply.toast?.content ?? '没有权限');
      if (error instanceof Answer) return refuse(reply, error.status, error.text);
      throw error;
    }
    opts.notify();
    return reply.send({ code: 0, msg: 'success' });
  });
}
