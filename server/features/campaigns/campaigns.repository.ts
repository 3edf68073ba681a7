import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ancestorCodes, regionLevel, regionPrefix } from '../../../domain/regions.js';
import type { Db, Dialect } from '../../db/database.js';
import type { CampaignRow, CampaignTable, Database } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

export type CampaignCategory = 'left_behind' | 'distress' | 'unsupported';

/**
 * The children a campaign over `regionCode` gives a task: active files of the
 * subtree, in one of the categories when any are named. Always a range on
 * region_code, so that children_region_list_idx (region, …, id, status,
 * categories) answers from the index alone, without reading a file.
 */
function matchingChildren(db: Db, f: { regionCode: string; categories: readonly CampaignCategory[] }) {
  let query = db.selectFrom('children').where('children.status', '=', 'active').where(inSubtree('children.region_code', f.regionCode));
  if (f.categories.length > 0) {
    query = query.where((eb) => eb.or(f.categories.map((c) => eb(`children.${c}`, '=', 1))));
  }
  return query;
}

export async function countMatchingChildren(db: Db, f: { regionCode: string; categories: readonly CampaignCategory[] }): Promise<number> {
  const row = await matchingChildren(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertCampaign(db: Db, row: CampaignTable): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}

/** SQLite page cache while a campaign's tasks are written, in KiB (negative, as `pragma cache_size` takes it). */
const BULK_PAGE_CACHE_KIB = -512 * 1024;

/**
 * One INSERT … SELECT: a task for every matching child, without the rows
 * passing through Node (a city of a million children takes seconds). Task ids
 * are `idPrefix` (the first 24 characters of a fresh UUIDv7) and a 12-digit
 * number in village order (then the child's id, which the index holds), so
 * they are valid, unique UUIDs that sort by village. On SQLite a large page
 * cache keeps the indexes' pages in memory meanwhile (twice as fast at a million).
 */
export async function insertTasksForMatchingChildren(
  db: Db,
  dialect: Dialect,
  f: { campaignId: string; idPrefix: string; regionCode: string; categories: readonly CampaignCategory[] },
): Promise<number> {
  const select = matchingChildren(db, f).select([
    sql<string>`${f.idPrefix} || substr(cast(1000000000000 + row_number() over (order by children.region_code, children.id) as text), 2, 12)`.as('id'),
    sql<string>`${f.campaignId}`.as('campaign_id'),
    'children.id as child_id',
    'children.region_code as region_code',
    sql<string>`'open'`.as('status'),
    sql<null>`null`.as('visit_id'),
    sql<number>`0`.as('problems'),
    sql<null>`null`.as('done_at'),
  ]);
  const insert = async () => {
    const result = await db
      .insertInto('campaign_tasks')
      .columns(['id', 'campaign_id', 'child_id', 'region_code', 'status', 'visit_id', 'problems', 'done_at'])
      .expression(select)
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  };
  if (dialect !== 'sqlite') return insert();
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
  await sql.raw(`pragma cache_size = ${BULK_PAGE_CACHE_KIB}`).execute(db);
  try {
    return await insert();
  } finally {
    await sql.raw(`pragma cache_size = ${Number(before)}`).execute(db);
  }
}

/**
 * Campaigns whose region overlaps the scope: inside it (an admin's own
 * campaigns), or above it (a city-wide campaign seen by a village director).
 */
function overlapsScope(scopeRegion: string) {
  return sql<SqlBool>`(${inSubtree('campaigns.region_code', scopeRegion)} or ${sql.ref('campaigns.region_code')} in (${sql.join(ancestorCodes(scopeRegion))}))`;
}

export type CampaignWithRegion = CampaignRow & { region_name: string; region_level: string; creator_name: string | null };

function withRegion(db: Db) {
  return db
    .selectFrom('campaigns')
    .innerJoin('regions', 'regions.code', 'campaigns.region_code')
    .leftJoin('users', 'users.id', 'campaigns.created_by')
    .selectAll('campaigns')
    .select(['regions.name as region_name', 'regions.level as region_level', 'users.display_name as creator_name']);
}

export async function listCampaigns(
  db: Db,
  f: { scopeRegion: string; status?: string | undefined; page: number; pageSize: number },
): Promise<{ rows: CampaignWithRegion[]; total: number }> {
  let query = withRegion(db).where(overlapsScope(f.scopeRegion));
  if (f.status) query = query.where('campaigns.status', '=', f.status);
  const [rows, count] = await Promise.all([
    query
      // Open campaigns first, the newest first within each.
      .orderBy('campaigns.status', 'desc')
      .orderBy('campaigns.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function findCampaignOverlapping(db: Db, id: string, scopeRegion: string): Promise<CampaignWithRegion | undefined> {
  return withRegion(db)
    .where('campaigns.id', '=', id)
    .where(overlapsScope(scopeRegion))
    .executeTakeFirst();
}

export interface TaskCounts {
  tasks: number;
  done: number;
  /** Tasks with at least one checklist item not ok. */
  problems: number;
}

const countColumns = (eb: ExpressionBuilder<Database, 'campaign_tasks'>) =>
  [
    eb.fn.countAll<number>().as('tasks'),
    sql<number>`coalesce(sum(case when ${sql.ref('campaign_tasks.status')} = 'done' then 1 else 0 end), 0)`.as('done'),
    sql<number>`coalesce(sum(case when ${sql.ref('campaign_tasks.problems')} > 0 then 1 else 0 end), 0)`.as('problems'),
  ] as const;

/** Tasks, done and problems per campaign, counting only tasks inside `region` (the viewer's scope). */
export async function countTasksByCampaign(db: Db, campaignIds: string[], region: string): Promise<Map<string, TaskCounts>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('campaign_tasks')
    .select('campaign_tasks.campaign_id')
    .select(countColumns)
    .where('campaign_tasks.campaign_id', 'in', campaignIds)
    .where(inSubtree('campaign_tasks.region_code', region))
    .groupBy('campaign_tasks.campaign_id')
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, { tasks: Number(r.tasks), done: Number(r.done), problems: Number(r.problems) }]));
}

/**
 * Tasks of the campaign whose child has since moved out of the campaign's
 * region (a transfer moves a task with its child: open ones are withdrawn,
 * done ones leave the counts). A count only: the children are no longer the
 * campaign's to show.
 */
export async function countTasksMovedAway(db: Db, campaignId: string, campaignRegion: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_tasks.campaign_id', '=', campaignId)
    .where((eb) => eb.not(inSubtree('campaign_tasks.region_code', campaignRegion)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Before a child's tasks move with it to `village`: its open tasks of
 * campaigns whose region does not hold that village are withdrawn (no one
 * there runs that campaign, and no one in the campaign may see the child any
 * more); a task withdrawn earlier opens again when the child comes back into
 * its campaign's region. Done tasks keep their result. Returns the counts.
 */
export async function settleTasksForMove(db: Db, childId: string, village: string): Promise<{ withdrawn: number; reopened: number }> {
  const holding = db.selectFrom('campaigns').select('campaigns.id').where('campaigns.region_code', 'in', ancestorCodes(village));
  const withdrawn = await db
    .updateTable('campaign_tasks')
    .set({ status: 'withdrawn' })
    .where('child_id', '=', childId)
    .where('status', '=', 'open')
    .where('campaign_id', 'not in', holding)
    .executeTakeFirst();
  const reopened = await db
    .updateTable('campaign_tasks')
    .set({ status: 'open' })
    .where('child_id', '=', childId)
    .where('status', '=', 'withdrawn')
    .where('campaign_id', 'in', holding)
    .executeTakeFirst();
  return { withdrawn: Number(withdrawn.numUpdatedRows), reopened: Number(reopened.numUpdatedRows) };
}

/** Length of the code prefix that names the regions one level below `code` (a village: itself). */
function childPrefixLength(code: string): number {
  const own = regionPrefix(code).length;
  return { 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 }[own] ?? 12;
}

/** Counts per region one level below `root`, for the tasks of the campaign inside `root`. */
export async function countTasksBySubregion(db: Db, campaignId: string, root: string): Promise<(TaskCounts & { code: string; name: string; level: string })[]> {
  const length = childPrefixLength(root);
  const sub = sql<string>`substr(${sql.ref('campaign_tasks.region_code')}, 1, ${sql.lit(length)})`;
  const rows = await db
    .selectFrom('campaign_tasks')
    .select(sub.as('prefix'))
    .select(countColumns)
    .where('campaign_tasks.campaign_id', '=', campaignId)
    .where(inSubtree('campaign_tasks.region_code', root))
    .groupBy(sub)
    .orderBy(sub)
    .execute();
  const codes = rows.map((r) => r.prefix.padEnd(12, '0'));
  const names =
    codes.length === 0 ? [] : await db.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', codes).execute();
  const byCode = new Map(names.map((r) => [r.code, r]));
  return rows.map((r) => {
    const code = r.prefix.padEnd(12, '0');
    const region = byCode.get(code);
    return { code, name: region?.name ?? code, level: region?.level ?? regionLevel(code), tasks: Number(r.tasks), done: Number(r.done), problems: Number(r.problems) };
  });
}

export type TaskListRow = {
  id: string;
  child_id: string;
  region_code: string;
  status: string;
  visit_id: string | null;
  problems: number;
  done_at: string | null;
  child_name: string;
  village_name: string;
  township_name: string | null;
};

export interface TaskFilter {
  campaignId: string;
  /** The viewer's scope, narrowed by a region filter when one was asked for. */
  region: string;
  status?: string | undefined;
}

function filteredTasks(db: Db, f: TaskFilter) {
  let query = db.selectFrom('campaign_tasks').where('campaign_tasks.campaign_id', '=', f.campaignId).where(inSubtree('campaign_tasks.region_code', f.region));
  if (f.status) query = query.where('campaign_tasks.status', '=', f.status);
  return query;
}

function withNames(db: Db) {
  return db
    .selectFrom('campaign_tasks')
    .innerJoin('children', 'children.id', 'campaign_tasks.child_id')
    .innerJoin('regions as village', 'village.code', 'campaign_tasks.region_code')
    .leftJoin('regions as township', 'township.code', 'village.parent_code')
    .select([
      'campaign_tasks.id',
      'campaign_tasks.child_id',
      'campaign_tasks.region_code',
      'campaign_tasks.status',
      'campaign_tasks.visit_id',
      'campaign_tasks.problems',
      'campaign_tasks.done_at',
      'children.name as child_name',
      'village.name as village_name',
      'township.name as township_name',
    ]);
}

/**
 * A page of tasks in village order. Within one village (a director's list, a
 * few hundred at most) by the child's name; over larger regions by task id
 * from the index (deferred join: ids first, names for the page only).
 */
export async function listTasks(db: Db, f: TaskFilter & { page: number; pageSize: number }): Promise<{ rows: TaskListRow[]; total: number }> {
  const base = filteredTasks(db, f);
  const offset = (f.page - 1) * f.pageSize;
  const page =
    regionLevel(f.region) === 'village'
      ? withNames(db)
          .where('campaign_tasks.campaign_id', '=', f.campaignId)
          .where(inSubtree('campaign_tasks.region_code', f.region))
          .$if(!!f.status, (q) => q.where('campaign_tasks.status', '=', f.status!))
          .orderBy('children.name_pinyin')
          .orderBy('campaign_tasks.id')
          .limit(f.pageSize)
          .offset(offset)
          .execute()
      : withNames(db)
          .innerJoin(
            base.select('campaign_tasks.id as page_id').orderBy('campaign_tasks.region_code').orderBy('campaign_tasks.id').limit(f.pageSize).offset(offset).as('page'),
            'page.page_id',
            'campaign_tasks.id',
          )
          .orderBy('campaign_tasks.region_code')
          .orderBy('campaign_tasks.id')
          .execute();
  const [rows, count] = await Promise.all([page, base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
  return { rows: rows.map((r) => ({ ...r, problems: Number(r.problems) })), total: Number(count.n) };
}

export type ExportTaskRow = TaskListRow & {
  sex: string;
  birth_date: string;
  visit_date: string | null;
  visitor_name: string | null;
  campaign_answers: string | null;
};

/** The villages that hold tasks of the campaign inside `region`, in code order (the export goes village by village). */
export async function listTaskVillages(db: Db, campaignId: string, region: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_tasks')
    .select('campaign_tasks.region_code')
    .distinct()
    .where('campaign_tasks.campaign_id', '=', campaignId)
    .where(inSubtree('campaign_tasks.region_code', region))
    .orderBy('campaign_tasks.region_code')
    .execute();
  return rows.map((r) => r.region_code);
}

/** One village's tasks, by the child's name, with what the export shows of the child and the visit. */
export async function listVillageTasksForExport(db: Db, campaignId: string, village: string): Promise<ExportTaskRow[]> {
  const rows = await withNames(db)
    .leftJoin('visits', 'visits.id', 'campaign_tasks.visit_id')
    .select(['children.sex', 'children.birth_date', 'visits.visit_date', 'visits.visitor_name', 'visits.campaign_answers'])
    .where('campaign_tasks.campaign_id', '=', campaignId)
    .where('campaign_tasks.region_code', '=', village)
    .orderBy('children.name_pinyin')
    .orderBy('campaign_tasks.id')
    .execute();
  return rows.map((r) => ({ ...r, problems: Number(r.problems) }));
}

/** The campaign answers of the completed tasks that found problems (a small share of all tasks), inside `region`. */
export async function listProblemAnswers(db: Db, campaignId: string, region: string): Promise<(string | null)[]> {
  const rows = await db
    .selectFrom('campaign_tasks')
    .innerJoin('visits', 'visits.id', 'campaign_tasks.visit_id')
    .select('visits.campaign_answers')
    .where('campaign_tasks.campaign_id', '=', campaignId)
    .where(inSubtree('campaign_tasks.region_code', region))
    .where('campaign_tasks.status', '=', 'done')
    .where('campaign_tasks.problems', '>', 0)
    .execute();
  return rows.map((r) => r.campaign_answers);
}

export type TaskWithCampaign = {
  id: string;
  campaign_id: string;
  child_id: string;
  region_code: string;
  status: string;
  visit_id: string | null;
  campaign_name: string;
  campaign_status: string;
  start_date: string;
  end_date: string;
  checklist: string;
  child_name: string;
  campaign_region: string;
};

/** A task in the viewer's scope (its campaign's region is checked by the caller: a task whose child moved out of it is no one's). */
export function findTaskInScope(db: Db, taskId: string, scopeRegion: string): Promise<TaskWithCampaign | undefined> {
  return db
    .selectFrom('campaign_tasks')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_tasks.campaign_id')
    .innerJoin('children', 'children.id', 'campaign_tasks.child_id')
    .select([
      'campaign_tasks.id',
      'campaign_tasks.campaign_id',
      'campaign_tasks.child_id',
      'campaign_tasks.region_code',
      'campaign_tasks.status',
      'campaign_tasks.visit_id',
      'campaigns.name as campaign_name',
      'campaigns.status as campaign_status',
      'campaigns.start_date',
      'campaigns.end_date',
      'campaigns.checklist',
      'campaigns.region_code as campaign_region',
      'children.name as child_name',
    ])
    .where('campaign_tasks.id', '=', taskId)
    .where(inSubtree('campaign_tasks.region_code', scopeRegion))
    .executeTakeFirst();
}

/**
 * Marks the campaign closed unless it already is; false when it was. On
 * PostgreSQL the row is first taken FOR UPDATE: a task completion in flight
 * (which holds it FOR SHARE) commits before the close goes on to count, and
 * later ones wait for the close and then find the campaign closed; a
 * concurrent close waits and then finds it closed.
 */
export async function markCampaignClosed(db: Db, dialect: Dialect, id: string, changes: { closedBy: string; closedAt: string }): Promise<boolean> {
  if (dialect === 'postgres') {
    const row = await db.selectFrom('campaigns').select('status').where('id', '=', id).forUpdate().executeTakeFirst();
    if (row?.status !== 'open') return false;
  }
  const result = await db
    .updateTable('campaigns')
    .set({ status: 'closed', closed_by: changes.closedBy, closed_at: changes.closedAt })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function storeCampaignSummary(db: Db, id: string, summary: string): Promise<void> {
  await db.updateTable('campaigns').set({ summary }).where('id', '=', id).execute();
}
