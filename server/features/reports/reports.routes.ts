import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { ReportCaseNoInput, ReportCloseInput, ReportEntryInput, ReportInput, ReportListQuery, ReportOutcomeInput, ReportPage, ReportPoliceInput, ReportReceiptInput, ReportRecord } from '../../../domain/reports/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { acknowledgeReport, addReportEntry, closeReport, createReport, getReport, listReportsInScope, recordCaseNo, recordOutcome, recordPolice } from './reports.service.js';

const params = z.object({ id: Id });

export function reportsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['reports']);
  route.post('/api/children/:id/reports', 'report.create', { summary: 'Raise a mandatory report (强制报告) about the child; its risk becomes urgent in the same transaction. 201 new; 200 when the client id was already stored (nothing written twice); 409 REPLAY_MISMATCH for that id with other content', params, body: ReportInput, response: ReportRecord, status: 201, alsoStatus: [200] }, async ({ ctx, params, body, reply }) => {
    const { report, created } = await createReport(deps, ctx, params.id, body);
    return reply.status(created ? 201 : 200).send(report);
  });
  route.get('/api/reports', 'report.read', { summary: 'Mandatory reports of the scope (filters: status, late, region, child), newest discovery first', query: ReportListQuery, response: ReportPage }, ({ ctx, query }) => listReportsInScope(deps, ctx, query));
  route.get('/api/reports/:id', 'report.read', { summary: 'One report with its entries; the reporter only for civil-affairs administrators', params, response: ReportRecord }, ({ ctx, params }) => getReport(deps, ctx, params.id));
  route.post('/api/reports/:id/police', 'report.update', { summary: 'Record when and how the police were told, and the receipt number (once, while open)', params, body: ReportPoliceInput, response: ReportRecord }, ({ ctx, params, body }) => recordPolice(deps, ctx, params.id, body));
  route.post('/api/reports/:id/entries', 'report.update', { summary: 'Add an action taken or feedback received (while open)', params, body: ReportEntryInput, response: ReportRecord }, ({ ctx, params, body }) => addReportEntry(deps, ctx, params.id, body));
  route.post('/api/reports/:id/close', 'report.close', { summary: 'Close the report with a note (once)', params, body: ReportCloseInput, response: ReportRecord }, ({ ctx, params, body }) => closeReport(deps, ctx, params.id, body));
  // The police's own record (agency users of kind police, on reports of their area).
  route.post('/api/reports/:id/acknowledge', 'report.respond', { summary: 'The police acknowledge receipt (接警确认) with its time (once, while open)', params, body: ReportReceiptInput, response: ReportRecord }, ({ ctx, params, body }) => acknowledgeReport(deps, ctx, params.id, body));
  route.post('/api/reports/:id/case-number', 'report.respond', { summary: "The police's case number (案件编号 / 受案回执号), after receipt, while open", params, body: ReportCaseNoInput, response: ReportRecord }, ({ ctx, params, body }) => recordCaseNo(deps, ctx, params.id, body));
  route.post('/api/reports/:id/outcome', 'report.respond', { summary: 'The outcome (立案, 不予立案, 移送 …, other with a note), after receipt, while open', params, body: ReportOutcomeInput, response: ReportRecord }, ({ ctx, params, body }) => recordOutcome(deps, ctx, params.id, body));
}
