/**
 * A lock file beside a bench database while a run writes it (generating the
 * children, adding the visits). Two runs writing one file at once left a
 * file whose surname searches took 80–100 ms where a sound one answers in
 * 16 ms (issue 13 point 5): a second run now stops instead, naming the first.
 *
 * The lock is `<file>.lock`, created exclusively (a hard link), holding the
 * holder's pid and start time. A lock whose pid is no longer running (a run
 * killed mid-write) is stale: it is taken over, with a message. A run that
 * ended normally removes its lock.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  what: string;
}

export class BenchLocked extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${lockFile}: another bench run (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}) is ${holder.what}. ` +
        `Wait for it to finish and run again. If no such run exists (pid ${holder.pid} is another program now), delete ${lockFile}.`,
    );
    this.name = 'BenchLocked';
  }
}

/** Whether a process of this pid runs on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface HeldLock {
  file: string;
  release(): void;
}

/**
 * Takes the lock of `dbFile` or throws BenchLocked naming the run that holds
 * it. Never waits: a generation takes minutes, and the run that waited would
 * then only find the file made (the caller checks again once it holds the lock).
 */
export function acquireBenchLock(dbFile: string, what: string, log: (s: string) => void, alive: (pid: number) => boolean = processAlive): HeldLock {
  const file = `${dbFile}.lock`;
  const me: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), what };
  const body = JSON.stringify(me) + '\n';
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written aside, then hard-linked into place: the link fails if a lock exists, and a lock never shows half-written.
    const aside = `${file}.${process.pid}.${attempt}`;
    fs.writeFileSync(aside, body);
    try {
      fs.linkSync(aside, file);
      return {
        file,
        release() {
          // Only our own lock: a stale-lock takeover by another run must not be undone by us.
          const holder = readHolder(file);
          if (holder?.pid === me.pid && holder.startedAt === me.startedAt) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(aside, { force: true });
    }
    const text = readText(file);
    if (text === null) continue; // removed meanwhile: try again
    const holder = parseHolder(text);
    // A lock from another machine (a shared disk) cannot be checked: it is believed.
    if (holder && (holder.host !== me.host || alive(holder.pid))) throw new BenchLocked(file, holder);
    log(
      holder
        ? `Taking over a stale lock ${file}: pid ${holder.pid} (started ${holder.startedAt}, ${holder.what}) is no longer running; what it was writing is not trusted.`
        : `Taking over an unreadable lock ${file}.`,
    );
    // Removed only if it is still the stale lock read above (another run may have taken it over meanwhile).
    if (readText(file) === text) fs.rmSync(file, { force: true });
  }
  throw new Error(`${file}: could not take the lock (it keeps changing hands)`);
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.pid === 'number' && Number.isInteger(h.pid) && h.pid > 0
      ? { pid: h.pid, host: String(h.host ?? os.hostname()), startedAt: String(h.startedAt ?? '?'), what: String(h.what ?? 'writing it') }
      : null;
  } catch {
    return null;
  }
}

function readHolder(file: string): LockHolder | null {
  const text = readText(file);
  return text === null ? null : parseHolder(text);
}
