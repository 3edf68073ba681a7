import type { Kysely } from 'kysely';

/**
 * Offline field work (issue 15). A session keeps the key that encrypts the
 * phone's copy of the working set (sealed with the master key; deleted with
 * the session, so a lost phone's copy cannot be opened once the session is
 * over). A visit or a mandatory report sent with a client-made id keeps a
 * keyed hash of what was sent, so that the outbox resending it is answered
 * with the stored record and the same id with another body is refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('offline_key', 'varchar(200)').execute();
  await db.schema.alterTable('visits').addColumn('input_hash', 'varchar(64)').execute();
  await db.schema.alterTable('protection_reports').addColumn('input_hash', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('protection_reports').dropColumn('input_hash').execute();
  await db.schema.alterTable('visits').dropColumn('input_hash').execute();
  await db.schema.alterTable('sessions').dropColumn('offline_key').execute();
}
