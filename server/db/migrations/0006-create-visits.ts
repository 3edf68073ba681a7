import type { Kysely } from 'kysely';

/**
 * Visits, risk and schedules (DESIGN §4), key verification campaigns.
 * The child keeps what its schedule is computed from (risk factors and
 * override, last visit, last time seen) and the resulting due date, a date
 * and never a status: due / due soon / overdue are worked out at read time
 * (domain/visits/schedule.ts). next_visit_due is filled for existing files
 * at start-up (bootstrap) and kept by every write that changes its inputs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('children').addColumn('risk_factors', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('children').addColumn('risk_observed', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await db.schema.alterTable('children').addColumn('risk_override', 'text').execute();
  await db.schema.alterTable('children').addColumn('last_visit_date', 'varchar(10)').execute();
  await db.schema.alterTable('children').addColumn('last_seen_date', 'varchar(10)').execute();
  await db.schema.alterTable('children').addColumn('unseen_streak', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('children').addColumn('next_visit_due', 'varchar(10)').execute();
  /** The school (an organisation) whose contact sees this pupil for vacation visits. */
  await db.schema.alterTable('children').addColumn('school_org_id', 'varchar(36)').execute();
  // Work lists: a village (director), a township range (supervisor), a county (county_code) — by due date.
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due']).execute();
  await db.schema.createIndex('children_county_due_idx').on('children').columns(['county_code', 'status', 'next_visit_due', 'region_code']).execute();
  await db.schema.createIndex('children_school_idx').on('children').columns(['school_org_id', 'status']).execute();

  await db.schema
    .createTable('visits')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('county_code', 'varchar(6)', (c) => c.notNull())
    .addColumn('visit_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('visitor_id', 'varchar(36)')
    .addColumn('visitor_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('visitor_role', 'varchar(20)', (c) => c.notNull())
    .addColumn('organisation_id', 'varchar(36)')
    .addColumn('seen_in_person', 'integer', (c) => c.notNull())
    /** JSON: who was present, the checklist, observed risk factors, follow-ups, campaign answers. */
    .addColumn('present', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('factors', 'text', (c) => c.notNull())
    .addColumn('follow_ups', 'text', (c) => c.notNull())
    .addColumn('campaign_answers', 'text')
    .addColumn('notes', 'text')
    .addColumn('dropout_risk', 'integer')
    .addColumn('campaign_task_id', 'varchar(36)')
    .addColumn('gps', 'varchar(60)')
    /** The due date in force when the visit was made, and whether the visit met it. */
    .addColumn('due_date', 'varchar(10)')
    .addColumn('on_time', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('corrected_at', 'varchar(30)')
    .execute();
  await db.schema.createIndex('visits_child_idx').on('visits').columns(['child_id', 'visit_date']).execute();
  await db.schema.createIndex('visits_region_idx').on('visits').columns(['region_code', 'visit_date']).execute();
  await db.schema.createIndex('visits_visitor_idx').on('visits').columns(['visitor_id', 'visit_date']).execute();
  await db.schema.createIndex('visits_county_idx').on('visits').columns(['county_code', 'visit_date']).execute();

  // Corrections of a visit: who, when, why, old → new per field.
  await db.schema
    .createTable('visit_revisions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('visit_id', 'varchar(36)', (c) => c.notNull().references('visits.id'))
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('reason', 'varchar(500)')
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visit_revisions_visit_idx').on('visit_revisions').columns(['visit_id', 'at']).execute();

  // Visit photos belong to a visit once it is saved.
  await db.schema.alterTable('files').addColumn('visit_id', 'varchar(36)').execute();
  await db.schema.createIndex('files_visit_idx').on('files').column('visit_id').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull().references('regions.code'))
    .addColumn('start_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('end_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('closed_by', 'varchar(36)')
    .addColumn('closed_at', 'varchar(30)')
    .addColumn('summary', 'text')
    .execute();
  await db.schema.createIndex('campaigns_region_idx').on('campaigns').columns(['region_code', 'status']).execute();

  await db.schema
    .createTable('campaign_tasks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('campaign_id', 'varchar(36)', (c) => c.notNull().references('campaigns.id'))
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('visit_id', 'varchar(36)')
    .addColumn('problems', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'varchar(30)')
    .execute();
  await db.schema.createIndex('campaign_tasks_campaign_idx').on('campaign_tasks').columns(['campaign_id', 'region_code', 'status']).execute();
  await db.schema.createIndex('campaign_tasks_region_idx').on('campaign_tasks').columns(['region_code', 'status', 'campaign_id']).execute();
  await db.schema.createIndex('campaign_tasks_child_idx').on('campaign_tasks').columns(['campaign_id', 'child_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_tasks').execute();
  await db.schema.dropTable('campaigns').execute();
  await db.schema.dropIndex('files_visit_idx').execute();
  await db.schema.alterTable('files').dropColumn('visit_id').execute();
  await db.schema.dropTable('visit_revisions').execute();
  await db.schema.dropTable('visits').execute();
  await db.schema.dropIndex('children_school_idx').execute();
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.dropIndex('children_region_due_idx').execute();
  for (const column of ['school_org_id', 'next_visit_due', 'unseen_streak', 'last_seen_date', 'last_visit_date', 'risk_override', 'risk_observed', 'risk_factors']) {
    await db.schema.alterTable('children').dropColumn(column).execute();
  }
}
