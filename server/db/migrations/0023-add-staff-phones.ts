import type { Kysely } from 'kysely';

/**
 * A staff member's work phone (issue 12 point 17): the guardianship letter
 * names the village's child director and the township's supervisor as the
 * family's contacts, and now prints their numbers. Optional; written by the
 * user on the account page or by an administrator, in the one form of
 * domain/staff-phone.ts. Kept in clear: it is a work contact meant to be
 * printed and handed to families, not a minor's personal data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone', 'varchar(20)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('phone').execute();
}
