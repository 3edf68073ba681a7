/** Overriding a derived category (留守 / 困境 / 事实无人抚养) by hand, with a reason; null clears the override. */
import type { ChildCategories, ChildDetail } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { inTransaction } from '../../db/transaction.js';
import { agingOutOf, categoriesOf, factsOf, openProfile, overridesOf } from './child-file.js';
import { detailOf, loadChild, recordChange, requireStatus, today } from './child-steps.js';
import { updateChildIfVersion } from './children.repository.js';
import { categorySettings } from '../shared/stored-settings.js';

const CATEGORY_KEYS = { left_behind: 'leftBehind', distress: 'distress', unsupported: 'unsupported' } as const;

export async function overrideCategory(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  input: { category: keyof typeof CATEGORY_KEYS; value: boolean | null; reason: string },
): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.override');
  const day = today(deps);
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    const previous = JSON.parse(current.categories) as ChildCategories;
    const key = CATEGORY_KEYS[input.category];
    const overrides = overridesOf(previous);
    overrides[key] = input.value === null ? null : { value: input.value, reason: input.reason, by: ctx.actor.displayName, at: deps.clock.now().toISOString() };
    const profile = openProfile(current.profile, deps.crypto);
    const settings = await categorySettings(trx);
    const categories = categoriesOf(factsOf({ birthDate: current.birth_date, sex: current.sex as 'male' | 'female', profile }), day, settings, overrides);
    const ok = await updateChildIfVersion(trx, id, current.version, {
      categories: JSON.stringify(categories),
      left_behind: categories.leftBehind.value ? 1 : 0,
      distress: categories.distress.value ? 1 : 0,
      unsupported: categories.unsupported.value ? 1 : 0,
      aging_out_date: agingOutOf(current.birth_date, categories, settings),
      updated_at: deps.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('CONFLICT');
    await recordChange(
      trx,
      deps,
      ctx,
      { id, regionCode: current.region_code },
      input.value === null ? 'clear_override' : 'override',
      [{ field: `categories.${key}`, from: previous[key].value, to: categories[key].value }],
      input.reason,
    );
    return loadChild(trx, ctx, id);
  });
  return detailOf(deps, row);
}
