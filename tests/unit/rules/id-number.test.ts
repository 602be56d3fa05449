// ID numbers: GB 11643-1999 layout, MOD 11-2 check character, and the cross-check with typed data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdNumber, crossCheckIdNumber, type IdNumberInfo, idNumberCheckChar } from '../../../src/rules/id-number.js';

/** A well-formed number from its first 17 digits. */
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);

const info = (id: string): IdNumberInfo => {
  const result = checkIdNumber(id);
  if (!result.ok) throw new Error(result.message);
  return result.value;
};

describe('idNumberCheckChar', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
  ])('%s → %s (test values from the notes)', (first17, check) => {
    expect(idNumberCheckChar(first17)).toBe(check);
  });

  it('rejects anything but 17 digits', () => {
    expect(() => idNumberCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => idNumberCheckChar('1101051949123100X')).toThrow(RangeError);
  });

  // S is linear in each digit, so a single substitution is caught iff Δ·Wᵢ ≢ 0 (mod 11) for every
  // position i and digit change Δ = 1..9. Checking this from the all-zero base covers every code.
  it('catches every single-digit change at every position (exhaustive over Δ and position)', () => {
    const base = '0'.repeat(17);
    for (let i = 0; i < 17; i++) {
      for (let delta = 1; delta <= 9; delta++) {
        const changed = base.slice(0, i) + String(delta) + base.slice(i + 1);
        expect(idNumberCheckChar(changed), `position ${i + 1}, Δ ${delta}`).not.toBe(idNumberCheckChar(base));
      }
    }
  });

  const digits17 = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 17, maxLength: 17 });

  it('property: changing any one of the 18 characters breaks the check', () => {
    fc.assert(
      fc.property(digits17, fc.nat(17), fc.nat(10), (first17, position, pick) => {
        const id = withCheck(first17);
        const alphabet = position === 17 ? '0123456789X' : '0123456789';
        const replacement = alphabet.replace(id[position]!, '')[pick % (alphabet.length - 1)]!;
        const changed = id.slice(0, position) + replacement + id.slice(position + 1);
        expect(idNumberCheckChar(changed.slice(0, 17))).not.toBe(changed[17]);
      }),
    );
  });

  it('property: swapping two different adjacent digits among the first 17 breaks the check', () => {
    fc.assert(
      fc.property(digits17, fc.nat(15), (first17, i) => {
        fc.pre(first17[i] !== first17[i + 1]);
        const swapped = first17.slice(0, i) + first17[i + 1] + first17[i] + first17.slice(i + 2);
        expect(idNumberCheckChar(swapped)).not.toBe(idNumberCheckChar(first17));
      }),
    );
  });
});

describe('checkIdNumber: valid numbers', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X', 'resident', '1949-12-31', '女', '110105'],
    ['11010519491231002x', '11010519491231002X', 'resident', '1949-12-31', '女', '110105'],
    ['  110105 19491231 002x ', '11010519491231002X', 'resident', '1949-12-31', '女', '110105'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X', 'resident', '1949-12-31', '女', '110105'],
    [withCheck('33030219800101001'), withCheck('33030219800101001'), 'resident', '1980-01-01', '男', '330302'],
    [withCheck('81000019900215003'), withCheck('81000019900215003'), 'hongkong', '1990-02-15', '男', '810000'],
    [withCheck('82000019881231004'), withCheck('82000019881231004'), 'macau', '1988-12-31', '女', '820000'],
    [withCheck('83000020000229005'), withCheck('83000020000229005'), 'taiwan', '2000-02-29', '男', '830000'],
    // Foreigners' permanent residence ID (2023-12): 9 + issuing province + nationality code.
    [withCheck('91184019850315002'), withCheck('91184019850315002'), 'foreigner', '1985-03-15', '女', '911840'],
  ])('%s', (input, number, kind, birthDate, gender, addressCode) => {
    expect(checkIdNumber(input)).toEqual({ ok: true, value: { number, kind, birthDate, gender, addressCode } });
  });

  it('accepts a birth date equal to today', () => {
    expect(checkIdNumber(withCheck('33030220260501001'), '2026-05-01').ok).toBe(true);
  });

  it('property: any structurally valid number with its computed check character is accepted', () => {
    const province = fc.constantFrom('11', '13', '23', '31', '33', '37', '44', '50', '54', '65');
    const birth = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true });
    const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    fc.assert(
      fc.property(province, digits(4), birth, digits(3), (p, area, date, seq) => {
        const ymd = date.toISOString().slice(0, 10);
        const id = withCheck(p + area + ymd.replaceAll('-', '') + seq);
        const result = checkIdNumber(id, '2026-12-31');
        expect(result).toEqual({
          ok: true,
          value: { number: id, kind: 'resident', birthDate: ymd, gender: Number(seq[2]) % 2 ? '男' : '女', addressCode: p + area },
        });
      }),
    );
  });
});

describe('checkIdNumber: errors', () => {
  it.each([
    ['', '请填写身份证号码'],
    ['   ', '请填写身份证号码'],
    ['110105491231002', '请填写18位的身份证号码（15位旧号码已停用）'],
    ['11010519491231002', '身份证号码应为18位，当前为17位，请核对'],
    ['11010519491231002X1', '身份证号码应为18位，当前为19位，请核对'],
    ['1101051949123100AX', '身份证号码只能包含数字，最后一位可以是X，请核对'],
    ['X10105194912310021', '身份证号码只能包含数字，最后一位可以是X，请核对'],
    [withCheck('01010519491231002'), '身份证号码前6位（地址码）不正确，请核对开头几位'],
    [withCheck('99010519491231002'), '身份证号码前6位（地址码）不正确，请核对开头几位'],
    [withCheck('81111119491231002'), '身份证号码前6位（地址码）不正确，请核对开头几位'],
    [withCheck('72010519491231002'), '身份证号码前6位（地址码）不正确，请核对开头几位'],
    [withCheck('11010519490230002'), '身份证号码第7至14位不是有效的出生日期，请核对'],
    [withCheck('11010519491301002'), '身份证号码第7至14位不是有效的出生日期，请核对'],
    [withCheck('11010519000229002'), '身份证号码第7至14位不是有效的出生日期，请核对'], // 1900 was not a leap year
    // The notes' check-digit test value: the check character is right, but no applicant was born in 1880.
    ['440524188001010014', '身份证号码中的出生年份早于1900年，请核对第7至10位'],
    ['110105194912310021', '身份证号码校验位不正确，请核对最后一位（也可能是其他某一位输错）'],
    ['11010519491231012X', '身份证号码校验位不正确，请核对最后一位（也可能是其他某一位输错）'],
  ])('%j → %s', (input, message) => {
    expect(checkIdNumber(input)).toEqual({ ok: false, message });
  });

  it('rejects a birth date after today only when today is given', () => {
    const id = withCheck('33030220300101001');
    expect(checkIdNumber(id, '2026-05-01')).toEqual({
      ok: false,
      message: '身份证号码中的出生日期晚于今天，请核对第7至14位',
    });
    expect(checkIdNumber(id).ok).toBe(true);
    expect(checkIdNumber(withCheck('33030220260502001'), '2026-05-01').ok).toBe(false);
  });

  it('throws on a malformed today (a programming error, not user input)', () => {
    expect(() => checkIdNumber('11010519491231002X', '2026/05/01')).toThrow(RangeError);
  });

  it('property: changing any one character of a valid number makes it invalid', () => {
    const valid = ['11010519491231002X', withCheck('33030219800101001'), withCheck('91184019850315002')];
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(17), fc.nat(10), (id, position, pick) => {
        const alphabet = '0123456789X';
        const replacement = alphabet.replace(id[position]!, '')[pick % 10]!;
        const changed = id.slice(0, position) + replacement + id.slice(position + 1);
        expect(checkIdNumber(changed).ok).toBe(false);
      }),
    );
  });
});

describe('crossCheckIdNumber', () => {
  const woman1949 = info('11010519491231002X');
  const man1976 = info(withCheck('33030219760512003'));

  it.each([
    [{}, []],
    [{ birthDate: '', gender: '' }, []],
    [{ birthDate: '1949-12' }, []],
    [{ birthDate: '1949-12-31' }, []],
    [{ birthDate: '1949年12月' }, []],
    [{ birthDate: '1949.12' }, []],
    [{ birthDate: '1949/12/31' }, []],
    [{ gender: '女' }, []],
    [{ gender: ' 女性 ' }, []],
    [{ gender: 'F' }, []],
    [{ birthDate: '1949-11' }, ['出生年月与身份证号码不一致（身份证为1949年12月）']],
    [{ birthDate: '1950-12-31' }, ['出生年月与身份证号码不一致（身份证为1949年12月）']],
    [{ birthDate: '1949-12-30' }, ['出生日期与身份证号码不一致（身份证为1949年12月31日）']],
    [{ birthDate: '十二月' }, ['出生年月的格式无法识别，请按“1976-05”的格式填写']],
    [{ birthDate: '1949-13' }, ['出生年月的格式无法识别，请按“1976-05”的格式填写']],
    [{ gender: '男' }, ['性别与身份证号码不一致（身份证为女）']],
    [{ gender: '未知' }, ['性别请填写“男”或“女”']],
    [{ birthDate: '1950-01', gender: '男' }, ['出生年月与身份证号码不一致（身份证为1949年12月）', '性别与身份证号码不一致（身份证为女）']],
  ])('woman born 1949-12-31, typed %j → %j', (typed, messages) => {
    expect(crossCheckIdNumber(woman1949, typed)).toEqual(messages);
  });

  it.each([
    [{ birthDate: '1976-05', gender: '男' }, []],
    [{ birthDate: '1976-06' }, ['出生年月与身份证号码不一致（身份证为1976年05月）']],
    [{ gender: '女' }, ['性别与身份证号码不一致（身份证为男）']],
  ])('man born 1976-05-12, typed %j → %j', (typed, messages) => {
    expect(crossCheckIdNumber(man1976, typed)).toEqual(messages);
  });
});
