import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-create-core.js';
import * as m0002 from './migrations/0002-create-children.js';
import * as m0003 from './migrations/0003-index-child-lists.js';
import * as m0004 from './migrations/0004-create-files.js';
import * as m0005 from './migrations/0005-collate-names-bytewise.js';
import * as m0006 from './migrations/0006-create-visits.js';
import * as m0007 from './migrations/0007-speed-campaign-tasks.js';
import * as m0008 from './migrations/0008-index-worklists.js';
import * as m0009 from './migrations/0009-cover-duplicate-check.js';
import * as m0010 from './migrations/0010-create-reports.js';
import * as m0011 from './migrations/0011-create-referrals.js';
import * as m0012 from './migrations/0012-create-letters.js';
import * as m0013 from './migrations/0013-create-orders.js';
import * as m0014 from './migrations/0014-add-referral-attachments.js';
import * as m0015 from './migrations/0015-repair-transferred-records.js';
import * as m0016 from './migrations/0016-rewrite-id-masks.js';
import * as m0017 from './migrations/0017-widen-reporter-columns.js';
import * as m0018 from './migrations/0018-create-key-check.js';
import * as m0019 from './migrations/0019-create-login-failures.js';
import * as m0020 from './migrations/0020-record-missing-facts-and-all-fine.js';
import * as m0021 from './migrations/0021-create-transfer-requests.js';
import * as m0022 from './migrations/0022-add-name-spellings-police-response-referral-work.js';
import * as m0023 from './migrations/0023-add-staff-phones.js';
import * as m0024 from './migrations/0024-add-offline-keys-and-input-hashes.js';

// Listed explicitly: works the same from source, from a bundle and in tests.
const migrations: Record<string, Migration> = {
  '0001-create-core': m0001,
  '0002-create-children': m0002,
  '0003-index-child-lists': m0003,
  '0004-create-files': m0004,
  '0005-collate-names-bytewise': m0005,
  '0006-create-visits': m0006,
  '0007-speed-campaign-tasks': m0007,
  '0008-index-worklists': m0008,
  '0009-cover-duplicate-check': m0009,
  '0010-create-reports': m0010,
  '0011-create-referrals': m0011,
  '0012-create-letters': m0012,
  '0013-create-orders': m0013,
  '0014-add-referral-attachments': m0014,
  '0015-repair-transferred-records': m0015,
  '0016-rewrite-id-masks': m0016,
  '0017-widen-reporter-columns': m0017,
  '0018-create-key-check': m0018,
  '0019-create-login-failures': m0019,
  '0020-record-missing-facts-and-all-fine': m0020,
  '0021-create-transfer-requests': m0021,
  '0022-add-name-spellings-police-response-referral-work': m0022,
  '0023-add-staff-phones': m0023,
  '0024-add-offline-keys-and-input-hashes': m0024,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

// Migrations see no application types, so the database is untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
