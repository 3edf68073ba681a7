import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { subtreeRange } from '../../domain/regions.js';

/**
 * `column >= from AND column < to`: the subtree of `regionCode` as an indexed
 * range on a text column. Used inside every scoped repository query.
 */
export function inSubtree(column: string, regionCode: string): RawBuilder<SqlBool> {
  const { from, to } = subtreeRange(regionCode);
  return sql<SqlBool>`(${sql.ref(column)} >= ${from} and ${sql.ref(column)} < ${to})`;
}
