/**
 * Writing to a child's file from any feature (the file itself, a visit, a
 * report): a write that found the file moved under it runs again, and each
 * change leaves one history row on the file and one audit row.
 */
import type { AuditAction } from '../../../domain/audit/actions.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { audit } from '../audit/audit.service.js';
import { isWithinRegion } from '../../../domain/regions.js';
import { insertChildChange, listTransferOrigins } from '../children/children.repository.js';

/** A concurrent write moved the child's file between our read and our update: the transaction is run again. */
export class ChildMoved extends Error {}

export async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ChildMoved)) throw err;
      if (attempt >= 3) throw new AppError('CONFLICT');
    }
  }
}

/** One changed field of a child's file, as its history shows it. */
export type Change = { field: string; from: unknown; to: unknown };

/** The history row of a change to the child's file and its audit row, in the caller's transaction. */
export async function historyAndAudit(
  trx: Db,
  deps: Deps,
  ctx: RequestContext,
  child: { id: string; region_code: string },
  entry: { historyAction: string; auditAction: AuditAction; changes: Change[]; comment?: string | null; targetType: string; targetId: string; details: Record<string, unknown> },
): Promise<void> {
  await insertChildChange(trx, {
    id: newId(),
    child_id: child.id,
    region_code: child.region_code,
    at: deps.clock.now().toISOString(),
    actor_id: ctx.actor.id,
    actor_name: ctx.actor.displayName,
    action: entry.historyAction,
    comment: entry.comment ?? null,
    changes: JSON.stringify(entry.changes),
  });
  // Field names and codes only: minors' data stays out of the audit log.
  await audit(trx, deps, ctx, { action: entry.auditAction, targetType: entry.targetType, targetId: entry.targetId, regionCode: child.region_code, details: entry.details });
}

/**
 * Why a record about a child cannot be written now, as the phone's outbox must
 * show it (issue 15 point 4): the file was closed (CHILD_CLOSED), or the child
 * was transferred out of the actor's scope since (CHILD_MOVED: only for a child
 * that was in that scope, so no id outside it is confirmed to exist), or it is
 * not found. `child` is the file as found in scope, if it was.
 */
export async function requireChildReachable(db: Db, ctx: RequestContext, childId: string, child: { status: string } | undefined): Promise<void> {
  if (child) {
    if (child.status === 'closed') throw new AppError('CHILD_CLOSED');
    return;
  }
  const origins = await listTransferOrigins(db, childId);
  if (origins.some((code) => isWithinRegion(code, ctx.actor.scopeRegion))) throw new AppError('CHILD_MOVED');
  throw new AppError('NOT_FOUND');
}
