import type { Db } from '../../db/database.js';
import type { TransferRequestRow, TransferRequestTable } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

/** An open file (not closed) with this keyed hash of its ID number, wherever it is. */
export function findOpenChildByIdHash(db: Db, idHash: string): Promise<{ id: string; region_code: string; status: string } | undefined> {
  return db.selectFrom('children').select(['id', 'region_code', 'status']).where('id_hash', '=', idHash).where('status', '!=', 'closed').orderBy('id').executeTakeFirst();
}

export function findOpenRequest(db: Db, childId: string, toVillage: string): Promise<TransferRequestRow | undefined> {
  return db.selectFrom('transfer_requests').selectAll().where('child_id', '=', childId).where('to_village', '=', toVillage).where('state', '=', 'open').executeTakeFirst();
}

export async function insertTransferRequest(db: Db, row: TransferRequestTable): Promise<void> {
  await db.insertInto('transfer_requests').values(row).execute();
}

export type RequestWithChild = TransferRequestRow & { child_name: string; child_region: string; child_region_name: string; child_status: string; child_version: number };

function withChild(db: Db) {
  return db
    .selectFrom('transfer_requests')
    .innerJoin('children', 'children.id', 'transfer_requests.child_id')
    .innerJoin('regions', 'regions.code', 'children.region_code')
    .selectAll('transfer_requests')
    .select(['children.name as child_name', 'children.region_code as child_region', 'regions.name as child_region_name', 'children.status as child_status', 'children.version as child_version']);
}

export function findRequest(db: Db, id: string): Promise<RequestWithChild | undefined> {
  return withChild(db).where('transfer_requests.id', '=', id).executeTakeFirst();
}

/** A request about a child of the scope (the owning side's view); undefined outside it. */
export function findRequestInScope(db: Db, id: string, scopeRegion: string): Promise<RequestWithChild | undefined> {
  return withChild(db).where('transfer_requests.id', '=', id).where(inSubtree('children.region_code', scopeRegion)).executeTakeFirst();
}

/** Open requests about the children of the scope, oldest first. */
export function listIncoming(db: Db, scopeRegion: string): Promise<RequestWithChild[]> {
  return withChild(db).where('transfer_requests.state', '=', 'open').where(inSubtree('children.region_code', scopeRegion)).orderBy('transfer_requests.asked_at').limit(200).execute();
}

/** The user's own requests, newest first. */
export function listOutgoing(db: Db, userId: string): Promise<RequestWithChild[]> {
  return withChild(db).where('transfer_requests.asked_by', '=', userId).orderBy('transfer_requests.asked_at', 'desc').limit(50).execute();
}

/** Settles an open request; false when it was settled meanwhile. */
export async function settleRequest(db: Db, id: string, changes: Pick<TransferRequestTable, 'state' | 'decided_at' | 'decided_by' | 'decline_reason'>): Promise<boolean> {
  const result = await db.updateTable('transfer_requests').set(changes).where('id', '=', id).where('state', '=', 'open').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
