import type { CategorySettings } from '../../../domain/children/facts.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit/audit.service.js';
import { rederiveCategories } from '../children/child-rederive.js';
import { categorySettings } from '../shared/stored-settings.js';
import { writeSetting } from './settings.repository.js';

export function getCategorySettings(deps: Deps): Promise<CategorySettings> {
  return categorySettings(deps.db);
}

/**
 * Changes the category thresholds; every open file is then re-derived under
 * the new rule in the background (a province holds millions of files).
 */
export async function setCategorySettings(
  deps: Deps,
  ctx: RequestContext,
  input: CategorySettings,
  onRederived: (result: Promise<unknown>) => void = (p) => void p.catch(() => undefined),
): Promise<CategorySettings> {
  requirePermission(ctx.actor, 'settings.manage');
  await inTransaction(deps.db, async (trx) => {
    const before = await categorySettings(trx);
    await writeSetting(trx, 'categories', input, deps.clock.now().toISOString());
    await audit(trx, deps, ctx, { action: 'settings.categories', targetType: 'setting', targetId: 'categories', details: { from: before, to: input } });
  });
  onRederived(rederiveCategories(deps));
  return categorySettings(deps.db);
}
