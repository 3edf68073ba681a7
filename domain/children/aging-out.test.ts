import { describe, expect, it } from 'vitest';
import { agingOutAge, agingOutDate, agingOutSoon, type CategoryFlags } from './aging-out.js';
import { deriveCategories } from './categories.js';
import { DEFAULT_CATEGORY_SETTINGS } from './facts.js';

function flags(leftBehind: boolean, distress: boolean, unsupported: boolean): CategoryFlags {
  return { leftBehind: { value: leftBehind }, distress: { value: distress }, unsupported: { value: unsupported } };
}

describe('aging out', () => {
  it.each([
    [flags(true, false, false), 16],
    [flags(false, true, false), 18],
    [flags(false, false, true), 18], // an overridden flag without distress still keeps the child to 18
    [flags(true, true, false), 18], // both: stays until 18
    [flags(true, true, true), 18],
    [flags(false, false, false), null],
  ])('%j → %s', (categories, expected) => {
    expect(agingOutAge(categories)).toBe(expected);
  });

  it('follows the left-behind age setting', () => {
    expect(agingOutAge(flags(true, false, false), { ...DEFAULT_CATEGORY_SETTINGS, leftBehindMaxAge: 14 })).toBe(14);
  });

  it.each([
    ['2010-11-30', flags(true, false, false), '2026-11-30'],
    ['2010-11-30', flags(true, true, false), '2028-11-30'],
    ['2008-02-29', flags(false, true, false), '2026-03-01'], // 18th birthday in a common year
    ['2008-02-29', flags(true, false, false), '2024-02-29'], // 16th birthday in a leap year
    ['2010-11-30', flags(false, false, false), null],
  ])('born %s with %j ages out on %s', (birthDate, categories, expected) => {
    expect(agingOutDate(birthDate, categories)).toBe(expected);
  });

  it.each([
    // aging out on 2026-12-30 (16th birthday, left-behind only)
    ['2026-11-29', 30, false], // 31 days ahead
    ['2026-11-30', 30, true], // exactly 30 days ahead
    ['2026-12-29', 30, true],
    ['2026-12-30', 30, true], // today
    ['2026-12-31', 30, false], // already past
    ['2026-12-20', 7, false],
    ['2026-12-23', 7, true],
  ])('born 2010-12-30, left-behind, as of %s within %i days → %s', (asOf, days, expected) => {
    expect(agingOutSoon('2010-12-30', flags(true, false, false), asOf, days)).toBe(expected);
  });

  it('defaults to 30 days', () => {
    expect(agingOutSoon('2010-12-30', flags(true, false, false), '2026-11-30')).toBe(true);
    expect(agingOutSoon('2010-12-30', flags(true, false, false), '2026-11-29')).toBe(false);
  });

  it('a child in no category never ages out soon', () => {
    expect(agingOutSoon('2010-12-30', flags(false, false, false), '2026-12-30')).toBe(false);
  });

  it('a child in distress is not flagged at 16', () => {
    expect(agingOutSoon('2010-12-30', flags(true, true, false), '2026-12-20')).toBe(false);
    expect(agingOutSoon('2010-12-30', flags(true, true, false), '2028-12-20')).toBe(true);
  });

  it('accepts the derived categories directly', () => {
    const derived = deriveCategories(
      {
        birthDate: '2010-12-30',
        sex: 'male',
        hukouType: 'rural',
        father: { status: 'working_away', since: '2020-03-01' },
        mother: { status: 'seriously_ill' },
        health: { status: 'healthy' },
        support: { dibao: false, tekun: false, temporaryRelief: false, orphanAllowance: false },
        guardianship: { abuse: false, abandonment: false, improperCare: false },
        temporaryDistress: false,
        caregiver: { kind: 'grandparent', capacity: 'fair' },
        schoolStatus: 'in_school',
      },
      '2026-12-01',
    );
    expect(agingOutDate('2010-12-30', derived)).toBe('2026-12-30');
  });
});
