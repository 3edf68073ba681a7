import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import {
  ReportCaseNoInput,
  ReportCloseInput,
  ReportEntryInput,
  ReportInput,
  ReportListQuery,
  ReportOutcomeInput,
  ReportPage,
  ReportPoliceInput,
  ReportReceiptInput,
  ReportRecord,
} from '../../../domain/reports/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { acknowledgeReport, addReportEntry, closeReport, createReport, getReport, listReportsInScope, recordCaseNo, recordOutcome, recordPolice } from './reports.service.js';

const params = z.object({ id: Id });
const tags = ['reports'];

export function reportsRoutes(app: Api, deps: Deps): void {
  app.post(
    '/api/children/:id/reports',
    {
      config: { access: 'report.create' },
      schema: { tags, summary: 'Raise a mandatory report (强制报告) about the child; its risk becomes urgent in the same transaction', params, body: ReportInput, response: { 201: ReportRecord } },
    },
    async (req, reply) => reply.status(201).send(await createReport(deps, contextOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/reports',
    {
      config: { access: 'report.read' },
      schema: { tags, summary: 'Mandatory reports of the scope (filters: status, late, region, child), newest discovery first', querystring: ReportListQuery, response: { 200: ReportPage } },
    },
    (req) => listReportsInScope(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/reports/:id',
    { config: { access: 'report.read' }, schema: { tags, summary: 'One report with its entries; the reporter only for civil-affairs administrators', params, response: { 200: ReportRecord } } },
    (req) => getReport(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/reports/:id/police',
    { config: { access: 'report.update' }, schema: { tags, summary: 'Record when and how the police were told, and the receipt number (once, while open)', params, body: ReportPoliceInput, response: { 200: ReportRecord } } },
    (req) => recordPolice(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/reports/:id/entries',
    { config: { access: 'report.update' }, schema: { tags, summary: 'Add an action taken or feedback received (while open)', params, body: ReportEntryInput, response: { 200: ReportRecord } } },
    (req) => addReportEntry(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/reports/:id/close',
    { config: { access: 'report.close' }, schema: { tags, summary: 'Close the report with a note (once)', params, body: ReportCloseInput, response: { 200: ReportRecord } } },
    (req) => closeReport(deps, contextOf(req), req.params.id, req.body),
  );
  // The police's own record (agency users of kind police, on reports of their area).
  app.post(
    '/api/reports/:id/acknowledge',
    { config: { access: 'report.respond' }, schema: { tags, summary: 'The police acknowledge receipt (接警确认) with its time (once, while open)', params, body: ReportReceiptInput, response: { 200: ReportRecord } } },
    (req) => acknowledgeReport(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/reports/:id/case-number',
    { config: { access: 'report.respond' }, schema: { tags, summary: "The police's case number (案件编号 / 受案回执号), after receipt, while open", params, body: ReportCaseNoInput, response: { 200: ReportRecord } } },
    (req) => recordCaseNo(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/reports/:id/outcome',
    { config: { access: 'report.respond' }, schema: { tags, summary: 'The outcome (立案, 不予立案, 移送 …, other with a note), after receipt, while open', params, body: ReportOutcomeInput, response: { 200: ReportRecord } } },
    (req) => recordOutcome(deps, contextOf(req), req.params.id, req.body),
  );
}
