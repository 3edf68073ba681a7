/** Revealing one protected number of a file (ID or phone), audited. */
import type { ChildProfile } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { auditRead } from '../audit/audit.service.js';
import { openProfile } from './child-file.js';
import { loadChild } from './child-steps.js';

type RevealField = 'idNumber' | 'father.idNumber' | 'mother.idNumber' | 'father.phone' | 'mother.phone' | 'caregiver.phone';

/** Shows one protected number in clear; the reveal itself is audited. */
export async function revealField(deps: Deps, ctx: RequestContext, id: string, field: RevealField): Promise<{ field: string; value: string | null }> {
  requirePermission(ctx.actor, 'child.reveal');
  const row = await loadChild(deps.db, ctx, id);
  const profile: ChildProfile = openProfile(row.profile, deps.crypto);
  const values: Record<RevealField, string | null> = {
    idNumber: row.id_cipher ? deps.crypto.decrypt(row.id_cipher) : null,
    'father.idNumber': profile.father.idNumber,
    'mother.idNumber': profile.mother.idNumber,
    'father.phone': profile.father.phone,
    'mother.phone': profile.mother.phone,
    'caregiver.phone': profile.caregiver.phone,
  };
  await auditRead(deps, ctx, { action: 'child.reveal', targetType: 'child', targetId: id, regionCode: row.region_code, details: { field } });
  return { field, value: values[field] };
}
