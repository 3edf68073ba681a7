import type { OrganisationInput, OrganisationRecord } from '../../../domain/api.js';
import type { OrganisationKind } from '../../../domain/roles.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { findRegion } from '../regions/regions.repository.js';
import { findOrganisationInScope, insertOrganisations, listOrganisations, type OrganisationWithCounts } from './organisations.repository.js';

function presentOrganisation(row: OrganisationWithCounts): OrganisationRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrganisationKind,
    regionCode: row.region_code,
    regionName: row.region_name,
    userCount: row.user_count,
  };
}

export async function listOrganisationsInScope(
  deps: Deps,
  ctx: RequestContext,
  query: { q?: string | undefined; kind?: string | undefined; page: number; pageSize: number },
) {
  requirePermission(ctx.actor, 'organisation.read');
  const { rows, total } = await listOrganisations(deps.db, { scopeRegion: ctx.actor.scopeRegion, ...query });
  return { items: rows.map(presentOrganisation), total, page: query.page, pageSize: query.pageSize };
}

export async function createOrganisation(deps: Deps, ctx: RequestContext, input: OrganisationInput): Promise<OrganisationRecord> {
  requirePermission(ctx.actor, 'organisation.manage');
  const id = newId();
  const row = await inTransaction(deps.db, async (trx) => {
    const region = await findRegion(trx, input.regionCode);
    if (!region || !isInScope(ctx.actor, region.code)) throw invalid('regionCode', 'not_found');
    await insertOrganisations(trx, [
      { id, name: input.name, kind: input.kind, region_code: region.code, created_at: deps.clock.now().toISOString() },
    ]);
    await audit(trx, deps, ctx, {
      action: 'organisation.create',
      targetType: 'organisation',
      targetId: id,
      regionCode: region.code,
      details: { name: input.name, kind: input.kind },
    });
    const created = await findOrganisationInScope(trx, id, ctx.actor.scopeRegion);
    if (!created) throw notFound();
    return created;
  });
  return presentOrganisation(row);
}
