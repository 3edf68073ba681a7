import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ImportJobStatus, ImportStarted } from '../../../../domain/children/import.js';
import { ApiError, download, postForm, request } from '../../shared/api/client.js';

const POLL_MS = 500;

/** Uploads a roster; the answer is a job to poll. */
export function useStartImport() {
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return postForm(ImportStarted, '/api/children/import', form, { dryRun: String(dryRun) });
    },
  });
}

/** The job is gone: the server restarted (jobs live in its memory), and an import it was running wrote nothing. */
export const isLostJob = (error: unknown) => error instanceof ApiError && error.status === 404;

/** The job's progress, polled every ~500 ms until it is done or failed (or gone). */
export function useImportJob(jobId: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['children', 'import', jobId],
    queryFn: async () => {
      const status = await request(ImportJobStatus, `/api/children/import/${encodeURIComponent(jobId ?? '')}`);
      // A committed import changes the lists and counts.
      if (status.state === 'done' && status.result?.committed) void queryClient.invalidateQueries({ queryKey: ['children', 'list'] });
      return status;
    },
    enabled: jobId !== null,
    refetchInterval: (query) => ((query.state.data && query.state.data.state !== 'running') || isLostJob(query.state.error) ? false : POLL_MS),
    retry: (failures, error) => !isLostJob(error) && failures < 3,
    staleTime: Infinity,
  });
}

export function downloadImportTemplate(): Promise<void> {
  return download('/api/children/import/template', 'template.xlsx');
}

export function downloadImportErrors(jobId: string): Promise<void> {
  return download(`/api/children/import/${encodeURIComponent(jobId)}/errors.xlsx`, 'errors.xlsx');
}
