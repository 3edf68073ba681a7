import type { AuditEntry, AuditQuery } from '../../../domain/api.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import type { Db } from '../../db/database.js';
import type { AuditRow } from '../../db/schema.js';
import { appendAuditRow, hashAuditRow, readAuditChain, readAuditHead, searchAuditRows } from './audit.repository.js';

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
export async function audit(trx: Db, deps: Pick<Deps, 'clock'>, ctx: RequestContext | null, event: AuditEvent): Promise<void> {
  await appendAuditRow(trx, {
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

export interface ChainReport {
  ok: boolean;
  rows: number;
  problems: string[];
}

/** Walks the whole chain: a changed row breaks its hash, a deleted one breaks the link or the head. */
export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  const problems: string[] = [];
  let expectedPrev = '0'.repeat(64);
  let expectedSeq = 1;
  let rows = 0;
  for await (const row of readAuditChain(db)) {
    rows++;
    const seq = Number(row.seq);
    if (seq !== expectedSeq) problems.push(`row ${expectedSeq}${seq > expectedSeq + 1 ? `–${seq - 1}` : ''} missing`);
    if (row.prev_hash !== expectedPrev) problems.push(`row ${seq}: link to the previous row is broken`);
    const { hash, ...fields } = row;
    if (hashAuditRow(fields) !== hash) problems.push(`row ${seq}: content does not match its hash (changed)`);
    expectedPrev = hash;
    expectedSeq = seq + 1;
  }
  const head = await readAuditHead(db);
  if (head.lastSeq !== expectedSeq - 1 || head.lastHash !== expectedPrev) {
    problems.push(`the chain ends at row ${expectedSeq - 1} but the head records row ${head.lastSeq} (rows removed at the end?)`);
  }
  return { ok: problems.length === 0, rows, problems };
}
