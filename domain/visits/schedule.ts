/**
 * Visit schedule (DESIGN §4): due date = last completed visit + interval, the
 * interval set by risk level and shortened for the priority groups. Due,
 * due-soon and overdue are worked out at read time from these functions, by the
 * server and the web app alike; nothing stores a status.
 */
import { addDays, daysBetween } from '../children/dates.js';
import type { ChildFacts } from '../children/facts.js';
import type { RiskLevel } from './risk.js';

export interface ScheduleSettings {
  /** Days between visits per risk level (defaults urgent 7, high 30, medium 60, low 90). */
  intervalDays: Record<RiskLevel, number>;
  /** The priority groups are visited at least this often (30 days). */
  priorityMaxDays: number;
  /** "Due soon" is this many days ahead (7). */
  dueSoonDays: number;
  /** A child never visited is due for a first visit at most this many days after the file was opened (30). */
  firstVisitDays: number;
}

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = {
  intervalDays: { urgent: 7, high: 30, medium: 60, low: 90 },
  priorityMaxDays: 30,
  dueSoonDays: 7,
  firstVisitDays: 30,
};

export const PRIORITY_GROUPS = ['poor_guardianship', 'entrusted_care', 'dropout', 'no_hukou', 'serious_illness_disability'] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];

/**
 * The seed document's priority groups: poor guardianship (the carer's capacity
 * rated poor, or the file records abuse, abandonment or improper care) or
 * entrusted care (委托照护), dropout, no household registration, serious
 * illness or disability.
 */
export function priorityGroups(facts: Pick<ChildFacts, 'hukouType' | 'health' | 'caregiver' | 'schoolStatus' | 'guardianship'>): PriorityGroup[] {
  const out: PriorityGroup[] = [];
  const g = facts.guardianship;
  if (facts.caregiver.capacity === 'poor' || g.abuse || g.abandonment || g.improperCare) out.push('poor_guardianship');
  if (facts.caregiver.kind === 'entrusted') out.push('entrusted_care');
  if (facts.schoolStatus === 'dropped_out') out.push('dropout');
  if (facts.hukouType === 'none') out.push('no_hukou');
  if (facts.health.status !== 'healthy') out.push('serious_illness_disability');
  return out;
}

export function visitIntervalDays(level: RiskLevel, groups: readonly PriorityGroup[], settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): number {
  const interval = settings.intervalDays[level];
  return groups.length > 0 ? Math.min(interval, settings.priorityMaxDays) : interval;
}

/**
 * Days from the file's opening to a first visit: the first-visit setting, or
 * the child's interval when that is shorter (an urgent child is not left a month).
 */
export function firstVisitDays(level: RiskLevel, groups: readonly PriorityGroup[], settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): number {
  return Math.min(settings.firstVisitDays, visitIntervalDays(level, groups, settings));
}

/**
 * The next visit's due date: the last completed visit plus the interval. A
 * child never visited is due for a first visit `firstVisitDays` after the file
 * was opened (`openedOn`, registration or import), not one full interval
 * later: nobody has seen him yet. The work list also shows him as never visited.
 */
export function nextVisitDue(input: { lastVisitDate: string | null; openedOn: string; level: RiskLevel; groups: readonly PriorityGroup[] }, settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): string {
  if (input.lastVisitDate === null) return addDays(input.openedOn, firstVisitDays(input.level, input.groups, settings));
  return addDays(input.lastVisitDate, visitIntervalDays(input.level, input.groups, settings));
}

export const VISIT_STATES = ['overdue', 'due_soon', 'ok'] as const;
export type VisitState = (typeof VISIT_STATES)[number];

/** Overdue once the due date has passed; due soon from `dueSoonDays` before it to the day itself. */
export function visitState(dueDate: string, today: string, settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): VisitState {
  const daysLeft = daysBetween(today, dueDate);
  if (daysLeft < 0) return 'overdue';
  return daysLeft <= settings.dueSoonDays ? 'due_soon' : 'ok';
}

/**
 * What a due date says on `today`, in one wording for every page (child page,
 * list, work lists, home): overdue by N days, due today (今天到期), due in N
 * days while due soon, or on schedule. Derived from visitState, so the words
 * and the lists' filters never disagree.
 */
export type DueLabel = { state: 'overdue'; key: 'overdue'; days: number } | { state: 'due_soon'; key: 'due_today' | 'due_in'; days: number } | { state: 'ok'; key: 'ok'; days: number };

export function dueLabel(dueDate: string, today: string, settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): DueLabel {
  const daysLeft = daysBetween(today, dueDate);
  const state = visitState(dueDate, today, settings);
  switch (state) {
    case 'overdue':
      return { state, key: 'overdue', days: -daysLeft };
    case 'due_soon':
      return { state, key: daysLeft === 0 ? 'due_today' : 'due_in', days: daysLeft };
    case 'ok':
      return { state, key: 'ok', days: daysLeft };
  }
}

/** The last day that still counts as "not overdue" for a given today: overdue ⇔ due < today. Used by SQL filters. */
export const overdueBefore = (today: string): string => today;
/** Due soon ⇔ today ≤ due ≤ dueSoonLimit(today). */
export const dueSoonLimit = (today: string, settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): string => addDays(today, settings.dueSoonDays);
