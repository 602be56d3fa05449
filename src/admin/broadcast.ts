// Broadcasts (通知) to the bot's group chats, and the group list with tags. Every delivery is an
// outbox row caused by the broadcast: paced at Lark's limits, sent once (the row id is Lark's
// uuid), retried, and counted for the report straight from the outbox.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Tx } from '../db/database.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Messenger } from '../lark/messenger.js';
import { enqueue } from '../outbox/outbox.js';
import { formatBeijing, parsePickedDateTime } from '../campaigns/schedule.js';
import { broadcastMessageCard, composerCard, groupsCard, previewCard, reportCard, type ReportView } from '../../cards/broadcast.js';
import type { Card } from '../../cards/components.js';
import { isAdmin, type Actor } from '../review/roles.js';

type Reply = { card?: Card; toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string } };

const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('chats'), chatIds: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal('tag'), tags: z.array(z.string()).min(1) }),
]);
type Audience = z.infer<typeof audienceSchema>;

const tagsOf = (json: string): string[] => {
  try {
    const t = JSON.parse(json) as unknown;
    return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** Brings the group table in line with Lark's chat list (bot removed while offline, or added). */
export async function syncGroups(db: Database, messenger: Messenger): Promise<{ active: number; left: number }> {
  const chats = await messenger.listGroupChats();
  const ids = new Set(chats.map((c) => c.chatId));
  for (const c of chats) {
    await db.client.groupChat.upsert({ where: { chatId: c.chatId }, create: { chatId: c.chatId, name: c.name }, update: { name: c.name, active: true, leftAt: null } });
  }
  const { count } = await db.client.groupChat.updateMany({ where: { active: true, chatId: { notIn: [...ids] } }, data: { active: false, leftAt: new Date() } });
  return { active: chats.length, left: count };
}

export function createBroadcasts(deps: { campaigns: () => Campaign[]; adminIds: readonly string[]; now: () => Date; journeyIntro: (tx: Tx, actor: Actor, campaignId: string) => Promise<Card> }) {
  const refuse: Reply = { toast: { type: 'error', content: '只有管理员可以发布通知和管理群聊' } };
  const admin = (tx: Tx, actor: Actor) => isAdmin(tx, actor, deps.adminIds);

  async function groups(tx: Tx) {
    const rows = await tx.groupChat.findMany({ where: { active: true }, orderBy: { joinedAt: 'asc' } });
    return rows.map((g) => ({ chatId: g.chatId, name: g.name ?? g.chatId, tags: tagsOf(g.tags) }));
  }

  async function composer(tx: Tx, error?: string, values?: { title?: string; body?: string }): Promise<Card> {
    const gs = await groups(tx);
    return composerCard({
      campaigns: deps.campaigns().filter((c) => c.kind === 'application').map((c) => ({ id: c.id, title: c.title })),
      groups: gs.map((g) => ({ chatId: g.chatId, name: g.name })),
      tags: [...new Set(gs.flatMap((g) => g.tags))],
      ...(error ? { error } : {}),
      ...(values ? { values } : {}),
    });
  }

  async function recipients(tx: Tx, audience: Audience): Promise<string[]> {
    const gs = await groups(tx);
    if (audience.kind === 'all') return gs.map((g) => g.chatId);
    if (audience.kind === 'chats') return gs.filter((g) => audience.chatIds.includes(g.chatId)).map((g) => g.chatId);
    return gs.filter((g) => g.tags.some((t) => audience.tags.includes(t))).map((g) => g.chatId);
  }

  async function report(tx: Tx, broadcastId: string): Promise<ReportView | null> {
    const b = await tx.broadcast.findUnique({ where: { id: broadcastId } });
    if (!b) return null;
    const rows = await tx.outboxMessage.findMany({ where: { causedBy: broadcastId, kind: 'send' }, select: { status: true, pacingKey: true, lastError: true } });
    const names = new Map((await tx.groupChat.findMany({ where: { chatId: { in: rows.map((r) => r.pacingKey) } } })).map((g) => [g.chatId, g.name ?? g.chatId]));
    return {
      broadcastId,
      title: b.title,
      ...(b.status === 'scheduled' && b.scheduledAt ? { scheduledAt: formatBeijing(b.scheduledAt) } : {}),
      ...(b.status === 'cancelled' ? { cancelled: true } : {}),
      total: rows.length,
      sent: rows.filter((r) => r.status === 'done').length,
      pending: rows.filter((r) => r.status === 'pending' || r.status === 'leased').length,
      failed: rows.filter((r) => r.status === 'dead').map((r) => ({ chat: names.get(r.pacingKey) ?? r.pacingKey, reason: (r.lastError ?? '').replace(/^permanent:\s*/, '') })),
    };
  }

  /** Writes one outbox row per recipient group; only the caller that moved the status gets here. */
  async function startSending(tx: Tx, b: { id: string; title: string; body: string; campaignId: string | null; audience: string }): Promise<number> {
    const campaign = deps.campaigns().find((c) => c.id === b.campaignId);
    const card = broadcastMessageCard({ title: b.title, body: b.body, ...(campaign ? { campaignId: campaign.id, campaignTitle: campaign.title } : {}) });
    const to = await recipients(tx, audienceSchema.parse(JSON.parse(b.audience)));
    for (const chatId of to) {
      await enqueue(tx, { kind: 'send', receiveIdType: 'chat_id', receiveId: chatId, msgType: 'interactive', content: card }, b.id);
    }
    return to.length;
  }

  return {
    /**
     * Starts scheduled broadcasts whose time has come (the scheduler calls this every minute). The
     * audience is resolved now, so groups joined since the preview receive it too.
     */
    async startDue(db: Database): Promise<number> {
      const due = await db.client.broadcast.findMany({ where: { status: 'scheduled', scheduledAt: { lte: deps.now() } }, select: { id: true } });
      let started = 0;
      for (const { id } of due) {
        await db.transaction(async (tx) => {
          // Several instances run the scheduler: the one that moves the status sends.
          const { count } = await tx.broadcast.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'sending', sentAt: deps.now() } });
          if (count !== 1) return;
          const b = await tx.broadcast.findUniqueOrThrow({ where: { id } });
          await startSending(tx, b);
          await tx.auditLog.create({ data: { actor: b.createdBy, action: 'broadcast.sent', subject: b.id, detail: b.title } });
          started++;
        });
      }
      return started;
    },
    composer: async (tx: Tx, actor: Actor): Promise<Card | null> => ((await admin(tx, actor)) ? composer(tx) : null),
    report,
    async handle(tx: Tx, actor: Actor, a: { a: string; b?: string; c?: string; chat?: string; f?: string }, form: Record<string, unknown>, messageId: string | undefined): Promise<Reply> {
      if (a.a === 'b.apply') {
        // In a group the broadcast card is shared: answer with a toast, send the introduction privately.
        const intro = await deps.journeyIntro(tx, actor, a.c ?? '');
        await enqueue(tx, { kind: 'send', receiveIdType: 'open_id', receiveId: actor.openId, msgType: 'interactive', content: intro }, `apply:${a.c}`);
        return { toast: { type: 'success', content: '申报入口已发到您与助手的私聊中' } };
      }
      if (!(await admin(tx, actor))) return refuse;
      switch (a.a) {
        case 'b.compose':
          return { card: await composer(tx) };
        case 'b.preview': {
          const title = typeof form.title === 'string' ? form.title.trim() : '';
          const body = typeof form.body === 'string' ? form.body.trim() : '';
          const kind = form.audience === 'chats' || form.audience === 'tag' ? form.audience : 'all';
          const audience = audienceSchema.safeParse(kind === 'all' ? { kind } : kind === 'chats' ? { kind, chatIds: form.chats ?? [] } : { kind, tags: form.tags ?? [] });
          const picked = typeof form.sendAt === 'string' && form.sendAt.trim() ? form.sendAt : undefined;
          const sendAt = picked ? parsePickedDateTime(picked) : undefined;
          const problem = !title
            ? '请填写标题'
            : !body
              ? '请填写正文'
              : !audience.success
                ? kind === 'chats'
                  ? '请选择要发送的群'
                  : '请选择标签'
                : picked && !sendAt
                  ? '定时发送的时间无法识别，请用时间选择器重新选择'
                  : sendAt && sendAt <= deps.now()
                    ? '定时发送的时间已经过去，请选择以后的时间，或不选（立即发送）'
                    : undefined;
          if (problem) return { card: await composer(tx, problem, { title, body }), toast: { type: 'error', content: problem } };
          const campaign = deps.campaigns().find((c) => c.id === form.campaign);
          const b = await tx.broadcast.create({ data: { id: randomUUID(), title, body, campaignId: campaign?.id ?? null, audience: JSON.stringify(audience.data), createdBy: actor.openId, scheduledAt: sendAt ?? null } });
          const to = await recipients(tx, audience.data!);
          const audienceText = audience.data!.kind === 'all' ? '全部群' : audience.data!.kind === 'chats' ? '选定的群' : `标签：${audience.data!.tags.join('、')}`;
          return { card: previewCard({ broadcastId: b.id, title, body, ...(campaign ? { campaignId: campaign.id, campaignTitle: campaign.title } : {}), recipients: to.length, audienceText, ...(sendAt ? { scheduledAt: formatBeijing(sendAt) } : {}) }) };
        }
        case 'b.send': {
          const b = await tx.broadcast.findUnique({ where: { id: a.b ?? '' } });
          if (!b) return { toast: { type: 'error', content: '这条通知不存在' } };
          // A time that passed while the preview was open sends now rather than never.
          const later = b.scheduledAt !== null && b.scheduledAt > deps.now();
          // Only the first confirmation sends; a second click (or a replay) shows the report.
          const { count } = await tx.broadcast.updateMany({
            where: { id: b.id, status: 'draft' },
            data: { status: later ? 'scheduled' : 'sending', ...(later ? {} : { sentAt: deps.now() }), ...(messageId ? { reportMessageId: messageId } : {}) },
          });
          if (count === 1 && !later) {
            await startSending(tx, b);
            await tx.auditLog.create({ data: { actor: actor.openId, action: 'broadcast.sent', subject: b.id, detail: b.title } });
          }
          if (count === 1 && later) await tx.auditLog.create({ data: { actor: actor.openId, action: 'broadcast.scheduled', subject: b.id, detail: `${formatBeijing(b.scheduledAt!)} ${b.title}` } });
          const toast = count !== 1 ? '已确认过' : later ? `将于 ${formatBeijing(b.scheduledAt!)} 发送` : '开始发送';
          return { card: reportCard((await report(tx, b.id))!), toast: { type: 'success', content: toast } };
        }
        case 'b.cancel': {
          const { count } = await tx.broadcast.updateMany({ where: { id: a.b ?? '', status: 'scheduled' }, data: { status: 'cancelled' } });
          if (count === 1) await tx.auditLog.create({ data: { actor: actor.openId, action: 'broadcast.cancelled', subject: a.b ?? '' } });
          const r = await report(tx, a.b ?? '');
          if (!r) return { toast: { type: 'error', content: '这条通知不存在' } };
          return { card: reportCard(r), toast: count === 1 ? { type: 'success', content: '已取消定时发送' } : { type: 'warning', content: '这条通知已开始发送，无法取消' } };
        }
        case 'b.report': {
          const r = await report(tx, a.b ?? '');
          return r ? { card: reportCard(r) } : { toast: { type: 'error', content: '这条通知不存在' } };
        }
        case 'b.retry': {
          // Same rows, same uuid: a chat that did receive it after all is deduplicated by Lark.
          const { count } = await tx.outboxMessage.updateMany({ where: { causedBy: a.b ?? '', kind: 'send', status: 'dead' }, data: { status: 'pending', attempts: 0, availableAt: new Date(), doneAt: null } });
          await tx.broadcast.updateMany({ where: { id: a.b ?? '' }, data: { status: 'sending' } });
          if (count) await tx.auditLog.create({ data: { actor: actor.openId, action: 'broadcast.retried', subject: a.b ?? '', detail: String(count) } });
          const r = await report(tx, a.b ?? '');
          return { ...(r ? { card: reportCard(r) } : {}), toast: { type: 'success', content: `重发 ${count} 个群` } };
        }
        case 'g.list':
        case 'g.sync':
          return { card: groupsCard({ groups: await groups(tx), ...(a.a === 'g.sync' ? { flash: '已与飞书同步群列表' } : {}) }) };
        case 'g.tag': {
          const raw = form[a.f ?? ''];
          const tags = typeof raw === 'string' ? [...new Set(raw.split(/[,，\s]+/).map((t) => t.trim()).filter(Boolean))].slice(0, 10) : [];
          await tx.groupChat.updateMany({ where: { chatId: a.chat ?? '' }, data: { tags: JSON.stringify(tags) } });
          return { card: groupsCard({ groups: await groups(tx), flash: '标签已保存' }) };
        }
        default:
          return { toast: { type: 'error', content: '无法识别的操作' } };
      }
    },
  };
}

export type Broadcasts = ReturnType<typeof createBroadcasts>;

/**
 * Keeps the administrators' report cards current while broadcasts are sending: a patch when the
 * figures changed (at most one per broadcast per tick, well inside Lark's 5 updates/s per message).
 */
export function createReportRefresher(db: Database, broadcasts: Broadcasts) {
  const last = new Map<string, string>();
  return async function refresh(): Promise<boolean> {
    const sending = await db.client.broadcast.findMany({ where: { status: 'sending', reportMessageId: { not: null } } });
    let patched = false;
    for (const b of sending) {
      await db.transaction(async (tx) => {
        const r = await broadcasts.report(tx, b.id);
        if (!r) return;
        const signature = `${r.sent}/${r.pending}/${r.failed.length}`;
        if (last.get(b.id) !== signature) {
          await enqueue(tx, { kind: 'patch', messageId: b.reportMessageId!, chatId: b.createdBy, card: reportCard(r) }, b.id);
          last.set(b.id, signature);
          patched = true;
        }
        if (r.pending === 0) {
          await tx.broadcast.updateMany({ where: { id: b.id, status: 'sending' }, data: { status: 'done' } });
          last.delete(b.id);
        }
      });
    }
    return patched;
  };
}
