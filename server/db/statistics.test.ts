/**
 * Planner statistics (issue 13 point 5): after a refresh the children table
 * has statistics the planner reads — SQLite's sqlite_stat1, PostgreSQL's
 * last ANALYZE — and without the refresh it has none.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoChildren } from '../seed/demo-children.js';
import { createTestApp, dialectUnderTest, type TestApp } from '../test/harness.js';
import { refreshPlannerStatistics, refreshPlannerStatisticsInWorker } from './statistics.js';

/** SQLite: the sqlite_stat1 rows of a table's indexes (none before the first ANALYZE, when the table does not even exist). */
async function sqliteStats(t: TestApp, table: string): Promise<{ idx: string; stat: string }[]> {
  const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(t.deps.db);
  if (exists.rows[0]!.n === 0) return [];
  return (await sql<{ idx: string; stat: string }>`select idx, stat from sqlite_stat1 where tbl = ${table} order by idx`.execute(t.deps.db)).rows;
}

/** PostgreSQL: when the table was last analysed by an explicit ANALYZE (autovacuum's own runs are kept apart), in the test's schema. */
async function lastAnalyze(t: TestApp, table: string): Promise<string | null> {
  // The statistics collector's view is a snapshot per transaction: read it fresh.
  await sql`select pg_stat_clear_snapshot()`.execute(t.deps.db);
  const r = await sql<{ last_analyze: string | null }>`select last_analyze from pg_stat_user_tables where schemaname = current_schema() and relname = ${table}`.execute(t.deps.db);
  return r.rows[0]?.last_analyze ?? null;
}

const dialect = dialectUnderTest();

describe(`planner statistics kept current (${dialect})`, () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await seedDemoChildren(t.deps, 300);
  });
  afterEach(async () => {
    await t.close();
  });

  it.runIf(dialect === 'sqlite').each(['start', 'bulk'] as const)('SQLite: the children table has no statistics until a refresh (%s), then sqlite_stat1 holds its indexes', async (when) => {
    expect(await sqliteStats(t, 'children')).toEqual([]);
    await refreshPlannerStatistics(t.deps.db, 'sqlite', when);
    const stats = await sqliteStats(t, 'children');
    // Every index of the table, each counting the 300 files (the first number of a stat1 row is the table's rows).
    const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'children'`.execute(t.deps.db)).rows.map((r) => r.name);
    expect(stats.map((s) => s.idx).sort()).toEqual(indexes.sort());
    for (const s of stats) expect(Number(s.stat.split(' ')[0])).toBe(300);
    // And no skip-scans (statistics.ts, forbidSkipScans): the token ends every index's row.
    for (const s of stats) expect(s.stat).toMatch(/ noskipscan$/);
  });

  it.runIf(dialect === 'sqlite')('SQLite: current statistics are left alone; a table grown tenfold is analysed again by the daily refresh', async () => {
    await refreshPlannerStatistics(t.deps.db, 'sqlite', 'bulk');
    const rows = async () => Number((await sqliteStats(t, 'children'))[0]!.stat.split(' ')[0]);
    expect(await rows()).toBe(300);

    // Current statistics: nothing to do (the next refresh does not rewrite them).
    await sql`update sqlite_stat1 set stat = '300 1 1 1 noskipscan' where tbl = 'children' and idx = 'children_name_idx'`.execute(t.deps.db);
    await refreshPlannerStatistics(t.deps.db, 'sqlite', 'start');
    expect((await sqliteStats(t, 'children')).find((s) => s.idx === 'children_name_idx')!.stat).toBe('300 1 1 1 noskipscan');

    // 3,000 more files, ten times the rows analysed: the daily refresh analyses the table again (one this connection plans queries on).
    await seedDemoChildren(t.deps, 3000);
    await t.deps.db.selectFrom('children').select('id').where('county_code', '=', '431202').limit(1).execute();
    await refreshPlannerStatistics(t.deps.db, 'sqlite', 'daily');
    expect(await rows()).toBe(3300);
  }, 60_000);

  it.runIf(dialect === 'postgres')('PostgreSQL: a bulk refresh analyses the tables a roster import writes; start and daily leave it to autovacuum', async () => {
    expect(await lastAnalyze(t, 'children')).toBeNull();
    await refreshPlannerStatistics(t.deps.db, 'postgres', 'start');
    await refreshPlannerStatistics(t.deps.db, 'postgres', 'daily');
    expect(await lastAnalyze(t, 'children')).toBeNull();

    await refreshPlannerStatistics(t.deps.db, 'postgres', 'bulk');
    expect(await lastAnalyze(t, 'children')).not.toBeNull();
    expect(await lastAnalyze(t, 'child_changes')).not.toBeNull();
    // The planner's row estimate now counts the files (-1 or 0 before a table is first analysed).
    const reltuples = await sql<{ n: number }>`select reltuples::int as n from pg_class where oid = to_regclass('children')`.execute(t.deps.db);
    expect(reltuples.rows[0]!.n).toBe(300);
  });

  it.runIf(dialect === 'sqlite')("SQLite, at the server's start: a worker thread analyses on its own connection, and the server's planner uses the statistics at once", async () => {
    await t.close();
    t = await createTestApp({}, { onDisk: true });
    await seedDemoChildren(t.deps, 300);
    // Born on one day in one county: without statistics the county's list index looks as good as the birth-date index.
    const plan = async () =>
      (await sql<{ detail: string }>`explain query plan select id from children where county_code = ${'431202'} and birth_date = ${'2015-03-10'}`.execute(t.deps.db)).rows.map((r) => r.detail).join(' | ');
    expect(await plan()).toContain('children_county_list_idx');
    // sqlite_stat1 made beforehand (another table analysed): the worker's ANALYZE then changes no schema, which would
    // have made the server's connection reload everything by itself; the statistics reach its planner by the reload only.
    await sql`analyze regions`.execute(t.deps.db);

    const analysed = await refreshPlannerStatisticsInWorker(t.deps);
    expect(analysed).toContain('ANALYZE "main"."children"');
    expect((await sqliteStats(t, 'children')).length).toBeGreaterThan(0);
    // The server's connection reloaded them: 300 files over 13 counties, a birth date is the narrower index.
    expect(await plan()).toContain('children_birth_idx');
    // Current: nothing more to analyse, no worker started; statistics without the token (an ANALYZE by hand) get it.
    await sql`update sqlite_stat1 set stat = replace(stat, ' noskipscan', '')`.execute(t.deps.db);
    expect(await refreshPlannerStatisticsInWorker(t.deps)).toEqual([]);
    for (const s of await sqliteStats(t, 'children')) expect(s.stat).toMatch(/ noskipscan$/);
  });
});
