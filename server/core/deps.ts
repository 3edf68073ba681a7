import type { DatabaseOptions, Db, Dialect } from '../db/database.js';
import type { Clock } from './clock.js';
import type { AppConfig } from './config.js';
import type { FieldCrypto } from './crypto.js';

/** What services are given instead of reaching for globals: database, clock, settings, keys. */
export interface Deps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  config: AppConfig;
  /** Encryption and keyed hashing of personal numbers, the audit chain's HMAC. */
  crypto: FieldCrypto;
  /** Where the master key came from; `save` when it is a fresh key not yet written (written once the database is known to hold nothing sealed). */
  masterKey?: { source: string; save?: (() => void) | undefined };
  /**
   * How a worker thread (an import, an export) opens its own connection to
   * this database: `workerConnectionOptions(handle)`. Absent or null (SQLite
   * in memory), such work runs in the server's thread instead.
   */
  workerDb?: DatabaseOptions | null;
}
