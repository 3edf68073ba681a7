import { describe, expect, it } from 'vitest';
import { REPORT_TRIGGERS, chinaDateOf, isLate, minutesToPolice, policeToldLate, triggerFits, triggersFor, type ReportTrigger } from './rules.js';

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

describe('triggers checked against the child', () => {
  const ANY_CHILD: ReportTrigger[] = [
    'private_parts_injury',
    'injury_malnutrition_abuse',
    'suicide_self_harm_poisoning_beating',
    'abandoned_or_neglected',
    'missing_trafficked',
    'organised_begging',
    'other_serious_harm',
  ];
  // A girl and a boy born 2012-11-29 turn 14 on 2026-11-29; one born 29 Feb 2012 on 1 March 2026.
  it.each([
    { case: 'girl, 13 (the day before her 14th birthday)', sex: 'female', birth: '2012-11-29', on: '2026-11-28', girl: 'girl_under14_sexual_assault' },
    { case: 'girl, 14 on her 14th birthday', sex: 'female', birth: '2012-11-29', on: '2026-11-29', girl: 'girl_over14_pregnant_by_assault' },
    { case: 'girl, 17', sex: 'female', birth: '2009-01-01', on: '2026-11-29', girl: 'girl_over14_pregnant_by_assault' },
    { case: 'girl, 2', sex: 'female', birth: '2024-06-01', on: '2026-11-29', girl: 'girl_under14_sexual_assault' },
    { case: 'girl born 29 Feb, 28 Feb of a common year: still 13', sex: 'female', birth: '2012-02-29', on: '2026-02-28', girl: 'girl_under14_sexual_assault' },
    { case: 'girl born 29 Feb, 1 Mar of a common year: 14', sex: 'female', birth: '2012-02-29', on: '2026-03-01', girl: 'girl_over14_pregnant_by_assault' },
    { case: 'boy, 13', sex: 'male', birth: '2012-11-29', on: '2026-11-28', girl: null },
    { case: 'boy, 14', sex: 'male', birth: '2012-11-29', on: '2026-11-29', girl: null },
  ] as const)('$case → the seven for any child, and $girl', ({ sex, birth, on, girl }) => {
    const child = { sex, birthDate: birth };
    const expected = REPORT_TRIGGERS.filter((t) => ANY_CHILD.includes(t) || t === girl);
    expect(triggersFor(child, on)).toEqual(expected);
    for (const t of REPORT_TRIGGERS) expect(triggerFits(t, child, on), t).toBe(expected.includes(t));
  });

  it('judges the age on the day of the discovery in China time', () => {
    expect(chinaDateOf('2026-11-28T15:59:59.000Z')).toBe('2026-11-28');
    expect(chinaDateOf('2026-11-28T16:00:00.000Z')).toBe('2026-11-29');
    const girl = { sex: 'female', birthDate: '2012-11-29' } as const;
    expect(triggerFits('girl_under14_sexual_assault', girl, chinaDateOf('2026-11-28T15:59:59.000Z'))).toBe(true);
    expect(triggerFits('girl_under14_sexual_assault', girl, chinaDateOf('2026-11-28T16:00:00.000Z'))).toBe(false);
  });
});
