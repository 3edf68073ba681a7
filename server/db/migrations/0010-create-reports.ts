import type { Kysely } from 'kysely';

/**
 * Mandatory reports (强制报告, DESIGN §5). Scoped like visits by the child's
 * village (region_code) and county (county_code) at the time of the report.
 * Triggers are a JSON array of codes; the reporter's identity sits in its own
 * columns so the presenter can leave it out for everyone but civil-affairs
 * administrators. Actions and feedback are rows of protection_report_entries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('protection_reports')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('visit_id', 'varchar(36)', (c) => c.references('visits.id'))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('county_code', 'varchar(6)', (c) => c.notNull())
    .addColumn('triggers', 'text', (c) => c.notNull())
    .addColumn('discovered_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('reporter_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('reporter_phone', 'varchar(30)')
    .addColumn('reporter_unit', 'varchar(100)')
    .addColumn('description', 'text')
    .addColumn('police_notified_at', 'varchar(30)')
    .addColumn('police_method', 'varchar(20)')
    .addColumn('police_receipt_no', 'varchar(60)')
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(30)')
    .addColumn('closed_by', 'varchar(36)')
    .addColumn('closure_note', 'text')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_by_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Lists by scope and status, newest discovery first; the late ones are open rows with no police time, by discovery.
  await db.schema.createIndex('protection_reports_region_idx').on('protection_reports').columns(['region_code', 'status', 'discovered_at']).execute();
  await db.schema.createIndex('protection_reports_county_idx').on('protection_reports').columns(['county_code', 'status', 'discovered_at']).execute();
  await db.schema.createIndex('protection_reports_late_idx').on('protection_reports').columns(['status', 'police_notified_at', 'discovered_at', 'region_code']).execute();
  await db.schema.createIndex('protection_reports_child_idx').on('protection_reports').columns(['child_id', 'discovered_at']).execute();

  await db.schema
    .createTable('protection_report_entries')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('report_id', 'varchar(36)', (c) => c.notNull().references('protection_reports.id'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('protection_report_entries_report_idx').on('protection_report_entries').columns(['report_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('protection_report_entries').execute();
  await db.schema.dropTable('protection_reports').execute();
}
