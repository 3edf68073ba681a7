import type { Kysely } from 'kysely';

/**
 * Child lists at a million files (bench/): every filter column sits in the
 * index beside the scope and the sort key, so the count and the page of ids
 * are read from the index alone, and the full rows are fetched for one page only.
 * A county's scope is an equality on county_code, so its index also yields
 * the most-recently-updated order without sorting.
 */
const LIST_COLUMNS = ['updated_at', 'id', 'status', 'left_behind', 'distress', 'unsupported', 'risk_level', 'school_status', 'birth_date'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_region_updated_idx').execute();
  await db.schema.dropIndex('children_region_status_idx').execute();
  await db.schema.createIndex('children_region_list_idx').on('children').columns(['region_code', ...LIST_COLUMNS]).execute();
  await db.schema.createIndex('children_county_list_idx').on('children').columns(['county_code', ...LIST_COLUMNS]).execute();
  await db.schema.dropIndex('children_name_idx').execute();
  await db.schema.createIndex('children_name_idx').on('children').columns(['name', 'region_code', 'updated_at', 'id']).execute();
  await db.schema.dropIndex('children_pinyin_idx').execute();
  await db.schema.createIndex('children_pinyin_idx').on('children').columns(['name_pinyin', 'region_code', 'updated_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_pinyin_idx').execute();
  await db.schema.createIndex('children_pinyin_idx').on('children').columns(['name_pinyin', 'birth_date']).execute();
  await db.schema.dropIndex('children_name_idx').execute();
  await db.schema.createIndex('children_name_idx').on('children').columns(['name', 'region_code']).execute();
  await db.schema.dropIndex('children_county_list_idx').execute();
  await db.schema.dropIndex('children_region_list_idx').execute();
  await db.schema.createIndex('children_region_status_idx').on('children').columns(['status', 'region_code']).execute();
  await db.schema.createIndex('children_region_updated_idx').on('children').columns(['region_code', 'updated_at']).execute();
}
