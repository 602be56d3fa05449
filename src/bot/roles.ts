// Who the acting user is to the bot. Administrators come from ADMIN_IDS for now; reviewer and
// expert roles granted in the bot come with the review workflow.
import type { Role } from '../../cards/help.js';

export type { Role };

export interface Actor {
  openId: string;
  userId?: string;
}

export function resolveRoles(actor: Actor, adminIds: readonly string[]): Role[] {
  const roles: Role[] = ['applicant'];
  if (adminIds.includes(actor.openId) || (actor.userId !== undefined && adminIds.includes(actor.userId))) roles.push('admin');
  return roles;
}
