import { describe, expect, it } from 'vitest';
import { addDays, addMonths, completedMonthsBetween, daysBetween, isIsoDate, parseIsoDate } from './dates.js';

describe('ISO calendar dates', () => {
  it.each([
    ['2026-11-30', true],
    ['2024-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400
    ['2026-02-29', false], // common year
    ['1900-02-29', false], // divisible by 100, not 400
    ['2026-02-31', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['20261130', false],
    ['', false],
  ])('isIsoDate(%j) is %s', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });

  it('parses the parts', () => {
    expect(parseIsoDate('2026-05-31')).toEqual({ year: 2026, month: 5, day: 31 });
  });

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-11-30', 30, '2026-12-30'],
    ['0050-01-01', 1, '0050-01-02'], // years below 100 are not shifted to 19xx
  ])('addDays(%s, %i) is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-11-30', '2026-12-30', 30],
    ['2026-12-30', '2026-11-30', -30],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-03-29', '2026-03-30', 1], // across the spring DST change in many zones
  ])('daysBetween(%s, %s) is %i', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it.each([
    ['2026-05-31', 6, '2026-11-30'], // no 31 November: the month's last day
    ['2026-05-30', 6, '2026-11-30'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-01-31', 2, '2026-03-31'], // counted from the original day, not chained
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-03-15', -6, '2025-09-15'],
    ['2026-06-15', 0, '2026-06-15'],
  ])('addMonths(%s, %i) is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2026-05-31', '2026-11-30', 6], // exactly six months at a month end
    ['2026-05-31', '2026-11-29', 5], // one day short
    ['2026-05-30', '2026-11-29', 5],
    ['2026-05-30', '2026-11-30', 6],
    ['2026-03-15', '2026-11-30', 8],
    ['2026-01-31', '2026-02-28', 1],
    ['2026-01-31', '2026-02-27', 0],
    ['2026-11-30', '2026-11-30', 0],
    ['2025-11-30', '2026-11-30', 12],
    ['2026-11-30', '2026-05-31', -6], // minus the months from the earlier date
  ])('completedMonthsBetween(%s, %s) is %i', (from, to, expected) => {
    expect(completedMonthsBetween(from, to)).toBe(expected);
  });

  it('throws on a date that is not a calendar date', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
  });
});
