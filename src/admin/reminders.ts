// Deadline reminders (截止提醒): N days before a programme's deadline, every applicant with an
// unfinished draft gets what is still missing and 继续填写; N days before a stage deadline, every
// reviewer with pending items of that stage gets 待办. Each reminder is claimed once with a
// unique counter key in the transaction that queues its messages, so several instances and
// repeated scheduler runs send it once.

import type { Card } from '../../cards/components.js';
import { act } from '../../cards/journey/actions.js';
import { noticeCard } from '../../cards/journey/index.js';
import type { TodoView } from '../../cards/review.js';
import type { Actor } from '../access/principal.js';
import { findApplications } from '../applications/repository.js';
import { deadlineInstant, formatBeijing, reminderDue } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { termsOf } from '../campaigns/terms.js';
import { type Database, isUniqueViolation, Prisma, type Tx } from '../db/database.js';
import { completeness } from '../forms/engine.js';
import { sendCard, toUser } from '../notify.js';

const SHOWN = 8;

/** What an applicant still has to do, in the words the journey uses. */
export function missingLines(c: Campaign, draft: Parameters<typeof completeness>[1]): string[] {
  const m = completeness(c, draft);
  return [
    ...m.missingFields.map((f) => `填写「${f.label}」`),
    ...m.rowCounts.map((r) => r.message),
    ...m.missingAttachments.map((a) => `上传「${a.label}」`),
    ...(m.unconfirmed.length ? [`确认承诺事项（${m.unconfirmed.length} 项）`] : []),
  ];
}

export function createReminders(deps: {
  campaigns: () => Campaign[];
  now: () => Date;
  todo: (tx: Tx, actor: Actor, deadline: TodoView['deadline']) => Promise<Card>;
}) {
  /** Claims a reminder key; false when another run already sent it. */
  async function claim(db: Database, key: string, send: (tx: Tx) => Promise<number>): Promise<number> {
    try {
      return await db.transaction(async (tx) => {
        await tx.counter.create({ data: { key, value: 1 } });
        return send(tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 0;
      throw error;
    }
  }

  async function remindApplicants(tx: Tx, c: Campaign, days: number, deadline: Date): Promise<number> {
    const drafts = await tx.application.findMany({ where: { campaignId: c.id, status: 'draft' }, select: { id: true } });
    let sent = 0;
    // Read 200 drafts at a time (two queries each), not one by one.
    const apps = [];
    for (let i = 0; i < drafts.length; i += 200)
      apps.push(
        ...(await findApplications(
          tx,
          drafts.slice(i, i + 200).map((d) => d.id),
        )),
      );
    for (const app of apps) {
      const missing = missingLines(c, app.draft);
      const t = termsOf(c);
      const text = [
        `「${c.title}」的${t.submission}将于 ${formatBeijing(deadline)} 截止，您的${t.submission}还没有提交。`,
        missing.length
          ? `还需要：\n${missing
              .slice(0, SHOWN)
              .map((l) => `- ${l}`)
              .join('\n')}${missing.length > SHOWN ? `\n- ……等共 ${missing.length} 项` : ''}`
          : '内容已经填完，检查无误后提交即可。',
        `${t.late}；已填写的内容都已保存。`,
      ].join('\n\n');
      const card = noticeCard({
        title: `${t.submission}截止还有 ${days} 天`,
        text,
        template: days <= 1 ? 'red' : 'orange',
        buttons: [{ text: '继续填写', value: act({ a: 'j.start', c: c.id }), primary: true }],
      });
      await sendCard(tx, toUser(app.applicantId), card, `remind:${c.id}`);
      sent++;
    }
    return sent;
  }

  async function remindReviewers(tx: Tx, c: Campaign, stageId: string, days: number, deadline: Date): Promise<number> {
    const reminder = { stageTitle: c.pipeline.find((s) => s.id === stageId)?.title ?? stageId, at: formatBeijing(deadline), days };
    // The reviewers with pending work at this stage of this programme, found in the database.
    const reviewers = (
      await tx.$queryRaw<{ reviewerId: string }[]>(Prisma.sql`SELECT DISTINCT t."reviewerId" AS "reviewerId"
        FROM "ReviewTask" t JOIN "Application" a ON a."id" = t."applicationId"
        WHERE t."status" = 'pending' AND t."stageId" = ${stageId} AND a."campaignId" = ${c.id} AND a."stage" = ${stageId} AND a."status" = 'submitted'
        ORDER BY 1`)
    ).map((r) => r.reviewerId);
    for (const r of reviewers) await sendCard(tx, toUser(r), await deps.todo(tx, { openId: r }, reminder), `remind:${c.id}:${stageId}`);
    return reviewers.length;
  }

  return {
    /** Sends the reminders due now; returns how many messages were queued. */
    async run(db: Database): Promise<number> {
      const now = deps.now();
      let queued = 0;
      for (const c of deps.campaigns()) {
        const r = c.schedule.reminders;
        const deadline = deadlineInstant(c);
        const days = deadline && reminderDue(deadline, r, now);
        if (deadline && days) queued += await claim(db, `remind:${c.id}:${deadline.toISOString()}:${days}`, (tx) => remindApplicants(tx, c, days, deadline));
        for (const [stageId, at] of Object.entries(c.schedule.stageDeadlines)) {
          const stageDeadline = deadlineInstant({ schedule: { opensAt: c.schedule.opensAt, deadline: at } })!;
          const d = reminderDue(stageDeadline, r, now);
          if (d)
            queued += await claim(db, `remind:${c.id}:${stageId}:${stageDeadline.toISOString()}:${d}`, (tx) =>
              remindReviewers(tx, c, stageId, d, stageDeadline),
            );
        }
      }
      return queued;
    },
  };
}
