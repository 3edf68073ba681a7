import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
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

type HashedFields = Omit<AuditRow, 'hash'>;

/** The hash of a row covers every field and the previous row's hash. */
export function hashAuditRow(row: HashedFields): string {
  const material = JSON.stringify([
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
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Appends one row to the chain. Must run inside the caller's transaction: the
 * UPDATE of the single head row takes its lock, so concurrent appends queue up
 * (PostgreSQL) or are already serial (SQLite).
 */
export async function appendAuditRow(trx: Db, input: AuditInput): Promise<number> {
  const head = await trx
    .updateTable('audit_head')
    .set({ last_seq: sql`last_seq + 1` })
    .where('id', '=', 1)
    .returning(['last_seq', 'last_hash'])
    .executeTakeFirstOrThrow();
  const row: HashedFields = {
    seq: Number(head.last_seq),
    at: input.at,
    actor_id: input.actorId,
    actor_username: input.actorUsername,
    actor_role: input.actorRole,
    action: input.action,
    target_type: input.targetType,
    target_id: input.targetId,
    region_code: input.regionCode,
    ip: input.ip,
    request_id: input.requestId,
    details: input.details ? JSON.stringify(input.details) : null,
    prev_hash: head.last_hash,
  };
  const hash = hashAuditRow(row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await trx.updateTable('audit_head').set({ last_hash: hash }).where('id', '=', 1).execute();
  return row.seq;
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

export async function searchAuditRows(db: Db, search: AuditSearch): Promise<{ rows: AuditRow[]; total: number }> {
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
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(search.pageSize)
      .offset((search.page - 1) * search.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
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
