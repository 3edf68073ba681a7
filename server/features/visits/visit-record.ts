/**
 * Pure helpers of the visits feature: the child's visit-derived state folded
 * from its visits, the schedule as the child page shows it, presenting a visit,
 * what its findings suggest, and the field-by-field diff of a correction.
 * No database here.
 */
import type { RegionRef } from '../../../domain/api.js';
import { isIsoDate } from '../../../domain/children/dates.js';
import type { ChildFacts } from '../../../domain/children/facts.js';
import type { FileRef } from '../../../domain/children/schema.js';
import { riskLevelOf, VISIT_FACTORS, type ObservedFactors, type RiskFactor, type RiskLevel, type RiskOverride } from '../../../domain/visits/risk.js';
import { firstVisitDays, nextVisitDue, priorityGroups, visitIntervalDays, visitState, type ScheduleSettings } from '../../../domain/visits/schedule.js';
import type { ChildSchedule } from '../../../domain/visits/schedule-schema.js';
import type { Checklist, RecordedVisit, VisitCorrection, VisitInput, VisitKind, VisitRecord, VisitSuggestion } from '../../../domain/visits/schema.js';
import { localToday } from '../../core/clock.js';
import type { ChildRow, VisitRow, VisitTable } from '../../db/schema.js';

/** A visit's author may correct it alone for this long; afterwards a supervisor, with a reason. */
export const AUTHOR_CORRECTION_MS = 24 * 3_600_000;

/** Kinds each side records: school contacts make vacation home visits (寒暑假家访), staff the others. */
export const STAFF_VISIT_KINDS: readonly VisitKind[] = ['home', 'phone', 'key_verification', 'joint'];
export const SCHOOL_VISIT_KINDS: readonly VisitKind[] = ['school_vacation'];

/** The calendar date (China time) a file was opened: a never-visited child is due for a first visit soon after. */
export const openedOnOf = (createdAt: string): string => localToday({ now: () => new Date(createdAt) });

export interface VisitHistoryState {
  observed: ObservedFactors;
  lastVisitDate: string | null;
  lastSeenDate: string | null;
  unseenStreak: number;
}

/**
 * What a child's visits leave behind, recomputed from all of them (a child has
 * a few a year): each factor as the latest visit answering it left it, the
 * latest visit, the latest visit in person, and how many of the latest visits
 * in a row did not see the child. Recomputing rather than adjusting makes a
 * visit that arrives late from an offline phone, or a corrected date, land
 * in its place.
 */
export function foldVisits(visits: readonly Pick<VisitRow, 'id' | 'visit_date' | 'created_at' | 'seen_in_person' | 'factors'>[]): VisitHistoryState {
  const ordered = [...visits].sort((a, b) => (a.visit_date !== b.visit_date ? (a.visit_date < b.visit_date ? -1 : 1) : a.created_at !== b.created_at ? (a.created_at < b.created_at ? -1 : 1) : a.id < b.id ? -1 : 1));
  const observed: ObservedFactors = {};
  let lastSeenDate: string | null = null;
  let unseenStreak = 0;
  for (const v of ordered) {
    const answered = JSON.parse(v.factors) as ObservedFactors;
    for (const f of VISIT_FACTORS) if (typeof answered[f] === 'boolean') observed[f] = answered[f];
    if (v.seen_in_person === 1) {
      lastSeenDate = v.visit_date;
      unseenStreak = 0;
    } else unseenStreak++;
  }
  return { observed, lastVisitDate: ordered.at(-1)?.visit_date ?? null, lastSeenDate, unseenStreak };
}

/**
 * The child's schedule as stored (risk level, factors, due date: what every
 * list and count reads), with its state worked out for today. Null for a closed file.
 */
export function presentSchedule(row: ChildRow, facts: ChildFacts, today: string, settings: ScheduleSettings): ChildSchedule | null {
  if (row.status === 'closed') return null;
  const factors = JSON.parse(row.risk_factors) as RiskFactor[];
  const override = row.risk_override ? (JSON.parse(row.risk_override) as RiskOverride) : null;
  const level = row.risk_level as RiskLevel;
  const groups = priorityGroups(facts);
  const nextDue = row.next_visit_due ?? nextVisitDue({ lastVisitDate: row.last_visit_date, openedOn: openedOnOf(row.created_at), level, groups }, settings);
  return {
    risk: { level, derived: riskLevelOf(factors), factors, override },
    priorityGroups: groups,
    intervalDays: visitIntervalDays(level, groups, settings),
    firstVisitDays: row.last_visit_date === null ? firstVisitDays(level, groups, settings) : null,
    lastVisitDate: row.last_visit_date,
    lastSeenDate: row.last_seen_date,
    nextDue,
    state: visitState(nextDue, today, settings),
    unseenStreak: row.unseen_streak,
  };
}

export function suggestionsOf(factors: ObservedFactors): VisitSuggestion[] {
  const out: VisitSuggestion[] = [];
  if (factors.psych_concern || factors.self_harm_talk) out.push('referral_social_work');
  if (factors.abuse_signs) out.push('mandatory_report');
  return out;
}

const gpsText = (gps: VisitInput['gps']): string | null => (gps ? `${gps.lat.toFixed(6)},${gps.lon.toFixed(6)}` : null);
function gpsOf(text: string | null): VisitRecord['gps'] {
  if (!text) return null;
  const [lat, lon] = text.split(',').map(Number);
  return { lat: lat!, lon: lon! };
}

/** Only the answered factors are kept: a factor left out was not checked. */
function answeredFactors(factors: ObservedFactors): ObservedFactors {
  const out: ObservedFactors = {};
  for (const f of VISIT_FACTORS) if (typeof factors[f] === 'boolean') out[f] = factors[f];
  return out;
}

type VisitContent = Omit<VisitCorrection, 'version' | 'reason'>;

/** The columns a visit's content fills (on recording and on each correction). */
export function visitContentColumns(input: VisitContent) {
  return {
    visit_date: input.visitDate,
    kind: input.kind,
    seen_in_person: input.seenInPerson ? 1 : 0,
    present: JSON.stringify([...new Set(input.present)]),
    checklist: JSON.stringify(input.checklist),
    checklist_all_fine: input.checklistAllFine ? 1 : 0,
    factors: JSON.stringify(answeredFactors(input.factors)),
    follow_ups: JSON.stringify(input.followUps),
    campaign_answers: input.campaignAnswers ? JSON.stringify(input.campaignAnswers) : null,
    notes: input.notes?.trim() ? input.notes.trim() : null,
    dropout_risk: input.dropoutRisk === undefined || input.dropoutRisk === null ? null : input.dropoutRisk ? 1 : 0,
    gps: gpsText(input.gps),
  } satisfies Partial<VisitTable>;
}

/** A stored visit's content in the shape of the API (what a correction compares). */
export function contentOf(row: VisitRow, photoIds: string[]): VisitContent {
  return {
    visitDate: row.visit_date,
    kind: row.kind as VisitKind,
    seenInPerson: row.seen_in_person === 1,
    present: JSON.parse(row.present) as VisitContent['present'],
    checklist: JSON.parse(row.checklist) as Checklist,
    checklistAllFine: row.checklist_all_fine === 1,
    factors: JSON.parse(row.factors) as ObservedFactors,
    notes: row.notes,
    followUps: JSON.parse(row.follow_ups) as VisitContent['followUps'],
    photoIds,
    dropoutRisk: row.dropout_risk === null ? null : row.dropout_risk === 1,
    campaignAnswers: row.campaign_answers ? (JSON.parse(row.campaign_answers) as VisitContent['campaignAnswers']) : null,
    gps: gpsOf(row.gps),
  };
}

const CORRECTABLE_FIELDS = ['visitDate', 'kind', 'seenInPerson', 'present', 'checklist', 'checklistAllFine', 'factors', 'notes', 'followUps', 'photoIds', 'dropoutRisk', 'campaignAnswers', 'gps'] as const;

/** Old → new per field that a correction changes (values as the API shows them). */
export function correctionChanges(before: VisitContent, after: VisitContent): { field: string; from: unknown; to: unknown }[] {
  const norm = (field: (typeof CORRECTABLE_FIELDS)[number], c: VisitContent): unknown => {
    if (field === 'present' || field === 'photoIds') return [...new Set<string>(c[field])].sort();
    if (field === 'factors') return answeredFactors(c.factors);
    if (field === 'notes') return c.notes?.trim() ? c.notes.trim() : null;
    if (field === 'gps') return gpsOf(gpsText(c.gps));
    if (field === 'checklistAllFine') return c.checklistAllFine === true;
    return c[field] ?? null;
  };
  const stable = (v: unknown): string => JSON.stringify(v, (_k, value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value));
  return CORRECTABLE_FIELDS.filter((f) => stable(norm(f, before)) !== stable(norm(f, after))).map((f) => ({ field: f, from: norm(f, before), to: norm(f, after) }));
}

export type VisitWithChild = VisitRow & { child_name: string; region_name: string };

export function presentVisit(row: VisitWithChild, photos: FileRef[], correction: VisitRecord['correction']): VisitRecord {
  const content = contentOf(row, []);
  const { photoIds: _p, ...rest } = content;
  return {
    ...rest,
    id: row.id,
    childId: row.child_id,
    childName: row.child_name,
    region: { code: row.region_code, name: row.region_name, level: 'village' } satisfies RegionRef,
    visitor: { id: row.visitor_id, name: row.visitor_name, role: row.visitor_role },
    photos,
    campaignTaskId: row.campaign_task_id,
    dueDate: row.due_date,
    onTime: row.on_time === null ? null : row.on_time === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    corrected: row.corrected_at !== null,
    correction,
  };
}

export const isRealDate = (text: string): boolean => isIsoDate(text);

/** What a visit's findings suggest next (the answer to recording or correcting it). */
export const recordedVisit = (visit: VisitRecord): RecordedVisit => ({ ...visit, suggestions: suggestionsOf(visit.factors) });
