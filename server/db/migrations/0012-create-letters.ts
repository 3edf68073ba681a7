import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Guardianship letters (监护人责任书 / 委托监护责任书, DESIGN §5). One row per
 * signed paper letter, with a snapshot of the carer it was signed for (a
 * change of carer makes it stale: domain/letters/rules.ts). The child file
 * keeps two small counters, maintained in the transaction of every write that
 * changes them: how many letters it needs and how many of those are not
 * signed for its current carer. Work-list coverage counts read them from the
 * work-list indexes, which now carry `letters_due` too (rebuilt here).
 */
const WORKLIST_COLUMNS = ['id', 'last_visit_date', 'unseen_streak', 'aging_out_date'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('guardianship_letters')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('kind', 'varchar(12)', (c) => c.notNull())
    .addColumn('signed_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('guardian_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('guardian_relation', 'varchar(12)', (c) => c.notNull())
    .addColumn('carer_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('carer_kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('carer_name', 'varchar(64)')
    .addColumn('carer_relation', 'varchar(32)')
    .addColumn('scan_file_id', 'varchar(36)')
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'varchar(36)')
    .addColumn('recorded_by_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('guardianship_letters_child_idx').on('guardianship_letters').columns(['child_id', 'kind', 'signed_on']).execute();

  await db.schema.alterTable('children').addColumn('letters_needed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('children').addColumn('letters_due', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  // Existing files: no letter is signed yet; the entrusted letter is needed where the carer is not a parent or an institution.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const carerKind = postgres ? sql`(profile::jsonb #>> '{caregiver,kind}')` : sql`json_extract(profile, '$.caregiver.kind')`;
  await sql`update children set letters_needed = case when ${carerKind} in ('grandparent', 'relative', 'entrusted', 'alone') then 2 else 1 end`.execute(db);
  await sql`update children set letters_due = letters_needed`.execute(db);

  await db.schema.dropIndex('children_region_due_idx').execute();
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due', ...WORKLIST_COLUMNS, 'letters_due']).execute();
  await db.schema
    .createIndex('children_county_due_idx')
    .on('children')
    .columns(['county_code', 'status', 'next_visit_due', 'region_code', ...WORKLIST_COLUMNS, 'letters_due'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.dropIndex('children_region_due_idx').execute();
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due', ...WORKLIST_COLUMNS]).execute();
  await db.schema.createIndex('children_county_due_idx').on('children').columns(['county_code', 'status', 'next_visit_due', 'region_code', ...WORKLIST_COLUMNS]).execute();
  await db.schema.alterTable('children').dropColumn('letters_due').execute();
  await db.schema.alterTable('children').dropColumn('letters_needed').execute();
  await db.schema.dropTable('guardianship_letters').execute();
}
