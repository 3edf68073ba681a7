/**
 * Transfer requests (issue 12 §1). One ID number is one file: a user who
 * meets a number filed outside his area cannot register the child again, and
 * asks instead for the child to be moved to his village. The owning side
 * (whoever's scope holds the file now, with child.handover) transfers the
 * child there or declines with a reason. The asker is told nothing of the
 * file until it is his: only his request's state, the decline's reason, and
 * after the transfer the file itself. Every step: one transaction, one audit
 * row (the transfer's is the child.transfer row, naming the request).
 */
import { actorCan } from '../../../domain/access.js';
import { normalisePersonName } from '../../../domain/person-name.js';
import { regionLevel } from '../../../domain/regions.js';
import type { IncomingTransferRequest, OutgoingTransferRequest, TransferRequestInput, TransferRequests } from '../../../domain/children/transfer-requests.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { findChildInScope } from '../children/children.repository.js';
import { moveChild } from '../children/child-transfer.js';
import { findRegion, findRegionPath } from '../regions/regions.repository.js';
import { findOpenChildByIdHash, findOpenRequest, findRequest, findRequestInScope, insertTransferRequest, listIncoming, listOutgoing, settleRequest, type RequestWithChild } from './transfer-requests.repository.js';

async function placeName(db: Db, code: string): Promise<string> {
  return (await findRegionPath(db, code)).map((r) => r.name).join(' ');
}

async function villageRef(db: Db, code: string) {
  const region = await findRegion(db, code);
  return { code, name: region?.name ?? code, level: regionLevel(code) };
}

/** The asker's view: what he wrote and the state; the child only once it is in his scope. */
async function outgoingOf(db: Db, ctx: RequestContext, row: RequestWithChild): Promise<OutgoingTransferRequest> {
  return {
    id: row.id,
    name: row.asked_name,
    note: row.note,
    to: await villageRef(db, row.to_village),
    askedAt: row.asked_at,
    state: row.state as OutgoingTransferRequest['state'],
    decidedAt: row.decided_at,
    declineReason: row.decline_reason,
    childId: row.state === 'transferred' && isInScope(ctx.actor, row.child_region) ? row.child_id : null,
  };
}

async function incomingOf(db: Db, row: RequestWithChild): Promise<IncomingTransferRequest> {
  return {
    id: row.id,
    child: { id: row.child_id, name: row.child_name, region: { code: row.child_region, name: row.child_region_name, level: 'village' } },
    askedName: row.asked_name,
    note: row.note,
    to: await placeName(db, row.to_village),
    askedBy: row.asked_by_name,
    askedAt: row.asked_at,
  };
}

/**
 * Asks for the file with this ID number, outside the actor's scope, to be
 * moved to his village. Asking again for the same child and village while a
 * request is open answers that request. The ID number must have a file
 * outside the scope: one in it is opened, not asked for.
 */
export async function requestTransfer(deps: Deps, ctx: RequestContext, input: TransferRequestInput): Promise<{ created: boolean; request: OutgoingTransferRequest }> {
  requirePermission(ctx.actor, 'child.register');
  return inTransaction(deps.db, async (trx) => {
    const village = await findRegion(trx, input.regionCode);
    if (!village || !isInScope(ctx.actor, input.regionCode)) throw invalid('regionCode', 'not_found');
    if (regionLevel(input.regionCode) !== 'village') throw invalid('regionCode', 'not_village');
    const child = await findOpenChildByIdHash(trx, deps.crypto.keyedHash(input.idNumber));
    if (!child) throw invalid('idNumber', 'no_file_elsewhere');
    if (isInScope(ctx.actor, child.region_code)) throw invalid('idNumber', 'file_in_scope');
    const open = await findOpenRequest(trx, child.id, input.regionCode);
    if (open) {
      const row = await findRequest(trx, open.id);
      return { created: false, request: await outgoingOf(trx, ctx, row!) };
    }
    const id = newId();
    const now = deps.clock.now().toISOString();
    await insertTransferRequest(trx, {
      id,
      child_id: child.id,
      to_village: input.regionCode,
      asked_name: normalisePersonName(input.name),
      note: input.note,
      asked_by: ctx.actor.id,
      asked_by_name: ctx.actor.displayName,
      asked_at: now,
      state: 'open',
      decided_at: null,
      decided_by: null,
      decline_reason: null,
    });
    // Written where the file is (its county reads it); the details hold no ID number, nor the asker's village (the request does).
    await audit(trx, deps, ctx, { action: 'child.transfer_request', targetType: 'child', targetId: child.id, regionCode: child.region_code, details: { requestId: id } });
    const row = await findRequest(trx, id);
    return { created: true, request: await outgoingOf(trx, ctx, row!) };
  });
}

/** The open requests about files of the scope, and the actor's own requests. */
export async function listTransferRequests(deps: Deps, ctx: RequestContext): Promise<TransferRequests> {
  requirePermission(ctx.actor, 'worklist.read');
  const incoming = actorCan(ctx.actor, 'child.read') ? await listIncoming(deps.db, ctx.actor.scopeRegion) : [];
  const outgoing = actorCan(ctx.actor, 'child.register') ? await listOutgoing(deps.db, ctx.actor.id) : [];
  return {
    incoming: await Promise.all(incoming.map((r) => incomingOf(deps.db, r))),
    outgoing: await Promise.all(outgoing.map((r) => outgoingOf(deps.db, ctx, r))),
    mayDecide: actorCan(ctx.actor, 'child.handover'),
  };
}

async function openRequestInScope(trx: Db, ctx: RequestContext, id: string): Promise<RequestWithChild> {
  const row = await findRequestInScope(trx, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  if (row.state !== 'open') throw new AppError('INVALID_STATE', { params: { status: ctx.actor.locale === 'en-US' ? 'settled' : '已处理' } });
  return row;
}

/** Moves the child to the village asked for (outside the decider's scope, inside the asker's) and settles the request. */
export async function acceptTransferRequest(deps: Deps, ctx: RequestContext, id: string): Promise<TransferRequests> {
  requirePermission(ctx.actor, 'child.handover');
  await inTransaction(deps.db, async (trx) => {
    const request = await openRequestInScope(trx, ctx, id);
    const child = await findChildInScope(trx, request.child_id, ctx.actor.scopeRegion);
    if (!child) throw notFound();
    const village = await findRegion(trx, request.to_village);
    if (!village || regionLevel(request.to_village) !== 'village') throw invalid('regionCode', 'not_found');
    if (!(await settleRequest(trx, id, { state: 'transferred', decided_at: deps.clock.now().toISOString(), decided_by: ctx.actor.id, decline_reason: null }))) throw new AppError('CONFLICT');
    // Audited where the decision was taken, naming the request rather than the village outside the decider's scope.
    await moveChild(trx, deps, ctx, child, request.to_village, request.note, { audit: { regionCode: child.region_code, details: { requestId: id }, withoutTo: true } });
  });
  return listTransferRequests(deps, ctx);
}

export async function declineTransferRequest(deps: Deps, ctx: RequestContext, id: string, reason: string): Promise<TransferRequests> {
  requirePermission(ctx.actor, 'child.handover');
  await inTransaction(deps.db, async (trx) => {
    const request = await openRequestInScope(trx, ctx, id);
    if (!(await settleRequest(trx, id, { state: 'declined', decided_at: deps.clock.now().toISOString(), decided_by: ctx.actor.id, decline_reason: reason }))) throw new AppError('CONFLICT');
    await audit(trx, deps, ctx, { action: 'child.transfer_request.decline', targetType: 'child', targetId: request.child_id, regionCode: request.child_region, details: { requestId: id, reason } });
  });
  return listTransferRequests(deps, ctx);
}
