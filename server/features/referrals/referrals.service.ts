/**
 * Referrals (转介, DESIGN §5, issue 5 §2–3). Civil-affairs staff send a
 * referral about a child in scope to an organisation and may withdraw it while
 * it is open; the organisation's users accept or decline it, start and
 * complete the service. Who may do what from which state is the table in
 * domain/referrals/rules.ts. Every transition: permission, the record in the
 * actor's reach (404 otherwise), the state checked (VALIDATION naming `state`),
 * one transaction with the state change, a referral_events row and an audit row.
 *
 * The agency side never sees the child's file: only a referral-scoped view
 * (name, age, sex, village name, and the caregiver's contact when the sender
 * said the referral needs it — audited), and only while the referral is open.
 */
import { ageOn } from '../../../domain/children/age.js';
import { parseIsoDate } from '../../../domain/children/dates.js';
import { chinaDateOf } from '../../../domain/reports/rules.js';
import { can } from '../../../domain/access.js';
import { ancestorCodes, regionLevel } from '../../../domain/regions.js';
import {
  OPEN_REFERRAL_STATES,
  RECEIVING_KINDS,
  REFERRAL_STATES,
  REFERRAL_TRANSITIONS,
  canTransition,
  defaultAcceptBy,
  isAcceptanceOverdue,
  isOpenReferral,
  isReceivingKind,
  MAX_REFERRAL_ATTACHMENTS,
  canRecordWork,
  mayReceiveFor,
  type ContactMethod,
  type ReferralWorkKind,
  type SessionKind,
  type ReceivingKind,
  type ReferralAction,
  type ReferralSide,
  type ReferralState,
  type ReferralUrgency,
} from '../../../domain/referrals/rules.js';
import type {
  InboxPage,
  InboxQuery,
  InboxReferral,
  InboxRow,
  InboxSummary,
  ReferralChildView,
  ReferralAttachment,
  ReferralCompleteInput,
  ReferralDeclineInput,
  ReferralEvent,
  ReferralInput,
  ReferralListQuery,
  ReferralNoteInput,
  ReferralOrganisations,
  ReferralPage,
  ReferralRecord,
  ReferralRow,
  ReferralWork,
  ReferralWorkInput,
} from '../../../domain/referrals/schema.js';
import { assertInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import type { FileRow, ReferralEventRow, ReferralTable, ReferralWorkRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit, auditRead } from '../audit/audit.service.js';
import { openProfile } from '../children/child-file.js';
import { findChildInScope, findChildInScopeForWrite } from '../children/children.repository.js';
import { insertFile } from '../files/files.repository.js';
import { discardFileBytes, fileRowOf, processAttachment, readStoredFile, writeFileBytes, type StoredFile } from '../files/files.service.js';
import { findVisitOfChild } from '../reports/reports.repository.js';
import {
  countInbox,
  countReferralAttachments,
  findChildForReferral,
  findReferralAttachment,
  listReferralAttachments,
  findOrganisation,
  findReferralInScope,
  findReferralOfOrganisation,
  insertReferral,
  insertReferralEvent,
  insertReferralWork,
  listInbox,
  listReferralEvents,
  listReferralWork,
  listReferrals,
  updateReferralIfState,
  type ReferralWithNames,
  listCandidateOrganisations,
} from './referrals.repository.js';

const FINISHED_STATES = REFERRAL_STATES.filter((s) => !isOpenReferral(s));

function presentEvent(row: ReferralEventRow): ReferralEvent {
  return {
    at: row.at,
    action: row.action as ReferralEvent['action'],
    from: row.from_state as ReferralState | null,
    to: row.to_state as ReferralState,
    side: row.side as ReferralSide,
    note: row.note,
    actor: row.actor_name,
  };
}

function coreOf(row: ReferralWithNames, now: Date) {
  const state = row.state as ReferralState;
  return {
    id: row.id,
    organisation: { id: row.to_organisation_id, name: row.organisation_name, kind: row.organisation_kind as ReceivingKind },
    reason: row.reason,
    urgency: row.urgency as ReferralUrgency,
    acceptBy: row.accept_by,
    overdue: isAcceptanceOverdue({ state, acceptBy: row.accept_by }, now),
    state,
    declineReason: row.decline_reason,
    feedback: row.feedback,
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function presentRow(row: ReferralWithNames, now: Date): ReferralRow {
  const core = coreOf(row, now);
  return {
    id: row.id,
    child: { id: row.child_id, name: row.child_name },
    region: { code: row.region_code, name: row.region_name, level: regionLevel(row.region_code) },
    organisation: core.organisation,
    urgency: core.urgency,
    acceptBy: core.acceptBy,
    overdue: core.overdue,
    state: core.state,
    createdAt: core.createdAt,
  };
}

function presentWork(row: ReferralWorkRow): ReferralWork {
  return {
    id: row.id,
    kind: row.kind as ReferralWorkKind,
    date: row.occurred_on,
    durationMinutes: row.duration_minutes,
    sessionKind: row.session_kind as SessionKind | null,
    method: row.contact_method as ContactMethod | null,
    withWhom: row.contact_with,
    note: row.note,
    actor: row.actor_name,
    at: row.at,
  };
}

/** `base`: the referral's URL on the reading side (staff or inbox); the file downloads under it. */
function presentAttachment(row: Pick<FileRow, 'id' | 'mime' | 'size' | 'created_at' | 'original_name'>, base: string): ReferralAttachment {
  return { id: row.id, name: row.original_name ?? row.id, mime: row.mime, size: row.size, uploadedAt: row.created_at, url: `${base}/attachments/${row.id}` };
}

function presentReferral(ctx: RequestContext, row: ReferralWithNames, events: ReferralEventRow[], work: ReferralWorkRow[], files: FileRow[], now: Date): ReferralRecord {
  const state = row.state as ReferralState;
  return {
    ...coreOf(row, now),
    child: { id: row.child_id, name: row.child_name },
    region: { code: row.region_code, name: row.region_name, level: regionLevel(row.region_code) },
    visitId: row.visit_id,
    shareContacts: row.share_contacts === 1,
    events: events.map(presentEvent),
    work: work.map(presentWork),
    attachments: files.map((f) => presentAttachment(f, `/api/referrals/${row.id}`)),
    version: row.version,
    can: { withdraw: can(ctx.actor.role, 'referral.withdraw') && canTransition(state, 'withdraw', 'sender'), attach: can(ctx.actor.role, 'referral.create') && isOpenReferral(state) },
  };
}

async function loadReferral(db: Db, deps: Deps, ctx: RequestContext, id: string): Promise<ReferralRecord> {
  const row = await findReferralInScope(db, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  return presentReferral(ctx, row, await listReferralEvents(db, id), await listReferralWork(db, id), await listReferralAttachments(db, id), deps.clock.now());
}

async function addEvent(trx: Db, ctx: RequestContext, referralId: string, e: { action: ReferralEvent['action']; from: ReferralState | null; to: ReferralState; side: ReferralSide; note: string | null; at: string }): Promise<void> {
  await insertReferralEvent(trx, { id: newId(), referral_id: referralId, action: e.action, from_state: e.from, to_state: e.to, side: e.side, note: e.note, actor_id: ctx.actor.id, actor_name: ctx.actor.displayName, at: e.at });
}

/** Why an action is refused from this state, as a reason of VALIDATION_REASONS on the field `state`. */
function refusal(action: ReferralAction, state: ReferralState): AppError {
  if (!isOpenReferral(state)) return invalid('state', 'referral_finished');
  const reason: Record<ReferralAction, string> = { accept: 'not_awaiting', decline: 'not_awaiting', start: 'not_accepted', complete: 'not_in_service', withdraw: 'referral_finished' };
  return invalid('state', reason[action]);
}

// ---------------------------------------------------------------- sending

/** The organisations that may receive a referral about this child (the send form's choices), by kind and name. */
export async function listReferralOrganisations(deps: Deps, ctx: RequestContext, childId: string): Promise<ReferralOrganisations> {
  requirePermission(ctx.actor, 'referral.create');
  const child = await findChildInScope(deps.db, childId, ctx.actor.scopeRegion);
  if (!child) throw notFound();
  const rows = await listCandidateOrganisations(deps.db, RECEIVING_KINDS, ancestorCodes(child.region_code), `${child.region_code.slice(0, 6)}000000`);
  return {
    items: rows
      .filter((o) => isReceivingKind(o.kind) && mayReceiveFor(o.region_code, child.region_code))
      .map((o) => ({ id: o.id, name: o.name, kind: o.kind as ReceivingKind, regionName: o.region_name })),
  };
}

export async function createReferral(deps: Deps, ctx: RequestContext, childId: string, input: ReferralInput): Promise<ReferralRecord> {
  requirePermission(ctx.actor, 'referral.create');
  const now = deps.clock.now();
  let acceptBy: string;
  if (input.acceptBy) {
    const ms = Date.parse(input.acceptBy);
    if (Number.isNaN(ms)) throw invalid('acceptBy', 'invalid_format');
    if (ms <= now.getTime()) throw invalid('acceptBy', 'not_future');
    acceptBy = new Date(ms).toISOString();
  } else {
    acceptBy = defaultAcceptBy(input.urgency, now);
  }
  const id = newId();
  await inTransaction(deps.db, async (trx) => {
    const child = await findChildInScopeForWrite(trx, deps.dialect, childId, ctx.actor.scopeRegion);
    if (!child) throw notFound();
    if (child.status === 'closed') throw new AppError('INVALID_STATE', { params: { status: ctx.actor.locale === 'en-US' ? 'closed' : '已销档' } });
    const org = await findOrganisation(trx, input.toOrganisationId);
    if (!org || !isReceivingKind(org.kind) || !mayReceiveFor(org.region_code, child.region_code)) throw invalid('toOrganisationId', 'referral_organisation');
    if (input.visitId && !(await findVisitOfChild(trx, input.visitId, childId))) throw invalid('visitId', 'not_found');
    const at = now.toISOString();
    const row: ReferralTable = {
      id,
      child_id: childId,
      visit_id: input.visitId ?? null,
      region_code: child.region_code,
      county_code: child.county_code,
      to_organisation_id: org.id,
      reason: input.reason.trim(),
      urgency: input.urgency,
      accept_by: acceptBy,
      share_contacts: input.shareContacts ? 1 : 0,
      state: 'sent',
      decline_reason: null,
      feedback: null,
      created_by: ctx.actor.id,
      created_by_name: ctx.actor.displayName,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await insertReferral(trx, row);
    await addEvent(trx, ctx, id, { action: 'create', from: null, to: 'sent', side: 'sender', note: null, at });
    await audit(trx, deps, ctx, {
      action: 'referral.create',
      targetType: 'referral',
      targetId: id,
      regionCode: child.region_code,
      details: { childId, organisationId: org.id, urgency: input.urgency, acceptBy, shareContacts: input.shareContacts, visitId: input.visitId ?? null },
    });
  });
  return loadReferral(deps.db, deps, ctx, id);
}

// ---------------------------------------------------------------- attachments

/** The name to download an attachment under: the uploaded one without a path, with the extension of what is stored. */
function attachmentName(uploaded: string, extension: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (uploaded.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return `${(base || 'attachment').slice(0, 180)}.${extension}`;
}

/**
 * The sender attaches a file to a referral of its scope while it is open (when
 * sending, the form uploads right after creating it). Checked by content
 * (files.service processAttachment), at most MAX_REFERRAL_ATTACHMENTS; audited.
 */
export async function attachToReferral(deps: Deps, ctx: RequestContext, id: string, upload: { fileName: string; buffer: Buffer }): Promise<ReferralAttachment> {
  requirePermission(ctx.actor, 'referral.create');
  const check = async (db: Db) => {
    const row = await findReferralInScope(db, id, ctx.actor.scopeRegion);
    if (!row) throw notFound();
    if (!isOpenReferral(row.state as ReferralState)) throw invalid('state', 'referral_finished');
    if ((await countReferralAttachments(db, id)) >= MAX_REFERRAL_ATTACHMENTS) throw invalid('attachment', 'too_many_attachments');
    return row;
  };
  await check(deps.db);
  const file = await processAttachment(upload.buffer);
  const fileId = newId();
  const relative = await writeFileBytes(deps, fileId, file.data, file.extension);
  const at = deps.clock.now().toISOString();
  const name = attachmentName(upload.fileName, file.extension);
  try {
    await inTransaction(deps.db, async (trx) => {
      const row = await check(trx);
      await insertFile(trx, fileRowOf({ id: fileId, relative, ...file }, { childId: row.child_id, purpose: 'referral_attachment', actorId: ctx.actor.id, at, referralId: id, originalName: name }));
      await audit(trx, deps, ctx, { action: 'referral.attach', targetType: 'referral', targetId: id, regionCode: row.region_code, details: { childId: row.child_id, fileId, mime: file.mime, size: file.data.length } });
    });
  } catch (err) {
    await discardFileBytes(deps, relative);
    throw err;
  }
  return presentAttachment({ id: fileId, original_name: name, mime: file.mime, size: file.data.length, created_at: at }, `/api/referrals/${id}`);
}

/** Staff in scope read a referral's attachment (as they read the child's file); anything else is 404. */
export async function openReferralAttachment(deps: Deps, ctx: RequestContext, id: string, fileId: string): Promise<StoredFile> {
  requirePermission(ctx.actor, 'referral.read');
  if (!(await findReferralInScope(deps.db, id, ctx.actor.scopeRegion))) throw notFound();
  const file = await findReferralAttachment(deps.db, id, fileId);
  if (!file) throw notFound();
  return readStoredFile(deps, file);
}

/**
 * The receiving organisation downloads an attachment of its own referral only
 * while it has the child view (the referral is open); every download is audited.
 */
export async function openInboxAttachment(deps: Deps, ctx: RequestContext, id: string, fileId: string): Promise<StoredFile> {
  const organisationId = requireOrganisation(ctx);
  const row = await findReferralOfOrganisation(deps.db, id, organisationId);
  if (!row || !isOpenReferral(row.state as ReferralState)) throw notFound();
  const file = await findReferralAttachment(deps.db, id, fileId);
  if (!file) throw notFound();
  const stored = readStoredFile(deps, file);
  await auditRead(deps, ctx, { action: 'referral.attachment.read', targetType: 'file', targetId: fileId, regionCode: row.region_code, details: { referralId: id, childId: row.child_id } });
  return stored;
}

// ---------------------------------------------------------------- staff reading

export async function getReferral(deps: Deps, ctx: RequestContext, id: string): Promise<ReferralRecord> {
  requirePermission(ctx.actor, 'referral.read');
  return loadReferral(deps.db, deps, ctx, id);
}

export async function listReferralsInScope(deps: Deps, ctx: RequestContext, q: ReferralListQuery): Promise<ReferralPage> {
  requirePermission(ctx.actor, 'referral.read');
  const region = q.region ?? ctx.actor.scopeRegion;
  assertInScope(ctx.actor, region);
  const now = deps.clock.now();
  const { rows, total } = await listReferrals(deps.db, {
    scopeRegion: region,
    state: q.state,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    now: now.toISOString(),
    organisationId: q.organisationId,
    childId: q.childId,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: rows.map((r) => presentRow(r, now)), total, page: q.page, pageSize: q.pageSize };
}

// ---------------------------------------------------------------- transitions

interface Move {
  action: ReferralAction;
  note: string | null;
  changes: Partial<ReferralTable>;
}

/** Finds the referral in the actor's reach: the sender by region scope, the receiver by its organisation. */
function findForSide(trx: Db, ctx: RequestContext, side: ReferralSide, id: string): Promise<ReferralWithNames | undefined> {
  if (side === 'sender') return findReferralInScope(trx, id, ctx.actor.scopeRegion);
  if (!ctx.actor.organisationId) return Promise.resolve(undefined);
  return findReferralOfOrganisation(trx, id, ctx.actor.organisationId);
}

async function transition(deps: Deps, ctx: RequestContext, id: string, side: ReferralSide, move: Move): Promise<void> {
  requirePermission(ctx.actor, side === 'sender' ? 'referral.withdraw' : 'referral.respond');
  await inTransaction(deps.db, async (trx) => {
    const row = await findForSide(trx, ctx, side, id);
    if (!row) throw notFound();
    const from = row.state as ReferralState;
    if (!canTransition(from, move.action, side)) throw refusal(move.action, from);
    const to = REFERRAL_TRANSITIONS[move.action].to;
    const at = deps.clock.now().toISOString();
    const ok = await updateReferralIfState(trx, id, from, row.version, { ...move.changes, state: to, updated_at: at });
    if (!ok) throw new AppError('CONFLICT', { field: 'state' });
    await addEvent(trx, ctx, id, { action: move.action, from, to, side, note: move.note, at });
    await audit(trx, deps, ctx, { action: `referral.${move.action}`, targetType: 'referral', targetId: id, regionCode: row.region_code, details: { childId: row.child_id, organisationId: row.to_organisation_id, from, to } });
  });
}

export async function withdrawReferral(deps: Deps, ctx: RequestContext, id: string, input: ReferralNoteInput): Promise<ReferralRecord> {
  await transition(deps, ctx, id, 'sender', { action: 'withdraw', note: input.note?.trim() || null, changes: {} });
  return loadReferral(deps.db, deps, ctx, id);
}

export async function acceptReferral(deps: Deps, ctx: RequestContext, id: string, input: ReferralNoteInput): Promise<InboxReferral> {
  await transition(deps, ctx, id, 'receiver', { action: 'accept', note: input.note?.trim() || null, changes: {} });
  return getInboxReferral(deps, ctx, id);
}

export async function declineReferral(deps: Deps, ctx: RequestContext, id: string, input: ReferralDeclineInput): Promise<InboxReferral> {
  const reason = input.reason.trim();
  await transition(deps, ctx, id, 'receiver', { action: 'decline', note: reason, changes: { decline_reason: reason } });
  return getInboxReferral(deps, ctx, id);
}

export async function startReferral(deps: Deps, ctx: RequestContext, id: string, input: ReferralNoteInput): Promise<InboxReferral> {
  await transition(deps, ctx, id, 'receiver', { action: 'start', note: input.note?.trim() || null, changes: {} });
  return getInboxReferral(deps, ctx, id);
}

export async function completeReferral(deps: Deps, ctx: RequestContext, id: string, input: ReferralCompleteInput): Promise<InboxReferral> {
  const feedback = input.feedback.trim();
  await transition(deps, ctx, id, 'receiver', { action: 'complete', note: feedback, changes: { feedback } });
  return getInboxReferral(deps, ctx, id);
}

// ---------------------------------------------------------------- the agency's work while serving

/**
 * The receiving organisation records a session, a contact or a note while the
 * referral is in service (issue 12 point 13): its referral only (another
 * organisation's is not found), the day it happened neither in the future nor
 * before the referral was sent. One transaction: the row, the referral's
 * updated_at (written only if it is still in service, so a completion that
 * commits first refuses this one), an audit row without the note's text.
 */
export async function recordReferralWork(deps: Deps, ctx: RequestContext, id: string, input: ReferralWorkInput): Promise<InboxReferral> {
  const organisationId = requireOrganisation(ctx);
  requirePermission(ctx.actor, 'referral.respond');
  const today = localToday(deps.clock);
  if (!parseIsoDate(input.date)) throw invalid('date', 'no_such_date');
  if (input.date > today) throw invalid('date', 'future_date');
  await inTransaction(deps.db, async (trx) => {
    const row = await findReferralOfOrganisation(trx, id, organisationId);
    if (!row) throw notFound();
    const state = row.state as ReferralState;
    if (!canRecordWork(state)) throw invalid('state', isOpenReferral(state) ? 'work_not_in_service' : 'referral_finished');
    if (input.date < chinaDateOf(row.created_at)) throw invalid('date', 'before_referral');
    const at = deps.clock.now().toISOString();
    if (!(await updateReferralIfState(trx, id, state, row.version, { updated_at: at }))) throw new AppError('CONFLICT', { field: 'state' });
    const workId = newId();
    await insertReferralWork(trx, {
      id: workId,
      referral_id: id,
      kind: input.kind,
      occurred_on: input.date,
      duration_minutes: input.kind === 'session' ? input.durationMinutes : null,
      session_kind: input.kind === 'session' ? input.sessionKind : null,
      contact_method: input.kind === 'contact' ? input.method : null,
      contact_with: input.kind === 'contact' ? input.withWhom.trim() : null,
      note: input.note?.trim() || null,
      actor_id: ctx.actor.id,
      actor_name: ctx.actor.displayName,
      at,
    });
    await audit(trx, deps, ctx, {
      action: `referral.work.${input.kind}`,
      targetType: 'referral',
      targetId: id,
      regionCode: row.region_code,
      details: { childId: row.child_id, organisationId, workId, date: input.date, ...(input.kind === 'session' ? { minutes: input.durationMinutes, sessionKind: input.sessionKind } : {}), ...(input.kind === 'contact' ? { method: input.method } : {}) },
    });
  });
  return getInboxReferral(deps, ctx, id);
}

// ---------------------------------------------------------------- agency inbox

function requireOrganisation(ctx: RequestContext): string {
  requirePermission(ctx.actor, 'referral.inbox');
  // An agency account without an organisation receives nothing.
  if (!ctx.actor.organisationId) throw notFound();
  return ctx.actor.organisationId;
}

export async function listInboxReferrals(deps: Deps, ctx: RequestContext, q: InboxQuery): Promise<InboxPage> {
  const organisationId = requireOrganisation(ctx);
  const now = deps.clock.now();
  const { rows, total } = await listInbox(deps.db, organisationId, q.view === 'open' ? OPEN_REFERRAL_STATES : FINISHED_STATES, q.page, q.pageSize);
  const items = rows.map((r): InboxRow => {
    const core = coreOf(r, now);
    return { id: r.id, childName: r.child_name, urgency: core.urgency, acceptBy: core.acceptBy, overdue: core.overdue, state: core.state, createdAt: core.createdAt, readOnly: !isOpenReferral(core.state) };
  });
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** The agency's home: what waits for its organisation (to accept, of which past the deadline; accepted, to start; in service). */
export async function summariseInbox(deps: Deps, ctx: RequestContext): Promise<InboxSummary> {
  const organisationId = requireOrganisation(ctx);
  const { byState, overdue } = await countInbox(deps.db, organisationId, OPEN_REFERRAL_STATES, deps.clock.now().toISOString());
  return { toAccept: byState.sent ?? 0, overdue, accepted: byState.accepted ?? 0, inService: byState.in_service ?? 0 };
}

/**
 * One referral of the organisation. While it is open: the referral-scoped view
 * of the child (the caregiver's contact only when the sender shared it; that
 * reveal is audited). Once finished: the referral and the organisation's own
 * actions only, no child view.
 */
export async function getInboxReferral(deps: Deps, ctx: RequestContext, id: string): Promise<InboxReferral> {
  const organisationId = requireOrganisation(ctx);
  const row = await findReferralOfOrganisation(deps.db, id, organisationId);
  if (!row) throw notFound();
  const now = deps.clock.now();
  const state = row.state as ReferralState;
  const open = isOpenReferral(state);
  const events = (await listReferralEvents(deps.db, id)).map(presentEvent);
  let child: ReferralChildView | null = null;
  if (open) {
    const facts = await findChildForReferral(deps.db, row.child_id);
    if (facts) {
      let contacts: ReferralChildView['contacts'] = null;
      if (row.share_contacts === 1) {
        const carer = openProfile(facts.profile, deps.crypto).caregiver;
        contacts = { caregiverName: carer.name ?? null, caregiverRelation: carer.relation ?? null, caregiverPhone: carer.phone ?? null };
        await auditRead(deps, ctx, { action: 'referral.contacts', targetType: 'child', targetId: row.child_id, regionCode: row.region_code, details: { referralId: id, fields: ['caregiver.name', 'caregiver.phone'] } });
      }
      child = { name: facts.name, age: ageOn(facts.birth_date, localToday(deps.clock)), sex: facts.sex as 'male' | 'female', villageName: facts.village_name, contacts };
    }
  }
  const responds = can(ctx.actor.role, 'referral.respond');
  const files = open ? await listReferralAttachments(deps.db, id) : [];
  const work = (await listReferralWork(deps.db, id)).map(presentWork);
  return {
    ...coreOf(row, now),
    childName: row.child_name,
    child,
    events: open ? events : events.filter((e) => e.side === 'receiver'),
    work,
    attachments: files.map((f) => presentAttachment(f, `/api/inbox/referrals/${id}`)),
    readOnly: !open,
    can: {
      accept: responds && canTransition(state, 'accept', 'receiver'),
      decline: responds && canTransition(state, 'decline', 'receiver'),
      start: responds && canTransition(state, 'start', 'receiver'),
      complete: responds && canTransition(state, 'complete', 'receiver'),
      recordWork: responds && canRecordWork(state),
    },
  };
}
