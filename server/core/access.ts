/**
 * The one access module. Two questions, always both:
 *  1. may this role perform this action at all?  (the typed matrix in domain/access.ts)
 *  2. is this record inside the actor's scope?    (region subtree or organisation)
 * A record outside scope is answered exactly like a missing one: 404.
 */
import { actorCan, type Action } from '../../domain/access.js';
import { isWithinRegion, subtreeRange } from '../../domain/regions.js';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';

export function requirePermission(actor: Actor, action: Action): void {
  if (!actorCan(actor, action)) throw new AppError('FORBIDDEN');
}

/** Half-open range of region codes the actor may see. */
export function scopeRange(actor: Actor): { from: string; to: string } {
  return subtreeRange(actor.scopeRegion);
}

export function isInScope(actor: Actor, regionCode: string | null | undefined): boolean {
  return !!regionCode && isWithinRegion(regionCode, actor.scopeRegion);
}

/** Throws NOT_FOUND unless the region code lies in the actor's subtree. */
export function assertInScope(actor: Actor, regionCode: string | null | undefined): void {
  if (!isInScope(actor, regionCode)) throw new AppError('NOT_FOUND');
}
