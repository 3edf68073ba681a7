import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { RegionRow } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

export interface CoverageCounts {
  child: string;
  townships: number;
  townshipsWithoutSupervisor: number;
  villages: number;
  villagesWithoutDirector: number;
  supervisors: number;
  directors: number;
}

/**
 * Staff coverage of a subtree grouped by the first `childPrefixLength` digits
 * of the code, i.e. one row per child region of the node asked for.
 */
export async function coverageByChild(db: Db, code: string, childPrefixLength: number): Promise<CoverageCounts[]> {
  const len = sql.lit(childPrefixLength);
  const uncovered = sql<number>`sum(case when not exists (
      select 1 from users u
      where u.region_code = r.code and u.disabled = 0
        and u.role = case when r.level = 'village' then 'director' else 'supervisor' end
    ) then 1 else 0 end)`;
  const [regions, staff] = await Promise.all([
    db
      .selectFrom('regions as r')
      .select([sql<string>`substr(r.code, 1, ${len})`.as('child'), 'r.level', (eb) => eb.fn.countAll<number>().as('n'), uncovered.as('uncovered')])
      .where(inSubtree('r.code', code))
      .where('r.level', 'in', ['township', 'village'])
      .where('r.valid_to', 'is', null)
      .groupBy([sql`substr(r.code, 1, ${len})`, 'r.level'])
      .execute(),
    db
      .selectFrom('users')
      .select([sql<string>`substr(region_code, 1, ${len})`.as('child'), 'role', (eb) => eb.fn.countAll<number>().as('n')])
      .where(inSubtree('region_code', code))
      .where('disabled', '=', 0)
      .where('role', 'in', ['director', 'supervisor'])
      .groupBy([sql`substr(region_code, 1, ${len})`, 'role'])
      .execute(),
  ]);
  const rows = new Map<string, CoverageCounts>();
  const row = (child: string) => {
    let r = rows.get(child);
    if (!r) {
      r = { child, townships: 0, townshipsWithoutSupervisor: 0, villages: 0, villagesWithoutDirector: 0, supervisors: 0, directors: 0 };
      rows.set(child, r);
    }
    return r;
  };
  for (const r of regions) {
    const target = row(r.child);
    if (r.level === 'village') {
      target.villages += Number(r.n);
      target.villagesWithoutDirector += Number(r.uncovered);
    } else {
      target.townships += Number(r.n);
      target.townshipsWithoutSupervisor += Number(r.uncovered);
    }
  }
  for (const s of staff) {
    if (s.role === 'director') row(s.child).directors += Number(s.n);
    else row(s.child).supervisors += Number(s.n);
  }
  return [...rows.values()];
}

/** Villages without an active director, or townships without an active supervisor, in a subtree. */
export async function listCoverageGaps(
  db: Db,
  code: string,
  level: 'village' | 'township',
  page: number,
  pageSize: number,
): Promise<{ rows: RegionRow[]; total: number }> {
  const role = level === 'village' ? 'director' : 'supervisor';
  const base = db
    .selectFrom('regions as r')
    .where(inSubtree('r.code', code))
    .where('r.level', '=', level)
    .where('r.valid_to', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('users as u')
            .select('u.id')
            .whereRef('u.region_code', '=', 'r.code')
            .where('u.role', '=', role)
            .where('u.disabled', '=', 0),
        ),
      ),
    );
  const [rows, count] = await Promise.all([
    base.selectAll('r').orderBy('r.code').limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

