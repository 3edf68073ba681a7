/**
 * A child's risk and next due date from everything they depend on: the file's
 * facts, what visits observed, an override, the last visit. One function, so
 * that every writer (registration, edit, import, visit, daily re-derivation,
 * settings change) stores the same due date, and every reader states it alike.
 */
import type { ChildFacts } from '../children/facts.js';
import { assessRisk, currentRiskFactors, fileRiskFactors, type ObservedFactors, type RiskAssessment, type RiskOverride } from './risk.js';
import { DEFAULT_SCHEDULE_SETTINGS, nextVisitDue, priorityGroups, visitIntervalDays, type PriorityGroup, type ScheduleSettings } from './schedule.js';

export interface ScheduleInputs {
  facts: ChildFacts;
  observed: ObservedFactors;
  override: RiskOverride | null;
  lastVisitDate: string | null;
  /** The day the file was opened: a never-visited child is due for a first visit soon after (settings.firstVisitDays). */
  openedOn: string;
  recentReportOrReferral?: boolean;
}

export interface ComputedSchedule {
  risk: RiskAssessment;
  priorityGroups: PriorityGroup[];
  intervalDays: number;
  nextDue: string;
}

export function computeSchedule(inputs: ScheduleInputs, today: string, settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS): ComputedSchedule {
  const factors = currentRiskFactors(fileRiskFactors(inputs.facts, today), inputs.observed, inputs.recentReportOrReferral ?? false);
  const risk = assessRisk(factors, inputs.override);
  const groups = priorityGroups(inputs.facts);
  return {
    risk,
    priorityGroups: groups,
    intervalDays: visitIntervalDays(risk.level, groups, settings),
    nextDue: nextVisitDue({ lastVisitDate: inputs.lastVisitDate, openedOn: inputs.openedOn, level: risk.level, groups }, settings),
  };
}
