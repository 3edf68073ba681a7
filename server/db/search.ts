import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Case-insensitive "contains" on both dialects, with the user's % and _
 * taken literally rather than as wildcards.
 */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escaped}%`} escape '\\'`;
}
