/**
 * API contract of export jobs (导出任务): a large list is written beside the
 * server while the page shows its progress, then downloaded once ready.
 */
import { z } from 'zod';
import { ChildExportQuery } from './import.js';

/**
 * The list's filters, and `full` with a reason for the full ID and phone
 * numbers (only for who may reveal them; the reason goes into the export's
 * audit row).
 */
export const ExportJobInput = ChildExportQuery.extend({
  full: z.object({ reason: z.string().trim().min(2).max(500) }).optional(),
});
export type ExportJobInput = z.infer<typeof ExportJobInput>;

export const ExportStarted = z.object({ jobId: z.string() });
export type ExportStarted = z.infer<typeof ExportStarted>;

export const ExportJobParams = z.object({ jobId: z.string().min(1).max(64) });

export const ExportJobStatus = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  /** Rows written so far, of `total` (the count when the job started). */
  processed: z.number().int(),
  total: z.number().int(),
  /** 0–100, for a progress bar; 100 once the file is ready. */
  percent: z.number().int(),
  /** The file's name, e.g. 儿童名单-20261130.xlsx. */
  fileName: z.string(),
  /** With full ID and phone numbers: the file can be downloaded once. */
  full: z.boolean(),
  /** When state is 'failed', in the user's language. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ExportJobStatus = z.infer<typeof ExportJobStatus>;
