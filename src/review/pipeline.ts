// Moving applications along their programme's pipeline: one place decides what passing a stage
// means, whoever passes it (a reviewer's decision, the experts' ranking confirmed, a region's
// recommendation, the last countersigner's role revoked). The next stage is entered for each
// application, except a public notice, which the administrators start for the whole list: they
// are told once per batch.

import type { Card } from '../../cards/components.js';
import { noticeCard } from '../../cards/journey/index.js';
import { evaluationProgressCard } from '../../cards/review.js';
import { type ApplicationRecord, updateApplication } from '../applications/repository.js';
import type { Campaign, Stage } from '../campaigns/schema.js';
import { termsOf } from '../campaigns/terms.js';
import type { Tx } from '../db/database.js';
import { sendCard, tellAdmins, toUser } from '../notify.js';

export interface PipelineDeps {
  adminIds: readonly string[];
  /** Puts an application at a stage for a round and tells whoever acts there (see workflow.enterStage). */
  enter(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number): Promise<void>;
}

/**
 * Takes the application's row lock: decisions on one application are then taken one transaction
 * at a time, so "has everyone decided?" is counted after the other's decision is visible (on
 * PostgreSQL; SQLite serialises anyway).
 */
export async function lockApplication(tx: Tx, applicationId: string): Promise<void> {
  await tx.application.update({ where: { id: applicationId }, data: { version: { increment: 1 } } });
}

export function createPipeline(deps: PipelineDeps) {
  /**
   * The applications passed `stage`: each moves to the next stage (or out of the pipeline), its
   * applicant gets `told(app, next)`, and the next stage is entered. Returns them as moved.
   * An evaluation's contact is told only where the self-assessment is now, whoever moved it: a
   * grade or a "passed" before the result is published would say what only publication may say.
   */
  async function advance(
    tx: Tx,
    c: Campaign,
    stage: Stage,
    apps: ApplicationRecord[],
    cause: string,
    told: (app: ApplicationRecord, next: Stage | undefined) => Card,
  ): Promise<ApplicationRecord[]> {
    const next = c.pipeline[c.pipeline.findIndex((s) => s.id === stage.id) + 1];
    const t = termsOf(c);
    const tell = (app: ApplicationRecord) =>
      t.evaluation
        ? evaluationProgressCard({
            number: app.number ?? '',
            ...(next ? { nextTitle: next.title } : {}),
            resultNext: next?.kind === 'publicity' || next?.kind === 'publish',
          })
        : told(app, next);
    const moved: ApplicationRecord[] = [];
    for (const app of apps) {
      const m = await updateApplication(tx, app, { stage: next?.id ?? null });
      moved.push(m);
      await sendCard(tx, toUser(app.applicantId), tell(app), cause === app.id ? app.id : `${cause}:${app.id}`);
      // A public notice is started by the administrators for the whole list, not per application.
      if (next && next.kind !== 'publicity') await deps.enter(tx, c, m, next, 1);
    }
    if (next?.kind === 'publicity' && moved.length) {
      const card = noticeCard({
        title: '可以开始公示',
        text: `${c.title}：${t.evaluation ? `${moved.length}个工作室的评估结果已确认` : `${moved.length}份申报通过「${stage.title}」`}，进入「${next.title}」（${moved
          .map((a) => a.number ?? '')
          // In number order, whatever order the confirmation listed them in (PostgreSQL keeps none).
          .sort()
          .join('、')
          .slice(0, 300)}），公示期${next.publicity!.workingDays}个工作日。`,
        template: 'blue',
        buttons: [{ text: '开始公示', value: { a: 'notice.start', c: c.id, s: next.id }, primary: true }],
      });
      await tellAdmins(tx, deps.adminIds, { campaign: c.id }, card, cause);
    }
    return moved;
  }

  return { advance };
}

export type Pipeline = ReturnType<typeof createPipeline>;
