/**
 * Visits (DESIGN §4): recording one (idempotent by the client's id) moves the
 * child's risk and next due date in the same transaction; corrections (the
 * author within 24 hours, later a supervisor with a reason) keep every old
 * value; the risk override; the child's timeline; the schedule settings.
 * Every write: permission, scope, one transaction, a history row, one audit row.
 */
import { can, type Action } from '../../../domain/access.js';
import type { ChildDetail, FileRef } from '../../../domain/children/schema.js';
import { computeSchedule } from '../../../domain/visits/child-schedule.js';
import { RISK_LEVELS, type RiskOverride } from '../../../domain/visits/risk.js';
import type { ScheduleSettings } from '../../../domain/visits/schedule.js';
import { allFineHolds, missingChecklistItem, type Checklist, type RecordedVisit, type VisitCorrection, type VisitInput, type VisitKind, type VisitRecord } from '../../../domain/visits/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inputHash, requireSameInput } from '../../core/replay.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { factsOf } from '../children/child-file.js';
import { findChildInScope, type ChildWithRegion } from '../children/children.repository.js';
import { rederiveCategories } from '../children/child-rederive.js';
import { visitsMetaOf } from '../children/child-row.js';
import { detailOf } from '../children/child-steps.js';
import { scheduleSettings } from '../shared/stored-settings.js';
import { ChildMoved, historyAndAudit, requireChildReachable, withRetry, type Change } from '../shared/child-writes.js';
import { insertFile } from '../files/files.repository.js';
import { findTownshipStation } from '../referrals/referrals.repository.js';
import { discardFileBytes, fileRefOf, fileRowOf, processImage, writeFileBytes } from '../files/files.service.js';
import { writeSetting } from '../settings/settings.repository.js';
import { completeCampaignTask, recountTaskProblems } from './campaign-link.js';
import {
  AUTHOR_CORRECTION_MS,
  SCHOOL_VISIT_KINDS,
  STAFF_VISIT_KINDS,
  contentOf,
  correctionChanges,
  foldVisits,
  isRealDate,
  presentVisit,
  recordedVisit,
  visitContentColumns,
  type VisitWithChild,
} from './visit-record.js';
import {
  attachPhotos,
  detachPhotos,
  findChildForVisit,
  findUnattachedPhotos,
  findVisitById,
  findVisitInScope,
  insertVisit,
  insertVisitRevision,
  listChildVisits,
  listVisitFacts,
  listVisitPhotos,
  updateChildScheduleIfVersion,
  updateVisitIfVersion,
  type VisitScope,
} from './visits.repository.js';

/** Staff record visits of children in their region; school contacts vacation visits of their pupils. */
export type VisitSide = 'staff' | 'school';

const RECORD_ACTION: Record<VisitSide, Action> = { staff: 'visit.record', school: 'pupil.visit' };

function scopeOf(ctx: RequestContext, side: VisitSide): VisitScope {
  if (side === 'staff') return { region: ctx.actor.scopeRegion };
  // A school contact without a school reaches no pupil.
  return { schoolOrgId: ctx.actor.organisationId ?? '', region: ctx.actor.scopeRegion };
}

const today = (deps: Deps) => localToday(deps.clock);

function requireOpenFile(row: { status: string }, ctx: RequestContext): void {
  if (row.status === 'closed') throw new AppError('INVALID_STATE', { params: { status: ctx.actor.locale === 'en-US' ? 'closed' : '已销档' } });
}

function checkVisitDate(visitDate: string, birthDate: string | null, day: string): void {
  if (!isRealDate(visitDate)) throw invalid('visitDate', 'iso_date');
  if (visitDate > day) throw invalid('visitDate', 'future_date');
  if (birthDate && visitDate < birthDate) throw invalid('visitDate', 'before_birth');
}

/** Kinds stay on their side: vacation home visits are the schools', the others staff's; a campaign task is a key verification. */
function checkKind(kind: VisitKind, side: VisitSide, campaignTask: boolean): void {
  const allowed = side === 'school' ? SCHOOL_VISIT_KINDS : STAFF_VISIT_KINDS;
  if (!allowed.includes(kind)) throw invalid('kind', 'kind_not_allowed');
  if (campaignTask && kind !== 'key_verification') throw invalid('kind', 'kind_campaign');
}

/**
 * Every item the kind asks is answered (nothing is "fine" by default); a
 * vacation visit leaves the others out (not asked). "All fine in one tap"
 * holds only where every asked item is fine.
 */
function checkChecklist(kind: VisitKind, checklist: Checklist, allFine: boolean): void {
  const missing = missingChecklistItem(kind, checklist);
  if (missing) throw invalid(`checklist.${missing}`, 'unanswered');
  if (allFine && !allFineHolds(kind, checklist)) throw invalid('checklistAllFine', 'all_fine_mismatch');
}

/**
 * Recomputes what the child's schedule depends on from all its visits, then
 * its risk and due date (computeSchedule), and writes them with the file's
 * version. Returns the changes as history shows them.
 */
export async function refreshSchedule(trx: Db, child: ChildWithRegion, settings: ScheduleSettings, day: string, override?: RiskOverride | null): Promise<Change[]> {
  const history = foldVisits(await listVisitFacts(trx, child.id));
  const meta = visitsMetaOf(child);
  const nextOverride = override === undefined ? meta.override : override;
  const facts = factsOf({ birthDate: child.birth_date, sex: child.sex as 'male' | 'female', profile: JSON.parse(child.profile) as Parameters<typeof factsOf>[0]['profile'] });
  const schedule = computeSchedule({ facts, observed: history.observed, override: nextOverride, lastVisitDate: history.lastVisitDate, openedOn: meta.openedOn }, day, settings);
  const riskFactors = JSON.stringify(schedule.risk.factors);
  const ok = await updateChildScheduleIfVersion(trx, child.id, child.version, {
    risk_level: schedule.risk.level,
    risk_factors: riskFactors,
    risk_observed: JSON.stringify(history.observed),
    risk_override: nextOverride ? JSON.stringify(nextOverride) : null,
    last_visit_date: history.lastVisitDate,
    last_seen_date: history.lastSeenDate,
    unseen_streak: history.unseenStreak,
    next_visit_due: schedule.nextDue,
  });
  if (!ok) throw new ChildMoved();
  const changes: Change[] = [];
  const push = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  };
  push('lastVisitDate', child.last_visit_date, history.lastVisitDate);
  push('nextVisitDue', child.next_visit_due, schedule.nextDue);
  push('riskLevel', child.risk_level, schedule.risk.level);
  push('riskFactors', (JSON.parse(child.risk_factors) as string[]).join('、'), schedule.risk.factors.join('、'));
  return changes;
}

function correctionFor(ctx: RequestContext, row: VisitWithChild, side: VisitSide, now: number): VisitRecord['correction'] {
  const author = row.visitor_id === ctx.actor.id && now - Date.parse(row.created_at) < AUTHOR_CORRECTION_MS;
  if (author && can(ctx.actor.role, RECORD_ACTION[side])) return 'author';
  if (side === 'staff' && can(ctx.actor.role, 'visit.correct')) return 'supervisor';
  return 'none';
}

async function presentRows(deps: Deps, ctx: RequestContext, rows: VisitWithChild[], side: VisitSide): Promise<VisitRecord[]> {
  const photos = await listVisitPhotos(deps.db, rows.map((r) => r.id));
  const now = deps.clock.now().getTime();
  return rows.map((r) => presentVisit(r, photos.filter((p) => p.visit_id === r.id).map(fileRefOf), correctionFor(ctx, r, side, now)));
}

async function loadVisit(deps: Deps, ctx: RequestContext, id: string, side: VisitSide): Promise<VisitRecord> {
  const row = await findVisitInScope(deps.db, id, scopeOf(ctx, side));
  if (!row) throw notFound();
  return (await presentRows(deps, ctx, [row], side))[0]!;
}

/**
 * A resent client id: the stored visit when it is this child's, in reach and
 * sent with the same content (REPLAY_MISMATCH otherwise); nothing when new.
 */
async function resentVisit(deps: Deps, ctx: RequestContext, side: VisitSide, childId: string, id: string, hash: string): Promise<VisitRecord | null> {
  const existing = await findVisitById(deps.db, id);
  if (!existing) return null;
  if (existing.child_id !== childId) throw new AppError('CONFLICT', { field: 'id' });
  requireSameInput(existing.input_hash, hash);
  return loadVisit(deps, ctx, id, side);
}

// ---------------------------------------------------------------- recording

/**
 * The answer to recording or correcting a visit: the visit and what it
 * suggests. A serious psychological concern proposes a referral (转介) to the
 * social-work station of the child's township: its organisation is named when
 * there is one and the actor may refer (issue 5 §2); nothing is sent by itself.
 */
async function answerVisit(deps: Deps, ctx: RequestContext, visit: VisitRecord): Promise<RecordedVisit> {
  const answer = recordedVisit(visit);
  if (!answer.suggestions.includes('referral_social_work') || !can(ctx.actor.role, 'referral.create')) return answer;
  const station = await findTownshipStation(deps.db, visit.region.code);
  return { ...answer, referralTo: station ? { organisationId: station.id, name: station.name } : null };
}

/**
 * Records a visit. In one transaction: the visit (with the due date it had to
 * meet), its photos, the child's observed factors, last visit, last seen,
 * unseen streak, risk and next due date, a campaign task when it completes one,
 * a history row and an audit row. The same client id again answers the stored
 * visit and writes nothing.
 */
export async function recordVisit(deps: Deps, ctx: RequestContext, childId: string, input: VisitInput, side: VisitSide = 'staff'): Promise<{ visit: RecordedVisit; created: boolean }> {
  requirePermission(ctx.actor, RECORD_ACTION[side]);
  const hash = input.id ? inputHash(deps.crypto, 'visit', input) : null;
  if (input.id && hash) {
    const resent = await resentVisit(deps, ctx, side, childId, input.id, hash);
    if (resent) return { visit: await answerVisit(deps, ctx, resent), created: false };
  }
  checkKind(input.kind, side, !!input.campaignTaskId);
  checkChecklist(input.kind, input.checklist, input.checklistAllFine === true);
  const photoIds = [...new Set(input.photoIds)];
  // School contacts do not upload visit photos.
  if (side === 'school' && photoIds.length > 0) throw invalid('photoIds', 'not_found');
  const day = today(deps);
  checkVisitDate(input.visitDate, null, day);
  const id = input.id ?? newId();
  const scope = scopeOf(ctx, side);
  try {
    await withRetry(() =>
      inTransaction(deps.db, async (trx) => {
        const child = await findChildForVisit(trx, childId, scope);
        // Staff's outbox shows why a queued visit was refused: the file closed, the child moved away (issue 15 point 4).
        if (side === 'staff') await requireChildReachable(trx, ctx, childId, child);
        if (!child) throw notFound();
        requireOpenFile(child, ctx);
        checkVisitDate(input.visitDate, child.birth_date, day);
        const photos = await findUnattachedPhotos(trx, childId, photoIds, ctx.actor.id);
        if (photos.length !== photoIds.length) throw invalid('photoIds', 'not_found');
        const now = deps.clock.now().toISOString();
        const dueDate = child.next_visit_due;
        await insertVisit(trx, {
          id,
          child_id: childId,
          region_code: child.region_code,
          county_code: child.county_code,
          ...visitContentColumns(input),
          visitor_id: ctx.actor.id,
          visitor_name: ctx.actor.displayName,
          visitor_role: ctx.actor.role,
          organisation_id: ctx.actor.organisationId,
          campaign_task_id: input.campaignTaskId ?? null,
          due_date: dueDate,
          on_time: dueDate === null ? null : input.visitDate <= dueDate ? 1 : 0,
          version: 1,
          created_at: now,
          updated_at: now,
          corrected_at: null,
          input_hash: hash,
        });
        await attachPhotos(trx, photoIds, id);
        const changes = await refreshSchedule(trx, child, await scheduleSettings(trx), day);
        const task = input.campaignTaskId ? await completeCampaignTask(trx, deps.dialect, { taskId: input.campaignTaskId, childId, visitId: id, answers: input.campaignAnswers, at: now }) : null;
        await historyAndAudit(trx, deps, ctx, child, {
          historyAction: 'visit',
          auditAction: 'visit.record',
          changes: [{ field: 'visit', from: null, to: input.visitDate }, ...changes],
          targetType: 'visit',
          targetId: id,
          details: { childId, kind: input.kind, seenInPerson: input.seenInPerson, checklistAllFine: input.checklistAllFine === true, fields: changes.map((c) => c.field), ...(task ? { campaignTaskId: input.campaignTaskId, problems: task.problems } : {}) },
        });
      }),
    );
  } catch (err) {
    // The same client id sent twice at once: the other request stored it.
    if (input.id && hash && isUniqueViolation(err)) {
      const resent = await resentVisit(deps, ctx, side, childId, input.id, hash);
      if (resent) return { visit: await answerVisit(deps, ctx, resent), created: false };
    }
    throw err;
  }
  return { visit: await answerVisit(deps, ctx, await loadVisit(deps, ctx, id, side)), created: true };
}

/** Stores a visit photo before the visit is saved (a phone uploads each as it is taken); the visit attaches it. */
export async function uploadVisitPhoto(deps: Deps, ctx: RequestContext, childId: string, upload: Buffer, keepLocation: boolean): Promise<FileRef> {
  requirePermission(ctx.actor, 'visit.record');
  const found = await findChildInScope(deps.db, childId, ctx.actor.scopeRegion);
  if (!found) throw notFound();
  requireOpenFile(found, ctx);
  const image = await processImage(upload, { keepLocation });
  const fileId = newId();
  const relative = await writeFileBytes(deps, fileId, image.data);
  const now = deps.clock.now().toISOString();
  try {
    await inTransaction(deps.db, async (trx) => {
      const child = await findChildInScope(trx, childId, ctx.actor.scopeRegion);
      if (!child) throw notFound();
      requireOpenFile(child, ctx);
      await insertFile(trx, fileRowOf({ id: fileId, relative, ...image }, { childId, purpose: 'visit_photo', actorId: ctx.actor.id, at: now }));
      await audit(trx, deps, ctx, { action: 'visit.photo', targetType: 'file', targetId: fileId, regionCode: child.region_code, details: { childId, keptLocation: image.keptLocation } });
    });
  } catch (err) {
    await discardFileBytes(deps, relative);
    throw err;
  }
  return fileRefOf({ id: fileId, created_at: now });
}

// ---------------------------------------------------------------- reading

export async function listVisitsOfChild(deps: Deps, ctx: RequestContext, childId: string, page: number, pageSize: number) {
  requirePermission(ctx.actor, 'child.read');
  const child = await findChildInScope(deps.db, childId, ctx.actor.scopeRegion);
  if (!child) throw notFound();
  const { rows, total } = await listChildVisits(deps.db, childId, page, pageSize);
  return { items: await presentRows(deps, ctx, rows, 'staff'), total, page, pageSize };
}

/** A visit the actor recorded himself, reached through his side's scope (a school contact reads no other visit). */
export async function getOwnVisit(deps: Deps, ctx: RequestContext, id: string, side: VisitSide): Promise<VisitRecord> {
  requirePermission(ctx.actor, RECORD_ACTION[side]);
  const row = await findVisitInScope(deps.db, id, scopeOf(ctx, side));
  if (!row || row.visitor_id !== ctx.actor.id) throw notFound();
  return (await presentRows(deps, ctx, [row], side))[0]!;
}

export async function getVisit(deps: Deps, ctx: RequestContext, id: string): Promise<VisitRecord> {
  requirePermission(ctx.actor, 'child.read');
  return loadVisit(deps, ctx, id, 'staff');
}

// ---------------------------------------------------------------- correcting

/**
 * Corrects a visit: its author alone within 24 hours of recording it; after
 * that, or someone else's, whoever holds visit.correct (supervisor, admins),
 * with a reason. Each correction keeps a revision (old → new per field),
 * bumps the version (409 on a stale one) and recomputes the child's schedule.
 */
export async function correctVisit(deps: Deps, ctx: RequestContext, id: string, input: VisitCorrection, side: VisitSide = 'staff'): Promise<RecordedVisit> {
  requirePermission(ctx.actor, RECORD_ACTION[side]);
  const day = today(deps);
  checkVisitDate(input.visitDate, null, day);
  const scope = scopeOf(ctx, side);
  await withRetry(() =>
    inTransaction(deps.db, async (trx) => {
      const visit = await findVisitInScope(trx, id, scope);
      if (!visit) throw notFound();
      const child = await findChildForVisit(trx, visit.child_id, scope);
      if (!child) throw notFound();
      requireOpenFile(child, ctx);
      if (input.version !== visit.version) {
        // A correction resent by the outbox after it was applied: the visit already reads as sent, nothing to write again.
        const applied = input.version < visit.version && correctionChanges(contentOf(visit, (await listVisitPhotos(trx, [visit.id])).map((f) => f.id)), { ...input, photoIds: [...new Set(input.photoIds)] }).length === 0;
        if (applied) return;
        throw new AppError('CONFLICT', { field: 'version', data: { currentVersion: visit.version } });
      }
      const now = deps.clock.now();
      const correction = correctionFor(ctx, visit, side, now.getTime());
      if (correction === 'none') throw new AppError('FORBIDDEN');
      const reason = input.reason?.trim() ? input.reason.trim() : null;
      if (correction === 'supervisor' && !reason) throw invalid('reason', 'required');
      checkKind(input.kind, visit.kind === 'school_vacation' ? 'school' : 'staff', !!visit.campaign_task_id);
      checkChecklist(input.kind, input.checklist, input.checklistAllFine === true);
      checkVisitDate(input.visitDate, child.birth_date, day);

      const currentIds = (await listVisitPhotos(trx, [visit.id])).map((f) => f.id);
      const nextIds = [...new Set(input.photoIds)];
      const added = nextIds.filter((p) => !currentIds.includes(p));
      const removed = currentIds.filter((p) => !nextIds.includes(p));
      if (added.length > 0 && (side === 'school' || (await findUnattachedPhotos(trx, child.id, added, ctx.actor.id)).length !== added.length)) throw invalid('photoIds', 'not_found');

      const changes = correctionChanges(contentOf(visit, currentIds), { ...input, photoIds: nextIds });
      if (changes.length === 0) return; // nothing to correct: no revision, no new version
      const at = now.toISOString();
      const ok = await updateVisitIfVersion(trx, visit.id, visit.version, {
        ...visitContentColumns(input),
        on_time: visit.due_date === null ? null : input.visitDate <= visit.due_date ? 1 : 0,
        updated_at: at,
        corrected_at: at,
      });
      if (!ok) throw new AppError('CONFLICT', { field: 'version' });
      await attachPhotos(trx, added, visit.id);
      await detachPhotos(trx, removed, at, ctx.actor.id);
      await insertVisitRevision(trx, { id: newId(), visit_id: visit.id, child_id: child.id, at, actor_id: ctx.actor.id, actor_name: ctx.actor.displayName, reason, changes: JSON.stringify(changes) });
      if (visit.campaign_task_id && changes.some((c) => c.field === 'campaignAnswers')) await recountTaskProblems(trx, visit.campaign_task_id, input.campaignAnswers);
      const scheduleChanges = await refreshSchedule(trx, child, await scheduleSettings(trx), day);
      await historyAndAudit(trx, deps, ctx, child, {
        historyAction: 'visit_correct',
        auditAction: 'visit.correct',
        changes: [...changes.map((c) => ({ field: `visit.${c.field}`, from: c.from, to: c.to })), ...scheduleChanges],
        comment: reason,
        targetType: 'visit',
        targetId: visit.id,
        details: { childId: child.id, fields: changes.map((c) => c.field), by: correction, ...(reason ? { reason } : {}) },
      });
    }),
  );
  return answerVisit(deps, ctx, await loadVisit(deps, ctx, id, side));
}

// ---------------------------------------------------------------- risk override

/** Sets the child's risk level by hand, with a reason (null clears it); the due date follows. */
export async function overrideRisk(deps: Deps, ctx: RequestContext, childId: string, input: { level: RiskOverride['level'] | null; reason: string }): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'risk.override');
  const day = today(deps);
  const row = await withRetry(() =>
    inTransaction(deps.db, async (trx) => {
      const child = await findChildInScope(trx, childId, ctx.actor.scopeRegion);
      if (!child) throw notFound();
      requireOpenFile(child, ctx);
      const previous = child.risk_override ? (JSON.parse(child.risk_override) as RiskOverride) : null;
      const override: RiskOverride | null = input.level === null ? null : { level: input.level, reason: input.reason, by: ctx.actor.displayName, at: deps.clock.now().toISOString() };
      const changes = await refreshSchedule(trx, child, await scheduleSettings(trx), day, override);
      await historyAndAudit(trx, deps, ctx, child, {
        historyAction: override ? 'risk_override' : 'clear_risk_override',
        auditAction: override ? 'child.risk_override' : 'child.clear_risk_override',
        changes: [{ field: 'riskOverride', from: previous?.level ?? null, to: override?.level ?? null }, ...changes],
        comment: input.reason,
        targetType: 'child',
        targetId: childId,
        details: { fields: ['riskOverride', ...changes.map((c) => c.field)], comment: input.reason },
      });
      return findChildInScope(trx, childId, ctx.actor.scopeRegion);
    }),
  );
  return detailOf(deps, row!);
}

// ---------------------------------------------------------------- schedule settings

export function getScheduleSettings(deps: Deps): Promise<ScheduleSettings> {
  return scheduleSettings(deps.db);
}

/**
 * Changes the visit intervals; every open file's risk and due date are then
 * recomputed in batches in the background (the daily re-derivation, which
 * reads these settings), as the category settings do.
 */
export async function setScheduleSettings(
  deps: Deps,
  ctx: RequestContext,
  input: ScheduleSettings,
  onRecomputed: (result: Promise<unknown>) => void = (p) => void p.catch(() => undefined),
): Promise<ScheduleSettings> {
  requirePermission(ctx.actor, 'settings.manage');
  // A more urgent level is visited at least as often as a less urgent one (RISK_LEVELS runs from low to urgent).
  for (let i = 1; i < RISK_LEVELS.length; i++) {
    const level = RISK_LEVELS[i]!;
    if (input.intervalDays[level] > input.intervalDays[RISK_LEVELS[i - 1]!]) throw invalid(`intervalDays.${level}`, 'interval_order');
  }
  await inTransaction(deps.db, async (trx) => {
    const before = await scheduleSettings(trx);
    await writeSetting(trx, 'visit_schedule', input, deps.clock.now().toISOString());
    await audit(trx, deps, ctx, { action: 'settings.visit_schedule', targetType: 'setting', targetId: 'visit_schedule', details: { from: before, to: input } });
  });
  onRecomputed(rederiveCategories(deps));
  return scheduleSettings(deps.db);
}
