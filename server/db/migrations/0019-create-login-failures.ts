import type { Kysely } from 'kysely';

/**
 * Wrong passwords counted per (account, client address) (issue 11 §5): an
 * address that guesses too often is locked out of that account alone, so
 * that nobody can lock every account from one place; the account-wide count
 * and lock stay in `users` with a higher ceiling.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('address', 'varchar(64)', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'varchar(30)')
    .addColumn('last_failed_at', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_failures_pk', ['user_id', 'address'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_failures').execute();
}
