/**
 * Adds visits to a cached bench database (issue 4, deliverable 7): about 12 a
 * visited child (bench/visits-rows.ts), built by worker threads and inserted
 * by one prepared statement in one transaction, secondary indexes dropped and
 * rebuilt; then the children's schedule columns set from their visits. The
 * children themselves are not regenerated. Done once per file: the table
 * `bench_meta` in the file (and the .json beside it) records the visits
 * version, so later runs reuse it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { localToday, systemClock } from '../server/core/clock.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { benchFiles, type BenchMeta } from './generate.js';
import { acquireBenchLock } from './lock.js';
import { CHILD_UPDATE_COLUMNS, VISIT_COLUMNS, type ChildIn, type VisitsPlan } from './visits-rows.js';

/** Bump when the generated visits change shape: the visits of an older version are then deleted and made again. */
export const VISITS_VERSION = 1;
const BATCH = 1000;
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => api.tsImport(${JSON.stringify(
  new URL('./visits-worker.ts', import.meta.url).href,
)}, ${JSON.stringify(import.meta.url)}))`;

export interface VisitsMeta {
  version: number;
  generatedAt: string;
  /** The calendar day (China) the schedules were computed for: overdue counts drift from it day by day. */
  today: string;
  seconds: number;
  visits: number;
  visitedChildren: number;
  activeChildren: number;
  bytes: number;
}

const STARTED = 'visits_started';
const DONE = 'visits';

export async function ensureVisits(n: number, log: (s: string) => void): Promise<VisitsMeta> {
  const files = benchFiles(n);
  const done = visitsDone(files.db, log, false);
  if (done) return done;
  // One run adds the visits at a time (bench/lock.ts): a second one stops, naming the first, instead of writing the file too.
  const lock = acquireBenchLock(files.db, `adding visits to ${n.toLocaleString('en')} children`, log);
  try {
    return visitsDone(files.db, log, true) ?? (await addVisits(n, files, log));
  } finally {
    lock.release();
  }
}

/** The visits already in the file (null: none yet). With the lock held, a mark of a load begun and not finished means a run died mid-write. */
function visitsDone(file: string, log: (s: string) => void, locked: boolean): VisitsMeta | null {
  const db = new SQLite(file);
  const has = db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'bench_meta'`).get();
  const state = has ? (Object.fromEntries((db.prepare(`select key, value from bench_meta`).all() as { key: string; value: string }[]).map((r) => [r.key, r.value])) as Record<string, string>) : {};
  db.close();
  if (state[DONE]) {
    const done = JSON.parse(state[DONE]) as VisitsMeta;
    if (done.version === VISITS_VERSION) {
      log(`Reusing the visits of ${path.relative(process.cwd(), file)} (${done.visits.toLocaleString('en')} visits of ${done.visitedChildren.toLocaleString('en')} children, made ${done.generatedAt} for ${done.today})`);
      return done;
    }
  } else if (state[STARTED] && locked) {
    throw new Error(`${file}: adding visits was interrupted (written without a journal, the file may be damaged); delete it (and its .json) to regenerate`);
  }
  return null;
}

async function addVisits(n: number, files: ReturnType<typeof benchFiles>, log: (s: string) => void): Promise<VisitsMeta> {
  const meta = JSON.parse(fs.readFileSync(files.meta, 'utf8')) as BenchMeta;

  const started = performance.now();
  // Migrations newer than the file (0006 adds the visits tables). Not the app's start-up fill of due dates
  // (rederiveCategories, ~35,000 files a minute): every open file's schedule is set below, by the same computeSchedule.
  {
    const handle = openDatabase({ sqliteFile: files.db });
    const migrations = await migrateToLatest(handle.db);
    await handle.close();
    if (migrations.length > 0) log(`  migrations applied: ${migrations.join(', ')}`);
  }

  const db = new SQLite(files.db);
  db.exec(`create table if not exists bench_meta (key text primary key, value text not null)`);
  const setMeta = db.prepare(`insert into bench_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value`);
  setMeta.run(STARTED, new Date().toISOString());
  const old = (db.prepare(`select count(*) as n from visits`).get() as { n: number }).n;
  if (old > 0) {
    log(`  deleting ${old.toLocaleString('en')} visits of an older version …`);
    db.exec(`delete from visits`);
  }
  // A cache file: no journal while loading (a crash leaves the 'visits_started' mark, and the file is rebuilt).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000000');

  const today = localToday(systemClock);
  const directors = Object.fromEntries(
    (db.prepare(`select region_code, id, display_name from users where role = 'director' and region_code is not null`).all() as { region_code: string; id: string; display_name: string }[]).map((u) => [u.region_code, [u.id, u.display_name]]),
  ) as VisitsPlan['directors'];
  const plan: VisitsPlan = { seed: 20261129, today, directors };

  const touched: readonly string[] = CHILD_UPDATE_COLUMNS;
  const indexes = (db.prepare(`select name, tbl_name, sql from sqlite_master where type = 'index' and tbl_name in ('visits', 'children') and sql is not null`).all() as { name: string; tbl_name: string; sql: string }[]).filter(
    (ix) => ix.tbl_name === 'visits' || touched.some((c) => ix.sql.includes(`"${c}"`)),
  );
  for (const ix of indexes) db.exec(`drop index ${ix.name}`);
  log(`  dropped ${indexes.length} indexes while loading: ${indexes.map((ix) => ix.name).join(', ')}`);

  const insert = db.prepare(`insert into visits (${VISIT_COLUMNS.join(', ')}) values (${VISIT_COLUMNS.map(() => '?').join(', ')})`);
  const update = db.prepare(`update children set ${CHILD_UPDATE_COLUMNS.map((c) => `${c} = ?`).join(', ')} where rowid = ?`);
  const activeChildren = (db.prepare(`select count(*) as n from children where status = 'active'`).get() as { n: number }).n;
  const read = db.prepare(
    `select rowid, id, region_code, county_code, birth_date, sex, profile, created_at, updated_at, status, risk_observed from children where status != 'closed' and rowid > ? order by rowid limit ${BATCH}`,
  );
  read.raw(true);

  const workerCount = Math.max(1, Math.min(3, os.availableParallelism()));
  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_BOOT, { eval: true, workerData: plan }));
  const ready = new Map<number, { visits: unknown[][]; updates: unknown[][] }>();
  let waiting: (() => void) | null = null;
  let failed: Error | null = null as Error | null;
  for (const w of workers) {
    w.on('message', (m: { batch: number; visits: unknown[][]; updates: unknown[][] }) => {
      ready.set(m.batch, m);
      waiting?.();
    });
    w.on('error', (e) => {
      failed = e;
      waiting?.();
    });
  }
  let lastRowid = 0;
  let requested = 0;
  let exhausted = false;
  const request = () => {
    if (exhausted) return;
    const children = read.all(lastRowid) as ChildIn[];
    if (children.length === 0) {
      exhausted = true;
      return;
    }
    lastRowid = children[children.length - 1]![0];
    workers[requested % workerCount]!.postMessage({ batch: requested, children });
    requested++;
  };
  for (let i = 0; i < workerCount * 3; i++) request();

  let visits = 0;
  let visited = 0;
  const loadStart = performance.now();
  let lastReport = loadStart;
  db.exec('begin');
  try {
    for (let b = 0; b < requested; b++) {
      while (!ready.has(b)) {
        if (failed !== null) throw new Error('a visits worker failed', { cause: failed });
        await new Promise<void>((resolve) => (waiting = resolve));
        waiting = null;
      }
      const batch = ready.get(b)!;
      ready.delete(b);
      request();
      for (const row of batch.visits) insert.run(row);
      for (const row of batch.updates) {
        update.run(row);
        if (row[5] !== null) visited++;
      }
      visits += batch.visits.length;
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        log(`  ${visits.toLocaleString('en')} visits of ${((b + 1) * BATCH).toLocaleString('en')} children, ${Math.round(visits / ((lastReport - loadStart) / 1000)).toLocaleString('en')} visits/s`);
      }
    }
    db.exec('commit');
  } finally {
    if (db.inTransaction) db.exec('rollback');
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  log(`  ${visits.toLocaleString('en')} visits of ${visited.toLocaleString('en')} children built (${workerCount} worker threads) and written in ${loadSeconds.toFixed(0)} s; rebuilding ${indexes.length} indexes …`);
  const ixStart = performance.now();
  for (const ix of indexes) db.exec(ix.sql);
  log(`  indexes rebuilt in ${((performance.now() - ixStart) / 1000).toFixed(0)} s`);

  const done: VisitsMeta = {
    version: VISITS_VERSION,
    generatedAt: new Date().toISOString(),
    today,
    seconds: (performance.now() - started) / 1000,
    visits,
    visitedChildren: visited,
    activeChildren,
    bytes: 0,
  };
  db.pragma('journal_mode = WAL'); // as the app opens it
  db.close();
  done.bytes = fs.statSync(files.db).size;
  {
    const again = new SQLite(files.db);
    again.prepare(`insert into bench_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value`).run(DONE, JSON.stringify(done));
    again.close();
  }
  fs.writeFileSync(files.meta, JSON.stringify({ ...meta, visits: done }, null, 2));
  log(`Visits added in ${done.seconds.toFixed(0)} s; file now ${(done.bytes / 1e9).toFixed(2)} GB`);
  return done;
}
