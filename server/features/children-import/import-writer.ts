/**
 * The roster import's writer: takes the chunks the builder threads hand it in
 * file order, checks each against the earlier rows of the file and the open
 * files in the database, and on a commit writes it — all chunks in one
 * transaction, so that the import is all or nothing. Writing starts with the
 * first chunk, while the builders read and check the rest of the file; a row
 * with an error found later (in the file or against the database) rolls back
 * what was written and the rest is only checked, so that the report lists
 * every problem.
 *
 * It runs in a worker thread with its own connection (import-worker.ts);
 * over SQLite in memory, which no other connection can open, in the
 * server's thread (import-runner.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { sql, type ControlledTransaction } from 'kysely';
import type { ImportIssue, ImportResult } from '../../../domain/children/import.js';
import type { Locale } from '../../../domain/locale.js';
import type { RegionRef } from '../../../domain/api.js';
import { isInScope } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import { masterKeyOf } from '../../core/crypto.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import type { ChildChangeTable, ChildTable, Database } from '../../db/schema.js';
import { audit } from '../audit/audit.service.js';
import { auditDuplicateCheck, civilAffairsContact } from '../children/child-duplicates.js';
import { categorySettings, scheduleSettings } from '../shared/stored-settings.js';
import { findOpenChildrenByBirthDate, findOpenChildrenByIdHash, listVillagesInScope, rowWriter, type SameDayChild } from './children-import.repository.js';
import type { BuilderInit, BuilderMessage, Candidate, WriterMessage } from './import-builder.js';
import { COLUMN_BY_FIELD } from './import-columns.js';
import { FileDuplicates, columnLabel, fileError, issueMaker, reasonText, similarNamesWithPinyin, type IssueFn, type MappedColumns } from './import-rows.js';

/** Rows per chunk: the unit of progress, of the builder's lead and of a database check. */
export const CHUNK_ROWS = 2000;
const LISTED_ISSUES = 1000;
/** SQLite page cache while an import writes, in KiB (as `pragma cache_size` takes it: negative). */
const IMPORT_PAGE_CACHE_KIB = -512 * 1024;

export interface ImportRun {
  jobId: string;
  fileName: string;
  locale: Locale;
  dryRun: boolean;
}

/** What the job shows while it runs: rows checked and rows written, of the total. */
export interface ImportProgress {
  phase: 'reading' | 'validating' | 'writing';
  total: number;
  checked: number;
  written: number;
}

export interface ImportOutcome {
  result: ImportResult;
  issues: { errors: ImportIssue[]; warnings: ImportIssue[] };
}

/** Tests only (NODE_ENV=test): where to fail on purpose, as a crash of a thread would. */
export interface ImportFaults {
  /** The builder thread fails after checking this many rows. */
  builderAfterRows?: number;
  /** The writer's thread dies after writing this many rows. */
  writerAfterRows?: number;
}

/**
 * The writer's end of the port to the builder thread: its messages awaited
 * one by one. The builder's failure (told by whoever started that thread)
 * comes out of `next` as an IMPORT_INTERRUPTED error.
 */
export class BuilderLink {
  private readonly queue: (BuilderMessage | Error)[] = [];
  private waiting: ((m: BuilderMessage | Error) => void) | null = null;
  /** The builder finished its file (the last message read was its end, or that the file is unreadable): it may take the next one. */
  idle = true;

  constructor(private readonly port: MessagePort) {
    port.on('message', (m: BuilderMessage) => this.push(m));
  }

  /** The builder thread died. */
  fail(err: Error): void {
    this.push(err);
  }

  private push(m: BuilderMessage | Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) waiting(m);
    else this.queue.push(m);
  }

  async next(): Promise<BuilderMessage> {
    const m = this.queue.shift() ?? (await new Promise<BuilderMessage | Error>((resolve) => (this.waiting = resolve)));
    if (m instanceof Error) {
      console.error('roster import: the builder thread failed', m);
      throw new AppError('IMPORT_INTERRUPTED');
    }
    this.idle = m.type === 'end' || m.type === 'unreadable';
    return m;
  }

  send(m: WriterMessage): void {
    this.port.postMessage(m);
  }

  /** Between two imports: nothing of the last one is left waiting. */
  reset(): void {
    this.queue.length = 0;
    this.waiting = null;
    this.idle = false;
  }
}

/** Imports one file, the builder threads at the other end of `builders` reading and checking it (chunk k by builder k mod n). */
export async function importFile(
  deps: Deps,
  ctx: RequestContext,
  run: ImportRun,
  buffer: Uint8Array,
  builders: readonly BuilderLink[],
  report: (p: ImportProgress) => void,
  faults: ImportFaults = {},
): Promise<ImportOutcome> {
  const started = Date.now();
  const { locale } = run;
  const villages = new Map((await listVillagesInScope(deps.db, ctx.actor.scopeRegion)).map((v) => [v.code, v.name]));
  const init: BuilderInit = {
    buffer,
    locale,
    day: localToday(deps.clock),
    now: deps.clock.now().toISOString(),
    actor: ctx.actor,
    fileName: run.fileName,
    villages: [...villages.keys()],
    dryRun: run.dryRun,
    key: masterKeyOf(deps.crypto),
    settings: await categorySettings(deps.db),
    // The first visit is due as for a file registered by hand: the stored visit settings, not the defaults.
    schedule: await scheduleSettings(deps.db),
    chunkRows: CHUNK_ROWS,
    part: 0,
    parts: builders.length,
    failAfterRows: faults.builderAfterRows,
  };
  const contact = await civilAffairsContact(deps.db, ctx.actor.scopeRegion);
  builders.forEach((builder, part) => {
    builder.reset();
    builder.send({ type: 'init', init: { ...init, part } });
  });
  const toAll = (m: WriterMessage) => builders.forEach((b) => b.send(m));
  const progress: ImportProgress = { phase: 'reading', total: 0, checked: 0, written: 0 };
  report(progress);

  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const rowsWithErrors = new Set<number>();
  let trx: ControlledTransaction<Database> | null = null;
  let pageCacheBefore: number | null = null;
  /** Ids written by this import, and their name, birth date and village: not duplicates of the rows they came from. */
  const written = new Set<string>();
  const writtenKeys = new Set<string>();
  const found = { inScope: 0, outOfScope: 0 };
  let rows = 0;
  const writerFailAfter = process.env.NODE_ENV === 'test' ? faults.writerAfterRows : undefined;

  const rollBack = async () => {
    if (!trx) return;
    const open = trx;
    trx = null;
    await open.rollback().execute();
    if (pageCacheBefore !== null) await sql.raw(`pragma cache_size = ${pageCacheBefore}`).execute(deps.db);
  };

  try {
    // Every builder reads the same file and begins with the same word on it: the first one's is used.
    const first = await builders[0]!.next();
    for (const other of builders.slice(1)) await other.next();
    if (first.type === 'unreadable') {
      if (first.onFile) throw fileError(locale, first.reason, first.params);
      throw new AppError('VALIDATION', { params: { field: columnLabel(locale, 'file', undefined), reason: reasonText(locale, first.reason) } });
    }
    if (first.type !== 'columns') throw new Error(`unexpected message ${first.type}`);
    const columns: MappedColumns = new Map(first.columns.map((c) => [c.field, { index: c.index, header: c.header, column: COLUMN_BY_FIELD.get(c.field)! }]));
    const issue = issueMaker(locale, columns, {
      error: (e) => {
        errors.push(e);
        rowsWithErrors.add(e.row);
      },
      warning: (w) => warnings.push(w),
    });
    progress.phase = 'validating';
    progress.total = first.total;
    report(progress);
    const sameDay = new SameDayCache();
    const inFile = new FileDuplicates(issue);

    for (let k = 0; ; k++) {
      const builder = builders[k % builders.length]!;
      const m = await builder.next();
      if (m.type === 'end') {
        // No chunk k: every other builder ends too.
        rows = m.rows;
        for (const other of builders) if (other !== builder) await other.next();
        break;
      }
      if (m.type !== 'chunk') throw new Error(`unexpected message ${m.type}`);
      errors.push(...m.errors);
      warnings.push(...m.warnings);
      for (const row of m.rowsWithErrors) rowsWithErrors.add(row);
      const candidates = m.candidates.filter((c) => !inFile.check({ ...c, idKey: c.idHash }));
      // Checked inside the writing transaction (once it is open), so that no duplicate slips in meanwhile.
      const db = trx ?? deps.db;
      const counts = await findDuplicatesInDatabase(db, ctx, contact, villages, candidates, issue, { ids: written, keys: writtenKeys }, sameDay);
      found.inScope += counts.inScope;
      found.outOfScope += counts.outOfScope;
      progress.checked = m.checked;
      if (!run.dryRun && errors.length === 0 && m.children.length > 0) {
        if (!trx) {
          trx = await deps.db.startTransaction().execute();
          if (deps.dialect === 'sqlite') {
            pageCacheBefore = Number((await sql<{ cache_size: number }>`pragma cache_size`.execute(trx)).rows[0]?.cache_size ?? -2000);
            await sql.raw(`pragma cache_size = ${IMPORT_PAGE_CACHE_KIB}`).execute(trx);
          }
          progress.phase = 'writing';
        }
        await writeChunk(trx, deps, m.children, m.changes);
        for (const child of m.children) {
          written.add(child.id);
          writtenKeys.add(sameFileKey(child.name, child.birth_date, child.region_code));
        }
        progress.written = written.size;
        if (writerFailAfter !== undefined && written.size >= writerFailAfter) {
          // A crash of this thread, as a failing native call or the process stopping would end it: nothing is rolled back by hand.
          setImmediate(() => {
            throw new Error('test fault: the writer failed');
          });
          await new Promise(() => {});
        }
      } else if (errors.length > 0 && !run.dryRun) {
        // The commit is off: give the lock back now, and let the builder only check the rest.
        if (trx) await rollBack();
        toAll({ type: 'stop-building' });
        progress.written = 0;
      }
      report(progress);
      builder.send({ type: 'credit' });
    }

    let imported = 0;
    if (trx && errors.length === 0) {
      const open: ControlledTransaction<Database> = trx;
      await audit(open, deps, ctx, { action: 'child.import', targetType: 'import', targetId: run.jobId, details: { count: written.size, fileName: run.fileName } });
      trx = null;
      await open.commit().execute();
      if (pageCacheBefore !== null) await sql.raw(`pragma cache_size = ${pageCacheBefore}`).execute(deps.db);
      imported = written.size;
    } else await rollBack();
    await auditDuplicateCheck(deps, ctx, 'import', found, { jobId: run.jobId, dryRun: run.dryRun });

    const byRow = (a: ImportIssue, b: ImportIssue) => a.row - b.row;
    errors.sort(byRow);
    warnings.sort(byRow);
    const result: ImportResult = {
      fileName: run.fileName,
      dryRun: run.dryRun,
      rows,
      valid: rows - rowsWithErrors.size,
      invalid: rowsWithErrors.size,
      errorCount: errors.length,
      warningCount: warnings.length,
      errors: errors.slice(0, LISTED_ISSUES),
      warnings: warnings.slice(0, LISTED_ISSUES),
      imported,
      committed: imported > 0,
      elapsedMs: Date.now() - started,
    };
    return { result, issues: { errors, warnings } };
  } finally {
    await rollBack();
  }
}

async function writeChunk(trx: ControlledTransaction<Database>, deps: Deps, children: ChildTable[], changes: ChildChangeTable[]): Promise<void> {
  const childWriter = rowWriter(trx, deps.dialect, 'children');
  const changeWriter = rowWriter(trx, deps.dialect, 'child_changes');
  for (const row of children) await childWriter.add(row);
  // Each child before its history row (the foreign key is checked at once on PostgreSQL).
  await childWriter.flush();
  for (const row of changes) await changeWriter.add(row);
  await changeWriter.flush();
}

/**
 * What no two open files share (in the importer's scope): a row this import
 * wrote is known among the files read back by it, without reading ids (the
 * birth-date index covers name, birth date and village, not the id).
 */
const sameFileKey = (name: string, birthDate: string, regionCode: string) => `${name}\u0000${birthDate}\u0000${regionCode}`;

/**
 * Open files born on each date, read once per date for the whole import (at
 * a million files a roster's dates cover most of them): later chunks find
 * rows this import wrote among them, which are left out.
 */
class SameDayCache {
  private readonly byDate = new Map<string, SameDayChild[]>();

  /** Reads the dates not read yet, keeping the files `keep` accepts (in the importer's scope, not written by this import). */
  async load(db: Deps['db'], dates: string[], keep: (c: SameDayChild) => boolean): Promise<void> {
    const missing = [...new Set(dates)].filter((d) => !this.byDate.has(d));
    if (missing.length === 0) return;
    for (const d of missing) this.byDate.set(d, []);
    for (const c of await findOpenChildrenByBirthDate(db, missing)) if (keep(c)) this.byDate.get(c.birth_date)!.push(c);
  }

  get(date: string): SameDayChild[] {
    return this.byDate.get(date) ?? [];
  }
}

/**
 * Rows that repeat an open file: the same ID number, or the same name, birth
 * date and village (errors); a similar name and the same birth date (a
 * warning). A file in the importer's scope is named by its village. Of a file
 * outside it only a same ID number is told, as "exists outside your area, ask
 * your civil-affairs office" (issue 11 §3); a similar name there is not told.
 * Returns how many rows matched in and out of scope, for the audit row.
 */
async function findDuplicatesInDatabase(
  db: Deps['db'],
  ctx: RequestContext,
  contact: RegionRef,
  villages: Map<string, string>,
  rows: Candidate[],
  issue: IssueFn,
  own: { ids: ReadonlySet<string>; keys: ReadonlySet<string> },
  sameDayCache: SameDayCache,
): Promise<{ inScope: number; outOfScope: number }> {
  const inScope = (c: { region_code: string }) => isInScope(ctx.actor, c.region_code);
  const village = (c: { region_code: string }) => villages.get(c.region_code) ?? c.region_code;
  const hashes: string[] = [];
  for (const r of rows) if (r.idHash) hashes.push(r.idHash);
  const byHash = new Map((await findOpenChildrenByIdHash(db, hashes)).filter((c) => !own.ids.has(c.id)).map((c) => [c.id_hash!, c]));
  await sameDayCache.load(
    db,
    rows.map((r) => r.birthDate),
    (c) => inScope(c) && !own.keys.has(sameFileKey(c.name, c.birth_date, c.region_code)),
  );
  const found = { inScope: 0, outOfScope: 0 };
  for (const r of rows) {
    const sameId = r.idHash ? byHash.get(r.idHash) : undefined;
    if (sameId && inScope(sameId)) {
      found.inScope++;
      issue('error', r.row, 'idNumber', 'duplicate_id_existing', { where: village(sameId) });
      continue;
    }
    if (sameId) {
      found.outOfScope++;
      issue('error', r.row, 'idNumber', 'duplicate_id_elsewhere', { region: contact.name });
      continue;
    }
    const sameDay = sameDayCache.get(r.birthDate);
    if (sameDay.length === 0) continue;
    const exact = sameDay.find((c) => c.name === r.name && c.region_code === r.regionCode);
    if (exact) {
      found.inScope++;
      issue('error', r.row, 'name', 'duplicate_child_existing', { where: village(exact) });
      continue;
    }
    const similar = sameDay.find((c) => similarNamesWithPinyin(r.name, r.pinyin, c.name, c.name_pinyin));
    if (similar) {
      found.inScope++;
      issue('warning', r.row, 'name', 'similar_existing', { name: similar.name, where: village(similar) });
    }
  }
  return found;
}
