// Broadcasts (通知) to the bot's group chats, and the group list with tags. Every delivery is an
// outbox row caused by the broadcast: paced at Lark's limits, sent once (the row id is Lark's
// uuid), retried, and counted for the report straight from the outbox.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { broadcastMessageCard, composerCard, groupsCard, previewCard, type ReportView, reportCard } from '../../cards/broadcast.js';
import type { Card } from '../../cards/components.js';
import type { Actor } from '../access/principal.js';
import { type AdminScope, audienceRegions, coversCampaign } from '../access/scope.js';
import { formatBeijing, parsePickedDateTime } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Database, Tx } from '../db/database.js';
import type { Messenger } from '../lark/messenger.js';
import { sendCard, toChat, toUser } from '../notify.js';
import { CALLBACK_ANSWER_WINDOW_MS, enqueue } from '../outbox/outbox.js';
import { UNFINISHED_STATUSES } from '../queue/lease-queue.js';
import type { Reply } from '../reply.js';

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
    await db.client.groupChat.upsert({
      where: { chatId: c.chatId },
      create: { chatId: c.chatId, name: c.name },
      update: { name: c.name, active: true, leftAt: null },
    });
  }
  const { count } = await db.client.groupChat.updateMany({ where: { active: true, chatId: { notIn: [...ids] } }, data: { active: false, leftAt: new Date() } });
  return { active: chats.length, left: count };
}

export function createBroadcasts(deps: {
  campaigns: () => Campaign[];
  now: () => Date;
  journeyIntro: (tx: Tx, actor: Actor, campaignId: string) => Promise<Card>;
  /** Whether the author of a scheduled broadcast may still send it (their role may have been revoked since). */
  authorMaySend: (tx: Tx, b: { id: string; campaignId: string | null; regions: string | null; createdBy: string }) => Promise<boolean>;
}) {
  const missing: Reply = { toast: { type: 'error', content: '这条通知不存在' } };

  /** The groups a broadcast limited to `regions` may reach: those tagged with one of them (null: every group). */
  async function groups(tx: Tx, regions: readonly string[] | null = null) {
    const rows = await tx.groupChat.findMany({ where: { active: true }, orderBy: { joinedAt: 'asc' } });
    return rows
      .map((g) => ({ chatId: g.chatId, name: g.name ?? g.chatId, tags: tagsOf(g.tags) }))
      .filter((g) => regions === null || g.tags.some((t) => regions.includes(t)));
  }

  async function composer(tx: Tx, scope: AdminScope, error?: string, values?: { title?: string; body?: string }): Promise<Card> {
    const regions = audienceRegions(scope);
    const gs = await groups(tx, regions);
    return composerCard({
      campaigns: deps
        .campaigns()
        .filter((c) => c.kind === 'application' && coversCampaign(scope, c.id))
        .map((c) => ({ id: c.id, title: c.title })),
      groups: gs.map((g) => ({ chatId: g.chatId, name: g.name })),
      tags: [...new Set(gs.flatMap((g) => g.tags))],
      ...(regions
        ? { audienceNote: `您的管理范围限于${regions.join('、')}：通知只会发往带有这些地区标签的群（标签由不限地区的管理员在“管理群聊”中设置）。` }
        : {}),
      ...(error ? { error } : {}),
      ...(values ? { values } : {}),
    });
  }

  async function recipients(tx: Tx, audience: Audience, regions: readonly string[] | null): Promise<string[]> {
    const gs = await groups(tx, regions);
    if (audience.kind === 'all') return gs.map((g) => g.chatId);
    if (audience.kind === 'chats') return gs.filter((g) => audience.chatIds.includes(g.chatId)).map((g) => g.chatId);
    return gs.filter((g) => g.tags.some((t) => audience.tags.includes(t))).map((g) => g.chatId);
  }

  async function report(tx: Tx, broadcastId: string): Promise<ReportView | null> {
    const b = await tx.broadcast.findUnique({ where: { id: broadcastId } });
    if (!b) return null;
    const rows = await tx.outboxMessage.findMany({
      where: { causedBy: broadcastId, kind: 'send' },
      select: { status: true, pacingKey: true, lastError: true },
    });
    const names = new Map(
      (await tx.groupChat.findMany({ where: { chatId: { in: rows.map((r) => r.pacingKey) } } })).map((g) => [g.chatId, g.name ?? g.chatId]),
    );
    return {
      broadcastId,
      title: b.title,
      ...(b.status === 'scheduled' && b.scheduledAt ? { scheduledAt: formatBeijing(b.scheduledAt) } : {}),
      ...(b.status === 'cancelled' ? { cancelled: true } : {}),
      total: rows.length,
      sent: rows.filter((r) => r.status === 'done').length,
      pending: rows.filter((r) => (UNFINISHED_STATUSES as readonly string[]).includes(r.status)).length,
      failed: rows
        .filter((r) => r.status === 'dead')
        .map((r) => ({ chat: names.get(r.pacingKey) ?? r.pacingKey, reason: (r.lastError ?? '').replace(/^permanent:\s*/, '') })),
    };
  }

  /** Writes one outbox row per recipient group; only the caller that moved the status gets here. */
  async function startSending(
    tx: Tx,
    b: { id: string; title: string; body: string; campaignId: string | null; audience: string; regions: string | null },
  ): Promise<number> {
    const campaign = deps.campaigns().find((c) => c.id === b.campaignId);
    const card = broadcastMessageCard({ title: b.title, body: b.body, ...(campaign ? { campaignId: campaign.id, campaignTitle: campaign.title } : {}) });
    const to = await recipients(tx, audienceSchema.parse(JSON.parse(b.audience)), b.regions ? (JSON.parse(b.regions) as string[]) : null);
    for (const chatId of to) {
      await sendCard(tx, toChat(chatId), card, b.id);
    }
    return to.length;
  }

  const reportReply = async (tx: Tx, id: string, t?: Reply['toast']): Promise<Reply> => {
    const r = await report(tx, id);
    return r ? { card: reportCard(r), ...(t ? { toast: t } : {}) } : missing;
  };

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
          const scheduled = await tx.broadcast.findUniqueOrThrow({ where: { id } });
          // Revoked means revoked: an administrator who lost the role since scheduling sends nothing.
          if (!(await deps.authorMaySend(tx, scheduled))) {
            const { count } = await tx.broadcast.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'cancelled' } });
            if (count === 1)
              await tx.auditLog.create({
                data: { actor: 'system', action: 'broadcast.cancelled', subject: id, detail: `发布人 ${scheduled.createdBy} 已无权发送：定时通知未发出` },
              });
            return;
          }
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
    composer: (tx: Tx, scope: AdminScope, error?: string): Promise<Card> => composer(tx, scope, error),
    report,

    /** In a group the broadcast card is shared: answer with a toast, send the introduction privately. */
    async apply(tx: Tx, actor: Actor, campaignId: string): Promise<Reply> {
      const intro = await deps.journeyIntro(tx, actor, campaignId);
      await sendCard(tx, toUser(actor.openId), intro, `apply:${campaignId}`);
      return { toast: { type: 'success', content: '申报入口已发到您与助手的私聊中' } };
    },

    /** The composer's form: checked, stored as a draft and shown as the groups will see it. */
    async preview(tx: Tx, actor: Actor, scope: AdminScope, form: Record<string, unknown>): Promise<Reply> {
      const title = typeof form.title === 'string' ? form.title.trim() : '';
      const body = typeof form.body === 'string' ? form.body.trim() : '';
      const kind = form.audience === 'chats' || form.audience === 'tag' ? form.audience : 'all';
      const audience = audienceSchema.safeParse(
        kind === 'all' ? { kind } : kind === 'chats' ? { kind, chatIds: form.chats ?? [] } : { kind, tags: form.tags ?? [] },
      );
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
      if (problem) return { card: await composer(tx, scope, problem, { title, body }), toast: { type: 'error', content: problem } };
      // The programme was checked against the scope by the registry (broadcast.compose).
      const campaign = deps.campaigns().find((c) => c.id === form.campaign);
      const regions = audienceRegions(scope);
      const b = await tx.broadcast.create({
        data: {
          id: randomUUID(),
          title,
          body,
          campaignId: campaign?.id ?? null,
          audience: JSON.stringify(audience.data),
          regions: regions ? JSON.stringify(regions) : null,
          createdBy: actor.openId,
          scheduledAt: sendAt ?? null,
        },
      });
      const to = await recipients(tx, audience.data!, regions);
      const within = regions ? `${regions.join('、')}的` : '';
      const audienceText =
        audience.data!.kind === 'all'
          ? `${within}全部群`
          : audience.data!.kind === 'chats'
            ? `${within}选定的群`
            : `${within}标签：${audience.data!.tags.join('、')}`;
      return {
        card: previewCard({
          broadcastId: b.id,
          title,
          body,
          ...(campaign ? { campaignId: campaign.id, campaignTitle: campaign.title } : {}),
          recipients: to.length,
          audienceText,
          ...(sendAt ? { scheduledAt: formatBeijing(sendAt) } : {}),
        }),
      };
    },

    async send(tx: Tx, actor: Actor, broadcastId: string, messageId: string | undefined): Promise<Reply> {
      const b = await tx.broadcast.findUnique({ where: { id: broadcastId } });
      if (!b) return missing;
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
      if (count === 1 && later)
        await tx.auditLog.create({
          data: { actor: actor.openId, action: 'broadcast.scheduled', subject: b.id, detail: `${formatBeijing(b.scheduledAt!)} ${b.title}` },
        });
      const toast = count !== 1 ? '已确认过' : later ? `将于 ${formatBeijing(b.scheduledAt!)} 发送` : '开始发送';
      return reportReply(tx, b.id, { type: 'success', content: toast });
    },

    async cancel(tx: Tx, actor: Actor, broadcastId: string): Promise<Reply> {
      const { count } = await tx.broadcast.updateMany({ where: { id: broadcastId, status: 'scheduled' }, data: { status: 'cancelled' } });
      if (count === 1) await tx.auditLog.create({ data: { actor: actor.openId, action: 'broadcast.cancelled', subject: broadcastId } });
      return reportReply(
        tx,
        broadcastId,
        count === 1 ? { type: 'success', content: '已取消定时发送' } : { type: 'warning', content: '这条通知已开始发送，无法取消' },
      );
    },

    showReport: (tx: Tx, broadcastId: string): Promise<Reply> => reportReply(tx, broadcastId),

    async retry(tx: Tx, actor: Actor, broadcastId: string): Promise<Reply> {
      // Same rows, same uuid: a chat that did receive it after all is deduplicated by Lark.
      const { count } = await tx.outboxMessage.updateMany({
        where: { causedBy: broadcastId, kind: 'send', status: 'dead' },
        data: { status: 'pending', attempts: 0, availableAt: new Date(), doneAt: null },
      });
      await tx.broadcast.updateMany({ where: { id: broadcastId }, data: { status: 'sending' } });
      if (count) await tx.auditLog.create({ data: { actor: actor.openId, action: 'broadcast.retried', subject: broadcastId, detail: String(count) } });
      return reportReply(tx, broadcastId, { type: 'success', content: `重发 ${count} 个群` });
    },

    /** The groups the administrator's broadcasts can reach, with their tags. */
    async groupList(tx: Tx, scope: AdminScope, flash?: string): Promise<Reply> {
      return { card: groupsCard({ groups: await groups(tx, audienceRegions(scope)), ...(flash ? { flash } : {}) }) };
    },

    async tag(tx: Tx, scope: AdminScope, chatId: string, field: string, form: Record<string, unknown>): Promise<Reply> {
      const raw = form[field];
      const tags =
        typeof raw === 'string'
          ? [
              ...new Set(
                raw
                  .split(/[,，\s]+/)
                  .map((t) => t.trim())
                  .filter(Boolean),
              ),
            ].slice(0, 10)
          : [];
      await tx.groupChat.updateMany({ where: { chatId }, data: { tags: JSON.stringify(tags) } });
      return { card: groupsCard({ groups: await groups(tx, audienceRegions(scope)), flash: '标签已保存' }) };
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
          // The report replaced the clicked card in the callback's answer: patches wait until that answer is in.
          await enqueue(
            tx,
            { kind: 'patch', messageId: b.reportMessageId!, chatId: b.createdBy, card: reportCard(r) },
            b.id,
            b.sentAt ? new Date(b.sentAt.getTime() + CALLBACK_ANSWER_WINDOW_MS) : undefined,
          );
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
