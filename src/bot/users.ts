// Display names for cards ("已由王科长于…作出决定"): looked up through the contact API in the
// background (network work never runs inside a transaction), for users recorded without one.
import type { Database } from '../db/database.js';
import type { Messenger } from '../lark/messenger.js';

export async function fillUserNames(db: Database, messenger: Messenger, limit = 50): Promise<number> {
  const unnamed = await db.client.larkUser.findMany({ where: { name: null }, take: limit, orderBy: { firstSeenAt: 'asc' } });
  let filled = 0;
  for (const u of unnamed) {
    const name = await messenger.userName(u.openId);
    if (!name) continue;
    await db.client.larkUser.update({ where: { openId: u.openId }, data: { name } });
    filled++;
  }
  return filled;
}
