/** Opening the database, migrating and first-start seeding: shared by `npm start`, the CLI and tests. */
import path from 'node:path';
import { systemClock, type Clock } from './core/clock.js';
import type { AppConfig } from './core/config.js';
import { createFieldCrypto, loadMasterKey } from './core/crypto.js';
import type { Deps } from './core/deps.js';
import { createPrivateFile, secureDataDir } from './core/file-modes.js';
import { openDatabase, workerConnectionOptions, type DatabaseHandle } from './db/database.js';
import { keyAuditChain } from './features/audit/audit.service.js';
import { rederiveCategories, spellStoredNames } from './features/children/child-rederive.js';
import { confirmMasterKey } from './features/keys/keys.service.js';
import { encryptClearReporters } from './features/reports/reports.service.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemoChildren } from './seed/demo-children.js';
import { isSeeded, seedDemoAccounts, seedNetwork } from './seed/seed.js';

export function sqliteFileOf(config: AppConfig): string {
  return path.join(config.dataDir, 'shouhu.db');
}

export function openFromConfig(config: AppConfig): DatabaseHandle {
  // The data directory and the database file are the server user's alone (0700 / 0600) before SQLite writes a byte.
  secureDataDir(config.dataDir);
  if (!config.databaseUrl) createPrivateFile(sqliteFileOf(config));
  return openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFileOf(config) });
}

/** A fresh key (none found) is written only by confirmMasterKey, once the database is known to hold nothing sealed. */
export function depsOf(handle: DatabaseHandle, config: AppConfig, clock: Clock = systemClock): Deps {
  const master = loadMasterKey(config.dataDir);
  const save =
    master.save &&
    (() => {
      master.save!();
      console.log(`Created the encryption key ${master.source} — back it up apart from the database: without it, ID and phone numbers cannot be read.`);
    });
  return { db: handle.db, dialect: handle.dialect, clock, config, crypto: createFieldCrypto(master.key), masterKey: { source: master.source, save }, workerDb: workerConnectionOptions(handle) };
}

export interface PrepareResult {
  migrations: string[];
  seeded: { regions: number; accounts: number; children: number } | null;
}

export interface PrepareOptions {
  /** Seed the demo population of child files in demo mode (default true; the test harness opts out: it costs seconds). */
  demoChildren?: boolean;
  /** Seed the hierarchy on the very first start (default true; command-line verbs that only read or check opt out). */
  seed?: boolean;
}

/**
 * Migrates, then refuses a master key that is not this database's (and a
 * missing one for a database that holds sealed data) before anything reads or
 * writes sealed data. Returns the migrations applied.
 */
export async function unlockDatabase(deps: Deps): Promise<string[]> {
  const migrations = await migrateToLatest(deps.db);
  await confirmMasterKey(deps);
  return migrations;
}

/** Migrates, checks the key, keys an audit log from before the keyed chain, and on the very first start seeds the hierarchy (and demo accounts in demo mode). */
export async function prepareDatabase(deps: Deps, options: PrepareOptions = {}): Promise<PrepareResult> {
  const migrations = await unlockDatabase(deps);
  await keyAuditChain(deps);
  // Reporters of mandatory reports from before they were encrypted (the migrations never see the key; the key is checked and the chain keyed first, since this writes an audit row).
  await encryptClearReporters(deps);
  if (options.seed === false) return { migrations, seeded: null };
  // Names stored before their initials and syllables were (pinyin search, migration 0022).
  await spellStoredNames(deps);
  if (await isSeeded(deps)) {
    // Files from before visit schedules existed get their risk and due date before anyone lists them.
    const unscheduled = await deps.db.selectFrom('children').select('id').where('next_visit_due', 'is', null).where('status', '!=', 'closed').limit(1).executeTakeFirst();
    if (unscheduled) await rederiveCategories(deps);
    return { migrations, seeded: null };
  }
  const regions = await seedNetwork(deps);
  const accounts = deps.config.demo ? await seedDemoAccounts(deps) : 0;
  const children = deps.config.demo && options.demoChildren !== false ? await seedDemoChildren(deps) : 0;
  return { migrations, seeded: { regions, accounts, children } };
}
