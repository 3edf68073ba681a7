/**
 * The export jobs' worker thread (export-jobs.ts). It stays up between jobs
 * (starting one costs a second or two: tsx and the modules load anew) with
 * its own connection to the database; for each job it is sent, it writes the
 * workbook of the plan, reports the rows written after every page, and hands
 * the finished file over (transferred, not copied). Reads only: the audit row
 * was written when the job started.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createFieldCrypto } from '../../core/crypto.js';
import { openDatabase, type DatabaseOptions } from '../../db/database.js';
import { buildChildrenExportFile, type ExportPlan } from './children-export.js';

/** Given once, when the worker starts. */
export interface ExportWorkerData {
  db: DatabaseOptions;
}

/** One job for the worker. */
export interface ExportWorkerTask {
  plan: ExportPlan;
  /** The master key, for a full-number export only (a masked one opens no number); dropped with the job. */
  masterKey: Uint8Array | null;
}

export type ExportWorkerMessage =
  | { type: 'progress'; written: number }
  | { type: 'done'; rows: number; file: ArrayBuffer; threadId: number }
  | { type: 'failed'; message: string };

function serve(port: NonNullable<typeof parentPort>, data: ExportWorkerData): void {
  const handle = openDatabase(data.db);
  const post = (message: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  // One task at a time: the pool sends the next only after this one's answer.
  port.on('message', (task: ExportWorkerTask) => {
    const crypto = task.masterKey ? createFieldCrypto(Buffer.from(task.masterKey)) : null;
    buildChildrenExportFile(handle.db, crypto, task.plan, (written) => post({ type: 'progress', written }))
      .then(({ body, rows }) => {
        const file = body.buffer as ArrayBuffer;
        post({ type: 'done', rows, file, threadId }, [file]);
      })
      .catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  });
  port.once('close', () => void handle.close());
}

if (parentPort) serve(parentPort, workerData as ExportWorkerData);
