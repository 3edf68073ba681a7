import { z } from 'zod';
import { AuditExportQuery, AuditPage, AuditQuery } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { requestLocale, type Api } from '../../core/http.js';
import { routesOf, sendXlsx } from '../../core/route.js';
import { exportAudit, searchAudit } from './audit.service.js';


export function auditRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['audit']);
  route.get('/api/audit', 'audit.read', { summary: 'Search the audit log (newest first)', query: AuditQuery, response: AuditPage }, ({ ctx, query }) => searchAudit(deps, ctx, query));
  route.get('/api/audit/export.xlsx', 'audit.read', { summary: 'The rows the same filters find, in words, as xlsx (the export is audited)', query: AuditExportQuery, response: z.unknown() }, async ({ ctx, query, req, reply }) => {
    const { fileName, stream, count } = await exportAudit(deps, ctx, query, requestLocale(req));
    return sendXlsx(reply, { fileName, body: stream, count });
  });
}
