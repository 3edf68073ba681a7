import type { Kysely } from 'kysely';

/**
 * Work lists at a million files (features/worklists): every count and every
 * page of ids is read from an index alone. The due-date indexes of 0006 also
 * carry what the other lists filter on (last visit, unseen streak, aging-out
 * date) and the id that orders ties; the visits indexes carry what on-time
 * rates count (on_time, and the village or the visitor they are grouped by).
 * Columns are only appended, so every use of the old indexes remains.
 */
const WORKLIST_COLUMNS = ['id', 'last_visit_date', 'unseen_streak', 'aging_out_date'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_region_due_idx').execute();
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due', ...WORKLIST_COLUMNS]).execute();
  await db.schema
    .createIndex('children_county_due_idx')
    .on('children')
    .columns(['county_code', 'status', 'next_visit_due', 'region_code', ...WORKLIST_COLUMNS])
    .execute();
  await db.schema.dropIndex('visits_region_idx').execute();
  await db.schema.dropIndex('visits_county_idx').execute();
  await db.schema.createIndex('visits_region_idx').on('visits').columns(['region_code', 'visit_date', 'on_time', 'visitor_id']).execute();
  await db.schema.createIndex('visits_county_idx').on('visits').columns(['county_code', 'visit_date', 'region_code', 'on_time']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('visits_county_idx').execute();
  await db.schema.dropIndex('visits_region_idx').execute();
  await db.schema.createIndex('visits_region_idx').on('visits').columns(['region_code', 'visit_date']).execute();
  await db.schema.createIndex('visits_county_idx').on('visits').columns(['county_code', 'visit_date']).execute();
  await db.schema.dropIndex('children_county_due_idx').execute();
  await db.schema.dropIndex('children_region_due_idx').execute();
  await db.schema.createIndex('children_region_due_idx').on('children').columns(['region_code', 'status', 'next_visit_due']).execute();
  await db.schema.createIndex('children_county_due_idx').on('children').columns(['county_code', 'status', 'next_visit_due', 'region_code']).execute();
}
