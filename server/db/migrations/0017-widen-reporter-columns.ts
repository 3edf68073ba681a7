import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * The reporter of a mandatory report (name, phone, unit) is stored encrypted
 * from now on, like ID numbers (issue 11 point 8): `v1:` and the base64 of
 * nonce, tag and text, about four times the text's bytes — more than the
 * varchar(64 / 30 / 100) these columns had. On PostgreSQL they become text;
 * SQLite does not enforce declared lengths, so nothing changes there.
 *
 * Migrations never see the encryption key: the rows still in clear are
 * encrypted at start-up by encryptClearReporters (features/reports), called
 * from prepareDatabase right after the migrations.
 *
 * `down` restores the old lengths, and fails on PostgreSQL while any reporter
 * is encrypted (the ciphertext does not fit): going back needs the key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.schema
    .alterTable('protection_reports')
    .alterColumn('reporter_name', (c) => c.setDataType('text'))
    .alterColumn('reporter_phone', (c) => c.setDataType('text'))
    .alterColumn('reporter_unit', (c) => c.setDataType('text'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.schema
    .alterTable('protection_reports')
    .alterColumn('reporter_name', (c) => c.setDataType('varchar(64)'))
    .alterColumn('reporter_phone', (c) => c.setDataType('varchar(30)'))
    .alterColumn('reporter_unit', (c) => c.setDataType('varchar(100)'))
    .execute();
}
