/**
 * A year of visits for the demo population (demo mode only), deterministic:
 * most children visited on schedule by their village director, about 8%
 * overdue, some never visited yet (registered lately), some not seen in person
 * in their latest visits, a few risk factors observed; the in-school pupils of
 * the demo school's township linked to it, with vacation home visits by its
 * contact. Planned before the children are inserted (their schedule columns
 * are filled here, through the same fold and computeSchedule as a recorded
 * visit), the visits inserted after them.
 */
import { addDays, daysBetween } from '../../domain/children/dates.js';
import type { ChildProfile } from '../../domain/children/schema.js';
import { computeSchedule } from '../../domain/visits/child-schedule.js';
import { VISIT_FACTORS, type ObservedFactors, type VisitFactor } from '../../domain/visits/risk.js';
import type { ScheduleSettings } from '../../domain/visits/schedule.js';
import { VACATION_CHECKLIST_ITEMS, type Checklist, type VisitKind } from '../../domain/visits/schema.js';
import { isWithinRegion } from '../../domain/regions.js';
import type { Db } from '../db/database.js';
import type { ChildTable, VisitTable } from '../db/schema.js';
import { newId } from '../core/ids.js';
import { factsOf } from '../features/children/child-file.js';
import { foldVisits } from '../features/visits/visit-record.js';
import { seededRandom } from './random.js';

type Random = () => number;
const between = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** How often a visit finds each factor (a factor found stays with this chance at the next visit). */
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

export interface DemoVisitActors {
  /** The director of each village (region code → account). */
  directors: Map<string, { id: string; name: string }>;
  /** The demo school's contact, and the school (its pupils get vacation visits). */
  school: { userId: string; name: string; orgId: string; regionCode: string } | null;
}

/** The demo accounts a visit is made by. */
export async function demoVisitActors(db: Db): Promise<DemoVisitActors> {
  const directors = new Map((await db.selectFrom('users').select(['id', 'display_name', 'region_code']).where('role', '=', 'director').execute()).map((u) => [u.region_code ?? '', { id: u.id, name: u.display_name }]));
  const school = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.display_name', 'organisations.id as org_id', 'organisations.region_code'])
    .where('users.username', '=', 'school-demo')
    .executeTakeFirst();
  return { directors, school: school ? { userId: school.id, name: school.display_name, orgId: school.org_id, regionCode: school.region_code } : null };
}

interface Planned {
  date: string;
  seen: boolean;
  kind: VisitKind;
  factors: ObservedFactors;
  school: boolean;
}

/** The latest school vacations (summer 10 July–25 August, winter 20 January–20 February) begun within the last year. */
function vacationWindows(today: string): [string, string][] {
  const year = Number(today.slice(0, 4));
  const windows: [string, string][] = [];
  for (const y of [year - 1, year]) {
    for (const [from, to] of [[`${y}-01-20`, `${y}-02-20`], [`${y}-07-10`, `${y}-08-25`]] as const) {
      if (from <= today && from > addDays(today, -365)) windows.push([from, to < today ? to : today]);
    }
  }
  return windows;
}

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

// Most visits find nothing: their JSON is the same text.
const QUIET_CHECKLIST = JSON.stringify(checklistOf({}));
// A teacher's vacation visit answers its own items only; the others were not asked.
const QUIET_VACATION_CHECKLIST = JSON.stringify(Object.fromEntries(VACATION_CHECKLIST_ITEMS.map((item) => [item, { rating: 'fine' }])));
const QUIET_FACTORS = JSON.stringify(Object.fromEntries(VISIT_FACTORS.map((f) => [f, false])));

/**
 * Plans the visits of the children about to be inserted, and fills their
 * schedule columns (and school links) accordingly. Active files only: files
 * awaiting approval were registered just now.
 */
export function planDemoVisits(children: ChildTable[], actors: DemoVisitActors, today: string, settings: ScheduleSettings): VisitTable[] {
  const random = seededRandom(43120004);
  const windows = vacationWindows(today);
  const out: VisitTable[] = [];
  for (const child of children) {
    if (child.status !== 'active') continue;
    const profile = JSON.parse(child.profile) as ChildProfile;
    const facts = factsOf({ birthDate: child.birth_date, sex: child.sex as 'male' | 'female', profile });
    const roll = random();
    const neverVisited = roll < 0.04;
    const overdue = roll >= 0.04 && roll < 0.115;
    const unseen = roll >= 0.115 && roll < 0.145;
    // Files were opened over the last three years; the never visited ones lately.
    const openedOn = neverVisited ? addDays(today, -between(random, 0, 120)) : addDays(today, -between(random, 200, 1100));
    const opened = openedOn > child.birth_date ? openedOn : child.birth_date;
    child.created_at = `${opened}T02:00:00.000Z`;

    const pupil = !!actors.school && child.school_status === 'in_school' && isWithinRegion(child.region_code, actors.school.regionCode) && child.region_code.slice(0, 6) === actors.school.regionCode.slice(0, 6);
    if (pupil) {
      child.school_org_id = actors.school!.orgId;
      child.profile = JSON.stringify({ ...profile, schooling: { ...profile.schooling, schoolOrgId: actors.school!.orgId } });
    }

    const planned: Planned[] = [];
    const observed: ObservedFactors = {};
    const dueAfter = (last: string | null, asOf: string) => computeSchedule({ facts, observed, override: null, lastVisitDate: last, openedOn: opened }, asOf, settings).nextDue;
    const visitOn = (date: string, seen: boolean, kind: VisitKind = seen ? (random() < 0.05 ? 'joint' : 'home') : 'phone', school = false) => {
      const factors: ObservedFactors = {};
      for (const f of VISIT_FACTORS) {
        const seenNow = observed[f] ? random() < FACTOR_STAYS : random() < FACTOR_CHANCE[f];
        // A teacher's vacation visit is not asked about the factors (the draw is made all the same, so the rest of the data stays put).
        if (!school) factors[f] = seenNow;
      }
      Object.assign(observed, factors);
      planned.push({ date, seen, kind, factors, school });
    };
    if (!neverVisited) {
      const start = opened > addDays(today, -380) ? opened : addDays(today, -380);
      let date = addDays(start, between(random, 1, 40));
      while (date <= today) {
        visitOn(date, random() < 0.93);
        const due = dueAfter(date, date);
        // Mostly a few days before the due date; one visit in seven late.
        const next = random() < 0.86 ? addDays(due, -between(random, 0, 10)) : addDays(due, between(random, 1, 20));
        date = next > date ? next : addDays(date, 1);
      }
      if (planned.length === 0) visitOn(today, true);
      const last = () => planned[planned.length - 1]!.date;
      if (overdue) {
        // Visits stopped: drop the latest until the schedule has fallen behind.
        while (planned.length > 1 && dueAfter(last(), today) >= today) planned.pop();
        // One visit left and still not due: it was made the day the file was opened (over 200 days ago).
        if (dueAfter(last(), today) >= today) planned[0] = { ...planned[0]!, date: opened };
      } else if (dueAfter(last(), today) < today) {
        visitOn(today, true);
      }
      if (unseen) for (const p of planned.slice(-2)) Object.assign(p, { seen: false, kind: 'phone' });
    }
    if (pupil && !neverVisited) {
      for (const [from, to] of windows) {
        if (random() < 0.45 && from >= opened) visitOn(addDays(from, between(random, 0, Math.max(0, daysBetween(from, to)))), true, 'school_vacation', true);
      }
    }

    // The stored rows, in date order: each with the due date in force before it, then the child's columns from all of them.
    planned.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const rows: VisitTable[] = [];
    const soFar: ObservedFactors = {};
    let lastDate: string | null = null;
    for (const p of planned) {
      const due = computeSchedule({ facts, observed: soFar, override: null, lastVisitDate: lastDate, openedOn: opened }, p.date, settings).nextDue;
      const director = actors.directors.get(child.region_code);
      const at = `${p.date}T${String(between(random, 1, 9)).padStart(2, '0')}:${String(between(random, 0, 59)).padStart(2, '0')}:00.000Z`;
      const concern = Object.values(p.factors).some(Boolean);
      rows.push({
        id: newId(),
        child_id: child.id,
        region_code: child.region_code,
        county_code: child.county_code,
        visit_date: p.date,
        kind: p.kind,
        visitor_id: p.school ? actors.school!.userId : (director?.id ?? null),
        visitor_name: p.school ? actors.school!.name : (director?.name ?? '儿童主任'),
        visitor_role: p.school ? 'school' : 'director',
        organisation_id: p.school ? actors.school!.orgId : null,
        seen_in_person: p.seen ? 1 : 0,
        present: JSON.stringify(p.seen ? ['child', profile.caregiver.kind === 'entrusted' ? 'entrusted_carer' : profile.caregiver.kind === 'parent' ? 'mother' : 'grandparent'] : ['grandparent']),
        checklist: p.school ? QUIET_VACATION_CHECKLIST : concern ? JSON.stringify(checklistOf(p.factors)) : QUIET_CHECKLIST,
        checklist_all_fine: 0,
        factors: p.school ? '{}' : concern ? JSON.stringify(p.factors) : QUIET_FACTORS,
        follow_ups: JSON.stringify(concern ? [{ kind: p.factors.psych_concern || p.factors.self_harm_talk ? 'referral' : 'revisit', note: null }] : []),
        campaign_answers: null,
        notes: random() < 0.3 ? NOTES[between(random, 0, NOTES.length - 1)]! : null,
        dropout_risk: p.school ? (random() < 0.04 ? 1 : 0) : null,
        campaign_task_id: null,
        gps: null,
        due_date: due,
        on_time: p.date <= due ? 1 : 0,
        version: 1,
        created_at: at,
        updated_at: at,
        corrected_at: null,
      });
      Object.assign(soFar, p.factors);
      lastDate = p.date;
    }
    const history = foldVisits(rows);
    const schedule = computeSchedule({ facts, observed: history.observed, override: null, lastVisitDate: history.lastVisitDate, openedOn: opened }, today, settings);
    child.risk_level = schedule.risk.level;
    child.risk_factors = JSON.stringify(schedule.risk.factors);
    child.risk_observed = JSON.stringify(history.observed);
    child.last_visit_date = history.lastVisitDate;
    child.last_seen_date = history.lastSeenDate;
    child.unseen_streak = history.unseenStreak;
    child.next_visit_due = schedule.nextDue;
    out.push(...rows);
  }
  return out;
}
