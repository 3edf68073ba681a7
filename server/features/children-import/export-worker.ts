/**
 * An export job's worker thread (export-jobs.ts): opens its own connection to
 * the database, writes the workbook of the plan it was given, reports the rows
 * written after every page, and hands the finished file over (transferred,
 * not copied). Reads only; the audit row was written when the job started.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createFieldCrypto } from '../../core/crypto.js';
import { openDatabase, type DatabaseOptions } from '../../db/database.js';
import { buildChildrenExportFile, type ExportPlan } from './children-export.js';

export interface ExportWorkerData {
  db: DatabaseOptions;
  plan: ExportPlan;
  /** The master key, for a full-number export only (a masked one opens no number). */
  masterKey: Uint8Array | null;
}

export type ExportWorkerMessage =
  | { type: 'progress'; written: number }
  | { type: 'done'; rows: number; file: ArrayBuffer; threadId: number }
  | { type: 'failed'; message: string };

async function run(port: NonNullable<typeof parentPort>, data: ExportWorkerData): Promise<void> {
  const post = (message: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const handle = openDatabase(data.db);
  try {
    const crypto = data.masterKey ? createFieldCrypto(Buffer.from(data.masterKey)) : null;
    const { body, rows } = await buildChildrenExportFile(handle.db, crypto, data.plan, (written) => post({ type: 'progress', written }));
    const file = body.buffer as ArrayBuffer;
    post({ type: 'done', rows, file, threadId }, [file]);
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  } finally {
    await handle.close();
  }
}

if (parentPort) await run(parentPort, workerData as ExportWorkerData);
