/** SQL of mandatory reports: every read scoped by the report's village (region_code) or county (county_code). */
import { sql, type ExpressionBuilder } from 'kysely';
import { regionLevel } from '../../../domain/regions.js';
import type { Db } from '../../db/database.js';
import type { Database, ProtectionReportEntryRow, ProtectionReportEntryTable, ProtectionReportRow, ProtectionReportTable } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

export type ReportWithNames = ProtectionReportRow & { child_name: string; region_name: string };

function reportsWithNames(db: Db) {
  return db
    .selectFrom('protection_reports')
    .innerJoin('children', 'children.id', 'protection_reports.child_id')
    .innerJoin('regions', 'regions.code', 'protection_reports.region_code')
    .selectAll('protection_reports')
    .select(['children.name as child_name', 'regions.name as region_name']);
}

export function findReportInScope(db: Db, id: string, scopeRegion: string): Promise<ReportWithNames | undefined> {
  return reportsWithNames(db).where('protection_reports.id', '=', id).where(inSubtree('protection_reports.region_code', scopeRegion)).executeTakeFirst();
}

/** A report by id wherever it is (a client id resent: is it taken, by which child, with what content). */
export function findReportById(db: Db, id: string): Promise<Pick<ProtectionReportRow, 'id' | 'child_id' | 'input_hash'> | undefined> {
  return db.selectFrom('protection_reports').select(['id', 'child_id', 'input_hash']).where('id', '=', id).executeTakeFirst();
}

export async function insertReport(db: Db, row: ProtectionReportTable): Promise<void> {
  await db.insertInto('protection_reports').values(row).execute();
}

/** Writes when the version still matches; false when someone else changed the report first. */
export async function updateReportIfVersion(db: Db, id: string, version: number, changes: Partial<ProtectionReportTable>): Promise<boolean> {
  const result = await db
    .updateTable('protection_reports')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertReportEntry(db: Db, row: ProtectionReportEntryTable): Promise<void> {
  await db.insertInto('protection_report_entries').values(row).execute();
}

export function listReportEntries(db: Db, reportId: string): Promise<ProtectionReportEntryRow[]> {
  return db.selectFrom('protection_report_entries').selectAll().where('report_id', '=', reportId).orderBy('at').orderBy('id').execute();
}

export interface ReportFilter {
  scopeRegion: string;
  status?: string | undefined;
  /** true: open, police not told, discovered before `lateBefore`; false: the others. */
  late?: boolean | undefined;
  lateBefore: string;
  /** true: open and not yet acknowledged by the police; false: the others. */
  awaitingPolice?: boolean | undefined;
  childId?: string | undefined;
  sort: 'discovered_desc' | 'discovered_asc' | 'police_queue';
  page: number;
  pageSize: number;
}

export async function listReports(db: Db, f: ReportFilter): Promise<{ rows: ReportWithNames[]; total: number }> {
  let base = db.selectFrom('protection_reports');
  base = regionLevel(f.scopeRegion) === 'county' ? base.where('protection_reports.county_code', '=', f.scopeRegion.slice(0, 6)) : base.where(inSubtree('protection_reports.region_code', f.scopeRegion));
  if (f.status) base = base.where('protection_reports.status', '=', f.status);
  if (f.childId) base = base.where('protection_reports.child_id', '=', f.childId);
  if (f.late === true) {
    base = base.where('protection_reports.status', '=', 'open').where('protection_reports.police_notified_at', 'is', null).where('protection_reports.discovered_at', '<', f.lateBefore);
  } else if (f.late === false) {
    base = base.where((eb) =>
      eb.or([eb('protection_reports.status', '!=', 'open'), eb('protection_reports.police_notified_at', 'is not', null), eb('protection_reports.discovered_at', '>=', f.lateBefore)]),
    );
  }
  const awaiting = (eb: ExpressionBuilder<Database, 'protection_reports'>) => eb.and([eb('protection_reports.status', '=', 'open'), eb('protection_reports.police_received_at', 'is', null)]);
  if (f.awaitingPolice === true) base = base.where(awaiting);
  else if (f.awaitingPolice === false) base = base.where((eb) => eb.not(awaiting(eb)));
  const direction = f.sort === 'discovered_asc' ? 'asc' : 'desc';
  let page = base.select('protection_reports.id');
  // The police's queue: what awaits their acknowledgement first, the longest waiting at the top; then the rest, newest first.
  if (f.sort === 'police_queue') {
    page = page
      .orderBy((eb) => eb.case().when(awaiting(eb)).then(0).else(1).end())
      .orderBy((eb) => eb.case().when(awaiting(eb)).then(eb.ref('protection_reports.discovered_at')).else(null).end())
      .orderBy('protection_reports.discovered_at', 'desc')
      .orderBy('protection_reports.id', 'desc');
  } else {
    page = page.orderBy('protection_reports.discovered_at', direction).orderBy('protection_reports.id', direction);
  }
  const [ids, count] = await Promise.all([
    page
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const idList = ids.map((r) => r.id);
  const rows = idList.length === 0 ? [] : await reportsWithNames(db).where('protection_reports.id', 'in', idList).execute();
  rows.sort((a, b) => idList.indexOf(a.id) - idList.indexOf(b.id));
  return { rows, total: Number(count.n) };
}

/** A child's reports for its timeline, newest discovery first. */
export function listChildReports(db: Db, childId: string, limit: number): Promise<ProtectionReportRow[]> {
  return db.selectFrom('protection_reports').selectAll().where('child_id', '=', childId).orderBy('discovered_at', 'desc').limit(limit).execute();
}

/** A visit of this child, for linking a report to the visit it was raised from. */
export function findVisitOfChild(db: Db, visitId: string, childId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('visits').select('id').where('id', '=', visitId).where('child_id', '=', childId).executeTakeFirst();
}

// ---------------------------------------------------------------- reporters in clear (start-up step)

export interface ReporterColumns {
  id: string;
  reporter_name: string;
  reporter_phone: string | null;
  reporter_unit: string | null;
}

/** Reports whose reporter has a column not yet in the ciphertext format (`v1:…`, server/core/crypto.ts). */
export function listReportersInClear(db: Db): Promise<ReporterColumns[]> {
  const columns = ['reporter_name', 'reporter_phone', 'reporter_unit'] as const;
  return db
    .selectFrom('protection_reports')
    .select(['id', ...columns])
    .where((eb) => eb.or(columns.map((c) => eb.and([eb(c, 'is not', null), eb(c, 'not like', 'v1:%')]))))
    .orderBy('id')
    .execute();
}

export async function updateReporterColumns(db: Db, row: ReporterColumns): Promise<void> {
  await db.updateTable('protection_reports').set({ reporter_name: row.reporter_name, reporter_phone: row.reporter_phone, reporter_unit: row.reporter_unit }).where('id', '=', row.id).execute();
}

/**
 * SQLite keeps a rewritten row's old bytes in the page's free space, and the
 * old page in the write-ahead log, until overwritten: while the reporters in
 * clear are replaced, freed space is zeroed (secure_delete), and the log is
 * checkpointed and truncated afterwards. (PostgreSQL keeps dead row versions
 * until VACUUM; nothing reads them through SQL.)
 */
export async function withFreedSpaceZeroed<T>(db: Db, dialect: 'sqlite' | 'postgres', work: () => Promise<T>): Promise<T> {
  if (dialect !== 'sqlite') return work();
  const before = (await sql<{ secure_delete: number }>`pragma secure_delete`.execute(db)).rows[0]?.secure_delete ?? 0;
  await sql`pragma secure_delete = on`.execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma secure_delete = ${Number(before)}`).execute(db);
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
  }
}
