/**
 * Reading child files: one file (an audited read), its history, and the list
 * in scope with its filters (shared with the xlsx export).
 */
import { addYears } from '../../../domain/children/age.js';
import { addDays } from '../../../domain/children/dates.js';
import type { ChildDetail, ChildListQuery } from '../../../domain/children/schema.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import { auditRead } from '../audit/audit.service.js';
import { presentSummary } from './child-file.js';
import { detailOf, loadChild, today } from './child-steps.js';
import { type ChildFilter, listChildChanges, listChildren } from './children.repository.js';
import { scheduleSettings } from '../shared/stored-settings.js';

export async function getChild(deps: Deps, ctx: RequestContext, id: string): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.read');
  const row = await loadChild(deps.db, ctx, id);
  await auditRead(deps, ctx, { action: 'child.read', targetType: 'child', targetId: id, regionCode: row.region_code });
  return detailOf(deps, row);
}

export async function getChildHistory(deps: Deps, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'child.read');
  await loadChild(deps.db, ctx, id);
  const rows = await listChildChanges(deps.db, id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorName: r.actor_name,
      action: r.action,
      comment: r.comment,
      changes: JSON.parse(r.changes) as { field: string; from: unknown; to: unknown }[],
    })),
  };
}

const SORT_COLUMNS = { name: 'name', birthDate: 'birth_date', updatedAt: 'updated_at' } as const;

/**
 * The list query as a scoped repository filter (shared with the xlsx export):
 * region checked against scope, ages as birth-date ranges, ID numbers as keyed hashes.
 */
export function childFilterOf(deps: Deps, ctx: RequestContext, query: Omit<ChildListQuery, 'page' | 'pageSize'>): Omit<ChildFilter, 'page' | 'pageSize'> {
  if (query.region && !isInScope(ctx.actor, query.region)) throw notFound();
  const day = today(deps);
  const desc = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS;
  const q = query.q?.trim();
  // An 18-character query is an ID number: searched through its keyed hash, never in clear.
  const idHash = q && /^\d{17}[\dXx]$/.test(q) ? deps.crypto.keyedHash(q.toUpperCase()) : undefined;
  return {
    scopeRegion: ctx.actor.scopeRegion,
    region: query.region,
    q: idHash ? undefined : q,
    idHash,
    category: query.category,
    risk: query.risk,
    status: query.status,
    school: query.school,
    // Age a..b today ⇔ born in (today − (b+1) years, today − a years].
    bornFrom: query.ageMax !== undefined ? addDays(addYears(day, -(query.ageMax + 1)), 1) : undefined,
    bornTo: query.ageMin !== undefined ? addYears(day, -query.ageMin) : undefined,
    agingOutFrom: query.agingOutWithinDays !== undefined ? day : undefined,
    agingOutBy: query.agingOutWithinDays !== undefined ? addDays(day, query.agingOutWithinDays) : undefined,
    letters: query.letters,
    sort: { column: SORT_COLUMNS[key], desc },
  };
}

export async function listChildrenInScope(deps: Deps, ctx: RequestContext, query: ChildListQuery) {
  requirePermission(ctx.actor, 'child.read');
  const day = today(deps);
  const { rows, total } = await listChildren(deps.db, { ...childFilterOf(deps, ctx, query), page: query.page, pageSize: query.pageSize });
  const schedule = await scheduleSettings(deps.db);
  return { items: rows.map((r) => presentSummary(r, day, schedule)), total, page: query.page, pageSize: query.pageSize };
}
