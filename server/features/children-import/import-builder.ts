/**
 * The roster import's builder threads: each reads the workbook, checks its
 * share of the rows as the registration form would, and builds the rows to
 * write (categories, schedule, name spellings, the ID number's keyed hash
 * and ciphertext) — chunk by chunk, handing each chunk to the writer
 * (import-writer.ts) while it builds the next. With two builders, chunk k is
 * built by builder k mod 2: the checks and the encryption cost about twice
 * the writing, so one builder kept the writer waiting half the time. The
 * writer takes the chunks in file order and finds duplicates within the file
 * itself (they need every earlier row); it holds the database, these threads
 * never touch it.
 *
 * Flow control: the writer gives credits (one per chunk it has taken), so
 * each builder runs at most a few chunks ahead and a large file is never held
 * twice in memory. Once any row has an error the commit is off: rows are
 * still checked (the report lists every problem) but no longer built.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { ImportIssue } from '../../../domain/children/import.js';
import type { CategorySettings } from '../../../domain/children/facts.js';
import type { ScheduleSettings } from '../../../domain/visits/schedule.js';
import type { Locale } from '../../../domain/locale.js';
import type { Actor } from '../../core/actor.js';
import { createFieldCrypto } from '../../core/crypto.js';
import { newId } from '../../core/ids.js';
import type { ChildChangeTable, ChildTable } from '../../db/schema.js';
import { NO_OVERRIDES, categoriesOf, factsOf } from '../children/child-file.js';
import { buildChildRow } from '../children/child-row.js';
import { FileProblem, IMPORT_READ, RowChecker, dataRowsOf, issueMaker, mapHeaders, xlsxProblem, type MappedColumns } from './import-rows.js';
import { XlsxError, readXlsxSheet } from './xlsx-reader.js';

export interface BuilderInit {
  buffer: Uint8Array;
  locale: Locale;
  day: string;
  now: string;
  actor: Actor;
  fileName: string;
  /** Village codes the importer may use. */
  villages: string[];
  /** A dry run checks only: nothing is built. */
  dryRun: boolean;
  key: Uint8Array;
  settings: CategorySettings;
  schedule: ScheduleSettings;
  chunkRows: number;
  /** This builder takes the chunks k with k mod `parts` = `part`. */
  part: number;
  parts: number;
  /** Tests only (NODE_ENV=test): fail after this many rows were checked, as a crash of this thread would. */
  failAfterRows?: number | undefined;
}

/** A row the writer checks against the earlier rows of the file and against the database (an open file with the same ID number, or the same or a similar name born the same day). */
export interface Candidate {
  row: number;
  idHash: string | null;
  name: string;
  pinyin: string;
  birthDate: string;
  regionCode: string;
}

export type BuilderMessage =
  | { type: 'columns'; total: number; columns: { field: string; index: number; header: string }[] }
  | {
      type: 'chunk';
      /** Rows checked so far, of the total. */
      checked: number;
      errors: ImportIssue[];
      warnings: ImportIssue[];
      rowsWithErrors: number[];
      candidates: Candidate[];
      /** Built only while the file has no error and this is not a dry run; index i of both belongs to the same child, the candidate of the same index. */
      children: ChildTable[];
      changes: ChildChangeTable[];
    }
  | { type: 'end'; rows: number }
  /** The file cannot be read at all: a reason of VALIDATION_REASONS; `onFile` when the file field is at fault. */
  | { type: 'unreadable'; reason: string; params: Record<string, string>; onFile: boolean };

export type WriterMessage = { type: 'init'; init: BuilderInit } | { type: 'credit' } | { type: 'stop-building' };

/** Chunks built ahead of the writer. */
const AHEAD = 3;

/** The writer's word to the file being built: more credit, or stop building. */
interface Steering {
  credits: number;
  building: boolean;
  wake: (() => void) | null;
}

async function buildChunks(init: BuilderInit, steering: Steering, send: (m: BuilderMessage) => void): Promise<void> {
  steering.credits = AHEAD;
  steering.building = !init.dryRun;

  let sheet;
  let columns: MappedColumns;
  try {
    sheet = readXlsxSheet(Buffer.from(init.buffer.buffer, init.buffer.byteOffset, init.buffer.byteLength), IMPORT_READ);
    columns = mapHeaders(sheet).columns;
  } catch (err) {
    if (err instanceof XlsxError) return send({ type: 'unreadable', ...xlsxProblem(err), onFile: true });
    if (err instanceof FileProblem) return send({ type: 'unreadable', reason: err.reason, params: err.params, onFile: true });
    throw err;
  }
  const rows = dataRowsOf(sheet, columns);
  if (rows.length === 0) return send({ type: 'unreadable', reason: 'no_rows', params: {}, onFile: false });
  send({ type: 'columns', total: rows.length, columns: [...columns].map(([field, c]) => ({ field, index: c.index, header: c.header })) });

  let errors: ImportIssue[] = [];
  let warnings: ImportIssue[] = [];
  let rowsWithErrors = new Set<number>();
  const issue = issueMaker(init.locale, columns, {
    error: (e) => {
      errors.push(e);
      rowsWithErrors.add(e.row);
      steering.building = false;
    },
    warning: (w) => warnings.push(w),
  });
  const checker = new RowChecker(columns, sheet.date1904, { actor: init.actor, locale: init.locale, day: init.day, villages: new Set(init.villages) }, issue);
  const crypto = createFieldCrypto(Buffer.from(init.key));
  const hashes = new Map<string, string>();
  const hashOf = (idNumber: string) => {
    let hash = hashes.get(idNumber);
    if (hash === undefined) hashes.set(idNumber, (hash = crypto.keyedHash(idNumber)));
    return hash;
  };
  // The ID number's keyed hash is worked out once, for the writer's check and for the row.
  const rowCrypto = { ...crypto, keyedHash: hashOf };
  const failAfter = process.env.NODE_ENV === 'test' ? init.failAfterRows : undefined;

  const stride = init.parts * init.chunkRows;
  for (let from = init.part * init.chunkRows; from < rows.length; from += stride) {
    while (steering.credits === 0) await new Promise<void>((resolve) => (steering.wake = resolve));
    steering.wake = null;
    steering.credits--;
    const candidates: Candidate[] = [];
    const children: ChildTable[] = [];
    const changes: ChildChangeTable[] = [];
    const to = Math.min(rows.length, from + init.chunkRows);
    for (let i = from; i < to; i++) {
      if (failAfter !== undefined && i >= failAfter) throw new Error('test fault: the builder failed');
      const valid = checker.check(rows[i]!);
      if (!valid) continue;
      const { child, regionCode, spelling } = valid;
      candidates.push({ row: valid.row, idHash: child.idNumber ? hashOf(child.idNumber) : null, name: child.name, pinyin: spelling.pinyin, birthDate: child.birthDate, regionCode });
      if (!steering.building) continue;
      const id = newId();
      const categories = categoriesOf(factsOf(child), init.day, init.settings, NO_OVERRIDES);
      children.push(buildChildRow(child, regionCode, categories, init.settings, rowCrypto, { id, status: 'active', actorId: init.actor.id, now: init.now, spelling, schedule: init.schedule }));
      changes.push({
        id: newId(),
        child_id: id,
        region_code: regionCode,
        at: init.now,
        actor_id: init.actor.id,
        actor_name: init.actor.displayName,
        action: 'import',
        comment: init.fileName,
        // The imported values are the file itself (named in the comment); history records the event.
        changes: '[]',
      });
    }
    // A chunk whose rows met an error is not written: what was built of it is dropped.
    const complete = steering.building;
    send({ type: 'chunk', checked: to, errors, warnings, rowsWithErrors: [...rowsWithErrors], candidates, children: complete ? children : [], changes: complete ? changes : [] });
    errors = [];
    warnings = [];
    rowsWithErrors = new Set();
    // Lets the writer's credits and stop arrive between chunks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  send({ type: 'end', rows: rows.length });
}

/**
 * The thread: it serves one import after another on the port it was given
 * (workerData.port), each begun by an 'init' message; the writer at the other
 * end steers it with credits. A failure is left unhandled: the thread dies,
 * and whoever started it tells the writer.
 */
export function serveBuilds(port: MessagePort): void {
  const steering: Steering = { credits: 0, building: false, wake: null };
  port.on('message', (m: WriterMessage) => {
    if (m.type === 'init') {
      void buildChunks(m.init, steering, (out) => port.postMessage(out));
      return;
    }
    if (m.type === 'credit') steering.credits++;
    else steering.building = false;
    steering.wake?.();
  });
}

const data = workerData as { role?: string; port?: MessagePort } | null;
if (data?.role === 'import-builder' && data.port) serveBuilds(data.port);
