import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Name search is a prefix range (`name >= q AND name < q || U+10FFFF`, see
 * children.repository.ts). That is exact only under a code-point order; a
 * PostgreSQL server created with a zh_CN or ICU default collation orders text
 * otherwise, and the range could miss names. So on PostgreSQL the searched
 * columns use the "C" collation whatever the database default (SQLite always
 * compares text by code point). Their indexes are rebuilt by the ALTER.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table children alter column name type varchar(50) collate "C"`.execute(db);
  await sql`alter table children alter column name_pinyin type varchar(200) collate "C"`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table children alter column name type varchar(50) collate "default"`.execute(db);
  await sql`alter table children alter column name_pinyin type varchar(200) collate "default"`.execute(db);
}
