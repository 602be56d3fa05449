// Who may do what: administrators from ADMIN_IDS or granted in the bot, reviewers of a programme
// stage (optionally one region), experts of a programme. Every check runs on the server.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import type { Campaign, Stage } from '../campaigns/schema.js';
import type { Role } from '../../cards/help.js';

export type GrantRole = 'admin' | 'reviewer' | 'expert';

export interface Grant {
  id: string;
  openId: string;
  role: GrantRole;
  campaignId: string | null;
  stageId: string | null;
  region: string | null;
  unitKey: string | null;
}

export interface Actor {
  openId: string;
  userId?: string;
}

export function isConfiguredAdmin(actor: Actor, adminIds: readonly string[]): boolean {
  return adminIds.includes(actor.openId) || (actor.userId !== undefined && adminIds.includes(actor.userId));
}

export async function activeGrants(tx: Tx, openId: string): Promise<Grant[]> {
  const rows = await tx.roleGrant.findMany({ where: { openId, revokedAt: null }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => ({ id: r.id, openId: r.openId, role: r.role as GrantRole, campaignId: r.campaignId, stageId: r.stageId, region: r.region, unitKey: r.unitKey }));
}

export async function isAdmin(tx: Tx, actor: Actor, adminIds: readonly string[]): Promise<boolean> {
  if (isConfiguredAdmin(actor, adminIds)) return true;
  return (await activeGrants(tx, actor.openId)).some((g) => g.role === 'admin');
}

/** The roles shown on the help card. */
export async function rolesOf(tx: Tx, actor: Actor, adminIds: readonly string[]): Promise<Role[]> {
  const grants = await activeGrants(tx, actor.openId);
  const roles: Role[] = ['applicant'];
  if (grants.some((g) => g.role === 'reviewer')) roles.push('reviewer');
  if (grants.some((g) => g.role === 'expert')) roles.push('expert');
  if (isConfiguredAdmin(actor, adminIds) || grants.some((g) => g.role === 'admin')) roles.push('admin');
  return roles;
}

/** Does this grant cover reviewing this application at this stage? */
export function grantCovers(g: Grant, c: Campaign, stage: Stage, region: string | null): boolean {
  if (g.role !== 'reviewer') return false;
  if (g.campaignId && g.campaignId !== c.id) return false;
  if (g.stageId && g.stageId !== stage.id) return false;
  if (stage.scope === 'region' && g.region && g.region !== region) return false;
  // A region-scoped stage needs a reviewer of that region (or one granted every region explicitly).
  return true;
}

/** Everyone who reviews this application at this stage. */
export async function reviewersFor(tx: Tx, c: Campaign, stage: Stage, region: string | null): Promise<string[]> {
  const rows = await tx.roleGrant.findMany({ where: { role: 'reviewer', revokedAt: null } });
  const grants: Grant[] = rows.map((r) => ({ id: r.id, openId: r.openId, role: 'reviewer', campaignId: r.campaignId, stageId: r.stageId, region: r.region, unitKey: r.unitKey }));
  return [...new Set(grants.filter((g) => grantCovers(g, c, stage, region)).map((g) => g.openId))];
}

export async function grantRole(tx: Tx, by: string, g: Omit<Grant, 'id'>): Promise<Grant> {
  const row = await tx.roleGrant.create({ data: { id: randomUUID(), grantedBy: by, ...g } });
  // Known users get their display name filled in the background, for the cards that name them.
  await tx.larkUser.upsert({ where: { openId: g.openId }, create: { openId: g.openId }, update: {} });
  await tx.auditLog.create({ data: { actor: by, action: 'role.granted', subject: g.openId, detail: JSON.stringify(g) } });
  return { ...g, id: row.id };
}

export async function revokeRole(tx: Tx, by: string, grantId: string): Promise<boolean> {
  const { count } = await tx.roleGrant.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 1) await tx.auditLog.create({ data: { actor: by, action: 'role.revoked', subject: grantId } });
  return count === 1;
}

export function describeGrant(g: Pick<Grant, 'role' | 'campaignId' | 'stageId' | 'region'>, campaigns: Campaign[]): string {
  const c = campaigns.find((x) => x.id === g.campaignId);
  const stage = c?.pipeline.find((s) => s.id === g.stageId);
  const what = g.role === 'admin' ? '管理员' : g.role === 'expert' ? '评审专家' : '审核人';
  if (g.role === 'admin') return [what, c ? c.title : g.region ? '全部项目' : '', g.region].filter(Boolean).join(' · ');
  return [what, c ? c.title : '全部项目', stage?.title, g.region].filter(Boolean).join(' · ');
}
