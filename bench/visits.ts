/**
 * The visits bench (issue 4, deliverable 7), run by bench/run.ts: in a cached
 * database of N children with their visits (bench/visits-generate.ts), signed
 * in as real users of the largest county, it times what their work-list page
 * asks for — a village director's counts (the tabs) and the first page of
 * each list, a township supervisor's counts (the per-village table with
 * on-time rates) and overdue list, the county's counts (the per-township
 * table) and overdue list — and recording a visit (POST, a different child
 * each time: the visit, the child's risk and due date, history and audit in
 * one transaction). Each against its floor: the statements the request ran,
 * replayed as prepared statements.
 *
 * Recording writes into the cached file; what it wrote is removed afterwards
 * (rows past the high-water mark of every table written, the children's rows
 * and the audit head restored as they were), so every run starts from the
 * same data without copying a file of many gigabytes.
 */
import SQLite from 'better-sqlite3';
import { v7 } from 'uuid';
import { WORKLIST_KINDS } from '../domain/visits/schema.js';
import type { VisitInput } from '../domain/visits/schema.js';
import { localToday, systemClock } from '../server/core/clock.js';
import type { Deps } from '../server/core/deps.js';
import type { Api } from '../server/core/http.js';
import { openDatabase, type Db } from '../server/db/database.js';
import type { BenchMeta } from './generate.js';
import type { Recorded, wrapDatabase } from './sqlite-wrap.js';
import type { VisitsMeta } from './visits-generate.js';

export interface Timing {
  n: number;
  p50: number;
  p95: number;
}

/** The timing and replay machinery of bench/run.ts, handed over rather than copied. */
export interface BenchTools {
  time(fn: () => unknown, iterations: number, maxSeconds: number): Promise<Timing>;
  replayer(raw: SQLite.Database, calls: Recorded[], eachRun?: () => (params: unknown[]) => unknown[]): () => void;
  instance(db: Db, crypto: Deps['crypto']): Promise<{ app: Api; close(): Promise<void> }>;
  wrappedDb(file: string): { db: Db; wrap: ReturnType<typeof wrapDatabase> };
  signIn(app: Api, username: string): Promise<string>;
}

export interface VisitsBenchRow {
  name: string;
  full: Timing;
  floor: Timing;
  target: number;
  note: string;
}

export const VISITS_TARGETS = { worklist: 50, countyTable: 200, record: 30 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A quiet home visit made today: the child seen, nothing found. */
function visitBody(today: string): VisitInput {
  const fine = { rating: 'fine' as const };
  return {
    visitDate: today,
    kind: 'home',
    seenInPerson: true,
    present: ['child', 'grandparent'],
    checklist: { safety: fine, living_conditions: fine, carer_care: fine, schooling: fine, health: fine, emotional_state: fine, needs: fine },
    factors: { living_alone: false, under8_unattended: false, carer_unfit: false, abuse_signs: false, self_harm_talk: false, psych_concern: false },
    notes: '孩子状态良好',
    followUps: [],
    photoIds: [],
  };
}

export async function benchVisits(
  tools: BenchTools,
  opts: { file: string; meta: BenchMeta; visits: VisitsMeta; crypto: Deps['crypto']; iterations: number; maxSeconds: number; log: (s: string) => void },
): Promise<VisitsBenchRow[]> {
  const { file, meta, log } = opts;
  const county = meta.counties[0]!.code;
  const township = meta.township.code;
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  // The director of the township's largest village.
  const village = raw
    .prepare(`select region_code as code, count(*) as n from children where region_code >= ? and region_code <= ? and status = 'active' group by region_code order by n desc limit 1`)
    .get(township.slice(0, 9) + '000', township.slice(0, 9) + '999') as { code: string; n: number };
  log(`Visits bench: ${opts.visits.visits.toLocaleString('en')} visits (made for ${opts.visits.today}); director of village ${village.code} (${village.n} active children), supervisor of ${township}, county ${county}.`);

  const handle = openDatabase({ sqliteFile: file });
  const plain = await tools.instance(handle.db, opts.crypto);
  const wrapped = tools.wrappedDb(file);
  const probe = await tools.instance(wrapped.db, opts.crypto);
  const rows: VisitsBenchRow[] = [];

  const capture = async (run: (app: Api) => Promise<void>): Promise<Recorded[]> => {
    wrapped.wrap.setMode('record');
    try {
      await run(probe.app);
      return wrapped.wrap.take();
    } finally {
      wrapped.wrap.setMode('plain'); // (clears what was recorded: taken first)
    }
  };

  try {
    // ---------------------------------------------------------------- work lists (reads)
    const actors = [
      { label: 'director', username: `director-${village.code}`, kinds: WORKLIST_KINDS, countsTarget: VISITS_TARGETS.worklist, counts: 'work-list counts (tabs)' },
      { label: 'supervisor', username: `supervisor-${township}`, kinds: ['overdue'] as const, countsTarget: VISITS_TARGETS.worklist, counts: 'per-village overdue table (counts, on-time rates)' },
      { label: 'county', username: `county-${county}`, kinds: ['overdue'] as const, countsTarget: VISITS_TARGETS.countyTable, counts: 'per-township overdue counts' },
    ];
    for (const actor of actors) {
      const cookie = await tools.signIn(plain.app, actor.username);
      const requests = [
        { what: actor.counts, url: '/api/worklists/counts', target: actor.countsTarget },
        ...actor.kinds.map((kind) => ({ what: `${kind} list, page 1`, url: `/api/worklists?kind=${kind}&page=1&pageSize=20`, target: VISITS_TARGETS.worklist })),
      ];
      for (const r of requests) {
        const name = `${actor.label}: ${r.what}`;
        let body = '';
        const get = (app: Api) => async () => {
          const res = await app.inject({ method: 'GET', url: r.url, headers: { cookie } });
          if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          body = res.body;
        };
        const calls = await capture(async (app) => get(app)());
        const full = await tools.time(get(plain.app), opts.iterations, opts.maxSeconds);
        const floor = await tools.time(tools.replayer(raw, calls), opts.iterations, opts.maxSeconds);
        const answer = JSON.parse(body) as { total?: number; counts?: Record<string, number>; regions?: unknown[] };
        const what = answer.counts ? `overdue ${answer.counts.overdue}, ${answer.regions?.length ?? 0} regions` : `${answer.total} in the list`;
        rows.push({ name, full, floor, target: r.target, note: `${calls.length} statements; ${what}` });
        log(`  ${name}: p50 ${full.p50.toFixed(2)} ms, p95 ${full.p95.toFixed(2)} ms (n=${full.n}); floor p95 ${floor.p95.toFixed(3)} ms; ${what}`);
        // A miss: where the time goes, statement by statement, with its plan.
        if (full.p95 >= r.target) logPlans(raw, calls, log);
      }
    }

    // ---------------------------------------------------------------- recording a visit (writes, undone afterwards)
    // A write carries the session's CSRF token (given at sign-in) in a header.
    const login = await plain.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `director-${village.code}`, password: 'demo1234' } });
    const session = login.cookies.find((c) => c.name === 'shouhu_session');
    if (login.statusCode !== 200 || !session) throw new Error(`sign-in of director-${village.code} failed: ${login.statusCode}`);
    const headers = { cookie: `shouhu_session=${session.value}`, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
    const children = (raw.prepare(`select id from children where region_code = ? and status = 'active' order by next_visit_due, id`).all(village.code) as { id: string }[]).map((c) => c.id);
    const today = localToday(systemClock);
    const body = visitBody(today);
    const undo = undoer(raw, children);
    try {
      let next = 0;
      const post = (app: Api) => async () => {
        const child = children[next++ % children.length]!;
        const res = await app.inject({ method: 'POST', url: `/api/children/${child}/visits`, headers, payload: body });
        if (res.statusCode !== 201) throw new Error(`record a visit: ${res.statusCode} ${res.body.slice(0, 300)}`);
      };
      const calls = await capture(async (app) => post(app)());
      undo.check(calls);
      const recordedChild = children[0]!;
      const full = await tools.time(post(plain.app), opts.iterations, opts.maxSeconds);
      const used = next;
      // The floor: the same statements, for the next child each time, with new ids for the rows it inserts.
      const fresh = new Set<string>();
      const seen = new Set<string>();
      for (const c of calls) {
        const inserts = /^insert into/i.test(c.sql);
        for (const p of c.params) if (typeof p === 'string' && UUID.test(p) && !seen.has(p)) (inserts ? fresh : seen).add(p);
        for (const p of c.params) if (typeof p === 'string') seen.add(p);
      }
      fresh.delete(recordedChild);
      let k = 0;
      const floor = await tools.time(
        tools.replayer(raw, calls, () => {
          const child = children[k++ % children.length]!;
          const ids = new Map([...fresh].map((id) => [id, v7()]));
          return (params) => params.map((p) => (p === recordedChild ? child : typeof p === 'string' && ids.has(p) ? ids.get(p)! : p));
        }),
        opts.iterations,
        opts.maxSeconds,
      );
      const note = `${calls.length} statements (${calls.filter((c) => !c.reader).length} writes); children of village ${village.code} in due-date order, ${used} recorded${used > children.length ? ` (${children.length} children: some got two)` : ''}; written rows removed afterwards`;
      rows.push({ name: 'director: record a visit (POST, risk + due date + audit)', full, floor, target: VISITS_TARGETS.record, note });
      log(`  record a visit: p50 ${full.p50.toFixed(2)} ms, p95 ${full.p95.toFixed(2)} ms (n=${full.n}); floor p95 ${floor.p95.toFixed(3)} ms; ${note}`);
    } finally {
      const removed = undo.run();
      log(`  undone: ${removed}`);
    }
  } finally {
    await plain.close();
    await probe.close();
    await handle.close();
    raw.close();
  }
  return rows;
}

function logPlans(raw: SQLite.Database, calls: Recorded[], log: (s: string) => void) {
  for (const c of calls) {
    if (!c.reader || !/from "(children|visits|campaign_tasks)"/.test(c.sql)) continue;
    const stmt = raw.prepare(c.sql);
    const t0 = performance.now();
    stmt.all(c.params);
    const ms = performance.now() - t0;
    const plan = (raw.prepare(`explain query plan ${c.sql}`).all(c.params) as { detail: string }[]).map((p) => p.detail);
    log(`    ${ms.toFixed(1)} ms  ${c.sql}\n      params ${JSON.stringify(c.params)}\n      plan: ${plan.join(' | ')}`);
  }
}

/**
 * Remembers the database as it is before visits are recorded, and puts it
 * back: rows inserted since (any table, by rowid high-water mark) deleted, the
 * given children's rows and the audit head restored.
 */
function undoer(raw: SQLite.Database, childIds: string[]) {
  const tables = (raw.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like '%without rowid%'`).all() as { name: string }[]).map((t) => t.name);
  const marks = new Map(tables.map((t) => [t, (raw.prepare(`select coalesce(max(rowid), 0) as m from "${t}"`).get() as { m: number }).m]));
  const childRows = new Map<string, Record<string, unknown>>();
  const byId = raw.prepare(`select * from children where id = ?`);
  for (const id of childIds) childRows.set(id, byId.get(id) as Record<string, unknown>);
  const head = raw.prepare(`select * from audit_head`).all() as Record<string, unknown>[];
  const RESTORED = new Set(['children', 'audit_head']);
  return {
    /** Every table the request updates must be one this undo restores. */
    check(calls: Recorded[]) {
      for (const c of calls) {
        const m = /^update "([a-z_]+)"/i.exec(c.sql);
        if (m && !RESTORED.has(m[1]!)) throw new Error(`recording a visit updates ${m[1]}, which the bench cannot undo: ${c.sql}`);
      }
    },
    run(): string {
      const counts: string[] = [];
      raw.transaction(() => {
        for (const t of tables) {
          const n = raw.prepare(`delete from "${t}" where rowid > ?`).run(marks.get(t)!).changes;
          if (n > 0) counts.push(`${n} ${t}`);
        }
        const cols = Object.keys(childRows.values().next().value ?? {}).filter((c) => c !== 'id');
        const put = raw.prepare(`update children set ${cols.map((c) => `"${c}" = ?`).join(', ')} where id = ?`);
        for (const [id, row] of childRows) put.run([...cols.map((c) => row[c]), id]);
        const headCols = Object.keys(head[0] ?? {});
        raw.exec('delete from audit_head');
        const putHead = raw.prepare(`insert into audit_head (${headCols.map((c) => `"${c}"`).join(', ')}) values (${headCols.map(() => '?').join(', ')})`);
        for (const h of head) putHead.run(headCols.map((c) => h[c]));
      })();
      return `${counts.join(', ') || 'nothing'} deleted; ${childRows.size} children and the audit head restored`;
    },
  };
}
