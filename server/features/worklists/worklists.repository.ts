/**
 * Work lists at a million files. Due, due-soon and overdue are decided here
 * from `next_visit_due` against dates the service computes with the domain's
 * functions; every count and every page of ids is read from the work-list
 * indexes alone (migration 0008), full rows only for one page.
 *
 * Scope: a village is an equality on region_code; a county an equality on
 * county_code for a list, a range on region_code for counts; other levels a
 * range on region_code (db/scope.ts).
 */
import { sql, type SqlBool, type ExpressionBuilder, type Expression } from 'kysely';
import { regionLevel, regionPrefix } from '../../../domain/regions.js';
import type { WorklistKind } from '../../../domain/visits/schema.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

/** The dates a work list is cut at, all 'YYYY-MM-DD'. */
export interface WorklistDates {
  /** Overdue ⇔ next_visit_due < today. */
  today: string;
  /** Due this week ⇔ today ≤ next_visit_due ≤ dueSoonLimit. */
  dueSoonLimit: string;
  /** Aging out ⇔ aging_out_date ≤ agingOutBy. */
  agingOutBy: string;
  /** Unseen ⇔ unseen_streak ≥ unseenVisits. */
  unseenVisits: number;
}

type ChildrenEb = ExpressionBuilder<Database, 'children'>;

/**
 * Active files of a scope, with a due date (every active file has one once
 * start-up has filled it). `by: 'due'` for a list: a county as an equality on
 * county_code, whose index is in due-date order; `by: 'village'` for counts: a
 * range on region_code, whose index delivers the villages in order, so
 * grouping by village needs no sort (three times faster for a county).
 */
function activeChildren(db: Db, scope: string, by: 'due' | 'village') {
  const level = regionLevel(scope);
  let query = db.selectFrom('children');
  if (level === 'village') query = query.where('children.region_code', '=', scope);
  else if (level === 'county' && by === 'due') query = query.where('children.county_code', '=', regionPrefix(scope));
  else query = query.where(inSubtree('children.region_code', scope));
  return query.where('children.status', '=', 'active').where('children.next_visit_due', 'is not', null);
}

/** The condition of one list (not the campaign list, which starts from the tasks). */
function kindCondition(eb: ChildrenEb, kind: Exclude<WorklistKind, 'campaign'>, d: WorklistDates): Expression<SqlBool> {
  switch (kind) {
    case 'overdue':
      return eb('children.next_visit_due', '<', d.today);
    case 'due_this_week':
      return eb.and([eb('children.next_visit_due', '>=', d.today), eb('children.next_visit_due', '<=', d.dueSoonLimit)]);
    case 'never_visited':
      return eb('children.last_visit_date', 'is', null);
    case 'unseen':
      return eb('children.unseen_streak', '>=', d.unseenVisits);
    case 'aging_out':
      return eb('children.aging_out_date', '<=', d.agingOutBy);
    case 'letters_missing':
      return eb('children.letters_due', '>', 0);
    case 'facts_missing':
      return eb('children.missing_facts', 'is not', null);
  }
}

export interface RegionCountRow {
  /** A village code (the rows are grouped by village; callers roll them up). */
  region_code: string;
  active: number;
  overdue: number;
  due_this_week: number;
  /** Of due_this_week, due today. */
  due_today: number;
  never_visited: number;
  unseen: number;
  aging_out: number;
  /** Children with a guardianship letter not signed for their current carer (domain/letters). */
  letters_missing: number;
  /** Children whose file misses a fact that decides a category (domain/children/facts-missing.ts). */
  facts_missing: number;
}

/**
 * Every list's count per village of the scope, in one pass over the scope's
 * index entries. Grouped by the full village code so that, for a range
 * scope, the region index delivers the groups in order (no sort).
 */
export async function countByVillage(db: Db, scope: string, d: WorklistDates): Promise<RegionCountRow[]> {
  const one = (condition: ReturnType<typeof sql<SqlBool>>) => sql<number>`sum(case when ${condition} then 1 else 0 end)`;
  const due = sql.ref('children.next_visit_due');
  const rows = await activeChildren(db, scope, 'village')
    .select([
      'children.region_code',
      (eb) => eb.fn.countAll<number>().as('active'),
      one(sql<SqlBool>`${due} < ${d.today}`).as('overdue'),
      one(sql<SqlBool>`${due} >= ${d.today} and ${due} <= ${d.dueSoonLimit}`).as('due_this_week'),
      one(sql<SqlBool>`${due} = ${d.today}`).as('due_today'),
      one(sql<SqlBool>`${sql.ref('children.last_visit_date')} is null`).as('never_visited'),
      one(sql<SqlBool>`${sql.ref('children.unseen_streak')} >= ${d.unseenVisits}`).as('unseen'),
      one(sql<SqlBool>`${sql.ref('children.aging_out_date')} <= ${d.agingOutBy}`).as('aging_out'),
      one(sql<SqlBool>`${sql.ref('children.letters_due')} > 0`).as('letters_missing'),
      one(sql<SqlBool>`${sql.ref('children.missing_facts')} is not null`).as('facts_missing'),
    ])
    .groupBy('children.region_code')
    .execute();
  return rows.map((r) => ({
    region_code: r.region_code,
    active: Number(r.active),
    overdue: Number(r.overdue),
    due_this_week: Number(r.due_this_week),
    due_today: Number(r.due_today),
    never_visited: Number(r.never_visited),
    unseen: Number(r.unseen),
    aging_out: Number(r.aging_out),
    letters_missing: Number(r.letters_missing),
    facts_missing: Number(r.facts_missing),
  }));
}

/**
 * Open tasks of open campaigns whose village is in scope: exactly the tasks a
 * campaign's own progress counts as not done (features/campaigns), so the work
 * list and the campaign page agree. Counted from the task index alone: the
 * child's file is read for one page only (a county campaign has 100,000 tasks).
 */
function openCampaignTasks(db: Db, scope: string) {
  return db
    .selectFrom('campaign_tasks as t')
    .where((eb) => (regionLevel(scope) === 'village' ? eb('t.region_code', '=', scope) : inSubtree('t.region_code', scope)))
    .where('t.status', '=', 'open')
    .where('t.campaign_id', 'in', db.selectFrom('campaigns').select('campaigns.id').where('campaigns.status', '=', 'open'));
}

export async function countOpenCampaignTasks(db: Db, scope: string): Promise<number> {
  const row = await openCampaignTasks(db, scope)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface WorklistChildRow {
  id: string;
  name: string;
  region_code: string;
  region_name: string;
  risk_level: string;
  last_visit_date: string | null;
  next_visit_due: string;
  aging_out_date: string;
  campaign_task_id: string | null;
  campaign_name: string | null;
  letters_due: number;
  missing_facts: string | null;
}

/** The order of each list: the most urgent first. */
const SORT: Record<Exclude<WorklistKind, 'campaign'>, 'next_visit_due' | 'aging_out_date'> = {
  overdue: 'next_visit_due',
  due_this_week: 'next_visit_due',
  never_visited: 'next_visit_due',
  unseen: 'next_visit_due',
  aging_out: 'aging_out_date',
  letters_missing: 'next_visit_due',
  facts_missing: 'next_visit_due',
};

export async function listWorklistPage(
  db: Db,
  scope: string,
  kind: WorklistKind,
  d: WorklistDates,
  page: number,
  pageSize: number,
): Promise<{ rows: WorklistChildRow[]; total: number }> {
  const offset = (page - 1) * pageSize;
  if (kind === 'campaign') {
    // The campaign ending first; within it by village, then task. Ids first, files for the page only.
    const pageIds = openCampaignTasks(db, scope)
      .innerJoin('campaigns as pc', 'pc.id', 't.campaign_id')
      .select(['t.id as task_id'])
      .orderBy('pc.end_date')
      .orderBy('t.campaign_id')
      .orderBy('t.region_code')
      .orderBy('t.id')
      .limit(pageSize)
      .offset(offset);
    const [rows, count] = await Promise.all([
      db
        .selectFrom(pageIds.as('page'))
        .innerJoin('campaign_tasks as t', 't.id', 'page.task_id')
        .innerJoin('campaigns as c', 'c.id', 't.campaign_id')
        .innerJoin('children', 'children.id', 't.child_id')
        // The task's village: the one in scope (the child may have moved since the campaign opened).
        .innerJoin('regions', 'regions.code', 't.region_code')
        .where('children.next_visit_due', 'is not', null)
        .select([
          'children.id',
          'children.name',
          't.region_code',
          'regions.name as region_name',
          'children.risk_level',
          'children.last_visit_date',
          'children.aging_out_date',
          'children.letters_due',
          'children.missing_facts',
          't.id as campaign_task_id',
          'c.name as campaign_name',
        ])
        .select(sql<string>`${sql.ref('children.next_visit_due')}`.as('next_visit_due'))
        .orderBy('c.end_date')
        .orderBy('t.campaign_id')
        .orderBy('t.region_code')
        .orderBy('t.id')
        .execute(),
      countOpenCampaignTasks(db, scope),
    ]);
    return { rows, total: count };
  }
  const base = activeChildren(db, scope, 'due').where((eb) => kindCondition(eb, kind, d));
  const sort = SORT[kind];
  // Deferred join: the page of ids from the index alone, full rows for that page only.
  const pageIds = base
    .select(['children.id as page_id'])
    .orderBy(`children.${sort}`)
    .orderBy('children.id')
    .limit(pageSize)
    .offset(offset);
  const [rows, count] = await Promise.all([
    db
      .selectFrom(pageIds.as('page'))
      .innerJoin('children', 'children.id', 'page.page_id')
      .innerJoin('regions', 'regions.code', 'children.region_code')
      .select([
        'children.id',
        'children.name',
        'children.region_code',
        'regions.name as region_name',
        'children.risk_level',
        'children.last_visit_date',
        'children.aging_out_date',
        'children.letters_due',
        'children.missing_facts',
        sql<null>`null`.as('campaign_task_id'),
        sql<null>`null`.as('campaign_name'),
      ])
      .select(sql<string>`${sql.ref('children.next_visit_due')}`.as('next_visit_due'))
      .orderBy(`children.${sort}`)
      .orderBy('children.id')
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface VisitTally {
  region_code: string;
  visitor_id: string | null;
  /** Visits with a due date in the window. */
  visits: number;
  /** Of those, made on or before their due date. */
  on_time: number;
}

/**
 * Visits made in [from, to] with a due date, per village (and visitor), for
 * on-time rates; read from the visits indexes alone (migration 0008). A
 * county seeks its county_code and the dates; a township reads its villages'
 * range. Meant for a township or a county: a city would read every visit of
 * the window (a million at a million files).
 */
export async function tallyVisits(db: Db, scope: string, from: string, to: string, byVisitor: boolean): Promise<VisitTally[]> {
  const level = regionLevel(scope);
  let query = db.selectFrom('visits');
  if (level === 'village') query = query.where('visits.region_code', '=', scope);
  else if (level === 'county') query = query.where('visits.county_code', '=', regionPrefix(scope));
  else query = query.where(inSubtree('visits.region_code', scope));
  query = query.where('visits.visit_date', '>=', from).where('visits.visit_date', '<=', to).where('visits.on_time', 'is not', null);
  const rows = await query
    .select([
      'visits.region_code',
      byVisitor ? 'visits.visitor_id' : sql<null>`null`.as('visitor_id'),
      (eb) => eb.fn.countAll<number>().as('visits'),
      sql<number>`sum(${sql.ref('visits.on_time')})`.as('on_time'),
    ])
    .groupBy(byVisitor ? ['visits.region_code', 'visits.visitor_id'] : ['visits.region_code'])
    .execute();
  return rows.map((r) => ({ region_code: r.region_code, visitor_id: r.visitor_id, visits: Number(r.visits), on_time: Number(r.on_time) }));
}

/** Active directors of these villages (a director's region is his village). */
export function findDirectors(db: Db, villages: string[]): Promise<{ id: string; display_name: string; region_code: string | null }[]> {
  if (villages.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'region_code'])
    .where('role', '=', 'director')
    .where('disabled', '=', 0)
    .where('region_code', 'in', villages)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}
