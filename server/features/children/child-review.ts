/**
 * The file's approval workflow: a registration approved or returned, a
 * closure asked for, approved or rejected. Each a status change allowed from
 * given states only, with its history and audit rows.
 */
import type { Action } from '../../../domain/access.js';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { computeSchedule } from '../../../domain/visits/child-schedule.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { ChildTable } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { factsOf, openProfile } from './child-file.js';
import { visitsMetaOf } from './child-row.js';
import { type ChildChangeAction, detailOf, loadChild, recordChange, requireStatus, today } from './child-steps.js';
import { type ChildWithRegion, updateChildIfVersion } from './children.repository.js';
import { scheduleSettings } from '../shared/stored-settings.js';

type Transition = { status: string; historyAction: ChildChangeAction; comment?: string | null; extra?: Partial<ChildTable> };

/** Status changes of the approval workflow, each allowed from given states only. */
async function transition(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  action: Action,
  from: readonly string[],
  change: (row: ChildWithRegion, trx: Db) => Transition | Promise<Transition>,
): Promise<ChildDetail> {
  requirePermission(ctx.actor, action);
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, from, ctx);
    const next = await change(current, trx);
    const ok = await updateChildIfVersion(trx, id, current.version, {
      status: next.status,
      updated_at: deps.clock.now().toISOString(),
      ...(next.extra ?? {}),
    });
    if (!ok) throw new AppError('CONFLICT', { data: { currentVersion: current.version } });
    await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, next.historyAction, [{ field: 'status', from: current.status, to: next.status }], next.comment ?? null);
    return loadChild(trx, ctx, id);
  });
  return detailOf(deps, row);
}

/**
 * Approving a registration puts the file on the work lists: its risk and due
 * date are worked out again with today's settings (the same computeSchedule as
 * every other writer), so that a file pending for days enters them as the
 * child page and the lists will state it.
 */
export const approveRegistration = (deps: Deps, ctx: RequestContext, id: string, comment: string | null | undefined) =>
  transition(deps, ctx, id, 'child.approve', ['pending'], async (row, trx) => {
    const profile = openProfile(row.profile, deps.crypto);
    const facts = factsOf({ birthDate: row.birth_date, sex: row.sex as 'male' | 'female', profile });
    const schedule = computeSchedule({ facts, ...visitsMetaOf(row) }, today(deps), await scheduleSettings(trx));
    return {
      status: 'active',
      historyAction: 'approve',
      comment,
      extra: { review_comment: comment ?? null, risk_level: schedule.risk.level, risk_factors: JSON.stringify(schedule.risk.factors), next_visit_due: schedule.nextDue },
    };
  });

export const returnRegistration = (deps: Deps, ctx: RequestContext, id: string, comment: string) =>
  transition(deps, ctx, id, 'child.approve', ['pending'], () => ({ status: 'returned', historyAction: 'return', comment, extra: { review_comment: comment } }));

export const closeChild = (deps: Deps, ctx: RequestContext, id: string, reason: string, note: string | null | undefined) =>
  transition(deps, ctx, id, 'child.close', ['active'], () => {
    // A director asks; the supervisor (or above) decides. Their own closure takes effect at once.
    const direct = ctx.actor.role !== 'director';
    return {
      status: direct ? 'closed' : 'closing',
      historyAction: direct ? 'close' : 'request_closure',
      comment: note,
      extra: { close_reason: reason, close_note: note ?? null, ...(direct ? { closed_at: deps.clock.now().toISOString() } : {}) },
    };
  });

export const approveClosure = (deps: Deps, ctx: RequestContext, id: string, comment: string | null | undefined) =>
  transition(deps, ctx, id, 'child.approve', ['closing'], () => ({
    status: 'closed',
    historyAction: 'approve_closure',
    comment,
    extra: { closed_at: deps.clock.now().toISOString(), review_comment: comment ?? null },
  }));

export const rejectClosure = (deps: Deps, ctx: RequestContext, id: string, comment: string) =>
  transition(deps, ctx, id, 'child.approve', ['closing'], () => ({
    status: 'active',
    historyAction: 'reject_closure',
    comment,
    extra: { close_reason: null, close_note: null, review_comment: comment },
  }));
