import { z } from 'zod';
import { ChildExportFullInput, ChildExportQuery, ImportJobParams, ImportJobStatus, ImportQuery, ImportStarted } from '../../../domain/children/import.js';
import type { Deps } from '../../core/deps.js';
import { requestLocale, type Api } from '../../core/http.js';
import { readUpload, routesOf, sendXlsx } from '../../core/route.js';
import { MAX_IMPORT_BYTES, buildErrorReport, buildImportTemplate, exportChildren, getImportJob, startImport } from './children-import.service.js';
import { ImportJobs } from './import-jobs.js';
import { ExportJobInput, ExportJobParams, ExportJobStatus, ExportStarted } from '../../../domain/children/export.js';
import { exportJobsOf, getExportJob, startExportJob, takeExportFile } from './export-jobs.js';


export function childrenImportRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['children']);
  const jobs = new ImportJobs(undefined, deps.config.importBuilders);
  // Closing the server stops running imports: each rolls back and its job says so.
  app.addHook('onClose', () => jobs.stopAll());

  route.get('/api/children/import/template', 'child.import', { summary: 'The roster template (xlsx): columns, allowed values, one example row', response: z.unknown() }, async ({ ctx, reply }) =>
    sendXlsx(reply, { fileName: '儿童花名册导入模板.xlsx', body: await buildImportTemplate(deps, ctx) }),
  );

  // Multipart only here: the rest of the API takes JSON.
  route.upload(
    '/api/children/import',
    'child.import',
    { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6 },
    { summary: 'Upload a roster (multipart field "file", .xlsx ≤ 20 MB): 202 with a job to poll; dryRun=false writes all rows or none', query: ImportQuery, response: ImportStarted, status: 202 },
    async ({ ctx, query, req }) => startImport(deps, jobs, ctx, { ...(await readUpload(req, 'file', 'file_too_large')), dryRun: query.dryRun, locale: requestLocale(req) }),
  );

  route.get('/api/children/import/:jobId', 'child.import', { summary: 'Progress and result of an import (only its owner sees it)', params: ImportJobParams, response: ImportJobStatus }, ({ ctx, params }) => getImportJob(jobs, ctx, params.jobId));
  route.get('/api/children/import/:jobId/errors.xlsx', 'child.import', { summary: 'Row-by-row problems of a finished import (xlsx)', params: ImportJobParams, response: z.unknown() }, async ({ ctx, params, reply }) =>
    sendXlsx(reply, await buildErrorReport(jobs, ctx, params.jobId)),
  );
  route.get('/api/children/export', 'child.export', { summary: 'The filtered list in scope as xlsx (ID numbers masked, no phones; audited)', query: ChildExportQuery, response: z.unknown() }, async ({ ctx, query, req, reply }) => {
    const { fileName, stream, count } = await exportChildren(deps, ctx, query, requestLocale(req));
    return sendXlsx(reply, { fileName, body: stream, count });
  });
  // A POST: the reason travels in the body, never in an address that proxies and browsers keep.
  route.post(
    '/api/children/export/full',
    'child.reveal',
    { summary: 'The filtered list with full ID and phone numbers (who may reveal numbers and the export right; reason required, audited with the row count)', body: ChildExportFullInput, response: z.unknown() },
    async ({ ctx, body: { reason, ...query }, req, reply }) => {
      const { fileName, stream, count } = await exportChildren(deps, ctx, query, requestLocale(req), { reason });
      return sendXlsx(reply, { fileName, body: stream, count }, { 'cache-control': 'no-store' });
    },
  );

  // Export jobs (issue 13 point 4): the workbook is written beside the server while the page polls; then downloaded.
  const exportJobs = exportJobsOf(deps);
  app.addHook('onClose', () => exportJobs.close());
  route.post(
    '/api/children/export/jobs',
    'child.export',
    { summary: 'Start an export of the filtered list (xlsx) as a job to poll; `full` with a reason for full ID and phone numbers (who may reveal them; audited)', body: ExportJobInput, response: ExportStarted, status: 202 },
    ({ ctx, body, req }) => startExportJob(deps, exportJobs, ctx, body, requestLocale(req)),
  );
  route.get('/api/children/export/jobs/:jobId', 'child.export', { summary: 'Progress of an export job (only its owner sees it)', params: ExportJobParams, response: ExportJobStatus }, ({ ctx, params }) => getExportJob(exportJobs, ctx, params.jobId));
  route.get('/api/children/export/jobs/:jobId/file', 'child.export', { summary: 'The finished export (xlsx), for its owner; kept 15 minutes, a full-number file for one download', params: ExportJobParams, response: z.unknown() }, ({ ctx, params, reply }) => {
    const { fileName, body, rows } = takeExportFile(exportJobs, ctx, params.jobId);
    return sendXlsx(reply, { fileName, body, count: rows }, { 'cache-control': 'no-store' });
  });
}
