// Phone numbers, e-mail and postal codes as typed into application forms.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type Check, fail, ok } from './result.js';

/** Full-width digits, brackets and dashes become half-width; the long dashes people type become '-'. */
function toHalfWidth(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[‐‑‒–—―−﹣]/g, '-')
    .trim();
}

const MOBILE_MESSAGE = '手机号码应为以1开头的11位数字，请核对';

/** Strips +86 / 0086 / 86, spaces and hyphens; value is the bare 11 digits. */
export function checkMobile(input: string): Check {
  let digits = toHalfWidth(input).replace(/[\s\-()]/g, '');
  if (digits.length === 0) return fail('请填写手机号码');
  digits = digits.replace(/^(?:\+86|0086)/, '');
  // A bare 86 country code only when it leaves exactly a mobile number behind.
  if (/^861[3-9]\d{9}$/.test(digits)) digits = digits.slice(2);
  if (!/^1[3-9]\d{9}$/.test(digits)) return fail(MOBILE_MESSAGE);
  return ok(digits);
}

const LANDLINE_MESSAGE = '固定电话格式不正确，请按“区号-号码”填写，例如0631-5190816，分机可写作“0631-5190816 转 8001”';

/**
 * Area code + 7–8 digit local number, optional extension (转 / 分机 / ext / # / a trailing -NNNN).
 * The split into area code, number and extension is done here, because libphonenumber does not
 * understand "转" and reads a trailing "-8001" as part of the number; libphonenumber (full
 * metadata) then validates the area code and the number length for that city.
 * Value: '0631-5190816' or '0631-5190816 转 8001'.
 */
export function checkLandline(input: string): Check {
  let text = toHalfWidth(input);
  if (text.length === 0) return fail('请填写固定电话');

  let extension: string | undefined;
  const ext = /\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index).trim();
  }
  // +86 / 0086 replace the trunk prefix 0 (and some people write +86 (0)631 …).
  text = text.replace(/^(?:\+\s*86|0086)[\s-]*(?:\(0\)|0)?/, '0');
  if (!/^[\d\s\-()]+$/.test(text)) return fail(LANDLINE_MESSAGE);

  const groups = text.split(/[\s\-()]+/).filter((g) => g.length > 0);
  const digits = groups.join('');
  if (!digits.startsWith('0')) {
    if (digits.length >= 7 && digits.length <= 8) return fail('固定电话请加上区号，例如0631-5190816');
    return fail(LANDLINE_MESSAGE);
  }
  // 010 and 020–029 are the only 3-digit area codes; all others have 4 digits.
  const area = digits.slice(0, /^0[12]/.test(digits) ? 3 : 4);

  // The local number runs up to the first separator at which it has 7+ digits; a further group
  // (written 0631-5190816-8001) is the extension.
  let consumed = 0;
  let localEnd = digits.length;
  for (const group of groups) {
    consumed += group.length;
    if (consumed - area.length >= 7) {
      localEnd = consumed;
      break;
    }
  }
  const local = digits.slice(area.length, localEnd);
  const rest = digits.slice(localEnd);
  if (local.length < 7 || local.length > 8) {
    return fail(`固定电话号码（区号${area}之后）应为7或8位，当前为${local.length}位，请核对`);
  }
  if (rest.length > 0) {
    if (extension !== undefined || rest.length > 6) return fail(LANDLINE_MESSAGE);
    extension = rest;
  }
  const parsed = parsePhoneNumberFromString(area + local, 'CN');
  const type = parsed?.getType();
  if (!parsed?.isValid() || (type !== 'FIXED_LINE' && type !== 'FIXED_LINE_OR_MOBILE')) {
    return fail(`固定电话${area}-${local}不是有效的号码，请核对区号和号码位数`);
  }
  return ok(extension !== undefined ? `${area}-${local} 转 ${extension}` : `${area}-${local}`);
}

/** Either a mobile or a landline number; the message follows what the input looks like. */
export function checkPhone(input: string): Check<{ kind: 'mobile' | 'landline'; number: string }> {
  if (toHalfWidth(input).length === 0) return fail('请填写联系电话');
  const mobile = checkMobile(input);
  if (mobile.ok) return ok({ kind: 'mobile', number: mobile.value });
  const landline = checkLandline(input);
  if (landline.ok) return ok({ kind: 'landline', number: landline.value });
  const digits = toHalfWidth(input)
    .replace(/^(?:\+86|0086)/, '')
    .replace(/\D/g, '');
  if (digits.startsWith('1')) return fail(MOBILE_MESSAGE);
  if (digits.startsWith('0')) return landline;
  return fail('联系电话应为11位手机号码或带区号的固定电话（例如0631-5190816），请核对');
}

/**
 * A practical e-mail pattern: one @, no spaces, a dotted domain with a 2+ letter ending.
 * The value keeps the local part as typed and lower-cases the domain (domains are case-insensitive).
 */
export function checkEmail(input: string): Check {
  const text = input.normalize('NFKC').trim();
  if (text.length === 0) return fail('请填写电子邮箱');
  if (/\s/.test(text)) return fail('电子邮箱中不能有空格，请核对');
  const parts = text.split('@');
  if (parts.length !== 2) return fail('电子邮箱应包含且只包含一个“@”，例如546282213@qq.com');
  const [local, domain] = parts as [string, string];
  if (!/^[A-Za-z0-9._%+-]+$/.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail('电子邮箱“@”前面的部分不正确，请核对');
  }
  if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/.test(domain)) {
    return fail('电子邮箱“@”后面的域名不正确，例如应为qq.com、163.com，请核对');
  }
  return ok(`${local}@${domain.toLowerCase()}`);
}

/** Six digits; Chinese postcodes start with 0–8, and 0 is legitimate (e.g. Inner Mongolia 01xxxx). */
export function checkPostalCode(input: string): Check {
  const text = input.normalize('NFKC').replace(/\s+/g, '');
  if (text.length === 0) return fail('请填写邮政编码');
  if (!/^\d{6}$/.test(text)) return fail('邮政编码应为6位数字，请核对');
  return ok(text);
}
