import type { Kysely } from 'kysely';

/**
 * Orders and state guardianship (法律与国家监护, DESIGN §5): supervision
 * orders, family-education guidance, temporary guardianship and petitions to
 * revoke guardianship, one table for the four kinds. Scoped like reports by the
 * child's village (region_code) and county (county_code) at the time of the
 * order. The kind-specific facts are a JSON document (details); what the lists
 * filter on (kind, state, the order's date) are columns. Follow-up checks,
 * guidance sessions and every transition are rows of protection_order_entries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('protection_orders')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('child_id', 'varchar(36)', (c) => c.notNull().references('children.id'))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('county_code', 'varchar(6)', (c) => c.notNull())
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('order_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('issuer_organisation_id', 'varchar(36)', (c) => c.references('organisations.id'))
    .addColumn('issuer_name', 'varchar(100)')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_by_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(36)')
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Lists by scope, kind and state, newest order first; a child's orders for its timeline.
  await db.schema.createIndex('protection_orders_region_idx').on('protection_orders').columns(['region_code', 'state', 'kind', 'order_date']).execute();
  await db.schema.createIndex('protection_orders_county_idx').on('protection_orders').columns(['county_code', 'state', 'kind', 'order_date']).execute();
  await db.schema.createIndex('protection_orders_child_idx').on('protection_orders').columns(['child_id', 'order_date']).execute();

  await db.schema
    .createTable('protection_order_entries')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('order_id', 'varchar(36)', (c) => c.notNull().references('protection_orders.id'))
    .addColumn('type', 'varchar(20)', (c) => c.notNull())
    .addColumn('entry_date', 'varchar(10)')
    .addColumn('note', 'text')
    .addColumn('ok', 'integer')
    .addColumn('from_state', 'varchar(20)')
    .addColumn('to_state', 'varchar(20)')
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('protection_order_entries_order_idx').on('protection_order_entries').columns(['order_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('protection_order_entries').execute();
  await db.schema.dropTable('protection_orders').execute();
}
