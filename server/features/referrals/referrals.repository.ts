/** SQL of referrals: staff reads scoped by the child's village (region_code) or county (county_code); the inbox by the receiving organisation. */
import { regionLevel } from '../../../domain/regions.js';
import type { Db } from '../../db/database.js';
import type { FileRow, ReferralEventRow, ReferralEventTable, ReferralRow, ReferralTable, ReferralWorkRow, ReferralWorkTable } from '../../db/schema.js';
import { inSubtree } from '../../db/scope.js';

export type ReferralWithNames = ReferralRow & { child_name: string; region_name: string; organisation_name: string; organisation_kind: string };

function referralsWithNames(db: Db) {
  return db
    .selectFrom('referrals')
    .innerJoin('children', 'children.id', 'referrals.child_id')
    .innerJoin('regions', 'regions.code', 'referrals.region_code')
    .innerJoin('organisations', 'organisations.id', 'referrals.to_organisation_id')
    .selectAll('referrals')
    .select(['children.name as child_name', 'regions.name as region_name', 'organisations.name as organisation_name', 'organisations.kind as organisation_kind']);
}

export function findReferralInScope(db: Db, id: string, scopeRegion: string): Promise<ReferralWithNames | undefined> {
  return referralsWithNames(db).where('referrals.id', '=', id).where(inSubtree('referrals.region_code', scopeRegion)).executeTakeFirst();
}

/** A referral to this organisation (the agency inbox); any other is "not found". */
export function findReferralOfOrganisation(db: Db, id: string, organisationId: string): Promise<ReferralWithNames | undefined> {
  return referralsWithNames(db).where('referrals.id', '=', id).where('referrals.to_organisation_id', '=', organisationId).executeTakeFirst();
}

export function findOrganisation(db: Db, id: string): Promise<{ id: string; kind: string; region_code: string } | undefined> {
  return db.selectFrom('organisations').select(['id', 'kind', 'region_code']).where('id', '=', id).executeTakeFirst();
}

export async function insertReferral(db: Db, row: ReferralTable): Promise<void> {
  await db.insertInto('referrals').values(row).execute();
}

/** Moves the referral only if it is still in `fromState` (a concurrent transition makes this false and writes nothing). */
export async function updateReferralIfState(db: Db, id: string, fromState: string, version: number, changes: Partial<ReferralTable>): Promise<boolean> {
  const result = await db
    .updateTable('referrals')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('state', '=', fromState)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertReferralEvent(db: Db, row: ReferralEventTable): Promise<void> {
  await db.insertInto('referral_events').values(row).execute();
}

export function listReferralEvents(db: Db, referralId: string): Promise<ReferralEventRow[]> {
  return db.selectFrom('referral_events').selectAll().where('referral_id', '=', referralId).orderBy('at').orderBy('id').execute();
}

export async function insertReferralWork(db: Db, row: ReferralWorkTable): Promise<void> {
  await db.insertInto('referral_work').values(row).execute();
}

/** The organisation's sessions, contacts and notes on one referral, in the order they were recorded. */
export function listReferralWork(db: Db, referralId: string): Promise<ReferralWorkRow[]> {
  return db.selectFrom('referral_work').selectAll().where('referral_id', '=', referralId).orderBy('at').orderBy('id').execute();
}

export interface ReferralFilter {
  scopeRegion: string;
  state?: string | undefined;
  /** true: sent and past its acceptance deadline (`now`); false: the others. */
  overdue?: boolean | undefined;
  now: string;
  organisationId?: string | undefined;
  childId?: string | undefined;
  page: number;
  pageSize: number;
}

async function pageOf(db: Db, base: ReturnType<typeof baseQuery>, page: number, pageSize: number): Promise<{ rows: ReferralWithNames[]; total: number }> {
  const [ids, count] = await Promise.all([
    base.select('referrals.id').orderBy('referrals.created_at', 'desc').orderBy('referrals.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const idList = ids.map((r) => r.id);
  const rows = idList.length === 0 ? [] : await referralsWithNames(db).where('referrals.id', 'in', idList).execute();
  rows.sort((a, b) => idList.indexOf(a.id) - idList.indexOf(b.id));
  return { rows, total: Number(count.n) };
}

const baseQuery = (db: Db) => db.selectFrom('referrals');

export function listReferrals(db: Db, f: ReferralFilter): Promise<{ rows: ReferralWithNames[]; total: number }> {
  let base = baseQuery(db);
  base = regionLevel(f.scopeRegion) === 'county' ? base.where('referrals.county_code', '=', f.scopeRegion.slice(0, 6)) : base.where(inSubtree('referrals.region_code', f.scopeRegion));
  if (f.state) base = base.where('referrals.state', '=', f.state);
  if (f.organisationId) base = base.where('referrals.to_organisation_id', '=', f.organisationId);
  if (f.childId) base = base.where('referrals.child_id', '=', f.childId);
  if (f.overdue === true) base = base.where('referrals.state', '=', 'sent').where('referrals.accept_by', '<', f.now);
  else if (f.overdue === false) base = base.where((eb) => eb.or([eb('referrals.state', '!=', 'sent'), eb('referrals.accept_by', '>=', f.now)]));
  return pageOf(db, base, f.page, f.pageSize);
}

export function listInbox(db: Db, organisationId: string, states: readonly string[], page: number, pageSize: number): Promise<{ rows: ReferralWithNames[]; total: number }> {
  const base = baseQuery(db).where('referrals.to_organisation_id', '=', organisationId).where('referrals.state', 'in', [...states]);
  return pageOf(db, base, page, pageSize);
}

/** The organisation's open referrals by state, and those still not accepted after their deadline (the inbox's state index). */
export async function countInbox(db: Db, organisationId: string, states: readonly string[], now: string): Promise<{ byState: Record<string, number>; overdue: number }> {
  const base = baseQuery(db).where('referrals.to_organisation_id', '=', organisationId);
  const [groups, overdue] = await Promise.all([
    base.where('referrals.state', 'in', [...states]).select(['referrals.state', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy('referrals.state').execute(),
    base.where('referrals.state', '=', 'sent').where('referrals.accept_by', '<', now).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { byState: Object.fromEntries(groups.map((g) => [g.state, Number(g.n)])), overdue: Number(overdue.n) };
}

/** A child's referrals for its timeline, newest first. */
export function listChildReferrals(db: Db, childId: string, limit: number): Promise<(ReferralRow & { organisation_name: string })[]> {
  return db
    .selectFrom('referrals')
    .innerJoin('organisations', 'organisations.id', 'referrals.to_organisation_id')
    .selectAll('referrals')
    .select('organisations.name as organisation_name')
    .where('referrals.child_id', '=', childId)
    .orderBy('referrals.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The few facts of a child the referral-scoped view is built from (never the whole row to a presenter). */
export function findChildForReferral(db: Db, childId: string): Promise<{ name: string; sex: string; birth_date: string; profile: string; village_name: string } | undefined> {
  return db
    .selectFrom('children')
    .innerJoin('regions', 'regions.code', 'children.region_code')
    .select(['children.name', 'children.sex', 'children.birth_date', 'children.profile', 'regions.name as village_name'])
    .where('children.id', '=', childId)
    .executeTakeFirst();
}

/**
 * Organisations of the receiving kinds registered at one of `covering` (the
 * village and the areas above it) or inside the county: the candidates of
 * `mayReceiveFor`, by kind and name.
 */
export function listCandidateOrganisations(db: Db, kinds: readonly string[], covering: string[], county: string): Promise<{ id: string; name: string; kind: string; region_code: string; region_name: string }[]> {
  return db
    .selectFrom('organisations')
    .innerJoin('regions', 'regions.code', 'organisations.region_code')
    .select(['organisations.id', 'organisations.name', 'organisations.kind', 'organisations.region_code', 'regions.name as region_name'])
    .where('organisations.kind', 'in', kinds)
    .where((eb) => eb.or([eb('organisations.region_code', 'in', covering), inSubtree('organisations.region_code', county)]))
    .orderBy('organisations.kind')
    .orderBy('organisations.name')
    .orderBy('organisations.id')
    .execute();
}

/** The social-work station (社会工作服务站) of the village's township, the first one registered there. */
export function findTownshipStation(db: Db, villageCode: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'social_work_station')
    .where('region_code', '=', `${villageCode.slice(0, 9)}000`)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** The files attached to a referral (not removed), oldest first. */
export function listReferralAttachments(db: Db, referralId: string): Promise<FileRow[]> {
  return db.selectFrom('files').selectAll().where('referral_id', '=', referralId).where('removed_at', 'is', null).orderBy('created_at').orderBy('id').execute();
}

/** One attachment of this referral; a file of another referral (or none) is undefined. */
export function findReferralAttachment(db: Db, referralId: string, fileId: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', fileId).where('referral_id', '=', referralId).where('removed_at', 'is', null).executeTakeFirst();
}

export async function countReferralAttachments(db: Db, referralId: string): Promise<number> {
  const row = await db
    .selectFrom('files')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('referral_id', '=', referralId)
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
