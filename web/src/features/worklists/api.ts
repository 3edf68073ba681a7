import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { WorklistCounts, WorklistPage, type WorklistKind } from '../../../../domain/visits/schema.js';
import { request } from '../../shared/api/client.js';

export interface WorklistFilters {
  kind: WorklistKind;
  region: string | undefined;
  page: number;
  pageSize: number;
}

/** Saving a visit invalidates every query under 'worklist' (api/visits.ts). */
export function useWorklistCounts(region: string | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['worklist', 'counts', region ?? 'scope'],
    queryFn: () => request(WorklistCounts, '/api/worklists/counts', { query: { region } }),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useWorklist(filters: WorklistFilters, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['worklist', 'list', filters],
    queryFn: () => request(WorklistPage, '/api/worklists', { query: { ...filters } }),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}
