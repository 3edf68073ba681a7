import type { HomeSummary } from '../../../domain/api.js';
import type { Role } from '../../../domain/roles.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { listCoverageGaps } from '../coverage/coverage.repository.js';
import { countSubtree, findRegion } from '../regions/regions.repository.js';
import { presentRegionRef } from '../regions/regions.service.js';
import { countActiveUsers } from '../users/users.repository.js';

/** Roles whose home shows their own work (/api/home/inbox, /api/home/pupils, or an empty state), not the network's staffing. */
const OWN_WORK_ROLES: readonly Role[] = ['agency', 'school', 'volunteer'];

/** The user's scope and, for those who run or oversee the network, its staffing. */
export async function getHomeSummary(deps: Deps, ctx: RequestContext): Promise<HomeSummary> {
  const code = ctx.actor.scopeRegion;
  const region = await findRegion(deps.db, code);
  if (!region) throw new AppError('NOT_FOUND');
  if (OWN_WORK_ROLES.includes(ctx.actor.role)) return { role: ctx.actor.role, region: presentRegionRef(region), counts: null };
  const [counts, villageGaps, townshipGaps, activeUsers] = await Promise.all([
    countSubtree(deps.db, code),
    listCoverageGaps(deps.db, code, 'village', 1, 1),
    listCoverageGaps(deps.db, code, 'township', 1, 1),
    countActiveUsers(deps.db, code),
  ]);
  return {
    role: ctx.actor.role,
    region: presentRegionRef(region),
    counts: { ...counts, villagesWithoutDirector: villageGaps.total, townshipsWithoutSupervisor: townshipGaps.total, activeUsers },
  };
}
