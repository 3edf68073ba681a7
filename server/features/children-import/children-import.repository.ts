/** SQL of roster import and export: lookups in bulk, multi-row inserts, keyset pages of the filtered list. */
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ChildChangeTable, ChildTable } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';
import { filtered, type ChildFilter, type ChildWithRegion } from '../children/children.repository.js';

/** Villages (and communities) currently valid in a subtree: the codes an import may use. */
export function listVillagesInScope(db: Db, scopeRegion: string): Promise<{ code: string; name: string }[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('level', '=', 'village')
    .where('valid_to', 'is', null)
    .where(inSubtree('code', scopeRegion))
    .execute();
}

/** Names of every region in a subtree (for the county / township columns of an export). */
export function listRegionNamesInScope(db: Db, scopeRegion: string): Promise<{ code: string; name: string }[]> {
  return db.selectFrom('regions').select(['code', 'name']).where(inSubtree('code', scopeRegion)).execute();
}

const IN_CHUNK = 500;
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ExistingChild {
  id: string;
  name: string;
  name_pinyin: string;
  birth_date: string;
  region_code: string;
  id_hash: string | null;
}

/** Open files (any region: duplicates do not stop at a scope boundary) with one of these ID hashes. */
export async function findOpenChildrenByIdHash(db: Db, hashes: string[]): Promise<ExistingChild[]> {
  const out: ExistingChild[] = [];
  for (const part of chunks([...new Set(hashes)], IN_CHUNK)) {
    out.push(
      ...(await db
        .selectFrom('children')
        .select(['id', 'name', 'name_pinyin', 'birth_date', 'region_code', 'id_hash'])
        .where('id_hash', 'in', part)
        .where('status', '!=', 'closed')
        .execute()),
    );
  }
  return out;
}

/** Open files born on one of these dates (names are compared by the caller). */
export async function findOpenChildrenByBirthDate(db: Db, dates: string[]): Promise<ExistingChild[]> {
  const out: ExistingChild[] = [];
  for (const part of chunks([...new Set(dates)], IN_CHUNK)) {
    out.push(
      ...(await db
        .selectFrom('children')
        .select(['id', 'name', 'name_pinyin', 'birth_date', 'region_code', 'id_hash'])
        .where('birth_date', 'in', part)
        .where('status', '!=', 'closed')
        .execute()),
    );
  }
  return out;
}

// Multi-row INSERTs sized under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535).
const MAX_PARAMS = 30_000;

export async function insertChildrenBatch(db: Db, rows: ChildTable[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length);
  for (const part of chunks(rows, size)) await db.insertInto('children').values(part).execute();
}

export async function insertChildChangesBatch(db: Db, rows: ChildChangeTable[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length);
  for (const part of chunks(rows, size)) await db.insertInto('child_changes').values(part).execute();
}

export async function countFilteredChildren(db: Db, f: Omit<ChildFilter, 'page' | 'pageSize'>): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type ExportCursor = { value: string; id: string } | null;

/**
 * One page of the filtered list in its sort order, after `cursor` (keyset:
 * each page costs the same however deep the export has gone).
 */
export function listFilteredChildrenPage(db: Db, f: Omit<ChildFilter, 'page' | 'pageSize'>, cursor: ExportCursor, limit: number): Promise<ChildWithRegion[]> {
  const column = `children.${f.sort.column}` as const;
  const dir = f.sort.desc ? 'desc' : 'asc';
  let query = filtered(db, f)
    .innerJoin('regions', 'regions.code', 'children.region_code')
    .selectAll('children')
    .select('regions.name as region_name');
  if (cursor) {
    const op = sql.raw(f.sort.desc ? '<' : '>');
    query = query.where(sql<boolean>`(${sql.ref(column)}, ${sql.ref('children.id')}) ${op} (${cursor.value}, ${cursor.id})`);
  }
  return query.orderBy(column, dir).orderBy('children.id', dir).limit(limit).execute();
}
