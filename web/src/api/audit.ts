import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AuditPage } from '../../../domain/api.js';
import { request } from './client.js';

export interface AuditFilters {
  q?: string;
  action?: string;
  from?: string;
  to?: string;
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
