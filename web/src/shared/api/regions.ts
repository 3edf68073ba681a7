import { useQuery, type QueryClient } from '@tanstack/react-query';
import { RegionChildren, RegionDetail, RegionSearchResult } from '../../../../domain/api.js';
import { request } from './client.js';

const REGIONS_STALE_MS = 5 * 60_000; // the hierarchy changes once a year

export function regionChildrenKey(parent: string | undefined) {
  return ['regions', 'children', parent ?? 'root'] as const;
}

/** Children of `parent`, or — without a parent — the actor's scope root and its children. */
export function fetchRegionChildren(queryClient: QueryClient, parent?: string): Promise<RegionChildren> {
  return queryClient.fetchQuery({
    queryKey: regionChildrenKey(parent),
    queryFn: () => request(RegionChildren, '/api/regions', { query: { parent } }),
    staleTime: REGIONS_STALE_MS,
  });
}

export function useRegionChildren(parent?: string) {
  return useQuery({
    queryKey: regionChildrenKey(parent),
    queryFn: () => request(RegionChildren, '/api/regions', { query: { parent } }),
    staleTime: REGIONS_STALE_MS,
  });
}

export function useRegionDetail(code: string | undefined) {
  return useQuery({
    queryKey: ['regions', 'detail', code],
    queryFn: () => request(RegionDetail, `/api/regions/${encodeURIComponent(code ?? '')}`),
    enabled: code !== undefined,
    staleTime: 60_000,
  });
}

export function useRegionSearch(q: string, limit = 20) {
  const term = q.trim();
  return useQuery({
    queryKey: ['regions', 'search', term, limit],
    queryFn: () => request(RegionSearchResult, '/api/regions/search', { query: { q: term, limit } }),
    enabled: term.length > 0,
    staleTime: REGIONS_STALE_MS,
  });
}
