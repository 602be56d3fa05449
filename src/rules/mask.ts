// Masking of personal data (PIPL): ID numbers, phone numbers and bank card numbers never appear in
// full in logs, nor on the cards of people who do not need them (src/forms/privacy-policy.ts decides who).
import { idNumberCheckChar } from './id-number.js';

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

/** 6222 0212 3456 7890 128 → 6222 **** **** ***0 128 style: the first four and last four digits stay. */
export function maskBankCard(card: string): string {
  const digits = card.replace(/\D/g, '');
  return `${digits.slice(0, 4)}${'*'.repeat(Math.max(0, digits.length - 8))}${digits.slice(-4)}`;
}

/** Whether 17 digits and a check character make a valid ID number (GB 11643 MOD 11-2). */
export function hasValidCheckChar(id: string): boolean {
  return /^\d{17}[\dX]$/i.test(id) && idNumberCheckChar(id.slice(0, 17)) === id.slice(17).toUpperCase();
}

/** Luhn (ISO/IEC 7812) check of a bank card number's digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// 18-character resident/permanent-residence ID numbers, mainland mobiles (optionally +86),
// landlines with an area code, and bank card numbers (16–19 digits, optionally in groups of four).
// Boundaries keep longer digit runs (ids, timestamps) intact.
const ID_NUMBER = /(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9A-Za-z])/g;
const LANDLINE = /(?<![0-9A-Za-z])0\d{2,3}-\d{7,8}(?![0-9A-Za-z])/g;
const BANK_CARD = /(?<![0-9A-Za-z*])(?:\d{4}[ -]){3}\d{4,7}(?![0-9A-Za-z])|(?<![0-9A-Za-z*])\d{16,19}(?![0-9A-Za-z])/g;
const FULL_WIDTH_DIGIT = /[０-９]/g;

export interface MaskOptions {
  /**
   * Mask every ID-shaped run, valid check character or not (logs: a mistyped ID is still someone's).
   * Cards mask only numbers that are IDs (the policy's definition), so other 18-digit numbers stay legible.
   */
  anyIdShape?: boolean;
}

/** Masks every ID number, phone number and bank card number found in free text (full-width digits included). */
export function maskPersonalData(text: string, options: MaskOptions = {}): string {
  const ascii = text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return ascii
    .replace(ID_NUMBER, (id) => (options.anyIdShape || hasValidCheckChar(id) ? maskIdNumber(id) : id))
    .replace(MOBILE, maskPhone)
    .replace(LANDLINE, maskPhone)
    .replace(BANK_CARD, (run) => (passesLuhn(run.replace(/\D/g, '')) ? maskBankCard(run) : run));
}

/** Whether free text holds personal data the masking would hide (the reveal button is offered only then). */
export function holdsPersonalData(text: string): boolean {
  return maskPersonalData(text) !== text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}
