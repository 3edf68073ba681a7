import type { Kysely } from 'kysely';

// The child file (一人一档). Filterable facts are columns; the rest of the
// file (parents, carer, schooling, health, support) is one JSON document.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('children')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull().references('regions.code'))
    .addColumn('county_code', 'varchar(6)', (c) => c.notNull())
    .addColumn('name', 'varchar(50)', (c) => c.notNull())
    .addColumn('name_pinyin', 'varchar(200)', (c) => c.notNull())
    .addColumn('sex', 'varchar(6)', (c) => c.notNull())
    .addColumn('birth_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('id_hash', 'varchar(64)')
    .addColumn('id_cipher', 'varchar(200)')
    .addColumn('id_masked', 'varchar(18)')
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('left_behind', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('distress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unsupported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('risk_level', 'varchar(8)', (c) => c.notNull().defaultTo('low'))
    .addColumn('school_status', 'varchar(16)', (c) => c.notNull())
    .addColumn('aging_out_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('review_comment', 'varchar(500)')
    .addColumn('close_reason', 'varchar(20)')
    .addColumn('close_note', 'varchar(500)')
    .addColumn('closed_at', 'varchar(30)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  // Lists are scoped by region range and sorted; these serve the common orders and filters.
  await db.schema.createIndex('children_region_updated_idx').on('children').columns(['region_code', 'updated_at']).execute();
  await db.schema.createIndex('children_region_status_idx').on('children').columns(['status', 'region_code']).execute();
  await db.schema.createIndex('children_name_idx').on('children').columns(['name', 'region_code']).execute();
  await db.schema.createIndex('children_pinyin_idx').on('children').columns(['name_pinyin', 'birth_date']).execute();
  await db.schema.createIndex('children_birth_idx').on('children').columns(['birth_date', 'region_code']).execute();
  await db.schema.createIndex('children_id_hash_idx').on('children').column('id_hash').execute();
  await db.schema.createIndex('children_aging_out_idx').on('children').columns(['aging_out_date', 'region_code']).execute();

  // History of every change: who, when, old → new per field (sensitive values masked).
  await db.schema
    .createTable('child_changes')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('comment', 'varchar(500)')
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('child_changes_child_idx').on('child_changes').columns(['child_id', 'at']).execute();

  // Duplicate warnings the user resolved: linked to an existing file, or dismissed with a reason.
  await db.schema
    .createTable('duplicate_reviews')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('candidate_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('decision', 'varchar(10)', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)')
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('duplicate_reviews_child_idx').on('duplicate_reviews').column('child_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['duplicate_reviews', 'child_changes', 'children']) await db.schema.dropTable(table).execute();
}
