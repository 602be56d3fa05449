// The contact of an imported studio: found in Lark's directory by the mobile number or e-mail the
// list gave (in the background, since network work never runs inside a transaction), or, when
// the directory does not know them, by a claim code the administrator passes on and the contact
// sends to the bot (认领 ABCD-EFGH). The number and e-mail are dropped once the contact is known.
import { randomInt } from 'node:crypto';
import type { Card } from '../../cards/components.js';
import { claimedCard } from '../../cards/evaluation.js';
import type { Actor } from '../access/principal.js';
import { meetPerson } from '../access/users.js';
import type { Database, Tx } from '../db/database.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';

// No 0/O, 1/I/L: read aloud or typed from a printout without mistakes.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const DAY_MS = 24 * 3600_000;
/** Wrong codes one person may send a day: 31^8 codes make guessing hopeless at this rate. */
export const MAX_CLAIM_ATTEMPTS_PER_DAY = 10;

/** Eight characters from ALPHABET, unused so far. */
export async function newClaimCode(tx: Tx): Promise<string> {
  for (;;) {
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (!(await tx.studio.findUnique({ where: { claimCode: code } }))) return code;
  }
}

/** ABCD-EFGH, as cards show it. */
export const shownClaimCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/** What a person typed after 认领, as a stored code ("abcd efgh", "ABCD－EFGH" → "ABCDEFGH"). */
export function claimCodeOf(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_]/g, '');
}

/** Looks up, 50 at a time, the contacts of studios that have a number or e-mail but no contact yet (each once a day). */
export async function findStudioContacts(db: Database, messenger: Messenger, log: Logger, limit = 100): Promise<number> {
  const due = await db.client.studio.findMany({
    where: {
      contactId: null,
      OR: [{ contactPhone: { not: null } }, { contactEmail: { not: null } }],
      AND: [{ OR: [{ contactLookupAt: null }, { contactLookupAt: { lt: new Date(Date.now() - DAY_MS) } }] }],
    },
    take: limit,
    orderBy: { designatedAt: 'asc' },
  });
  let found = 0;
  for (let i = 0; i < due.length; i += 50) {
    const batch = due.slice(i, i + 50);
    let ids: Map<string, string>;
    try {
      ids = await messenger.findUsers({
        mobiles: batch.flatMap((s) => (s.contactPhone ? [s.contactPhone] : [])),
        emails: batch.flatMap((s) => (s.contactEmail ? [s.contactEmail] : [])),
      });
    } catch (error) {
      // A missing scope is the operator's to fix (npm run doctor names it); the claim codes still work.
      log.warn({ err: error, missingScopes: messenger.missingScopes(error) }, 'could not look up studio contacts in the directory');
      return found;
    }
    for (const s of batch) {
      const openId = (s.contactPhone && ids.get(s.contactPhone)) || (s.contactEmail && ids.get(s.contactEmail)) || undefined;
      await db.transaction(async (tx) => {
        if (!openId) {
          await tx.studio.update({ where: { id: s.id }, data: { contactLookupAt: new Date() } });
          return;
        }
        const { count } = await tx.studio.updateMany({
          where: { id: s.id, contactId: null },
          data: { contactId: openId, claimCode: null, contactPhone: null, contactEmail: null, contactLookupAt: new Date() },
        });
        if (count !== 1) return;
        await meetPerson(tx, { openId });
        await tx.auditLog.create({ data: { actor: 'system', action: 'studio.contact_found', subject: s.id } });
        found++;
      });
    }
  }
  return found;
}

/** 认领 ABCD-EFGH: the sender becomes the contact of the studio with that code. */
export async function claimStudio(tx: Tx, actor: Actor, args: string, now: Date): Promise<Card> {
  const code = claimCodeOf(args);
  if (!code) return claimedCard({ ok: false, text: '请在“认领”后面加上管理员给您的认领码，例如：认领 ABCD-EFGH' });
  const since = new Date(now.getTime() - DAY_MS);
  const failures = await tx.auditLog.count({ where: { actor: actor.openId, action: 'studio.claim_failed', createdAt: { gte: since } } });
  if (failures >= MAX_CLAIM_ATTEMPTS_PER_DAY) return claimedCard({ ok: false, text: '今天输错认领码的次数太多了，请明天再试，或请管理员核对认领码。' });
  const studio = code.length === 8 ? await tx.studio.findUnique({ where: { claimCode: code } }) : null;
  // The guarded update decides between two people sending the same code at once.
  const won = studio
    ? (
        await tx.studio.updateMany({
          where: { id: studio.id, claimCode: code, contactId: null },
          data: { contactId: actor.openId, claimCode: null, contactPhone: null, contactEmail: null },
        })
      ).count === 1
    : false;
  if (!studio || !won) {
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'studio.claim_failed', subject: 'studio' } });
    return claimedCard({
      ok: false,
      text: `认领码“${args.trim().slice(0, 20)}”不正确或已被使用，请核对后重新发送（今天还可以再试 ${MAX_CLAIM_ATTEMPTS_PER_DAY - failures - 1} 次）。`,
    });
  }
  await tx.auditLog.create({ data: { actor: actor.openId, action: 'studio.claimed', subject: studio.id } });
  return claimedCard({ ok: true, text: `您已成为「${studio.name}」（${studio.unitName}）的联系人。绩效评估开始时，我会在这里通知您填写自评。` });
}
