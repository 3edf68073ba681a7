import { AuditPage, AuditQuery } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { searchAudit } from './audit.service.js';

export function auditRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/audit',
    { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: 'Search the audit log (newest first)', querystring: AuditQuery, response: { 200: AuditPage } } },
    (req) => searchAudit(deps, contextOf(req), req.query),
  );
}
