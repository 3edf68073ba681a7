import { sql, type Kysely } from 'kysely';

/**
 * Records follow a transferred child (issue 11). Until now a transfer moved
 * only the child's row, so its visits, reports, referrals, orders, campaign
 * tasks and history kept the old village and stayed in the old scope. The
 * transfer now moves them in its transaction; this migration
 * - indexes campaign_tasks by child_id (the transfer updates one child's
 *   tasks; the unique index starts with campaign_id),
 * - sets every child-owned row's region_code (and county_code) to its
 *   child's where they differ,
 * - withdraws the open tasks whose child now lives outside their campaign's
 *   region, as a transfer does.
 * Pure SQL on both dialects (UPDATE … FROM: PostgreSQL, SQLite ≥ 3.33). The
 * tables are those of this point in time; a later one is moved by the code
 * (children.repository CHILD_SCOPED_TABLES) from its creation.
 */
const WITH_COUNTY = ['visits', 'protection_reports', 'referrals', 'protection_orders'];
const REGION_ONLY = ['child_changes', 'duplicate_reviews', 'campaign_tasks'];

/** Length of a region code's significant prefix (domain/regions.ts regionPrefix), in SQL. */
const prefixLength = (code: string) =>
  sql`(case when substr(${sql.ref(code)}, 10, 3) <> '000' then 12 when substr(${sql.ref(code)}, 7, 3) <> '000' then 9 when substr(${sql.ref(code)}, 5, 2) <> '00' then 6 when substr(${sql.ref(code)}, 3, 2) <> '00' then 4 else 2 end)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('campaign_tasks_by_child_idx').on('campaign_tasks').column('child_id').execute();
  for (const table of WITH_COUNTY) {
    await sql`update ${sql.table(table)} set region_code = c.region_code, county_code = c.county_code from children c
      where c.id = ${sql.ref(`${table}.child_id`)} and (c.region_code <> ${sql.ref(`${table}.region_code`)} or c.county_code <> ${sql.ref(`${table}.county_code`)})`.execute(db);
  }
  for (const table of REGION_ONLY) {
    await sql`update ${sql.table(table)} set region_code = c.region_code from children c
      where c.id = ${sql.ref(`${table}.child_id`)} and c.region_code <> ${sql.ref(`${table}.region_code`)}`.execute(db);
  }
  await sql`update campaign_tasks set status = 'withdrawn' from campaigns c
    where c.id = campaign_tasks.campaign_id and campaign_tasks.status = 'open'
      and substr(campaign_tasks.region_code, 1, ${prefixLength('c.region_code')}) <> substr(c.region_code, 1, ${prefixLength('c.region_code')})`.execute(db);
}

/** The index goes; withdrawn tasks are open again (the code before this knew no other state). Rows stay where they are. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update campaign_tasks set status = 'open' where status = 'withdrawn'`.execute(db);
  await db.schema.dropIndex('campaign_tasks_by_child_idx').execute();
}
