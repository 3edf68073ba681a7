/**
 * A worker thread that refreshes the planner statistics on its own connection
 * (statistics.ts, refreshPlannerStatisticsInWorker): the first analysis of a
 * large file takes seconds, which the server's thread must not spend.
 */
import { workerData } from 'node:worker_threads';
import { openDatabase, type DatabaseOptions } from './database.js';
import { refreshPlannerStatistics } from './statistics.js';

const handle = openDatabase(workerData as DatabaseOptions);
try {
  await refreshPlannerStatistics(handle.db, handle.dialect, 'start');
} finally {
  await handle.close();
}
