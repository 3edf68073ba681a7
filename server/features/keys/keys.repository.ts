import type { Db } from '../../db/database.js';

export async function readKeyCheck(db: Db): Promise<string | null> {
  const row = await db.selectFrom('key_check').select('value').where('id', '=', 1).executeTakeFirst();
  return row?.value ?? null;
}

/** Records the key check once; a second server starting at the same moment keeps the first one's (compared next). */
export async function insertKeyCheck(db: Db, value: string, at: string): Promise<void> {
  await db
    .insertInto('key_check')
    .values({ id: 1, value, created_at: at })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * One value sealed with the master key (an ID number, else a phone or ID
 * number inside a file's profile), to try the key on a database from before
 * the key check existed. Null when nothing sealed is stored.
 */
export async function findSealedSample(db: Db): Promise<string | null> {
  const id = await db.selectFrom('children').select('id_cipher').where('id_cipher', 'is not', null).limit(1).executeTakeFirst();
  if (id?.id_cipher) return id.id_cipher;
  const profile = await db.selectFrom('children').select('profile').where('profile', 'like', '%"v1:%').limit(1).executeTakeFirst();
  return profile ? (/"(v1:[A-Za-z0-9+/=]+)"/.exec(profile.profile)?.[1] ?? null) : null;
}
