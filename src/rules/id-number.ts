// Resident ID number (GB 11643-1999) and the residence-permit / foreigner permanent-residence
// numbers that share its 18-character layout and ISO 7064 MOD 11-2 check character.
import { formatChineseDate, formatChineseMonth, formatYmd, pad2, parseIsoDate, type Ymd } from './dates.js';
import { type Check, fail, ok } from './result.js';

export type IdNumberKind = 'resident' | 'hongkong' | 'macau' | 'taiwan' | 'foreigner';

export interface IdNumberInfo {
  /** Normalised: half-width, no spaces, upper-case X. */
  number: string;
  kind: IdNumberKind;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: '男' | '女';
  /** First six characters (for foreigners: 9 + issuing province + nationality code). */
  addressCode: string;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// Province-level codes of GB/T 2260. Checking them catches typos in the first two digits;
// 71 (Taiwan) is kept because old registrations may carry it.
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
]);

const PERMITS: Record<string, IdNumberKind> = { '810000': 'hongkong', '820000': 'macau', '830000': 'taiwan' };

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`idNumberCheckChar expects 17 digits, got ${JSON.stringify(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Full-width digits/letters become half-width (NFKC); spaces anywhere go; x becomes X. */
function normalise(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

function kindOf(addressCode: string): IdNumberKind | null {
  const permit = PERMITS[addressCode];
  if (permit) return permit;
  const first = addressCode[0]!;
  // Since 2023-12 foreigners' permanent residence IDs start with 9, then the issuing province.
  if (first === '9') return PROVINCES.has(addressCode.slice(1, 3)) ? 'foreigner' : null;
  if (first >= '1' && first <= '7') return PROVINCES.has(addressCode.slice(0, 2)) ? 'resident' : null;
  return null;
}

/**
 * Validates an ID number and reads its birth date and gender.
 * `today` (YYYY-MM-DD) enables the "birth date in the future" rule; it is never read from the clock.
 * Birth dates before 1900-01-01 are rejected: no applicant can be that old, so it is a typo.
 */
export function checkIdNumber(input: string, today?: string): Check<IdNumberInfo> {
  const number = normalise(input);
  if (number.length === 0) return fail('请填写身份证号码');
  if (number.length === 15 && /^\d{15}$/.test(number)) {
    return fail('请填写18位的身份证号码（15位旧号码已停用）');
  }
  if (number.length !== 18) {
    return fail(`身份证号码应为18位，当前为${number.length}位，请核对`);
  }
  if (!/^\d{17}[\dX]$/.test(number)) {
    return fail('身份证号码只能包含数字，最后一位可以是X，请核对');
  }

  const addressCode = number.slice(0, 6);
  const kind = kindOf(addressCode);
  if (!kind) return fail('身份证号码前6位（地址码）不正确，请核对开头几位');

  const birth = parseIsoDate(`${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`);
  if (!birth) return fail('身份证号码第7至14位不是有效的出生日期，请核对');
  const birthDate = formatYmd(birth);
  if (birthDate < '1900-01-01') return fail('身份证号码中的出生年份早于1900年，请核对第7至10位');
  if (today !== undefined) {
    if (!parseIsoDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got ${JSON.stringify(today)}`);
    if (birthDate > today) return fail('身份证号码中的出生日期晚于今天，请核对第7至14位');
  }

  if (idNumberCheckChar(number.slice(0, 17)) !== number[17]) {
    return fail('身份证号码校验位不正确，请核对最后一位（也可能是其他某一位输错）');
  }

  const gender = Number(number[16]) % 2 === 1 ? '男' : '女';
  return ok({ number, kind, birthDate, gender, addressCode });
}

/** Accepts 1976-05, 1976-5-12, 1976.05, 1976/05/12, 1976年5月, 1976年5月12日. */
function parseTypedBirth(text: string): { year: number; month: number; day: number | null } | null {
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:月\s*)?(?:[-./]?\s*(\d{1,2})\s*日?)?$/.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  if (m[3] === undefined) return { year, month, day: null };
  const full = parseIsoDate(`${m[1]}-${pad2(month)}-${pad2(Number(m[3]))}`);
  return full ? { ...full } : null;
}

function parseGender(text: string): '男' | '女' | null {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (t === '男' || t === '男性' || t === 'm' || t === 'male') return '男';
  if (t === '女' || t === '女性' || t === 'f' || t === 'female') return '女';
  return null;
}

/**
 * Compares what the applicant typed for 出生年月/性别 with the ID number.
 * Returns one sentence per disagreement (empty when everything matches or nothing was typed).
 */
export function crossCheckIdNumber(info: IdNumberInfo, typed: { birthDate?: string; gender?: string }): string[] {
  const messages: string[] = [];
  const idBirth = parseIsoDate(info.birthDate) as Ymd;

  const typedBirth = typed.birthDate?.trim();
  if (typedBirth) {
    const parsed = parseTypedBirth(typedBirth);
    if (!parsed) {
      messages.push('出生年月的格式无法识别，请按“1976-05”的格式填写');
    } else if (parsed.year !== idBirth.year || parsed.month !== idBirth.month) {
      messages.push(`出生年月与身份证号码不一致（身份证为${formatChineseMonth(idBirth.year, idBirth.month)}）`);
    } else if (parsed.day !== null && parsed.day !== idBirth.day) {
      messages.push(`出生日期与身份证号码不一致（身份证为${formatChineseDate(idBirth)}）`);
    }
  }

  const typedGender = typed.gender?.trim();
  if (typedGender) {
    const parsed = parseGender(typedGender);
    if (!parsed) messages.push('性别请填写“男”或“女”');
    else if (parsed !== info.gender) messages.push(`性别与身份证号码不一致（身份证为${info.gender}）`);
  }
  return messages;
}
