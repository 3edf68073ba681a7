/**
 * The roster import's writer thread. It serves one import after another
 * (the server keeps it between imports, so that only the first import waits
 * for a thread to start): for each, it opens its own connection to the
 * server's database (SQLite in WAL mode: the server's readers go on while it
 * writes; PostgreSQL: a pool of its own), runs the import (import-writer.ts)
 * with the builder threads at the other end of its ports, reports progress and
 * the outcome, and closes the connection. If this thread dies, its
 * connection goes with it and the open transaction is rolled back: nothing
 * half-written.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../../../domain/errors.js';
import type { RequestContext } from '../../core/actor.js';
import type { AppConfig } from '../../core/config.js';
import { createFieldCrypto } from '../../core/crypto.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { openDatabase, type DatabaseOptions } from '../../db/database.js';
import { BuilderLink, importFile, type ImportFaults, type ImportOutcome, type ImportProgress, type ImportRun } from './import-writer.js';

export interface WorkerJob {
  db: DatabaseOptions;
  key: Uint8Array;
  config: AppConfig;
  /** The server's clock when the job started (tests freeze it); the thread's clock goes on from there. */
  now: string;
  ctx: RequestContext;
  run: ImportRun;
  buffer: Uint8Array;
  faults: ImportFaults;
}

/** From the server: an import to run, or word that a builder thread died. */
export type ToWriter = { type: 'job'; job: WorkerJob } | { type: 'builder-failed' };

export type FromWriter =
  | ({ type: 'progress' } & ImportProgress)
  | ({ type: 'done' } & ImportOutcome)
  /** `clean`: the builder finished the file all the same (an unreadable file): the threads may take the next import. */
  | { type: 'failed'; error: { code: string; message: string }; clean: boolean };

async function runJob(job: WorkerJob, builders: BuilderLink[], send: (m: FromWriter) => void): Promise<void> {
  const handle = openDatabase(job.db);
  const startedAt = Date.now();
  const start = new Date(job.now).getTime();
  const deps: Deps = {
    db: handle.db,
    dialect: handle.dialect,
    clock: { now: () => new Date(start + (Date.now() - startedAt)) },
    config: job.config,
    crypto: createFieldCrypto(Buffer.from(job.key)),
    workerDb: job.db,
  };
  try {
    const outcome = await importFile(deps, job.ctx, job.run, job.buffer, builders, (p) => send({ type: 'progress', ...p }), job.faults);
    send({ type: 'done', ...outcome });
  } catch (err) {
    if (!(err instanceof AppError)) console.error('roster import failed', err);
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const params = err instanceof AppError ? (err.details.params ?? {}) : {};
    send({ type: 'failed', error: { code, message: errorMessage(job.run.locale, code, params) }, clean: builders.every((b) => b.idle) });
  } finally {
    await handle.close();
  }
}

const data = workerData as { role?: string; ports?: MessagePort[] } | null;
if (parentPort && data?.role === 'import-writer' && data.ports) {
  const server = parentPort;
  const builders = data.ports.map((port) => new BuilderLink(port));
  server.on('message', (m: ToWriter) => {
    // Whichever builder the writer waits for, the import stops.
    if (m.type === 'builder-failed') for (const b of builders) b.fail(new Error('a builder thread died'));
    else void runJob(m.job, builders, (out) => server.postMessage(out));
  });
}
