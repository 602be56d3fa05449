// Telling people something: one card to one person or chat, or to the administrators whose scope
// covers what the card is about (ADMIN_IDS cover everything). Every message is an outbox row written
// in the caller's transaction.
import type { Tx } from './db/database.js';
import type { Card } from '../cards/components.js';
import { enqueue, type Recipient } from './outbox/outbox.js';
import type { AdminScope } from './access/scope.js';

/** ADMIN_IDS may hold open_ids (ou_…) or user_ids. */
export const adminRecipient = (id: string): Recipient => ({ receiveIdType: id.startsWith('ou_') ? 'open_id' : 'user_id', receiveId: id });

export const toUser = (openId: string): Recipient => ({ receiveIdType: 'open_id', receiveId: openId });

/** Sends a card; returns the outbox row id (to patch the card later). */
export function sendCard(tx: Tx, to: Recipient, card: Card, cause?: string): Promise<string> {
  return enqueue(tx, { kind: 'send', ...to, msgType: 'interactive', content: card }, cause);
}

/** The administrators a card about something concerns: ADMIN_IDS, and granted ones whose scope `covers` it. */
export async function administrators(tx: Tx, adminIds: readonly string[], covers: (scope: AdminScope) => boolean): Promise<Recipient[]> {
  const grants = await tx.roleGrant.findMany({ where: { role: 'admin', revokedAt: null }, select: { openId: true, campaignId: true, region: true } });
  const scopes = new Map<string, { campaignId: string | null; region: string | null }[]>();
  for (const g of grants) if (!adminIds.includes(g.openId)) scopes.set(g.openId, [...(scopes.get(g.openId) ?? []), { campaignId: g.campaignId, region: g.region }]);
  return [...adminIds.map(adminRecipient), ...[...scopes].filter(([, scope]) => covers(scope)).map(([openId]) => toUser(openId))];
}

export async function tellAdministrators(tx: Tx, adminIds: readonly string[], covers: (scope: AdminScope) => boolean, card: Card, cause: string): Promise<number> {
  const to = await administrators(tx, adminIds, covers);
  for (const r of to) await sendCard(tx, r, card, cause);
  return to.length;
}
