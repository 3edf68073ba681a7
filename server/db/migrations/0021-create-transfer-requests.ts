import type { Kysely } from 'kysely';

/**
 * Transfer requests (issue 12 §1): a user whose registration meets an ID
 * number filed outside his area asks the owning side to move the child to
 * his village. The request holds what the asker wrote (the child's name as
 * he knows it, a note) and the village asked for; the child is found again
 * through `child_id`, never shown to the asker before the transfer. It has no
 * region_code of its own: the owning side is wherever the child's file is now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('transfer_requests')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('to_village', 'varchar(12)', (c) => c.notNull())
    .addColumn('asked_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('asked_by_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('asked_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(12)', (c) => c.notNull())
    .addColumn('decided_at', 'varchar(30)')
    .addColumn('decided_by', 'varchar(36)')
    .addColumn('decline_reason', 'text')
    .execute();
  await db.schema.createIndex('transfer_requests_child_idx').on('transfer_requests').columns(['child_id', 'state']).execute();
  await db.schema.createIndex('transfer_requests_asker_idx').on('transfer_requests').columns(['asked_by', 'asked_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('transfer_requests').execute();
}
