// Who is acting and what they currently hold: administrators from ADMIN_IDS or granted in the bot,
// reviewers of a programme stage (optionally one region), experts of a programme. Grants are read
// at the moment of every action, so a revoked grant stops every action that rested on it at once.
import { randomUUID } from 'node:crypto';
import type { Campaign, Stage } from '../campaigns/schema.js';
import type { Tx } from '../db/database.js';
import type { Role } from './roles.js';
import { meetPerson } from './users.js';

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

/** The acting Lark user, as the router sees them. */
export interface Actor {
  openId: string;
  userId?: string;
}

/** The actor with what they hold; grants are loaded only when a permission needs them. */
export interface Principal {
  actor: Actor;
  /** Named in ADMIN_IDS (by open_id or user_id): administrator of everything. */
  configuredAdmin: boolean;
  grants(): Promise<readonly Grant[]>;
}

export function isConfiguredAdmin(actor: Actor, adminIds: readonly string[]): boolean {
  return adminIds.includes(actor.openId) || (actor.userId !== undefined && adminIds.includes(actor.userId));
}

const toGrant = (r: {
  id: string;
  openId: string;
  role: string;
  campaignId: string | null;
  stageId: string | null;
  region: string | null;
  unitKey: string | null;
}): Grant => ({
  id: r.id,
  openId: r.openId,
  role: r.role as GrantRole,
  campaignId: r.campaignId,
  stageId: r.stageId,
  region: r.region,
  unitKey: r.unitKey,
});

export async function activeGrants(tx: Tx, openId: string): Promise<Grant[]> {
  const rows = await tx.roleGrant.findMany({ where: { openId, revokedAt: null }, orderBy: { createdAt: 'asc' } });
  return rows.map(toGrant);
}

/** Every active grant of one role (the role table is small: people, not applications). */
export async function grantsOfRole(tx: Tx, role: GrantRole): Promise<Grant[]> {
  const rows = await tx.roleGrant.findMany({ where: { role, revokedAt: null }, orderBy: { createdAt: 'asc' } });
  return rows.map(toGrant);
}

export function principalOf(tx: Tx, actor: Actor, adminIds: readonly string[]): Principal {
  let loaded: Promise<Grant[]> | undefined;
  return { actor, configuredAdmin: isConfiguredAdmin(actor, adminIds), grants: () => (loaded ??= activeGrants(tx, actor.openId)) };
}

export async function isAdministrator(p: Principal): Promise<boolean> {
  return p.configuredAdmin || (await p.grants()).some((g) => g.role === 'admin');
}

/** The roles shown on the help card. */
export async function rolesOf(p: Principal): Promise<Role[]> {
  const grants = await p.grants();
  const roles: Role[] = ['applicant'];
  if (grants.some((g) => g.role === 'reviewer')) roles.push('reviewer');
  if (grants.some((g) => g.role === 'expert')) roles.push('expert');
  if (await isAdministrator(p)) roles.push('admin');
  return roles;
}

/** Does this reviewer grant cover this application at this stage? */
export function reviewerCovers(g: Grant, c: Campaign, stage: Stage, region: string | null): boolean {
  if (g.role !== 'reviewer') return false;
  if (g.campaignId && g.campaignId !== c.id) return false;
  if (g.stageId && g.stageId !== stage.id) return false;
  // A region-scoped stage needs a reviewer of that region (or one granted every region).
  if (stage.scope === 'region' && g.region && g.region !== region) return false;
  return true;
}

/** Does this expert grant let its holder score this programme's application from this unit? */
export function expertCovers(g: Grant, campaignId: string, unitKey: string | null): boolean {
  if (g.role !== 'expert') return false;
  if (g.campaignId && g.campaignId !== campaignId) return false;
  // Recusal: an expert never scores their own unit's application.
  return !(unitKey && g.unitKey && g.unitKey === unitKey);
}

/** Of these reviewer grants, the people who review an application of this region at this stage. */
export function reviewersAmong(grants: readonly Grant[], c: Campaign, stage: Stage, region: string | null): string[] {
  return [...new Set(grants.filter((g) => reviewerCovers(g, c, stage, region)).map((g) => g.openId))];
}

/** Everyone who currently reviews this application at this stage. */
export async function reviewersFor(tx: Tx, c: Campaign, stage: Stage, region: string | null): Promise<string[]> {
  return reviewersAmong(await grantsOfRole(tx, 'reviewer'), c, stage, region);
}

/** Everyone who may currently score this programme's application from this unit, longest-serving first. */
export async function expertsFor(tx: Tx, campaignId: string, unitKey: string | null): Promise<string[]> {
  const grants = await grantsOfRole(tx, 'expert');
  // An expert with any grant for their own unit is recused from it, even if another grant would cover.
  const recused = new Set(grants.filter((g) => unitKey && g.unitKey === unitKey).map((g) => g.openId));
  return [...new Set(grants.filter((g) => expertCovers(g, campaignId, unitKey) && !recused.has(g.openId)).map((g) => g.openId))];
}

export async function grantRole(tx: Tx, by: string, g: Omit<Grant, 'id'>): Promise<Grant> {
  const row = await tx.roleGrant.create({ data: { id: randomUUID(), grantedBy: by, ...g } });
  // Known users get their display name filled in the background, for the cards that name them.
  await meetPerson(tx, { openId: g.openId });
  await tx.auditLog.create({ data: { actor: by, action: 'role.granted', subject: g.openId, detail: JSON.stringify(g) } });
  return { ...g, id: row.id };
}

/** Marks the grant revoked; null when it was revoked already (or never existed). */
export async function revokeGrant(tx: Tx, grantId: string): Promise<Grant | null> {
  const { count } = await tx.roleGrant.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count !== 1) return null;
  return toGrant(await tx.roleGrant.findUniqueOrThrow({ where: { id: grantId } }));
}

export function describeGrant(g: Pick<Grant, 'role' | 'campaignId' | 'stageId' | 'region'>, campaigns: readonly Campaign[]): string {
  const c = campaigns.find((x) => x.id === g.campaignId);
  const stage = c?.pipeline.find((s) => s.id === g.stageId);
  const what = g.role === 'admin' ? '管理员' : g.role === 'expert' ? '评审专家' : '审核人';
  if (g.role === 'admin') return [what, c ? c.title : g.region ? '全部项目' : '不限项目和地区', g.region].filter(Boolean).join(' · ');
  return [what, c ? c.title : '全部项目', stage?.title, g.region].filter(Boolean).join(' · ');
}
