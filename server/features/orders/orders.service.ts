/**
 * Orders and state guardianship (法律与国家监护, DESIGN §5): recording a
 * supervision order, a family-education guidance order, a temporary
 * guardianship or a petition to revoke guardianship about a child in scope;
 * follow-up checks and guidance sessions; the state transitions of each kind
 * (domain/orders/rules.ts). Every write: permission, scope (404), state
 * (refused naming orderState), version (409), one transaction with an entry
 * row and an audit row (codes only, never the facts).
 */
import type { AuditAction } from '../../../domain/audit/actions.js';
import { actorCan } from '../../../domain/access.js';
import {
  ACTIVE_STATES,
  GUARDIANSHIP_OUTCOMES,
  INITIAL_STATE,
  REVOCATION_OUTCOMES,
  attendanceRate,
  availableActions,
  canRecordEntry,
  nextOrderState,
  type OrderAction,
  type OrderKind,
  type OrderState,
} from '../../../domain/orders/rules.js';
import type { OrderDetails, OrderEntry, OrderEntryInput, OrderInput, OrderListQuery, OrderPage, OrderRecord, OrderRow, OrderTransitionInput } from '../../../domain/orders/schema.js';
import { mayReceiveFor } from '../../../domain/referrals/rules.js';
import { regionLevel } from '../../../domain/regions.js';
import { assertInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import type { ProtectionOrderEntryRow } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { findChildInScopeForWrite } from '../children/children.repository.js';
import { findOrderInScope, findOrganisation, insertOrder, insertOrderEntry, listOrderEntries, listOrders, updateOrderIfVersion, type OrderWithNames } from './orders.repository.js';
import { normalisePersonName } from '../../../domain/person-name.js';

/** The organisation kind that issues each kind of order (guidance: the one chosen, court or women's federation). */
const ISSUER_KIND: Record<Exclude<OrderKind, 'temporary_guardianship' | 'education_guidance'>, string> = { supervision: 'procuratorate', revocation: 'court' };

const EMPTY_DETAILS: OrderDetails = {
  orderNo: null,
  addressee: null,
  addresseeName: null,
  content: null,
  issuerKind: null,
  plannedSessions: null,
  placement: null,
  placementName: null,
  ground: null,
  assessment: null,
  petitioner: null,
  hearingOn: null,
  endedOn: null,
  outcome: null,
  decidedOn: null,
  newGuardian: null,
};

const blank = (s: string | null | undefined) => s?.trim() || null;

function notFuture(field: string, day: string, today: string): string {
  if (day > today) throw invalid(field, 'future_date');
  return day;
}

function notBeforeOrder(field: string, day: string, orderDate: string): string {
  if (day < orderDate) throw invalid(field, 'before_order');
  return day;
}

// ---------------------------------------------------------------- presenting

function presentEntry(row: ProtectionOrderEntryRow): OrderEntry {
  return { id: row.id, type: row.type as OrderEntry['type'], date: row.entry_date, note: row.note, ok: row.ok === null ? null : row.ok === 1, actor: row.actor_name, at: row.at };
}

function presentRow(row: OrderWithNames): OrderRow {
  return {
    id: row.id,
    kind: row.kind as OrderKind,
    state: row.state as OrderState,
    child: { id: row.child_id, name: row.child_name },
    region: { code: row.region_code, name: row.region_name, level: regionLevel(row.region_code) },
    date: row.order_date,
    issuer: row.organisation_name ?? row.issuer_name,
    createdAt: row.created_at,
  };
}

function presentOrder(ctx: RequestContext, row: OrderWithNames, entries: ProtectionOrderEntryRow[]): OrderRecord {
  const kind = row.kind as OrderKind;
  const state = row.state as OrderState;
  const details = { ...EMPTY_DETAILS, ...(JSON.parse(row.details) as Partial<OrderDetails>) };
  const presented = entries.map(presentEntry);
  const sessions = presented.filter((e) => e.type === 'session').map((e) => ({ attended: e.ok === true }));
  const records = actorCan(ctx.actor, 'order.record');
  return {
    ...presentRow(row),
    issuerOrganisationId: row.issuer_organisation_id,
    details,
    entries: presented,
    attendanceRate: kind === 'education_guidance' ? attendanceRate(details.plannedSessions ?? 0, sessions) : null,
    createdBy: row.created_by_name,
    version: row.version,
    can: {
      check: records && canRecordEntry(kind, state, 'check'),
      session: records && canRecordEntry(kind, state, 'session'),
      actions: actorCan(ctx.actor, 'order.close') ? availableActions(kind, state) : [],
    },
  };
}

async function loadOrder(db: Db, ctx: RequestContext, id: string): Promise<OrderRecord> {
  const row = await findOrderInScope(db, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  return presentOrder(ctx, row, await listOrderEntries(db, id));
}

async function addEntry(
  trx: Db,
  ctx: RequestContext,
  orderId: string,
  at: string,
  entry: { type: string; date?: string | null; note?: string | null; ok?: boolean | null; from?: string | null; to?: string | null },
): Promise<void> {
  await insertOrderEntry(trx, {
    id: newId(),
    order_id: orderId,
    type: entry.type,
    entry_date: entry.date ?? null,
    note: entry.note ?? null,
    ok: entry.ok === undefined || entry.ok === null ? null : entry.ok ? 1 : 0,
    from_state: entry.from ?? null,
    to_state: entry.to ?? null,
    actor_id: ctx.actor.id,
    actor_name: ctx.actor.displayName,
    at,
  });
}

// ---------------------------------------------------------------- recording

/** The order's date, its issuer and its kind-specific facts, checked. */
async function factsOf(trx: Db, input: OrderInput, childRegion: string, today: string): Promise<{ date: string; issuerOrganisationId: string | null; issuerName: string | null; details: Partial<OrderDetails> }> {
  if (input.kind === 'temporary_guardianship') {
    return {
      date: notFuture('startedOn', input.startedOn, today),
      issuerOrganisationId: null,
      issuerName: null,
      details: { placement: input.placement, placementName: blank(input.placementName), ground: input.ground, assessment: blank(input.assessment) },
    };
  }
  const wantedKind = input.kind === 'education_guidance' ? input.issuerKind : ISSUER_KIND[input.kind];
  let issuerOrganisationId: string | null = null;
  if (input.issuerOrganisationId) {
    const org = await findOrganisation(trx, input.issuerOrganisationId);
    if (!org || org.kind !== wantedKind || !mayReceiveFor(org.region_code, childRegion)) throw invalid('issuerOrganisationId', 'order_issuer');
    issuerOrganisationId = org.id;
  }
  const issuerName = blank(input.issuerName);
  if (!issuerOrganisationId && !issuerName) throw invalid('issuerName', 'required');
  switch (input.kind) {
    case 'supervision':
      return {
        date: notFuture('issuedOn', input.issuedOn, today),
        issuerOrganisationId,
        issuerName,
        details: { orderNo: input.orderNo.trim(), addressee: input.addressee, addresseeName: normalisePersonName(input.addresseeName), content: input.content.trim() },
      };
    case 'education_guidance':
      return {
        date: notFuture('issuedOn', input.issuedOn, today),
        issuerOrganisationId,
        issuerName,
        details: { issuerKind: input.issuerKind, addressee: input.addressee, addresseeName: normalisePersonName(input.addresseeName), plannedSessions: input.plannedSessions, content: blank(input.content) },
      };
    case 'revocation': {
      const filedOn = notFuture('filedOn', input.filedOn, today);
      if (input.hearingOn) notBeforeOrder('hearingOn', input.hearingOn, filedOn);
      return { date: filedOn, issuerOrganisationId, issuerName, details: { petitioner: input.petitioner.trim(), hearingOn: input.hearingOn ?? null, content: blank(input.content) } };
    }
  }
}

/** Records an order about a child in scope: the order, its first entry and an audit row, in one transaction. */
export async function recordOrder(deps: Deps, ctx: RequestContext, childId: string, input: OrderInput): Promise<OrderRecord> {
  requirePermission(ctx.actor, 'order.record');
  const today = localToday(deps.clock);
  const id = newId();
  await inTransaction(deps.db, async (trx) => {
    const child = await findChildInScopeForWrite(trx, deps.dialect, childId, ctx.actor.scopeRegion);
    if (!child) throw notFound();
    if (child.status === 'closed') throw new AppError('INVALID_STATE', { params: { status: ctx.actor.locale === 'en-US' ? 'closed' : '已销档' } });
    const facts = await factsOf(trx, input, child.region_code, today);
    const at = deps.clock.now().toISOString();
    const state = INITIAL_STATE[input.kind];
    await insertOrder(trx, {
      id,
      child_id: childId,
      region_code: child.region_code,
      county_code: child.county_code,
      kind: input.kind,
      state,
      order_date: facts.date,
      issuer_organisation_id: facts.issuerOrganisationId,
      issuer_name: facts.issuerOrganisationId ? null : facts.issuerName,
      details: JSON.stringify(facts.details),
      created_by: ctx.actor.id,
      created_by_name: ctx.actor.displayName,
      created_at: at,
      updated_by: ctx.actor.id,
      updated_at: at,
      version: 1,
    });
    await addEntry(trx, ctx, id, at, { type: 'created', date: facts.date, to: state });
    await audit(trx, deps, ctx, { action: 'order.create', targetType: 'order', targetId: id, regionCode: child.region_code, details: { childId, kind: input.kind, state } });
  });
  return loadOrder(deps.db, ctx, id);
}

// ---------------------------------------------------------------- reading

export function getOrder(deps: Deps, ctx: RequestContext, id: string): Promise<OrderRecord> {
  requirePermission(ctx.actor, 'order.read');
  return loadOrder(deps.db, ctx, id);
}

export async function listOrdersInScope(deps: Deps, ctx: RequestContext, q: OrderListQuery): Promise<OrderPage> {
  requirePermission(ctx.actor, 'order.read');
  const region = q.region ?? ctx.actor.scopeRegion;
  assertInScope(ctx.actor, region);
  const { rows, total } = await listOrders(deps.db, {
    scopeRegion: region,
    kind: q.kind,
    state: q.state,
    activeStates: q.active === undefined ? undefined : { states: ACTIVE_STATES, active: q.active === 'true' },
    childId: q.childId,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: rows.map(presentRow), total, page: q.page, pageSize: q.pageSize };
}

// ---------------------------------------------------------------- changing

interface Change {
  details?: Partial<OrderDetails>;
  state?: OrderState;
  entry: { type: string; date?: string | null; note?: string | null; ok?: boolean | null };
  auditAction: AuditAction;
  auditDetails: Record<string, unknown>;
}

/** One change of an order: permission, scope (404), what the state allows (orderState), version (409), one write, one entry, one audit row. */
async function change(deps: Deps, ctx: RequestContext, id: string, version: number, permission: 'order.record' | 'order.close', decide: (row: OrderWithNames) => Change): Promise<OrderRecord> {
  requirePermission(ctx.actor, permission);
  await inTransaction(deps.db, async (trx) => {
    const row = await findOrderInScope(trx, id, ctx.actor.scopeRegion);
    if (!row) throw notFound();
    const c = decide(row);
    if (row.version !== version) throw new AppError('CONFLICT', { field: 'version', data: { currentVersion: row.version } });
    const at = deps.clock.now().toISOString();
    const details = c.details ? JSON.stringify({ ...(JSON.parse(row.details) as object), ...c.details }) : undefined;
    const ok = await updateOrderIfVersion(trx, id, version, { ...(c.state ? { state: c.state } : {}), ...(details ? { details } : {}), updated_by: ctx.actor.id, updated_at: at });
    if (!ok) throw new AppError('CONFLICT', { field: 'version' });
    await addEntry(trx, ctx, id, at, { ...c.entry, from: row.state, to: c.state ?? row.state });
    await audit(trx, deps, ctx, { action: c.auditAction, targetType: 'order', targetId: id, regionCode: row.region_code, details: { childId: row.child_id, kind: row.kind, from: row.state, to: c.state ?? row.state, ...c.auditDetails } });
  });
  return loadOrder(deps.db, ctx, id);
}

/** A follow-up check of a supervision order, or a session of family-education guidance. */
export function recordOrderEntry(deps: Deps, ctx: RequestContext, id: string, input: OrderEntryInput): Promise<OrderRecord> {
  const today = localToday(deps.clock);
  return change(deps, ctx, id, input.version, 'order.record', (row) => {
    if (!canRecordEntry(row.kind as OrderKind, row.state as OrderState, input.type)) throw invalid('orderState', input.type === 'check' ? 'order_no_check' : 'order_no_session');
    const date = notBeforeOrder('date', notFuture('date', input.date, today), row.order_date);
    return input.type === 'check'
      ? { entry: { type: 'check', date, note: input.finding.trim(), ok: input.compliant }, auditAction: 'order.check', auditDetails: { compliant: input.compliant } }
      : { entry: { type: 'session', date, note: input.topic.trim(), ok: input.attended }, auditAction: 'order.session', auditDetails: { attended: input.attended } };
  });
}

/** Actions whose note is required: they say why. */
const NOTE_REQUIRED: readonly OrderAction[] = ['escalate', 'discontinue', 'withdraw'];

/** Moves an order to its next state (domain/orders/rules.ts); an end or a decision records its date and outcome. */
export function transitionOrder(deps: Deps, ctx: RequestContext, id: string, input: OrderTransitionInput): Promise<OrderRecord> {
  const today = localToday(deps.clock);
  return change(deps, ctx, id, input.version, 'order.close', (row) => {
    const kind = row.kind as OrderKind;
    const to = nextOrderState(kind, row.state as OrderState, input.action);
    if (!to) throw invalid('orderState', 'order_transition');
    const note = blank(input.note);
    if (NOTE_REQUIRED.includes(input.action) && !note) throw invalid('note', 'required');
    let details: Partial<OrderDetails> | undefined;
    let date: string | null = null;
    if (input.action === 'end' || input.action === 'decide') {
      if (!input.date) throw invalid('date', 'required');
      date = notBeforeOrder('date', notFuture('date', input.date, today), row.order_date);
      const allowed: readonly string[] = input.action === 'end' ? GUARDIANSHIP_OUTCOMES : REVOCATION_OUTCOMES;
      if (!input.outcome) throw invalid('outcome', 'required');
      if (!allowed.includes(input.outcome)) throw invalid('outcome', 'invalid_value');
      if (input.action === 'end') {
        if (input.outcome === 'other' && !note) throw invalid('note', 'required');
        details = { endedOn: date, outcome: input.outcome as OrderDetails['outcome'] };
      } else {
        if (input.outcome === 'revoked' && !input.newGuardian) throw invalid('newGuardian', 'required');
        const newGuardian = input.outcome === 'revoked' && input.newGuardian ? { name: input.newGuardian.name.trim(), relation: input.newGuardian.relation.trim() } : null;
        details = { decidedOn: date, outcome: input.outcome as OrderDetails['outcome'], newGuardian };
      }
    } else if (input.action === 'withdraw') {
      details = { outcome: 'withdrawn' };
    }
    return { state: to, ...(details ? { details } : {}), entry: { type: input.action, date, note }, auditAction: `order.${input.action}`, auditDetails: { outcome: details?.outcome ?? null } };
  });
}
