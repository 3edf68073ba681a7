import type { CoverageReport, CoverageRow } from '../../../domain/api.js';
import { regionLevel, regionPrefix, type RegionLevel } from '../../../domain/regions.js';
import { assertInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { findRegionPath, findRegions } from '../regions/regions.repository.js';
import { pathsOf, presentRegionRef } from '../regions/regions.service.js';
import { coverageByChild, listCoverageGaps, type CoverageCounts } from './coverage.repository.js';

const CHILD_PREFIX: Record<RegionLevel, number> = { province: 4, city: 6, county: 9, township: 12, village: 12 };

/** Staff coverage (人员覆盖) of a region, one row per child region. */
export async function getCoverage(deps: Deps, ctx: RequestContext, code: string | undefined): Promise<CoverageReport> {
  requirePermission(ctx.actor, 'coverage.read');
  const regionCode = code ?? ctx.actor.scopeRegion;
  assertInScope(ctx.actor, regionCode);
  const path = await findRegionPath(deps.db, regionCode);
  const region = path[path.length - 1];
  if (!region || region.code !== regionCode) throw new AppError('NOT_FOUND');

  const level = regionLevel(regionCode);
  const counts = await coverageByChild(deps.db, regionCode, CHILD_PREFIX[level]);
  const childCodes = counts.map((c) => c.child.padEnd(12, '0'));
  const names = new Map((await findRegions(deps.db, childCodes)).map((r) => [r.code, r]));
  const rows: CoverageRow[] = counts
    .map((c) => {
      const childRegion = names.get(c.child.padEnd(12, '0'));
      return childRegion ? toRow(c, childRegion.code, childRegion.name, childRegion.level as RegionLevel) : null;
    })
    .filter((r): r is CoverageRow => !!r && r.code !== regionCode)
    .sort((a, b) => a.code.localeCompare(b.code));
  // Totals cover the node itself too (a township's own supervisor is in no child row).
  const sum = counts.reduce<CoverageCounts>(
    (t, c) => ({
      ...t,
      townships: t.townships + c.townships,
      townshipsWithoutSupervisor: t.townshipsWithoutSupervisor + c.townshipsWithoutSupervisor,
      villages: t.villages + c.villages,
      villagesWithoutDirector: t.villagesWithoutDirector + c.villagesWithoutDirector,
      supervisors: t.supervisors + c.supervisors,
      directors: t.directors + c.directors,
    }),
    emptyCounts(regionPrefix(regionCode)),
  );
  const totals = toRow(sum, region.code, region.name, level);
  return { region: presentRegionRef(region), path: path.map(presentRegionRef), totals, rows };
}

function emptyCounts(child: string): CoverageCounts {
  return { child, townships: 0, townshipsWithoutSupervisor: 0, villages: 0, villagesWithoutDirector: 0, supervisors: 0, directors: 0 };
}

function toRow(c: CoverageCounts, code: string, name: string, level: RegionLevel): CoverageRow {
  return {
    code,
    name,
    level,
    townships: c.townships,
    townshipsWithoutSupervisor: c.townshipsWithoutSupervisor,
    villages: c.villages,
    villagesWithoutDirector: c.villagesWithoutDirector,
    supervisors: c.supervisors,
    directors: c.directors,
  };
}

export async function getCoverageGaps(
  deps: Deps,
  ctx: RequestContext,
  query: { region?: string | undefined; kind: 'villages-without-director' | 'townships-without-supervisor'; page: number; pageSize: number },
) {
  requirePermission(ctx.actor, 'coverage.read');
  const regionCode = query.region ?? ctx.actor.scopeRegion;
  assertInScope(ctx.actor, regionCode);
  const level = query.kind === 'villages-without-director' ? 'village' : 'township';
  const { rows, total } = await listCoverageGaps(deps.db, regionCode, level, query.page, query.pageSize);
  const paths = await pathsOf(deps, rows.map((r) => r.code));
  return {
    items: rows.map((r) => ({ code: r.code, name: r.name, path: paths(r.code) })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
