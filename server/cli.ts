/**
 * Command line: `npm run cli -- <verb> [options]`.
 *   migrate | seed-demo | create-user | backup [file] | verify-audit | help
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { UserCreateInput } from '../domain/api.js';
import { depsOf, openFromConfig, prepareDatabase } from './bootstrap.js';
import { loadConfig } from './core/config.js';
import { AppError } from './core/errors.js';
import { migrateToLatest } from './db/migrate.js';
import { verifyAuditChain } from './features/audit/audit.service.js';
import { rederiveCategories } from './features/children/children.service.js';
import { createUserOnHost } from './features/users/users.service.js';
import { isSeeded, seedDemoAccounts, seedNetwork } from './seed/seed.js';
import { findUserByUsername } from './features/users/users.repository.js';

const HELP = `Shouhu 守护 command line — npm run cli -- <verb>

  migrate                      apply database migrations
  seed-demo                    seed the Huaihua network and the demo accounts (if absent)
  create-user --username U --role ROLE --region CODE --name NAME [--organisation ID]
                               create an account; prints a temporary password that
                               must be changed at first sign-in (e.g. the first city_admin)
  backup [FILE]                SQLite: online backup to FILE (default data/backup-<time>.db);
                               PostgreSQL: prints the pg_dump command to use
  verify-audit                 check the audit hash chain; exit code 1 if tampered
  rederive                     re-derive the categories of every open child file (also runs daily)
  help                         this text

Database: DATABASE_URL=postgres://… or SQLite under SHOUHU_DATA_DIR (default ./data).`;

const [verb = 'help', ...rest] = process.argv.slice(2);
const config = loadConfig();
const handle = openFromConfig(config);
const deps = depsOf(handle, config);

async function run(): Promise<number> {
  switch (verb) {
    case 'migrate': {
      const done = await migrateToLatest(deps.db);
      console.log(done.length ? `Applied: ${done.join(', ')}` : 'Database is up to date.');
      return 0;
    }
    case 'seed-demo': {
      await migrateToLatest(deps.db);
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
      const source = new SQLite(handle.file!, { readonly: true });
      await source.backup(target);
      source.close();
      console.log(`Backup written to ${target}`);
      return 0;
    }
    case 'verify-audit': {
      const report = await verifyAuditChain(deps.db);
      if (report.ok) {
        console.log(`Audit chain intact: ${report.rows} rows verified.`);
        return 0;
      }
      console.error(`Audit chain BROKEN (${report.rows} rows read):`);
      for (const p of report.problems) console.error(`  - ${p}`);
      return 1;
    }
    case 'rederive': {
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
  if (error instanceof AppError) {
    console.error(`Refused: ${error.code}${error.details.field ? ` (${error.details.field}${error.details.reason ? `: ${error.details.reason}` : ''})` : ''}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
} finally {
  await handle.close();
}
