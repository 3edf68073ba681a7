import type { Kysely } from 'kysely';

/**
 * Uploaded files (a child's photo now; visit photos and scanned letters later).
 * The bytes live under `<dataDir>/files/`; this table says whose they are.
 * A file has no region of its own: access always goes through its child, so
 * a transfer moves the child's files with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('purpose', 'varchar(24)', (c) => c.notNull())
    .addColumn('mime', 'varchar(40)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('path', 'varchar(200)', (c) => c.notNull())
    .addColumn('kept_location', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('removed_at', 'varchar(30)')
    .addColumn('removed_by', 'varchar(36)')
    .execute();
  await db.schema.createIndex('files_child_idx').on('files').columns(['child_id', 'purpose', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('files').execute();
}
