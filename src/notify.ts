// Telling people something: one card to one person or chat, or to the administrators whose scope
// covers what the card is about (ADMIN_IDS cover everything). Every message is an outbox row written
// in the caller's transaction.

import type { Card } from '../cards/components.js';
import { type AdminScope, coversApplication, coversWholeCampaign, isUnrestricted } from './access/scope.js';
import type { Tx } from './db/database.js';
import { enqueue, type Recipient } from './outbox/outbox.js';

/** ADMIN_IDS may hold open_ids (ou_…) or user_ids. */
export const adminRecipient = (id: string): Recipient => ({ receiveIdType: id.startsWith('ou_') ? 'open_id' : 'user_id', receiveId: id });

export const toUser = (openId: string): Recipient => ({ receiveIdType: 'open_id', receiveId: openId });

export const toChat = (chatId: string): Recipient => ({ receiveIdType: 'chat_id', receiveId: chatId });

/** Sends a card; returns the outbox row id (to patch the card later). */
export function sendCard(tx: Tx, to: Recipient, card: Card, cause?: string): Promise<string> {
  return enqueue(tx, { kind: 'send', ...to, msgType: 'interactive', content: card }, cause);
}

/** The administrators a card about something concerns: ADMIN_IDS, and granted ones whose scope `covers` it. */
export async function administrators(tx: Tx, adminIds: readonly string[], covers: (scope: AdminScope) => boolean): Promise<Recipient[]> {
  const grants = await tx.roleGrant.findMany({ where: { role: 'admin', revokedAt: null }, select: { openId: true, campaignId: true, region: true } });
  const scopes = new Map<string, { campaignId: string | null; region: string | null }[]>();
  for (const g of grants)
    if (!adminIds.includes(g.openId)) scopes.set(g.openId, [...(scopes.get(g.openId) ?? []), { campaignId: g.campaignId, region: g.region }]);
  return [...adminIds.map(adminRecipient), ...[...scopes].filter(([, scope]) => covers(scope)).map(([openId]) => toUser(openId))];
}

/**
 * What a card to administrators is about: a whole programme (administrators of all of it), one
 * application in it (also those of its region), or the bot itself (administrators of everything).
 */
export type AdminConcern = { campaign: string } | { campaign: string; region: string | null } | 'everything';

const covering =
  (about: AdminConcern) =>
  (scope: AdminScope): boolean =>
    about === 'everything'
      ? isUnrestricted(scope)
      : 'region' in about
        ? coversApplication(scope, { campaignId: about.campaign, region: about.region })
        : coversWholeCampaign(scope, about.campaign);

/** Tells a card to ADMIN_IDS and to the granted administrators whose scope covers what it is about; returns how many were told. */
export async function tellAdmins(tx: Tx, adminIds: readonly string[], about: AdminConcern, card: Card, cause: string): Promise<number> {
  const to = await administrators(tx, adminIds, covering(about));
  for (const r of to) await sendCard(tx, r, card, cause);
  return to.length;
}
