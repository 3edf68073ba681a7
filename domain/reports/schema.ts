/** The API contract of mandatory reports (强制报告): requests, the record, the list. */
import { z } from 'zod';
import { Id, RegionCode, RegionRef, paged } from '../api.js';
import { POLICE_ENTRY_KINDS, POLICE_METHODS, POLICE_OUTCOMES, REPORT_ENTRY_KINDS, REPORT_STATUSES, REPORT_TRIGGERS } from './rules.js';
import { personName } from '../person-name.js';

/** An instant in UTC, as the browser's toISOString() writes it. */
export const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/);
const text = (max: number) => z.string().trim().max(max);

export const PoliceNotice = z.object({
  notifiedAt: Instant,
  method: z.enum(POLICE_METHODS),
  /** The police's receipt (回执) number; may follow later with a new notice only while none is recorded. */
  receiptNo: text(60).nullish(),
});
export type PoliceNotice = z.infer<typeof PoliceNotice>;

export const ReportInput = z.object({
  /**
   * Made by the client (UUIDv7) so that the phone's outbox resending the report records it once:
   * the same id again answers the stored report (200), with other content 409 REPLAY_MISMATCH.
   */
  id: z.uuid().optional(),
  /** The visit the report was raised from, when it was. */
  visitId: Id.nullish(),
  triggers: z.array(z.enum(REPORT_TRIGGERS)).min(1).max(REPORT_TRIGGERS.length),
  discoveredAt: Instant,
  /** The reporter (confidential: shown only to civil-affairs administrators). */
  reporterName: personName(64),
  reporterPhone: text(30).nullish(),
  reporterUnit: text(100).nullish(),
  /** What was found, where, by whom — the facts, not the child's name again. */
  description: text(2000).nullish(),
  /** Present when the police were already told. */
  police: PoliceNotice.nullish(),
});
export type ReportInput = z.infer<typeof ReportInput>;

export const ReportPoliceInput = PoliceNotice.extend({ version: z.number().int().min(1) });
export type ReportPoliceInput = z.infer<typeof ReportPoliceInput>;
export const ReportEntryInput = z.object({ kind: z.enum(REPORT_ENTRY_KINDS), note: text(2000).min(1), version: z.number().int().min(1) });
export type ReportEntryInput = z.infer<typeof ReportEntryInput>;
export const ReportCloseInput = z.object({ note: text(2000).min(1), version: z.number().int().min(1) });
export type ReportCloseInput = z.infer<typeof ReportCloseInput>;

/** The police acknowledge receipt (接警确认): when they received the report. */
export const ReportReceiptInput = z.object({ receivedAt: Instant, version: z.number().int().min(1) });
export type ReportReceiptInput = z.infer<typeof ReportReceiptInput>;
/** The police's case number (案件编号 / 受案回执号); a later one replaces it, both on the trail. */
export const ReportCaseNoInput = z.object({ caseNo: text(60).min(1), version: z.number().int().min(1) });
export type ReportCaseNoInput = z.infer<typeof ReportCaseNoInput>;
/** The outcome; 'other' needs a note saying what. A later outcome replaces it, both on the trail. */
export const ReportOutcomeInput = z.object({ outcome: z.enum(POLICE_OUTCOMES), note: text(2000).nullish(), version: z.number().int().min(1) });
export type ReportOutcomeInput = z.infer<typeof ReportOutcomeInput>;

export const ReportEntry = z.object({
  at: z.string(),
  kind: z.enum([...REPORT_ENTRY_KINDS, ...POLICE_ENTRY_KINDS, 'created', 'police', 'closed']),
  note: z.string().nullable(),
  /** received: the time of receipt; outcome: the outcome's code. */
  detail: z.string().nullable(),
  actor: z.string().nullable(),
});
export type ReportEntry = z.infer<typeof ReportEntry>;

export const Reporter = z.object({ name: z.string(), phone: z.string().nullable(), unit: z.string().nullable() });

export const ReportRecord = z.object({
  id: z.string(),
  child: z.object({ id: z.string(), name: z.string() }),
  region: RegionRef,
  visitId: z.string().nullable(),
  triggers: z.array(z.enum(REPORT_TRIGGERS)),
  discoveredAt: z.string(),
  /** Null unless the actor may see who reported (civil-affairs administrators). */
  reporter: Reporter.nullable(),
  reporterHidden: z.boolean(),
  description: z.string().nullable(),
  police: z.object({ notifiedAt: z.string(), method: z.enum(POLICE_METHODS), receiptNo: z.string().nullable() }).nullable(),
  /** The police's own record. */
  response: z.object({
    receivedAt: z.string().nullable(),
    receivedBy: z.string().nullable(),
    caseNo: z.string().nullable(),
    outcome: z.enum(POLICE_OUTCOMES).nullable(),
    outcomeNote: z.string().nullable(),
    outcomeAt: z.string().nullable(),
  }),
  minutesToPolice: z.number().int().nullable(),
  /** Open, police not told, more than an hour since the discovery. */
  late: z.boolean(),
  /** The police were told, but after the hour. */
  policeToldLate: z.boolean(),
  /** Open and not yet acknowledged by the police. */
  awaitingPolice: z.boolean(),
  /** Awaiting the police more than an hour after the discovery. */
  policeLate: z.boolean(),
  status: z.enum(REPORT_STATUSES),
  closedAt: z.string().nullable(),
  closureNote: z.string().nullable(),
  entries: z.array(ReportEntry),
  createdBy: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
  /** What the actor may do next (the server still decides); acknowledge, caseNo, outcome: the police. */
  can: z.object({ police: z.boolean(), addEntry: z.boolean(), close: z.boolean(), acknowledge: z.boolean(), caseNo: z.boolean(), outcome: z.boolean() }),
});
export type ReportRecord = z.infer<typeof ReportRecord>;

/** police_queue: the police's order — open reports awaiting their acknowledgement first (the oldest discovery first), then the rest, newest first. */
export const REPORT_SORTS = ['discovered_desc', 'discovered_asc', 'police_queue'] as const;
export const ReportListQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  late: z.enum(['true', 'false']).optional(),
  /** true: open and not yet acknowledged by the police; false: the others. */
  awaitingPolice: z.enum(['true', 'false']).optional(),
  region: RegionCode.optional(),
  childId: Id.optional(),
  sort: z.enum(REPORT_SORTS).default('discovered_desc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ReportListQuery = z.infer<typeof ReportListQuery>;

export const ReportRow = z.object({
  id: z.string(),
  child: z.object({ id: z.string(), name: z.string() }),
  region: RegionRef,
  triggers: z.array(z.enum(REPORT_TRIGGERS)),
  discoveredAt: z.string(),
  policeNotifiedAt: z.string().nullable(),
  minutesToPolice: z.number().int().nullable(),
  late: z.boolean(),
  policeReceivedAt: z.string().nullable(),
  caseNo: z.string().nullable(),
  outcome: z.enum(POLICE_OUTCOMES).nullable(),
  /** Open and not yet acknowledged by the police. */
  awaitingPolice: z.boolean(),
  /** Awaiting the police more than an hour after the discovery. */
  policeLate: z.boolean(),
  status: z.enum(REPORT_STATUSES),
});
export type ReportRow = z.infer<typeof ReportRow>;
export const ReportPage = paged(ReportRow);
export type ReportPage = z.infer<typeof ReportPage>;
