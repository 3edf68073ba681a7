import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Key verification campaigns at a million children (features/campaigns):
 *
 * 1. campaign_tasks loses its foreign keys. Opening a city-wide campaign
 *    writes a task per child in one INSERT … SELECT from children; a foreign
 *    key then checks (and on PostgreSQL locks) the child and the campaign row
 *    once per task, which doubled the time. Tasks are only ever made by that
 *    statement, in the transaction that inserts their campaign, from children
 *    that exist; neither children nor campaigns are deleted.
 * 2. The per-campaign index also carries `problems`, so that progress (tasks,
 *    done, with problems per region) is counted from the index alone.
 *
 * SQLite cannot drop a foreign key: the table is rebuilt (it holds no data
 * before this release).
 */
const COLUMNS = ['id', 'campaign_id', 'child_id', 'region_code', 'status', 'visit_id', 'problems', 'done_at'];

async function createIndexes(db: Kysely<unknown>, withProblems: boolean): Promise<void> {
  await db.schema
    .createIndex('campaign_tasks_campaign_idx')
    .on('campaign_tasks')
    .columns(withProblems ? ['campaign_id', 'region_code', 'status', 'problems'] : ['campaign_id', 'region_code', 'status'])
    .execute();
  await db.schema.createIndex('campaign_tasks_region_idx').on('campaign_tasks').columns(['region_code', 'status', 'campaign_id']).execute();
  await db.schema.createIndex('campaign_tasks_child_idx').on('campaign_tasks').columns(['campaign_id', 'child_id']).unique().execute();
}

async function rebuildSqliteTable(db: Kysely<unknown>, withForeignKeys: boolean): Promise<void> {
  await db.schema
    .createTable('campaign_tasks_next')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('campaign_id', 'varchar(36)', (c) => (withForeignKeys ? c.notNull().references('campaigns.id') : c.notNull()))
    .addColumn('child_id', 'varchar(36)', (c) => (withForeignKeys ? c.notNull().references('children.id') : c.notNull()))
    .addColumn('region_code', 'varchar(12)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('visit_id', 'varchar(36)')
    .addColumn('problems', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'varchar(30)')
    .execute();
  const columns = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into campaign_tasks_next (${columns}) select ${columns} from campaign_tasks`.execute(db);
  await db.schema.dropTable('campaign_tasks').execute();
  await db.schema.alterTable('campaign_tasks_next').renameTo('campaign_tasks').execute();
  await createIndexes(db, !withForeignKeys);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table campaign_tasks drop constraint if exists campaign_tasks_campaign_id_fkey`.execute(db);
    await sql`alter table campaign_tasks drop constraint if exists campaign_tasks_child_id_fkey`.execute(db);
    await db.schema.dropIndex('campaign_tasks_campaign_idx').execute();
    await db.schema.createIndex('campaign_tasks_campaign_idx').on('campaign_tasks').columns(['campaign_id', 'region_code', 'status', 'problems']).execute();
    return;
  }
  await rebuildSqliteTable(db, false);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.dropIndex('campaign_tasks_campaign_idx').execute();
    await db.schema.createIndex('campaign_tasks_campaign_idx').on('campaign_tasks').columns(['campaign_id', 'region_code', 'status']).execute();
    await sql`alter table campaign_tasks add constraint campaign_tasks_campaign_id_fkey foreign key (campaign_id) references campaigns (id)`.execute(db);
    await sql`alter table campaign_tasks add constraint campaign_tasks_child_id_fkey foreign key (child_id) references children (id)`.execute(db);
    return;
  }
  await rebuildSqliteTable(db, true);
}
