import type { Kysely } from 'kysely';

/**
 * Referrals (转介, DESIGN §5): a child referred to an organisation, scoped for
 * civil-affairs staff by the child's village (region_code) and county
 * (county_code) at the time of the referral, and for the receiving agency by
 * to_organisation_id. Every transition is a row of referral_events (who, when,
 * from → to, note), beside its audit row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('visit_id', 'varchar(36)', (c) => c.references('visits.id'))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('county_code', 'varchar(6)', (c) => c.notNull())
    .addColumn('to_organisation_id', 'varchar(36)', (c) => c.notNull().references('organisations.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('urgency', 'varchar(10)', (c) => c.notNull())
    .addColumn('accept_by', 'varchar(30)', (c) => c.notNull())
    .addColumn('share_contacts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'varchar(12)', (c) => c.notNull())
    .addColumn('decline_reason', 'text')
    .addColumn('feedback', 'text')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_by_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Staff lists: scope and state, newest first; the agency inbox: organisation and state; the child's timeline.
  await db.schema.createIndex('referrals_region_idx').on('referrals').columns(['region_code', 'state', 'created_at']).execute();
  await db.schema.createIndex('referrals_county_idx').on('referrals').columns(['county_code', 'state', 'created_at']).execute();
  await db.schema.createIndex('referrals_organisation_idx').on('referrals').columns(['to_organisation_id', 'state', 'created_at']).execute();
  await db.schema.createIndex('referrals_child_idx').on('referrals').columns(['child_id', 'created_at']).execute();

  await db.schema
    .createTable('referral_events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('referral_id', 'varchar(36)', (c) => c.notNull().references('referrals.id'))
    .addColumn('action', 'varchar(12)', (c) => c.notNull())
    .addColumn('from_state', 'varchar(12)')
    .addColumn('to_state', 'varchar(12)', (c) => c.notNull())
    .addColumn('side', 'varchar(10)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referral_events_referral_idx').on('referral_events').columns(['referral_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('referral_events').execute();
  await db.schema.dropTable('referrals').execute();
}
