/**
 * `npm run bench [-- --children N] [--json FILE]`: generates (or reuses) a
 * database of N children, then times the child list, name search and child
 * page through the real app (buildApp + app.inject with a signed-in session
 * cookie — no socket) against the floor: the very statements the request ran,
 * captured and replayed as prepared better-sqlite3 statements. Then the roster
 * import of a 50,000-row workbook, dry run + commit, into a copy of a cached
 * database (bench/import.ts; `--import-children N`, default 100,000;
 * `--import-runs N`, default 3, 0 to skip). Prints a
 * table with ✓/✗ per target. A benchmark, not a test: a miss never fails the run.
 *
 * How a row with a floor is judged (issue 13, "Decided"): medians are
 * compared, since a p95 on a shared machine measures the neighbours.
 * `ratio_p50` = p50 / floor p50 and `added_p50_ms` = p50 − floor p50; the row
 * is ✓ when its absolute p95 target is met AND, where the floor's p50 is
 * 1 ms or more, ratio_p50 ≤ 3 — where the bare statements take under 1 ms,
 * added_p50_ms ≤ 1 instead. `ratio` (in the table: "ratio p95") stays the
 * p95 ratio of before (p95 / floor p95), shown but no longer judged. A row
 * without a floor keeps its own rule. Before timing, the cached file's
 * planner statistics are refreshed as the app does at start
 * (refreshPlannerStatistics, server/db/statistics.ts), so that a figure
 * always comes from a file with statistics.
 */
import fs from 'node:fs';
import os from 'node:os';
import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { buildApp } from '../server/app.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { systemClock } from '../server/core/clock.js';
import { loadConfig } from '../server/core/config.js';
import { createFieldCrypto } from '../server/core/crypto.js';
import type { Deps } from '../server/core/deps.js';
import type { Api } from '../server/core/http.js';
import { openDatabase, type Db } from '../server/db/database.js';
import { refreshPlannerStatistics } from '../server/db/statistics.js';
import type { AuditRow } from '../server/db/schema.js';
import { keyedAuditHash } from '../server/features/audit/audit.repository.js';
import { nameSyllables } from '../domain/children/name-search.js';
import { benchFiles, benchKey, DATA_DIR, ensureDatabase, type BenchMeta } from './generate.js';
import { benchExport } from './export.js';
import { benchImport } from './import.js';
import type { Row } from './row.js';
import { wrapDatabase, type Recorded } from './sqlite-wrap.js';
import { benchVisits, type BenchTools } from './visits.js';
import { ensureVisits } from './visits-generate.js';

// ------------------------------------------------------------------ arguments

function args() {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const children = Number((value('--children') ?? '1000000').replaceAll('_', ''));
  if (!Number.isInteger(children) || children < 1000) throw new Error('--children must be a whole number ≥ 1000');
  return {
    children,
    json: value('--json'),
    iterations: Number(value('--iterations') ?? 200),
    /** Per series, after warm-up: a slow query stops early rather than blow the run's time (n says how many ran). */
    maxSeconds: Number(value('--max-seconds') ?? 8),
    /** Runs of the roster import (each: a new workbook, dry run, commit); 0 leaves it out. */
    importRuns: Number(value('--import-runs') ?? 3),
    /** Which cached bench database the import goes into (a copy of it). */
    importChildren: Number((value('--import-children') ?? '100000').replaceAll('_', '')),
    /** Runs of the same import into a copy of the main file (`--children`) when it is larger than the import's: shown, not judged; 0 leaves it out. */
    importLargeRuns: Number(value('--import-large-runs') ?? 1),
    /** The visits bench (visits generated once into the cached file, then work lists and recording a visit); 0 leaves it out. */
    visitsRuns: Number(value('--visits-runs') ?? 1),
    /** Runs of the export job of the largest county's list (bench/export.ts); 0 leaves it out. */
    exportRuns: Number(value('--export-runs') ?? 3),
    /** `--only visits`: the visits bench alone (no child list, search, page or import). */
    only: value('--only'),
  };
}

const DEMO_PASSWORD = 'demo1234';
const TARGETS = { list: 50, search: 50, page: 20, ratio: 3, importRowsPerSecond: 5000 };
const IMPORT_ROWS = 50_000;
/** The children list while an import writes beside the server (issue 13). */
const LIST_DURING_IMPORT_P95_MS = 100;

// ------------------------------------------------------------------ timing

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

interface Timing {
  n: number;
  p50: number;
  p95: number;
}

async function time(fn: () => unknown, iterations: number, maxSeconds: number): Promise<Timing> {
  // Warm-up: 10 runs or 1.5 s (at least 2); then up to `iterations`, stopping after maxSeconds once 10 are in.
  const warmEnd = performance.now() + 1500;
  for (let i = 0; i < 2 || (i < 10 && performance.now() < warmEnd) || (i < 50 && performance.now() < warmEnd - 1000); i++) await fn();
  const samples: number[] = [];
  const stop = performance.now() + maxSeconds * 1000;
  while (samples.length < iterations && (samples.length < 10 || performance.now() < stop)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { n: samples.length, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

// ------------------------------------------------------------------ the floor: recorded statements replayed

const AUDIT_INSERT = /^insert into "audit_log" \(([^)]*)\) values/;

/**
 * Replays a request's statements as prepared better-sqlite3 statements, in
 * order. The audit append is re-chained on each replay (new seq, prev_hash,
 * hash), as the app does, so that the replay writes exactly what a request writes.
 */
let replayCrypto: Deps['crypto'] | undefined;

function replayer(raw: SQLite.Database, calls: Recorded[], eachRun?: () => (params: unknown[]) => unknown[]): () => void {
  const steps = calls.map((c) => ({ ...c, stmt: raw.prepare(c.sql) }));
  return () => {
    let head: { last_seq: number; last_hash: string } | undefined;
    let hash: string | undefined;
    const rewrite = eachRun?.();
    for (const s of steps) {
      let params = rewrite ? rewrite(s.params) : s.params;
      const audit = AUDIT_INSERT.exec(s.sql);
      if (audit && head) {
        const cols = audit[1]!.split(',').map((c) => c.trim().replaceAll('"', ''));
        const row = Object.fromEntries(cols.map((c, i) => [c, params[i]])) as Record<string, unknown>;
        row.seq = Number(head.last_seq);
        row.prev_hash = head.last_hash;
        delete row.hash;
        replayCrypto ??= createFieldCrypto(benchKey());
        hash = keyedAuditHash(replayCrypto, row as Omit<AuditRow, 'hash'>);
        row.hash = hash;
        params = cols.map((c) => row[c]);
      } else if (hash && s.sql.startsWith('update "audit_head" set "last_hash"')) {
        params = [hash, ...params.slice(1)];
      }
      if (s.reader) {
        const rows = s.stmt.all(params) as { last_seq: number; last_hash: string }[];
        if (s.sql.startsWith('update "audit_head"')) head = rows[0];
      } else s.stmt.run(params);
    }
  };
}

// ------------------------------------------------------------------ app instances

interface Instance {
  app: Api;
  close(): Promise<void>;
}

function benchConfig() {
  return { ...loadConfig({}), demo: true, dataDir: DATA_DIR, logLevel: 'silent' };
}

async function instance(db: Db, crypto: Deps['crypto']): Promise<Instance> {
  const deps: Deps = { db, dialect: 'sqlite', clock: systemClock, config: benchConfig(), crypto };
  await prepareDatabase(deps, { demoChildren: false }); // applies any migration newer than the cached file
  const app = await buildApp(deps, { webRoot: null, logger: false });
  await app.ready();
  return { app, close: () => app.close() };
}

/** Kysely over a wrapped connection, opened with the same pragmas as server/db/database.ts. */
function wrappedDb(file: string) {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const wrap = wrapDatabase(sqlite);
  return { db: new Kysely({ dialect: new SqliteDialect({ database: wrap.database }) }) as unknown as Db, wrap };
}

async function signIn(app: Api, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'shouhu_session');
  if (!cookie) throw new Error('no session cookie');
  return `shouhu_session=${cookie.value}`;
}

// ------------------------------------------------------------------ main

async function refreshStatistics(db: Db, log: (s: string) => void) {
  const t0 = performance.now();
  await refreshPlannerStatistics(db, 'sqlite', 'start');
  const analysed = await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'children'`.execute(db);
  log(`Planner statistics refreshed (as at the app's start) in ${(performance.now() - t0).toFixed(0)} ms; sqlite_stat1 holds ${analysed.rows[0]?.n ?? 0} rows for children's indexes.`);
}


const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Under this floor p50 the stack's cost is judged in milliseconds added, not as a ratio. */
const SUB_MILLISECOND_FLOOR_MS = 1;
const MAX_ADDED_P50_MS = 1;

/**
 * The columns of a row with a floor, and whether it passes the decided rule
 * (medians: ratio_p50 ≤ 3, or at most 1 ms added where the floor's p50 is under 1 ms).
 */
function ratioColumns(full: { p50: number; p95: number }, floor: { p50: number; p95: number }) {
  const ratioP50 = full.p50 / floor.p50;
  const addedP50 = full.p50 - floor.p50;
  return {
    floor_p95_ms: round(floor.p95, 3),
    ratio: round(full.p95 / floor.p95),
    floor_p50_ms: round(floor.p50, 3),
    ratio_p50: round(ratioP50),
    added_p50_ms: round(addedP50, 3),
    ratioOk: floor.p50 < SUB_MILLISECOND_FLOOR_MS ? addedP50 <= MAX_ADDED_P50_MS : ratioP50 <= TARGETS.ratio,
  };
}

/** A timed request against its floor: its p95 target AND the ratio rule. */
function flooredRow(name: string, full: Timing, floor: Timing, target: number, note?: string): Row {
  const { ratioOk, ...columns } = ratioColumns(full, floor);
  return { name, n: full.n, p50_ms: round(full.p50), p95_ms: round(full.p95), ...columns, target_p95_ms: target, ok: full.p95 < target && ratioOk, ...(note === undefined ? {} : { note }) };
}

async function main() {
  const opts = args();
  const log = (s: string) => console.log(s);
  const runStart = performance.now();
  const meta: BenchMeta = await ensureDatabase(opts.children, log);
  const file = benchFiles(opts.children).db;
  const crypto = createFieldCrypto(benchKey());
  const onlyVisits = opts.only === 'visits';
  if (opts.only !== undefined && !onlyVisits) throw new Error('--only takes: visits');
  // Visits are added to the cached file once (and reused), before any app opens it.
  const visitsMeta = opts.visitsRuns > 0 || onlyVisits ? await ensureVisits(opts.children, log) : null;

  const county = meta.counties[0]!;
  const township = meta.township;
  log(`Largest county ${county.code} (${county.children.toLocaleString('en')} children); its largest township ${township.code} (${township.children.toLocaleString('en')}).`);

  // The app as it is (server/db/database.ts), and a second instance over a wrapped connection (capture, statement cache).
  const handle = openDatabase({ sqliteFile: file });
  const plain = await instance(handle.db, crypto);
  // Statistics as the app's start makes them (a no-op when they are current), before the other connections open.
  await refreshStatistics(handle.db, log);
  const wrapped = wrappedDb(file);
  const probe = await instance(wrapped.db, crypto);
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');

  const actors = [
    { label: 'township', username: `supervisor-${township.code}` },
    { label: 'county', username: `county-${county.code}` },
  ];
  const surname = '杨';
  const fullName = meta.sampleNames[0]!;
  const childId = meta.sampleIds[0]!;
  const syllables = nameSyllables(fullName);
  const spelled = { initials: syllables.map((s) => s[0]).join(''), mixed: syllables[0]! + syllables.slice(1).map((s) => s[0]).join(''), spaced: syllables.join(' ') };
  const requests = [
    { key: 'list', what: 'list left_behind -updatedAt', url: '/api/children?category=left_behind&sort=-updatedAt', target: TARGETS.list },
    { key: 'search', what: `search q=${surname} (surname prefix)`, url: `/api/children?q=${encodeURIComponent(surname)}`, target: TARGETS.search },
    { key: 'search', what: `search q=${fullName} (full name)`, url: `/api/children?q=${encodeURIComponent(fullName)}`, target: TARGETS.search },
    { key: 'search', what: 'search q=yang (pinyin prefix)', url: '/api/children?q=yang', target: TARGETS.search },
    // Pinyin initials, surname in full then initials, full pinyin with spaces (issue 12 point 9).
    { key: 'search', what: `search q=${spelled.initials} (initials)`, url: `/api/children?q=${spelled.initials}`, target: TARGETS.search },
    { key: 'search', what: `search q=${spelled.mixed} (mixed)`, url: `/api/children?q=${spelled.mixed}`, target: TARGETS.search },
    { key: 'search', what: `search q=${spelled.spaced} (spaced)`, url: `/api/children?q=${encodeURIComponent(spelled.spaced)}`, target: TARGETS.search },
    { key: 'page', what: 'child page GET /api/children/:id', url: `/api/children/${childId}`, target: TARGETS.page },
  ];

  const rows: Row[] = [];
  const cacheRows: Row[] = [];
  const plans = new Map<string, string>();
  for (const actor of onlyVisits ? [] : actors) {
    const cookiePlain = await signIn(plain.app, actor.username);
    for (const r of requests) {
      const name = `${actor.label}: ${r.what}`;
      const get = (app: Api) => async () => {
        const res = await app.inject({ method: 'GET', url: r.url, headers: { cookie: cookiePlain } });
        if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      };
      // What the request runs, captured once (statements and parameters).
      wrapped.wrap.setMode('record');
      await get(probe.app)();
      const calls = wrapped.wrap.take();
      wrapped.wrap.setMode('plain');
      for (const c of calls) {
        if (c.reader && /from "children"/.test(c.sql) && !plans.has(c.sql + JSON.stringify(c.params))) {
          const plan = (raw.prepare(`explain query plan ${c.sql}`).all(c.params) as { detail: string }[]).map((p) => p.detail);
          plans.set(c.sql + JSON.stringify(c.params), `${name}\n  ${c.sql}\n  params ${JSON.stringify(c.params)}\n  plan: ${plan.join(' | ')}`);
        }
      }

      const full = await time(get(plain.app), opts.iterations, opts.maxSeconds);
      const floor = await time(replayer(raw, calls), opts.iterations, opts.maxSeconds);
      rows.push(flooredRow(name, full, floor, r.target, `${calls.length} statements; floor n=${floor.n}`));
      // A statement cache saves preparing (tens of µs a statement): measured where the SQL itself is not the whole cost.
      if (floor.p95 > 100) {
        log(`  ${name}: p50 ${full.p50.toFixed(2)} ms, p95 ${full.p95.toFixed(2)} ms (n=${full.n}); floor p95 ${floor.p95.toFixed(3)} ms — SQL-bound, statement cache not measured`);
        continue;
      }
      wrapped.wrap.setMode('cache');
      const cached = await time(get(probe.app), opts.iterations, opts.maxSeconds);
      wrapped.wrap.setMode('plain');
      cacheRows.push(flooredRow(`${name} [statement cache]`, cached, floor, r.target));
      log(`  ${name}: p50 ${full.p50.toFixed(2)} ms, p95 ${full.p95.toFixed(2)} ms (n=${full.n}); floor p95 ${floor.p95.toFixed(3)} ms; with a statement cache p95 ${cached.p95.toFixed(2)} ms`);
    }
  }

  await plain.close();
  await probe.close();
  await handle.close();
  raw.close();

  // Issue 4's work lists and recording a visit, over the visits generated above.
  if (visitsMeta) {
    const tools: BenchTools = { time, replayer, instance, wrappedDb, signIn };
    const visitRows = await benchVisits(tools, { file, meta, visits: visitsMeta, crypto, iterations: opts.iterations, maxSeconds: opts.maxSeconds, log });
    // Their p95 targets as before, and now the ratio rule too.
    for (const v of visitRows) rows.push(flooredRow(v.name, v.full, v.floor, v.target, `${v.note}; floor n=${v.floor.n}`));
  }

  // The roster import (issue 3: 50,000 rows at ≥ 5,000 rows/s with all validation): one upload that reads, validates,
  // checks and writes every row (the target), and the page's usual two steps, a dry run then the commit (shown beside it).
  if (opts.importRuns > 0 && !onlyVisits) {
    const r = await benchImport({ children: opts.importChildren, crypto, rows: IMPORT_ROWS, runs: opts.importRuns, log });
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const floors = sorted(r.floors);
    const floorTiming = { p50: percentile(floors, 0.5), p95: percentile(floors, 0.95) };
    const rate = (ms: number) => Math.round(IMPORT_ROWS / (ms / 1000));
    const where = `into a copy of the ${r.children.toLocaleString('en')}-child bench database as county-${r.county}; floor = the same children and history rows by one prepared statement each in one transaction`;
    // Issue 13: the rate is judged at p50 (≥ 5,000 rows/s), with the ratio rule against the writing alone.
    const importRow = (name: string, samples: number[], target: boolean, detail: string): Row => {
      const xs = sorted(samples);
      const p50 = percentile(xs, 0.5);
      const p95 = percentile(xs, 0.95);
      const { ratioOk, ...columns } = ratioColumns({ p50, p95 }, floorTiming);
      return {
        name,
        n: xs.length,
        p50_ms: round(p50),
        p95_ms: round(p95),
        ...columns,
        target_p95_ms: null,
        ok: target ? rate(p50) >= TARGETS.importRowsPerSecond && ratioOk : null,
        note: `${rate(p50).toLocaleString('en')} rows/s at p50 (${rate(p95).toLocaleString('en')} at p95${target ? `; target ≥ ${TARGETS.importRowsPerSecond.toLocaleString('en')} at p50` : ''}); ${detail}; ${where}`,
      };
    };
    // The CPU time of every thread during the import: with N cores the wall time cannot fall below CPU / N.
    const cpu = percentile(sorted(r.directCpu), 0.5);
    const cpuNote = `CPU ${(cpu / 1000).toFixed(1)} s at p50 over every thread (${os.availableParallelism()} cores: wall ≥ ${(cpu / 1000 / os.availableParallelism()).toFixed(1)} s)`;
    const direct = importRow(`import ${IMPORT_ROWS.toLocaleString('en')} rows (one upload, all checks)`, r.direct, true, `${r.phases[0]?.warnings ?? 0} similar-name warnings, no errors; ${cpuNote}`);
    const twoSteps = importRow(
      `import ${IMPORT_ROWS.toLocaleString('en')}-row xlsx (dry run, then commit)`,
      r.runs,
      false,
      `dry run + commit per run: ${r.phases.map((p) => `${(p.dryRunMs / 1000).toFixed(1)} + ${(p.commitMs / 1000).toFixed(1)} s`).join(', ')}`,
    );
    // The importing admin's list while the import writes beside the server (its own threads and connection).
    const during = sorted(r.listDuringWrite);
    const listDuring: Row = {
      name: 'GET children list during an import',
      n: during.length,
      p50_ms: during.length ? round(percentile(during, 0.5)) : null,
      p95_ms: during.length ? round(percentile(during, 0.95)) : null,
      floor_p95_ms: null,
      ratio: null,
      target_p95_ms: LIST_DURING_IMPORT_P95_MS,
      ok: during.length > 0 && percentile(during, 0.95) < LIST_DURING_IMPORT_P95_MS,
      note: `the county's left-behind list, page 1, asked for again and again while the one-upload import wrote; ${where}`,
    };
    rows.push(direct, twoSteps, listDuring);
    log(`  import: ${direct.note}`);
    log(`  import: ${twoSteps.note}`);
    if (opts.importLargeRuns > 0 && opts.children > opts.importChildren) {
      // Shown beside it: the same import into a copy of the file the other rows use (issue 13: "and the rate into the 1,000,000-child file").
      const large = await benchImport({ children: opts.children, crypto, rows: IMPORT_ROWS, runs: opts.importLargeRuns, log, dryRun: false });
      const xs = sorted(large.direct);
      rows.push({
        name: `import ${IMPORT_ROWS.toLocaleString('en')} rows into the ${large.children.toLocaleString('en')}-child file`,
        n: xs.length,
        p50_ms: round(percentile(xs, 0.5)),
        p95_ms: round(percentile(xs, 0.95)),
        floor_p95_ms: round(percentile(sorted(large.floors), 0.95)),
        ratio: null,
        target_p95_ms: null,
        ok: null,
        note: `${rate(percentile(xs, 0.5)).toLocaleString('en')} rows/s at p50 (shown, the target is judged on the 100,000-child copy); the list while it wrote: p95 ${large.listDuringWrite.length ? round(percentile(sorted(large.listDuringWrite), 0.95)) : '–'} ms`,
      });
    }
  }

  // An export job of the largest county's whole list (issue 13 point 4; bench/export.ts).
  if (opts.exportRuns > 0 && !onlyVisits) rows.push(await benchExport({ children: opts.children, crypto, runs: opts.exportRuns, log }));

  // ------------------------------------------------------------------ report
  const line = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const widths = [62, 5, 9, 9, 10, 10, 9, 9, 9, 8, 4];
  const num = (x: number | null | undefined, d: number) => (x === null || x === undefined ? '–' : x.toFixed(d));
  const fmt = (r: Row) =>
    r.p95_ms === null
      ? `${r.name.padEnd(widths[0]!)}  ${r.note ?? ''}`
      : line(
          [
            r.name,
            String(r.n),
            num(r.p50_ms, 2),
            num(r.p95_ms, 2),
            num(r.floor_p50_ms, 3),
            num(r.floor_p95_ms, 3),
            num(r.ratio_p50, 2),
            num(r.added_p50_ms, 2),
            num(r.ratio, 1),
            r.target_p95_ms === null ? '' : `<${r.target_p95_ms}`,
            r.ok === null ? '' : r.ok ? '✓' : '✗',
          ],
          widths,
        );
  const header = line(['', 'n', 'p50 ms', 'p95 ms', 'floor p50', 'floor p95', 'ratio p50', 'added p50', 'ratio p95', 'target', ''], widths);
  log('');
  log(
    `Shouhu bench — ${opts.children.toLocaleString('en')} children; full stack = buildApp + app.inject (no socket) with a session cookie; floor = the same statements as prepared better-sqlite3 statements. ` +
      `✓ = p95 under its target AND ratio p50 (p50 / floor p50) ≤ ${TARGETS.ratio}, or, where the floor p50 is under ${SUB_MILLISECOND_FLOOR_MS} ms, added p50 (p50 − floor p50) ≤ ${MAX_ADDED_P50_MS} ms; ratio p95 is shown, not judged.`,
  );
  log(header);
  for (const r of rows) log(fmt(r));
  if (cacheRows.length > 0) {
    log('');
    log('The same requests with a statement cache (prepared statements kept by SQL text in a wrapper around the connection handed to Kysely):');
    log(header);
    for (const r of cacheRows) log(fmt(r));
  }
  const misses = rows.filter((r) => r.ok === false);
  log('');
  log(misses.length === 0 ? 'All targets met.' : `${misses.length} target(s) missed: ${misses.map((r) => r.name).join('; ')}`);
  if (plans.size > 0) {
    log('');
    log('Query plans of the child queries (EXPLAIN QUERY PLAN):');
    for (const p of plans.values()) log(p);
  }
  log('');
  log(`Whole run: ${((performance.now() - runStart) / 1000).toFixed(0)} s.`);

  if (opts.json) {
    const out = [...rows, ...cacheRows].map(({ note: _n, ...r }) => r);
    fs.writeFileSync(opts.json, JSON.stringify(out, null, 2) + '\n');
    log(`Wrote ${opts.json}`);
  }
}

await main();
