/**
 * The master key must be the one the database was sealed with. A restore
 * without its key used to start, create a new key and then fail on every
 * child page; now the start is refused, saying what to do, and a new key is
 * never created for a database that already holds sealed data.
 */
import type { Deps } from '../../core/deps.js';
import { StartupRefusal } from '../../core/errors.js';
import { findSealedSample, insertKeyCheck, readKeyCheck } from './keys.repository.js';

const RESTORE_HINT =
  'Restore the key that was backed up with this database — put it back as the secret.key file of the data directory, or set SHOUHU_SECRET_KEY to it (base64) — and start again.';

function missingKey(source: string): StartupRefusal {
  return new StartupRefusal(
    `This database holds data sealed with an encryption key (ID and phone numbers, the keyed audit log), but no key was found: neither SHOUHU_SECRET_KEY nor ${source}. ${RESTORE_HINT} No new key was created: a new key could never read that data. Nothing was changed.`,
  );
}

function wrongKey(source: string): StartupRefusal {
  return new StartupRefusal(
    `The encryption key from ${source} is not the key of this database: its ID and phone numbers were sealed with another one (a database restored without its key, or the key of another installation). ${RESTORE_HINT} Nothing was changed.`,
  );
}

/**
 * Runs after the migrations, before anything reads or writes sealed data.
 * Compares the stored key check with the key; a database from before the key
 * check is tried on one sealed value instead, then given its key check. Only
 * for a database with nothing sealed is a fresh key saved (0600).
 */
export async function confirmMasterKey(deps: Pick<Deps, 'db' | 'crypto' | 'clock' | 'masterKey'>): Promise<void> {
  const source = deps.masterKey?.source ?? 'the configured key';
  const fresh = deps.masterKey?.save;
  const stored = await readKeyCheck(deps.db);
  if (stored !== null) {
    if (fresh) throw missingKey(source);
    if (stored !== deps.crypto.keyCheck()) throw wrongKey(source);
    return;
  }
  const sample = await findSealedSample(deps.db);
  if (sample !== null) {
    if (fresh) throw missingKey(source);
    try {
      deps.crypto.decrypt(sample);
    } catch {
      throw wrongKey(source);
    }
  }
  fresh?.();
  await insertKeyCheck(deps.db, deps.crypto.keyCheck(), deps.clock.now().toISOString());
  // Two servers starting at once on an empty database: the one that lost the insert compares.
  if ((await readKeyCheck(deps.db)) !== deps.crypto.keyCheck()) throw wrongKey(source);
}
