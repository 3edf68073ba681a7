/**
 * Work lists (DESIGN §4): what is due this week, overdue, never visited, not
 * seen in person, aging out, open verification tasks, letters to sign and
 * files missing a fact that decides a category (缺少关键信息); per village with
 * each director's on-time rate for a supervisor, per township or county for
 * the civil-affairs offices. States come from the due date at read time with
 * the domain's rules (domain/visits/schedule.ts), so no list drifts from the
 * child page.
 */
import type { RegionRef } from '../../../domain/api.js';
import { addDays, daysBetween } from '../../../domain/children/dates.js';
import { missingFactsOfColumn } from '../../../domain/children/facts-missing.js';
import { regionLevel, type RegionLevel } from '../../../domain/regions.js';
import { dueSoonLimit, overdueBefore, visitState, type ScheduleSettings } from '../../../domain/visits/schedule.js';
import {
  WORKLIST_AGING_OUT_DAYS,
  WORKLIST_KINDS,
  WORKLIST_ON_TIME_DAYS,
  WORKLIST_UNSEEN_VISITS,
  type WorklistCounts,
  type WorklistKind,
  type WorklistPage,
  type WorklistQuery,
  type WorklistRegionCounts,
  type WorklistRow,
} from '../../../domain/visits/schema.js';
import type { RiskLevel } from '../../../domain/visits/risk.js';
import { assertInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import type { RegionRow } from '../../db/schema.js';
import { scheduleSettings } from '../shared/stored-settings.js';
import { findRegionPath, findRegions, listChildRegions } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import {
  countByVillage,
  countOpenCampaignTasks,
  findDirectors,
  listWorklistPage,
  tallyVisits,
  type RegionCountRow,
  type VisitTally,
  type WorklistChildRow,
  type WorklistDates,
} from './worklists.repository.js';

/** How many leading digits name the region one level down (a village has none). */
const CHILD_PREFIX: Record<RegionLevel, number | null> = { province: 4, city: 6, county: 9, township: 12, village: null };

function datesOf(today: string, settings: ScheduleSettings): WorklistDates {
  return {
    today: overdueBefore(today),
    dueSoonLimit: dueSoonLimit(today, settings),
    agingOutBy: addDays(today, WORKLIST_AGING_OUT_DAYS),
    unseenVisits: WORKLIST_UNSEEN_VISITS,
  };
}

/** The region the lists are for: the actor's scope, or a region inside it; outside or unknown → 404. */
async function resolveRegion(deps: Deps, ctx: RequestContext, region: string | undefined): Promise<{ row: RegionRow; path: RegionRow[] }> {
  requirePermission(ctx.actor, 'worklist.read');
  const code = region ?? ctx.actor.scopeRegion;
  assertInScope(ctx.actor, code);
  const path = await findRegionPath(deps.db, code);
  const row = path[path.length - 1];
  if (!row || row.code !== code) throw notFound();
  return { row, path };
}

/** On-time rate: on-time visits over those visits plus the children overdue now; null with neither. */
export function onTimeRate(onTime: number, visits: number, overdue: number): number | null {
  const denominator = visits + overdue;
  return denominator === 0 ? null : onTime / denominator;
}

export async function getWorklistCounts(deps: Deps, ctx: RequestContext, region: string | undefined): Promise<WorklistCounts> {
  const { row, path } = await resolveRegion(deps, ctx, region);
  const today = localToday(deps.clock);
  const settings = await scheduleSettings(deps.db);
  const dates = datesOf(today, settings);
  const prefixLength = CHILD_PREFIX[regionLevel(row.code)];
  // On-time rates for villages (a supervisor's table) and townships (a county's); a city's counties go without.
  const rated = prefixLength === 12 || prefixLength === 9;

  const [villages, campaign, tallies, childRegions] = await Promise.all([
    countByVillage(deps.db, row.code, dates),
    countOpenCampaignTasks(deps.db, row.code),
    rated ? tallyVisits(deps.db, row.code, addDays(today, -(WORKLIST_ON_TIME_DAYS - 1)), today, prefixLength === 12) : Promise.resolve([] as VisitTally[]),
    prefixLength === null ? Promise.resolve([] as RegionRow[]) : listChildRegions(deps.db, row.code),
  ]);

  const counts = Object.fromEntries(WORKLIST_KINDS.map((kind) => [kind, 0])) as Record<WorklistKind, number>;
  let dueToday = 0;
  for (const v of villages) {
    dueToday += v.due_today;
    counts.overdue += v.overdue;
    counts.due_this_week += v.due_this_week;
    counts.never_visited += v.never_visited;
    counts.unseen += v.unseen;
    counts.aging_out += v.aging_out;
    counts.letters_missing += v.letters_missing;
    counts.facts_missing += v.facts_missing;
  }
  counts.campaign = campaign;

  const regions = prefixLength === null ? [] : await regionRows(deps, prefixLength, rated, villages, tallies, childRegions);
  return { region: presentRegionRef(row), path: path.map(presentRegionRef), counts, dueToday, regions };
}

interface Tally {
  active: number;
  overdue: number;
  dueThisWeek: number;
  neverVisited: number;
  lettersMissing: number;
  visits: number;
  onTime: number;
}

/** Village rows rolled up to the regions one level down, with their on-time rates; worst first. */
async function regionRows(
  deps: Deps,
  prefixLength: number,
  rated: boolean,
  villages: RegionCountRow[],
  tallies: VisitTally[],
  childRegions: RegionRow[],
): Promise<WorklistRegionCounts[]> {
  const keyOf = (code: string) => code.slice(0, prefixLength).padEnd(12, '0');
  const byRegion = new Map<string, Tally>();
  const tally = (code: string) => {
    let t = byRegion.get(code);
    if (!t) byRegion.set(code, (t = { active: 0, overdue: 0, dueThisWeek: 0, neverVisited: 0, lettersMissing: 0, visits: 0, onTime: 0 }));
    return t;
  };
  for (const r of childRegions) tally(r.code);
  for (const v of villages) {
    const t = tally(keyOf(v.region_code));
    t.active += v.active;
    t.overdue += v.overdue;
    t.dueThisWeek += v.due_this_week;
    t.neverVisited += v.never_visited;
    t.lettersMissing += v.letters_missing;
  }
  for (const v of tallies) {
    const t = tally(keyOf(v.region_code));
    t.visits += v.visits;
    t.onTime += v.on_time;
  }
  // Regions known only from their files (a code since retired) still need a name.
  const known = new Map(childRegions.map((r) => [r.code, r]));
  const missing = [...byRegion.keys()].filter((code) => !known.has(code));
  for (const r of await findRegions(deps.db, missing)) known.set(r.code, r);

  const directors = prefixLength === 12 ? await findDirectors(deps.db, [...byRegion.keys()]) : [];
  const rows: WorklistRegionCounts[] = [];
  for (const [code, t] of byRegion) {
    const region: RegionRef = known.has(code) ? presentRegionRef(known.get(code)!) : { code, name: code, level: regionLevel(code) };
    rows.push({
      region,
      active: t.active,
      overdue: t.overdue,
      dueThisWeek: t.dueThisWeek,
      neverVisited: t.neverVisited,
      lettersMissing: t.lettersMissing,
      onTimeRate: rated ? onTimeRate(t.onTime, t.visits, t.overdue) : null,
      visits: rated ? t.visits : null,
      directors: directors
        .filter((d) => d.region_code === code)
        .map((d) => {
          const own = tallies.find((v) => v.region_code === code && v.visitor_id === d.id);
          return { id: d.id, name: d.display_name, visits: own?.visits ?? 0, onTimeRate: onTimeRate(own?.on_time ?? 0, own?.visits ?? 0, t.overdue) };
        }),
    });
  }
  return rows.sort((a, b) => b.overdue - a.overdue || a.region.code.localeCompare(b.region.code));
}

function presentRow(r: WorklistChildRow, today: string, settings: ScheduleSettings): WorklistRow {
  return {
    childId: r.id,
    name: r.name,
    region: { code: r.region_code, name: r.region_name, level: 'village' },
    riskLevel: r.risk_level as RiskLevel,
    lastVisitDate: r.last_visit_date,
    nextDue: r.next_visit_due,
    state: visitState(r.next_visit_due, today, settings),
    daysOverdue: Math.max(0, daysBetween(r.next_visit_due, today)),
    agingOutDate: r.aging_out_date,
    campaignTaskId: r.campaign_task_id,
    campaignName: r.campaign_name,
    lettersDue: Number(r.letters_due),
    missingFacts: missingFactsOfColumn(r.missing_facts),
  };
}

export async function listWorklist(deps: Deps, ctx: RequestContext, query: WorklistQuery): Promise<WorklistPage> {
  const { row } = await resolveRegion(deps, ctx, query.region);
  const today = localToday(deps.clock);
  const settings = await scheduleSettings(deps.db);
  const { rows, total } = await listWorklistPage(deps.db, row.code, query.kind, datesOf(today, settings), query.page, query.pageSize);
  return { items: rows.map((r) => presentRow(r, today, settings)), total, page: query.page, pageSize: query.pageSize };
}
