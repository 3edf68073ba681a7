import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AuditPage } from '../../../../domain/api.js';
import { download, request } from '../../shared/api/client.js';

export interface AuditFilters {
  q?: string | undefined;
  action?: string | undefined;
  /** A day (YYYY-MM-DD) in China time: the server reads it so. */
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

export function useAudit(filters: AuditFilters) {
  return useQuery({
    queryKey: ['audit', filters],
    queryFn: () => request(AuditPage, '/api/audit', { query: { ...filters } }),
    placeholderData: keepPreviousData,
  });
}

/** The rows the same filters find, as xlsx (the server audits the export). */
export function downloadAudit(filters: Omit<AuditFilters, 'page' | 'pageSize'>): Promise<void> {
  return download('/api/audit/export.xlsx', 'audit-log.xlsx', { q: filters.q, action: filters.action, from: filters.from, to: filters.to });
}
