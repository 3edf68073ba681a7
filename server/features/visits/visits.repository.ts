/** SQL of visits: scoped reads through the child, visits and their photos, revisions, campaign tasks, pupils. */
import { CompiledQuery, sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { ChildRow, Database, FileRow, VisitRow, VisitRevisionTable, VisitTable } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';
import { nameMatches, type ChildWithRegion } from '../children/children.repository.js';
import type { VisitWithChild } from './visit-record.js';

/**
 * Who may reach a child for visits: staff by region subtree; a school contact
 * by his school: the active files linked to it that live within the school's
 * region (a pupil transferred away drops out of reach).
 */
export type VisitScope = { region: string } | { schoolOrgId: string; region: string };

function childrenWithRegion(db: Db) {
  return db.selectFrom('children').innerJoin('regions', 'regions.code', 'children.region_code').selectAll('children').select('regions.name as region_name');
}

export function findChildForVisit(db: Db, id: string, scope: VisitScope): Promise<ChildWithRegion | undefined> {
  let query = childrenWithRegion(db).where('children.id', '=', id);
  query = query.where(inSubtree('children.region_code', scope.region));
  if ('schoolOrgId' in scope) query = query.where('children.school_org_id', '=', scope.schoolOrgId).where('children.status', '=', 'active');
  return query.executeTakeFirst();
}

function visitsWithChild(db: Db) {
  return db
    .selectFrom('visits')
    .innerJoin('children', 'children.id', 'visits.child_id')
    .innerJoin('regions', 'regions.code', 'visits.region_code')
    .selectAll('visits')
    .select(['children.name as child_name', 'regions.name as region_name']);
}

/** A visit, reached through its child's current place in the scope. */
export function findVisitInScope(db: Db, id: string, scope: VisitScope): Promise<VisitWithChild | undefined> {
  let query = visitsWithChild(db).where('visits.id', '=', id);
  query = query.where(inSubtree('children.region_code', scope.region));
  if ('schoolOrgId' in scope) query = query.where('children.school_org_id', '=', scope.schoolOrgId).where('children.status', '=', 'active');
  return query.executeTakeFirst();
}

/** Any visit by id, unscoped: only to recognise a resent client id (the caller checks the child). */
export function findVisitById(db: Db, id: string): Promise<Pick<VisitRow, 'id' | 'child_id' | 'input_hash'> | undefined> {
  return db.selectFrom('visits').select(['id', 'child_id', 'input_hash']).where('id', '=', id).executeTakeFirst();
}

export async function listChildVisits(db: Db, childId: string, page: number, pageSize: number): Promise<{ rows: VisitWithChild[]; total: number }> {
  const [rows, count] = await Promise.all([
    visitsWithChild(db)
      .where('visits.child_id', '=', childId)
      .orderBy('visits.visit_date', 'desc')
      .orderBy('visits.created_at', 'desc')
      .orderBy('visits.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('visits')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** What the child's visit-derived state is folded from (domain order is applied by the caller). */
export function listVisitFacts(db: Db, childId: string): Promise<Pick<VisitRow, 'id' | 'visit_date' | 'created_at' | 'seen_in_person' | 'factors'>[]> {
  return db.selectFrom('visits').select(['id', 'visit_date', 'created_at', 'seen_in_person', 'factors']).where('child_id', '=', childId).execute();
}

export async function insertVisit(db: Db, row: VisitTable): Promise<void> {
  await db.insertInto('visits').values(row).execute();
}

/** Optimistic concurrency on a visit: writes only over the expected version. */
export async function updateVisitIfVersion(db: Db, id: string, version: number, changes: Partial<VisitTable>): Promise<boolean> {
  const result = await db
    .updateTable('visits')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertVisitRevision(db: Db, row: VisitRevisionTable): Promise<void> {
  await db.insertInto('visit_revisions').values(row).execute();
}

// ---------------------------------------------------------------- photos

/** Visit photos of this child that no visit holds yet, among `ids`, uploaded by `createdBy`. */
export function findUnattachedPhotos(db: Db, childId: string, ids: string[], createdBy: string): Promise<FileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('files')
    .selectAll()
    .where('id', 'in', ids)
    .where('child_id', '=', childId)
    .where('purpose', '=', 'visit_photo')
    .where('visit_id', 'is', null)
    .where('removed_at', 'is', null)
    .where('created_by', '=', createdBy)
    .execute();
}

export async function attachPhotos(db: Db, ids: string[], visitId: string): Promise<void> {
  if (ids.length > 0) await db.updateTable('files').set({ visit_id: visitId }).where('id', 'in', ids).execute();
}

/** Photos taken off a visit by a correction stay stored, marked removed (history). */
export async function detachPhotos(db: Db, ids: string[], at: string, by: string): Promise<void> {
  if (ids.length > 0) await db.updateTable('files').set({ removed_at: at, removed_by: by }).where('id', 'in', ids).execute();
}

export function listVisitPhotos(db: Db, visitIds: string[]): Promise<FileRow[]> {
  if (visitIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('files').selectAll().where('visit_id', 'in', visitIds).where('removed_at', 'is', null).orderBy('created_at').orderBy('id').execute();
}

// ---------------------------------------------------------------- child

/** The child's schedule columns, written with the file's version (a concurrent edit of the file retries). */
export async function updateChildScheduleIfVersion(db: Db, id: string, version: number, changes: Partial<ChildRow>): Promise<boolean> {
  const result = await db
    .updateTable('children')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------- campaign tasks

export interface TaskWithCampaign {
  id: string;
  child_id: string;
  status: string;
  campaign_id: string;
  campaign_status: string;
  checklist: string;
}

export function findCampaignTask(db: Db, id: string): Promise<TaskWithCampaign | undefined> {
  return db
    .selectFrom('campaign_tasks')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_tasks.campaign_id')
    .select(['campaign_tasks.id', 'campaign_tasks.child_id', 'campaign_tasks.status', 'campaign_tasks.campaign_id', 'campaigns.status as campaign_status', 'campaigns.checklist'])
    .where('campaign_tasks.id', '=', id)
    .executeTakeFirst();
}

/**
 * The campaign's status, read under a share lock on PostgreSQL (FOR SHARE):
 * a close (which takes the row FOR UPDATE) waits for this transaction, or this
 * waits for the close and then reads "closed". SQLite has one writer, so a
 * read inside the write transaction is already current.
 */
export async function lockCampaignStatus(db: Db, dialect: Dialect, campaignId: string): Promise<string | undefined> {
  let query = db.selectFrom('campaigns').select('status').where('id', '=', campaignId);
  if (dialect === 'postgres') query = query.forShare();
  return (await query.executeTakeFirst())?.status;
}

/** Marks an open task done; false when it was no longer open (a concurrent completion). */
export async function markTaskDone(db: Db, id: string, visitId: string, problems: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('campaign_tasks')
    .set({ status: 'done', visit_id: visitId, problems, done_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setTaskProblems(db: Db, id: string, problems: number): Promise<void> {
  await db.updateTable('campaign_tasks').set({ problems }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------- timeline

export function listTimelineVisits(db: Db, childId: string, limit: number): Promise<VisitRow[]> {
  return db.selectFrom('visits').selectAll().where('child_id', '=', childId).orderBy('visit_date', 'desc').orderBy('created_at', 'desc').limit(limit).execute();
}

// ---------------------------------------------------------------- pupils

export type PupilRow = Pick<ChildRow, 'id' | 'name' | 'sex' | 'birth_date' | 'region_code' | 'school_status' | 'profile' | 'last_visit_date'> & {
  region_name: string;
  last_vacation_visit: string | null;
  visited_this_vacation: boolean;
};

/** A visitor's vacation visits of these children recorded since `since`, newest first. */
export function listOwnVacationVisitsSince(db: Db, f: { childIds: string[]; visitorId: string; since: string }): Promise<Pick<VisitRow, 'id' | 'child_id' | 'visit_date' | 'created_at'>[]> {
  if (f.childIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('visits')
    .select(['id', 'child_id', 'visit_date', 'created_at'])
    .where('child_id', 'in', f.childIds)
    .where('visitor_id', '=', f.visitorId)
    .where('kind', '=', 'school_vacation')
    .where('created_at', '>', f.since)
    .orderBy('created_at', 'desc')
    .execute();
}

/** A text inside the file's schooling (grade, className): a JSON path of the stored profile on either database. */
function schoolingText(dialect: Dialect, key: 'grade' | 'className'): RawBuilder<string | null> {
  return dialect === 'postgres' ? sql<string | null>`(children.profile::jsonb #>> ${`{schooling,${key}}`})` : sql<string | null>`json_extract(children.profile, ${`$.schooling.${key}`})`;
}

export interface PupilFilter {
  schoolOrgId: string;
  region: string;
  q?: string | undefined;
  grade?: string | undefined;
  className?: string | undefined;
  /** The vacation window (inclusive dates): `notVisited` keeps the pupils without a vacation visit in it. */
  vacation: { from: string; to: string };
  notVisited?: boolean | undefined;
}

/** The school's active pupils in the scope, narrowed by the filters: every pupil query starts here. */
function pupilsOf(db: Db, dialect: Dialect, f: PupilFilter) {
  let base = db
    .selectFrom('children')
    .where('children.school_org_id', '=', f.schoolOrgId)
    .where('children.status', '=', 'active')
    .where(inSubtree('children.region_code', f.region));
  // The children list's name search: characters, pinyin, initials.
  if (f.q?.trim()) base = base.where(nameMatches(db, f.q, f.region));
  if (f.grade) base = base.where(schoolingText(dialect, 'grade'), '=', f.grade);
  if (f.className) base = base.where(schoolingText(dialect, 'className'), '=', f.className);
  if (f.notVisited) base = base.where((eb) => eb.not(eb.exists(vacationVisitsOf(eb, f.vacation))));
  return base;
}

/** The child's school vacation visits dated inside the window (visits_child_idx: child and date). */
function vacationVisitsOf(eb: ExpressionBuilder<Database, 'children'>, vacation: { from: string; to: string }) {
  return eb
    .selectFrom('visits')
    .select('visits.id')
    .whereRef('visits.child_id', '=', 'children.id')
    .where('visits.visit_date', '>=', vacation.from)
    .where('visits.visit_date', '<=', vacation.to)
    .where('visits.kind', '=', 'school_vacation');
}

/** Active files linked to a school, by name (characters, pinyin, initials), grade, class and whether visited this vacation. */
export async function listPupils(db: Db, dialect: Dialect, f: PupilFilter & { page: number; pageSize: number }): Promise<{ rows: PupilRow[]; total: number }> {
  const base = pupilsOf(db, dialect, f);
  const [rows, count] = await Promise.all([
    base
      .innerJoin('regions', 'regions.code', 'children.region_code')
      .select(['children.id', 'children.name', 'children.sex', 'children.birth_date', 'children.region_code', 'children.school_status', 'children.profile', 'children.last_visit_date', 'regions.name as region_name'])
      .select((eb) =>
        eb
          .selectFrom('visits')
          .select((v) => v.fn.max('visits.visit_date').as('d'))
          .whereRef('visits.child_id', '=', 'children.id')
          .where('visits.kind', '=', 'school_vacation')
          .as('last_vacation_visit'),
      )
      .select((eb) => eb.exists(vacationVisitsOf(eb, f.vacation)).as('visited_this_vacation'))
      .orderBy('children.name_pinyin')
      .orderBy('children.id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, last_vacation_visit: r.last_vacation_visit ?? null, visited_this_vacation: Boolean(r.visited_this_vacation) })),
    total: Number(count.n),
  };
}

/** How many of the school's pupils there are, and how many have no vacation visit in the window. */
export async function countPupils(db: Db, dialect: Dialect, f: Omit<PupilFilter, 'notVisited'>): Promise<{ total: number; notVisited: number }> {
  const [all, notVisited] = await Promise.all([
    pupilsOf(db, dialect, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    pupilsOf(db, dialect, { ...f, notVisited: true }).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(all.n), notVisited: Number(notVisited.n) };
}

/** The grades and classes the school's pupils are in (for the filters), each once. */
export async function listPupilGroups(db: Db, dialect: Dialect, f: Pick<PupilFilter, 'schoolOrgId' | 'region' | 'vacation'>): Promise<{ grade: string | null; className: string | null }[]> {
  const rows = await pupilsOf(db, dialect, f)
    .select([schoolingText(dialect, 'grade').as('grade'), schoolingText(dialect, 'className').as('class_name')])
    .distinct()
    .execute();
  return rows.map((r) => ({ grade: r.grade ?? null, className: r.class_name ?? null }));
}

// ---------------------------------------------------------------- bulk (demo seed)

// Multi-row INSERTs under SQLite's 32,766 bound parameters; the SQL text is built once per size, not per statement.
const MAX_PARAMS = 30_000;
const bulkSql = new Map<string, string>();

function bulkInsertSql(dialect: Dialect, columns: string[], rows: number): string {
  const key = `${dialect}|${rows}|${columns.join(',')}`;
  let text = bulkSql.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = () => `(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into "visits" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`;
    if (bulkSql.size > 8) bulkSql.clear();
    bulkSql.set(key, text);
  }
  return text;
}

const INTEGER_COLUMNS = new Set<string>(['seen_in_person', 'checklist_all_fine', 'dropout_risk', 'on_time', 'version']);

/**
 * Inserts many visits (all built by one function, so with the same columns):
 * on PostgreSQL one `insert … select from unnest(arrays)` per 10,000 rows (a
 * statement with tens of thousands of parameters is slow to plan there), on
 * SQLite large multi-row statements.
 */
export async function insertVisitsBatch(db: Db, dialect: Dialect, rows: VisitTable[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!) as (keyof VisitTable)[];
  if (dialect === 'postgres') {
    const text = `insert into "visits" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${INTEGER_COLUMNS.has(c) ? 'integer' : 'text'}[]`).join(', ')})`;
    for (let i = 0; i < rows.length; i += 10_000) {
      const part = rows.slice(i, i + 10_000);
      await db.executeQuery(CompiledQuery.raw(text, columns.map((c) => part.map((row) => row[c] ?? null))));
    }
    return;
  }
  const size = Math.floor(MAX_PARAMS / columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const part = rows.slice(i, i + size);
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push(row[c] ?? null);
    await db.executeQuery(CompiledQuery.raw(bulkInsertSql(dialect, columns, part.length), params));
  }
}
