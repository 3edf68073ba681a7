/**
 * Duplicate warnings (one ID number, one file): what a check may tell the
 * actor in and out of his scope, when a registration or an edit is refused,
 * the dismissed candidates kept with the file, and every check audited.
 */
import type { RegionRef } from '../../../domain/api.js';
import type { DuplicateCandidate, DuplicateCheckResult } from '../../../domain/children/schema.js';
import { regionLevel } from '../../../domain/regions.js';
import { isInScope, requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db } from '../../db/database.js';
import { auditRead } from '../audit/audit.service.js';
import { similarNames } from './child-file.js';
import { villageInScope } from './child-steps.js';
import { findPossibleDuplicates, insertDuplicateReviews } from './children.repository.js';
import { findRegion } from '../regions/regions.repository.js';

export interface DuplicateProbe {
  name: string;
  birthDate: string;
  idNumber: string | null;
  regionCode: string;
  excludeId?: string | undefined;
}

/** What a duplicate check may tell the actor (DuplicateCheckResult), and how many files it found out of his scope. */
export interface DuplicateFindings extends DuplicateCheckResult {
  outOfScope: number;
}

/**
 * The civil-affairs office an actor asks about a file outside his area: his
 * own county's (a city officer's: the city's). Never the other file's county.
 */
export async function civilAffairsContact(db: Db, scopeRegion: string): Promise<RegionRef> {
  const level = regionLevel(scopeRegion);
  const code = level === 'village' || level === 'township' ? `${scopeRegion.slice(0, 6)}000000` : scopeRegion;
  const region = await findRegion(db, code);
  return { code, name: region?.name ?? code, level: regionLevel(code) };
}

/**
 * Files that may describe the same child. Those in the actor's scope are
 * shown as they are. Outside it, only a file with the same ID number counts,
 * and of it only that it exists and whom to ask (issue 11 §3: the check must
 * not tell a guessed number's name, birth date, place or id); similar names
 * outside the scope are not told at all, nor do they stop a registration.
 */
export async function findDuplicates(db: Db, deps: Deps, ctx: RequestContext, probe: DuplicateProbe): Promise<DuplicateFindings> {
  const idHash = probe.idNumber ? deps.crypto.keyedHash(probe.idNumber) : null;
  const rows = await findPossibleDuplicates(db, { idHash, birthDate: probe.birthDate, excludeId: probe.excludeId });
  const candidates: DuplicateCandidate[] = [];
  let outOfScope = 0;
  for (const row of rows) {
    const match: DuplicateCandidate['match'] | null =
      idHash && row.id_hash === idHash
        ? 'same_id_number'
        : row.name === probe.name && row.birth_date === probe.birthDate && row.region_code === probe.regionCode
          ? 'same_name_birth_village'
          : row.birth_date === probe.birthDate && similarNames(probe.name, row.name)
            ? 'similar_name_birth'
            : null;
    if (!match) continue;
    if (!isInScope(ctx.actor, row.region_code)) {
      if (match === 'same_id_number') outOfScope++;
      continue;
    }
    candidates.push({
      id: row.id,
      name: row.name,
      birthDate: row.birth_date,
      idNumberMasked: row.id_masked,
      region: { code: row.region_code, name: row.region_name, level: 'village' },
      status: row.status as DuplicateCandidate['status'],
      match,
    });
  }
  const order = { same_id_number: 0, same_name_birth_village: 1, similar_name_birth: 2 } as const;
  candidates.sort((a, b) => order[a.match] - order[b.match]);
  const elsewhere = outOfScope > 0 ? { match: 'same_id_number' as const, contact: await civilAffairsContact(db, ctx.actor.scopeRegion) } : null;
  return { candidates, elsewhere, outOfScope };
}

/**
 * Every duplicate check is audited, in its own short transaction: how many
 * files it found in and out of the actor's scope — never the number probed
 * nor its hash. `source`: the check route, a registration, an edit, an import.
 */
export function auditDuplicateCheck(deps: Deps, ctx: RequestContext, source: 'check' | 'register' | 'update' | 'import', found: { inScope: number; outOfScope: number }, extra: Record<string, unknown> = {}): Promise<void> {
  return auditRead(deps, ctx, { action: 'child.duplicates.check', details: { source, inScope: found.inScope, outOfScope: found.outOfScope, ...extra } });
}

/**
 * A registration or an edit that the duplicates stop. A file with the same ID
 * number always does (one ID number, one person, one file — issue 12 §1):
 * outside the actor's scope he may ask for the child's transfer; inside it he
 * opens the file, and no reason lets a second one be saved. Any other
 * in-scope candidate stops it unless dismissed with a reason.
 */
export function duplicateRefusal(found: DuplicateFindings, dismissed: ReadonlySet<string>): AppError | null {
  const data = { candidates: found.candidates, elsewhere: found.elsewhere } satisfies DuplicateCheckResult;
  if (found.elsewhere) return new AppError('DUPLICATE_ELSEWHERE', { field: 'idNumber', params: { region: found.elsewhere.contact.name }, data });
  const sameId = found.candidates.find((c) => c.match === 'same_id_number');
  if (sameId) return new AppError('DUPLICATE_ID', { field: 'idNumber', params: { where: sameId.region.name }, data });
  if (found.candidates.some((c) => !dismissed.has(c.id))) return new AppError('DUPLICATE', { params: { count: found.candidates.length }, data });
  return null;
}

export async function checkDuplicates(deps: Deps, ctx: RequestContext, probe: DuplicateProbe): Promise<DuplicateCheckResult> {
  requirePermission(ctx.actor, 'child.read');
  await villageInScope(deps.db, ctx, probe.regionCode);
  const found = await findDuplicates(deps.db, deps, ctx, probe);
  await auditDuplicateCheck(deps, ctx, 'check', { inScope: found.candidates.length, outOfScope: found.outOfScope });
  return { candidates: found.candidates, elsewhere: found.elsewhere };
}

/** After a transaction a duplicate stopped (and rolled back): the check it made is audited, then the refusal answered. */
export function auditRefusedCheck(deps: Deps, ctx: RequestContext, source: 'register' | 'update', refused: { found?: DuplicateFindings }) {
  return async (err: unknown): Promise<never> => {
    if (refused.found) await auditDuplicateCheck(deps, ctx, source, { inScope: refused.found.candidates.length, outOfScope: refused.found.outOfScope });
    throw err;
  };
}

/** The in-scope candidates the actor went past on a registration or an edit, kept with the file as dismissed, with his reason. */
export async function keepDismissed(trx: Db, ctx: RequestContext, child: { id: string; regionCode: string }, candidates: readonly DuplicateCandidate[], reason: string | null, at: string): Promise<void> {
  await insertDuplicateReviews(
    trx,
    candidates.map((c) => ({ id: newId(), child_id: child.id, candidate_id: c.id, region_code: child.regionCode, decision: 'dismissed', reason, actor_id: ctx.actor.id, at })),
  );
}
