/**
 * Editing a child file: version-checked, protected numbers kept unless sent,
 * duplicates checked again when the name, birth date or ID number change,
 * categories and schedule derived again, every changed field in the history.
 */
import type { ChildCategories, ChildDetail, ChildUpdate } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { inTransaction } from '../../db/transaction.js';
import { auditRefusedCheck, type DuplicateFindings, duplicateRefusal, findDuplicates, keepDismissed } from './child-duplicates.js';
import { categoriesOf, diffFiles, factsOf, historyView, normaliseChild, openProfile, overridesOf } from './child-file.js';
import { buildChildRow, visitsMetaOf } from './child-row.js';
import { checkSchool, detailOf, loadChild, recordChange, requireStatus, today } from './child-steps.js';
import { updateChildIfVersion } from './children.repository.js';
import { findSignedLetters } from '../letters/letters.repository.js';
import { categorySettings, scheduleSettings } from '../shared/stored-settings.js';

export async function updateChild(deps: Deps, ctx: RequestContext, id: string, input: ChildUpdate): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.update');
  const day = today(deps);
  const refused: { found?: DuplicateFindings } = {};
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    if (current.version !== input.version) throw new AppError('CONFLICT', { field: 'version', data: { currentVersion: current.version } });
    const before = openProfile(current.profile, deps.crypto);
    const beforeId = current.id_cipher ? deps.crypto.decrypt(current.id_cipher) : null;
    const keep = <T>(sent: T | undefined, stored: T) => (sent === undefined ? stored : sent);
    const next = normaliseChild(
      {
        ...input,
        idNumber: keep(input.idNumber, beforeId),
        father: { ...input.father, idNumber: keep(input.father.idNumber, before.father.idNumber), phone: keep(input.father.phone, before.father.phone) },
        mother: { ...input.mother, idNumber: keep(input.mother.idNumber, before.mother.idNumber), phone: keep(input.mother.phone, before.mother.phone) },
        caregiver: { ...input.caregiver, phone: keep(input.caregiver.phone, before.caregiver.phone) },
        // A form that does not show the school link leaves it as it is; null unlinks.
        schooling: { ...input.schooling, schoolOrgId: keep(input.schooling.schoolOrgId, before.schooling.schoolOrgId ?? null) },
      },
      day,
      { recorder: ctx.actor.displayName, before },
    );
    await checkSchool(trx, next.profile.schooling.schoolOrgId ?? null, current.region_code);
    if (next.name !== current.name || next.birthDate !== current.birth_date || next.idNumber !== beforeId) {
      const found = await findDuplicates(trx, deps, ctx, { ...next, regionCode: current.region_code, excludeId: id });
      const refusal = duplicateRefusal(found, new Set(input.duplicateDecision?.candidateIds ?? []));
      if (refusal) {
        refused.found = found;
        throw refusal;
      }
      const candidates = found.candidates;
      await keepDismissed(trx, ctx, { id, regionCode: current.region_code }, candidates, input.duplicateDecision?.reason ?? null, deps.clock.now().toISOString());
    }
    const settings = await categorySettings(trx);
    const previous = JSON.parse(current.categories) as ChildCategories;
    const categories = categoriesOf(factsOf(next), day, settings, overridesOf(previous));
    const rebuilt = buildChildRow(next, current.region_code, categories, settings, deps.crypto, {
      visits: visitsMetaOf(current),
      schedule: await scheduleSettings(trx),
      signedLetters: await findSignedLetters(trx, id),
      id,
      status: current.status === 'returned' && ctx.actor.role === 'director' ? 'pending' : current.status,
      actorId: current.created_by,
      now: deps.clock.now().toISOString(),
    });
    const { created_at: _c, created_by: _b, version: _v, review_comment: _rc, ...changes } = rebuilt;
    if (!(await updateChildIfVersion(trx, id, current.version, changes))) throw new AppError('CONFLICT', { field: 'version' });
    const diff = diffFiles(
      historyView({ name: current.name, sex: current.sex, birthDate: current.birth_date, idNumber: beforeId, regionCode: current.region_code, profile: before }),
      historyView({ ...next, regionCode: current.region_code }),
    );
    const categoryDiff = (['leftBehind', 'distress', 'unsupported'] as const)
      .filter((k) => previous[k].value !== categories[k].value)
      .map((k) => ({ field: `categories.${k}`, from: previous[k].value, to: categories[k].value }));
    await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, 'update', [...diff, ...categoryDiff]);
    return loadChild(trx, ctx, id);
  }).catch(auditRefusedCheck(deps, ctx, 'update', refused));
  return detailOf(deps, row);
}
