// The acting user as the router sees them. Roles live in src/review/roles.ts (ADMIN_IDS plus
// roles granted in the bot).
import type { Role } from '../../cards/help.js';

export type { Role };

export interface Actor {
  openId: string;
  userId?: string;
}
