import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChildExportFullInput, ChildExportQuery, ImportJobParams, ImportJobStatus, ImportQuery, ImportStarted } from '../../../domain/children/import.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { contextOf, requestLocale, type Api } from '../../core/http.js';
import { MAX_IMPORT_BYTES, buildErrorReport, buildImportTemplate, exportChildren, getImportJob, startImport } from './children-import.service.js';
import { ImportJobs } from './import-jobs.js';
import { ExportJobInput, ExportJobParams, ExportJobStatus, ExportStarted } from '../../../domain/children/export.js';
import { exportJobsOf, getExportJob, startExportJob, takeExportFile } from './export-jobs.js';

const tags = ['children'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function childrenImportRoutes(app: Api, deps: Deps): void {
  const jobs = new ImportJobs(undefined, deps.config.importBuilders);
  // Closing the server stops running imports: each rolls back and its job says so.
  app.addHook('onClose', () => jobs.stopAll());

  app.get(
    '/api/children/import/template',
    { config: { access: 'child.import' }, schema: { tags, summary: 'The roster template (xlsx): columns, allowed values, one example row', response: { 200: z.unknown() } } },
    async (req, reply) => {
      const body = await buildImportTemplate(deps, contextOf(req));
      return reply.header('content-type', XLSX).header('content-disposition', attachment('儿童花名册导入模板.xlsx')).send(body);
    },
  );

  // Multipart only here: the rest of the API takes JSON.
  void app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/children/import',
      {
        config: { access: 'child.import' },
        schema: {
          tags,
          summary: 'Upload a roster (multipart field "file", .xlsx ≤ 20 MB): 202 with a job to poll; dryRun=false writes all rows or none',
          querystring: ImportQuery,
          response: { 202: ImportStarted },
        },
      },
      async (req, reply) => {
        const ctx = contextOf(req);
        let file: { fileName: string; buffer: Buffer } | null = null;
        try {
          const part = await req.file();
          if (part) file = { fileName: part.filename, buffer: await part.toBuffer() };
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('VALIDATION', { field: 'file', reason: 'file_too_large' });
          if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new AppError('VALIDATION', { field: 'file', reason: 'file_required' });
          throw err;
        }
        if (!file) throw new AppError('VALIDATION', { field: 'file', reason: 'file_required' });
        const started = startImport(deps, jobs, ctx, { ...file, dryRun: req.query.dryRun, locale: requestLocale(req) });
        return reply.status(202).send(started);
      },
    );
  });

  app.get(
    '/api/children/import/:jobId',
    { config: { access: 'child.import' }, schema: { tags, summary: 'Progress and result of an import (only its owner sees it)', params: ImportJobParams, response: { 200: ImportJobStatus } } },
    (req) => getImportJob(jobs, contextOf(req), req.params.jobId),
  );
  app.get(
    '/api/children/import/:jobId/errors.xlsx',
    { config: { access: 'child.import' }, schema: { tags, summary: 'Row-by-row problems of a finished import (xlsx)', params: ImportJobParams, response: { 200: z.unknown() } } },
    async (req, reply) => {
      const report = await buildErrorReport(jobs, contextOf(req), req.params.jobId);
      return reply.header('content-type', XLSX).header('content-disposition', attachment(report.fileName)).send(report.body);
    },
  );
  app.get(
    '/api/children/export',
    { config: { access: 'child.export' }, schema: { tags, summary: 'The filtered list in scope as xlsx (ID numbers masked, no phones; audited)', querystring: ChildExportQuery, response: { 200: z.unknown() } } },
    async (req, reply) => {
      const { fileName, stream, count } = await exportChildren(deps, contextOf(req), req.query, requestLocale(req));
      return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).header('x-total-count', String(count)).send(stream);
    },
  );
  // A POST: the reason travels in the body, never in an address that proxies and browsers keep.
  app.post(
    '/api/children/export/full',
    {
      config: { access: 'child.reveal' },
      schema: {
        tags,
        summary: 'The filtered list with full ID and phone numbers (who may reveal numbers and the export right; reason required, audited with the row count)',
        body: ChildExportFullInput,
        response: { 200: z.unknown() },
      },
    },
    async (req, reply) => {
      const { reason, ...query } = req.body;
      const { fileName, stream, count } = await exportChildren(deps, contextOf(req), query, requestLocale(req), { reason });
      return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).header('x-total-count', String(count)).header('cache-control', 'no-store').send(stream);
    },
  );

  // Export jobs (issue 13 point 4): the workbook is written beside the server while the page polls; then downloaded.
  const exportJobs = exportJobsOf(deps);
  app.addHook('onClose', () => exportJobs.close());
  app.post(
    '/api/children/export/jobs',
    {
      config: { access: 'child.export' },
      schema: {
        tags,
        summary: 'Start an export of the filtered list (xlsx) as a job to poll; `full` with a reason for full ID and phone numbers (who may reveal them; audited)',
        body: ExportJobInput,
        response: { 202: ExportStarted },
      },
    },
    async (req, reply) => reply.status(202).send(await startExportJob(deps, exportJobs, contextOf(req), req.body, requestLocale(req))),
  );
  app.get(
    '/api/children/export/jobs/:jobId',
    { config: { access: 'child.export' }, schema: { tags, summary: 'Progress of an export job (only its owner sees it)', params: ExportJobParams, response: { 200: ExportJobStatus } } },
    (req) => getExportJob(exportJobs, contextOf(req), req.params.jobId),
  );
  app.get(
    '/api/children/export/jobs/:jobId/file',
    {
      config: { access: 'child.export' },
      schema: { tags, summary: 'The finished export (xlsx), for its owner; kept 15 minutes, a full-number file for one download', params: ExportJobParams, response: { 200: z.unknown() } },
    },
    (req, reply) => {
      const { fileName, body, rows } = takeExportFile(exportJobs, contextOf(req), req.params.jobId);
      return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).header('x-total-count', String(rows)).header('cache-control', 'no-store').send(body);
    },
  );
}
