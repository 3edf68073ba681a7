/** The child's photo: set (checked and re-encoded) or taken off; earlier photos are kept as history. */
import type { ChildDetail } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction } from '../../db/transaction.js';
import { detailOf, loadChild, recordChange, requireStatus } from './child-steps.js';
import { findCurrentFile, insertFile, markFileRemoved } from '../files/files.repository.js';
import { discardFileBytes, fileRowOf, processImage, writeFileBytes } from '../files/files.service.js';

/**
 * Sets the child's photo: the image is checked and re-encoded (location
 * stripped), written under data/files, then recorded with its history row and
 * audit in one transaction; if that fails the bytes are removed again.
 * Earlier photos are kept (marked replaced), as history.
 */
export async function setChildPhoto(deps: Deps, ctx: RequestContext, id: string, upload: Buffer): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.update');
  requireStatus(await loadChild(deps.db, ctx, id), ['pending', 'returned', 'active'], ctx);
  const image = await processImage(upload);
  const fileId = newId();
  const relative = await writeFileBytes(deps, fileId, image.data);
  try {
    const row = await inTransaction(deps.db, async (trx) => {
      const current = await loadChild(trx, ctx, id);
      requireStatus(current, ['pending', 'returned', 'active'], ctx);
      const now = deps.clock.now().toISOString();
      const previous = await findCurrentFile(trx, id, 'child_photo');
      if (previous) await markFileRemoved(trx, previous.id, now, ctx.actor.id);
      await insertFile(trx, fileRowOf({ id: fileId, relative, ...image, keptLocation: false }, { childId: id, purpose: 'child_photo', actorId: ctx.actor.id, at: now }));
      await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, 'photo', [{ field: 'photo', from: previous?.id ?? null, to: fileId }]);
      return current;
    });
    return await detailOf(deps, row);
  } catch (err) {
    await discardFileBytes(deps, relative);
    throw err;
  }
}

/** Takes the photo off the file (the image stays, as history). */
export async function removeChildPhoto(deps: Deps, ctx: RequestContext, id: string): Promise<ChildDetail> {
  requirePermission(ctx.actor, 'child.update');
  const row = await inTransaction(deps.db, async (trx) => {
    const current = await loadChild(trx, ctx, id);
    requireStatus(current, ['pending', 'returned', 'active'], ctx);
    const previous = await findCurrentFile(trx, id, 'child_photo');
    if (!previous) throw notFound();
    await markFileRemoved(trx, previous.id, deps.clock.now().toISOString(), ctx.actor.id);
    await recordChange(trx, deps, ctx, { id, regionCode: current.region_code }, 'photo', [{ field: 'photo', from: previous.id, to: null }]);
    return current;
  });
  return detailOf(deps, row);
}
