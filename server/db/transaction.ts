import type { Db } from './database.js';

/** Runs `fn` in one transaction: everything or nothing. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
