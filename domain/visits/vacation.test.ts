import { describe, expect, it } from 'vitest';
import { currentVacation, isInVacation } from './vacation.js';

describe('currentVacation (寒暑假)', () => {
  it.each([
    // today → the window, and whether it is still on
    ['2027-01-01', 'summer', 2026, '2026-07-01', '2026-08-31', false],
    ['2027-01-09', 'summer', 2026, '2026-07-01', '2026-08-31', false],
    ['2027-01-10', 'winter', 2027, '2027-01-10', '2027-02-28', true],
    ['2027-02-28', 'winter', 2027, '2027-01-10', '2027-02-28', true],
    ['2028-02-29', 'winter', 2028, '2028-01-10', '2028-02-29', true],
    ['2027-03-01', 'winter', 2027, '2027-01-10', '2027-02-28', false],
    ['2027-06-30', 'winter', 2027, '2027-01-10', '2027-02-28', false],
    ['2027-07-01', 'summer', 2027, '2027-07-01', '2027-08-31', true],
    ['2027-08-31', 'summer', 2027, '2027-07-01', '2027-08-31', true],
    ['2027-09-01', 'summer', 2027, '2027-07-01', '2027-08-31', false],
    ['2026-11-29', 'summer', 2026, '2026-07-01', '2026-08-31', false],
    ['2026-12-31', 'summer', 2026, '2026-07-01', '2026-08-31', false],
  ] as const)('on %s: the %s vacation of %i, %s to %s (in progress: %s)', (today, season, year, from, to, inProgress) => {
    expect(currentVacation(today)).toEqual({ season, year, from, to, inProgress });
  });

  it('counts a visit on the first and the last day, not the day before or after', () => {
    const w = currentVacation('2027-02-01');
    expect(isInVacation(w, '2027-01-09')).toBe(false);
    expect(isInVacation(w, '2027-01-10')).toBe(true);
    expect(isInVacation(w, '2027-02-28')).toBe(true);
    expect(isInVacation(w, '2027-03-01')).toBe(false);
  });

  it('refuses a date that is not one', () => {
    expect(() => currentVacation('2027-02-30')).toThrow(RangeError);
  });
});
