/**
 * Command line: `npm run cli -- <verb> [options]`.
 *   migrate | seed-demo | create-user | backup [file] | verify-audit | audit-anchor | audit-key | rederive | help
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { UserCreateInput } from '../domain/api.js';
import { depsOf, openFromConfig, prepareDatabase, unlockDatabase } from './bootstrap.js';
import { loadConfig } from './core/config.js';
import { AppError, StartupRefusal } from './core/errors.js';
import { PRIVATE_FILE, createPrivateFile } from './core/file-modes.js';
import { anchorAuditHead, keyAuditChain, verifyAuditChain, type AnchorResult } from './features/audit/audit.service.js';
import { rederiveCategories } from './features/children/child-rederive.js';
import { createUserOnHost } from './features/users/users.service.js';
import { isSeeded, seedDemoAccounts, seedNetwork } from './seed/seed.js';
import { findUserByUsername } from './features/users/users.repository.js';

const HELP = `Shouhu 守护 command line — npm run cli -- <verb>

  migrate                      apply database migrations
  seed-demo                    seed the Huaihua network and the demo accounts (if absent)
  create-user --username U --role ROLE --region CODE --name NAME [--organisation ID]
                               create an account; prints a temporary password that
                               must be changed at first sign-in (e.g. the first city_admin)
  backup [FILE]                SQLite: online backup to FILE (default data/backup-<time>.db, 0600);
                               PostgreSQL: prints the pg_dump command to use
  verify-audit                 check the audit chain with the key and against every anchor of
                               data/audit-anchors.log; exit code 1 if tampered; when intact,
                               anchors the head (appends its row number and hash to that file)
  audit-anchor                 anchor the head of the audit chain now (the server does it daily)
  audit-key [--accept-broken]  key an audit log begun before the chain was keyed (the first start
                               does it when the old chain verifies); --accept-broken keys one that
                               does not, listing its breaks in the keyed row on record
  rederive                     re-derive the categories of every open child file (also runs daily)
  help                         this text

Database: DATABASE_URL=postgres://… or SQLite under SHOUHU_DATA_DIR (default ./data).`;

const [verb = 'help', ...rest] = process.argv.slice(2);
const config = loadConfig();
const handle = openFromConfig(config);
const deps = depsOf(handle, config);

function reportAnchor(result: AnchorResult): number {
  if (result.state === 'refused') {
    console.error(`Not anchored: ${result.reason}`);
    return 1;
  }
  if (result.state === 'empty') console.log('The audit log is empty: nothing to anchor.');
  else console.log(`Anchored row ${result.anchor.seq} (hash ${result.anchor.hash}) in ${result.file}.`);
  return 0;
}

async function run(): Promise<number> {
  switch (verb) {
    case 'migrate': {
      const done = (await prepareDatabase(deps, { seed: false })).migrations;
      console.log(done.length ? `Applied: ${done.join(', ')}` : 'Database is up to date.');
      return 0;
    }
    case 'seed-demo': {
      await prepareDatabase(deps, { seed: false });
      if (!(await isSeeded(deps))) console.log(`Seeded ${await seedNetwork(deps)} regions.`);
      if (await findUserByUsername(deps.db, 'sysadmin')) {
        console.log('Demo accounts already exist.');
      } else {
        console.log(`Seeded ${await seedDemoAccounts(deps)} demo accounts (password ${config.demoPassword}).`);
      }
      return 0;
    }
    case 'create-user': {
      const { values } = parseArgs({
        args: rest,
        options: { username: { type: 'string' }, role: { type: 'string' }, region: { type: 'string' }, name: { type: 'string' }, organisation: { type: 'string' } },
      });
      await prepareDatabase({ ...deps, config: { ...config, demo: false } });
      const input = UserCreateInput.safeParse({
        username: values.username,
        displayName: values.name ?? values.username,
        role: values.role,
        regionCode: values.region,
        organisationId: values.organisation,
      });
      if (!input.success) {
        console.error(`Invalid options: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n\n${HELP}`);
        return 2;
      }
      // Someone who holds the host: any role, including those no administrator in the app may create.
      const created = await createUserOnHost(deps, input.data);
      console.log(`Created ${created.user.username} (${created.user.role}, ${created.user.regionName ?? created.user.organisationName}).`);
      console.log(`Temporary password: ${created.temporaryPassword}  — it must be changed at first sign-in.`);
      return 0;
    }
    case 'backup': {
      if (handle.dialect === 'postgres') {
        console.log('PostgreSQL: back up with pg_dump, e.g.\n  pg_dump --format=custom --file=shouhu-$(date +%F).dump "$DATABASE_URL"');
        return 0;
      }
      const target = path.resolve(rest[0] ?? path.join(config.dataDir, `backup-${new Date().toISOString().replace(/[:.]/g, '-')}.db`));
      // The copy holds what the database holds: private from its first byte (SQLite keeps an existing file's mode).
      createPrivateFile(target);
      const source = new SQLite(handle.file!, { readonly: true });
      await source.backup(target);
      source.close();
      fs.chmodSync(target, PRIVATE_FILE);
      console.log(`Backup written to ${target}`);
      return 0;
    }
    case 'verify-audit': {
      await unlockDatabase(deps);
      const report = await verifyAuditChain(deps);
      const keyed = report.keyedFrom === null ? '' : report.keyedFrom > 1 ? ` (SHA-256 up to row ${report.keyedFrom - 1}, keyed from row ${report.keyedFrom})` : ' (keyed)';
      for (const p of report.accepted) console.log(`  accepted on record when the chain was keyed: ${p}`);
      if (report.ok) {
        console.log(`Audit chain intact: ${report.rows} rows verified${keyed}, ${report.anchors} anchors held.`);
        return reportAnchor(await anchorAuditHead(deps));
      }
      console.error(`Audit chain BROKEN (${report.rows} rows read${keyed}):`);
      for (const p of report.problems) console.error(`  - ${p}`);
      return 1;
    }
    case 'audit-anchor': {
      await prepareDatabase(deps, { seed: false });
      return reportAnchor(await anchorAuditHead(deps));
    }
    case 'audit-key': {
      const { values } = parseArgs({ args: rest, options: { 'accept-broken': { type: 'boolean' } } });
      await unlockDatabase(deps);
      const result = await keyAuditChain(deps, { acceptBroken: values['accept-broken'] === true });
      if (result.state === 'keyed now') {
        console.log(`Keyed the audit chain after its ${result.legacyRows} SHA-256 rows.`);
        for (const p of result.accepted) console.log(`  accepted on record: ${p}`);
      } else console.log(result.state === 'empty' ? 'The audit log is empty: its first row will be keyed.' : 'The audit chain is already keyed.');
      return 0;
    }
    case 'rederive': {
      await prepareDatabase(deps, { seed: false });
      const result = await rederiveCategories(deps);
      console.log(`Checked ${result.checked} open files; ${result.changed} changed.`);
      return 0;
    }
    case 'help':
    case '--help':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown verb "${verb}".\n\n${HELP}`);
      return 2;
  }
}

try {
  process.exitCode = await run();
} catch (error) {
  if (error instanceof StartupRefusal) {
    console.error(`Refused: ${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof AppError) {
    console.error(`Refused: ${error.code}${error.details.field ? ` (${error.details.field}${error.details.reason ? `: ${error.details.reason}` : ''})` : ''}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
} finally {
  await handle.close();
}
