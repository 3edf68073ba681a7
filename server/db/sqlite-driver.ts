/**
 * Kysely's SQLite driver, made to wait for the write lock without stopping
 * the server.
 *
 * better-sqlite3 is synchronous: with a busy timeout, a statement that meets
 * another connection's write lock (a roster import writing beside the server,
 * in a worker thread with its own connection) would hold the whole event loop
 * until the lock is free. Here the server's connection has no busy timeout;
 * a statement outside a transaction, or the `begin immediate` that opens one,
 * that finds the database locked gives the connection back, waits a few
 * milliseconds without blocking, and tries again. Reads meanwhile go on (WAL:
 * readers never wait for the writer); writes wait their turn.
 *
 * Transactions open with `begin immediate`, so that a transaction holds the
 * write lock from its first statement and never meets it half-way (a
 * deferred transaction that read first could not be retried once it wrote).
 *
 * Prepared statements are kept by their SQL (the most recent few hundred):
 * preparing a wide insert costs as much as running it, and an import runs the
 * same one a hundred thousand times. SQLite prepares a kept statement again
 * by itself when the schema changed.
 */
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/** How long a statement waits for another connection's write lock before giving up (an import of 50,000 rows writes for seconds). */
export const LOCK_WAIT_MS = 120_000;

/** The database stayed locked longer than LOCK_WAIT_MS: answered 503 "busy, try again" by the error handler. */
export class DatabaseBusyError extends Error {
  constructor() {
    super('the database stayed locked by another writer');
    this.name = 'DatabaseBusyError';
  }
}

const isBusy = (err: unknown) => typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('SQLITE_BUSY');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class Mutex {
  private held: Promise<void> | null = null;
  private release: (() => void) | null = null;

  async lock(): Promise<void> {
    while (this.held) await this.held;
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  unlock(): void {
    const release = this.release;
    this.held = null;
    this.release = null;
    release?.();
  }
}

/** Statements kept per connection. */
const KEPT_STATEMENTS = 300;

class WaitingConnection implements DatabaseConnection {
  inTransaction = false;
  /** Kept statements by SQL, least recently used first. */
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly mutex: Mutex,
  ) {}

  private prepared(sql: string): SQLite.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) this.statements.delete(sql);
    else {
      stmt = this.sqlite.prepare(sql);
      if (this.statements.size >= KEPT_STATEMENTS) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  private run<R>(query: CompiledQuery): QueryResult<R> {
    const stmt = this.prepared(query.sql);
    if (stmt.reader) return { rows: stmt.all(query.parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(query.parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /** Runs the statement; on a lock held elsewhere (and outside a transaction) lets others use the connection while it waits. */
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 2; ; pause = Math.min(50, pause * 2)) {
      try {
        return this.run<R>(query);
      } catch (err) {
        // Inside a transaction the lock is already ours (begin immediate): a busy there is not ours to wait out.
        if (!isBusy(err) || this.inTransaction) throw err;
        if (Date.now() > deadline) throw new DatabaseBusyError();
      }
      this.mutex.unlock();
      await sleep(pause);
      await this.mutex.lock();
    }
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('only select queries can be streamed');
    const rows = this.sqlite.prepare(query.sql).iterate(query.parameters);
    // eslint-disable-next-line @typescript-eslint/require-await -- better-sqlite3 is synchronous; Kysely's interface is async.
    return (async function* () {
      for (const row of rows) yield { rows: [row as R] };
    })();
  }
}

class WaitingDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly connection: WaitingConnection;

  constructor(private readonly sqlite: SQLite.Database) {
    this.connection = new WaitingConnection(sqlite, this.mutex);
  }

  init(): Promise<void> {
    return Promise.resolve();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(connection: WaitingConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    connection.inTransaction = true;
  }

  async commitTransaction(connection: WaitingConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    connection.inTransaction = false;
  }

  async rollbackTransaction(connection: WaitingConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      connection.inTransaction = false;
    }
  }

  releaseConnection(): Promise<void> {
    this.mutex.unlock();
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    this.sqlite.close();
    return Promise.resolve();
  }
}

/** SQLite through `WaitingDriver`; the rest as Kysely's SqliteDialect. */
export class WaitingSqliteDialect implements Dialect {
  constructor(private readonly sqlite: SQLite.Database) {}

  createDriver(): Driver {
    return new WaitingDriver(this.sqlite);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
