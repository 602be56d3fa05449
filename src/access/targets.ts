// Resolving what an action is about from the ids in its payload: one small read each, before the
// permission is checked. null when the thing does not exist (the registry refuses without saying
// more, so a made-up id learns nothing).

import type { Campaign } from '../campaigns/schema.js';
import type { Tx } from '../db/database.js';
import { mayReveal, REVEALERS } from '../forms/privacy-policy.js';
import type { Target } from './permissions.js';

export type TargetOf<K extends Target['kind']> = Extract<Target, { kind: K }>;

export function createTargets(campaigns: () => readonly Campaign[]) {
  const campaign = (id: string) => campaigns().find((c) => c.id === id);

  return {
    campaign(campaignId: string | undefined): TargetOf<'programme'> | null {
      return campaignId ? { kind: 'programme', campaignId } : null;
    },

    stage(campaignId: string, stageId: string): TargetOf<'stage'> | null {
      const c = campaign(campaignId);
      const stage = c?.pipeline.find((s) => s.id === stageId);
      return c && stage ? { kind: 'stage', campaign: c, stage } : null;
    },

    async application(tx: Tx, id: string): Promise<TargetOf<'application'> | null> {
      const a = await tx.application.findUnique({ where: { id }, select: { id: true, campaignId: true, region: true, applicantId: true } });
      const c = a && campaign(a.campaignId);
      return a ? { kind: 'application', ...a, revealTo: c ? REVEALERS.filter((r) => mayReveal(c, r)) : [] } : null;
    },

    async task(tx: Tx, id: string): Promise<TargetOf<'task'> | null> {
      const t = await tx.reviewTask.findUnique({ where: { id }, select: { id: true, reviewerId: true, status: true, stageId: true, applicationId: true } });
      if (!t) return null;
      const app = await tx.application.findUnique({ where: { id: t.applicationId }, select: { id: true, campaignId: true, region: true, unitKey: true } });
      const c = app && campaign(app.campaignId);
      const stage = c?.pipeline.find((s) => s.id === t.stageId);
      if (!app || !c || !stage) return null;
      return { kind: 'task', id: t.id, reviewerId: t.reviewerId, status: t.status, campaign: c, stage, app };
    },

    async studio(tx: Tx, id: string): Promise<TargetOf<'studio'> | null> {
      const s = await tx.studio.findUnique({ where: { id }, select: { id: true, programme: true, region: true, contactId: true } });
      return s ? { kind: 'studio', ...s } : null;
    },

    async broadcast(tx: Tx, id: string): Promise<TargetOf<'broadcast'> | null> {
      const b = await tx.broadcast.findUnique({ where: { id }, select: { id: true, campaignId: true, regions: true, createdBy: true } });
      return b
        ? { kind: 'broadcast', id: b.id, campaignId: b.campaignId, regions: b.regions ? (JSON.parse(b.regions) as string[]) : null, createdBy: b.createdBy }
        : null;
    },

    /** A public notice acts for its programme as a whole. */
    async notice(tx: Tx, id: string): Promise<TargetOf<'programme'> | null> {
      const n = await tx.publicNotice.findUnique({ where: { id }, select: { campaignId: true } });
      return n ? { kind: 'programme', campaignId: n.campaignId } : null;
    },

    /** A programme file waiting for 启用 acts for the programme it declares. */
    async campaignUpload(tx: Tx, id: string): Promise<TargetOf<'programme'> | null> {
      const u = await tx.campaignUpload.findUnique({ where: { id }, select: { campaignId: true } });
      return u ? { kind: 'programme', campaignId: u.campaignId } : null;
    },
  };
}

export type Targets = ReturnType<typeof createTargets>;
