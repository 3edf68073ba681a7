/**
 * Offline field work (issue 15, DESIGN §9): the working set a director's phone
 * keeps for a day without signal, and the key that encrypts the phone's copy.
 *
 * The working set is read through the features that own each part — the child
 * file's presentation (children), a child's visits (visits), the list rows of
 * mandatory reports and referrals — so the phone shows exactly what the pages
 * show online, masked as they mask. One audit row per download: it is a read
 * of every file it holds.
 */
import { randomBytes } from 'node:crypto';
import { MAX_OFFLINE_VILLAGES, OFFLINE_VISITS_PER_CHILD, type OfflineChild, type OfflineKey, type OfflineSettings, type OfflineVillage, type WorkingSet } from '../../../domain/offline/schema.js';
import { OPEN_REFERRAL_STATES } from '../../../domain/referrals/rules.js';
import type { ReferralRow } from '../../../domain/referrals/schema.js';
import type { ReportRow } from '../../../domain/reports/schema.js';
import { regionLevel } from '../../../domain/regions.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid } from '../../core/errors.js';
import { inTransaction } from '../../db/transaction.js';
import { audit, auditRead } from '../audit/audit.service.js';
import { detailOf } from '../children/child-steps.js';
import { listReferralsInScope } from '../referrals/referrals.service.js';
import { findRegion } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import { listReportsInScope } from '../reports/reports.service.js';
import { offlineSettings, scheduleSettings } from '../shared/stored-settings.js';
import { listVisitsOfChild } from '../visits/visits.service.js';
import { writeSetting } from '../settings/settings.repository.js';
import { findSessionKey, listOpenChildrenOfVillage, setSessionKeyIfNone } from './offline.repository.js';

const PAGE = 200;

/**
 * The villages asked for: a director's own when he names none; otherwise each
 * named one must be a village of the actor's scope, at most MAX_OFFLINE_VILLAGES.
 */
async function villagesOf(deps: Deps, ctx: RequestContext, asked: string[]) {
  const codes = asked.length > 0 ? asked : regionLevel(ctx.actor.scopeRegion) === 'village' ? [ctx.actor.scopeRegion] : [];
  if (codes.length === 0) throw invalid('villages', 'villages_required');
  if (codes.length > MAX_OFFLINE_VILLAGES) throw invalid('villages', 'too_many_villages');
  const villages = [];
  for (const code of codes) {
    if (regionLevel(code) !== 'village') throw invalid('villages', 'not_village');
    const region = isInScope(ctx.actor, code) ? await findRegion(deps.db, code) : undefined;
    if (!region) throw invalid('villages', 'not_found');
    villages.push(presentRegionRef(region));
  }
  return villages;
}

/** Every page of a list read through its service. */
async function allPages<T>(read: (page: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await read(page);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

async function openReports(deps: Deps, ctx: RequestContext, village: string): Promise<ReportRow[]> {
  return allPages((page) => listReportsInScope(deps, ctx, { region: village, status: 'open', sort: 'discovered_desc', page, pageSize: PAGE }));
}

async function openReferrals(deps: Deps, ctx: RequestContext, village: string): Promise<ReferralRow[]> {
  const rows: ReferralRow[] = [];
  for (const state of OPEN_REFERRAL_STATES) rows.push(...(await allPages((page) => listReferralsInScope(deps, ctx, { region: village, state, page, pageSize: PAGE }))));
  return rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * What the phone keeps for a day without signal: per village, its open files
 * as the child page shows them (with `version`) and their last visits, its open
 * mandatory reports and open referrals; the schedule settings; when it was read.
 */
export async function getWorkingSet(deps: Deps, ctx: RequestContext, asked: string[]): Promise<WorkingSet> {
  requirePermission(ctx.actor, 'visit.record');
  const generatedAt = deps.clock.now().toISOString();
  const regions = await villagesOf(deps, ctx, asked);
  const villages: OfflineVillage[] = [];
  for (const region of regions) {
    const children: OfflineChild[] = [];
    for (const row of await listOpenChildrenOfVillage(deps.db, region.code)) {
      const visits = await listVisitsOfChild(deps, ctx, row.id, 1, OFFLINE_VISITS_PER_CHILD);
      children.push({ child: await detailOf(deps, row), visits: visits.items });
    }
    villages.push({ region, children, reports: await openReports(deps, ctx, region.code), referrals: await openReferrals(deps, ctx, region.code) });
  }
  const count = (pick: (v: OfflineVillage) => number) => villages.reduce((n, v) => n + pick(v), 0);
  await auditRead(deps, ctx, {
    action: 'offline.working_set',
    targetType: 'user',
    targetId: ctx.actor.id,
    regionCode: regions.length === 1 ? regions[0]!.code : ctx.actor.scopeRegion,
    details: {
      villages: regions.map((r) => r.code),
      children: count((v) => v.children.length),
      visits: count((v) => v.children.reduce((n, c) => n + c.visits.length, 0)),
      reports: count((v) => v.reports.length),
      referrals: count((v) => v.referrals.length),
    },
  });
  return { generatedAt, villages, scheduleSettings: await scheduleSettings(deps.db), maxOfflineDays: (await offlineSettings(deps.db)).maxOfflineDays };
}

/**
 * The key of the phone's copy: 256 random bits made at the session's first
 * request and kept with the session (sealed with the master key), so a new
 * session gets a new key and the key is gone when the session is (sign-out,
 * expiry). Its first issue is audited.
 */
export async function getOfflineKey(deps: Deps, ctx: RequestContext, sessionId: string): Promise<OfflineKey> {
  requirePermission(ctx.actor, 'visit.record');
  let session = await findSessionKey(deps.db, sessionId);
  if (!session) throw new AppError('UNAUTHENTICATED');
  if (!session.offline_key) {
    await inTransaction(deps.db, async (trx) => {
      if (await setSessionKeyIfNone(trx, sessionId, deps.crypto.encrypt(randomBytes(32).toString('base64')))) {
        await audit(trx, deps, ctx, { action: 'offline.key', targetType: 'user', targetId: ctx.actor.id });
      }
    });
    session = await findSessionKey(deps.db, sessionId);
    if (!session?.offline_key) throw new AppError('UNAUTHENTICATED');
  }
  return { key: deps.crypto.decrypt(session.offline_key), algorithm: 'AES-GCM', expiresAt: session.expires_at, maxOfflineDays: (await offlineSettings(deps.db)).maxOfflineDays };
}

export function getOfflineSettings(deps: Deps): Promise<OfflineSettings> {
  return offlineSettings(deps.db);
}

/** How many days a phone keeps its copy without its user signing in (the phone wipes it then). */
export async function setOfflineSettings(deps: Deps, ctx: RequestContext, input: OfflineSettings): Promise<OfflineSettings> {
  requirePermission(ctx.actor, 'settings.manage');
  await inTransaction(deps.db, async (trx) => {
    const before = await offlineSettings(trx);
    await writeSetting(trx, 'offline', input, deps.clock.now().toISOString());
    await audit(trx, deps, ctx, { action: 'settings.offline', targetType: 'setting', targetId: 'offline', details: { from: before.maxOfflineDays, to: input.maxOfflineDays } });
  });
  return offlineSettings(deps.db);
}
