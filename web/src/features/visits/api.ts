/**
 * Visits, risk and the child's timeline (DESIGN §4): TanStack Query hooks over
 * the shared contract in domain/visits/schema.ts.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ChildDetail, FileRef } from '../../../../domain/children/schema.js';
import { CampaignTaskDetail, ChildTimeline, PupilFacets, PupilPage, RecordedVisit, RiskOverrideInput, ScheduleSettingsSchema, VisitPage, VisitRecord, type VisitCorrection, type VisitInput } from '../../../../domain/visits/schema.js';
import { postForm, request } from '../../shared/api/client.js';
import { orOffline } from '../../shared/offline/bridge.js';

/** The visit intervals and the due-soon window, so that the page states due dates exactly as the server does. */
export function useScheduleSettings() {
  return useQuery({ queryKey: ['settings', 'visit-schedule'], queryFn: () => orOffline(request(ScheduleSettingsSchema, '/api/settings/visit-schedule'), (kept) => kept.scheduleSettings()), staleTime: 10 * 60_000 });
}

const visitsKey = (childId: string) => ['visits', 'child', childId] as const;
const visitKey = (id: string) => ['visits', 'detail', id] as const;
const timelineKey = (childId: string) => ['visits', 'timeline', childId] as const;

const childPath = (childId: string) => `/api/children/${encodeURIComponent(childId)}`;

export function useChildVisits(childId: string, page: number, pageSize = 20) {
  return useQuery({
    queryKey: [...visitsKey(childId), page, pageSize],
    queryFn: () => orOffline(request(VisitPage, `${childPath(childId)}/visits`, { query: { page, pageSize } }), (kept) => kept.childVisits(childId, page, pageSize)),
    placeholderData: keepPreviousData,
  });
}

export function useVisit(id: string | undefined) {
  return useQuery({
    queryKey: visitKey(id ?? ''),
    queryFn: () => request(VisitRecord, `/api/visits/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
  });
}

export function useChildTimeline(childId: string, enabled: boolean) {
  return useQuery({
    queryKey: timelineKey(childId),
    queryFn: () => request(ChildTimeline, `${childPath(childId)}/timeline`),
    enabled,
  });
}

/** A visit moves the child's schedule, risk, lists and timeline: everything about the child is refetched. */
function useRefreshAfterVisit() {
  const queryClient = useQueryClient();
  return (visit: VisitRecord) => {
    queryClient.setQueryData(visitKey(visit.id), visit);
    void queryClient.invalidateQueries({ queryKey: ['visits'], predicate: (query) => query.queryKey[1] !== 'detail' || query.queryKey[2] !== visit.id });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
    void queryClient.invalidateQueries({ queryKey: ['worklist'] });
    void queryClient.invalidateQueries({ queryKey: ['pupils'] });
  };
}

export function useRecordVisit(childId: string) {
  const refresh = useRefreshAfterVisit();
  return useMutation({
    mutationFn: (input: VisitInput) => request(RecordedVisit, `${childPath(childId)}/visits`, { method: 'POST', body: input }),
    onSuccess: refresh,
  });
}

export function useCorrectVisit(id: string) {
  const refresh = useRefreshAfterVisit();
  return useMutation({
    mutationFn: (input: VisitCorrection) => request(RecordedVisit, `/api/visits/${encodeURIComponent(id)}`, { method: 'PUT', body: input }),
    onSuccess: refresh,
  });
}

/** Uploads one visit photo at once (the visit is saved later with its id); the server drops the location unless asked to keep it. */
export function uploadVisitPhoto(childId: string, file: File, keepLocation: boolean): Promise<FileRef> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postForm(FileRef, `${childPath(childId)}/visit-photos`, form, keepLocation ? { keepLocation: 'true' } : undefined);
}

/** Sets the child's risk level by hand (level null goes back to the derived one); the answer is the file with its new schedule. */
export function useOverrideRisk(childId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof RiskOverrideInput>) => request(ChildDetail, `${childPath(childId)}/risk`, { method: 'POST', body: input }),
    onSuccess: (child) => {
      queryClient.setQueryData(['children', 'detail', child.id], child);
      void queryClient.invalidateQueries({ queryKey: ['children'], predicate: (query) => query.queryKey[1] !== 'detail' || query.queryKey[2] !== child.id });
      void queryClient.invalidateQueries({ queryKey: timelineKey(childId) });
      void queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
}

// ---------------------------------------------------------------- key verification (重点核查)

export type CampaignTask = CampaignTaskDetail;

export function useCampaignTask(taskId: string | null) {
  return useQuery({
    queryKey: ['campaign-tasks', taskId ?? ''],
    queryFn: () => request(CampaignTaskDetail, `/api/campaign-tasks/${encodeURIComponent(taskId ?? '')}`),
    enabled: taskId !== null,
  });
}

// ---------------------------------------------------------------- school contacts' pupils (学校联络人)

export type PupilFilters = {
  q?: string;
  grade?: string;
  class?: string;
  notVisited?: 'true';
  page: number;
  pageSize: number;
};

export function usePupils(query: PupilFilters) {
  return useQuery({
    queryKey: ['pupils', 'list', query],
    queryFn: () => request(PupilPage, '/api/pupils', { query }),
    placeholderData: keepPreviousData,
  });
}

/** The current vacation window and the grades and classes of the school's pupils (of one grade when given). */
export function usePupilFacets(grade: string | undefined) {
  return useQuery({
    queryKey: ['pupils', 'facets', grade ?? ''],
    queryFn: () => request(PupilFacets, '/api/pupils/facets', { query: { grade } }),
    placeholderData: keepPreviousData,
  });
}

const pupilVisitKey = (id: string) => ['pupils', 'visit', id] as const;

/** A school contact's own vacation visit, to correct it. */
export function usePupilVisit(id: string) {
  return useQuery({ queryKey: pupilVisitKey(id), queryFn: () => request(VisitRecord, `/api/pupils/visits/${encodeURIComponent(id)}`) });
}

/** A school contact's correction of his own vacation visit (24 hours), with the version it started from. */
export function useCorrectPupilVisit(id: string) {
  const refresh = useRefreshAfterVisit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: VisitCorrection) => request(RecordedVisit, `/api/pupils/visits/${encodeURIComponent(id)}`, { method: 'PUT', body: input }),
    onSuccess: (visit) => {
      queryClient.setQueryData(pupilVisitKey(id), visit);
      refresh(visit);
    },
  });
}

export function useRecordPupilVisit(pupilId: string) {
  const refresh = useRefreshAfterVisit();
  return useMutation({
    mutationFn: (input: VisitInput) => request(RecordedVisit, `/api/pupils/${encodeURIComponent(pupilId)}/visits`, { method: 'POST', body: input }),
    onSuccess: refresh,
  });
}
