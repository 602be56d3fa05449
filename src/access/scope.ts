// What an administrator's grants cover: everything (ADMIN_IDS, or a grant without limits), or the
// programmes and regions of their grants (a district bureau: one region; a programme's officer:
// one programme). Reads are filtered through this; whole-programme acts need a region-free area.
import type { Principal } from './principal.js';

/** One covered area; null means "every". */
export interface ScopeArea {
  campaignId: string | null;
  region: string | null;
}

/** Empty when the actor is not an administrator at all. */
export type AdminScope = readonly ScopeArea[];

export const EVERYTHING: AdminScope = [{ campaignId: null, region: null }];

export async function adminScope(p: Principal): Promise<AdminScope> {
  if (p.configuredAdmin) return EVERYTHING;
  return (await p.grants()).filter((g) => g.role === 'admin').map((g) => ({ campaignId: g.campaignId, region: g.region }));
}

export const isUnrestricted = (scope: AdminScope): boolean => scope.some((a) => a.campaignId === null && a.region === null);

/** Some part of the programme (perhaps one region of it). */
export const coversCampaign = (scope: AdminScope, campaignId: string): boolean => scope.some((a) => a.campaignId === null || a.campaignId === campaignId);

/** The whole programme, every region. */
export const coversWholeCampaign = (scope: AdminScope, campaignId: string): boolean =>
  scope.some((a) => (a.campaignId === null || a.campaignId === campaignId) && a.region === null);

export const coversApplication = (scope: AdminScope, app: { campaignId: string; region: string | null }): boolean =>
  scope.some((a) => (a.campaignId === null || a.campaignId === app.campaignId) && (a.region === null || a.region === app.region));

/**
 * A studio belongs to a programme family (weihai, gongshu…): an administrator of any programme of
 * that family (or of every programme) covers it, within their region.
 */
export const coversStudio = (scope: AdminScope, studio: { programme: string; region: string | null }, familyOf: (campaignId: string) => string): boolean =>
  scope.some((a) => (a.campaignId === null || familyOf(a.campaignId) === studio.programme) && (a.region === null || a.region === studio.region));

/** The regions a scope is limited to within a programme, or null when it covers every region. */
export function regionsWithin(scope: AdminScope, campaignId: string | null): string[] | null {
  const areas = scope.filter((a) => a.campaignId === null || a.campaignId === campaignId);
  if (areas.some((a) => a.region === null)) return null;
  return [...new Set(areas.map((a) => a.region as string))];
}

/**
 * The regions an administrator's broadcasts are limited to: null when some area of theirs covers
 * every region; otherwise their regions (a broadcast then reaches only groups tagged with them).
 */
export function audienceRegions(scope: AdminScope): string[] | null {
  if (scope.some((a) => a.region === null)) return null;
  return [...new Set(scope.map((a) => a.region as string))];
}

/** A Prisma `where` for the applications of one programme inside the scope (matches nothing for an empty scope). */
export function applicationsWhere(scope: AdminScope, campaignId: string): Record<string, unknown> {
  const regions = regionsWithin(scope, campaignId);
  return regions === null ? { campaignId } : { campaignId, region: { in: regions } };
}

/** How the scope reads on cards: 全部项目和地区, or 威海2024 · 环翠区. */
export function describeScope(scope: AdminScope, titleOf: (campaignId: string) => string): string {
  if (isUnrestricted(scope)) return '全部项目和地区';
  return scope.map((a) => [a.campaignId ? titleOf(a.campaignId) : '全部项目', a.region ?? '全部地区'].join(' · ')).join('；');
}
