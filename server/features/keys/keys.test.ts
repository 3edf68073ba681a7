/**
 * Issue 11 §9: a database restored without its key. The start is refused with
 * what to do, and no new key is written, on the server, the command line and
 * both databases.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { depsOf, openFromConfig, prepareDatabase, sqliteFileOf } from '../../bootstrap.js';
import { loadConfig, type AppConfig } from '../../core/config.js';
import { StartupRefusal } from '../../core/errors.js';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { childInput } from '../children/children.test-data.js';
import { DEMO_PASSWORD, dialectUnderTest } from '../../test/harness.js';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const url = process.env.DATABASE_URL;
const schema = `t_${randomBytes(6).toString('hex')}`;
const dirs: string[] = [];

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-keys-'));
  dirs.push(dir);
  return dir;
};
const configFor = (dataDir: string): AppConfig => ({ ...loadConfig({}), dataDir, demo: true, demoPassword: DEMO_PASSWORD });
/** SQLite: the database file of that data directory; PostgreSQL: this file's own schema, whatever the directory. */
const open = (config: AppConfig): DatabaseHandle => (url ? openDatabase({ databaseUrl: url, pgSchema: schema }) : openFromConfig(config));
const keyFile = (dataDir: string) => path.join(dataDir, 'secret.key');

/** Starts as `npm start` and the CLI do, up to the point where the database is ready (or refused). */
async function start(dataDir: string): Promise<void> {
  const config = configFor(dataDir);
  const handle = open(config);
  try {
    await prepareDatabase(depsOf(handle, config), { demoChildren: false });
  } finally {
    await handle.close();
  }
}

const refusal = (dataDir: string) => start(dataDir).then(() => null, (e: unknown) => e);

/** A database "restored" into another data directory: the SQLite file copied (PostgreSQL: the same schema). */
function restoreInto(from: string): string {
  const to = tempDir();
  if (!url) fs.copyFileSync(sqliteFileOf(configFor(from)), sqliteFileOf(configFor(to)));
  return to;
}

const env = (dataDir: string): NodeJS.ProcessEnv => {
  const { SHOUHU_SECRET_KEY: _none, ...rest } = process.env;
  return { ...rest, SHOUHU_DATA_DIR: dataDir, SHOUHU_SKIP_WEB_BUILD: '1', PORT: '0', HOST: '127.0.0.1', ...(url ? { DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}` } : {}) };
};
const spawnTsx = (script: string, args: string[], dataDir: string) =>
  run('npx', ['tsx', script, ...args], { cwd: REPO, env: env(dataDir), timeout: 60_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe(`the master key must be the database's (${dialectUnderTest()})`, () => {
  let original: string;

  beforeAll(async () => {
    if (url) {
      const admin = openDatabase({ databaseUrl: url });
      await sql`create schema ${sql.id(schema)}`.execute(admin.db);
      await admin.close();
    }
    original = tempDir();
    await start(original);
    // A child with an ID number and parents' phones: data sealed with the key.
    const config = configFor(original);
    const handle = open(config);
    const app = await buildApp(depsOf(handle, config), { webRoot: null });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'director-431202001201', password: DEMO_PASSWORD } });
    const cookie = `shouhu_session=${login.cookies.find((c) => c.name === 'shouhu_session')!.value}`;
    const created = await app.inject({ method: 'POST', url: '/api/children', headers: { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken }, payload: childInput() });
    expect(created.statusCode, created.body).toBe(201);
    await app.close();
    await handle.close();
  });

  afterAll(async () => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    if (url) {
      const admin = openDatabase({ databaseUrl: url });
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    }
  });

  const keyCheckRow = async () => {
    const handle = open(configFor(original));
    try {
      return await handle.db.selectFrom('key_check').selectAll().executeTakeFirst();
    } finally {
      await handle.close();
    }
  };

  it('the first start of an empty database creates the key (0600) and records its key check; the next start opens it', async () => {
    expect(fs.statSync(keyFile(original)).mode & 0o777).toBe(0o600);
    const check = await keyCheckRow();
    expect(check?.id).toBe(1);
    expect(check?.value).toMatch(/^[0-9a-f]{64}$/);
    const key = fs.readFileSync(keyFile(original), 'utf8');
    await start(original);
    expect(fs.readFileSync(keyFile(original), 'utf8')).toBe(key);
  });

  it('refuses a restore without its key, saying what to do, and writes no new key', async () => {
    const restored = restoreInto(original);
    const error = await refusal(restored);
    expect(error).toBeInstanceOf(StartupRefusal);
    expect((error as Error).message).toMatch(/^This database holds data sealed with an encryption key .* but no key was found: neither SHOUHU_SECRET_KEY nor .*secret\.key\./);
    expect((error as Error).message).toContain('Restore the key that was backed up with this database');
    expect((error as Error).message).toContain('No new key was created');
    expect(fs.existsSync(keyFile(restored))).toBe(false);
  });

  it('refuses a restore with another installation’s key, and leaves that key alone', async () => {
    const restored = restoreInto(original);
    const other = `${randomBytes(32).toString('base64')}\n`;
    fs.writeFileSync(keyFile(restored), other, { mode: 0o600 });
    const error = await refusal(restored);
    expect(error).toBeInstanceOf(StartupRefusal);
    expect((error as Error).message).toMatch(/^The encryption key from .*secret\.key is not the key of this database/);
    expect(fs.readFileSync(keyFile(restored), 'utf8')).toBe(other);
    // With its own key put back, the restore starts.
    fs.copyFileSync(keyFile(original), keyFile(restored));
    await expect(start(restored)).resolves.toBeUndefined();
  });

  it('a database from before the key check is tried on a sealed ID number: another key is refused, its own key gets the key check', async () => {
    const removeCheck = async () => {
      const handle = open(configFor(original));
      await handle.db.deleteFrom('key_check').execute();
      await handle.close();
    };
    await removeCheck();
    const restored = restoreInto(original);
    fs.writeFileSync(keyFile(restored), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    expect(await refusal(restored)).toBeInstanceOf(StartupRefusal);
    const keyless = restoreInto(original);
    expect(((await refusal(keyless)) as Error).message).toMatch(/no key was found/);
    expect(fs.existsSync(keyFile(keyless))).toBe(false);
    expect(await keyCheckRow()).toBeUndefined();
    await start(original);
    expect(await keyCheckRow()).toMatchObject({ id: 1 });
  });

  it('the command line and `npm start` refuse too (exit code 1, the message, no key file)', async () => {
    const restored = restoreInto(original);
    const cli = await spawnTsx('server/cli.ts', ['verify-audit'], restored);
    expect(cli.code, cli.stdout + cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/^Refused: This database holds data sealed with an encryption key/);
    const server = await spawnTsx('server/main.ts', [], restored);
    expect(server.code, server.stdout + server.stderr).toBe(1);
    expect(server.stderr).toContain('Shouhu 守护 will not start.');
    expect(server.stderr).toContain('no key was found');
    expect(server.stdout).not.toContain('is running');
    expect(fs.existsSync(keyFile(restored))).toBe(false);
    // With the key, the same command verifies the chain and anchors its head.
    fs.copyFileSync(keyFile(original), keyFile(restored));
    const verified = await spawnTsx('server/cli.ts', ['verify-audit'], restored);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^Audit chain intact: \d+ rows verified \(keyed\), 0 anchors held\.\nAnchored row \d+ \(hash [0-9a-f]{64}\) in .*audit-anchors\.log\.$/m);
  });
});
