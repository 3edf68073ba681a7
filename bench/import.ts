/**
 * The roster import timed as a user does it (issue 3: "imports a 50,000-row
 * xlsx … at least 5,000 rows/s with all validation"): upload for a dry run,
 * poll the job to completion, upload the same file to commit, poll again —
 * through the real app (buildApp + app.inject, signed in as the admin of the
 * largest county). Time: from the first upload to the commit's job done.
 *
 * The import writes, so it never runs in a cached bench database: that file
 * is copied to a temporary one, deleted afterwards. Which cached database is
 * copied is a choice (`--import-children`, default 100,000: the 1,000,000-child
 * file is a 4 GB copy, and its duplicate check is slow for want of an index —
 * see bench/README.md). Each run imports a new workbook of realistic rows
 * (bench/children-data.ts families, written under the template's own columns
 * as the tests write rosters) for villages of the county, with valid GB 11643
 * numbers of that county that no file has yet: the duplicate lookups run
 * against every file in the database and find no error (similar-name
 * warnings do occur, as in real rosters). The imported rows are removed after
 * each run, so that every run starts from the same database.
 *
 * Floor: the rows the import wrote (children + their history rows), read
 * back, given fresh ids and inserted by one prepared better-sqlite3
 * statement per table in one transaction, commit included — the driver's cost
 * of the writing alone.
 *
 * `npx tsx bench/import.ts [--children N] [--runs R] [--rows 50000]` runs it alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import type { ChildInput } from '../domain/children/schema.js';
import type { ImportJobStatus } from '../domain/children/import.js';
import { buildApp } from '../server/app.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { systemClock } from '../server/core/clock.js';
import { loadConfig } from '../server/core/config.js';
import { createFieldCrypto, type FieldCrypto } from '../server/core/crypto.js';
import type { Deps } from '../server/core/deps.js';
import { newId } from '../server/core/ids.js';
import { openDatabase, workerConnectionOptions } from '../server/db/database.js';
import { IMPORT_COLUMNS, type ImportColumn } from '../server/features/children-import/import-columns.js';
import { buildRoster, multipart, type CellValue, type RosterRow } from '../server/features/children-import/import-test-files.js';
import { computeCheckCharacter } from '../domain/children/id-number.js';
import { seededRandom } from '../server/seed/random.js';
import { childInput, phonePool } from './children-data.js';
import { benchFiles, benchKey, DATA_DIR, ensureDatabase } from './generate.js';

const DEMO_PASSWORD = 'demo1234';
export const IMPORT_TARGET_ROWS_PER_SECOND = 5000;

export interface ImportBenchResult {
  rows: number;
  /** The county whose admin imported. */
  county: string;
  /** Wall time of each run, upload of the dry run to the commit's job done (ms), in run order. */
  runs: number[];
  /** The driver floor of each run (ms). */
  floors: number[];
  /** Per run: wall time of the dry run and of the commit (upload to job done), ms. */
  phases: { dryRunMs: number; commitMs: number; warnings: number }[];
  /**
   * Per run: the same workbook imported again by one upload without a dry run
   * first (the rows of the first import removed), so the job reads, validates,
   * checks and writes every row itself — upload to job done, ms.
   */
  direct: number[];
  /** Per run: CPU time of the whole process (every thread) during that one-upload import, ms — on two cores the wall time cannot fall below half of it. */
  directCpu: number[];
  /**
   * Per run, while the one-upload import was writing: the first page of the
   * county's left-behind list, as the importing admin asks for it (ms).
   */
  listDuringWrite: number[];
  /** Children in the database imported into. */
  children: number;
  copySeconds: number;
}

// ------------------------------------------------------------------ workbook

/** A cell as a person would type it in the template: the zh-CN word of each choice, dates as text. */
function cellOf(column: ImportColumn, value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  const type = column.type;
  switch (type.kind) {
    case 'bool':
      return value ? '是' : '否';
    case 'list':
      return (value as string[]).length > 0 ? (value as string[]).join('、') : null;
    case 'choice':
      return type.labels[value as string]![0]; // numeric codes (disability grade) index as their digits
    case 'int':
      return value as number;
    case 'text':
    case 'id':
    case 'code':
    case 'date':
    case 'since':
      return value as string;
  }
}

function rosterRowOf(input: ChildInput): RosterRow {
  const row: RosterRow = {};
  for (const column of IMPORT_COLUMNS) {
    const value = column.field.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), input);
    row[column.header] = cellOf(column, value);
  }
  return row;
}

/**
 * `n` children for villages of `county`, none of which the database (or the
 * file) already holds: no open file with the same ID number, nor with the same
 * name, birth date and village.
 */
function rosterInputs(raw: SQLite.Database, crypto: FieldCrypto, county: string, n: number, seed: number): ChildInput[] {
  const villages = (raw.prepare(`select code from regions where level = 'village' and valid_to is null and code >= ? and code < ? order by code`).all(`${county}000000`, `${county}999999`) as { code: string }[]).map(
    (r) => r.code,
  );
  if (villages.length === 0) throw new Error(`no villages in county ${county}`);
  const random = seededRandom(seed);
  const today = new Date().toISOString().slice(0, 10);
  const phones = phonePool(random, 5000);
  const sameId = raw.prepare(`select 1 from children where id_hash = ? limit 1`);
  const sameChild = raw.prepare(`select 1 from children where birth_date = ? and region_code = ? and name = ? and status != 'closed' limit 1`);
  const ids = new Set<string>();
  const keys = new Set<string>();
  const out: ChildInput[] = [];
  while (out.length < n) {
    const regionCode = villages[Math.floor(random() * villages.length)]!;
    const child: ChildInput = { ...childInput(random, today, county, phones), regionCode };
    const key = `${child.name}|${child.birthDate}|${regionCode}`;
    if (keys.has(key) || sameChild.get(child.birthDate, regionCode, child.name)) continue;
    if (child.idNumber) {
      // Another serial until the number is new to the file and to the database.
      let id = child.idNumber;
      for (let tries = 0; ids.has(id) || sameId.get(crypto.keyedHash(id)); tries++) {
        if (tries > 200) throw new Error('no free ID serial');
        const serial = Math.floor(random() * 500) * 2 + (child.sex === 'male' ? 1 : 0);
        const first17 = `${id.slice(0, 14)}${String(serial).padStart(3, '0')}`;
        id = first17 + computeCheckCharacter(first17);
      }
      child.idNumber = id;
      ids.add(id);
    }
    keys.add(key);
    out.push(child);
  }
  return out;
}

/** A roster workbook (the template's columns, exceljs as the tests write it) of `n` new children of `county`. */
export async function buildBenchWorkbook(raw: SQLite.Database, crypto: FieldCrypto, county: string, n: number, seed: number): Promise<Buffer> {
  return buildRoster(rosterInputs(raw, crypto, county, n, seed).map(rosterRowOf));
}

// ------------------------------------------------------------------ driving the app

async function pollJob(inject: (url: string) => Promise<{ statusCode: number; body: string }>, jobId: string): Promise<ImportJobStatus> {
  for (;;) {
    const res = await inject(`/api/children/import/${jobId}`);
    if (res.statusCode !== 200) throw new Error(`job ${jobId}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    const status = JSON.parse(res.body) as ImportJobStatus;
    if (status.state !== 'running') return status;
    await new Promise((r) => setTimeout(r, 50)); // a page polling for progress
  }
}

/** Removes an import's children and their history (not timed: each run starts from the same database). */
function removeImported(raw: SQLite.Database, childIds: string[]): void {
  const change = raw.prepare(`delete from child_changes where child_id = ?`);
  const child = raw.prepare(`delete from children where id = ?`);
  raw.transaction(() => {
    for (const id of childIds) change.run(id);
    for (const id of childIds) child.run(id);
  })();
}

/** Removes the children (and their history) that the import of `fileName` wrote. */
function removeImportedFile(raw: SQLite.Database, fileName: string): void {
  const ids = (raw.prepare(`select child_id from child_changes where action = 'import' and comment = ?`).all(fileName) as { child_id: string }[]).map((r) => r.child_id);
  removeImported(raw, ids);
}

/**
 * The driver floor of one run: the rows the job wrote (children and their
 * history) read back, given new ids, and inserted by one prepared statement
 * per table in one transaction, commit included — as the app opens the file
 * (WAL, synchronous NORMAL) with the page cache the import uses. Then both
 * the copies and the imported rows are removed again.
 */
function floorOf(raw: SQLite.Database, fileName: string): { ms: number; children: number } {
  const changes = raw.prepare(`select * from child_changes where action = 'import' and comment = ?`).all(fileName) as Record<string, unknown>[];
  const childIds = changes.map((c) => c.child_id as string);
  const byId = raw.prepare(`select * from children where id = ?`);
  const children = childIds.map((id) => byId.get(id) as Record<string, unknown>);
  const fresh = new Map(childIds.map((id) => [id, newId()]));
  const childRows = children.map((c) => ({ ...c, id: fresh.get(c.id as string) }));
  const changeRows = changes.map((c) => ({ ...c, id: newId(), child_id: fresh.get(c.child_id as string) }));
  const insert = (table: string, sample: Record<string, unknown>) => {
    const cols = Object.keys(sample);
    return raw.prepare(`insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
  };
  const insertChild = insert('children', childRows[0]!);
  const insertChange = insert('child_changes', changeRows[0]!);
  const cacheBefore = raw.pragma('cache_size', { simple: true }) as number;
  raw.pragma(`cache_size = ${IMPORT_PAGE_CACHE_KIB}`);
  const t0 = performance.now();
  raw.exec('begin');
  for (const r of childRows) insertChild.run(r);
  for (const r of changeRows) insertChange.run(r);
  raw.exec('commit');
  const ms = performance.now() - t0;
  raw.pragma(`cache_size = ${cacheBefore}`);
  removeImported(raw, [...fresh.values()]);
  removeImported(raw, childIds);
  return { ms, children: childRows.length };
}

/** As children-import.service.ts sets it while an import writes. */
const IMPORT_PAGE_CACHE_KIB = -512 * 1024;

/**
 * A consistent copy of a SQLite file that may be open elsewhere: under a read
 * transaction begun while the WAL is empty, no checkpoint can write into the
 * file, so a plain file copy is exact (and several times faster than the
 * online backup API, used otherwise).
 */
async function copyDatabase(source: string, target: string): Promise<string> {
  const src = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    src.exec('begin');
    src.prepare('select count(*) from sqlite_master').get();
    const wal = `${source}-wal`;
    if (!fs.existsSync(wal) || fs.statSync(wal).size === 0) {
      fs.copyFileSync(source, target);
      return 'file copy under a read transaction';
    }
    src.exec('commit');
    await src.backup(target, { progress: () => 1 << 30 });
    return 'online backup';
  } finally {
    if (src.inTransaction) src.exec('commit');
    src.close();
  }
}

const benchConfig = (dataDir: string) => ({ ...loadConfig({}), demo: true, dataDir, logLevel: 'silent' });

/**
 * Runs `runs` imports of `rows` rows each, as the admin of the largest
 * county, into a copy of the cached bench database of `children` children
 * (generated if missing, migrated first as the other rows' database is); the
 * copy is deleted afterwards.
 */
export async function benchImport(opts: { children: number; crypto: FieldCrypto; rows: number; runs: number; log: (s: string) => void; dryRun?: boolean }): Promise<ImportBenchResult> {
  const { log } = opts;
  const meta = await ensureDatabase(opts.children, log);
  const source = benchFiles(opts.children).db;
  const county = meta.counties[0]!.code;
  {
    // Migrations newer than the cached file go into it once, not into every copy.
    const handle = openDatabase({ sqliteFile: source });
    await prepareDatabase({ db: handle.db, dialect: 'sqlite', clock: systemClock, config: benchConfig(DATA_DIR), crypto: opts.crypto }, { demoChildren: false });
    await handle.close();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-import-bench-'));
  const file = path.join(dir, 'bench.db');
  try {
    const c0 = performance.now();
    const how = await copyDatabase(source, file);
    const copySeconds = (performance.now() - c0) / 1000;
    log(`  import: copied ${path.basename(source)} (${(fs.statSync(file).size / 1e9).toFixed(2)} GB, ${how}) in ${copySeconds.toFixed(1)} s`);

    const handle = openDatabase({ sqliteFile: file });
    // The import runs beside the server, in threads with a connection of their own, as in `npm start`.
    const deps: Deps = { db: handle.db, dialect: 'sqlite', clock: systemClock, config: benchConfig(dir), crypto: opts.crypto, workerDb: workerConnectionOptions(handle) };
    await prepareDatabase(deps, { demoChildren: false });
    const app = await buildApp(deps, { webRoot: null, logger: false });
    await app.ready();
    const raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    const childrenBefore = (raw.prepare(`select count(*) as n from children`).get() as { n: number }).n;

    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `county-${county}`, password: DEMO_PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.statusCode} ${login.body}`);
    const session = login.cookies.find((c) => c.name === 'shouhu_session')!;
    const csrf = (JSON.parse(login.body) as { csrfToken?: string }).csrfToken;
    const headers = { cookie: `shouhu_session=${session.value}`, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
    const get = (url: string) => app.inject({ method: 'GET', url, headers });
    const post = async (fileName: string, body: Buffer, dryRun: boolean) => {
      const m = multipart(fileName, body);
      const res = await app.inject({ method: 'POST', url: `/api/children/import?dryRun=${dryRun}`, payload: m.body, headers: { ...headers, ...m.headers } });
      if (res.statusCode !== 202) throw new Error(`upload: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return pollJob(get, (JSON.parse(res.body) as { jobId: string }).jobId);
    };

    const result: ImportBenchResult = { rows: opts.rows, county, runs: [], floors: [], phases: [], direct: [], directCpu: [], listDuringWrite: [], children: childrenBefore, copySeconds };
    const listUrl = `/api/children?page=1&pageSize=20&category=left_behind&region=${county}000000`;
    /** One upload without a dry run; meanwhile the admin's list, asked for again and again while rows are being written. */
    const importWhileListing = async (fileName: string, body: Buffer) => {
      const m = multipart(fileName, body);
      const res = await app.inject({ method: 'POST', url: `/api/children/import?dryRun=false`, payload: m.body, headers: { ...headers, ...m.headers } });
      if (res.statusCode !== 202) throw new Error(`upload: ${res.statusCode} ${res.body.slice(0, 300)}`);
      const jobId = (JSON.parse(res.body) as { jobId: string }).jobId;
      const samples: number[] = [];
      for (;;) {
        const poll = await get(`/api/children/import/${jobId}`);
        const status = JSON.parse(poll.body) as ImportJobStatus;
        if (status.state !== 'running') return { status, samples };
        if (status.phase === 'writing') {
          const l0 = performance.now();
          const list = await get(listUrl);
          if (list.statusCode !== 200) throw new Error(`list during the import: ${list.statusCode}`);
          samples.push(performance.now() - l0);
          // As a few users would, not back to back (which would take a core from the import it measures);
          // app.inject answers without a turn of the event loop, and the import's progress messages need one.
          await new Promise((r) => setTimeout(r, 100));
        } else await new Promise((r) => setTimeout(r, 20));
      }
    };
    for (let run = 0; run < opts.runs; run++) {
      const b0 = performance.now();
      const workbook = await buildBenchWorkbook(raw, opts.crypto, county, opts.rows, 20260601 + run);
      const fileName = `bench-${run + 1}-${Date.now()}.xlsx`;
      log(`  import run ${run + 1}: workbook of ${opts.rows.toLocaleString('en')} rows built in ${((performance.now() - b0) / 1000).toFixed(1)} s (${(workbook.length / 1e6).toFixed(1)} MB); uploading …`);

      if (opts.dryRun === false) {
        // One upload only (the import into the large file): its floor from the rows it wrote.
        const cpu0 = process.cpuUsage();
        const d0 = performance.now();
        const { status: direct, samples } = await importWhileListing(fileName, workbook);
        const directMs = performance.now() - d0;
        const cpu = process.cpuUsage(cpu0);
        result.directCpu.push((cpu.user + cpu.system) / 1000);
        if (direct.state !== 'done' || direct.result!.imported !== opts.rows) throw new Error(`direct import: ${JSON.stringify(direct.error ?? direct.result!.errors.slice(0, 3))}`);
        result.listDuringWrite.push(...samples);
        const floor = floorOf(raw, fileName);
        removeImportedFile(raw, fileName);
        result.direct.push(directMs);
        result.floors.push(floor.ms);
        log(`  import run ${run + 1}: one upload ${(directMs / 1000).toFixed(2)} s, ${Math.round(opts.rows / (directMs / 1000)).toLocaleString('en')} rows/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (the list answered ${samples.length} times meanwhile); floor ${floor.ms.toFixed(0)} ms`);
        continue;
      }
      const t0 = performance.now();
      const dry = await post(fileName, workbook, true);
      const t1 = performance.now();
      if (dry.state !== 'done' || dry.result!.errorCount > 0) throw new Error(`dry run: ${JSON.stringify(dry.error ?? dry.result!.errors.slice(0, 3))}`);
      const commit = await post(fileName, workbook, false);
      const t2 = performance.now();
      if (commit.state !== 'done' || commit.result!.imported !== opts.rows) throw new Error(`commit: ${JSON.stringify(commit.error ?? commit.result!.errors.slice(0, 3))}`);
      const floor = floorOf(raw, fileName);
      if (floor.children !== opts.rows) throw new Error(`floor: read back ${floor.children} rows`);
      result.runs.push(t2 - t0);
      result.floors.push(floor.ms);
      result.phases.push({ dryRunMs: t1 - t0, commitMs: t2 - t1, warnings: dry.result!.warningCount });

      // The same file again, one upload and no dry run: every check made by the import job itself.
      const cpu0 = process.cpuUsage();
      const d0 = performance.now();
      const { status: direct, samples } = await importWhileListing(fileName, workbook);
      const directMs = performance.now() - d0;
      const cpu = process.cpuUsage(cpu0);
      result.directCpu.push((cpu.user + cpu.system) / 1000);
      result.listDuringWrite.push(...samples);
      if (direct.state !== 'done' || direct.result!.imported !== opts.rows) throw new Error(`direct import: ${JSON.stringify(direct.error ?? direct.result!.errors.slice(0, 3))}`);
      removeImportedFile(raw, fileName);
      result.direct.push(directMs);
      log(
        `  import run ${run + 1}: dry run ${((t1 - t0) / 1000).toFixed(2)} s + commit ${((t2 - t1) / 1000).toFixed(2)} s = ${((t2 - t0) / 1000).toFixed(2)} s, ${Math.round(opts.rows / ((t2 - t0) / 1000)).toLocaleString('en')} rows/s; ` +
          `one upload without dry run ${(directMs / 1000).toFixed(2)} s, ${Math.round(opts.rows / (directMs / 1000)).toLocaleString('en')} rows/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (the list answered ${samples.length} times meanwhile); ${dry.result!.warningCount} similar-name warnings; floor ${floor.ms.toFixed(0)} ms`,
      );
    }
    await app.close();
    await handle.close();
    raw.close();
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ alone

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const value = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1]! : fallback;
  };
  const r = await benchImport({
    children: Number(value('--children', '100000').replaceAll('_', '')),
    crypto: createFieldCrypto(benchKey()),
    rows: Number(value('--rows', '50000')),
    runs: Number(value('--runs', '1')),
    log: (s) => console.log(s),
  });
  console.log(JSON.stringify(r));
}
