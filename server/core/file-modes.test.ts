/**
 * Issue 11 §10: what the server writes to disk is readable by its own user
 * only — under a umask that would allow everyone (000) — and what an earlier
 * version left readable is tightened at start.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../domain/children/schema.js';
import { depsOf, openFromConfig, prepareDatabase, sqliteFileOf } from '../bootstrap.js';
import { anchorAuditHead } from '../features/audit/audit.service.js';
import { childInput } from '../features/children/children.test-data.js';
import { phoneJpeg, uploadPhoto } from '../features/files/files.test-data.js';
import { createTestApp, dialectUnderTest, signIn } from '../test/harness.js';
import { loadConfig } from './config.js';
import { secureDataDir } from './file-modes.js';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-modes-'));
  dirs.push(dir);
  return dir;
};

describe(`file permissions (${dialectUnderTest()} for uploads; SQLite files always)`, () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0o000);
  });
  afterEach(() => {
    process.umask(umask);
  });
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a first start creates the data directory 0700 and the database with its -wal and -shm, the key and the anchors file 0600', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const config = { ...loadConfig({}), dataDir, databaseUrl: undefined, demo: false };
    const handle = openFromConfig(config);
    try {
      const deps = depsOf(handle, config);
      await prepareDatabase(deps, { demoChildren: false });
      expect((await anchorAuditHead(deps)).state).toBe('anchored');
      const db = sqliteFileOf(config);
      expect(fs.existsSync(`${db}-wal`) && fs.existsSync(`${db}-shm`)).toBe(true);
      expect({
        dir: modeOf(dataDir),
        db: modeOf(db),
        wal: modeOf(`${db}-wal`),
        shm: modeOf(`${db}-shm`),
        key: modeOf(path.join(dataDir, 'secret.key')),
        anchors: modeOf(path.join(dataDir, 'audit-anchors.log')),
      }).toEqual({ dir: 0o700, db: 0o600, wal: 0o600, shm: 0o600, key: 0o600, anchors: 0o600 });
    } finally {
      await handle.close();
    }

    // `npm run cli -- backup`, run under the same permissive umask: to its default place and to a file named.
    const elsewhere = path.join(tempDir(), 'copies', 'shouhu.db');
    const { DATABASE_URL: _pg, SHOUHU_SECRET_KEY: _key, ...env } = process.env;
    for (const args of [[], [elsewhere]]) {
      const res = await run('sh', ['-c', 'umask 000 && exec npx tsx server/cli.ts backup "$@"', 'sh', ...args], { cwd: REPO, env: { ...env, SHOUHU_DATA_DIR: dataDir }, timeout: 60_000 });
      const target = /Backup written to (.*)$/m.exec(res.stdout)![1]!;
      expect(modeOf(target), target).toBe(0o600);
      expect(fs.statSync(target).size).toBeGreaterThan(100_000);
    }
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('backup-'))).toHaveLength(1);
  });

  it('tightens at start what an earlier version left readable, and leaves other files of the directory alone', () => {
    const dataDir = tempDir();
    const loose = ['shouhu.db', 'shouhu.db-wal', 'shouhu.db-shm', 'backup-2026-01-01T00-00-00-000Z.db', 'secret.key', 'audit-anchors.log', 'files/ab/0000-ab.jpg', 'files/cd/0000-cd.pdf'];
    for (const name of loose) {
      fs.mkdirSync(path.dirname(path.join(dataDir, name)), { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(dataDir, name), '', { mode: 0o644 });
    }
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'mine', { mode: 0o644 });
    fs.chmodSync(dataDir, 0o755);
    const tightened = secureDataDir(dataDir, () => {});
    expect(tightened).toHaveLength(loose.length + 4); // the files, the data directory, files/, files/ab, files/cd
    for (const name of loose) expect(modeOf(path.join(dataDir, name)), name).toBe(0o600);
    for (const dir of ['', 'files', 'files/ab', 'files/cd']) expect(modeOf(path.join(dataDir, dir)), dir || 'data dir').toBe(0o700);
    expect(modeOf(path.join(dataDir, 'notes.txt'))).toBe(0o644);
    expect(secureDataDir(dataDir)).toEqual([]);
  });

  it('stores an uploaded photo 0600 in 0700 directories', async () => {
    const t = await createTestApp();
    try {
      const director = await signIn(t, 'director-431202001201');
      const created = await director.request('POST', '/api/children', childInput({ idNumber: null }));
      const child = created.json() as ChildDetail;
      const res = await uploadPhoto(director, child.id, await phoneJpeg());
      expect(res.status, res.body).toBe(200);
      const row = await t.deps.db.selectFrom('files').select('path').where('child_id', '=', child.id).executeTakeFirstOrThrow();
      const file = path.join(t.deps.config.dataDir, 'files', row.path);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(path.dirname(file))).toBe(0o700);
      expect(modeOf(path.join(t.deps.config.dataDir, 'files'))).toBe(0o700);
    } finally {
      await t.close();
    }
  });
});
