/**
 * A better-sqlite3 Database as Kysely's SqliteDialect sees it (prepare + close),
 * wrapped so that the bench can (a) record every statement a request runs,
 * with its parameters, and (b) try a statement cache keyed by SQL text —
 * without touching server code. 'plain' passes straight through.
 */
import type SQLite from 'better-sqlite3';

export type WrapMode = 'plain' | 'record' | 'cache';

export interface Recorded {
  sql: string;
  params: unknown[];
  reader: boolean;
  result: unknown;
}

export function wrapDatabase(db: SQLite.Database) {
  let mode: WrapMode = 'plain';
  const cache = new Map<string, SQLite.Statement>();
  const log: Recorded[] = [];
  const wrapper = {
    close: () => db.close(),
    prepare(sql: string) {
      if (mode === 'cache') {
        let stmt = cache.get(sql);
        if (!stmt) {
          stmt = db.prepare(sql);
          if (cache.size > 500) cache.clear();
          cache.set(sql, stmt);
        }
        return stmt;
      }
      const stmt = db.prepare(sql);
      if (mode === 'plain') return stmt;
      return {
        reader: stmt.reader,
        all(params: unknown[]) {
          const result = stmt.all(params);
          log.push({ sql, params: [...params], reader: true, result });
          return result;
        },
        run(params: unknown[]) {
          const result = stmt.run(params);
          log.push({ sql, params: [...params], reader: false, result });
          return result;
        },
        iterate: (params: unknown[]) => stmt.iterate(params),
      };
    },
  };
  return {
    database: wrapper as unknown as SQLite.Database,
    setMode(m: WrapMode) {
      mode = m;
      log.length = 0;
    },
    take(): Recorded[] {
      return log.splice(0);
    },
  };
}
