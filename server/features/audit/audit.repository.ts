import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { FieldCrypto } from '../../core/crypto.js';
import { storableText } from '../../core/text.js';
import type { AuditRow } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';
import { containsText } from '../../db/search.js';

export interface AuditInput {
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  regionCode: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

export type HashedFields = Omit<AuditRow, 'hash'>;

/** What a row's hash covers: every field and the previous row's hash, in a fixed order. */
function auditMaterial(row: HashedFields): string {
  return JSON.stringify([
    Number(row.seq),
    row.at,
    row.actor_id,
    row.actor_username,
    row.actor_role,
    row.action,
    row.target_type,
    row.target_id,
    row.region_code,
    row.ip,
    row.request_id,
    row.details,
    row.prev_hash,
  ]);
}

/** The hash of a row of the keyed chain: HMAC-SHA256 under the audit key derived from the master key. */
export function keyedAuditHash(crypto: Pick<FieldCrypto, 'auditMac'>, row: HashedFields): string {
  return crypto.auditMac(auditMaterial(row));
}

/**
 * The hash of a row written before the chain was keyed: plain SHA-256, which
 * anyone who can write the database can recompute. Only the rows before the
 * `audit.chain.keyed` row may carry it.
 */
export function legacyAuditHash(row: HashedFields): string {
  return createHash('sha256').update(auditMaterial(row)).digest('hex');
}

const text = (value: string | null): string | null => (value === null ? null : storableText(value));

/**
 * Appends one row to the chain. Must run inside the caller's transaction: the
 * UPDATE of the single head row takes its lock, so concurrent appends queue up
 * (PostgreSQL) or are already serial (SQLite). Every text is hashed as it will
 * be stored (a lone surrogate would otherwise be hashed as sent and stored as
 * U+FFFD, and the row would never verify again).
 */
export async function appendAuditRow(trx: Db, crypto: Pick<FieldCrypto, 'auditMac'>, input: AuditInput): Promise<number> {
  const head = await trx
    .updateTable('audit_head')
    .set({ last_seq: sql`last_seq + 1` })
    .where('id', '=', 1)
    .returning(['last_seq', 'last_hash'])
    .executeTakeFirstOrThrow();
  const row: HashedFields = {
    seq: Number(head.last_seq),
    at: input.at,
    actor_id: text(input.actorId),
    actor_username: text(input.actorUsername),
    actor_role: text(input.actorRole),
    action: storableText(input.action),
    target_type: text(input.targetType),
    target_id: text(input.targetId),
    region_code: text(input.regionCode),
    ip: text(input.ip),
    request_id: text(input.requestId),
    // JSON.stringify writes a lone surrogate as an escape (plain ASCII), but the row shows what is stored.
    details: input.details ? JSON.stringify(input.details, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value)) : null,
    prev_hash: head.last_hash,
  };
  const hash = keyedAuditHash(crypto, row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await trx.updateTable('audit_head').set({ last_hash: hash }).where('id', '=', 1).execute();
  return row.seq;
}

/** Sets the head to the row the chain really ends at (only when a broken legacy chain is accepted on record). */
export async function resetAuditHead(db: Db, lastSeq: number, lastHash: string): Promise<void> {
  await db.updateTable('audit_head').set({ last_seq: lastSeq, last_hash: lastHash }).where('id', '=', 1).execute();
}

export interface AuditSearch {
  scopeRegion: string | null;
  q?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

function filteredAudit(db: Db, search: Omit<AuditSearch, 'page' | 'pageSize'>) {
  let query = db.selectFrom('audit_log');
  if (search.scopeRegion) query = query.where(inSubtree('region_code', search.scopeRegion));
  if (search.action) query = query.where('action', '=', search.action);
  if (search.from) query = query.where('at', '>=', search.from);
  if (search.to) query = query.where('at', '<', search.to);
  if (search.q) {
    const q = search.q;
    query = query.where((eb) =>
      eb.or([
        containsText('actor_username', q),
        containsText('action', q),
        eb('target_id', '=', q),
        eb('ip', '=', q),
        eb('request_id', '=', q),
      ]),
    );
  }
  return query;
}

export async function countAuditRows(db: Db, search: Omit<AuditSearch, 'page' | 'pageSize'>): Promise<number> {
  const count = await filteredAudit(db, search)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(count.n);
}

export async function searchAuditRows(db: Db, search: AuditSearch): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    filteredAudit(db, search)
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(search.pageSize)
      .offset((search.page - 1) * search.pageSize)
      .execute(),
    countAuditRows(db, search),
  ]);
  return { rows, total };
}

/** The rows of a search newest first, in batches by sequence number (an export of many rows never sits in memory at once). */
export async function* readAuditRows(db: Db, search: Omit<AuditSearch, 'page' | 'pageSize'>, batch = 1000): AsyncGenerator<AuditRow[]> {
  let before: number | null = null;
  for (;;) {
    let query = filteredAudit(db, search);
    if (before !== null) query = query.where('seq', '<', before);
    const rows = await query.selectAll().orderBy('seq', 'desc').limit(batch).execute();
    if (rows.length === 0) return;
    yield rows;
    before = Number(rows[rows.length - 1]!.seq);
  }
}

/**
 * The children named by audit rows that the reader may see now: in his scope
 * today (a child moved away since is not), with his village. Read at the time
 * of reading, never stored in the row.
 */
export function findChildrenInScope(db: Db, ids: readonly string[], scopeRegion: string): Promise<{ id: string; name: string; village_name: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('children')
    .innerJoin('regions', 'regions.code', 'children.region_code')
    .select(['children.id', 'children.name', 'regions.name as village_name'])
    .where('children.id', 'in', [...ids])
    .where(inSubtree('children.region_code', scopeRegion))
    .execute();
}

/** Streams the chain in order, in batches, for verification. */
export async function* readAuditChain(db: Db, batch = 5000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) return;
    for (const row of rows) yield row;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function readAuditHead(db: Db): Promise<{ lastSeq: number; lastHash: string }> {
  const head = await db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { lastSeq: Number(head.last_seq), lastHash: head.last_hash };
}

export async function readAuditRow(db: Db, seq: number): Promise<AuditRow | undefined> {
  return db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirst();
}

/** The first row with this action (the row where the chain became keyed), by the action index. */
export async function findFirstAuditRowOf(db: Db, action: string): Promise<AuditRow | undefined> {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').limit(1).executeTakeFirst();
}
