import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CampaignDetail, CampaignPage, CampaignPreview, CampaignTaskPage, type CampaignInput } from '../../../../domain/visits/schema.js';
import { download, request } from '../../shared/api/client.js';

/** Everything about campaigns sits under one key: creating or closing one refreshes lists, pages and counts. */
const ROOT = 'campaigns';

export interface CampaignListFilters {
  status: 'open' | 'closed' | undefined;
  page: number;
  pageSize: number;
}

export function useCampaigns(filters: CampaignListFilters) {
  return useQuery({
    queryKey: [ROOT, 'list', filters],
    queryFn: () => request(CampaignPage, '/api/campaigns', { query: { ...filters } }),
    placeholderData: keepPreviousData,
  });
}

/** The campaign with progress per sub-region of `region` (default: the viewer's part of the campaign). */
export function useCampaign(id: string, region: string | undefined) {
  return useQuery({
    queryKey: [ROOT, 'detail', id, region ?? 'root'],
    queryFn: () => request(CampaignDetail, `/api/campaigns/${encodeURIComponent(id)}`, { query: { region } }),
    placeholderData: keepPreviousData,
  });
}

export interface CampaignTaskFilters {
  status: 'open' | 'done' | undefined;
  region: string | undefined;
  page: number;
  pageSize: number;
}

export function useCampaignTasks(id: string, filters: CampaignTaskFilters) {
  return useQuery({
    queryKey: [ROOT, 'tasks', id, filters],
    queryFn: () => request(CampaignTaskPage, `/api/campaigns/${encodeURIComponent(id)}/tasks`, { query: { ...filters } }),
    placeholderData: keepPreviousData,
  });
}

/** How many children a campaign over this region and these categories would give a task; off until a region is chosen. */
export function useCampaignPreview(regionCode: string | undefined, categories: readonly string[]) {
  return useQuery({
    queryKey: [ROOT, 'preview', regionCode ?? '', [...categories].sort().join(',')],
    queryFn: () => request(CampaignPreview, '/api/campaigns/preview', { query: { regionCode, categories: categories.join(',') } }),
    enabled: regionCode !== undefined,
  });
}

export function useCreateCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CampaignInput) => request(CampaignDetail, '/api/campaigns', { method: 'POST', body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ROOT] }),
  });
}

export function useCloseCampaign(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => request(CampaignDetail, `/api/campaigns/${encodeURIComponent(id)}/close`, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [ROOT] }),
  });
}

/** The summary and task list (xlsx) of what the viewer sees of the campaign, or of `region` below it. */
export function downloadCampaignExport(id: string, region: string | undefined): Promise<void> {
  return download(`/api/campaigns/${encodeURIComponent(id)}/export.xlsx`, 'campaign.xlsx', { region });
}
