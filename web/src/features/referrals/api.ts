import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  InboxPage,
  InboxReferral,
  ReferralAttachment,
  ReferralOrganisations,
  ReferralPage,
  ReferralRecord,
  type ReferralCompleteInput,
  type ReferralDeclineInput,
  type ReferralInput,
  type ReferralNoteInput,
  type ReferralWorkInput,
} from '../../../../domain/referrals/schema.js';
import type { ReferralState } from '../../../../domain/referrals/rules.js';
import { download, postForm, request } from '../../shared/api/client.js';

/** Referrals, the agency inbox, the child (its timeline) refresh together after any transition. */
const ROOT = 'referrals';


const childPath = (childId: string) => `/api/children/${encodeURIComponent(childId)}`;
const inboxPath = (id: string) => `/api/inbox/referrals/${encodeURIComponent(id)}`;

export interface ReferralListFilters {
  state: ReferralState | undefined;
  overdue: 'true' | undefined;
  page: number;
  pageSize: number;
}

/** The organisations that may receive a referral about this child (the send form's choices). */
export function useReferralOrganisations(childId: string) {
  return useQuery({ queryKey: [ROOT, 'organisations', childId], queryFn: () => request(ReferralOrganisations, `${childPath(childId)}/referral-organisations`) });
}

export function useReferrals(filters: ReferralListFilters) {
  return useQuery({ queryKey: [ROOT, 'list', filters], queryFn: () => request(ReferralPage, '/api/referrals', { query: { ...filters } }), placeholderData: keepPreviousData });
}

export function useReferral(id: string) {
  return useQuery({ queryKey: [ROOT, 'detail', id], queryFn: () => request(ReferralRecord, `/api/referrals/${encodeURIComponent(id)}`) });
}

export function useInbox(view: 'open' | 'finished', page: number, pageSize: number) {
  return useQuery({ queryKey: [ROOT, 'inbox', view, page, pageSize], queryFn: () => request(InboxPage, '/api/inbox/referrals', { query: { view, page, pageSize } }), placeholderData: keepPreviousData });
}

export function useInboxReferral(id: string) {
  return useQuery({ queryKey: [ROOT, 'inbox-detail', id], queryFn: () => request(InboxReferral, inboxPath(id)) });
}

function useReferralMutation<T, R>(fn: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT] });
      void queryClient.invalidateQueries({ queryKey: ['children'] });
      void queryClient.invalidateQueries({ queryKey: ['visits', 'timeline'] });
    },
  });
}

export function useCreateReferral(childId: string) {
  return useReferralMutation((input: ReferralInput) => request(ReferralRecord, `${childPath(childId)}/referrals`, { method: 'POST', body: input }));
}

export function useWithdrawReferral(id: string) {
  return useReferralMutation((input: ReferralNoteInput) => request(ReferralRecord, `/api/referrals/${encodeURIComponent(id)}/withdraw`, { method: 'POST', body: input }));
}

export type InboxAction = 'accept' | 'decline' | 'start' | 'complete';

/** One inbox transition; decline needs `reason`, complete needs `feedback`. */
export function useInboxAction(id: string) {
  return useReferralMutation(({ action, body }: { action: InboxAction; body: ReferralNoteInput | ReferralDeclineInput | ReferralCompleteInput }) =>
    request(InboxReferral, `${inboxPath(id)}/${action}`, { method: 'POST', body }),
  );
}

/** The organisation records a session, a contact or a note while serving. */
export function useRecordReferralWork(id: string) {
  return useReferralMutation((input: ReferralWorkInput) => request(InboxReferral, `${inboxPath(id)}/work`, { method: 'POST', body: input }));
}

/** Sends one file (photo or PDF scan) to an open referral; the server checks it by content. */
export function uploadReferralAttachment(referralId: string, file: File): Promise<ReferralAttachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postForm(ReferralAttachment, `/api/referrals/${encodeURIComponent(referralId)}/attachments`, form);
}

export function useAttachToReferral(referralId: string) {
  return useReferralMutation((file: File) => uploadReferralAttachment(referralId, file));
}

/** Downloads an attachment through the URL the answer gave (staff or inbox side); a refusal is an ApiError. */
export function downloadAttachment(attachment: ReferralAttachment): Promise<void> {
  return download(attachment.url, attachment.name);
}
