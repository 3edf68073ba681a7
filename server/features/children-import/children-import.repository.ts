/** SQL of roster import and export: lookups in bulk, inserts by SQL text built once, keyset pages of the filtered list. */
import { CompiledQuery, sql, type Insertable } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { ChildChangeTable, ChildTable, Database } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';
import { ancestorCodes } from '../../../domain/regions.js';
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

/**
 * Names of the regions an export's county and township columns may name: the
 * scope's subtree and the regions above it (a township supervisor's children
 * lie in a county outside his subtree, whose name the export still shows).
 */
export function listRegionNamesForExport(db: Db, scopeRegion: string): Promise<{ code: string; name: string }[]> {
  const above = ancestorCodes(scopeRegion).filter((code) => code !== scopeRegion);
  return db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where((eb) => (above.length > 0 ? eb.or([inSubtree('code', scopeRegion), eb('code', 'in', above)]) : inSubtree('code', scopeRegion)))
    .execute();
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

/** What the duplicate check compares of a file born the same day. */
export interface SameDayChild {
  name: string;
  name_pinyin: string;
  birth_date: string;
  region_code: string;
}

/**
 * Open files born on one of these dates (names are compared by the caller):
 * only the columns compared, since at a million files this returns nearly
 * as many rows as there are files born in the years of the roster.
 */
export async function findOpenChildrenByBirthDate(db: Db, dates: string[]): Promise<SameDayChild[]> {
  const out: SameDayChild[] = [];
  for (const part of chunks([...new Set(dates)], IN_CHUNK)) {
    const rows = await db
      .selectFrom('children')
      .select(['name', 'name_pinyin', 'birth_date', 'region_code'])
      .where('birth_date', 'in', part)
      .where('status', '!=', 'closed')
      .execute();
    for (const row of rows) out.push(row);
  }
  return out;
}

// Multi-row INSERTs sized under SQLite's 32,766 bound parameters (PostgreSQL allows 65,535).
const MAX_PARAMS = 30_000;
const insertSql = new Map<string, string>();

/** `insert into "table" ("a", "b") values (?, ?), (?, ?)…` for `rows` rows, in the dialect's placeholders; built once per shape. */
function insertStatement(dialect: Dialect, table: string, columns: string[], rows: number): string {
  const key = `${dialect}|${table}|${rows}|${columns.join(',')}`;
  let text = insertSql.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = () => `(${columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`;
    if (insertSql.size > 50) insertSql.clear();
    insertSql.set(key, text);
  }
  return text;
}

/**
 * Writes rows of one table (all with the same columns, as built by one
 * function) by SQL text built once per shape, not by the query builder, whose
 * tree of one node per value costs more than the insert itself.
 *
 * SQLite: each `add` runs a single-row statement, prepared once
 * (server/db/database.ts caches statements by text) — for rows this wide,
 * multi-row VALUES take twice as long there — so that a row is written as soon
 * as it is built and little garbage lives long. PostgreSQL: rows wait for
 * `flush`, which sends them in multi-row statements (a round trip per ~1,000).
 */
export interface RowWriter<T> {
  add(row: T): Promise<void>;
  flush(): Promise<void>;
}

export function rowWriter<K extends 'children' | 'child_changes'>(db: Db, dialect: Dialect, table: K): RowWriter<Insertable<Database[K]>> {
  let columns: string[] | null = null;
  const valuesOf = (row: Insertable<Database[K]>, into: unknown[]) => {
    const values = row as Record<string, unknown>;
    columns ??= Object.keys(values);
    for (const c of columns) into.push(values[c] ?? null);
  };
  if (dialect === 'sqlite') {
    return {
      async add(row) {
        const params: unknown[] = [];
        valuesOf(row, params);
        await db.executeQuery(CompiledQuery.raw(insertStatement(dialect, table, columns!, 1), params));
      },
      async flush() {},
    };
  }
  let pending: Insertable<Database[K]>[] = [];
  return {
    add(row) {
      pending.push(row);
      return Promise.resolve();
    },
    async flush() {
      if (pending.length === 0) return;
      columns ??= Object.keys(pending[0]!);
      const size = Math.floor(MAX_PARAMS / columns.length);
      for (const part of chunks(pending, size)) {
        const params: unknown[] = [];
        for (const row of part) valuesOf(row, params);
        await db.executeQuery(CompiledQuery.raw(insertStatement(dialect, table, columns, part.length), params));
      }
      pending = [];
    },
  };
}

/** Kysely multi-row inserts (used by the demo seed). */
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
