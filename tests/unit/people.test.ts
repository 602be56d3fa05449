// People named as a bureau knows them: mobiles and e-mails typed in the grant form, open_ids from
// a person picker, and claim codes as people type them.
import { describe, expect, it } from 'vitest';
import { parseContactList, pickedPeople, shownContact } from '../../src/access/people.js';
import { claimCodeOf, shownClaimCode } from '../../src/evaluation/contacts.js';

describe('parseContactList', () => {
  it.each<[string, { mobiles: string[]; emails: string[]; problems: number }]>([
    ['', { mobiles: [], emails: [], problems: 0 }],
    ['13800000001', { mobiles: ['13800000001'], emails: [], problems: 0 }],
    ['138 0000 0001', { mobiles: ['13800000001'], emails: [], problems: 0 }],
    ['+86 138-0000-0001', { mobiles: ['13800000001'], emails: [], problems: 0 }],
    ['１３８０００００００１', { mobiles: ['13800000001'], emails: [], problems: 0 }],
    ['13800000001，zhao@RSJ.example.cn；13900000002', { mobiles: ['13800000001', '13900000002'], emails: ['zhao@rsj.example.cn'], problems: 0 }],
    ['13800000001 13900000002', { mobiles: ['13800000001', '13900000002'], emails: [], problems: 0 }],
    ['13800000001,13800000001', { mobiles: ['13800000001'], emails: [], problems: 0 }],
    ['12345', { mobiles: [], emails: [], problems: 1 }],
    ['zhao@', { mobiles: [], emails: [], problems: 1 }],
  ])('%j', (text, want) => {
    const got = parseContactList(text);
    expect({ mobiles: got.mobiles, emails: got.emails, problems: got.problems.length }).toEqual(want);
  });

  it('masks a mistyped number in its problem, and refuses more than twenty at once', () => {
    expect(parseContactList('1380000000').problems[0]).not.toContain('1380000000');
    expect(parseContactList(Array.from({ length: 21 }, (_, i) => `1380000${String(i).padStart(4, '0')}`).join(',')).problems[0]).toContain('最多');
  });

  it('shows a number masked and an e-mail as it is', () => {
    expect(shownContact('13800000001')).toBe('138****0001');
    expect(shownContact('a@b.cn')).toBe('a@b.cn');
  });
});

describe('pickedPeople', () => {
  it.each<[unknown, string[]]>([
    ['ou_a', ['ou_a']],
    [
      ['ou_a', 'ou_b', 'ou_a'],
      ['ou_a', 'ou_b'],
    ],
    [['ou_a', 'not-an-id', 42, null], ['ou_a']],
    [undefined, []],
    [{ ou: 1 }, []],
  ])('%j → %j', (value, want) => expect(pickedPeople(value)).toEqual(want));
});

describe('claim codes', () => {
  it.each([
    ['ABCD-EFGH', 'ABCDEFGH'],
    ['abcd efgh', 'ABCDEFGH'],
    ['ＡＢＣＤ－ＥＦＧＨ', 'ABCDEFGH'],
    ['  abcdefgh ', 'ABCDEFGH'],
  ])('%j is read as %s', (typed, code) => expect(claimCodeOf(typed)).toBe(code));
  it('is shown in two halves', () => expect(shownClaimCode('ABCDEFGH')).toBe('ABCD-EFGH'));
});
