import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { CategorySettingsSchema } from '../../../../domain/children/schema.js';
import type { CategorySettings } from '../../../../domain/children/facts.js';
import { ScheduleSettingsSchema } from '../../../../domain/visits/schema.js';
import type { ScheduleSettings } from '../../../../domain/visits/schedule.js';
import { request } from '../../shared/api/client.js';

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

export const scheduleSettingsKey = ['settings', 'visit-schedule'] as const;

function fetchScheduleSettings(): Promise<ScheduleSettings> {
  return request(ScheduleSettingsSchema, '/api/settings/visit-schedule');
}

/** The visit intervals as stored right now, bypassing the cache (to notice a change made by someone else). */
export function fetchLatestScheduleSettings(queryClient: QueryClient): Promise<ScheduleSettings> {
  return queryClient.fetchQuery({ queryKey: scheduleSettingsKey, queryFn: fetchScheduleSettings, staleTime: 0 });
}

/** Saves the visit intervals; the server then recomputes every open file's due date in the background. */
export function useUpdateScheduleSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ScheduleSettings) => request(ScheduleSettingsSchema, '/api/settings/visit-schedule', { method: 'PUT', body: input }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(scheduleSettingsKey, saved);
      // Due dates move: lists, work lists and child pages read them again.
      await queryClient.invalidateQueries({ queryKey: ['children'] });
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
}
