/**
 * Moving a child to another village, with every record scoped by its village
 * (from the child page, or when a transfer request is accepted).
 */
import type { ChildDetail } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { settleTasksForMove } from '../campaigns/campaigns.repository.js';
import { detailOf, loadChild, requireStatus, villageInScope } from './child-steps.js';
import { type ChildWithRegion, insertChildChange, moveChildRecords, updateChildIfVersion } from './children.repository.js';

/**
 * Moves the child to another village of the actor's scope, with everything
 * scoped by its village (CHILD_SCOPED_TABLES: visits, reports, referrals,
 * orders, campaign tasks, history) in the same transaction; letters and files
 * are read through the child. Open tasks of campaigns that do not cover the
 * new village are withdrawn. Audit rows stay where they were written.
 */
export async function transferChild(deps: Deps, ctx: RequestContext, id: string, regionCode: string, note: string | null | undefined): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.transfer');
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    if (current.region_code === regionCode) throw invalid('regionCode', 'same_region');
    await villageInScope(trx, ctx, regionCode);
    await moveChild(trx, deps, ctx, current, regionCode, note ?? null);
    return loadChild(trx, ctx, id);
  });
  return detailOf(deps, row);
}

/**
 * The move itself, inside the caller's transaction, for a child the caller
 * has read in the actor's scope: to a village of that scope (transferChild)
 * or to the village a transfer request asked for (issue 12 §1), which the
 * asker had in his. One history entry and one audit row (for a request:
 * written in the decider's scope, naming the request instead of the village).
 */
export async function moveChild(
  trx: Db,
  deps: Deps,
  ctx: RequestContext,
  current: ChildWithRegion,
  regionCode: string,
  note: string | null,
  options: { audit?: { regionCode: string; details: Record<string, unknown>; withoutTo: boolean } } = {},
): Promise<void> {
  const id = current.id;
  requireStatus(current, ['pending', 'returned', 'active'], ctx);
  if (current.region_code === regionCode) throw invalid('regionCode', 'same_region');
  const countyCode = regionCode.slice(0, 6);
  const ok = await updateChildIfVersion(trx, id, current.version, {
    region_code: regionCode,
    county_code: countyCode,
    updated_at: deps.clock.now().toISOString(),
  });
  if (!ok) throw new AppError('CONFLICT');
  // Everything scoped by the child's village goes with it: the old village, township and county no longer see it.
  const tasks = await settleTasksForMove(trx, id, regionCode);
  const moved = await moveChildRecords(trx, id, { regionCode, countyCode });
  await insertChildChange(trx, {
    id: newId(),
    child_id: id,
    region_code: regionCode,
    at: deps.clock.now().toISOString(),
    actor_id: ctx.actor.id,
    actor_name: ctx.actor.displayName,
    action: 'transfer',
    comment: note,
    changes: JSON.stringify([{ field: 'regionCode', from: current.region_code, to: regionCode }]),
  });
  await audit(trx, deps, ctx, {
    action: 'child.transfer',
    targetType: 'child',
    targetId: id,
    regionCode: options.audit?.regionCode ?? regionCode,
    details: { from: current.region_code, ...(options.audit?.withoutTo ? {} : { to: regionCode }), moved, campaignTasks: tasks, ...options.audit?.details },
  });
}
