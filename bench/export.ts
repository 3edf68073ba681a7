/**
 * The children export timed as a user does it (issue 13 point 4): the admin
 * of the largest county starts an export job of the county's whole list, the
 * page polls its progress, then downloads the file — through the real app
 * (buildApp + app.inject) over the cached bench database, the job written in
 * a worker thread with its own connection as the server runs it. Time: from
 * the POST to the file received. The first run also starts the worker (kept
 * warm for the next).
 *
 * Floor: the same list through the old streaming endpoint (GET
 * /api/children/export), written in the server's thread — what a job costs
 * beside doing the work where the requests are answered.
 *
 * An export writes nothing but its audit row (and the sign-in's), so it runs
 * in the cached file itself.
 *
 * `npx tsx bench/export.ts [--children N] [--runs R]` runs it alone.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExportJobStatus } from '../domain/children/export.js';
import { buildApp } from '../server/app.js';
import { prepareDatabase } from '../server/bootstrap.js';
import { systemClock } from '../server/core/clock.js';
import { loadConfig } from '../server/core/config.js';
import { createFieldCrypto, type FieldCrypto } from '../server/core/crypto.js';
import type { Deps } from '../server/core/deps.js';
import { openDatabase, workerConnectionOptions } from '../server/db/database.js';
import { benchFiles, benchKey, DATA_DIR, ensureDatabase } from './generate.js';
import type { Row } from './row.js';

const DEMO_PASSWORD = 'demo1234';
/** How often the bench asks for the job's progress (the page asks every 500 ms; a finer poll measures the job, not the poll). */
const POLL_MS = 20;


const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function benchExport(opts: { children: number; crypto: FieldCrypto; runs: number; log: (s: string) => void }): Promise<Row> {
  const { log } = opts;
  const meta = await ensureDatabase(opts.children, log);
  const county = meta.counties[0]!.code;
  const handle = openDatabase({ sqliteFile: benchFiles(opts.children).db });
  const deps: Deps = {
    db: handle.db,
    dialect: 'sqlite',
    clock: systemClock,
    config: { ...loadConfig({}), demo: true, dataDir: DATA_DIR, logLevel: 'silent' },
    crypto: opts.crypto,
    workerDb: workerConnectionOptions(handle),
  };
  await prepareDatabase(deps, { demoChildren: false });
  const app = await buildApp(deps, { webRoot: null, logger: false });
  await app.ready();
  try {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `county-${county}`, password: DEMO_PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.statusCode} ${login.body}`);
    const session = login.cookies.find((c) => c.name === 'shouhu_session')!;
    const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;
    const headers = { cookie: `shouhu_session=${session.value}`, 'x-csrf-token': csrf };

    const jobs: number[] = [];
    const streams: number[] = [];
    const polls: number[] = [];
    let rows = 0;
    for (let run = 0; run < opts.runs; run++) {
      const t0 = performance.now();
      const started = await app.inject({ method: 'POST', url: '/api/children/export/jobs', payload: {}, headers });
      if (started.statusCode !== 202) throw new Error(`export job: ${started.statusCode} ${started.body.slice(0, 300)}`);
      const { jobId } = JSON.parse(started.body) as { jobId: string };
      let status: ExportJobStatus;
      let pollCount = 0;
      for (;;) {
        const res = await app.inject({ method: 'GET', url: `/api/children/export/jobs/${jobId}`, headers });
        status = JSON.parse(res.body) as ExportJobStatus;
        pollCount++;
        if (status.state !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (status.state !== 'done') throw new Error(`export job failed: ${JSON.stringify(status.error)}`);
      const file = await app.inject({ method: 'GET', url: `/api/children/export/jobs/${jobId}/file`, headers });
      if (file.statusCode !== 200) throw new Error(`export file: ${file.statusCode}`);
      const jobMs = performance.now() - t0;
      rows = Number(file.headers['x-total-count']);

      const s0 = performance.now();
      const streamed = await app.inject({ method: 'GET', url: '/api/children/export', headers });
      if (streamed.statusCode !== 200) throw new Error(`streamed export: ${streamed.statusCode}`);
      const streamMs = performance.now() - s0;
      if (Number(streamed.headers['x-total-count']) !== rows) throw new Error(`the job wrote ${rows} rows, the stream ${String(streamed.headers['x-total-count'])}`);
      jobs.push(jobMs);
      streams.push(streamMs);
      polls.push(pollCount);
      log(
        `  export run ${run + 1}: job ${(jobMs / 1000).toFixed(2)} s (${Math.round(rows / (jobMs / 1000)).toLocaleString('en')} rows/s, ${pollCount} polls, ${(file.rawPayload.length / 1e6).toFixed(1)} MB); ` +
          `streamed in the server's thread ${(streamMs / 1000).toFixed(2)} s`,
      );
    }
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const job = sorted(jobs);
    const stream = sorted(streams);
    const p50 = percentile(job, 0.5);
    const p95 = percentile(job, 0.95);
    const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
    return {
      name: `export county list (${rows.toLocaleString('en')} rows)`,
      n: job.length,
      p50_ms: round(p50),
      p95_ms: round(p95),
      floor_p95_ms: round(percentile(stream, 0.95), 1),
      ratio: round(p95 / percentile(stream, 0.95)),
      target_p95_ms: null,
      ok: null,
      note:
        `${rate(p50)} rows/s at p50 (${rate(p95)} at p95); county-${county}, job in a worker thread, POST to file received (first run includes the worker's start: ${(jobs[0]! / 1000).toFixed(2)} s); ` +
        `floor = the same list streamed by GET /api/children/export in the server's thread (p50 ${round(percentile(stream, 0.5))} ms)`,
    };
  } finally {
    await app.close();
    await handle.close();
  }
}

// ------------------------------------------------------------------ alone

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const value = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1]! : fallback;
  };
  const row = await benchExport({
    children: Number(value('--children', '100000').replaceAll('_', '')),
    crypto: createFieldCrypto(benchKey()),
    runs: Number(value('--runs', '3')),
    log: (s) => console.log(s),
  });
  console.log(JSON.stringify(row));
}
