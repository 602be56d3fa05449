// Erasing one person's data on request (PIPL art. 47): an administrator of everything names the
// person by one of their application numbers, sees what will go, and confirms. What remains is an
// audit entry that names a pseudonym, never the person.
import { createHash } from 'node:crypto';
import type { Card } from '../../cards/components.js';
import { eraseConfirmCard, erasedCard, eraseHelpCard } from '../../cards/privacy.js';
import type { Actor } from '../access/principal.js';
import type { Campaign } from '../campaigns/schema.js';
import { stateOf } from '../campaigns/states.js';
import type { Tx } from '../db/database.js';
import { UNCLAIMED_STATUSES } from '../queue/lease-queue.js';
import type { Reply } from '../reply.js';
import { deleteApplications, REMOVED_CARD, REMOVED_PAYLOAD } from './retention.js';

/** How an erased person is named in the audit log: stable (entries still group together), not reversible without the open_id. */
export function erasedPseudonym(openId: string): string {
  return `erased:${createHash('sha256').update(openId).digest('hex').slice(0, 12)}`;
}

const APPLICATION_NUMBER = /^[A-Z]{2,4}\d{4}-\d{3,6}$/;

export function createErasure(deps: { campaigns: () => readonly Campaign[] }) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);

  async function whoIs(tx: Tx, openId: string): Promise<string> {
    return (await tx.larkUser.findUnique({ where: { openId } }))?.name ?? '这位申报人';
  }

  return {
    /** 删除个人信息 WH2026-0007: what erasing this application's applicant would remove. */
    async preview(tx: Tx, args: string): Promise<Card> {
      const word = args.normalize('NFKC').trim().toUpperCase();
      if (!word) return eraseHelpCard();
      if (!APPLICATION_NUMBER.test(word)) return eraseHelpCard(`“${args.trim().slice(0, 30)}”不是申报编号，请写申报编号，如 WH2026-0007。`);
      const app = await tx.application.findUnique({ where: { number: word }, select: { applicantId: true } });
      if (!app) return eraseHelpCard(`没有编号为 ${word} 的申报，请核对编号。`);
      const openId = app.applicantId;
      const apps = await tx.application.findMany({
        where: { applicantId: openId },
        select: { number: true, campaignId: true, status: true, stage: true },
        orderBy: { createdAt: 'asc' },
      });
      return eraseConfirmCard({
        openId,
        who: await whoIs(tx, openId),
        applications: apps.map((a) => {
          const c = campaign(a.campaignId);
          return { number: a.number ?? '（未提交）', title: c?.title ?? a.campaignId, statusText: c ? stateOf(c, a) : a.status };
        }),
        studios: await tx.studio.count({ where: { contactId: openId } }),
        objections: await tx.objection.count({ where: { openId } }),
      });
    },

    /** 确认删除: removes the person's applications, files, messages and name; the audit log keeps a pseudonym. */
    async erase(tx: Tx, actor: Actor, openId: string): Promise<Reply> {
      const who = await whoIs(tx, openId);
      const apps = await tx.application.findMany({ where: { applicantId: openId }, select: { id: true } });
      const appIds = apps.map((a) => a.id);
      const taskIds = (await tx.reviewTask.findMany({ where: { applicationId: { in: appIds } }, select: { id: true } })).map((t) => t.id);
      const { uploads } = await deleteApplications(tx, appIds);
      const loose = await tx.upload.deleteMany({ where: { ownerId: openId } });
      await tx.objection.deleteMany({ where: { openId } });
      await tx.studio.updateMany({ where: { contactId: openId }, data: { contactId: null, contactName: null, contactPhone: null, contactEmail: null } });
      // What they typed and what was sent about them: the rows stay (deduplication, later patches), the content goes.
      const inbox = await tx.inboxEvent.updateMany({
        where: { status: { in: ['done', 'dead'] }, payload: { contains: openId } },
        data: { payload: REMOVED_PAYLOAD },
      });
      const causes = [...appIds, ...taskIds];
      const outbox = await tx.outboxMessage.updateMany({
        where: { status: { in: ['done', 'dead'] }, OR: [{ pacingKey: openId }, { causedBy: { in: causes } }, { payload: { contains: openId } }] },
        data: { payload: REMOVED_CARD },
      });
      const pseudonym = erasedPseudonym(openId);
      // The open_id also keys the ordering of their events and the pacing of messages to them.
      await tx.inboxEvent.updateMany({ where: { orderingKey: openId, status: { in: ['done', 'dead'] } }, data: { orderingKey: pseudonym } });
      await tx.outboxMessage.updateMany({ where: { pacingKey: openId, status: { in: ['done', 'dead'] } }, data: { pacingKey: pseudonym } });
      // Messages still waiting to go to them are about what was just erased.
      await tx.outboxMessage.deleteMany({ where: { pacingKey: openId, status: { in: [...UNCLAIMED_STATUSES] } } });
      await tx.larkUser.deleteMany({ where: { openId } });
      await tx.auditLog.updateMany({ where: { actor: openId }, data: { actor: pseudonym } });
      await tx.auditLog.updateMany({ where: { subject: openId }, data: { subject: pseudonym } });
      const counts = { applications: appIds.length, uploads: uploads.length + loose.count, messages: inbox.count + outbox.count };
      await tx.auditLog.create({ data: { actor: actor.openId, action: 'person.erased', subject: pseudonym, detail: JSON.stringify(counts) } });
      return { card: erasedCard({ who, ...counts }), toast: { type: 'success', content: '已删除' } };
    },
  };
}

export type Erasure = ReturnType<typeof createErasure>;
