import { useMutation, useQuery } from '@tanstack/react-query';
import { ExportJobStatus, ExportStarted } from '../../../../domain/children/export.js';
import type { ChildListFilters } from '../children/api.js';
import { download, request } from '../../shared/api/client.js';

const POLL_MS = 500;

/**
 * Starts an export of the list's current filters (without paging: every match in scope) as a job on the server.
 * With `reason`, the full ID and phone numbers (导出完整身份证号和电话), for a user who may reveal them: the reason goes
 * into the export's audit row.
 */
export function useStartExport() {
  return useMutation({
    mutationFn: ({ filters, reason }: { filters: ChildListFilters; reason?: string | undefined }) => {
      const { page: _page, pageSize: _pageSize, ...query } = filters;
      return request(ExportStarted, '/api/children/export/jobs', { method: 'POST', body: { ...query, ...(reason !== undefined ? { full: { reason } } : {}) } });
    },
  });
}

/** The job's progress, polled every ~500 ms until it is done or failed. */
export function useExportJob(jobId: string | null) {
  return useQuery({
    queryKey: ['children', 'export', jobId],
    queryFn: () => request(ExportJobStatus, `/api/children/export/jobs/${encodeURIComponent(jobId ?? '')}`),
    enabled: jobId !== null,
    refetchInterval: (query) => (query.state.data && query.state.data.state !== 'running' ? false : POLL_MS),
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** The finished file (a full-number file can be downloaded once). */
export function downloadExportFile(jobId: string): Promise<void> {
  return download(`/api/children/export/jobs/${encodeURIComponent(jobId)}/file`, 'children.xlsx');
}
