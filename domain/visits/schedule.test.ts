import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE_SETTINGS, nextVisitDue, priorityGroups, visitIntervalDays, visitState, type PriorityGroup } from './schedule.js';
import type { RiskLevel } from './risk.js';

const plain = {
  hukouType: 'rural' as const,
  health: { status: 'healthy' as const },
  caregiver: { kind: 'grandparent' as const, capacity: 'good' as const },
  schoolStatus: 'in_school' as const,
  guardianship: { abuse: false, abandonment: false, improperCare: false },
};

describe('priorityGroups', () => {
  it('finds none in an ordinary file', () => expect(priorityGroups(plain)).toEqual([]));
  it.each([
    [{ caregiver: { kind: 'grandparent' as const, capacity: 'poor' as const } }, ['poor_guardianship']],
    [{ guardianship: { abuse: false, abandonment: false, improperCare: true } }, ['poor_guardianship']],
    [{ caregiver: { kind: 'entrusted' as const, capacity: 'good' as const } }, ['entrusted_care']],
    [{ schoolStatus: 'dropped_out' as const }, ['dropout']],
    [{ hukouType: 'none' as const }, ['no_hukou']],
    [{ health: { status: 'seriously_ill' as const } }, ['serious_illness_disability']],
  ])('%j → %j', (change, groups) => expect(priorityGroups({ ...plain, ...change })).toEqual(groups));
});

describe('visitIntervalDays', () => {
  const cases: [RiskLevel, PriorityGroup[], number][] = [
    ['urgent', [], 7],
    ['high', [], 30],
    ['medium', [], 60],
    ['low', [], 90],
    ['low', ['dropout'], 30], // priority groups: at least monthly
    ['medium', ['entrusted_care'], 30],
    ['urgent', ['dropout'], 7], // never longer than the risk interval
  ];
  it.each(cases)('%s with %j → %i days', (level, groups, days) => expect(visitIntervalDays(level, groups)).toBe(days));
  it('follows the settings', () => {
    const settings = { ...DEFAULT_SCHEDULE_SETTINGS, intervalDays: { urgent: 3, high: 14, medium: 45, low: 120 }, priorityMaxDays: 21 };
    expect(visitIntervalDays('low', [], settings)).toBe(120);
    expect(visitIntervalDays('low', ['no_hukou'], settings)).toBe(21);
  });
});

describe('nextVisitDue and visitState', () => {
  it('counts from the last completed visit, across month ends and leap days', () => {
    expect(nextVisitDue({ lastVisitDate: '2026-01-31', openedOn: '2025-01-01', level: 'high', groups: [] })).toBe('2026-03-02');
    expect(nextVisitDue({ lastVisitDate: '2028-02-01', openedOn: '2025-01-01', level: 'high', groups: [] })).toBe('2028-03-02'); // 2028 is a leap year
    expect(nextVisitDue({ lastVisitDate: '2026-12-15', openedOn: '2025-01-01', level: 'low', groups: [] })).toBe('2027-03-15');
    expect(nextVisitDue({ lastVisitDate: '2026-11-28', openedOn: '2025-01-01', level: 'urgent', groups: [] })).toBe('2026-12-05');
  });
  it('a child never visited is due one interval after the file was opened', () => {
    expect(nextVisitDue({ lastVisitDate: null, openedOn: '2026-11-01', level: 'low', groups: ['dropout'] })).toBe('2026-12-01');
  });
  it('a priority child last visited 31 days ago is overdue; 30 days ago it is due today (due soon)', () => {
    const today = '2026-11-29';
    const due31 = nextVisitDue({ lastVisitDate: '2026-10-29', openedOn: '2025-01-01', level: 'low', groups: ['entrusted_care'] });
    expect(due31).toBe('2026-11-28');
    expect(visitState(due31, today)).toBe('overdue');
    const due30 = nextVisitDue({ lastVisitDate: '2026-10-30', openedOn: '2025-01-01', level: 'low', groups: ['entrusted_care'] });
    expect(visitState(due30, today)).toBe('due_soon');
  });
  it.each([
    ['2026-11-28', 'overdue'],
    ['2026-11-29', 'due_soon'],
    ['2026-12-06', 'due_soon'],
    ['2026-12-07', 'ok'],
  ] as const)('due %s seen on 2026-11-29 → %s', (due, state) => expect(visitState(due, '2026-11-29')).toBe(state));
  it('due soon crosses the year end', () => expect(visitState('2027-01-03', '2026-12-28')).toBe('due_soon'));
});
