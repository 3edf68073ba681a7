import { describe, expect, it } from 'vitest';
import { addDays } from '../children/dates.js';
import { DEFAULT_SCHEDULE_SETTINGS, dueLabel, firstVisitDays, nextVisitDue, priorityGroups, visitIntervalDays, visitState, type PriorityGroup, type ScheduleSettings } from './schedule.js';
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
  // A child never visited is due for a first visit soon after the file was opened (setting, default 30 days),
  // or sooner when his interval is shorter; never one full interval later.
  const firstVisits: [RiskLevel, PriorityGroup[], Partial<ScheduleSettings>, string][] = [
    ['low', [], {}, '2026-12-29'], // 30 days, not 90
    ['medium', [], {}, '2026-12-29'], // 30 days, not 60
    ['high', [], {}, '2026-12-29'], // the interval is 30 too
    ['urgent', [], {}, '2026-12-06'], // the 7-day interval is shorter
    ['low', ['dropout'], {}, '2026-12-29'],
    ['low', [], { firstVisitDays: 14 }, '2026-12-13'],
    ['low', [], { firstVisitDays: 1 }, '2026-11-30'],
    ['low', [], { firstVisitDays: 90 }, '2027-02-27'], // as long as the low interval, no longer
    ['medium', [], { firstVisitDays: 90 }, '2027-01-28'], // the 60-day interval is shorter
    ['low', ['no_hukou'], { firstVisitDays: 60, priorityMaxDays: 21 }, '2026-12-20'],
  ];
  it.each(firstVisits)('never visited, %s %j with %j, opened 2026-11-29 → due %s', (level, groups, change, due) => {
    const settings = { ...DEFAULT_SCHEDULE_SETTINGS, ...change };
    expect(nextVisitDue({ lastVisitDate: null, openedOn: '2026-11-29', level, groups }, settings)).toBe(due);
    expect(addDays('2026-11-29', firstVisitDays(level, groups, settings))).toBe(due);
  });
  it('a first visit is due soon after registration: a low-risk child registered today reads 正常 for 23 days, then due soon, then overdue on day 31', () => {
    const due = nextVisitDue({ lastVisitDate: null, openedOn: '2026-11-29', level: 'low', groups: [] });
    expect(visitState(due, '2026-11-29')).toBe('ok');
    expect(visitState(due, '2026-12-21')).toBe('ok');
    expect(visitState(due, '2026-12-22')).toBe('due_soon');
    expect(visitState(due, '2026-12-29')).toBe('due_soon');
    expect(visitState(due, '2026-12-30')).toBe('overdue');
  });
  it('once visited, the interval counts from the visit whatever the first-visit setting', () => {
    expect(nextVisitDue({ lastVisitDate: '2026-12-01', openedOn: '2026-11-29', level: 'low', groups: [] }, { ...DEFAULT_SCHEDULE_SETTINGS, firstVisitDays: 5 })).toBe('2027-03-01');
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

describe('dueLabel: one wording for a due date, wherever it is shown', () => {
  it.each([
    ['2026-11-27', { state: 'overdue', key: 'overdue', days: 2 }],
    ['2026-11-28', { state: 'overdue', key: 'overdue', days: 1 }],
    ['2026-11-29', { state: 'due_soon', key: 'due_today', days: 0 }], // 今天到期, never 即将到期
    ['2026-11-30', { state: 'due_soon', key: 'due_in', days: 1 }],
    ['2026-12-06', { state: 'due_soon', key: 'due_in', days: 7 }],
    ['2026-12-07', { state: 'ok', key: 'ok', days: 8 }],
  ] as const)('due %s seen on 2026-11-29 → %j', (due, label) => expect(dueLabel(due, '2026-11-29')).toEqual(label));
  it('follows the due-soon window of the settings, and its state is visitState’s', () => {
    const settings = { ...DEFAULT_SCHEDULE_SETTINGS, dueSoonDays: 3 };
    expect(dueLabel('2026-12-02', '2026-11-29', settings)).toEqual({ state: 'due_soon', key: 'due_in', days: 3 });
    expect(dueLabel('2026-12-03', '2026-11-29', settings)).toEqual({ state: 'ok', key: 'ok', days: 4 });
    for (const due of ['2026-11-01', '2026-11-29', '2026-12-01', '2027-01-01']) expect(dueLabel(due, '2026-11-29').state).toBe(visitState(due, '2026-11-29'));
  });
});
