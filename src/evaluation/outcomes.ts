// Publishing an evaluation round's results: each studio's grade and what follows from it
// (consequencesOf) are recorded on the studio with their dates, its status moves on, and the
// contact is told.
import { randomUUID } from 'node:crypto';
import { evaluationResultCard } from '../../cards/evaluation.js';
import { findApplication, updateApplication } from '../applications/repository.js';
import { beijingDay, deadlineInstant } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import { gradeUseLines } from '../campaigns/terms.js';
import type { Tx } from '../db/database.js';
import { sendCard, toUser } from '../notify.js';
import { consequencesOf, type StudioStatus } from './grading.js';
import { campaignFamily } from './registry.js';

const isYes = (v: unknown) => v === true || v === '是';

/** The studio's new status and each consequence as a dated event. */
async function record(tx: Tx, studioId: string, outcome: ReturnType<typeof consequencesOf>, applicationId: string, by: string, today: string): Promise<void> {
  await tx.studio.update({ where: { id: studioId }, data: { status: outcome.status } });
  for (const e of outcome.events)
    await tx.studioEvent.create({
      data: { id: randomUUID(), studioId, kind: e.kind, effectiveOn: today, until: e.until ?? null, detail: e.detail, applicationId, createdBy: by },
    });
}

/** The leader still in post, as the self-assessment says (Gongshu's three questions, Zhenjiang's one). */
export function leaderInPost(answers: Record<string, unknown>): boolean | undefined {
  const keys = ['leaderInSkillPost', 'leaderInUnit', 'leaderNotRetired', 'leaderInPost'].filter((k) => k in answers);
  return keys.length ? keys.every((k) => isYes(answers[k])) : undefined;
}

export async function concludeEvaluations(tx: Tx, c: Campaign, applicationIds: string[], now: Date, by: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  const today = beijingDay(now);
  for (const id of applicationIds) {
    const app = await findApplication(tx, id);
    const row = await tx.application.findUnique({ where: { id } });
    if (!app || !row?.studioId || !row.grade) continue;
    const studio = await tx.studio.findUnique({ where: { id: row.studioId } });
    if (!studio) continue;
    const earlier = await tx.application.findMany({
      where: { studioId: studio.id, status: { in: ['evaluated', 'absent'] }, NOT: { id } },
      orderBy: { createdAt: 'asc' },
      select: { grade: true },
    });
    const inPost = leaderInPost(app.draft.answers as Record<string, unknown>);
    const outcome = consequencesOf(c, {
      grade: row.grade,
      status: studio.status as StudioStatus,
      previousGrades: earlier.map((e) => e.grade ?? ''),
      publishedOn: today,
      ...(inPost !== undefined ? { leaderInPost: inPost } : {}),
    });
    await record(tx, studio.id, outcome, id, by, today);
    await updateApplication(tx, app, { status: 'evaluated', stage: null });
    await tx.auditLog.create({ data: { actor: by, action: 'evaluation.published', subject: studio.id, detail: `${c.id} ${row.grade} → ${outcome.status}` } });
    const lines = outcome.events.filter((e) => e.kind !== 'grade').map((e) => `${e.detail}${e.until ? `（至 ${e.until}）` : ''}`);
    // A rectification that ends in re-evaluation on the unit's request (Weihai): the button to ask.
    const reeval = outcome.status === 'rectifying' && /重新考核评估/.test(outcome.events.map((e) => e.detail).join(''));
    const content = evaluationResultCard({
      studioName: studio.name,
      campaignTitle: c.title,
      grade: row.grade,
      score: row.score,
      uses: gradeUseLines(c, row.grade, lines),
      prefix,
      ...(reeval ? { reevaluateStudioId: studio.id } : {}),
    });
    await sendCard(tx, toUser(app.applicantId), content, `${id}:result`);
    names.push(`${studio.name}（${row.grade}）`);
  }
  // Where the notice says a studio that does not take part is 不合格 (Zhenjiang), the invited
  // studios that never submitted are graded so once the deadline has passed.
  const deadline = deadlineInstant(c);
  if (absentFails(c) && deadline && now > deadline) {
    const absent = await tx.application.findMany({ where: { campaignId: c.id, studioId: { not: null }, status: { in: ['draft', 'returned'] } } });
    for (const row of absent) {
      const studio = await tx.studio.findUnique({ where: { id: row.studioId! } });
      if (!studio) continue;
      const earlier = await tx.application.findMany({
        where: { studioId: studio.id, status: { in: ['evaluated', 'absent'] } },
        orderBy: { createdAt: 'asc' },
        select: { grade: true },
      });
      const outcome = consequencesOf(c, {
        grade: '不合格',
        absent: true,
        status: studio.status as StudioStatus,
        previousGrades: earlier.map((e) => e.grade ?? ''),
        publishedOn: today,
      });
      await record(tx, studio.id, outcome, row.id, by, today);
      await tx.application.update({ where: { id: row.id }, data: { status: 'absent', grade: '不合格', stage: null, version: { increment: 1 } } });
      await tx.auditLog.create({ data: { actor: by, action: 'evaluation.absent', subject: studio.id, detail: `${c.id} 不合格 → ${outcome.status}` } });
      await sendCard(
        tx,
        toUser(row.applicantId),
        evaluationResultCard({
          studioName: studio.name,
          campaignTitle: c.title,
          grade: '不合格',
          absent: true,
          uses: gradeUseLines(
            c,
            '不合格',
            outcome.events.filter((e) => e.kind !== 'grade').map((e) => `${e.detail}${e.until ? `（至 ${e.until}）` : ''}`),
          ),
        }),
        `${row.id}:result`,
      );
      names.push(`${studio.name}（未参加，不合格）`);
    }
  }
  return names;
}

/** The programme's rules say that not taking part is 不合格 (镇江: 对当年不参加评估考核的，直接定为不合格). */
export const absentFails = (c: Campaign) => (c.evaluation?.rules ?? []).some((r) => r.includes('不参加') && r.includes('不合格'));

/**
 * A designated 领衔人变更认定 (Zhenjiang's form, 申报类别): the studio of the programme whose former
 * leader (or former unit) the application names gets the new leader, recorded with the date.
 * Returns the studio's name, or undefined when this is not a leader change or no studio matches
 * (then it is registered as a new studio, as the notice's 认定 of a 新技能大师工作室 reads).
 */
export async function applyLeaderChange(
  tx: Tx,
  c: Campaign,
  app: { id: string; draft: { answers: Record<string, unknown> } },
  now: Date,
): Promise<string | undefined> {
  const a = app.draft.answers;
  if (a.applicationType !== '领衔人变更认定' || typeof a.formerLeaderOrUnit !== 'string') return undefined;
  const former = a.formerLeaderOrUnit.trim();
  const family = campaignFamily(c.id);
  const studio = await tx.studio.findFirst({
    where: { programme: family, status: { in: ['active', 'rectifying'] }, OR: [{ leaderName: former }, { unitName: former }] },
  });
  if (!studio) return undefined;
  const leader = typeof a.leaderName === 'string' ? a.leaderName : '';
  const today = beijingDay(now);
  await tx.studio.update({
    where: { id: studio.id },
    data: { leaderName: leader || studio.leaderName, ...(typeof a.unitName === 'string' && a.unitName ? { unitName: a.unitName } : {}) },
  });
  await tx.studioEvent.create({
    data: {
      id: randomUUID(),
      studioId: studio.id,
      kind: 'leader_change',
      effectiveOn: today,
      detail: `领衔人变更认定：${studio.leaderName ?? former} → ${leader}（${typeof a.changeReason === 'string' ? a.changeReason : '变更'}）`,
      applicationId: app.id,
      createdBy: 'system',
    },
  });
  return studio.name;
}
