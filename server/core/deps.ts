import type { Db, Dialect } from '../db/database.js';
import type { Clock } from './clock.js';
import type { AppConfig } from './config.js';

/** What services are given instead of reaching for globals: database, clock, settings. */
export interface Deps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  config: AppConfig;
}
