import type { AuditEntry, AuditQuery } from '../../../domain/api.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import type { Db } from '../../db/database.js';
import type { AuditRow } from '../../db/schema.js';
import { StartupRefusal } from '../../core/errors.js';
import { appendAnchor, anchorsFileOf, readAnchors, type AuditAnchor } from './audit-anchors.js';
import {
  appendAuditRow,
  findFirstAuditRowOf,
  keyedAuditHash,
  legacyAuditHash,
  readAuditChain,
  readAuditHead,
  readAuditRow,
  resetAuditHead,
  searchAuditRows,
  type HashedFields,
} from './audit.repository.js';

export interface AuditEvent {
  action: string;
  targetType?: string;
  targetId?: string;
  /** The region the target belongs to: decides who may read this row. */
  regionCode?: string | null;
  details?: Record<string, unknown>;
  /** Where from, for an event without a signed-in actor (a sign-in with an unknown username). */
  origin?: { ip: string | null; requestId: string | null };
}

/** Appends an audit row for `ctx.actor` inside the caller's transaction. */
export async function audit(trx: Db, deps: Pick<Deps, 'clock' | 'crypto'>, ctx: RequestContext | null, event: AuditEvent): Promise<void> {
  await appendAuditRow(trx, deps.crypto, {
    at: deps.clock.now().toISOString(),
    actorId: ctx?.actor.id ?? null,
    actorUsername: ctx?.actor.username ?? null,
    actorRole: ctx?.actor.role ?? null,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    regionCode: event.regionCode ?? ctx?.actor.scopeRegion ?? null,
    ip: ctx?.ip ?? event.origin?.ip ?? null,
    requestId: ctx?.requestId ?? event.origin?.requestId ?? null,
    details: event.details ?? null,
  });
}

/** For reads: an audit row in its own short transaction. */
export function auditRead(deps: Deps, ctx: RequestContext, event: AuditEvent): Promise<void> {
  return deps.db.transaction().execute((trx) => audit(trx, deps, ctx, event));
}

export function presentAuditRow(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorUsername: row.actor_username,
    actorRole: row.actor_role,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    regionCode: row.region_code,
    ip: row.ip,
    requestId: row.request_id,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}

export async function searchAudit(deps: Deps, ctx: RequestContext, query: AuditQuery) {
  requirePermission(ctx.actor, 'audit.read');
  const { rows, total } = await searchAuditRows(deps.db, {
    // The system administrator sees the whole log; others their subtree.
    scopeRegion: ctx.actor.role === 'sysadmin' ? null : ctx.actor.scopeRegion,
    q: query.q,
    action: query.action,
    from: query.from,
    to: query.to === undefined ? undefined : endOf(query.to),
    page: query.page,
    pageSize: query.pageSize,
  });
  const present = ctx.actor.role === 'sysadmin' ? presentForSysadmin : presentAuditRow;
  return { items: rows.map(present), total, page: query.page, pageSize: query.pageSize };
}

/** Actions about the installation itself: sign-ins, accounts, organisations, settings, seeding (counts). */
const SYSTEM_ACTION = /^(auth|user|organisation|settings|seed)\./;

/**
 * The system administrator audits the whole installation, but no child data reaches it
 * (issue 11 §6): of a row about a child's records it sees who did what, when and from where,
 * not the details (names, order contents, comments).
 */
function presentForSysadmin(row: AuditRow): AuditEntry {
  const entry = presentAuditRow(row);
  return SYSTEM_ACTION.test(entry.action) ? entry : { ...entry, details: null };
}

/** The exclusive upper bound: an instant includes itself, a bare date its whole day. */
function endOf(to: string): string {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(to);
  const end = new Date(bare ? `${to}T00:00:00.000Z` : to);
  if (bare) end.setUTCDate(end.getUTCDate() + 1);
  else end.setTime(end.getTime() + 1);
  return end.toISOString();
}

/** The row that starts the keyed chain of a log begun before the chain was keyed; every row before it is legacy (SHA-256). */
export const CHAIN_KEYED = 'audit.chain.keyed';
/** Problems listed at most; the rest are counted. */
const MAX_LISTED = 200;
/** A legacy chain with more breaks than this is not accepted on record: restore it from a backup. */
const MAX_ACCEPTED = 1000;

export interface ChainReport {
  ok: boolean;
  rows: number;
  problems: string[];
  /** Breaks of the legacy part that the operator accepted on record when the chain was keyed (they stay listed, but do not fail). */
  accepted: string[];
  /** Anchors of the anchors file that were checked. */
  anchors: number;
  /** The first keyed row (1 when keyed from the start), or null when the log has no keyed row. */
  keyedFrom: number | null;
}

type ChainDeps = Pick<Deps, 'db' | 'crypto' | 'config'>;

/** A problem list that keeps the first MAX_LISTED and counts the rest. */
function problemList() {
  const listed: string[] = [];
  let more = 0;
  return {
    add(problem: string) {
      if (listed.length < MAX_LISTED) listed.push(problem);
      else more++;
    },
    all: () => (more > 0 ? [...listed, `… and ${more} more problems`] : listed),
  };
}

/**
 * Walks the whole chain. Rows before `keyedFrom` must carry the legacy SHA-256
 * hash, rows from it the keyed HMAC; every anchor of the anchors file must
 * still be in the chain with its hash. A changed row breaks its hash (and one
 * rewritten without the key cannot get a valid one), a deleted row breaks the
 * sequence or the head, a chain cut back behind an anchor loses the anchor.
 */
async function walkChain(deps: ChainDeps, keyedFrom: number) {
  const keyed = problemList();
  const legacy: string[] = [];
  const problem = (seq: number, text: string) => (seq < keyedFrom ? legacy.push(text) : keyed.add(text));
  const { anchors, unreadable } = readAnchors(deps.config.dataDir);
  for (const line of unreadable) keyed.add(`${anchorsFileOf(deps.config.dataDir)} line ${line}: not an anchor`);
  const anchored = new Map<number, AuditAnchor[]>();
  for (const a of anchors) anchored.set(a.seq, [...(anchored.get(a.seq) ?? []), a]);

  let expectedPrev = '0'.repeat(64);
  let expectedSeq = 1;
  let rows = 0;
  let plainInKeyedPart = 0;
  for await (const row of readAuditChain(deps.db)) {
    rows++;
    const seq = Number(row.seq);
    if (seq !== expectedSeq) problem(seq, `row ${expectedSeq}${seq > expectedSeq + 1 ? `–${seq - 1}` : ''} missing`);
    if (row.prev_hash !== expectedPrev) problem(seq, `row ${seq}: link to the previous row is broken`);
    const { hash, ...fields } = row;
    if (seq < keyedFrom) {
      if (legacyAuditHash(fields) !== hash) problem(seq, `row ${seq}: content does not match its hash (changed)`);
    } else if (keyedAuditHash(deps.crypto, fields) !== hash) {
      const plain = legacyAuditHash(fields) === hash;
      if (plain) plainInKeyedPart++;
      problem(
        seq,
        plain
          ? `row ${seq}: content does not match its hash (changed): it carries a plain SHA-256 where the keyed hash is due (rewritten without the key, or written by an older version)`
          : `row ${seq}: content does not match its hash (changed)`,
      );
    }
    for (const a of anchored.get(seq) ?? []) {
      if (a.hash !== hash) keyed.add(`anchor of ${a.at} (row ${seq}): the row no longer has the anchored hash (rewritten after it was anchored)`);
    }
    anchored.delete(seq);
    expectedPrev = hash;
    expectedSeq = seq + 1;
  }
  for (const [seq, list] of anchored) {
    for (const a of list) keyed.add(`anchor of ${a.at} (row ${seq}): the row is gone (the chain ends at row ${expectedSeq - 1}: rows removed after it was anchored)`);
  }
  const head = await readAuditHead(deps.db);
  const headProblem =
    head.lastSeq !== expectedSeq - 1 || head.lastHash !== expectedPrev
      ? `the chain ends at row ${expectedSeq - 1} but the head records row ${head.lastSeq} (rows removed at the end?)`
      : null;
  return { rows, keyed, legacy, headProblem, plainInKeyedPart, anchors: anchors.length, lastSeq: expectedSeq - 1, lastHash: expectedPrev };
}

/**
 * Verifies the chain with the key (`npm run cli -- verify-audit`). A log begun
 * before the chain was keyed is verified by SHA-256 up to its `audit.chain.keyed`
 * row, which covers the last legacy hash, and by the key from it on; a log
 * without that row must be keyed from its first row — so a chain rewritten
 * by plain SHA-256 (an old version's hashes, or a forger's) fails.
 */
export async function verifyAuditChain(deps: ChainDeps): Promise<ChainReport> {
  const start = await findFirstAuditRowOf(deps.db, CHAIN_KEYED);
  const keyedFrom = start ? Number(start.seq) : 1;
  // Breaks accepted on record count only when the row that lists them is genuine.
  const { hash: startHash, ...startFields } = start ?? { hash: '' };
  const accepted = start && keyedAuditHash(deps.crypto, startFields as HashedFields) === startHash ? acceptedProblemsOf(start.details) : [];
  const walk = await walkChain(deps, keyedFrom);
  const problems = [...walk.legacy.filter((p) => !accepted.includes(p)), ...walk.keyed.all()];
  if (walk.headProblem) problems.push(walk.headProblem);
  if (!start && walk.rows > 0 && walk.plainInKeyedPart === walk.rows) {
    problems.unshift(
      `the chain is not keyed: all ${walk.rows} rows carry plain SHA-256 hashes (a log from before the chain was keyed — starting the server once keys it — or one rewritten without the key)`,
    );
  }
  return {
    ok: problems.length === 0,
    rows: walk.rows,
    problems,
    accepted: walk.legacy.filter((p) => accepted.includes(p)),
    anchors: walk.anchors,
    keyedFrom: walk.rows >= keyedFrom ? keyedFrom : null,
  };
}

function acceptedProblemsOf(details: string | null): string[] {
  if (!details) return [];
  const list = (JSON.parse(details) as { acceptedProblems?: unknown }).acceptedProblems;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

export type ChainKeying = { state: 'empty' } | { state: 'keyed' } | { state: 'keyed now'; legacyRows: number; accepted: string[] };

/**
 * Keys a log begun before the chain was keyed, once (the first start after
 * the change). Only when its SHA-256 chain verifies — every row, the head, and
 * any anchor — is the `audit.chain.keyed` row appended, keyed and covering the
 * last legacy hash. A broken legacy chain is never keyed silently: the start
 * is refused, saying so, unless the operator accepts the breaks on record
 * (`npm run cli -- audit-key --accept-broken`): they are listed in that row,
 * and verification reports them as accepted ever after.
 */
export async function keyAuditChain(deps: Pick<Deps, 'db' | 'crypto' | 'config' | 'clock'>, options: { acceptBroken?: boolean } = {}): Promise<ChainKeying> {
  const head = await readAuditHead(deps.db);
  if (head.lastSeq === 0) return { state: 'empty' };
  const verifiesWithKey = (row: AuditRow | undefined) => {
    if (!row) return false;
    const { hash, ...fields } = row;
    return keyedAuditHash(deps.crypto, fields) === hash;
  };
  // Keyed from its first row (begun after the change), or keyed once already: what broke since is
  // for verify-audit to report, not a reason to key again.
  if (verifiesWithKey(await readAuditRow(deps.db, head.lastSeq)) || verifiesWithKey(await readAuditRow(deps.db, 1))) return { state: 'keyed' };
  if (await findFirstAuditRowOf(deps.db, CHAIN_KEYED)) return { state: 'keyed' };

  const walk = await walkChain(deps, Number.MAX_SAFE_INTEGER);
  const anchorProblems = walk.keyed.all();
  const breaks = [...walk.legacy, ...(walk.headProblem ? [walk.headProblem] : [])];
  if (anchorProblems.length > 0 || (breaks.length > 0 && (!options.acceptBroken || breaks.length > MAX_ACCEPTED))) {
    throw new StartupRefusal(refusalText(walk.rows, [...anchorProblems, ...breaks], anchorProblems.length > 0 || breaks.length > MAX_ACCEPTED));
  }
  await deps.db.transaction().execute(async (trx) => {
    // The keyed chain continues from the row the log really ends at.
    if (walk.headProblem) await resetAuditHead(trx, walk.lastSeq, walk.lastHash);
    await audit(trx, deps, null, {
      action: CHAIN_KEYED,
      regionCode: null,
      details: { legacyRows: walk.rows, legacyHead: walk.lastHash, ...(breaks.length > 0 ? { acceptedProblems: breaks } : {}) },
    });
  });
  return { state: 'keyed now', legacyRows: walk.rows, accepted: breaks };
}

function refusalText(rows: number, problems: string[], restoreOnly: boolean): string {
  const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
  if (problems.length > 10) shown.push(`  - … and ${problems.length - 10} more`);
  return [
    `The audit log cannot be keyed: its SHA-256 chain (${rows} rows written before the chain was keyed) does not verify:`,
    ...shown,
    'The server will not key — and so vouch for — a chain that was changed.',
    restoreOnly
      ? 'Restore the audit_log and audit_head tables from a backup whose chain verifies, and start again.'
      : 'Restore the audit_log and audit_head tables from a backup whose chain verifies, or, if the cause is known (e.g. a sign-in with an unpaired surrogate under an earlier version, which broke its own row), accept these breaks on record with `npm run cli -- audit-key --accept-broken`: they are then listed in the row that starts the keyed chain, and verify-audit reports them as accepted.',
  ].join('\n');
}

export type AnchorResult = { state: 'empty' } | { state: 'anchored'; anchor: AuditAnchor; file: string } | { state: 'refused'; reason: string };

/**
 * Appends the chain's head (sequence number and hash) to the anchors file.
 * Refuses when the head row does not verify with the key, or the chain no
 * longer holds the last anchor: an anchor must never vouch for a chain that
 * was changed or cut back.
 */
export async function anchorAuditHead(deps: Pick<Deps, 'db' | 'crypto' | 'config' | 'clock'>): Promise<AnchorResult> {
  const head = await readAuditHead(deps.db);
  if (head.lastSeq === 0) return { state: 'empty' };
  const row = await readAuditRow(deps.db, head.lastSeq);
  if (!row || row.hash !== head.lastHash) return { state: 'refused', reason: `the audit head (row ${head.lastSeq}) is not in the chain: not anchored; run verify-audit` };
  const { hash, ...fields } = row;
  if (keyedAuditHash(deps.crypto, fields) !== hash) return { state: 'refused', reason: `the audit head (row ${head.lastSeq}) does not verify with the key: not anchored; run verify-audit` };
  const previous = readAnchors(deps.config.dataDir).anchors.at(-1);
  if (previous) {
    const held = previous.seq <= head.lastSeq ? await readAuditRow(deps.db, previous.seq) : undefined;
    if (held?.hash !== previous.hash) return { state: 'refused', reason: `the chain no longer holds the anchor of ${previous.at} (row ${previous.seq}): not anchored; run verify-audit` };
  }
  const anchor: AuditAnchor = { at: deps.clock.now().toISOString(), seq: head.lastSeq, hash };
  return { state: 'anchored', anchor, file: appendAnchor(deps.config.dataDir, anchor) };
}
