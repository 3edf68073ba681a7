/** API contract of the roster (花名册) import and export. */
import { z } from 'zod';
import { ChildListQuery } from './schema.js';

export const ImportQuery = z.object({
  /** true (default): validate only, write nothing. false: write every row, or none if any row has an error. */
  dryRun: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});

export const ImportStarted = z.object({ jobId: z.string() });
export type ImportStarted = z.infer<typeof ImportStarted>;

export const ImportIssue = z.object({
  /** Row number as Excel shows it (the header is row 1). */
  row: z.number().int(),
  /** The column's header as in the file, e.g. '身份证号'. */
  column: z.string(),
  /** Column letter, e.g. 'E'. */
  columnLetter: z.string(),
  /** Path in ChildInput, e.g. 'father.since'. */
  field: z.string(),
  /** In the user's language, naming the column: '身份证号：身份证号校验码错误'. */
  message: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportResult = z.object({
  fileName: z.string(),
  dryRun: z.boolean(),
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  /** At most 1,000 each; all of them are in GET …/:jobId/errors.xlsx. */
  errors: z.array(ImportIssue),
  warnings: z.array(ImportIssue),
  imported: z.number().int(),
  committed: z.boolean(),
  elapsedMs: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const IMPORT_PHASES = ['reading', 'validating', 'checking', 'writing', 'finished'] as const;

export const ImportJobStatus = z.object({
  jobId: z.string(),
  fileName: z.string(),
  dryRun: z.boolean(),
  state: z.enum(['running', 'done', 'failed']),
  phase: z.enum(IMPORT_PHASES),
  /** Rows processed in the current phase, of `total` data rows (0 while reading): checked, or written once the writing has begun. */
  processed: z.number().int(),
  /** Rows read and checked so far. */
  checked: z.number().int(),
  /** Rows written so far (a commit writes while later rows are still being checked; back to 0 when a row with an error stops the writing). */
  written: z.number().int(),
  total: z.number().int(),
  /** 0–100 across all phases, for a progress bar. */
  percent: z.number().int(),
  /** When state is 'done'. */
  result: ImportResult.nullable(),
  /** When state is 'failed': the file could not be read (not an xlsx, missing columns…) or the server failed. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ImportJobStatus = z.infer<typeof ImportJobStatus>;

export const ImportJobParams = z.object({ jobId: z.string().min(1).max(64) });

/** The list's filters, without paging: the export holds every matching file in scope. */
export const ChildExportQuery = ChildListQuery.omit({ page: true, pageSize: true });
export type ChildExportQuery = z.infer<typeof ChildExportQuery>;

/**
 * An export with the full ID and phone numbers (导出完整身份证号和电话): the
 * list's filters and the reason, required (recorded in the export's audit
 * row). Only for those who may reveal numbers.
 */
export const ChildExportFullInput = ChildExportQuery.extend({ reason: z.string().trim().min(2).max(500) });
export type ChildExportFullInput = z.infer<typeof ChildExportFullInput>;
