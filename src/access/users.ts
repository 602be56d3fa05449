// The people the bot knows, kept in LarkUser: display names for cards ("已由王科长于…作出决定")
// and the choices of the person picker (everyone who wrote to the bot or is in its groups). Read
// from Lark in the background (network work never runs inside a transaction), a little each tick.
import type { Client, Database, Tx } from '../db/database.js';
import type { Messenger } from '../lark/messenger.js';
import type { Logger } from '../log.js';

const DAY_MS = 24 * 3600_000;

/**
 * Records a person the bot has met, with their name or user_id when given. Safe when two
 * transactions meet the same person at once (a message and a click; two instances): the insert
 * is INSERT … ON CONFLICT DO NOTHING, which neither fails nor waits on PostgreSQL or SQLite.
 */
export async function meetPerson(db: Tx | Client, p: { openId: string; name?: string | null; userId?: string | null }): Promise<void> {
  await db.$executeRaw`INSERT INTO "LarkUser" ("openId") VALUES (${p.openId}) ON CONFLICT ("openId") DO NOTHING`;
  const data = { ...(p.name ? { name: p.name } : {}), ...(p.userId ? { userId: p.userId } : {}) };
  if (Object.keys(data).length) await db.larkUser.update({ where: { openId: p.openId }, data });
}

/** Names of users recorded without one; a user Lark does not answer for is asked again a day later. */
export async function fillUserNames(db: Database, messenger: Messenger, limit = 50, log?: Logger): Promise<number> {
  const unnamed = await db.client.larkUser.findMany({
    where: { name: null, OR: [{ nameLookupAt: null }, { nameLookupAt: { lt: new Date(Date.now() - DAY_MS) } }] },
    take: limit,
    orderBy: { firstSeenAt: 'asc' },
  });
  let filled = 0;
  for (const u of unnamed) {
    const name = await messenger.userName(u.openId);
    await db.client.larkUser.update({ where: { openId: u.openId }, data: name ? { name } : { nameLookupAt: new Date() } });
    if (name) filled++;
  }
  if (unnamed.length && !filled) log?.debug({ asked: unnamed.length }, 'no user names from Lark this round');
  return filled;
}

/**
 * Members of the bot's groups, a few groups per call (each group once a day): they become people
 * the person picker offers. Stops at the first refusal (a missing scope is the operator's to fix,
 * and `npm run doctor` names it).
 */
export async function syncGroupMembers(db: Database, messenger: Messenger, log: Logger, groups = 10): Promise<number> {
  const due = await db.client.groupChat.findMany({
    where: { active: true, OR: [{ membersSyncedAt: null }, { membersSyncedAt: { lt: new Date(Date.now() - DAY_MS) } }] },
    orderBy: { joinedAt: 'asc' },
    take: groups,
  });
  let met = 0;
  for (const g of due) {
    let members: { openId: string; name: string }[];
    try {
      members = await messenger.chatMembers(g.chatId);
    } catch (error) {
      log.warn({ err: error, chatId: g.chatId, missingScopes: messenger.missingScopes(error) }, 'could not read the members of a group');
      return met;
    }
    for (const m of members.slice(0, 5000)) {
      await meetPerson(db.client, { openId: m.openId, name: m.name || null });
      met++;
    }
    await db.client.groupChat.update({ where: { chatId: g.chatId }, data: { membersSyncedAt: new Date() } });
  }
  return met;
}

/** How ADMIN_IDS named each administrator, and what became of it. */
export interface AdministratorIds {
  /** entry of ADMIN_IDS → open_id */
  resolved: Map<string, string>;
  unresolved: { entry: string; why: string }[];
}

/**
 * ADMIN_IDS may name administrators by open_id, user_id, mobile or e-mail. Lark puts user_id in
 * events only for apps granted contact:user.employee_id:readonly, so every entry is turned into an
 * open_id once at start, and matching is by open_id alone.
 */
export async function resolveAdministrators(messenger: Messenger, entries: readonly string[]): Promise<AdministratorIds> {
  const result: AdministratorIds = { resolved: new Map(), unresolved: [] };
  const contacts = entries.filter((e) => !e.startsWith('ou_') && (e.includes('@') || /^(\+?86)?1[3-9]\d{9}$/.test(e)));
  const bare = (e: string) => (e.includes('@') ? e.toLowerCase() : e.replace(/^\+?86/, ''));
  if (contacts.length) {
    try {
      const found = await messenger.findUsers({
        mobiles: contacts.filter((e) => !e.includes('@')).map(bare),
        emails: contacts.filter((e) => e.includes('@')).map(bare),
      });
      for (const e of contacts) {
        const id = found.get(bare(e));
        if (id) result.resolved.set(e, id);
        else result.unresolved.push({ entry: e, why: '通讯录中没有这个手机号或邮箱（或此人不在应用的可用范围内）' });
      }
    } catch (error) {
      const scopes = messenger.missingScopes(error);
      for (const e of contacts)
        result.unresolved.push({ entry: e, why: scopes ? `缺少权限 ${scopes.join(' 或 ')}` : `无法查询通讯录：${String((error as Error).message ?? error)}` });
    }
  }
  for (const e of entries.filter((x) => !x.startsWith('ou_') && !contacts.includes(x))) {
    try {
      const id = await messenger.openIdOfUserId(e);
      if (id) result.resolved.set(e, id);
      else result.unresolved.push({ entry: e, why: '没有这个 user_id 的用户' });
    } catch (error) {
      const scopes = messenger.missingScopes(error);
      result.unresolved.push({ entry: e, why: scopes ? `按 user_id 查找需要权限 ${scopes.join(' 或 ')}` : '没有这个 user_id 的用户，或无法查询通讯录' });
    }
  }
  return result;
}
