import { describe, expect, it } from 'vitest';
import { checkIdNumber, computeCheckCharacter, maskIdNumber, maskPhone } from './id-number.js';

/** 6-digit address + YYYYMMDD + 3-digit sequence + the computed check character. */
function makeId(address: string, birth: string, sequence: string): string {
  const first17 = address + birth + sequence;
  return first17 + computeCheckCharacter(first17);
}

describe('GB 11643 check character', () => {
  it.each([
    // hard-coded values worked out by hand, not by the function under test
    ['11010519491231002', 'X'], // the standard's own example
    ['44052418800101001', '4'], // the standard's other example
    ['43120220150101123', '0'],
    ['43120220150101129', 'X'],
    ['43122420080229100', '6'],
    ['43122120121119004', '9'],
    ['43120219000101001', '1'],
  ])('%s → %s', (first17, expected) => {
    expect(computeCheckCharacter(first17)).toBe(expected);
  });

  it.each(['4312022015010112', '431202201501011230', '4312022015010112X', ''])('refuses %j', (bad) => {
    expect(() => computeCheckCharacter(bad)).toThrow(RangeError);
  });
});

describe('checkIdNumber', () => {
  const asOf = '2026-11-30';

  it.each([
    ['431202201501011230', '2015-01-01', 'male'], // sequence 123: the 17th digit, 3, is odd
    ['43120220150101129X', '2015-01-01', 'male'],
    ['43120220150101102X', '2015-01-01', 'female'],
    ['431224200802291006', '2008-02-29', 'female'],
    ['431224200802291014', '2008-02-29', 'male'],
    ['11010519491231002X', '1949-12-31', 'female'],
    ['431202190001010011', '1900-01-01', 'male'], // the earliest accepted birth date
  ] as const)('%s is valid: born %s, %s', (id, birthDate, sex) => {
    expect(checkIdNumber(id, { asOf })).toEqual({ ok: true, normalised: id, birthDate, sex });
  });

  it('reads the sex from the 17th digit: odd is male, even is female', () => {
    for (let digit = 0; digit <= 9; digit++) {
      const id = makeId('431202', '20150101', `12${digit}`);
      const result = checkIdNumber(id, { asOf });
      expect(result).toMatchObject({ ok: true, sex: digit % 2 === 1 ? 'male' : 'female' });
    }
  });

  it('accepts a lowercase x and normalises it to X', () => {
    expect(checkIdNumber('43120220150101129x', { asOf })).toEqual({
      ok: true,
      normalised: '43120220150101129X',
      birthDate: '2015-01-01',
      sex: 'male',
    });
  });

  it.each([
    ['4312022015010112X', '17 characters'],
    ['4312022015010112300', '19 characters'],
    ['', 'empty'],
    ['43120220150101123A', 'a letter other than X as check character'],
    ['4312022015O101123X', 'a letter among the digits'],
    ['X31202201501011230', 'X in front'],
    [' 431202201501011230', 'leading space'],
    ['431202-20150101-1230', 'separators'],
  ])('%j is a format error (%s)', (id) => {
    expect(checkIdNumber(id, { asOf })).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    [makeId('431202', '20150231', '123'), '31 February'],
    [makeId('431202', '20150229', '123'), '29 February of a common year'],
    [makeId('431202', '19000229', '123'), '29 February 1900 (not a leap year)'],
    [makeId('431202', '20151301', '123'), 'month 13'],
    [makeId('431202', '20150100', '123'), 'day 0'],
    [makeId('431202', '18991231', '123'), 'before 1900'],
    ['440524188001010014', 'the standard example born in 1880'],
    [makeId('431202', '20261201', '123'), 'the day after asOf'],
    [makeId('431202', '20990101', '123'), 'far future'],
  ])('%s has a bad birth date (%s)', (id) => {
    expect(checkIdNumber(id, { asOf })).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('accepts a child born on the as-of day itself', () => {
    expect(checkIdNumber(makeId('431202', '20261130', '123'), { asOf })).toMatchObject({ ok: true, birthDate: '2026-11-30' });
  });

  it('takes asOf as a third argument too', () => {
    const id = makeId('431202', '20261201', '123');
    expect(checkIdNumber(id, undefined, asOf)).toEqual({ ok: false, reason: 'birth_date' });
    expect(checkIdNumber(id, undefined, '2026-12-01')).toMatchObject({ ok: true });
  });

  it.each([
    ['431202201501011231', 'last digit off by one'],
    ['43120220150101123X', 'X instead of 0'],
    ['431202201501011320', 'two digits swapped'],
    ['110105194912310021', 'standard example with the wrong check'],
  ])('%s has a wrong checksum (%s)', (id) => {
    expect(checkIdNumber(id, { asOf })).toEqual({ ok: false, reason: 'checksum' });
  });

  it('reports a bad birth date before a bad checksum, and a bad checksum before a mismatch', () => {
    // 31 February with a wrong check character
    const badDateAndCheck = '431202201502311230';
    expect(checkIdNumber(badDateAndCheck, { asOf })).toEqual({ ok: false, reason: 'birth_date' });
    expect(checkIdNumber('431202201501011231', { asOf, birthDate: '2016-01-01', sex: 'male' })).toEqual({ ok: false, reason: 'checksum' });
  });

  it('must agree with the record: birth date first, then sex', () => {
    const id = '43120220150101129X'; // 2015-01-01, male
    expect(checkIdNumber(id, { asOf, birthDate: '2015-01-01', sex: 'male' })).toMatchObject({ ok: true });
    expect(checkIdNumber(id, { asOf, birthDate: '2015-01-02', sex: 'male' })).toEqual({ ok: false, reason: 'birth_mismatch' });
    expect(checkIdNumber(id, { asOf, birthDate: '2015-01-01', sex: 'female' })).toEqual({ ok: false, reason: 'sex_mismatch' });
    expect(checkIdNumber(id, { asOf, birthDate: '2015-01-02', sex: 'female' })).toEqual({ ok: false, reason: 'birth_mismatch' });
    expect(checkIdNumber(id, { sex: 'female' })).toEqual({ ok: false, reason: 'sex_mismatch' });
    expect(checkIdNumber(id, { birthDate: '2014-01-01' })).toEqual({ ok: false, reason: 'birth_mismatch' });
  });
});

describe('masking personal data', () => {
  it.each([
    ['43120220150101123X', '431202***********X'],
    ['43120220150101123x', '431202***********X'],
    ['431202201501011230', '431202***********0'],
    ['431202150101123', '43************3'], // old 15-digit number: first 2 and last 1
    ['E12345678', 'E1******8'], // a passport: a third at most
    ['12345', '****5'],
    ['123', '**3'],
    ['12', '**'],
    ['', ''],
  ])('maskIdNumber(%j) is %j', (id, expected) => {
    expect(maskIdNumber(id)).toBe(expected);
  });

  it('never shows the sequence digits of an 18-character number, nor more than a third of any other', () => {
    const id = makeId('431202', '20150310', '739');
    const masked = maskIdNumber(id);
    expect(masked.slice(6, 17)).toBe('*'.repeat(11));
    expect(masked).not.toContain('739');
    for (let length = 0; length <= 30; length++) {
      const value = '7'.repeat(length);
      if (length === 18) continue;
      expect(maskIdNumber(value).replaceAll('*', '').length, `length ${length}`).toBeLessThanOrEqual(Math.floor(length / 3));
    }
  });

  it('masks an old mask (first 6 and last 4 kept) into the new one, and a mask into itself', () => {
    const id = makeId('431202', '20150310', '739');
    const old = `${id.slice(0, 6)}********${id.slice(14)}`;
    expect(maskIdNumber(old)).toBe(maskIdNumber(id));
    expect(maskIdNumber(maskIdNumber(id))).toBe(maskIdNumber(id));
    expect(maskIdNumber('43***********23')).toBe(maskIdNumber('431202150101123'));
  });

  it.each([
    ['13812345678', '138****5678'],
    ['07452345678', '074****5678'],
    ['0745234567', '07******67'],
    ['12345678', '12****78'],
    ['1234567', '1****67'],
    ['123456', '1****6'],
    ['12345', '****5'],
    ['123', '***'],
  ])('maskPhone(%j) is %j', (phone, expected) => {
    expect(maskPhone(phone)).toBe(expected);
  });

  it('hides at least four digits of any phone number longer than four', () => {
    for (let length = 5; length <= 20; length++) {
      expect(maskPhone('5'.repeat(length)).split('*').length - 1, `length ${length}`).toBeGreaterThanOrEqual(4);
    }
  });
});
