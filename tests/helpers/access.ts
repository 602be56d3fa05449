// The refusal a registered action gives, read from the registry itself: tests compare against it
// instead of copying sentences.
import { refusalText } from '../../src/access/permissions.js';
import type { Harness } from './harness.js';

export function refusalOf(h: Pick<Harness, 'app'>, name: string, kind: 'card' | 'command' | 'file' = 'card'): string {
  const spec = h.app.services.actions.list().find((a) => a.kind === kind && a.name === name);
  if (!spec) throw new Error(`no ${kind} action ${name} is registered`);
  return refusalText(spec.permission, spec.describe);
}

/** A digest of everything a refused action must leave as it was (every table the bot writes). */
export async function databaseFingerprint(db: Harness['db']): Promise<string> {
  const c = db.client;
  const { createHash } = await import('node:crypto');
  const state = {
    apps: await c.application.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, status: true, stage: true, version: true, answers: true, score: true, rank: true, unitKey: true },
    }),
    tasks: await c.reviewTask.findMany({ orderBy: { id: 'asc' }, select: { id: true, reviewerId: true, status: true, decision: true } }),
    grants: await c.roleGrant.findMany({ orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } }),
    notices: await c.publicNotice.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    objections: await c.objection.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    studios: await c.studio.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    broadcasts: await c.broadcast.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    campaignUploads: await c.campaignUpload.count(),
    campaignFiles: await c.campaignFile.findMany({ orderBy: { campaignId: 'asc' }, select: { campaignId: true, version: true } }),
    conflicts: await c.unitConflict.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    exports: await c.exportJob.count(),
    audit: await c.auditLog.count(),
    outbox: await c.outboxMessage.count(),
  };
  return createHash('sha256').update(JSON.stringify(state)).digest('hex');
}
