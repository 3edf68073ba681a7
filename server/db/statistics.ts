/**
 * The query planner's statistics, kept current (issue 13 point 5).
 *
 * SQLite plans a query from `sqlite_stat1` (rows per index key), which only
 * ANALYZE writes; without it every index looks equally selective. Its
 * documentation (pragma.html, "PRAGMA optimize") advises, for an application
 * that keeps one connection open for long: `PRAGMA optimize=0x10002` when the
 * connection opens, then `PRAGMA optimize` periodically (once a day), and
 * after large changes. `optimize` runs ANALYZE only on a table some of whose
 * indexes have no statistics yet, or whose row count has changed tenfold
 * since it was last analysed — usually a no-op — and then with a temporary
 * analysis limit (a sample of each index), so that it stays fast on a large
 * file. Bit 0x10000 looks at every table, not only the ones this connection
 * has queried (a fresh connection, a worker's connection, has queried none).
 *
 * PostgreSQL's autovacuum analyses a table once a fifth of it has changed; a
 * bulk write (a roster import) is followed by an explicit ANALYZE of the
 * tables it wrote so that the next list is planned on the new rows at once.
 */
import { sql } from 'kysely';
import type { Db, Dialect } from './database.js';

export type StatisticsOccasion = 'start' | 'daily' | 'bulk';

/** The tables a roster import writes (its children and their history rows). */
const BULK_TABLES = ['children', 'child_changes'] as const;

export async function refreshPlannerStatistics(db: Db, dialect: Dialect, when: StatisticsOccasion): Promise<void> {
  if (dialect === 'postgres') {
    // Autovacuum keeps the statistics at start and day by day; only a bulk write is worth analysing at once.
    if (when === 'bulk') await sql`analyze ${sql.join(BULK_TABLES.map((t) => sql.table(t)))}`.execute(db);
    return;
  }
  switch (when) {
    case 'start':
    case 'bulk':
      // Every table checked: this connection may have queried nothing yet (just opened, or a worker's own).
      await sql`pragma optimize = 0x10002`.execute(db);
      return;
    case 'daily':
      await sql`pragma optimize`.execute(db);
      return;
  }
}
