import { describe, expect, it } from 'vitest';
import { chinaDate, chinaDateTime, chinaLocalInput, chinaToday, instantFromChinaLocal } from './china-time.js';

describe('China time', () => {
  it.each([
    ['2026-11-29T15:59:59.000Z', '2026-11-29', '2026-11-29 23:59'],
    ['2026-11-29T16:00:00.000Z', '2026-11-30', '2026-11-30 00:00'],
    ['2026-11-29T16:30:00.000Z', '2026-11-30', '2026-11-30 00:30'],
    ['2026-12-31T17:05:00.000Z', '2027-01-01', '2027-01-01 01:05'],
    ['2024-02-28T20:00:00.000Z', '2024-02-29', '2024-02-29 04:00'],
    ['2026-06-01T00:00:00.000Z', '2026-06-01', '2026-06-01 08:00'],
  ])('%s is %s, written %s', (instant, date, written) => {
    expect(chinaDate(instant)).toBe(date);
    expect(chinaDateTime(instant)).toBe(written);
    expect(chinaToday(new Date(instant))).toBe(date);
  });

  it('does not depend on the time zone of the machine', () => {
    const before = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/Berlin']) {
        process.env.TZ = zone;
        expect(chinaDateTime('2026-11-29T16:30:00.000Z'), zone).toBe('2026-11-30 00:30');
        expect(chinaLocalInput('2026-11-29T16:30:00.000Z'), zone).toBe('2026-11-30T00:30');
        expect(instantFromChinaLocal('2026-11-30T00:30'), zone).toBe('2026-11-29T16:30:00.000Z');
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('reads a typed local time as China time, and refuses what is not one', () => {
    expect(instantFromChinaLocal('2026-01-01T07:59')).toBe('2025-12-31T23:59:00.000Z');
    expect(instantFromChinaLocal('2026-01-01T07:59:30')).toBe('2025-12-31T23:59:30.000Z');
    expect(instantFromChinaLocal('2026-01-01')).toBeNull();
    expect(instantFromChinaLocal('')).toBeNull();
    expect(chinaDateTime('not a time')).toBe('not a time');
  });
});
