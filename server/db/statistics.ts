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
 * Measured on the bench file of 1,000,000 children (SQLite 3.53, 2 shared
 * cores): on a file never analysed, `PRAGMA optimize=0x10002` analysed the
 * children table in full (no sampling for a table without statistics) in
 * 7.1 s — the same numbers as a plain ANALYZE; once the statistics exist it
 * takes 0.2 ms. At 100,000 children, 0.6 s. So the server's own refreshes
 * (at start, daily) run the analysis, when there is any to do, in a worker
 * thread on its own connection (refreshPlannerStatisticsInWorker), never in
 * the server's thread.
 *
 * A connection reads sqlite_stat1 when it loads the schema: statistics
 * written by another connection reach the server's planner only after
 * `ANALYZE sqlite_schema` on the server's connection (reloadPlannerStatistics).
 * An import writing on a worker's connection calls 'bulk' on the server's
 * connection once it has committed (usually a no-op: a tenfold change is
 * needed), or on its own and then reloads the server's.
 *
 * PostgreSQL's autovacuum analyses a table once a fifth of it has changed; a
 * bulk write (a roster import) is followed by an explicit ANALYZE of the
 * tables it wrote so that the next list is planned on the new rows at once.
 * Every connection of the pool sees it.
 */
import { sql } from 'kysely';
import { startWorker } from '../core/worker-thread.js';
import type { DatabaseOptions, Db, Dialect } from './database.js';

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
      break;
    case 'daily':
      await sql`pragma optimize`.execute(db);
      break;
  }
  await forbidSkipScans(db);
}

/**
 * Marks every analysed index `noskipscan` (a token of sqlite_stat1.stat,
 * fileformat2.html §2.6.3: "prevents that index from being used with the
 * skip-scan optimization"), then reloads the statistics on this connection.
 *
 * Without statistics SQLite never skip-scans, and the app's queries and
 * indexes were designed and measured that way. With them, it skip-scanned
 * an index whose first column repeats (≥ 18 rows a value) to spare a sort or
 * to use a later column: at 1,000,000 children a county's surname search
 * (children_initials_idx, ANY(name_initials)) took 600–800 ms instead of
 * 12–17 ms, its pinyin search 55 ms instead of 19 ms; at 100,000, a county's
 * on-time tally (visits_region_idx) 575 ms instead of 13 ms. Every other
 * statement of the bench kept its plan. With the token the row counts still
 * guide the planner, and those three plans are the fast ones again.
 */
async function forbidSkipScans(db: Db): Promise<void> {
  const marked = await sql`update sqlite_stat1 set stat = stat || ' noskipscan' where idx is not null and stat not like '% noskipscan'`.execute(db).catch((error: unknown) => {
    // No sqlite_stat1 yet: nothing was analysed (an empty database).
    if (/no such table/.test(String(error))) return { numAffectedRows: 0n };
    throw error;
  });
  if ((marked.numAffectedRows ?? 0n) > 0n) await sql`analyze sqlite_schema`.execute(db);
}

/** SQLite: makes this connection's planner read sqlite_stat1 again (another connection analysed). PostgreSQL: nothing to do. */
export async function reloadPlannerStatistics(db: Db, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await sql`analyze sqlite_schema`.execute(db);
}

/** SQLite: what `PRAGMA optimize=0x10002` would analyse now (its debug bit: nothing is done), e.g. `ANALYZE "main"."children"`. */
export async function pendingAnalyses(db: Db): Promise<string[]> {
  const r = await sql<{ optimize: string }>`pragma optimize = 0x10003`.execute(db);
  return r.rows.map((row) => row.optimize);
}

/**
 * The server's refresh (at start, daily) without holding its thread: on a
 * SQLite file with tables to analyse (`PRAGMA optimize=0x10002`'s choice:
 * never analysed, or grown or shrunk tenfold), a worker thread analyses them
 * on its own connection (`workerDb`), then the server's connection reloads
 * the statistics. In memory (no worker connection) and on PostgreSQL it is
 * refreshPlannerStatistics(…, 'start'). Resolves with what was analysed
 * (empty: they were current).
 */
export async function refreshPlannerStatisticsInWorker(deps: { db: Db; dialect: Dialect; workerDb?: DatabaseOptions | null | undefined }): Promise<string[]> {
  if (deps.dialect === 'postgres' || !deps.workerDb) {
    const pending = deps.dialect === 'sqlite' ? await pendingAnalyses(deps.db) : [];
    await refreshPlannerStatistics(deps.db, deps.dialect, 'start');
    return pending;
  }
  const pending = await pendingAnalyses(deps.db);
  if (pending.length === 0) {
    // Current statistics, perhaps written without the token (an older version, an ANALYZE by hand): marked here.
    await forbidSkipScans(deps.db);
    return [];
  }
  await new Promise<void>((resolve, reject) => {
    const worker = startWorker(new URL(`./statistics.worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url), { workerData: deps.workerDb });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the statistics worker stopped with code ${code}`))));
  });
  await reloadPlannerStatistics(deps.db, deps.dialect);
  return pending;
}
