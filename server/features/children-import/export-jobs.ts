/**
 * Export jobs (导出任务, issue 13 point 4): a large list is written beside the
 * server — in a worker thread with its own reading connection (SQLite in WAL
 * mode: a reader never blocks the server; PostgreSQL: a small pool of its
 * own) — while the page polls for progress; the finished file is kept in
 * memory for 15 minutes, a full-number file only until its first download.
 * Only the user who started a job sees it. SQLite in memory has no second
 * connection (deps.workerDb null): the same writer then runs in the server's
 * thread, yielding between pages.
 *
 * Jobs live in memory: a restart forgets them (nothing is written by an
 * export but its audit row, written when the job starts).
 */
import { threadId, type Worker } from 'node:worker_threads';
import type { ExportJobInput, ExportJobStatus } from '../../../domain/children/export.js';
import { errorMessage } from '../../../domain/errors.js';
import type { Locale } from '../../../domain/locale.js';
import type { RequestContext } from '../../core/actor.js';
import { masterKeyOf } from '../../core/crypto.js';
import type { Deps } from '../../core/deps.js';
import { AppError, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { startWorker } from '../../core/worker-thread.js';
import { buildChildrenExportFile, checkChildrenExport, prepareChildrenExport, type ExportPlan } from './children-export.js';
import type { DatabaseOptions } from '../../db/database.js';
import type { ExportWorkerData, ExportWorkerMessage, ExportWorkerTask } from './export-worker.js';

export interface ExportJob {
  id: string;
  ownerId: string;
  locale: Locale;
  fileName: string;
  full: boolean;
  state: 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  /** The finished workbook; null while running, after a failure, and once let go. */
  file: Buffer | null;
  /** A full-number file once downloaded, or any file past its time: the file is gone. */
  released: boolean;
  error: { code: string; message: string } | null;
  /** The thread the workbook was written in (the server's own when there is no worker connection). */
  threadId: number | null;
  finishedAt: number | null;
}

/** How long a finished job and its file are kept. */
export const EXPORT_KEEP_MS = 15 * 60 * 1000;
/** Export jobs running at once, server-wide: each holds a workbook in memory and a core while it writes. */
export const MAX_RUNNING_EXPORTS = 2;

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly running = new Set<Promise<unknown>>();
  readonly workers = new ExportWorkers();

  constructor(private readonly maxRunning = MAX_RUNNING_EXPORTS) {}

  /** A new running job for `ownerId`: one running export per user, and `maxRunning` in all, at a time. */
  create(ownerId: string, locale: Locale, full: boolean): ExportJob {
    this.prune();
    let running = 0;
    for (const job of this.jobs.values()) {
      if (job.state !== 'running') continue;
      if (job.ownerId === ownerId) throw new AppError('EXPORT_BUSY');
      running++;
    }
    if (running >= this.maxRunning) throw new AppError('EXPORTS_BUSY', { params: { max: this.maxRunning } });
    const job: ExportJob = {
      id: newId(),
      ownerId,
      locale,
      fileName: '',
      full,
      state: 'running',
      processed: 0,
      total: 0,
      file: null,
      released: false,
      error: null,
      threadId: null,
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** Forgets a job that never started (its request was refused). */
  discard(id: string): void {
    this.jobs.delete(id);
  }

  /** The job, if it exists and belongs to `ownerId`; otherwise undefined (answered 404). */
  find(id: string, ownerId: string): ExportJob | undefined {
    this.prune();
    const job = this.jobs.get(id);
    return job && job.ownerId === ownerId ? job : undefined;
  }

  /** Runs `work` in the background; `close()` waits for it. */
  track(work: Promise<unknown>): void {
    const p = work.finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** The server closes: the workers are stopped (an export writes nothing), then their jobs settle. */
  async close(): Promise<void> {
    await this.workers.close();
    await Promise.allSettled([...this.running]);
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > EXPORT_KEEP_MS) this.jobs.delete(id);
  }
}

const registries = new WeakMap<Deps, ExportJobs>();

/** The export jobs of the app built on `deps` (one registry per app). */
export function exportJobsOf(deps: Deps): ExportJobs {
  let jobs = registries.get(deps);
  if (!jobs) {
    jobs = new ExportJobs();
    registries.set(deps, jobs);
  }
  return jobs;
}

/**
 * Starts an export job: rights, filters and the audit row now (as the
 * streaming export does, before anything of the file exists); the workbook is
 * written in the background. Answers the job's id at once.
 */
export async function startExportJob(deps: Deps, jobs: ExportJobs, ctx: RequestContext, input: ExportJobInput, locale: Locale): Promise<{ jobId: string }> {
  const { full, ...query } = input;
  // Rights and filters, then the limits: a refused job writes no audit row.
  checkChildrenExport(deps, ctx, query, full ?? null);
  const job = jobs.create(ctx.actor.id, locale, full !== undefined);
  let prepared: Awaited<ReturnType<typeof prepareChildrenExport>>;
  try {
    prepared = await prepareChildrenExport(deps, ctx, query, locale, full ?? null);
  } catch (err) {
    jobs.discard(job.id);
    throw err;
  }
  job.fileName = prepared.fileName;
  job.total = prepared.count;
  jobs.track(
    runExport(deps, jobs.workers, job, prepared.plan)
      .then(({ body, rows, thread }) => {
        job.file = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
        job.processed = rows;
        job.threadId = thread;
        job.state = 'done';
      })
      .catch((err: unknown) => {
        console.error('export job failed', err);
        job.state = 'failed';
        job.error = { code: 'EXPORT_FAILED', message: errorMessage(job.locale, 'EXPORT_FAILED') };
      })
      .finally(() => {
        job.finishedAt = Date.now();
        // The file is let go after its time even if nobody asks about the job again.
        setTimeout(() => release(job), EXPORT_KEEP_MS).unref();
      }),
  );
  return { jobId: job.id };
}

function release(job: ExportJob): void {
  job.file = null;
  job.released = true;
}

/** How long an idle export worker is kept for the next job before it is stopped. */
const WORKER_IDLE_MS = 60_000;

/**
 * Warm export workers, at most one per running job: a worker takes a second
 * or two to start (tsx and the modules load in it), so one that finished a
 * job waits a minute for the next. Idle, it does not keep the process alive.
 */
class ExportWorkers {
  private readonly idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  private readonly all = new Set<Worker>();

  acquire(db: DatabaseOptions): Worker {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(warm.timer);
      warm.worker.ref();
      return warm.worker;
    }
    const data: ExportWorkerData = { db };
    const worker = startWorker(new URL('./export-worker.ts', import.meta.url), { workerData: data });
    this.all.add(worker);
    worker.once('exit', () => {
      this.all.delete(worker);
      const at = this.idle.findIndex((w) => w.worker === worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  /** A worker whose job ended well waits for the next; one that failed is stopped. */
  release(worker: Worker, healthy: boolean): void {
    worker.removeAllListeners('message');
    if (!healthy) {
      void worker.terminate();
      return;
    }
    worker.unref();
    const timer = setTimeout(() => void worker.terminate(), WORKER_IDLE_MS);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  async close(): Promise<void> {
    for (const { timer } of this.idle) clearTimeout(timer);
    this.idle.length = 0;
    await Promise.allSettled([...this.all].map((w) => w.terminate()));
  }
}

/**
 * Writes the workbook in a worker thread with its own connection, or in this
 * thread when the database has no second connection (SQLite in memory).
 */
function runExport(deps: Deps, workers: ExportWorkers, job: ExportJob, plan: ExportPlan): Promise<{ body: Uint8Array; rows: number; thread: number }> {
  const progress = (written: number) => {
    job.processed = written;
  };
  if (!deps.workerDb) {
    return buildChildrenExportFile(deps.db, plan.full ? deps.crypto : null, plan, progress).then((r) => ({ ...r, thread: threadId }));
  }
  const worker = workers.acquire(deps.workerDb);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (healthy: boolean) => {
      settled = true;
      worker.off('error', onError);
      worker.off('exit', onExit);
      workers.release(worker, healthy);
    };
    const onError = (err: Error) => {
      if (settled) return;
      settle(false);
      reject(err);
    };
    const onExit = (code: number) => {
      if (settled) return;
      settle(false);
      reject(new Error(`export worker exited (code ${code}) before its file was written`));
    };
    worker.on('message', (message: ExportWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          progress(message.written);
          break;
        case 'done':
          settle(true);
          resolve({ body: new Uint8Array(message.file), rows: message.rows, thread: message.threadId });
          break;
        case 'failed':
          settle(false);
          reject(new Error(`export worker: ${message.message}`));
          break;
      }
    });
    worker.on('error', onError);
    worker.on('exit', onExit);
    // The key only goes to a worker for a job that opens numbers.
    const task: ExportWorkerTask = { plan, masterKey: plan.full ? masterKeyOf(deps.crypto) : null };
    worker.postMessage(task);
  });
}

export function presentExportJob(job: ExportJob): ExportJobStatus {
  const percent = job.state === 'done' ? 100 : job.total > 0 ? Math.min(99, Math.floor((job.processed * 100) / job.total)) : 0;
  return { jobId: job.id, state: job.state, processed: job.processed, total: Math.max(job.total, job.processed), percent, fileName: job.fileName, full: job.full, error: job.error };
}

export function getExportJob(jobs: ExportJobs, ctx: RequestContext, jobId: string): ExportJobStatus {
  const job = jobs.find(jobId, ctx.actor.id);
  if (!job) throw notFound();
  return presentExportJob(job);
}

/** The finished file, for its owner; a full-number file is let go as it leaves (one download). */
export function takeExportFile(jobs: ExportJobs, ctx: RequestContext, jobId: string): { fileName: string; body: Buffer; rows: number } {
  const job = jobs.find(jobId, ctx.actor.id);
  if (!job) throw notFound();
  if (job.state === 'failed') throw new AppError('EXPORT_FAILED');
  if (job.state === 'running') throw new AppError('EXPORT_NOT_READY');
  if (!job.file || job.released) throw new AppError('EXPORT_GONE');
  const body = job.file;
  if (job.full) release(job);
  return { fileName: job.fileName, body, rows: job.processed };
}
