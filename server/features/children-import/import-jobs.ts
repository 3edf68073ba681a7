/**
 * Import jobs, in process: a large file is validated and written in the
 * background while the page polls for progress. Jobs live in memory (a
 * restart forgets them; nothing half-written survives, the commit being one
 * transaction) and are kept for an hour after they finish. Only the user who
 * started a job can see it.
 */
import type { IMPORT_PHASES, ImportIssue, ImportResult } from '../../../domain/children/import.js';
import type { Locale } from '../../../domain/locale.js';
import { AppError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';

export type ImportPhase = (typeof IMPORT_PHASES)[number];

export interface ImportJob {
  id: string;
  ownerId: string;
  locale: Locale;
  fileName: string;
  dryRun: boolean;
  state: 'running' | 'done' | 'failed';
  phase: ImportPhase;
  processed: number;
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
/** How long what a dry run found out about a file is kept for its commit. */
const PREPARED_KEEP_MS = 15 * 60 * 1000;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private readonly running = new Set<Promise<unknown>>();
  /** Per user, at most one file checked by a dry run (see children-import.service.ts, PreparedFile). */
  private readonly prepared = new Map<string, { key: string; at: number; value: unknown }>();

  constructor(private readonly maxRunning = MAX_RUNNING_IMPORTS) {}

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
      processed: 0,
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

  /** Keeps what a dry run established about a file (replacing what the user had kept before). */
  keepPrepared<T>(ownerId: string, key: string, value: T): void {
    this.prepared.set(ownerId, { key, at: Date.now(), value });
  }

  /** What `keepPrepared` kept under `key`, if still fresh; whatever the user had kept is let go either way. */
  takePrepared<T>(ownerId: string, key: string): T | undefined {
    const kept = this.prepared.get(ownerId);
    this.prepared.delete(ownerId);
    return kept && kept.key === key && Date.now() - kept.at <= PREPARED_KEEP_MS ? (kept.value as T) : undefined;
  }

  /** Runs `work` in the background; `settled()` waits for all of it (used when the server closes). */
  track(work: Promise<unknown>): void {
    const p = work.finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_MS) this.jobs.delete(id);
    for (const [owner, kept] of this.prepared) if (now - kept.at > PREPARED_KEEP_MS) this.prepared.delete(owner);
  }
}
