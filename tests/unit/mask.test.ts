// PIPL masking: ID numbers and phone numbers never appear in full; ids and timestamps stay intact.
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPersonalData, maskPhone } from '../../src/rules/mask.js';

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', '1101**********002X'],
    ['440524188001010014', '4405**********0014'],
    ['11010519491231002x', '1101**********002x'],
    ['12345678', '12345678'],
    ['123456789', '1234*6789'],
    ['1234567', '*******'],
    ['', ''],
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });

  it('keeps the length and hides the birth date', () => {
    const masked = maskIdNumber('440524188001010014');
    expect(masked).toHaveLength(18);
    expect(masked).not.toContain('18800101');
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['0631-5201234', '063****1234'],
    ['010-12345678', '010****5678'],
    ['123456', '******'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('maskPersonalData', () => {
  it.each([
    ['身份证号 11010519491231002X，请核对', '身份证号 1101**********002X，请核对'],
    ['负责人身份证440524188001010014。', '负责人身份证4405**********0014。'],
    ['lower-case x: 11010519491231002x', 'lower-case x: 1101**********002x'],
    ['联系电话：13812345678', '联系电话：138****5678'],
    ['手机13812345678号', '手机138****5678号'],
    ['138-1234-5678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['座机 0631-5201234 转 8', '座机 063****1234 转 8'],
    ['北京 010-12345678', '北京 010****5678'],
    ['{"phone":"13812345678","id":"11010519491231002X"}', '{"phone":"138****5678","id":"1101**********002X"}'],
    ['两个号码 13812345678 和 15912345678', '两个号码 138****5678 和 159****5678'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([['+86 138-1234-5678'], ['+8613812345678'], ['86 13812345678'], ['电话+86-138 1234 5678。']])(
    'an international form (%s) keeps only the last four digits of the subscriber number',
    (text) => {
      const masked = maskPersonalData(text);
      expect(masked).toMatch(/\*{4,}5678/);
      expect(masked.replace(/\D/g, '')).not.toContain('1234');
      expect(masked).not.toMatch(/138.?1234/);
    },
  );

  it.each([
    ['a 32-hex event id', 'event 5e3702a84e847582be8db7fb73283c02 done'],
    ['an event id made only of digits and hex letters', 'f7984f25108f8137722bb63cee927e66'],
    ['a 13-digit millisecond timestamp', 'created 1795283564348'],
    ['a 10-digit second timestamp', 'ts=1795283564'],
    ['an om_ message id', 'om_dc13264520392913993dd051dba21dcf'],
    ['an oc_ chat id', 'oc_5ad11d72b830411d72b836c20'],
    ['an open id', 'ou_7d8a6e6df7621556ce0d21922b676706ccs'],
    ['a 20-digit number', '12345678901234567890'],
    ['a 19-digit number', '1234567890123456789'],
    ['a 12-digit number starting like a mobile', '138123456789'],
    ['an ID-shaped run inside a longer token', 'abc11010519491231002Xdef'],
    ['a date and time', '2025-06-30 13:45:00'],
    ['a UUID', '550e8400-e29b-41d4-a716-446655440000'],
    ['a short number', '工作室编号 0631'],
  ])('leaves %s intact', (_name, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('masks personal data but not the ids around it in one log line', () => {
    const line =
      'event=5e3702a84e847582be8db7fb73283c02 ts=1795283564348 msg=om_dc13264520392913993dd051dba21dcf text="我的手机 13812345678 身份证 11010519491231002X"';
    expect(maskPersonalData(line)).toBe(
      'event=5e3702a84e847582be8db7fb73283c02 ts=1795283564348 msg=om_dc13264520392913993dd051dba21dcf text="我的手机 138****5678 身份证 1101**********002X"',
    );
  });

  it('is idempotent', () => {
    const once = maskPersonalData('13812345678 11010519491231002X 0631-5201234');
    expect(maskPersonalData(once)).toBe(once);
  });
});

describe('maskPersonalData: the policy’s patterns', () => {
  it.each([
    ['a bank card (Luhn-valid)', '工资卡6222021234567890128', '工资卡6222***********0128'],
    ['a bank card in groups of four', '卡号 4111 1111 1111 1111。', '卡号 4111********1111。'],
    ['a full-width mobile', '电话１３８１２３４５６７８', '电话138****5678'],
  ])('masks %s', (_name, text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    ['a 19-digit number failing Luhn', '订单号 6222021234567890127'],
    ['an 18-digit number whose check character is wrong (not an ID)', '编号 110105194912310021'],
  ])('leaves %s legible on cards', (_name, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('masks every ID-shaped number in logs, valid check character or not (a mistyped ID is still someone’s)', () => {
    expect(maskPersonalData('编号 110105194912310021', { anyIdShape: true })).toBe('编号 1101**********0021');
  });
});
