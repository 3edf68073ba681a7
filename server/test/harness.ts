/**
 * Integration-test harness: a fresh database per test file, on SQLite
 * (in memory) or, when DATABASE_URL is set, on PostgreSQL in a schema of its
 * own; migrated and seeded with the demo network, plus a small region outside
 * Huaihua so that out-of-scope records exist for every role.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../app.js';
import { fixedClock } from '../core/clock.js';
import { loadConfig, type AppConfig } from '../core/config.js';
import type { Deps } from '../core/deps.js';
import type { Api } from '../core/http.js';
import { openDatabase, workerConnectionOptions, type DatabaseHandle } from '../db/database.js';
import { prepareDatabase } from '../bootstrap.js';
import { hashPassword } from '../core/passwords.js';
import { newId } from '../core/ids.js';
import { createFieldCrypto } from '../core/crypto.js';
import { newUserRow } from '../features/users/users.repository.js';

export const DEMO_PASSWORD = 'demo1234';
export const OUTSIDE = {
  city: '430100000000',
  county: '430102000000',
  township: '430102001000',
  village: '430102001001',
  director: 'director-430102001001',
  countyAdmin: 'county-430102',
};

export interface TestApp {
  app: Api;
  deps: Deps;
  clock: ReturnType<typeof fixedClock>;
  handle: DatabaseHandle;
  routes: { method: string; url: string; access: string | undefined }[];
  close(): Promise<void>;
}

/**
 * Every test signs in from 127.0.0.1 (app.inject), many times a minute: the request limits are
 * lifted here, and the tests that prove them pass the real values as overrides.
 */
export const UNTHROTTLED = { loginRatePerAddress: 1_000_000, loginRateGlobal: 1_000_000, duplicateCheckRate: 1_000_000 } as const satisfies Partial<AppConfig>;

export const dialectUnderTest = (): 'sqlite' | 'postgres' => (process.env.DATABASE_URL ? 'postgres' : 'sqlite');

/**
 * `demoChildren`: seed the 20,000 demo child files too (off by default: it costs seconds per test file).
 * `onDisk`: SQLite in a file under the test's data folder (`handle.file`) instead of in memory, for tests that read its bytes.
 */
export async function createTestApp(overrides: Partial<AppConfig> = {}, options: { demoChildren?: boolean; onDisk?: boolean } = {}): Promise<TestApp> {
  // Uploaded files go to a throwaway folder, never into the developer's data/.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-test-'));
  const config: AppConfig = { ...loadConfig({}), demo: true, demoPassword: DEMO_PASSWORD, dataDir, ...UNTHROTTLED, ...overrides };
  const url = process.env.DATABASE_URL;
  let schema: string | undefined;
  if (url) {
    schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = openDatabase({ databaseUrl: url });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
  }
  const handle = openDatabase(url ? { databaseUrl: url, pgSchema: schema! } : { sqliteFile: options.onDisk ? path.join(dataDir, 'shouhu.db') : ':memory:' });
  const clock = fixedClock('2026-11-29T02:00:00.000Z');
  const deps: Deps = { db: handle.db, dialect: handle.dialect, clock, config, crypto: createFieldCrypto(randomBytes(32)), workerDb: workerConnectionOptions(handle) };
  await prepareDatabase(deps, { demoChildren: options.demoChildren ?? false });
  await addOutsideRegion(deps);
  const routes: TestApp['routes'] = [];
  const app = await buildApp(deps, { webRoot: null, onRoute: (r) => routes.push(r) });
  await app.ready();
  return {
    app,
    deps,
    clock,
    handle,
    routes,
    async close() {
      await app.close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (url && schema) {
        const admin = openDatabase({ databaseUrl: url });
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      }
    },
  };
}

/** Every row of every table of the test's database, as one JSON text per table (what someone holding the database could read). */
export async function dumpTables(t: TestApp): Promise<Map<string, string>> {
  const tables =
    t.deps.dialect === 'postgres'
      ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.deps.db)).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(t.deps.db)).rows;
  const dump = new Map<string, string>();
  for (const { name } of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.deps.db);
    dump.set(name, JSON.stringify(rows.rows));
  }
  return dump;
}

/** 长沙市 芙蓉区: outside every Huaihua account's scope. */
async function addOutsideRegion(deps: Deps): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.db
    .insertInto('regions')
    .values([
      { code: OUTSIDE.city, name: '长沙市', level: 'city', parent_code: '430000000000', valid_from: '2024-01-01', valid_to: null },
      { code: OUTSIDE.county, name: '芙蓉区', level: 'county', parent_code: OUTSIDE.city, valid_from: '2024-01-01', valid_to: null },
      { code: OUTSIDE.township, name: '文艺路街道', level: 'township', parent_code: OUTSIDE.county, valid_from: '2024-01-01', valid_to: null },
      { code: OUTSIDE.village, name: '识字岭社区', level: 'village', parent_code: OUTSIDE.township, valid_from: '2024-01-01', valid_to: null },
    ])
    .execute();
  const hash = await hashPassword(DEMO_PASSWORD);
  const user = (username: string, role: string, region: string) =>
    newUserRow({ id: newId(), username, displayName: username, role, regionCode: region, organisationId: null, passwordHash: hash, mustChangePassword: false, now });
  await deps.db
    .insertInto('users')
    .values([user(OUTSIDE.director, 'director', OUTSIDE.village), user(OUTSIDE.countyAdmin, 'county_admin', OUTSIDE.county)])
    .execute();
}

export interface Session {
  username: string;
  cookie: string;
  csrf: string;
  /** Sends a request as this user, with the CSRF header on writes. */
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: () => unknown; body: string }>;
}

export async function signIn(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'shouhu_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return sessionFrom(t, username, `shouhu_session=${cookie.value}`, csrf);
}

export function sessionFrom(t: TestApp, username: string, cookie: string, csrf: string): Session {
  return {
    username,
    cookie,
    csrf,
    async request(method, url, body, headers = {}) {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, json: () => res.json<unknown>(), body: res.body };
    },
  };
}
