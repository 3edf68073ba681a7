import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CoverageGapPage, CoverageReport } from '../../../../domain/api.js';
import { request } from '../../shared/api/client.js';

export type CoverageGapKind = 'villages-without-director' | 'townships-without-supervisor';

export function useCoverage(region: string | undefined) {
  return useQuery({
    queryKey: ['coverage', region ?? 'root'],
    queryFn: () => request(CoverageReport, '/api/coverage', { query: { region } }),
    placeholderData: keepPreviousData,
  });
}

export interface CoverageGapQuery {
  kind: CoverageGapKind;
  region: string | undefined;
  page: number;
  pageSize: number;
}

export function useCoverageGaps(query: CoverageGapQuery) {
  return useQuery({
    queryKey: ['coverage', 'gaps', query],
    queryFn: () => request(CoverageGapPage, '/api/coverage/gaps', { query: { ...query } }),
    placeholderData: keepPreviousData,
  });
}
