import type { AliasedSelectQueryBuilder, CompiledQuery, Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { ChildChangeRow, ChildRow, ChildTable, Database, DuplicateReviewTable } from '../../db/schema.js';
import { inSubtree, inSubtreeByOtherIndex } from '../../db/scope.js';
import { isWithinRegion, regionLevel } from '../../../domain/regions.js';
import { isPinyinQuery, readNameQuery, type NameSpelling } from '../../../domain/children/name-search.js';

export type ChildWithRegion = ChildRow & { region_name: string };

function withRegion(db: Db) {
  return db.selectFrom('children').innerJoin('regions', 'regions.code', 'children.region_code').selectAll('children').select('regions.name as region_name');
}

export function findChildInScope(db: Db, id: string, scopeRegion: string): Promise<ChildWithRegion | undefined> {
  return withRegion(db).where('children.id', '=', id).where(inSubtree('children.region_code', scopeRegion)).executeTakeFirst();
}

/**
 * The same read, for a write that copies the child's village into a new row
 * of its own (a referral, an order): on PostgreSQL the child's row is held
 * FOR SHARE until the write commits, so a transfer (which updates that row)
 * either waits for the new row and then moves it too, or commits first and
 * this read, waiting for it, no longer finds the child where it was (never a
 * row written with the old village). SQLite runs one write at a time.
 */
export function findChildInScopeForWrite(db: Db, dialect: Dialect, id: string, scopeRegion: string): Promise<ChildWithRegion | undefined> {
  const query = withRegion(db).where('children.id', '=', id).where(inSubtree('children.region_code', scopeRegion));
  return (dialect === 'postgres' ? query.forShare('children') : query).executeTakeFirst();
}

export async function insertChild(db: Db, row: ChildTable): Promise<void> {
  await db.insertInto('children').values(row).execute();
}

/** Optimistic concurrency: updates only when the stored version is the expected one. */
export async function updateChildIfVersion(db: Db, id: string, version: number, changes: Partial<ChildTable>): Promise<boolean> {
  const result = await db
    .updateTable('children')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ChildFilter {
  scopeRegion: string;
  region?: string | undefined;
  q?: string | undefined;
  idHash?: string | undefined;
  category?: 'left_behind' | 'distress' | 'unsupported' | undefined;
  risk?: string | undefined;
  status?: string | undefined;
  school?: string | undefined;
  /** Birth dates in [bornFrom, bornTo]. */
  bornFrom?: string | undefined;
  bornTo?: string | undefined;
  agingOutBy?: string | undefined;
  agingOutFrom?: string | undefined;
  letters?: 'missing' | 'signed' | undefined;
  sort: { column: 'name' | 'birth_date' | 'updated_at'; desc: boolean };
  page: number;
  pageSize: number;
}

/** The largest code point: `text < prefix || TOP` bounds every string starting with prefix. */
const TOP = '\u{10FFFF}';

type ChildrenWhere = (eb: ExpressionBuilder<Database, 'children'>) => Expression<SqlBool>;

/**
 * A name search, as the conditions of its branches. Chinese characters: one,
 * a prefix of the name. Pinyin (domain/children/name-search.ts): first a
 * prefix of the full pinyin, then one per group of the query's readings
 * sharing their initials — a prefix range on the initials, the syllables typed
 * in full checked by a LIKE on their slots, and what the first branch finds
 * left out (so that the first, the large one, is never de-duplicated). Each
 * branch is one index range (children_name_idx, children_pinyin_idx,
 * children_initials_idx, each carrying region_code, the columns checked and
 * the list's sort key); they are combined by a UNION of scoped queries, never
 * an OR beside the scope's range (the planner would scan the scope instead).
 */
export function nameBranches(q: string): ChildrenWhere[] {
  const text = q.trim();
  if (!isPinyinQuery(text)) return [(eb) => eb.and([eb('children.name', '>=', text), eb('children.name', '<', text + TOP)])];
  const read = readNameQuery(text);
  const patterns = new Map<string, (string | null)[]>();
  for (const r of read.readings) patterns.set(r.initials, [...(patterns.get(r.initials) ?? []), r.pattern]);
  const prefix: ChildrenWhere = (eb) => eb.and([eb('children.name_pinyin', '>=', read.pinyin), eb('children.name_pinyin', '<', read.pinyin + TOP)]);
  const branches = [prefix];
  for (const [initials, likes] of patterns) {
    branches.push((eb) => {
      const range = [eb('children.name_initials', '>=', initials), eb('children.name_initials', '<', initials + TOP), eb.not(prefix(eb))];
      // Only initials typed: the range alone; otherwise the slots of the syllables typed in full.
      return eb.and(likes.includes(null) ? range : [...range, eb.or(likes.map((p) => eb('children.name_syllables', 'like', p!)))]);
    });
  }
  return branches;
}

/** A name search within `scope`, as one condition (the export, a school's pupils): the ids of the union of its scoped branches. */
export function nameMatches(db: Db, q: string, scope: string): ChildrenWhere {
  const branches = nameBranches(q);
  if (branches.length === 1) return branches[0]!;
  const scoped = branches.map((b) => db.selectFrom('children').select('children.id').where(inSubtree('children.region_code', scope)).where(b));
  const ids = scoped.slice(1).reduce((all, part) => all.unionAll(part), scoped[0]!);
  return (eb) => eb('children.id', 'in', ids);
}

/** The scope the list is asked for (a region inside the actor's scope, or the whole scope). */
const listScope = (f: Pick<ChildFilter, 'region' | 'scopeRegion'>) => (f.region && isWithinRegion(f.region, f.scopeRegion) ? f.region : f.scopeRegion);

/**
 * The list's WHERE clause without the name search: scope and filters. A county
 * is an equality on county_code (its index then gives the list order for
 * free); smaller scopes, and any name search, a range on region_code (the name
 * indexes carry it).
 */
function scopedFilters(db: Db, f: Omit<ChildFilter, 'page' | 'pageSize'>) {
  const scope = listScope(f);
  const searching = !!f.q?.trim() && !f.idHash;
  const level = regionLevel(scope);
  let query = db.selectFrom('children');
  if (level === 'county' && !searching) query = query.where('children.county_code', '=', scope.slice(0, 6));
  // A name search above a village: from the name index, the scope checked on its region code (inSubtreeByOtherIndex).
  else if (searching && level !== 'village') query = query.where(inSubtreeByOtherIndex(db, 'children.region_code', scope));
  else query = query.where(inSubtree('children.region_code', scope));
  if (f.category) query = query.where(`children.${f.category}`, '=', 1);
  if (f.risk) query = query.where('children.risk_level', '=', f.risk);
  if (f.status) query = query.where('children.status', '=', f.status);
  if (f.school) query = query.where('children.school_status', '=', f.school);
  if (f.bornFrom) query = query.where('children.birth_date', '>=', f.bornFrom);
  if (f.bornTo) query = query.where('children.birth_date', '<=', f.bornTo);
  if (f.agingOutFrom) query = query.where('children.aging_out_date', '>=', f.agingOutFrom);
  if (f.agingOutBy) query = query.where('children.aging_out_date', '<=', f.agingOutBy);
  // Letters are owed by open files only: a closed or closing file is never "missing" one.
  if (f.letters === 'missing') query = query.where('children.letters_due', '>', 0).where('children.status', 'in', ['pending', 'returned', 'active']);
  if (f.letters === 'signed') query = query.where('children.letters_due', '=', 0);
  if (f.idHash) query = query.where('children.id_hash', '=', f.idHash);
  return query;
}

/** The list's WHERE clause, scoped, with the name search as one condition (nameMatches); also used by the xlsx export. */
export function filtered(db: Db, f: Omit<ChildFilter, 'page' | 'pageSize'>) {
  const query = scopedFilters(db, f);
  return f.q?.trim() && !f.idHash ? query.where(nameMatches(db, f.q, listScope(f))) : query;
}

/** The list's two statements: its page of ids in order (as the derived table `page`), and its count. */
export function listQueries(db: Db, f: ChildFilter): { page: AliasedSelectQueryBuilder<{ page_id: string }, 'page'>; count: { executeTakeFirstOrThrow(): Promise<{ n: number }>; compile(): CompiledQuery } } {
  const direction = f.sort.desc ? 'desc' : 'asc';
  const branches = f.q?.trim() && !f.idHash ? nameBranches(f.q) : [];
  if (branches.length > 1) {
    // A pinyin search: each branch (scope, filters, one name range) is read from its index, so the count and the page
    // of ids come from the indexes alone when no other filter needs the row. The readings' branches may find a child
    // twice (UNION); the prefix's, the large one, finds what they do not (UNION ALL, nothing to de-duplicate).
    const parts = branches.map((b) => scopedFilters(db, f).where(b));
    const withSort = (p: (typeof parts)[number]) => p.select((eb) => [eb.ref('children.id').as('page_id'), eb.ref(`children.${f.sort.column}`).as('sort_value')]);
    const idOnly = (p: (typeof parts)[number]) => p.select('children.id as page_id');
    const sortedRest = parts.slice(2).map(withSort).reduce((a, b) => a.union(b), withSort(parts[1]!));
    const sorted = withSort(parts[0]!).unionAll(db.selectFrom(sortedRest.as('r')).select(['r.page_id', 'r.sort_value']));
    const idsRest = parts.slice(2).map(idOnly).reduce((a, b) => a.union(b), idOnly(parts[1]!));
    const ids = idOnly(parts[0]!).unionAll(db.selectFrom(idsRest.as('r')).select('r.page_id'));
    return {
      page: db.selectFrom(sorted.as('m')).select('m.page_id').orderBy('m.sort_value', direction).orderBy('m.page_id', direction).limit(f.pageSize).offset((f.page - 1) * f.pageSize).as('page'),
      count: db.selectFrom(ids.as('m')).select((eb) => eb.fn.countAll<number>().as('n')),
    };
  }
  const base = filtered(db, f);
  // Deferred join: the page of ids comes from the index alone; full rows are read for that page only.
  return {
    page: base
      .select(['children.id as page_id'])
      .orderBy(`children.${f.sort.column}`, direction)
      .orderBy('children.id', direction)
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .as('page'),
    count: base.select((eb) => eb.fn.countAll<number>().as('n')),
  };
}

export async function listChildren(db: Db, f: ChildFilter): Promise<{ rows: ChildWithRegion[]; total: number }> {
  const direction = f.sort.desc ? 'desc' : 'asc';
  const { page, count } = listQueries(db, f);
  const [rows, total] = await Promise.all([
    db
      .selectFrom(page)
      .innerJoin('children', 'children.id', 'page.page_id')
      .innerJoin('regions', 'regions.code', 'children.region_code')
      .selectAll('children')
      .select('regions.name as region_name')
      .orderBy(`children.${f.sort.column}`, direction)
      .orderBy('children.id', direction)
      .execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Rows that may be the same child: same ID hash, or same birth date (names compared by the caller). */
export async function findPossibleDuplicates(db: Db, c: { idHash: string | null; birthDate: string; excludeId?: string | undefined }): Promise<ChildWithRegion[]> {
  let query = withRegion(db).where((eb) => {
    const sameBirth = eb('children.birth_date', '=', c.birthDate);
    return c.idHash ? eb.or([eb('children.id_hash', '=', c.idHash), sameBirth]) : sameBirth;
  });
  query = query.where('children.status', '!=', 'closed');
  if (c.excludeId) query = query.where('children.id', '!=', c.excludeId);
  return query.limit(500).execute();
}

/** Open files after `afterId`, in id order, for batch re-derivation. */
export function listOpenChildrenAfter(db: Db, afterId: string, limit: number): Promise<ChildRow[]> {
  return db
    .selectFrom('children')
    .selectAll()
    .where('id', '>', afterId)
    .where('status', 'in', ['pending', 'returned', 'active', 'closing'])
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Files whose name has not been spelled yet (from before the spellings were stored), a batch at a time. */
export function listUnspelledChildren(db: Db, limit: number): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('children').select(['id', 'name']).where('name_initials', 'is', null).limit(limit).execute();
}

export async function updateChildSpelling(db: Db, id: string, spelling: NameSpelling): Promise<void> {
  await db.updateTable('children').set({ name_pinyin: spelling.pinyin, name_initials: spelling.initials, name_syllables: spelling.syllables }).where('id', '=', id).execute();
}

export async function updateChildColumns(db: Db, id: string, changes: Partial<ChildTable>): Promise<void> {
  await db.updateTable('children').set(changes).where('id', '=', id).execute();
}

export async function insertChildChange(db: Db, row: ChildChangeRow): Promise<void> {
  await db.insertInto('child_changes').values(row).execute();
}

export function listChildChanges(db: Db, childId: string): Promise<ChildChangeRow[]> {
  return db.selectFrom('child_changes').selectAll().where('child_id', '=', childId).orderBy('at', 'desc').orderBy('id', 'desc').execute();
}

/** The villages a child was transferred from (its transfers' history rows), oldest first. */
export async function listTransferOrigins(db: Db, childId: string): Promise<string[]> {
  const rows = await db.selectFrom('child_changes').select('changes').where('child_id', '=', childId).where('action', '=', 'transfer').orderBy('at').execute();
  return rows.flatMap((r) => (JSON.parse(r.changes) as { field: string; from: unknown }[]).filter((c) => c.field === 'regionCode' && typeof c.from === 'string').map((c) => c.from as string));
}

export async function insertDuplicateReviews(db: Db, rows: DuplicateReviewTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('duplicate_reviews').values(rows).execute();
}

/**
 * Every table whose rows belong to one child (`child_id`) and carry its
 * village (`region_code`, and `county_code` where the table has one) so that
 * lists are scoped by an index on them. A transfer moves them all with the
 * child, in its transaction (moveChildRecords); migration 0015 repaired rows
 * written before. server/features/children/children-transfer.test.ts reads
 * the database's own schema and fails when a table with both columns is
 * missing here. Audit rows are history and stay where they were written.
 */
export const CHILD_SCOPED_TABLES = {
  child_changes: { county: false },
  duplicate_reviews: { county: false },
  visits: { county: true },
  campaign_tasks: { county: false },
  protection_reports: { county: true },
  referrals: { county: true },
  protection_orders: { county: true },
} as const satisfies Partial<Record<keyof Database, { county: boolean }>>;

export type ChildScopedTable = keyof typeof CHILD_SCOPED_TABLES;

/**
 * Sets region_code (and county_code) of every row of the child in every
 * CHILD_SCOPED_TABLES table: one UPDATE per table through its child_id index.
 * Returns how many rows each table had moved.
 */
export async function moveChildRecords(db: Db, childId: string, to: { regionCode: string; countyCode: string }): Promise<Record<ChildScopedTable, number>> {
  const moved = {} as Record<ChildScopedTable, number>;
  for (const [table, { county }] of Object.entries(CHILD_SCOPED_TABLES) as [ChildScopedTable, { county: boolean }][]) {
    const result = await db
      .updateTable(table)
      .set(county ? { region_code: to.regionCode, county_code: to.countyCode } : { region_code: to.regionCode })
      .where('child_id', '=', childId)
      .executeTakeFirst();
    moved[table] = Number(result.numUpdatedRows);
  }
  return moved;
}
