import { sql, SqliteAdapter, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { subtreeRange } from '../../domain/regions.js';

/**
 * `column >= from AND column < to`: the subtree of `regionCode` as an indexed
 * range on a text column. Used inside every scoped repository query.
 */
export function inSubtree(column: string, regionCode: string): RawBuilder<SqlBool> {
  const { from, to } = subtreeRange(regionCode);
  return sql<SqlBool>`(${sql.ref(column)} >= ${from} and ${sql.ref(column)} < ${to})`;
}

/**
 * The same range, kept from choosing the index on SQLite (`+column`: SQLite's
 * way to say "not this index"); PostgreSQL gets the plain range. For a name
 * search in a township: SQLite's planner reads the township's few thousand
 * files through the region index for their names, one table lookup each
 * (80–120 ms at 1,000,000 children), where the name index, which carries the
 * region code, answers in 20–40 ms. At a city's scale a name prefix is read
 * faster from its index than a township from its own; a village's few hundred
 * files stay on the region index.
 */
export function inSubtreeByOtherIndex(db: Pick<Kysely<object>, 'getExecutor'>, column: string, regionCode: string): RawBuilder<SqlBool> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return inSubtree(column, regionCode);
  const { from, to } = subtreeRange(regionCode);
  return sql<SqlBool>`(+${sql.ref(column)} >= ${from} and +${sql.ref(column)} < ${to})`;
}
