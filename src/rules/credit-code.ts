// Unified social credit code (GB 32100-2015): 18 characters, MOD 31 check character.
import { type Check, fail, ok } from './result.js';

// I O Z S V are left out of the alphabet because they are easily confused with 1 0 2 5 U.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Check character for the first 17 characters (each from the code alphabet). */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`creditCodeCheckChar expects 17 characters, got ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`creditCodeCheckChar: ${JSON.stringify(first17[i])} is not in the alphabet`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Trims, removes inner spaces, half-width and upper-case; value is the normalised code. */
export function checkCreditCode(input: string): Check {
  const code = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (code.length === 0) return fail('请填写统一社会信用代码');
  if (code.length !== 18) {
    return fail(`统一社会信用代码应为18位，当前为${code.length}位，请核对`);
  }
  for (let i = 0; i < 18; i++) {
    const c = code[i]!;
    if (ALPHABET.includes(c)) continue;
    if ('IOZSV'.includes(c)) {
      return fail(`统一社会信用代码第${i + 1}位“${c}”不是有效字符（代码中不使用字母I、O、Z、S、V），请核对是否应为数字`);
    }
    return fail(`统一社会信用代码第${i + 1}位“${c}”不是有效字符，代码只含数字和大写字母，请核对`);
  }
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) {
    return fail('统一社会信用代码校验位不正确，请核对最后一位（也可能是其他某一位输错）');
  }
  return ok(code);
}
