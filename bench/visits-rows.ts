/**
 * Visits of the bench children (issue 4, deliverable 7: four a year for three
 * years), planned per child like the demo seed does it (server/seed/demo-visits.ts):
 * the village director visits mostly a few days before the due date, one visit
 * in seven late; about 7.5 % of the children overdue (visits stopped), 4 %
 * never visited (files opened lately), 3 % not seen in person in their latest
 * two visits; a few risk factors found. Each stored visit carries the due date
 * in force before it, and the child's schedule columns are folded from the
 * stored visits by the app's own foldVisits and computeSchedule.
 *
 * A child on a 90-day interval gets 12 visits in three years; a child of a
 * priority group (30 days) would get 36: only its latest 12 are kept (as if
 * its caseload had been visited monthly only for the last year), so that the
 * table holds about 12 visits per visited child.
 */
import { addDays } from '../domain/children/dates.js';
import type { ChildProfile } from '../domain/children/schema.js';
import { computeSchedule } from '../domain/visits/child-schedule.js';
import { VISIT_FACTORS, type ObservedFactors, type VisitFactor } from '../domain/visits/risk.js';
import type { Checklist, VisitKind } from '../domain/visits/schema.js';
import { newId } from '../server/core/ids.js';
import type { VisitTable } from '../server/db/schema.js';
import { factsOf } from '../server/features/children/child-file.js';
import { foldVisits, openedOnOf } from '../server/features/visits/visit-record.js';
import { seededRandom } from '../server/seed/random.js';

export const VISIT_COLUMNS = [
  'id', 'child_id', 'region_code', 'county_code', 'visit_date', 'kind', 'visitor_id', 'visitor_name', 'visitor_role', 'organisation_id',
  'seen_in_person', 'present', 'checklist', 'factors', 'follow_ups', 'campaign_answers', 'notes', 'dropout_risk', 'campaign_task_id', 'gps',
  'due_date', 'on_time', 'version', 'created_at', 'updated_at', 'corrected_at',
] as const satisfies readonly (keyof VisitTable)[];

/** The child columns a visit changes, then the row id (the statement's WHERE). */
export const CHILD_UPDATE_COLUMNS = [
  'created_at', 'updated_at', 'risk_level', 'risk_factors', 'risk_observed', 'last_visit_date', 'last_seen_date', 'unseen_streak', 'next_visit_due',
] as const;

/** What a worker is given per child. */
export type ChildIn = [rowid: number, id: string, region: string, county: string, birthDate: string, sex: string, profile: string, createdAt: string, updatedAt: string, status: string, riskObserved: string];

export interface VisitsPlan {
  seed: number;
  /** China's calendar date the data is generated for. */
  today: string;
  /** Village code → its director (id, display name). */
  directors: Record<string, [string, string]>;
}

/** Visits kept per child (see above). */
const KEEP = 12;
const SPAN_DAYS = 3 * 365;
const FACTOR_CHANCE: Record<VisitFactor, number> = {
  living_alone: 0.004,
  under8_unattended: 0.002,
  carer_unfit: 0.02,
  abuse_signs: 0.002,
  self_harm_talk: 0.002,
  psych_concern: 0.012,
};
const FACTOR_STAYS = 0.5;
const NOTES = ['孩子状态良好，按时上学', '祖父母身体尚可，照料到位', '家中卫生一般，已提醒', '父母每周视频通话', '孩子性格内向，需持续关注', '照护人年迈，建议增加走访'];

type Random = () => number;
const between = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

function checklistOf(factors: ObservedFactors): Checklist {
  const fine = { rating: 'fine' as const };
  const rate = (serious: boolean, concern: boolean) => (serious ? { rating: 'serious' as const } : concern ? { rating: 'concern' as const } : fine);
  return {
    safety: rate(!!factors.abuse_signs, !!factors.under8_unattended),
    living_conditions: rate(false, !!factors.living_alone),
    carer_care: rate(!!factors.under8_unattended, !!factors.carer_unfit),
    schooling: fine,
    health: fine,
    emotional_state: rate(!!factors.self_harm_talk, !!factors.psych_concern),
    needs: fine,
  };
}
const QUIET_CHECKLIST = JSON.stringify(checklistOf({}));
const QUIET_FACTORS = JSON.stringify(Object.fromEntries(VISIT_FACTORS.map((f) => [f, false])));
const NO_FOLLOW_UPS = '[]';
const PRESENT_UNSEEN = JSON.stringify(['grandparent']);
const PRESENT_SEEN: Record<string, string> = {
  entrusted: JSON.stringify(['child', 'entrusted_carer']),
  parent: JSON.stringify(['child', 'mother']),
  other: JSON.stringify(['child', 'grandparent']),
};

interface Planned {
  date: string;
  seen: boolean;
  kind: VisitKind;
  factors: ObservedFactors;
}

/** Builds the visits of a batch of children: visit rows (VISIT_COLUMNS order) and child updates (CHILD_UPDATE_COLUMNS + rowid). */
export function makeVisitsBuilder(plan: VisitsPlan) {
  const today = plan.today;
  return (batch: number, children: ChildIn[]): { visits: unknown[][]; updates: unknown[][] } => {
    const random = seededRandom(plan.seed * 7919 + batch);
    const visits: unknown[][] = [];
    const updates: unknown[][] = [];
    for (const [rowid, id, region, county, birthDate, sex, profileText, createdAt, updatedAt, status, riskObserved] of children) {
      const profile = JSON.parse(profileText) as ChildProfile;
      const facts = factsOf({ birthDate, sex: sex as 'male' | 'female', profile });
      if (status !== 'active') {
        // Awaiting approval, returned or closing: no visits; its schedule as the app's start-up fill computes it.
        const observed = JSON.parse(riskObserved) as ObservedFactors;
        const schedule = computeSchedule({ facts, observed, override: null, lastVisitDate: null, openedOn: openedOnOf(createdAt) }, today);
        updates.push([createdAt, updatedAt, schedule.risk.level, JSON.stringify(schedule.risk.factors), riskObserved, null, null, 0, schedule.nextDue, rowid]);
        continue;
      }
      const roll = random();
      const neverVisited = roll < 0.04;
      const overdue = roll >= 0.04 && roll < 0.115;
      const unseen = roll >= 0.115 && roll < 0.145;
      // The file's opening day (what the app reads from created_at): three years and more ago, or lately for the never visited.
      let created = createdAt;
      let opened = openedOnOf(createdAt);
      const latest = neverVisited ? addDays(today, -between(random, 0, 120)) : addDays(today, -SPAN_DAYS);
      if (neverVisited ? opened < latest : opened > latest) {
        opened = neverVisited ? latest : addDays(latest, -between(random, 0, 100));
        if (opened < birthDate) opened = birthDate;
        created = `${opened}T02:00:00.000Z`;
      }
      const updated = updatedAt > created ? updatedAt : created;

      const planned: Planned[] = [];
      const observed: ObservedFactors = {};
      const dueAfter = (last: string | null, asOf: string) => computeSchedule({ facts, observed, override: null, lastVisitDate: last, openedOn: opened }, asOf).nextDue;
      const visitOn = (date: string, seen: boolean) => {
        const factors: ObservedFactors = {};
        for (const f of VISIT_FACTORS) factors[f] = observed[f] ? random() < FACTOR_STAYS : random() < FACTOR_CHANCE[f];
        Object.assign(observed, factors);
        planned.push({ date, seen, kind: seen ? (random() < 0.05 ? 'joint' : 'home') : 'phone', factors });
      };
      if (!neverVisited) {
        let date = addDays(opened, between(random, 1, 40));
        while (date <= today) {
          visitOn(date, random() < 0.93);
          const due = dueAfter(date, date);
          const next = random() < 0.86 ? addDays(due, -between(random, 0, 10)) : addDays(due, between(random, 1, 20));
          date = next > date ? next : addDays(date, 1);
        }
        if (planned.length === 0) visitOn(today, true);
        const last = () => planned[planned.length - 1]!.date;
        if (overdue) {
          while (planned.length > 1 && dueAfter(last(), today) >= today) planned.pop();
          if (dueAfter(last(), today) >= today) planned[0] = { ...planned[0]!, date: opened };
        } else if (dueAfter(last(), today) < today) {
          visitOn(today, true);
        }
        if (unseen) for (const p of planned.slice(-2)) Object.assign(p, { seen: false, kind: 'phone' });
      }

      // The stored rows: the latest KEEP, each with the due date in force before it (set by the visit before, stored or not).
      const dropped = planned.length > KEEP ? planned.slice(0, planned.length - KEEP) : [];
      const kept = planned.slice(dropped.length);
      const soFar: ObservedFactors = {};
      for (const p of dropped) Object.assign(soFar, p.factors);
      let lastDate: string | null = dropped.at(-1)?.date ?? null;
      const director = plan.directors[region];
      const present = PRESENT_SEEN[profile.caregiver.kind === 'entrusted' ? 'entrusted' : profile.caregiver.kind === 'parent' ? 'parent' : 'other']!;
      const folded: { id: string; visit_date: string; created_at: string; seen_in_person: number; factors: string }[] = [];
      for (const p of kept) {
        const due = computeSchedule({ facts, observed: soFar, override: null, lastVisitDate: lastDate, openedOn: opened }, p.date).nextDue;
        const at = `${p.date}T0${between(random, 1, 9)}:${String(between(random, 0, 59)).padStart(2, '0')}:00.000Z`;
        const concern = VISIT_FACTORS.some((f) => p.factors[f]);
        const factors = concern ? JSON.stringify(p.factors) : QUIET_FACTORS;
        const visitId = newId();
        const row: Record<(typeof VISIT_COLUMNS)[number], unknown> = {
          id: visitId,
          child_id: id,
          region_code: region,
          county_code: county,
          visit_date: p.date,
          kind: p.kind,
          visitor_id: director?.[0] ?? null,
          visitor_name: director?.[1] ?? '儿童主任',
          visitor_role: 'director',
          organisation_id: null,
          seen_in_person: p.seen ? 1 : 0,
          present: p.seen ? present : PRESENT_UNSEEN,
          checklist: concern ? JSON.stringify(checklistOf(p.factors)) : QUIET_CHECKLIST,
          factors,
          follow_ups: concern ? JSON.stringify([{ kind: p.factors.psych_concern || p.factors.self_harm_talk ? 'referral' : 'revisit', note: null }]) : NO_FOLLOW_UPS,
          campaign_answers: null,
          notes: random() < 0.3 ? NOTES[between(random, 0, NOTES.length - 1)]! : null,
          dropout_risk: null,
          campaign_task_id: null,
          gps: null,
          due_date: due,
          on_time: p.date <= due ? 1 : 0,
          version: 1,
          created_at: at,
          updated_at: at,
          corrected_at: null,
        };
        visits.push(VISIT_COLUMNS.map((c) => row[c]));
        folded.push({ id: visitId, visit_date: p.date, created_at: at, seen_in_person: p.seen ? 1 : 0, factors });
        Object.assign(soFar, p.factors);
        lastDate = p.date;
      }
      const history = foldVisits(folded);
      const schedule = computeSchedule({ facts, observed: history.observed, override: null, lastVisitDate: history.lastVisitDate, openedOn: opened }, today);
      updates.push([
        created,
        updated,
        schedule.risk.level,
        JSON.stringify(schedule.risk.factors),
        JSON.stringify(history.observed),
        history.lastVisitDate,
        history.lastSeenDate,
        history.unseenStreak,
        schedule.nextDue,
        rowid,
      ]);
    }
    return { visits, updates };
  };
}
