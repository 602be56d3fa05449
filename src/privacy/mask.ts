// Masking of personal data (PIPL): ID numbers and phone numbers never appear in full in logs,
// and only on the cards of roles that need them.

/** 11010519491231002X → 1101**********002X */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** 13812345678 → 138****5678; +86 138-1234-5678 → +86 138****5678 */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  let prefix = '';
  if (/^\s*(\+|00)?86/.test(phone) && digits.length === 13) {
    prefix = '+86 ';
    digits = digits.slice(2);
  }
  if (digits.length < 7) return '*'.repeat(phone.length);
  return prefix + digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
}

// 18-character resident/permanent-residence ID numbers, mainland mobiles (optionally +86),
// and landlines with an area code. Boundaries keep longer digit runs (ids, timestamps) intact.
const ID_NUMBER = /(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])/g;
const LANDLINE = /(?<![0-9A-Za-z])0\d{2,3}-\d{7,8}(?![0-9A-Za-z])/g;
const FULL_WIDTH_DIGIT = /[０-９]/g;

/** Masks every ID number and phone number found in free text (full-width digits included). */
export function maskPersonalData(text: string): string {
  const ascii = text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return ascii.replace(ID_NUMBER, maskIdNumber).replace(MOBILE, maskPhone).replace(LANDLINE, maskPhone);
}
