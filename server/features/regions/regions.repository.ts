import { ancestorCodes } from '../../../domain/regions.js';
import type { Db } from '../../db/database.js';
import type { RegionRow } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

export type RegionWithChildren = RegionRow & { child_count: number };

export function findRegion(db: Db, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findRegions(db: Db, codes: string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('regions').selectAll().where('code', 'in', codes).execute();
}

/** The region and its ancestors, top first. */
export async function findRegionPath(db: Db, code: string): Promise<RegionRow[]> {
  const chain = ancestorCodes(code);
  const rows = await findRegions(db, chain);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return chain.map((c) => byCode.get(c)).filter((r): r is RegionRow => !!r);
}

function withChildCount(db: Db) {
  return db
    .selectFrom('regions')
    .selectAll('regions')
    .select((eb) =>
      eb
        .selectFrom('regions as c')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('c.parent_code', '=', 'regions.code')
        .where('c.valid_to', 'is', null)
        .as('child_count'),
    );
}

export async function findRegionsWithChildCount(db: Db, codes: string[]): Promise<RegionWithChildren[]> {
  if (codes.length === 0) return [];
  const rows = await withChildCount(db)
    .where('code', 'in', codes)
    .execute();
  return rows.map((r) => ({ ...r, child_count: Number(r.child_count ?? 0) }));
}

export async function listChildRegions(db: Db, parentCode: string): Promise<RegionWithChildren[]> {
  const rows = await withChildCount(db)
    .where('parent_code', '=', parentCode)
    .where('valid_to', 'is', null)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ ...r, child_count: Number(r.child_count ?? 0) }));
}

/** Regions in a subtree whose name contains `q` or whose code starts with it. */
export function searchRegions(db: Db, scopeCode: string, q: string, limit: number): Promise<RegionRow[]> {
  const isCode = /^\d+$/.test(q);
  return db
    .selectFrom('regions')
    .selectAll()
    .where(inSubtree('code', scopeCode))
    .where('valid_to', 'is', null)
    .where((eb) => (isCode ? eb('code', 'like', `${q}%`) : eb('name', 'like', `%${q}%`)))
    .orderBy('code')
    .limit(limit)
    .execute();
}

export interface SubtreeCounts {
  counties: number;
  townships: number;
  villages: number;
  directors: number;
  supervisors: number;
}

/** Regions per level and active staff in a subtree: index range scans, no recursion. */
export async function countSubtree(db: Db, code: string): Promise<SubtreeCounts> {
  const [levels, staff] = await Promise.all([
    db
      .selectFrom('regions')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .where(inSubtree('code', code))
      .where('valid_to', 'is', null)
      .groupBy('level')
      .execute(),
    db
      .selectFrom('users')
      .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
      .where(inSubtree('region_code', code))
      .where('disabled', '=', 0)
      .where('role', 'in', ['director', 'supervisor'])
      .groupBy('role')
      .execute(),
  ]);
  const level = (l: string) => Number(levels.find((r) => r.level === l)?.n ?? 0);
  const role = (r: string) => Number(staff.find((s) => s.role === r)?.n ?? 0);
  return {
    counties: level('county'),
    townships: level('township'),
    villages: level('village'),
    directors: role('director'),
    supervisors: role('supervisor'),
  };
}

export function countRegions(db: Db): Promise<number> {
  return db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export async function insertRegions(db: Db, rows: RegionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('regions').values(rows.slice(i, i + 500)).execute();
  }
}

