import { describe, expect, it } from 'vitest';
import { addYears, ageOn, dateWhenAge } from './age.js';

describe('age in completed years (周岁)', () => {
  it.each([
    // the 16th birthday
    ['2010-11-30', '2026-11-29', 15],
    ['2010-11-30', '2026-11-30', 16],
    ['2010-11-30', '2026-12-01', 16],
    // the 18th birthday
    ['2008-06-15', '2026-06-14', 17],
    ['2008-06-15', '2026-06-15', 18],
    ['2008-06-15', '2026-06-16', 18],
    // across a year end
    ['2010-12-31', '2026-12-30', 15],
    ['2010-12-31', '2026-12-31', 16],
    ['2011-01-01', '2026-12-31', 15],
    // born 29 Feb: in a common year the birthday is 1 Mar
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    // … and in a leap year it is 29 Feb itself
    ['2008-02-29', '2024-02-28', 15],
    ['2008-02-29', '2024-02-29', 16],
    ['2008-02-29', '2024-03-01', 16],
    // a birthday on 1 Mar is unaffected by leap years
    ['2008-03-01', '2024-02-29', 15],
    ['2008-03-01', '2024-03-01', 16],
    // birth day and before birth
    ['2020-05-01', '2020-05-01', 0],
    ['2020-05-01', '2020-04-30', -1],
  ])('born %s is %i on %s', (birth, on, expected) => {
    expect(ageOn(birth, on)).toBe(expected);
  });

  it.each([
    ['2008-02-29', 18, '2026-03-01'], // common year
    ['2008-02-29', 16, '2024-02-29'], // leap year
    ['2008-02-29', 1, '2009-03-01'],
    ['2084-02-29', 16, '2100-03-01'], // 2100 is not a leap year
    ['2010-11-30', 16, '2026-11-30'],
    ['2010-12-31', 16, '2026-12-31'],
    ['2026-03-01', -2, '2024-03-01'],
    ['2024-02-29', -1, '2023-03-01'],
  ])('addYears(%s, %i) is %s', (date, years, expected) => {
    expect(addYears(date, years)).toBe(expected);
  });

  it.each(['2008-02-29', '2010-11-30', '2012-01-01', '2011-12-31', '2004-02-29', '2009-03-01'])(
    'born %s: dateWhenAge is the first day of each age and the day before is a year younger',
    (birth) => {
      for (const years of [1, 6, 14, 16, 18]) {
        const date = dateWhenAge(birth, years);
        expect(ageOn(birth, date)).toBe(years);
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        const dayBefore = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
        expect(ageOn(birth, dayBefore)).toBe(years - 1);
      }
    },
  );
});
