import { describe, expect, it } from 'vitest';
import { isLate, minutesToPolice, policeToldLate } from './rules.js';

const discovered = '2026-11-29T02:00:00.000Z';
const at = (minutes: number, seconds = 0) => new Date(Date.parse(discovered) + minutes * 60_000 + seconds * 1000);

describe('minutesToPolice', () => {
  it.each([
    [null, null],
    ['2026-11-29T02:00:00.000Z', 0],
    ['2026-11-29T02:59:59.000Z', 59],
    ['2026-11-29T03:00:00.000Z', 60],
    ['2026-11-29T03:01:00.000Z', 61],
    ['2026-11-29T05:30:00.000Z', 210],
  ])('police told at %s → %s minutes', (told, minutes) => {
    expect(minutesToPolice(discovered, told)).toBe(minutes);
  });
});

describe('isLate', () => {
  it.each([
    { case: '59 minutes, police not told', now: at(59), status: 'open', police: null, late: false },
    { case: '60 minutes, police not told (still within the hour)', now: at(60), status: 'open', police: null, late: false },
    { case: '60 minutes and 1 second, police not told', now: at(60, 1), status: 'open', police: null, late: true },
    { case: '61 minutes, police not told', now: at(61), status: 'open', police: null, late: true },
    { case: '61 minutes, police told at 30', now: at(61), status: 'open', police: at(30).toISOString(), late: false },
    { case: '3 hours, police told late at 90 (resolved)', now: at(180), status: 'open', police: at(90).toISOString(), late: false },
    { case: '61 minutes, closed without police', now: at(61), status: 'closed', police: null, late: false },
  ] as const)('$case → $late', ({ now, status, police, late }) => {
    expect(isLate({ status, discoveredAt: discovered, policeNotifiedAt: police }, now)).toBe(late);
  });
});

describe('policeToldLate', () => {
  it.each([
    [null, false],
    [at(59).toISOString(), false],
    [at(60).toISOString(), false],
    [at(61).toISOString(), true],
  ])('told at %s → %s', (told, late) => {
    expect(policeToldLate(discovered, told)).toBe(late);
  });
});
