/**
 * Import jobs, in process: a large file is validated and written beside the
 * server (import-runner.ts) while the page polls for progress. Jobs live in
 * memory (a restart forgets them; nothing half-written survives, the commit
 * being one transaction) and are kept for an hour after they finish. Only
 * the user who started a job can see it.
 */
import type { IMPORT_PHASES, ImportIssue, ImportResult } from '../../../domain/children/import.js';
import type { Locale } from '../../../domain/locale.js';
import { AppError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { ImportThreads } from './import-runner.js';

export type ImportPhase = (typeof IMPORT_PHASES)[number];

export interface ImportJob {
  id: string;
  ownerId: string;
  locale: Locale;
  fileName: string;
  dryRun: boolean;
  state: 'running' | 'done' | 'failed';
  phase: ImportPhase;
  /** Rows read and checked, rows written, of `total`. */
  checked: number;
  written: number;
  total: number;
  result: ImportResult | null;
  error: { code: string; message: string } | null;
  /** Every error and warning, for the report. */
  issues: { errors: ImportIssue[]; warnings: ImportIssue[] };
  startedAt: number;
  finishedAt: number | null;
}

const KEEP_MS = 60 * 60 * 1000;
/**
 * Imports running at once, server-wide (issue 11 point 7: three large files at
 * once took 3 GB). A further upload is refused with "busy, try again" rather
 * than queued: a queue would hold every waiting file in memory, while the page
 * keeps the chosen file and a retry is one click.
 */
export const MAX_RUNNING_IMPORTS = 2;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private readonly running = new Set<Promise<unknown>>();

  /** The threads imports run in, kept between imports. */
  readonly threads: ImportThreads;

  constructor(
    private readonly maxRunning = MAX_RUNNING_IMPORTS,
    builders = 1,
  ) {
    this.threads = new ImportThreads(maxRunning, builders);
  }

  /** A new job for `ownerId`; one running import per user, and `maxRunning` in all, at a time. */
  create(ownerId: string, locale: Locale, fileName: string, dryRun: boolean): ImportJob {
    this.prune();
    let running = 0;
    for (const job of this.jobs.values()) {
      if (job.state !== 'running') continue;
      if (job.ownerId === ownerId) throw new AppError('IMPORT_BUSY');
      running++;
    }
    if (running >= this.maxRunning) throw new AppError('IMPORTS_BUSY', { params: { max: this.maxRunning } });
    const job: ImportJob = {
      id: newId(),
      ownerId,
      locale,
      fileName,
      dryRun,
      state: 'running',
      phase: 'reading',
      checked: 0,
      written: 0,
      total: 0,
      result: null,
      error: null,
      issues: { errors: [], warnings: [] },
      startedAt: Date.now(),
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** The job, if it exists and belongs to `ownerId`; otherwise undefined (answered 404). */
  find(id: string, ownerId: string): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job && job.ownerId === ownerId ? job : undefined;
  }

  /** Runs `work` in the background; `settled()` waits for all of it (used when the server closes). */
  track(work: Promise<unknown>): void {
    const p = work.finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Stops the import threads (the server is closing): a running import rolls back, and its job says it was interrupted. */
  async stopAll(): Promise<void> {
    await this.threads.stopAll();
    await this.settled();
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_MS) this.jobs.delete(id);
  }
}
