/**
 * The steps every use case of the child file takes: find the file in the
 * actor's scope, check its state, check a village or a school, record a change
 * (a history row and an audit row), answer the file as the page shows it.
 */
import type { AuditAction } from '../../../domain/audit/actions.js';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { ancestorCodes, regionLevel } from '../../../domain/regions.js';
import { isInScope } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import { localToday } from '../../core/clock.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid, notFound } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import { presentDetail } from './child-file.js';
import { type ChildWithRegion, findChildInScope } from './children.repository.js';
import { findCurrentFile } from '../files/files.repository.js';
import { fileRefOf } from '../files/files.service.js';
import { findOrganisation } from '../organisations/organisations.repository.js';
import { findRegion, findRegionPath } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import { historyAndAudit } from '../shared/child-writes.js';
import { scheduleSettings } from '../shared/stored-settings.js';

export const today = (deps: Deps) => localToday(deps.clock);

export async function loadChild(db: Db, ctx: RequestContext, id: string): Promise<ChildWithRegion> {
  const row = await findChildInScope(db, id, ctx.actor.scopeRegion);
  if (!row) throw notFound();
  return row;
}

export function requireStatus(row: { status: string }, allowed: readonly string[], ctx: RequestContext): void {
  if (!allowed.includes(row.status)) {
    const labels: Record<string, string> =
      ctx.actor.locale === 'en-US'
        ? { pending: 'awaiting approval', returned: 'returned', active: 'active', closing: 'awaiting closure', closed: 'closed' }
        : { pending: '待审核', returned: '已退回', active: '在册', closing: '待审核销档', closed: '已销档' };
    throw new AppError('INVALID_STATE', { params: { status: labels[row.status] ?? row.status } });
  }
}

export async function detailOf(deps: Deps, row: ChildWithRegion): Promise<ChildDetail> {
  const path = (await findRegionPath(deps.db, row.region_code)).map(presentRegionRef);
  const photo = await findCurrentFile(deps.db, row.id, 'child_photo');
  return presentDetail(row, path, deps.crypto, today(deps), photo ? fileRefOf(photo) : null, await scheduleSettings(deps.db));
}

export async function villageInScope(db: Db, ctx: RequestContext, code: string): Promise<{ code: string; name: string }> {
  const region = await findRegion(db, code);
  if (!region || !isInScope(ctx.actor, code)) throw invalid('regionCode', 'not_found');
  if (regionLevel(code) !== 'village') throw invalid('regionCode', 'not_village');
  return region;
}

/**
 * A pupil's school (whose contact makes vacation visits) must be a school
 * organisation whose area holds the child's village, within the child's county.
 */
export async function checkSchool(db: Db, schoolOrgId: string | null, villageCode: string): Promise<void> {
  if (!schoolOrgId) return;
  const org = await findOrganisation(db, schoolOrgId);
  if (!org || org.kind !== 'school' || !schoolAreasOf(villageCode).includes(org.region_code)) throw invalid('schooling.schoolOrgId', 'school_org');
}

/** The areas a school of a village's pupils may be registered at: the village, its township, its county. */
export function schoolAreasOf(villageCode: string): string[] {
  return ancestorCodes(villageCode).filter((code) => ['county', 'township', 'village'].includes(regionLevel(code)));
}

/** A change of the file written to its history as `action` and audited as `child.<action>`. */
export type ChildChangeAction = AuditAction extends infer A ? (A extends `child.${infer Rest}` ? Rest : never) : never;

export async function recordChange(
  trx: Db,
  deps: Deps,
  ctx: RequestContext,
  child: { id: string; regionCode: string },
  action: ChildChangeAction,
  changes: { field: string; from: unknown; to: unknown }[],
  comment: string | null = null,
): Promise<void> {
  await historyAndAudit(trx, deps, ctx, { id: child.id, region_code: child.regionCode }, {
    historyAction: action,
    auditAction: `child.${action}`,
    changes,
    comment,
    targetType: 'child',
    targetId: child.id,
    // Field names only: minors' data stays out of the audit log.
    details: { fields: changes.map((c) => c.field), ...(comment ? { comment } : {}) },
  });
}
