/**
 * Runs an import job beside the server: in a writer thread with its own
 * database connection (import-worker.ts) and builder threads that read and
 * check the file (import-builder.ts; `importBuilders` of the config: the
 * cores but the writer's, at most two by default — reading, checking and
 * encrypting cost about twice the writing), each talking to the writer over a
 * port of their own. The threads are kept between imports
 * (starting a thread that loads the app's modules takes a second or more) and
 * replaced when anything went wrong.
 * Should the writer die before it reports an outcome (a crash, or the server
 * closing and stopping it), its transaction died with its connection: the
 * job says, in the user's language, that nothing was written. SQLite in
 * memory has no second connection: there the writing runs in the server's
 * thread, with a builder thread of its own.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { errorMessage } from '../../../domain/errors.js';
import type { RequestContext } from '../../core/actor.js';
import { masterKeyOf } from '../../core/crypto.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { startWorker } from '../../core/worker-thread.js';
import { refreshPlannerStatistics, refreshPlannerStatisticsInWorker } from '../../db/statistics.js';
import type { ImportJob } from './import-jobs.js';
import type { FromWriter, ToWriter, WorkerJob } from './import-worker.js';
import { BuilderLink, importFile, type ImportFaults, type ImportOutcome, type ImportProgress } from './import-writer.js';

const WRITER = new URL('./import-worker.ts', import.meta.url);
const BUILDER = new URL('./import-builder.ts', import.meta.url);

/** Tests only: faults to inject, from SHOUHU_IMPORT_FAULTS (JSON of ImportFaults) under NODE_ENV=test. */
function faultsOfEnvironment(): ImportFaults {
  const raw = process.env.NODE_ENV === 'test' ? process.env.SHOUHU_IMPORT_FAULTS : undefined;
  return raw ? (JSON.parse(raw) as ImportFaults) : {};
}

function progressed(job: ImportJob, p: ImportProgress): void {
  job.phase = p.phase;
  job.total = p.total;
  job.checked = p.checked;
  job.written = p.written;
}

function finished(job: ImportJob, outcome: ImportOutcome): void {
  job.result = outcome.result;
  job.issues = outcome.issues;
  job.state = 'done';
  job.phase = 'finished';
  job.checked = outcome.result.rows;
  job.written = outcome.result.imported;
  job.finishedAt = Date.now();
}

function failed(job: ImportJob, error: { code: string; message: string }): void {
  job.state = 'failed';
  job.phase = 'finished';
  job.error = error;
  job.finishedAt = Date.now();
}

const interrupted = (job: ImportJob) => ({ code: 'IMPORT_INTERRUPTED', message: errorMessage(job.locale, 'IMPORT_INTERRUPTED') });

/** A builder thread on one end of a new channel; the other end is the writer's. */
function startBuilder(): { builder: Worker; writerPort: MessageChannel['port1'] } {
  const { port1, port2 } = new MessageChannel();
  const builder = startWorker(BUILDER, { workerData: { role: 'import-builder', port: port2 }, transferList: [port2] });
  builder.unref();
  return { builder, writerPort: port1 };
}

interface ThreadPair {
  writer: Worker;
  builders: Worker[];
  /** Set when any thread failed or an import ended badly: the threads are not used again. */
  broken: boolean;
  /** Who to tell when a thread of the pair dies during an import. */
  onDeath: ((which: 'writer' | 'builder') => void) | null;
}

/** A builder thread alone, for an import written in the server's thread (SQLite in memory). */
interface LoneBuilder {
  builder: Worker;
  port: MessagePort;
  broken: boolean;
}

/** A writer thread and its builders (a "pair"), kept idle between imports (at most `keep` pairs, and as many lone builders). */
export class ImportThreads {
  private readonly idle: ThreadPair[] = [];
  private readonly all = new Set<ThreadPair>();
  private readonly idleBuilders: LoneBuilder[] = [];
  private readonly builders = new Set<LoneBuilder>();

  constructor(
    private readonly keep: number,
    /** Builder threads beside each writer. */
    private readonly builderCount: number,
  ) {}

  take(): ThreadPair {
    return this.idle.pop() ?? this.start();
  }

  give(pair: ThreadPair): void {
    pair.onDeath = null;
    if (pair.broken || this.idle.length >= this.keep) void this.stop(pair);
    else this.idle.push(pair);
  }

  /** Stops every thread (the server closes): running imports roll back. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.all].map((pair) => this.stop(pair)));
    this.idleBuilders.length = 0;
    await Promise.all([...this.builders].map((b) => b.builder.terminate()));
    this.builders.clear();
  }

  takeBuilder(): LoneBuilder {
    const kept = this.idleBuilders.pop();
    if (kept) return kept;
    const { builder, writerPort } = startBuilder();
    const lone: LoneBuilder = { builder, port: writerPort, broken: false };
    this.builders.add(lone);
    return lone;
  }

  giveBuilder(lone: LoneBuilder): void {
    lone.port.removeAllListeners('message');
    lone.builder.removeAllListeners('error');
    lone.builder.removeAllListeners('exit');
    if (!lone.broken && this.idleBuilders.length < this.keep) {
      this.idleBuilders.push(lone);
      return;
    }
    this.builders.delete(lone);
    lone.port.close();
    void lone.builder.terminate();
  }

  private start(): ThreadPair {
    const started = Array.from({ length: this.builderCount }, startBuilder);
    const ports = started.map((s) => s.writerPort);
    const writer = startWorker(WRITER, { workerData: { role: 'import-writer', ports }, transferList: ports });
    writer.unref();
    const builders = started.map((s) => s.builder);
    const pair: ThreadPair = { writer, builders, broken: false, onDeath: null };
    this.all.add(pair);
    const died = (which: 'writer' | 'builder') => (err?: Error) => {
      if (err) console.error(`roster import: the ${which} thread failed`, err);
      const wasBroken = pair.broken;
      pair.broken = true;
      pair.onDeath?.(which);
      if (!wasBroken) void this.stop(pair);
    };
    for (const [worker, which] of [[writer, 'writer'] as const, ...builders.map((b) => [b, 'builder'] as const)]) {
      worker.on('error', died(which));
      worker.on('exit', () => died(which)());
    }
    return pair;
  }

  private async stop(pair: ThreadPair): Promise<void> {
    pair.broken = true;
    const index = this.idle.indexOf(pair);
    if (index >= 0) this.idle.splice(index, 1);
    this.all.delete(pair);
    await Promise.all([pair.writer.terminate(), ...pair.builders.map((b) => b.terminate())]);
  }
}

/**
 * After a committed import: the planner's statistics, so that the lists keep
 * their plans at the new size (SQLite analyses in a worker thread only what
 * grew tenfold, then the server's connection reloads; PostgreSQL analyses the
 * two tables written, without holding the server's thread).
 */
async function refreshStatistics(deps: Deps): Promise<void> {
  try {
    if (deps.dialect === 'postgres') await refreshPlannerStatistics(deps.db, deps.dialect, 'bulk');
    else await refreshPlannerStatisticsInWorker(deps);
  } catch (err) {
    console.error('planner statistics after an import', err);
  }
}

export async function runImportJob(deps: Deps, threads: ImportThreads, job: ImportJob, ctx: RequestContext, buffer: Buffer): Promise<void> {
  await runImport(deps, threads, job, ctx, buffer);
  if (job.result?.committed) await refreshStatistics(deps);
}

function runImport(deps: Deps, threads: ImportThreads, job: ImportJob, ctx: RequestContext, buffer: Buffer): Promise<void> {
  const run = { jobId: job.id, fileName: job.fileName, locale: job.locale, dryRun: job.dryRun };
  const faults = faultsOfEnvironment();
  if (!deps.workerDb) return runInThisThread(deps, threads, job, ctx, buffer, { builderAfterRows: faults.builderAfterRows });
  const work: WorkerJob = { db: deps.workerDb, key: masterKeyOf(deps.crypto), config: deps.config, now: deps.clock.now().toISOString(), ctx, run, buffer, faults };
  const pair = threads.take();
  return new Promise<void>((resolve) => {
    const end = (healthy: boolean) => {
      pair.writer.off('message', onMessage);
      if (!healthy) pair.broken = true;
      threads.give(pair);
      resolve();
    };
    const onMessage = (m: FromWriter) => {
      if (m.type === 'progress') return progressed(job, m);
      if (m.type === 'done') finished(job, m);
      else failed(job, m.error);
      // After a failure the builder may still be half-way through the file: that pair is not used again (unless it had finished).
      end(m.type === 'done' || m.clean);
    };
    pair.onDeath = (which) => {
      if (which === 'builder') return pair.writer.postMessage({ type: 'builder-failed' } satisfies ToWriter);
      // The writer's connection closed with it: the transaction is rolled back, nothing of the file is written.
      if (job.state === 'running') failed(job, interrupted(job));
      end(false);
    };
    pair.writer.on('message', onMessage);
    pair.writer.postMessage({ type: 'job', job: work } satisfies ToWriter);
  });
}

async function runInThisThread(deps: Deps, threads: ImportThreads, job: ImportJob, ctx: RequestContext, buffer: Buffer, faults: ImportFaults): Promise<void> {
  const run = { jobId: job.id, fileName: job.fileName, locale: job.locale, dryRun: job.dryRun };
  const lone = threads.takeBuilder();
  const link = new BuilderLink(lone.port);
  const died = (err?: Error) => {
    lone.broken = true;
    link.fail(err ?? new Error('the builder thread ended'));
  };
  lone.builder.on('error', died);
  lone.builder.on('exit', () => died());
  try {
    finished(job, await importFile(deps, ctx, run, buffer, [link], (p) => progressed(job, p), faults));
  } catch (err) {
    // After a failure the builder may still be half-way through the file: it is not used again (unless it had finished).
    if (!link.idle) lone.broken = true;
    if (!(err instanceof AppError)) console.error('roster import failed', err);
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    failed(job, { code, message: errorMessage(job.locale, code, err instanceof AppError ? (err.details.params ?? {}) : {}) });
  } finally {
    threads.giveBuilder(lone);
  }
}
