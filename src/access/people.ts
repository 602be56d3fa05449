// People named by how a bureau knows them: a mobile number or an e-mail, never a Lark id. The
// parsing is pure; the lookup in Lark's directory is the caller's (before its transaction).
import { checkEmail, checkMobile } from '../rules/contact.js';
import { maskPhone } from '../rules/mask.js';

export interface ContactList {
  /** Bare 11-digit mainland mobiles, as Lark's batch_get_id takes them. */
  mobiles: string[];
  emails: string[];
  /** One sentence per item that is neither. */
  problems: string[];
}

/** "13800000001, wang@x.cn；139…" → the numbers and e-mails, each checked. */
export function parseContactList(text: string, max = 20): ContactList {
  // Commas and the like separate; spaces separate too, unless they are inside a number ("138 0000 0001").
  const items = text
    .normalize('NFKC')
    .split(/[,，;；、\n]+/)
    .flatMap((part) => (checkMobile(part).ok ? [part] : part.split(/\s+/)))
    .map((s) => s.trim())
    .filter(Boolean);
  const list: ContactList = { mobiles: [], emails: [], problems: [] };
  if (items.length > max) list.problems.push(`一次最多填写 ${max} 个手机号或邮箱`);
  for (const item of items.slice(0, max)) {
    if (item.includes('@')) {
      const e = checkEmail(item);
      if (e.ok) list.emails.push(e.value);
      else list.problems.push(`“${item.slice(0, 60)}”：${e.message}`);
    } else {
      const m = checkMobile(item);
      if (m.ok) list.mobiles.push(m.value);
      else list.problems.push(`“${maskPhone(item)}”：${m.message}`);
    }
  }
  list.mobiles = [...new Set(list.mobiles)];
  list.emails = [...new Set(list.emails)];
  return list;
}

/** How a contact is shown back: a number masked, an e-mail as it is. */
export function shownContact(contact: string): string {
  return contact.includes('@') ? contact : maskPhone(contact);
}

/** The open_ids in what a person picker sent: a string (select_person) or an array (multi_select_person). */
export function pickedPeople(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return [...new Set(list.filter((x): x is string => typeof x === 'string' && /^ou_[\w-]{1,100}$/.test(x)))];
}
