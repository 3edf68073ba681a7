import type { Kysely } from 'kysely';

/**
 * The roster import's duplicate check (features/children-import) compares
 * each row with every open file born the same day: name, pinyin and village
 * of files whose birth date is one of the roster's. At a million files that is
 * most of the table, and `children_birth_idx (birth_date, region_code)` sent
 * each match to the table for its name. Carrying status, name and pinyin in the
 * index makes the check an index range scan. Columns are only appended, so
 * every use of the old index remains (registration's duplicate lookup).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_birth_idx').execute();
  await db.schema.createIndex('children_birth_idx').on('children').columns(['birth_date', 'region_code', 'status', 'name', 'name_pinyin']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('children_birth_idx').execute();
  await db.schema.createIndex('children_birth_idx').on('children').columns(['birth_date', 'region_code']).execute();
}
