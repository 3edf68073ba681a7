/** The bench's lock file (bench/lock.ts): one run writes a bench database at a time; a dead run's lock is taken over. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireBenchLock, BenchLocked, processAlive } from './lock.js';

describe('bench lock file', () => {
  let dir: string;
  let db: string;
  const logged: string[] = [];
  const log = (s: string) => logged.push(s);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lock-'));
    db = path.join(dir, 'children-1000-v2.db');
    logged.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const holderOf = () => JSON.parse(fs.readFileSync(`${db}.lock`, 'utf8')) as { pid: number; what: string };

  it('a second acquisition meets the first and stops, naming its pid; after the release the file can be taken again', () => {
    const first = acquireBenchLock(db, 'generating 1,000 children', log);
    expect(holderOf()).toMatchObject({ pid: process.pid, what: 'generating 1,000 children' });

    let refused: unknown;
    try {
      acquireBenchLock(db, 'generating 1,000 children', log);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(BenchLocked);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);
    expect((refused as Error).message).toContain('generating 1,000 children');
    expect(fs.readdirSync(dir)).toEqual(['children-1000-v2.db.lock']); // nothing left aside

    first.release();
    expect(fs.existsSync(`${db}.lock`)).toBe(false);
    acquireBenchLock(db, 'adding visits', log).release();
    expect(logged).toEqual([]);
  });

  it('a lock held by another running process is refused', () => {
    // The test runner's parent process: alive, not us.
    fs.writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: '2026-12-07T14:00:00.000Z', what: 'generating 1,000,000 children' }));
    expect(() => acquireBenchLock(db, 'generating 1,000,000 children', log)).toThrow(`pid ${process.ppid}`);
    expect(holderOf().pid).toBe(process.ppid);
  });

  it('a stale lock (its process has ended) is taken over, with a message', () => {
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(processAlive(ended)).toBe(false);
    fs.writeFileSync(`${db}.lock`, JSON.stringify({ pid: ended, host: os.hostname(), startedAt: '2026-12-07T14:00:00.000Z', what: 'generating 1,000 children' }));

    const lock = acquireBenchLock(db, 'generating 1,000 children', log);
    expect(holderOf().pid).toBe(process.pid);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`stale lock`);
    expect(logged[0]).toContain(`pid ${ended}`);
    lock.release();
    expect(fs.existsSync(`${db}.lock`)).toBe(false);
  });

  it('a run releases only its own lock (not one another run took over meanwhile)', () => {
    const lock = acquireBenchLock(db, 'generating 1,000 children', log);
    fs.writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: '2026-12-07T15:00:00.000Z', what: 'generating 1,000 children' }));
    lock.release();
    expect(holderOf().pid).toBe(process.ppid);
  });
});
