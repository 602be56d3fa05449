// What an administrator may see: everything (ADMIN_IDS, or an administrator granted without
// limits), or the programmes and regions of their grants (e.g. a district bureau's own region).
// Statistics and exports read applications only through this.
import type { Tx } from '../db/database.js';
import { activeGrants, isConfiguredAdmin, type Actor } from '../review/roles.js';

/** One covered area; null means "every". */
export interface ScopeArea {
  campaignId: string | null;
  region: string | null;
}

/** Empty when the actor is not an administrator at all. */
export type AdminScope = readonly ScopeArea[];

export const EVERYTHING: AdminScope = [{ campaignId: null, region: null }];

export async function adminScope(tx: Tx, actor: Actor, adminIds: readonly string[]): Promise<AdminScope> {
  if (isConfiguredAdmin(actor, adminIds)) return EVERYTHING;
  return (await activeGrants(tx, actor.openId)).filter((g) => g.role === 'admin').map((g) => ({ campaignId: g.campaignId, region: g.region }));
}

export const isUnrestricted = (scope: AdminScope): boolean => scope.some((a) => a.campaignId === null && a.region === null);

export const coversProgramme = (scope: AdminScope, campaignId: string): boolean => scope.some((a) => a.campaignId === null || a.campaignId === campaignId);

export const coversApplication = (scope: AdminScope, app: { campaignId: string; region: string | null }): boolean =>
  scope.some((a) => (a.campaignId === null || a.campaignId === app.campaignId) && (a.region === null || a.region === app.region));

/** A Prisma `where` for the applications of one programme inside the scope (matches nothing for an empty scope). */
export function applicationsWhere(scope: AdminScope, campaignId: string): Record<string, unknown> {
  const areas = scope.filter((a) => a.campaignId === null || a.campaignId === campaignId);
  if (areas.some((a) => a.region === null)) return { campaignId };
  return { campaignId, region: { in: areas.map((a) => a.region as string) } };
}

/** How the scope reads on cards: 全部项目和地区, or 威海2024 · 环翠区. */
export function describeScope(scope: AdminScope, titleOf: (campaignId: string) => string): string {
  if (isUnrestricted(scope)) return '全部项目和地区';
  return scope.map((a) => [a.campaignId ? titleOf(a.campaignId) : '全部项目', a.region ?? '全部地区'].join(' · ')).join('；');
}
