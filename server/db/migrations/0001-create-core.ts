import { sql, type Kysely } from 'kysely';

// Migrations never import application types: they describe the schema as it was.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'varchar(12)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('level', 'varchar(10)', (c) => c.notNull())
    .addColumn('parent_code', 'varchar(12)')
    .addColumn('valid_from', 'varchar(10)', (c) => c.notNull())
    .addColumn('valid_to', 'varchar(10)')
    .execute();
  await db.schema.createIndex('regions_parent_idx').on('regions').columns(['parent_code', 'code']).execute();
  await db.schema.createIndex('regions_name_idx').on('regions').column('name').execute();

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull().references('regions.code'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('organisations_region_idx').on('organisations').column('region_code').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('display_name', 'varchar(50)', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('region_code', 'varchar(12)', (c) => c.references('regions.code'))
    .addColumn('organisation_id', 'varchar(36)', (c) => c.references('organisations.id'))
    .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locale', 'varchar(5)', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(30)')
    .addColumn('last_login_at', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_region_idx').on('users').columns(['region_code', 'role']).execute();
  await db.schema.createIndex('users_organisation_idx').on('users').column('organisation_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_username', 'varchar(64)')
    .addColumn('actor_role', 'varchar(20)')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(32)')
    .addColumn('target_id', 'varchar(64)')
    .addColumn('region_code', 'varchar(12)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('request_id', 'varchar(64)')
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_region_idx').on('audit_log').columns(['region_code', 'seq']).execute();
  await db.schema.createIndex('audit_actor_idx').on('audit_log').columns(['actor_id', 'seq']).execute();
  await db.schema.createIndex('audit_target_idx').on('audit_log').columns(['target_id', 'seq']).execute();

  // One row that serialises appends to the hash chain (locked FOR UPDATE on PostgreSQL).
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, last_seq, last_hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['settings', 'audit_head', 'audit_log', 'sessions', 'users', 'organisations', 'regions']) {
    await db.schema.dropTable(table).execute();
  }
}
