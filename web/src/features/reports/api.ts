import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ReportPage,
  ReportRecord,
  type ReportCaseNoInput,
  type ReportCloseInput,
  type ReportEntryInput,
  type ReportInput,
  type ReportOutcomeInput,
  type ReportPoliceInput,
  type ReportReceiptInput,
} from '../../../../domain/reports/schema.js';
import { request } from '../../shared/api/client.js';

/** Reports and what they change (the child's risk and timeline, the work lists) refresh together. */
const ROOT = 'reports';

export interface ReportListFilters {
  status: 'open' | 'closed' | undefined;
  late: 'true' | 'false' | undefined;
  /** The police's filter: awaiting their acknowledgement or not. */
  awaitingPolice?: 'true' | 'false' | undefined;
  region: string | undefined;
  sort: 'discovered_desc' | 'discovered_asc' | 'police_queue';
  page: number;
  pageSize: number;
}

export function useReports(filters: ReportListFilters, enabled = true) {
  return useQuery({
    queryKey: [ROOT, 'list', filters],
    queryFn: () => request(ReportPage, '/api/reports', { query: { ...filters } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useReport(id: string) {
  return useQuery({ queryKey: [ROOT, 'detail', id], queryFn: () => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}`) });
}

function useReportMutation<T>(fn: (input: T) => Promise<ReportRecord>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [ROOT] });
      void queryClient.invalidateQueries({ queryKey: ['children'] });
      void queryClient.invalidateQueries({ queryKey: ['worklists'] });
    },
  });
}

export function useCreateReport(childId: string) {
  return useReportMutation((input: ReportInput) => request(ReportRecord, `/api/children/${encodeURIComponent(childId)}/reports`, { method: 'POST', body: input }));
}

export function useRecordPolice(id: string) {
  return useReportMutation((input: ReportPoliceInput) => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}/police`, { method: 'POST', body: input }));
}

export function useAddReportEntry(id: string) {
  return useReportMutation((input: ReportEntryInput) => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}/entries`, { method: 'POST', body: input }));
}

export function useCloseReport(id: string) {
  return useReportMutation((input: ReportCloseInput) => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}/close`, { method: 'POST', body: input }));
}

/** The police: acknowledge receipt (接警确认). */
export function useAcknowledgeReport(id: string) {
  return useReportMutation((input: ReportReceiptInput) => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}/acknowledge`, { method: 'POST', body: input }));
}

/** The police: the case number (案件编号 / 受案回执号). */
export function useRecordCaseNo(id: string) {
  return useReportMutation((input: ReportCaseNoInput) => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}/case-number`, { method: 'POST', body: input }));
}

/** The police: the outcome. */
export function useRecordOutcome(id: string) {
  return useReportMutation((input: ReportOutcomeInput) => request(ReportRecord, `/api/reports/${encodeURIComponent(id)}/outcome`, { method: 'POST', body: input }));
}
