import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { OrganisationPage, OrganisationRecord } from '../../../../domain/api.js';
import type { OrganisationInput } from '../../../../domain/api.js';
import type { OrganisationKind } from '../../../../domain/roles.js';
import { request } from '../../shared/api/client.js';

export interface OrganisationListFilters {
  q?: string;
  kind?: OrganisationKind;
  page: number;
  pageSize: number;
}

export function useOrganisations(filters: OrganisationListFilters, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['organisations', 'list', filters],
    queryFn: () => request(OrganisationPage, '/api/organisations', { query: { ...filters } }),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useCreateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OrganisationInput) => request(OrganisationRecord, '/api/organisations', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['organisations'] }),
  });
}
