import type { Kysely } from 'kysely';

/**
 * Referral attachments (issue 5 §2): a file the sender attaches to a referral
 * is a row of `files` (its child_id kept, so staff reach it through the child's
 * scope as any file) linked to the referral, with the name it was sent under.
 * SQLite adds one column per ALTER TABLE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('files').addColumn('referral_id', 'varchar(36)', (c) => c.references('referrals.id')).execute();
  await db.schema.alterTable('files').addColumn('original_name', 'varchar(200)').execute();
  await db.schema.createIndex('files_referral_idx').on('files').columns(['referral_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('files_referral_idx').execute();
  await db.schema.alterTable('files').dropColumn('original_name').execute();
  await db.schema.alterTable('files').dropColumn('referral_id').execute();
}
