import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Issue 12, three additions (SQLite adds one column per ALTER TABLE):
 *
 * 1. Pinyin search (point 9): each child's name initials (`wxm`) and its
 *    syllables in padded slots (`wang..xiao..ming..`, domain/children/name-search.ts).
 *    A search is a prefix range on the initials, the syllables (and the full
 *    pinyin, to leave out what the pinyin prefix already found) checked in the
 *    same index, which carries the scope and the list's sort key like the name
 *    indexes (0003). Code-point order on PostgreSQL ("C", as 0005 explains).
 *    The columns stay empty here: migrations never run the app's pinyin code,
 *    so prepareDatabase spells the names at start-up (spellStoredNames).
 * 2. The police on a mandatory report (point 10): when they acknowledged
 *    receipt and who, the case number, the outcome with its note and time;
 *    each also an entry of the report's trail, whose `detail` keeps the time
 *    of receipt or the outcome's code.
 * 3. What an agency records while serving a referral (point 13): sessions,
 *    contacts and notes, one row each, on the referral's trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytewise = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('children').addColumn('name_initials', 'varchar(60)', (c) => (bytewise ? c.modifyEnd(sql`collate "C"`) : c)).execute();
  await db.schema.alterTable('children').addColumn('name_syllables', 'varchar(320)', (c) => (bytewise ? c.modifyEnd(sql`collate "C"`) : c)).execute();
  await db.schema.createIndex('children_initials_idx').on('children').columns(['name_initials', 'region_code', 'name_syllables', 'name_pinyin', 'updated_at', 'id']).execute();

  for (const [column, type] of [
    ['police_received_at', 'varchar(30)'],
    ['police_received_by', 'varchar(36)'],
    ['police_received_by_name', 'varchar(64)'],
    ['police_case_no', 'varchar(60)'],
    ['police_outcome', 'varchar(20)'],
    ['police_outcome_note', 'text'],
    ['police_outcome_at', 'varchar(30)'],
  ] as const) {
    await db.schema.alterTable('protection_reports').addColumn(column, type).execute();
  }
  await db.schema.alterTable('protection_report_entries').addColumn('detail', 'varchar(40)').execute();

  await db.schema
    .createTable('referral_work')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('referral_id', 'varchar(36)', (c) => c.notNull().references('referrals.id'))
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('occurred_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer')
    .addColumn('session_kind', 'varchar(20)')
    .addColumn('contact_method', 'varchar(20)')
    .addColumn('contact_with', 'varchar(100)')
    .addColumn('note', 'text')
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referral_work_referral_idx').on('referral_work').columns(['referral_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('referral_work').execute();
  await db.schema.alterTable('protection_report_entries').dropColumn('detail').execute();
  for (const column of ['police_outcome_at', 'police_outcome_note', 'police_outcome', 'police_case_no', 'police_received_by_name', 'police_received_by', 'police_received_at']) {
    await db.schema.alterTable('protection_reports').dropColumn(column).execute();
  }
  await db.schema.dropIndex('children_initials_idx').execute();
  await db.schema.alterTable('children').dropColumn('name_syllables').execute();
  await db.schema.alterTable('children').dropColumn('name_initials').execute();
}
