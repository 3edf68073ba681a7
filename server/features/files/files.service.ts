import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FileRef } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import type { FileRow } from '../../db/schema.js';
import { findChildInScope } from '../children/children.repository.js';
import { findFile } from './files.repository.js';

/** Photos from phones: JPEG, PNG or WebP up to 10 MB, stored as JPEG of at most 2048 px a side. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);
const MAX_SIDE = 2048;
/** Refuses decompression bombs: a 10 MB file may claim a huge canvas. */
const MAX_INPUT_PIXELS = 60_000_000;

export interface ProcessedImage {
  data: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
  sha256: string;
  keptLocation: boolean;
}

/**
 * Checks that the bytes are a real image of an accepted type (by content, not by
 * name), turns it upright, shrinks it, and re-encodes it as JPEG. Re-encoding drops
 * every metadata block, EXIF location included, unless the user keeps it on purpose.
 */
export async function processImage(buffer: Buffer, options: { keepLocation?: boolean; field?: string } = {}): Promise<ProcessedImage> {
  const field = options.field ?? 'file';
  if (buffer.length === 0) throw invalid(field, 'file_required');
  if (buffer.length > MAX_IMAGE_BYTES) throw invalid(field, 'image_too_large');
  let format: string | undefined;
  try {
    format = (await sharp(buffer, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw invalid(field, 'image_type');
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw invalid(field, 'image_type');
  let pipeline = sharp(buffer, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
  if (options.keepLocation) pipeline = pipeline.keepExif();
  try {
    const { data, info } = await pipeline.jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true });
    return { data, mime: 'image/jpeg', width: info.width, height: info.height, sha256: createHash('sha256').update(data).digest('hex'), keptLocation: Boolean(options.keepLocation) };
  } catch {
    throw invalid(field, 'image_type');
  }
}

const filesRoot = (deps: Deps) => path.join(deps.config.dataDir, 'files');

/** Writes the bytes under `<dataDir>/files/<last two of id>/<id>.jpg` (temporary name, then rename). Returns the relative path. */
export async function writeFileBytes(deps: Deps, id: string, data: Buffer, extension = 'jpg'): Promise<string> {
  const relative = path.join(id.slice(-2), `${id}.${extension}`);
  const target = path.join(filesRoot(deps), relative);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, data, { mode: 0o600 });
  await fs.promises.rename(temporary, target);
  return relative;
}

/** Undoes writeFileBytes when the transaction that was to record the file failed. */
export async function discardFileBytes(deps: Deps, relative: string): Promise<void> {
  await fs.promises.rm(path.join(filesRoot(deps), relative), { force: true });
}

export const fileRefOf = (row: Pick<FileRow, 'id' | 'created_at'>): FileRef => ({ id: row.id, url: `/api/files/${row.id}`, uploadedAt: row.created_at });

/** A file's bytes for someone who may read its child's file; anything else is the same 404 as a missing file. */
export async function openFile(deps: Deps, ctx: RequestContext, id: string): Promise<{ mime: string; size: number; stream: fs.ReadStream }> {
  requirePermission(ctx.actor, 'child.read');
  const row = await findFile(deps.db, id);
  if (!row || !(await findChildInScope(deps.db, row.child_id, ctx.actor.scopeRegion))) throw notFound();
  const file = path.join(filesRoot(deps), row.path);
  if (!fs.existsSync(file)) throw notFound();
  return { mime: row.mime, size: row.size, stream: fs.createReadStream(file) };
}
