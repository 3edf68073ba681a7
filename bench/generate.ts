/**
 * Builds (or reuses) a SQLite database with N children: migrated and seeded
 * by the app's own bootstrap (Huaihua network + demo accounts), then N child
 * files spread over the 2,951 villages, inserted with one prepared
 * better-sqlite3 statement in one transaction (rows built by two worker
 * threads). Cached in bench/.data/ by N.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { prepareDatabase } from '../server/bootstrap.js';
import { systemClock } from '../server/core/clock.js';
import { loadConfig } from '../server/core/config.js';
import { createFieldCrypto, loadMasterKey } from '../server/core/crypto.js';
import { openDatabase } from '../server/db/database.js';
import { refreshPlannerStatistics } from '../server/db/statistics.js';
import { seededRandom } from '../server/seed/random.js';
import { acquireBenchLock } from './lock.js';
import { COLUMNS, selfCheck, villageWeights, type BatchPlan } from './rows.js';

/** Bump when the generated data changes shape: older cached files are then rebuilt (2: the names' initials and syllables). */
const GENERATOR_VERSION = 2;
const BATCH = 2000;
/** Worker threads load their TypeScript through tsx's API, as the main thread does through the tsx command. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => api.tsImport(${JSON.stringify(
  new URL('./generate-worker.ts', import.meta.url).href,
)}, ${JSON.stringify(import.meta.url)}))`;

export const DATA_DIR = path.resolve(import.meta.dirname, '.data');

export interface BenchMeta {
  n: number;
  version: number;
  generatedAt: string;
  seconds: number;
  rowsPerSecond: number;
  /** Children per county code (6 digits), largest first. */
  counties: { code: string; children: number }[];
  /** Largest township of the largest county. */
  township: { code: string; children: number };
  /** Child ids in that township (for child-page requests). */
  sampleIds: string[];
  /** Full three-character names present in that township (for search). */
  sampleNames: string[];
}

export function benchFiles(n: number) {
  const base = path.join(DATA_DIR, `children-${n}-v${GENERATOR_VERSION}`);
  return { db: `${base}.db`, meta: `${base}.json` };
}

export const benchKey = () => {
  const master = loadMasterKey(DATA_DIR, {});
  master.save?.(); // the bench's own key, kept beside its cached databases
  return master.key;
};

export async function ensureDatabase(n: number, log: (s: string) => void): Promise<BenchMeta> {
  const files = benchFiles(n);
  const cached = () => {
    if (!fs.existsSync(files.db) || !fs.existsSync(files.meta)) return null;
    const meta = JSON.parse(fs.readFileSync(files.meta, 'utf8')) as BenchMeta;
    log(`Reusing ${path.relative(process.cwd(), files.db)} (generated ${meta.generatedAt} in ${meta.seconds.toFixed(1)} s; delete it to regenerate)`);
    return meta;
  };
  const ready = cached();
  if (ready) return ready;
  fs.mkdirSync(DATA_DIR, { recursive: true });
  // One run generates a file at a time: a second one stops here, naming the first (bench/lock.ts).
  const lock = acquireBenchLock(files.db, `generating ${n.toLocaleString('en')} children`, log);
  try {
    // Made by the run that held the lock before us.
    return cached() ?? (await generateDatabase(n, files, log));
  } finally {
    lock.release();
  }
}

async function generateDatabase(n: number, files: ReturnType<typeof benchFiles>, log: (s: string) => void): Promise<BenchMeta> {
  const tmp = `${files.db}.tmp`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const started = performance.now();
  log(`Generating ${n.toLocaleString('en')} children into ${path.relative(process.cwd(), files.db)} …`);

  // 1. The app's own migrations and first-start seed (network + demo accounts).
  const key = benchKey();
  const crypto = createFieldCrypto(key);
  const handle = openDatabase({ sqliteFile: tmp });
  const config = { ...loadConfig({}), demo: true, dataDir: DATA_DIR };
  const prepared = await prepareDatabase({ db: handle.db, dialect: 'sqlite', clock: systemClock, config, crypto }, { demoChildren: false });
  await handle.close();
  log(`  prepareDatabase: migrations ${prepared.migrations.join(', ')}; seeded ${prepared.seeded?.regions ?? 0} regions, ${prepared.seeded?.accounts ?? 0} accounts`);

  const nowMs = Date.now();
  selfCheck(crypto, new Date(nowMs).toISOString().slice(0, 10));

  // 2. Children: one prepared statement in one transaction; secondary indexes dropped and rebuilt from their own SQL.
  const db = new SQLite(tmp);
  // No journal while loading a file nobody else has open yet (it is renamed into place when complete).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  const existing = (db.prepare(`select count(*) as n from children`).get() as { n: number }).n;
  const villages = (db.prepare(`select code from regions where level = 'village' order by code`).all() as { code: string }[]).map((r) => r.code);
  if (villages.length !== 2951) throw new Error(`expected 2,951 villages, found ${villages.length}`);
  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'children' and sql is not null`).all() as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`drop index ${ix.name}`);
  const insert = db.prepare(`insert into children (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);

  const seed = 20260501;
  const plan: BatchPlan = { n, seed, nowMs, villages, cumulative: villageWeights(seededRandom(seed), villages) };
  const workerCount = Math.max(1, Math.min(4, os.availableParallelism()));
  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_BOOT, { eval: true, workerData: { plan, key } }));
  const batches = Math.ceil(n / BATCH);
  const ready = new Map<number, unknown[][]>();
  let waiting: (() => void) | null = null;
  let failed: Error | null = null as Error | null;
  for (const w of workers) {
    w.on('message', (m: { batch: number; rows: unknown[][] }) => {
      ready.set(m.batch, m.rows);
      waiting?.();
    });
    w.on('error', (e) => {
      failed = e;
      waiting?.();
    });
  }
  let requested = 0;
  const request = (b: number) => workers[b % workerCount]!.postMessage({ batch: b, from: b * BATCH, to: Math.min(n, (b + 1) * BATCH) });
  // A few batches in flight per worker: enough to keep them busy, bounded memory.
  for (; requested < Math.min(batches, workerCount * 3); requested++) request(requested);

  const loadStart = performance.now();
  let lastReport = loadStart;
  let waitMs = 0;
  let insertMs = 0;
  db.exec('begin');
  try {
    for (let b = 0; b < batches; b++) {
      while (!ready.has(b)) {
        if (failed !== null) throw new Error('a generator worker failed', { cause: failed });
        const w0 = performance.now();
        await new Promise<void>((resolve) => (waiting = resolve));
        waitMs += performance.now() - w0;
        waiting = null;
      }
      const rows = ready.get(b)!;
      ready.delete(b);
      if (requested < batches) request(requested++);
      const i0 = performance.now();
      for (const row of rows) insert.run(row);
      insertMs += performance.now() - i0;
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        const done = Math.min(n, (b + 1) * BATCH);
        log(`  ${done.toLocaleString('en')} rows, ${Math.round(done / ((lastReport - loadStart) / 1000)).toLocaleString('en')} rows/s (main thread: ${(insertMs / 1000).toFixed(1)} s inserting, ${(waitMs / 1000).toFixed(1)} s waiting for rows)`);
      }
    }
    db.exec('commit');
  } finally {
    if (db.inTransaction) db.exec('rollback');
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  log(`  ${n.toLocaleString('en')} rows built (${workerCount} worker threads) and inserted in ${loadSeconds.toFixed(1)} s (${Math.round(n / loadSeconds).toLocaleString('en')} rows/s); rebuilding ${indexes.length} indexes …`);
  const ixStart = performance.now();
  for (const ix of indexes) db.exec(ix.sql);
  log(`  indexes rebuilt in ${((performance.now() - ixStart) / 1000).toFixed(1)} s`);

  // Facts the measurements need: largest county, its largest township, sample ids and names there.
  const counties = db.prepare(`select county_code as code, count(*) as children from children group by county_code order by children desc`).all() as BenchMeta['counties'];
  const county = counties[0]!.code;
  const township = db
    .prepare(`select substr(region_code, 1, 9) || '000' as code, count(*) as children from children where region_code >= ? and region_code < ? group by 1 order by 2 desc limit 1`)
    .get(`${county}000000`, `${String(Number(county) + 1)}000000`) as BenchMeta['township'];
  const inTownship = db
    .prepare(`select id, name from children where region_code >= ? and region_code < ? order by id limit 5000`)
    .all(township.code.slice(0, 9) + '000', township.code.slice(0, 9) + '999') as { id: string; name: string }[];
  const sampleIds = inTownship.filter((_, i) => i % 10 === 0).map((r) => r.id);
  const sampleNames = [...new Set(inTownship.filter((r) => r.name.length === 3).map((r) => r.name))].slice(0, 50);
  db.pragma('journal_mode = WAL'); // as the app opens it
  db.close();
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, files.db);
  // The planner's statistics, as the app makes them after a bulk write: no figure is ever taken on a file without them.
  {
    const s0 = performance.now();
    const stats = openDatabase({ sqliteFile: files.db });
    await refreshPlannerStatistics(stats.db, 'sqlite', 'bulk');
    await stats.close();
    log(`  planner statistics (refreshPlannerStatistics 'bulk') in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  }

  const seconds = (performance.now() - started) / 1000;
  const meta: BenchMeta = { n, version: GENERATOR_VERSION, generatedAt: new Date().toISOString(), seconds, rowsPerSecond: n / loadSeconds, counties, township, sampleIds, sampleNames };
  fs.writeFileSync(files.meta, JSON.stringify(meta, null, 2));
  log(`Generated in ${seconds.toFixed(1)} s (the demo seed itself adds ${existing} children). File: ${(fs.statSync(files.db).size / 1e6).toFixed(0)} MB`);
  return meta;
}
