/**
 * Anchors of the audit chain outside the database: `<data dir>/audit-anchors.log`,
 * one JSON line per anchor — when, the head's sequence number and its hash —
 * appended once a day by the server, at its start, and by `verify-audit` /
 * `audit-anchor`. Whoever can write the database but not this file cannot cut
 * the chain back behind an anchor or rewrite an anchored row unseen.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface AuditAnchor {
  at: string;
  seq: number;
  hash: string;
}

export const ANCHORS_FILE = 'audit-anchors.log';
export const anchorsFileOf = (dataDir: string): string => path.join(dataDir, ANCHORS_FILE);

const isAnchor = (value: unknown): value is AuditAnchor => {
  const a = value as Partial<AuditAnchor> | null;
  return !!a && typeof a.at === 'string' && Number.isSafeInteger(a.seq) && (a.seq ?? 0) > 0 && typeof a.hash === 'string' && /^[0-9a-f]{64}$/.test(a.hash);
};

/** Every anchor of the file (none when there is no file yet), and the numbers of lines that are not anchors. */
export function readAnchors(dataDir: string): { anchors: AuditAnchor[]; unreadable: number[] } {
  let content: string;
  try {
    content = fs.readFileSync(anchorsFileOf(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [], unreadable: [] };
    throw error;
  }
  const anchors: AuditAnchor[] = [];
  const unreadable: number[] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = null;
    }
    if (isAnchor(value)) anchors.push({ at: value.at, seq: value.seq, hash: value.hash });
    else unreadable.push(i + 1);
  });
  return { anchors, unreadable };
}

/** Appends one anchor; the file is created (and kept) 0600. */
export function appendAnchor(dataDir: string, anchor: AuditAnchor): string {
  const file = anchorsFileOf(dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.appendFileSync(file, JSON.stringify({ at: anchor.at, seq: anchor.seq, hash: anchor.hash }) + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
