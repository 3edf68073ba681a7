import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { WaitingSqliteDialect } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** SQLite file path (for backups), null on PostgreSQL. */
  file: string | null;
  /** What it was opened with: a worker thread opens its own connection to the same database with these. */
  options: DatabaseOptions;
  close(): Promise<void>;
}

// Both dialects hand the code numbers for counts and ISO strings for dates.
pg.types.setTypeParser(20, Number); // int8
pg.types.setTypeParser(1700, parseFloat); // numeric
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(1114, (v) => v); // timestamp
pg.types.setTypeParser(1184, (v) => v); // timestamptz

export interface DatabaseOptions {
  /** postgres://… ; when absent, SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite file, or ':memory:'. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves by schema). */
  pgSchema?: string | undefined;
  /**
   * A connection of a worker thread (a roster import, an export) beside the
   * server's: on SQLite it may wait for the write lock by blocking (its own
   * thread); on PostgreSQL a small pool of its own.
   */
  worker?: boolean | undefined;
}

/** How long a worker's SQLite connection waits for the server's short writes to finish before it gives up. */
const WORKER_BUSY_TIMEOUT_MS = 60_000;

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.worker ? 2 : 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', file: null, options, close: () => db.destroy() };
  }
  const file = options.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // The server's connection never blocks on a lock (WaitingSqliteDialect waits without stopping the event loop); a worker's may, in its own thread.
  sqlite.pragma(`busy_timeout = ${options.worker ? WORKER_BUSY_TIMEOUT_MS : 0}`);
  const db = new Kysely<Database>({ dialect: new WaitingSqliteDialect(withStatementCache(sqlite)) });
  return { db, dialect: 'sqlite', file: file === ':memory:' ? null : file, options, close: () => db.destroy() };
}

/** A worker thread's own connection to the database `handle` is on (SQLite in memory has none: null). */
export function workerConnectionOptions(handle: DatabaseHandle): DatabaseOptions | null {
  if (handle.dialect === 'sqlite' && !handle.file) return null;
  return { ...handle.options, worker: true };
}

/**
 * Kysely prepares every statement anew; preparing costs as much as running a
 * primary-key read (STACK.md). Statements are reused by SQL text instead. Safe
 * because the dialect runs one statement at a time on this one connection.
 */
function withStatementCache(sqlite: SQLite.Database, limit = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const wrapper = {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        // Generated SQL varies with the filters used (and IN lists): bound the cache, oldest out.
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
  return wrapper as unknown as SQLite.Database;
}
