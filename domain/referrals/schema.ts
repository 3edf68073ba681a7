/** The API contract of referrals (转介): staff side (send, list, read, withdraw) and the agency inbox. */
import { z } from 'zod';
import { Id, RegionCode, RegionRef, paged } from '../api.js';
import { IsoDate } from '../children/schema.js';
import { Instant } from '../reports/schema.js';
import { CONTACT_METHODS, MAX_SESSION_MINUTES, RECEIVING_KINDS, REFERRAL_ACTIONS, REFERRAL_STATES, REFERRAL_URGENCIES, REFERRAL_WORK_KINDS, SESSION_KINDS } from './rules.js';

const text = (max: number) => z.string().trim().max(max);

export const ReferralInput = z.object({
  toOrganisationId: Id,
  /** Why the child is referred: what the organisation is asked to do. */
  reason: text(2000).min(1),
  urgency: z.enum(REFERRAL_URGENCIES),
  /** Deadline for acceptance; by default from the urgency (domain/referrals/rules.ts DEFAULT_ACCEPT_HOURS). */
  acceptBy: Instant.nullish(),
  /** The receiver needs the caregiver's name and phone (shown to it, audited, only while the referral is open). */
  shareContacts: z.boolean().default(false),
  /** The visit the referral was proposed from, when it was. */
  visitId: Id.nullish(),
});
export type ReferralInput = z.infer<typeof ReferralInput>;

export const ReferralNoteInput = z.object({ note: text(2000).nullish() });
export type ReferralNoteInput = z.infer<typeof ReferralNoteInput>;
export const ReferralDeclineInput = z.object({ reason: text(2000).min(1) });
export type ReferralDeclineInput = z.infer<typeof ReferralDeclineInput>;
export const ReferralCompleteInput = z.object({ feedback: text(4000).min(1) });
export type ReferralCompleteInput = z.infer<typeof ReferralCompleteInput>;

export const ReferralEvent = z.object({
  at: z.string(),
  action: z.enum(['create', ...REFERRAL_ACTIONS]),
  from: z.enum(REFERRAL_STATES).nullable(),
  to: z.enum(REFERRAL_STATES),
  side: z.enum(['sender', 'receiver']),
  note: z.string().nullable(),
  actor: z.string().nullable(),
});
export type ReferralEvent = z.infer<typeof ReferralEvent>;

/** A session, a contact or a note the organisation records while serving (in service); the day it happened, not in the future. */
export const ReferralWorkInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), date: IsoDate, durationMinutes: z.number().int().min(1).max(MAX_SESSION_MINUTES), sessionKind: z.enum(SESSION_KINDS), note: text(2000).nullish() }),
  z.object({ kind: z.literal('contact'), date: IsoDate, method: z.enum(CONTACT_METHODS), withWhom: text(100).min(1), note: text(2000).nullish() }),
  z.object({ kind: z.literal('note'), date: IsoDate, note: text(2000).min(1) }),
]);
export type ReferralWorkInput = z.infer<typeof ReferralWorkInput>;

export const ReferralWork = z.object({
  id: z.string(),
  kind: z.enum(REFERRAL_WORK_KINDS),
  date: z.string(),
  durationMinutes: z.number().int().nullable(),
  sessionKind: z.enum(SESSION_KINDS).nullable(),
  method: z.enum(CONTACT_METHODS).nullable(),
  withWhom: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string().nullable(),
  at: z.string(),
});
export type ReferralWork = z.infer<typeof ReferralWork>;

export const ReferralOrganisation = z.object({ id: z.string(), name: z.string(), kind: z.enum(RECEIVING_KINDS) });
/** The organisations that may receive a referral about one child (the send form's choices). */
export const ReferralOrganisations = z.object({ items: z.array(ReferralOrganisation.extend({ regionName: z.string() })) });
export type ReferralOrganisations = z.infer<typeof ReferralOrganisations>;

/**
 * A file the sender attached (a photo re-encoded as JPEG, or a PDF scan as
 * sent). `url` downloads it through the side that reads it: the staff route,
 * or the inbox route (audited) while the referral is open.
 */
export const ReferralAttachment = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  uploadedAt: z.string(),
  url: z.string(),
});
export type ReferralAttachment = z.infer<typeof ReferralAttachment>;

/** What both sides see of the referral itself. */
const ReferralCore = z.object({
  id: z.string(),
  organisation: ReferralOrganisation,
  reason: z.string(),
  urgency: z.enum(REFERRAL_URGENCIES),
  acceptBy: z.string(),
  /** Still not accepted after its deadline. */
  overdue: z.boolean(),
  state: z.enum(REFERRAL_STATES),
  declineReason: z.string().nullable(),
  feedback: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Staff side: the referral with the child it is about and its whole trail. */
export const ReferralRecord = ReferralCore.extend({
  child: z.object({ id: z.string(), name: z.string() }),
  region: RegionRef,
  visitId: z.string().nullable(),
  shareContacts: z.boolean(),
  events: z.array(ReferralEvent),
  /** What the organisation recorded while serving, oldest first. */
  work: z.array(ReferralWork),
  attachments: z.array(ReferralAttachment),
  version: z.number().int(),
  /** attach: the actor may add files (it may send referrals and this one is still open). */
  can: z.object({ withdraw: z.boolean(), attach: z.boolean() }),
});
export type ReferralRecord = z.infer<typeof ReferralRecord>;

export const ReferralListQuery = z.object({
  state: z.enum(REFERRAL_STATES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  organisationId: Id.optional(),
  region: RegionCode.optional(),
  childId: Id.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ReferralListQuery = z.infer<typeof ReferralListQuery>;

export const ReferralRow = z.object({
  id: z.string(),
  child: z.object({ id: z.string(), name: z.string() }),
  region: RegionRef,
  organisation: ReferralOrganisation,
  urgency: z.enum(REFERRAL_URGENCIES),
  acceptBy: z.string(),
  overdue: z.boolean(),
  state: z.enum(REFERRAL_STATES),
  createdAt: z.string(),
});
export type ReferralRow = z.infer<typeof ReferralRow>;
export const ReferralPage = paged(ReferralRow);
export type ReferralPage = z.infer<typeof ReferralPage>;

// ---------------------------------------------------------------- agency inbox

export const InboxQuery = z.object({
  /** open: sent, accepted, in service (the default); finished: declined, completed, withdrawn (read-only history). */
  view: z.enum(['open', 'finished']).default('open'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export const InboxRow = z.object({
  id: z.string(),
  childName: z.string(),
  urgency: z.enum(REFERRAL_URGENCIES),
  acceptBy: z.string(),
  overdue: z.boolean(),
  state: z.enum(REFERRAL_STATES),
  createdAt: z.string(),
  /** Finished: the organisation keeps it as history and can do nothing more. */
  readOnly: z.boolean(),
});
export type InboxRow = z.infer<typeof InboxRow>;
export const InboxPage = paged(InboxRow);

/** The agency's home: its organisation's open referrals, what waits first. */
export const InboxSummary = z.object({
  /** Sent, waiting to be accepted or declined (待接收). */
  toAccept: z.number().int(),
  /** Of those, past their acceptance deadline (逾期未接收). */
  overdue: z.number().int(),
  /** Accepted, service not started yet. */
  accepted: z.number().int(),
  /** In service (服务中). */
  inService: z.number().int(),
});
export type InboxSummary = z.infer<typeof InboxSummary>;
export type InboxPage = z.infer<typeof InboxPage>;

/**
 * The referral-scoped view of the child (never the full file): what the
 * organisation needs to act, and only while the referral is open.
 */
export const ReferralChildView = z.object({
  name: z.string(),
  age: z.number().int(),
  sex: z.enum(['male', 'female']),
  villageName: z.string(),
  /** Only when the sender said the referral needs them; revealing them is audited. */
  contacts: z.object({ caregiverName: z.string().nullable(), caregiverRelation: z.string().nullable(), caregiverPhone: z.string().nullable() }).nullable(),
});
export type ReferralChildView = z.infer<typeof ReferralChildView>;

export const InboxReferral = ReferralCore.extend({
  childName: z.string(),
  /** Null once the referral is finished: the organisation's access to the child ends. */
  child: ReferralChildView.nullable(),
  /** Finished referrals keep only the organisation's own actions. */
  events: z.array(ReferralEvent),
  /** Its own sessions, contacts and notes, oldest first (kept once finished: they are its own). */
  work: z.array(ReferralWork),
  /** The sender's files; empty once the referral is finished (like the child view). */
  attachments: z.array(ReferralAttachment),
  readOnly: z.boolean(),
  /** recordWork: sessions, contacts and notes, while in service. */
  can: z.object({ accept: z.boolean(), decline: z.boolean(), start: z.boolean(), complete: z.boolean(), recordWork: z.boolean() }),
});
export type InboxReferral = z.infer<typeof InboxReferral>;
