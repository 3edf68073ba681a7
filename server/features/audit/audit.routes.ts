import { z } from 'zod';
import { AuditExportQuery, AuditPage, AuditQuery } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, requestLocale, type Api } from '../../core/http.js';
import { exportAudit, searchAudit } from './audit.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function auditRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/audit',
    { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: 'Search the audit log (newest first)', querystring: AuditQuery, response: { 200: AuditPage } } },
    (req) => searchAudit(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/audit/export.xlsx',
    { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: 'The rows the same filters find, in words, as xlsx (the export is audited)', querystring: AuditExportQuery, response: { 200: z.unknown() } } },
    async (req, reply) => {
      const { fileName, stream, count } = await exportAudit(deps, contextOf(req), req.query, requestLocale(req));
      return reply.header('content-type', XLSX).header('content-disposition', attachment(fileName)).header('x-total-count', String(count)).send(stream);
    },
  );
}
