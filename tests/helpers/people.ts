// Appointing people as an administrator does on a real tenant: by mentioning them (角色 @某人) or
// picking them from the people the bot knows, never by typing an id.
import type { Applicant, CardJson } from './applicant.js';

/** A display name for a test person (Lark's mentions always carry one). */
export const nameOf = (openId: string): string => `测试${openId.replace(/^ou_/, '').slice(0, 12)}`;

export const isRolesCard = (card: CardJson): boolean => card.header?.title?.content === '角色管理';

/** The administrator sends "@助手 角色 @person" in a group and grants the role on the card that comes privately. */
export async function appoint(admin: Applicant, openId: string, fields: Record<string, unknown>): Promise<CardJson> {
  // A mention carries the person's name as Lark knows it.
  await admin.sayInGroup('角色', [{ openId, name: admin.h.emulator.getUser(openId)?.name ?? nameOf(openId) }], undefined, isRolesCard);
  return admin.click((b) => b.value.a === 'role.grant', fields);
}
