import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { CategorySettingsSchema } from '../../../domain/children/schema.js';
import type { CategorySettings } from '../../../domain/children/facts.js';
import { request } from './client.js';

export const categorySettingsKey = ['settings', 'categories'] as const;

function fetchCategorySettings(): Promise<CategorySettings> {
  return request(CategorySettingsSchema, '/api/settings/categories');
}

/** The thresholds of the category rules (留守 / 事实无人抚养). */
export function useCategorySettings() {
  return useQuery({ queryKey: categorySettingsKey, queryFn: fetchCategorySettings });
}

/** The thresholds as stored right now, bypassing the cache (to notice a change made by someone else). */
export function fetchLatestCategorySettings(queryClient: QueryClient): Promise<CategorySettings> {
  return queryClient.fetchQuery({ queryKey: categorySettingsKey, queryFn: fetchCategorySettings, staleTime: 0 });
}

/** Saves the thresholds; the server then re-derives every open file in the background. */
export function useUpdateCategorySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CategorySettings) => request(CategorySettingsSchema, '/api/settings/categories', { method: 'PUT', body: input }),
    onSuccess: (saved) => queryClient.setQueryData(categorySettingsKey, saved),
  });
}
