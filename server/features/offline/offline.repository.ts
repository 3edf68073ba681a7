/** SQL of offline field work: a village's open files, and the offline key kept with the session. */
import type { Db } from '../../db/database.js';
import type { ChildWithRegion } from '../children/children.repository.js';

/** A village's files that are not closed (registered, returned, active, awaiting closure), by name. */
export function listOpenChildrenOfVillage(db: Db, villageCode: string): Promise<ChildWithRegion[]> {
  return db
    .selectFrom('children')
    .innerJoin('regions', 'regions.code', 'children.region_code')
    .selectAll('children')
    .select('regions.name as region_name')
    .where('children.region_code', '=', villageCode)
    .where('children.status', '!=', 'closed')
    .orderBy('children.name')
    .orderBy('children.id')
    .execute();
}

export function findSessionKey(db: Db, sessionId: string): Promise<{ offline_key: string | null | undefined; expires_at: string } | undefined> {
  return db.selectFrom('sessions').select(['offline_key', 'expires_at']).where('id', '=', sessionId).executeTakeFirst();
}

/** Stores the session's key unless it has one already (two first requests at once keep one key). */
export async function setSessionKeyIfNone(db: Db, sessionId: string, sealed: string): Promise<boolean> {
  const result = await db.updateTable('sessions').set({ offline_key: sealed }).where('id', '=', sessionId).where('offline_key', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
