import type { Kysely } from 'kysely';

/**
 * Issue 11 §9 and §4: `key_check` holds one value computed from the master key
 * (an HMAC of a fixed text), written on the first start: a later start with
 * another key, or with none, is refused before anything is read or written.
 * The audit log gains an index on its action, which verification uses to find
 * the row where the chain became keyed (and the audit page's action filter).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_check')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_action_idx').on('audit_log').columns(['action', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_action_idx').execute();
  await db.schema.dropTable('key_check').execute();
}
