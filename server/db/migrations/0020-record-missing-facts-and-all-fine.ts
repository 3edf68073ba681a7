import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Two facts of issue 12.
 *
 * `visits.checklist_all_fine`: 1 when the visitor answered the checklist with
 * the single 全部正常 tap (a deliberate act, shown as such on the visit); 0
 * otherwise, and for every visit recorded before.
 *
 * `children.missing_facts`: the facts that decide a category and are missing
 * from the file, as comma-separated field paths ('father.since'), null when
 * none (domain/children/facts-missing.ts). The work list 缺少关键信息 counts and
 * lists them from the work-list indexes, rebuilt here with the column last.
 * Existing files are filled here by the same rule: a parent working away (not
 * within the county) with neither a date of leaving nor the explicit "more
 * than six months, date unknown". The start-up re-derivation keeps the column
 * from then on. Nothing else of the file changes: such a
 * child is listed, not re-categorised.
 */
const WORKLIST_COLUMNS = ['id', 'last_visit_date', 'unseen_streak', 'aging_out_date', 'letters_due'];

function awayWithoutDate(db: Kysely<unknown>, role: 'father' | 'mother'): RawBuilder<unknown> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const at = (field: string) => sql`(profile::jsonb #>> ${sql.lit(`{${role},${field}}`)})`;
    return sql`(${at('status')} = 'working_away' and coalesce(${at('workAwayCrossesCounty')}, 'true') <> 'false' and coalesce(${at('since')}, '') = '' and coalesce(${at('sinceUnknown')}, 'false') <> 'true')`;
  }
  const at = (field: string) => sql`json_extract(profile, ${sql.lit(`$.${role}.${field}`)})`;
  return sql`(${at('status')} = 'working_away' and coalesce(${at('workAwayCrossesCounty')}, 1) <> 0 and coalesce(${at('since')}, '') = '' and coalesce(${at('sinceUnknown')}, 0) = 0)`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('visits').addColumn('checklist_all_fine', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.alterTable('children').addColumn('missing_facts', 'varchar(100)').execute();
  const father = awayWithoutDate(db, 'father');
  const mother = awayWithoutDate(db, 'mother');
  await sql`update children set missing_facts = case
      when ${father} and ${mother} then 'father.since,mother.since'
      when ${father} then 'father.since'
      when ${mother} then 'mother.since'
      else null end`.execute(db);

  await db.schema.dropIndex('children_region_due_idx').execute();
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due', ...WORKLIST_COLUMNS, 'missing_facts']).execute();
  await db.schema
    .createIndex('children_county_due_idx')
    .on('children')
    .columns(['county_code', 'status', 'next_visit_due', 'region_code', ...WORKLIST_COLUMNS, 'missing_facts'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.dropIndex('children_region_due_idx').execute();
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due', ...WORKLIST_COLUMNS]).execute();
  await db.schema.createIndex('children_county_due_idx').on('children').columns(['county_code', 'status', 'next_visit_due', 'region_code', ...WORKLIST_COLUMNS]).execute();
  await db.schema.alterTable('children').dropColumn('missing_facts').execute();
  await db.schema.alterTable('visits').dropColumn('checklist_all_fine').execute();
}
