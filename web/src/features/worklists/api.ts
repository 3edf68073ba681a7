import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { WORKLIST_KINDS, WorklistCounts, WorklistPage, type WorklistKind } from '../../../../domain/visits/schema.js';
import { request } from '../../shared/api/client.js';
import { orOffline } from '../../shared/offline/bridge.js';

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
    // Without a signal, counted from the phone's copy of the village (a narrower region asked for: none kept).
    queryFn: () => orOffline(request(WorklistCounts, '/api/worklists/counts', { query: { region } }), (kept) => (region ? Promise.resolve(null) : kept.worklistCounts(WORKLIST_KINDS))),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useWorklist(filters: WorklistFilters, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['worklist', 'list', filters],
    queryFn: () => orOffline(request(WorklistPage, '/api/worklists', { query: { ...filters } }), (kept) => (filters.region ? Promise.resolve(null) : kept.worklist(filters.kind, filters.page, filters.pageSize))),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}
