import type { RegionChildren, RegionDetail, RegionNode, RegionRef, RegionSearchResult } from '../../../domain/api.js';
import { ancestorCodes, type RegionLevel } from '../../../domain/regions.js';
import { assertInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import type { RegionRow } from '../../db/schema.js';
import {
  countSubtree,
  findRegionPath,
  findRegions,
  findRegionsWithChildCount,
  listChildRegions,
  searchRegions,
  type RegionWithChildren,
} from './regions.repository.js';

export function presentRegionRef(row: RegionRow): RegionRef {
  return { code: row.code, name: row.name, level: row.level as RegionLevel };
}

function presentRegionNode(row: RegionWithChildren): RegionNode {
  return {
    code: row.code,
    name: row.name,
    level: row.level as RegionLevel,
    parentCode: row.parent_code,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    childCount: row.child_count,
  };
}

/** Children of `parent`, or the actor's scope root when no parent is given. */
export async function listRegions(deps: Deps, ctx: RequestContext, parent: string | undefined): Promise<RegionChildren> {
  requirePermission(ctx.actor, 'region.read');
  if (!parent) {
    const roots = await findRegionsWithChildCount(deps.db, [ctx.actor.scopeRegion]);
    return { parent: null, items: roots.map(presentRegionNode) };
  }
  assertInScope(ctx.actor, parent);
  const [node] = await findRegionsWithChildCount(deps.db, [parent]);
  if (!node) throw new AppError('NOT_FOUND');
  const children = await listChildRegions(deps.db, parent);
  return { parent: presentRegionNode(node), items: children.map(presentRegionNode) };
}

export async function getRegionDetail(deps: Deps, ctx: RequestContext, code: string): Promise<RegionDetail> {
  requirePermission(ctx.actor, 'region.read');
  assertInScope(ctx.actor, code);
  const [node] = await findRegionsWithChildCount(deps.db, [code]);
  if (!node) throw new AppError('NOT_FOUND');
  const [path, counts] = await Promise.all([findRegionPath(deps.db, code), countSubtree(deps.db, code)]);
  return { ...presentRegionNode(node), path: path.map(presentRegionRef), counts };
}

export async function searchRegionsInScope(
  deps: Deps,
  ctx: RequestContext,
  q: string,
  limit: number,
): Promise<RegionSearchResult> {
  requirePermission(ctx.actor, 'region.read');
  const rows = await searchRegions(deps.db, ctx.actor.scopeRegion, q, limit);
  const paths = await pathsOf(deps, rows.map((r) => r.code));
  return { items: rows.map((r) => ({ ...presentRegionRef(r), path: paths(r.code) })) };
}

/**
 * Ancestor paths for many regions with one query; ancestors above the
 * actor's scope are included (names of the county and city are not secret).
 */
export async function pathsOf(deps: Deps, codes: string[]): Promise<(code: string) => RegionRef[]> {
  const all = [...new Set(codes.flatMap(ancestorCodes))];
  const rows = await findRegions(deps.db, all);
  const byCode = new Map(rows.map((r) => [r.code, presentRegionRef(r)]));
  return (code) => ancestorCodes(code).map((c) => byCode.get(c)).filter((r): r is RegionRef => !!r);
}

