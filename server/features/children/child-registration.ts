/**
 * Registering a child (一人一档): checked against the village, the school and
 * the duplicates, categories and schedule derived, history and audit in one
 * transaction; a director's registration awaits approval.
 */
import type { ChildDetail, ChildRegistration, SchoolChoices } from '../../../domain/children/schema.js';
import { regionLevel } from '../../../domain/regions.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction } from '../../db/transaction.js';
import { auditRefusedCheck, type DuplicateFindings, duplicateRefusal, findDuplicates, keepDismissed } from './child-duplicates.js';
import { categoriesOf, diffFiles, factsOf, historyView, NO_OVERRIDES, normaliseChild } from './child-file.js';
import { buildChildRow } from './child-row.js';
import { checkSchool, detailOf, loadChild, recordChange, schoolAreasOf, today, villageInScope } from './child-steps.js';
import { insertChild } from './children.repository.js';
import { listOrganisationsAt } from '../organisations/organisations.repository.js';
import { findRegion } from '../regions/regions.repository.js';
import { categorySettings, scheduleSettings } from '../shared/stored-settings.js';

/** The schools a child of this village (in the actor's scope) may be linked to, by name. */
export async function listSchoolChoices(deps: Deps, ctx: RequestContext, regionCode: string): Promise<SchoolChoices> {
  const region = await findRegion(deps.db, regionCode);
  if (!region || !isInScope(ctx.actor, regionCode)) throw notFound();
  if (regionLevel(regionCode) !== 'village') throw invalid('regionCode', 'not_village');
  const rows = await listOrganisationsAt(deps.db, 'school', schoolAreasOf(regionCode));
  return { items: rows.map((o) => ({ id: o.id, name: o.name, regionCode: o.region_code })) };
}

export async function registerChild(deps: Deps, ctx: RequestContext, input: ChildRegistration): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.register');
  const day = today(deps);
  const child = normaliseChild(input, day, { recorder: ctx.actor.displayName });
  const id = newId();
  const refused: { found?: DuplicateFindings } = {};
  const row = await inTransaction(deps.db, async (trx) => {
    await villageInScope(trx, ctx, input.regionCode);
    await checkSchool(trx, child.profile.schooling.schoolOrgId ?? null, input.regionCode);
    const found = await findDuplicates(trx, deps, ctx, { ...child, regionCode: input.regionCode });
    const refusal = duplicateRefusal(found, new Set(input.duplicateDecision?.candidateIds ?? []));
    if (refusal) {
      refused.found = found;
      throw refusal;
    }
    const candidates = found.candidates;
    const settings = await categorySettings(trx);
    const categories = categoriesOf(factsOf(child), day, settings, NO_OVERRIDES);
    const now = deps.clock.now().toISOString();
    // A director's registration awaits the township supervisor; others are already the approvers.
    const status = ctx.actor.role === 'director' ? 'pending' : 'active';
    await insertChild(trx, buildChildRow(child, input.regionCode, categories, settings, deps.crypto, { id, status, actorId: ctx.actor.id, now, schedule: await scheduleSettings(trx) }));
    await keepDismissed(trx, ctx, { id, regionCode: input.regionCode }, candidates, input.duplicateDecision?.reason ?? null, now);
    const view = historyView({ ...child, regionCode: input.regionCode });
    await recordChange(trx, deps, ctx, { id, regionCode: input.regionCode }, 'register', diffFiles({}, view), input.duplicateDecision?.reason ?? null);
    return loadChild(trx, ctx, id);
  }).catch(auditRefusedCheck(deps, ctx, 'register', refused));
  return detailOf(deps, row);
}
