import type { Db } from '../../db/database.js';
import type { LoginFailureRow, SessionRow, SessionTable } from '../../db/schema.js';

export async function insertSession(db: Db, session: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteOtherSessions(db: Db, userId: string, keepId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepId).execute();
}

/** Housekeeping at sign-in: a user's sessions past their absolute expiry are removed. */
export async function deleteExpiredSessionsOfUser(db: Db, userId: string, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<', now).execute();
}

export function findLoginFailure(db: Db, userId: string, address: string): Promise<LoginFailureRow | undefined> {
  return db.selectFrom('login_failures').selectAll().where('user_id', '=', userId).where('address', '=', address).executeTakeFirst();
}

export async function saveLoginFailure(db: Db, row: LoginFailureRow): Promise<void> {
  await db
    .insertInto('login_failures')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'address']).doUpdateSet({ failures: row.failures, locked_until: row.locked_until, last_failed_at: row.last_failed_at }))
    .execute();
}

/** At a successful sign-in: that address starts afresh, and counts of other addresses idle since `before` are dropped. */
export async function clearLoginFailures(db: Db, userId: string, address: string, before: string): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('address', '=', address), eb('last_failed_at', '<', before)]))
    .execute();
}
