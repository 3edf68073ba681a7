/**
 * What the server keeps on disk is for the server's user alone, whatever the
 * umask: files 0600, directories 0700 — the SQLite database and its -wal/-shm
 * (SQLite gives them the database file's mode), backups, the key, the audit
 * anchors, uploaded files. Files an earlier version left readable by others
 * are tightened at start.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Creates the directory (and missing parents) 0700. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
}

/** Creates the file empty if absent, and sets it 0600: whatever writes into it then (SQLite, a backup) starts private. */
export function createPrivateFile(file: string): void {
  makePrivateDir(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  fs.chmodSync(file, PRIVATE_FILE);
}

/** The files of the data directory that are the server's (the rest is left alone): the database and its companions, backups, key, anchors. */
const OWN_FILE = /^(shouhu\.db(-wal|-shm|-journal)?|backup-.*\.db(-wal|-shm|-journal)?|secret\.key|audit-anchors\.log)$/;

/**
 * Creates the data directory 0700, or tightens it and what the server keeps
 * in it: its own files 0600 and the uploads under files/ (0700 / 0600). A
 * shared directory (sticky bit, like /tmp) is not changed itself. Returns the
 * paths it had to tighten; a path it may not change is reported, not fatal.
 */
export function secureDataDir(dataDir: string, warn: (message: string) => void = console.warn): string[] {
  const tightened: string[] = [];
  const tighten = (target: string, mode: number) => {
    const stat = fs.lstatSync(target);
    if (stat.isSymbolicLink() || (stat.mode & 0o777) === mode) return;
    try {
      fs.chmodSync(target, mode);
      tightened.push(target);
    } catch (error) {
      warn(`Could not make ${target} private (${(error as NodeJS.ErrnoException).code}): it stays readable by other users of this host.`);
    }
  };
  if (!fs.existsSync(dataDir)) {
    makePrivateDir(dataDir);
    return tightened;
  }
  if ((fs.statSync(dataDir).mode & 0o1000) === 0) tighten(dataDir, PRIVATE_DIR);
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile() && OWN_FILE.test(entry.name)) tighten(path.join(dataDir, entry.name), PRIVATE_FILE);
  }
  const walk = (dir: string) => {
    tighten(dir, PRIVATE_DIR);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const target = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(target);
      else if (entry.isFile()) tighten(target, PRIVATE_FILE);
    }
  };
  const files = path.join(dataDir, 'files');
  if (fs.existsSync(files) && fs.lstatSync(files).isDirectory()) walk(files);
  return tightened;
}
