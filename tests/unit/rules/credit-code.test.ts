// Unified social credit code (GB 32100-2015): alphabet, MOD 31 check character, messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../../../src/rules/credit-code.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const first17 = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 17, maxLength: 17 });
const withCheck = (code17: string) => code17 + creditCodeCheckChar(code17);

describe('creditCodeCheckChar', () => {
  it.each([['91350100M000100Y4', '3']])('%s → %s', (code17, check) => {
    expect(creditCodeCheckChar(code17)).toBe(check);
  });

  it('rejects the wrong length and characters outside the alphabet', () => {
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100O000100Y4')).toThrow(RangeError);
  });

  // Linear in each value, so single substitutions are caught iff Δ·Wᵢ ≢ 0 (mod 31) for every
  // position and every value change Δ = 1..30; the all-zero base covers every code.
  it('catches every single-character change at every position (exhaustive over Δ and position)', () => {
    const base = '0'.repeat(17);
    for (let i = 0; i < 17; i++) {
      for (let delta = 1; delta <= 30; delta++) {
        const changed = base.slice(0, i) + ALPHABET[delta] + base.slice(i + 1);
        expect(creditCodeCheckChar(changed), `position ${i + 1}, Δ ${delta}`).not.toBe(creditCodeCheckChar(base));
      }
    }
  });

  it('property: any 17 alphabet characters plus the computed check character form a valid code', () => {
    fc.assert(
      fc.property(first17, (code17) => {
        expect(checkCreditCode(withCheck(code17))).toEqual({ ok: true, value: withCheck(code17) });
      }),
    );
  });

  it('property: changing any one of the 18 characters to another alphabet character makes it invalid', () => {
    fc.assert(
      fc.property(first17, fc.nat(17), fc.nat(29), (code17, position, pick) => {
        const code = withCheck(code17);
        const replacement = ALPHABET.replace(code[position]!, '')[pick]!;
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(checkCreditCode(changed)).toEqual({
          ok: false,
          message: '统一社会信用代码校验位不正确，请核对最后一位（也可能是其他某一位输错）',
        });
      }),
    );
  });

  it('property: changing any character to one of I O Z S V is reported as an illegal character', () => {
    fc.assert(
      fc.property(first17, fc.nat(17), fc.constantFrom(...'IOZSV'), (code17, position, letter) => {
        const code = withCheck(code17);
        const changed = code.slice(0, position) + letter + code.slice(position + 1);
        const result = checkCreditCode(changed);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message).toContain(`第${position + 1}位“${letter}”`);
      }),
    );
  });

  it('property: swapping two different adjacent characters among the first 17 makes it invalid', () => {
    fc.assert(
      fc.property(first17, fc.nat(15), (code17, i) => {
        fc.pre(code17[i] !== code17[i + 1]);
        const swapped = code17.slice(0, i) + code17[i + 1] + code17[i] + code17.slice(i + 2);
        expect(checkCreditCode(swapped + creditCodeCheckChar(code17)).ok).toBe(false);
      }),
    );
  });
});

describe('checkCreditCode', () => {
  it.each([
    ['91350100M000100Y43', '91350100M000100Y43'],
    ['91350100m000100y43', '91350100M000100Y43'],
    [' 9135 0100 M000 100Y 43 ', '91350100M000100Y43'],
    ['９１３５０１００Ｍ０００１００Ｙ４３', '91350100M000100Y43'],
    // The first character may be a letter (A, N, Y registration authorities).
    [withCheck('Y1330302MA1234567'), withCheck('Y1330302MA1234567')],
    [withCheck('N2330302MA2H8K9L0'), withCheck('N2330302MA2H8K9L0')],
    [withCheck('A1110105MA0000000'), withCheck('A1110105MA0000000')],
  ])('%j is valid → %s', (input, value) => {
    expect(checkCreditCode(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', '请填写统一社会信用代码'],
    ['91350100M000100Y4', '统一社会信用代码应为18位，当前为17位，请核对'],
    ['91350100M000100Y433', '统一社会信用代码应为18位，当前为19位，请核对'],
    ['91350100MO00100Y43', '统一社会信用代码第10位“O”不是有效字符（代码中不使用字母I、O、Z、S、V），请核对是否应为数字'],
    ['9135010OM000100Y43', '统一社会信用代码第8位“O”不是有效字符（代码中不使用字母I、O、Z、S、V），请核对是否应为数字'],
    ['I1350100M000100Y43', '统一社会信用代码第1位“I”不是有效字符（代码中不使用字母I、O、Z、S、V），请核对是否应为数字'],
    ['91350100M000100Y4-', '统一社会信用代码第18位“-”不是有效字符，代码只含数字和大写字母，请核对'],
    ['91350100M000100Y44', '统一社会信用代码校验位不正确，请核对最后一位（也可能是其他某一位输错）'],
    ['91350100M000100Y34', '统一社会信用代码校验位不正确，请核对最后一位（也可能是其他某一位输错）'],
  ])('%j → %s', (input, message) => {
    expect(checkCreditCode(input)).toEqual({ ok: false, message });
  });
});
