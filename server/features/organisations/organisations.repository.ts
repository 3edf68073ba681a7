import type { Db } from '../../db/database.js';
import type { OrganisationRow } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';
import { containsText } from '../../db/search.js';

export type OrganisationWithCounts = OrganisationRow & { region_name: string; user_count: number };

function withCounts(db: Db) {
  return db
    .selectFrom('organisations')
    .innerJoin('regions', 'regions.code', 'organisations.region_code')
    .selectAll('organisations')
    .select((eb) => [
      'regions.name as region_name',
      eb
        .selectFrom('users')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('users.organisation_id', '=', 'organisations.id')
        .as('user_count'),
    ]);
}

export function findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Organisations of a kind registered at exactly one of these region codes, by name. */
export function listOrganisationsAt(db: Db, kind: OrganisationRow['kind'], regionCodes: string[]): Promise<OrganisationRow[]> {
  return db.selectFrom('organisations').selectAll().where('kind', '=', kind).where('region_code', 'in', regionCodes).orderBy('name').orderBy('id').execute();
}

export async function findOrganisationInScope(db: Db, id: string, scopeRegion: string): Promise<OrganisationWithCounts | undefined> {
  const row = await withCounts(db).where('organisations.id', '=', id).where(inSubtree('organisations.region_code', scopeRegion)).executeTakeFirst();
  return row ? { ...row, user_count: Number(row.user_count ?? 0) } : undefined;
}

export async function listOrganisations(
  db: Db,
  f: { scopeRegion: string; q?: string | undefined; kind?: string | undefined; page: number; pageSize: number },
): Promise<{ rows: OrganisationWithCounts[]; total: number }> {
  let query = withCounts(db).where(inSubtree('organisations.region_code', f.scopeRegion));
  if (f.kind) query = query.where('organisations.kind', '=', f.kind);
  if (f.q) query = query.where(containsText('organisations.name', f.q));
  const [rows, count] = await Promise.all([
    query
      .orderBy('organisations.region_code')
      .orderBy('organisations.name')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, user_count: Number(r.user_count ?? 0) })), total: Number(count.n) };
}

export async function insertOrganisations(db: Db, rows: OrganisationRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('organisations').values(rows).execute();
}
