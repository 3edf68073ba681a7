/** SQL of orders and state guardianship: every read scoped by the order's village (region_code) or county (county_code). */
import { regionLevel } from '../../../domain/regions.js';
import type { Db } from '../../db/database.js';
import type { ProtectionOrderEntryRow, ProtectionOrderEntryTable, ProtectionOrderRow, ProtectionOrderTable } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

export type OrderWithNames = ProtectionOrderRow & { child_name: string; region_name: string; organisation_name: string | null };

function ordersWithNames(db: Db) {
  return db
    .selectFrom('protection_orders')
    .innerJoin('children', 'children.id', 'protection_orders.child_id')
    .innerJoin('regions', 'regions.code', 'protection_orders.region_code')
    .leftJoin('organisations', 'organisations.id', 'protection_orders.issuer_organisation_id')
    .selectAll('protection_orders')
    .select(['children.name as child_name', 'regions.name as region_name', 'organisations.name as organisation_name']);
}

export function findOrderInScope(db: Db, id: string, scopeRegion: string): Promise<OrderWithNames | undefined> {
  return ordersWithNames(db).where('protection_orders.id', '=', id).where(inSubtree('protection_orders.region_code', scopeRegion)).executeTakeFirst();
}

export async function insertOrder(db: Db, row: ProtectionOrderTable): Promise<void> {
  await db.insertInto('protection_orders').values(row).execute();
}

/** Writes when the version still matches; false when someone else changed the order first. */
export async function updateOrderIfVersion(db: Db, id: string, version: number, changes: Partial<ProtectionOrderTable>): Promise<boolean> {
  const result = await db
    .updateTable('protection_orders')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertOrderEntry(db: Db, row: ProtectionOrderEntryTable): Promise<void> {
  await db.insertInto('protection_order_entries').values(row).execute();
}

export function listOrderEntries(db: Db, orderId: string): Promise<ProtectionOrderEntryRow[]> {
  return db.selectFrom('protection_order_entries').selectAll().where('order_id', '=', orderId).orderBy('at').orderBy('id').execute();
}

/** An organisation by id, for checking the issuer's kind. */
export function findOrganisation(db: Db, id: string): Promise<{ id: string; kind: string; region_code: string } | undefined> {
  return db.selectFrom('organisations').select(['id', 'kind', 'region_code']).where('id', '=', id).executeTakeFirst();
}

export interface OrderFilter {
  scopeRegion: string;
  kind?: string | undefined;
  state?: string | undefined;
  /** Only these states (the active ones), or none of them. */
  activeStates?: { states: readonly string[]; active: boolean } | undefined;
  childId?: string | undefined;
  page: number;
  pageSize: number;
}

export async function listOrders(db: Db, f: OrderFilter): Promise<{ rows: OrderWithNames[]; total: number }> {
  let base = db.selectFrom('protection_orders');
  base = regionLevel(f.scopeRegion) === 'county' ? base.where('protection_orders.county_code', '=', f.scopeRegion.slice(0, 6)) : base.where(inSubtree('protection_orders.region_code', f.scopeRegion));
  if (f.kind) base = base.where('protection_orders.kind', '=', f.kind);
  if (f.state) base = base.where('protection_orders.state', '=', f.state);
  if (f.activeStates) base = base.where('protection_orders.state', f.activeStates.active ? 'in' : 'not in', [...f.activeStates.states]);
  if (f.childId) base = base.where('protection_orders.child_id', '=', f.childId);
  const [ids, count] = await Promise.all([
    base
      .select('protection_orders.id')
      .orderBy('protection_orders.order_date', 'desc')
      .orderBy('protection_orders.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const idList = ids.map((r) => r.id);
  const rows = idList.length === 0 ? [] : await ordersWithNames(db).where('protection_orders.id', 'in', idList).execute();
  rows.sort((a, b) => idList.indexOf(a.id) - idList.indexOf(b.id));
  return { rows, total: Number(count.n) };
}

/** A child's orders for its timeline, newest first. */
export function listChildOrders(db: Db, childId: string, limit: number): Promise<(ProtectionOrderRow & { organisation_name: string | null })[]> {
  return db
    .selectFrom('protection_orders')
    .leftJoin('organisations', 'organisations.id', 'protection_orders.issuer_organisation_id')
    .selectAll('protection_orders')
    .select('organisations.name as organisation_name')
    .where('protection_orders.child_id', '=', childId)
    .orderBy('protection_orders.order_date', 'desc')
    .orderBy('protection_orders.created_at', 'desc')
    .limit(limit)
    .execute();
}
