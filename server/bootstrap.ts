/** Opening the database, migrating and first-start seeding: shared by `npm start`, the CLI and tests. */
import path from 'node:path';
import { systemClock, type Clock } from './core/clock.js';
import type { AppConfig } from './core/config.js';
import { createFieldCrypto, loadMasterKey } from './core/crypto.js';
import type { Deps } from './core/deps.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { rederiveCategories, spellStoredNames } from './features/children/children.service.js';
import { encryptClearReporters } from './features/reports/reports.service.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemoChildren } from './seed/demo-children.js';
import { isSeeded, seedDemoAccounts, seedNetwork } from './seed/seed.js';

export function sqliteFileOf(config: AppConfig): string {
  return path.join(config.dataDir, 'shouhu.db');
}

export function openFromConfig(config: AppConfig): DatabaseHandle {
  return openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFileOf(config) });
}

export function depsOf(handle: DatabaseHandle, config: AppConfig, clock: Clock = systemClock): Deps {
  const { key, created, source } = loadMasterKey(config.dataDir);
  if (created) console.log(`Created the encryption key ${source} — back it up apart from the database: without it, ID and phone numbers cannot be read.`);
  return { db: handle.db, dialect: handle.dialect, clock, config, crypto: createFieldCrypto(key) };
}

export interface PrepareResult {
  migrations: string[];
  seeded: { regions: number; accounts: number; children: number } | null;
}

export interface PrepareOptions {
  /** Seed the demo population of child files in demo mode (default true; the test harness opts out: it costs seconds). */
  demoChildren?: boolean;
}

/** Migrates, and on the very first start seeds the hierarchy (and demo accounts in demo mode). */
export async function prepareDatabase(deps: Deps, options: PrepareOptions = {}): Promise<PrepareResult> {
  const migrations = await migrateToLatest(deps.db);
  // Reporters of mandatory reports from before they were encrypted (the migrations never see the key).
  await encryptClearReporters(deps);
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
