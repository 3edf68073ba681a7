/**
 * The server killed (`kill -9`) while a roster import writes, then started
 * again: the import's rows are all there or none (none: it never committed),
 * SQLite's integrity check passes, and the audit chain verifies (issue 13,
 * "how it will be checked"). A real server process, on a data directory of
 * its own (and on PostgreSQL a schema of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobStatus } from '../../../domain/children/import.js';
import { depsOf, openFromConfig, prepareDatabase } from '../../bootstrap.js';
import { loadConfig, type AppConfig } from '../../core/config.js';
import { openDatabase } from '../../db/database.js';
import { dialectUnderTest } from '../../test/harness.js';
import { verifyAuditChain } from '../audit/audit.service.js';
import { buildRoster, multipart, rosterRow, testId, type RosterRow } from './import-test-files.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const N = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `npx tsx server/main.ts` in its own process group (so that kill reaches the node process itself), answering on `port`. */
async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; base: string; logs: () => string }> {
  let output = '';
  const child = spawn('npx', ['tsx', 'server/main.ts'], { cwd: REPO, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    try {
      if ((await fetch(`${base}/api/health`)).status === 200) return { child, base, logs: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server did not start: ${output}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, signal);
  });
}

describe(`kill -9 while an import writes (${dialectUnderTest()})`, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-kill-'));
  const pgUrl = process.env.DATABASE_URL;
  const schema = `k_${randomBytes(6).toString('hex')}`;
  /** The spawned server reaches its schema through the connection string (`options=-c search_path=…`). */
  const databaseUrl = pgUrl ? `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` : undefined;
  let config: AppConfig;
  let villages: string[] = [];
  const env = () => {
    const { DATABASE_URL: _unused, ...rest } = process.env;
    return { ...rest, SHOUHU_DATA_DIR: dataDir, SHOUHU_SKIP_WEB_BUILD: '1', SHOUHU_DEMO: '1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  };
  const countChildren = async () => {
    const handle = openFromConfig(config);
    try {
      return Number((await handle.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    if (pgUrl) {
      const admin = openDatabase({ databaseUrl: pgUrl });
      await sql`create schema ${sql.id(schema)}`.execute(admin.db);
      await admin.close();
    }
    // The network and the demo accounts, without the 20,000 demo children (a minute of seeding).
    config = { ...loadConfig({}), dataDir, databaseUrl, demo: true, demoPassword: 'demo1234' };
    const handle = openFromConfig(config);
    try {
      await prepareDatabase(depsOf(handle, config), { demoChildren: false });
      villages = (await handle.db.selectFrom('regions').select('code').where('level', '=', 'village').where('code', 'like', '4312%').orderBy('code').limit(40).execute()).map((r) => r.code);
    } finally {
      await handle.close();
    }
  });

  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (pgUrl) {
      const admin = openDatabase({ databaseUrl: pgUrl });
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    }
  });

  it('leaves none of the rows, a sound database and an intact audit chain, and the restarted server works', async () => {
    const rows: RosterRow[] = Array.from({ length: N }, (_, i) => {
      const day = new Date(Date.UTC(2010, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10);
      return rosterRow({ 姓名: '王李张刘陈杨黄赵'[i % 8]! + '建国华明丽芳军平伟英'[Math.floor(i / 8) % 10]! + '红霞勇敏静强艳娟辉涛'[Math.floor(i / 80) % 10]!, 出生日期: day, 性别: '男', 身份证号: testId(day, Math.floor(i / 3000)), '村（社区）代码': villages[i % villages.length]! });
    });
    const file = await buildRoster(rows);
    const before = await countChildren();

    const port = await freePort();
    const server = await startServer(env(), port);
    let killed = false;
    try {
      const login = await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'city-431200', password: 'demo1234' }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const { body, headers } = multipart('kill.xlsx', file);
      const up = await fetch(`${server.base}/api/children/import?dryRun=false`, { method: 'POST', headers: { ...headers, cookie, 'x-csrf-token': csrfToken }, body: new Uint8Array(body) });
      expect(up.status, await up.clone().text()).toBe(202);
      const { jobId } = (await up.json()) as { jobId: string };
      // Wait until the writing is well under way, then kill the whole process without warning.
      const deadline = Date.now() + 240_000;
      for (;;) {
        const job = (await (await fetch(`${server.base}/api/children/import/${jobId}`, { headers: { cookie } })).json()) as ImportJobStatus;
        expect(job.state, JSON.stringify(job.error ?? job.result?.errors?.slice(0, 3))).toBe('running');
        if (job.written >= N / 3) break;
        if (Date.now() > deadline) throw new Error('the import did not write in time');
        await new Promise((r) => setTimeout(r, 50));
      }
      await killGroup(server.child, 'SIGKILL');
      killed = true;
    } finally {
      if (!killed) await killGroup(server.child, 'SIGKILL');
    }

    // None of the rows: the transaction never committed.
    expect(await countChildren()).toBe(before);
    const handle = openFromConfig(config);
    try {
      if (!databaseUrl) expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db)).rows).toEqual([{ integrity_check: 'ok' }]);
      const chain = await verifyAuditChain(depsOf(handle, config));
      expect(chain.problems).toEqual([]);
      expect(chain.ok).toBe(true);
    } finally {
      await handle.close();
    }

    // The server starts again on the same data, and a small import goes through.
    const again = await startServer(env(), await freePort());
    try {
      const login = await fetch(`${again.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'city-431200', password: 'demo1234' }) });
      expect(login.status).toBe(200);
      const list = await fetch(`${again.base}/api/children?page=1&pageSize=5`, { headers: { cookie: login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') } });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { total: number }).total).toBe(before);
    } finally {
      await killGroup(again.child, 'SIGTERM');
    }
  }, 600_000);
});
