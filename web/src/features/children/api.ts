import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ChildDetail,
  ChildHistory,
  ChildPage,
  DuplicateCheckResult,
  RevealResult,
  SchoolChoices,
  type CATEGORIES,
  type CHILD_STATUSES,
  type CLOSE_REASONS,
  type ChildRegistration,
  type ChildUpdate,
  type RISK_LEVELS,
  type SCHOOL_STATUSES,
} from '../../../../domain/children/schema.js';
import { isApiError, postForm, request } from '../../shared/api/client.js';
import { orOffline } from '../../shared/offline/bridge.js';

export type ChildSortKey = 'name' | '-name' | 'birthDate' | '-birthDate' | 'updatedAt' | '-updatedAt';
export type ChildStatus = (typeof CHILD_STATUSES)[number];
export type ChildCategory = (typeof CATEGORIES)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];
export type CloseReason = (typeof CLOSE_REASONS)[number];
export type RevealField = 'idNumber' | 'father.idNumber' | 'mother.idNumber' | 'father.phone' | 'mother.phone' | 'caregiver.phone';

export interface ChildListFilters {
  q?: string;
  region?: string;
  category?: ChildCategory;
  risk?: RiskLevel;
  status?: ChildStatus;
  school?: SchoolStatus;
  ageMin?: number;
  ageMax?: number;
  agingOutWithinDays?: number;
  letters?: 'missing' | 'signed';
  sort: ChildSortKey;
  page: number;
  pageSize: number;
}

const childrenKey = ['children'] as const;
const childKey = (id: string) => ['children', 'detail', id] as const;

export function useChildren(filters: ChildListFilters, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['children', 'list', filters],
    queryFn: () => request(ChildPage, '/api/children', { query: { ...filters } }),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** Schools a pupil of this village may be linked to (their contact then makes vacation visits). */
export function useSchoolChoices(regionCode: string | undefined) {
  return useQuery({
    queryKey: ['children', 'schools', regionCode],
    queryFn: () => request(SchoolChoices, '/api/children/schools', { query: { regionCode: regionCode ?? '' } }),
    enabled: !!regionCode,
    staleTime: 5 * 60_000,
  });
}

/** How many files wait for a decision (registrations or closures): the list's total with one row. */
export function useChildCount(status: ChildStatus, enabled: boolean) {
  return useQuery({
    queryKey: ['children', 'count', status],
    queryFn: async () => (await request(ChildPage, '/api/children', { query: { status, pageSize: 1 } })).total,
    enabled,
  });
}

export function useChild(id: string | undefined) {
  return useQuery({
    queryKey: childKey(id ?? ''),
    // Without a signal, the file as the phone kept it (issue 15: a director's village is on his phone).
    queryFn: () => orOffline(request(ChildDetail, `/api/children/${encodeURIComponent(id ?? '')}`), (kept) => kept.child(id ?? '')),
    enabled: id !== undefined,
  });
}

export function useChildHistory(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['children', 'history', id],
    queryFn: () => request(ChildHistory, `/api/children/${encodeURIComponent(id)}/history`),
    enabled,
  });
}

/** Every answer that changes a file refreshes the lists, counts, the file and its history. */
function useChildMutation<I>(run: (input: I) => Promise<ChildDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (child) => {
      queryClient.setQueryData(childKey(child.id), child);
      void queryClient.invalidateQueries({ queryKey: childrenKey, predicate: (query) => query.queryKey[1] !== 'detail' || query.queryKey[2] !== child.id });
    },
  });
}

export function useRegisterChild() {
  return useChildMutation((input: ChildRegistration) => request(ChildDetail, '/api/children', { method: 'POST', body: input }));
}

export function useUpdateChild(id: string) {
  return useChildMutation((input: ChildUpdate) => request(ChildDetail, `/api/children/${encodeURIComponent(id)}`, { method: 'PUT', body: input }));
}

/** Sets the photo (JPEG, PNG or WebP; the server strips the location and keeps the old one as history). */
export function useSetChildPhoto() {
  return useChildMutation(({ id, file }: { id: string; file: File }) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return postForm(ChildDetail, `/api/children/${encodeURIComponent(id)}/photo`, form);
  });
}

export function useRemoveChildPhoto() {
  return useChildMutation((id: string) => request(ChildDetail, `/api/children/${encodeURIComponent(id)}/photo`, { method: 'DELETE' }));
}

export type ChildTransition = 'approve' | 'return' | 'approve-closure' | 'reject-closure';

export function useChildTransition() {
  return useChildMutation(({ id, action, comment }: { id: string; action: ChildTransition; comment?: string | null }) =>
    request(ChildDetail, `/api/children/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: { comment: comment ?? null } }),
  );
}

export function useCloseChild() {
  return useChildMutation(({ id, reason, note }: { id: string; reason: CloseReason; note: string | null }) =>
    request(ChildDetail, `/api/children/${encodeURIComponent(id)}/close`, { method: 'POST', body: { reason, note } }),
  );
}

export function useTransferChild() {
  return useChildMutation(({ id, regionCode, note }: { id: string; regionCode: string; note: string | null }) =>
    request(ChildDetail, `/api/children/${encodeURIComponent(id)}/transfer`, { method: 'POST', body: { regionCode, note } }),
  );
}

export function useOverrideCategory() {
  return useChildMutation(({ id, category, value, reason }: { id: string; category: ChildCategory; value: boolean | null; reason: string }) =>
    request(ChildDetail, `/api/children/${encodeURIComponent(id)}/categories`, { method: 'POST', body: { category, value, reason } }),
  );
}

/** One protected number in clear; the server records the reveal in the audit log. */
export function revealChildField(id: string, field: RevealField): Promise<string | null> {
  return request(RevealResult, `/api/children/${encodeURIComponent(id)}/reveal`, { method: 'POST', body: { field } }).then((r) => r.value);
}

export function useRevealChildField() {
  return useMutation({ mutationFn: ({ id, field }: { id: string; field: RevealField }) => revealChildField(id, field) });
}

/** What a 409 DUPLICATE or DUPLICATE_ELSEWHERE answer says (possible duplicates in scope; a same ID number elsewhere), or null for any other error. */
export function duplicateFindings(error: unknown): DuplicateCheckResult | null {
  if (!isApiError(error) || (error.code !== 'DUPLICATE' && error.code !== 'DUPLICATE_ELSEWHERE' && error.code !== 'DUPLICATE_ID')) return null;
  const parsed = DuplicateCheckResult.safeParse(error.data);
  return parsed.success ? parsed.data : { candidates: [], elsewhere: null };
}
