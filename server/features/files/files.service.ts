import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FileRef } from '../../../domain/children/schema.js';
import { requirePermission } from '../../core/access.js';
import type { RequestContext } from '../../core/actor.js';
import type { Deps } from '../../core/deps.js';
import { PRIVATE_DIR, PRIVATE_FILE } from '../../core/file-modes.js';
import { invalid, notFound } from '../../core/errors.js';
import type { FileRow, FileTable } from '../../db/schema.js';
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

export interface ProcessedAttachment {
  data: Buffer;
  mime: 'image/jpeg' | 'application/pdf';
  extension: 'jpg' | 'pdf';
  width: number | null;
  height: number | null;
  sha256: string;
}

const isPdf = (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-';
const isImage = (b: Buffer) =>
  (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) || // JPEG
  b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) || // PNG
  (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP');

/**
 * A document attached to a record (a referral): a photo, re-encoded like any
 * photo (location dropped), or a PDF scan kept as sent — recognised by its
 * magic bytes and its end-of-file marker, never by its name, and only ever
 * served as a download in a sandbox (see sendStoredFile).
 */
export async function processAttachment(buffer: Buffer, field = 'attachment'): Promise<ProcessedAttachment> {
  if (buffer.length === 0) throw invalid(field, 'file_required');
  if (buffer.length > MAX_IMAGE_BYTES) throw invalid(field, 'attachment_too_large');
  if (isPdf(buffer)) {
    // A complete PDF ends with %%EOF (perhaps followed by a line break); a truncated upload does not.
    if (!buffer.subarray(-1024).toString('latin1').includes('%%EOF')) throw invalid(field, 'attachment_type');
    return { data: buffer, mime: 'application/pdf', extension: 'pdf', width: null, height: null, sha256: createHash('sha256').update(buffer).digest('hex') };
  }
  if (!isImage(buffer)) throw invalid(field, 'attachment_type');
  let image: ProcessedImage;
  try {
    image = await processImage(buffer, { field });
  } catch {
    throw invalid(field, 'attachment_type');
  }
  return { data: image.data, mime: image.mime, extension: 'jpg', width: image.width, height: image.height, sha256: image.sha256 };
}

const filesRoot = (deps: Deps) => path.join(deps.config.dataDir, 'files');

/** Writes the bytes under `<dataDir>/files/<last two of id>/<id>.jpg` (temporary name, then rename). Returns the relative path. */
export async function writeFileBytes(deps: Deps, id: string, data: Buffer, extension = 'jpg'): Promise<string> {
  const relative = path.join(id.slice(-2), `${id}.${extension}`);
  const target = path.join(filesRoot(deps), relative);
  // Private to the server's user whatever the umask (server/core/file-modes.ts): directories 0700, files 0600.
  await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR });
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, data, { mode: PRIVATE_FILE });
  await fs.promises.chmod(temporary, PRIVATE_FILE);
  await fs.promises.rename(temporary, target);
  return relative;
}

/** What the files table records of bytes just written: whose they are, what they are, who put them there. */
export function fileRowOf(
  file: { id: string; relative: string; mime: string; data: Buffer; width: number | null; height: number | null; sha256: string; keptLocation?: boolean },
  owner: { childId: string; purpose: 'child_photo' | 'visit_photo' | 'letter_scan' | 'referral_attachment'; actorId: string; at: string; referralId?: string; originalName?: string },
): FileTable {
  return {
    id: file.id,
    child_id: owner.childId,
    purpose: owner.purpose,
    mime: file.mime,
    size: file.data.length,
    width: file.width,
    height: file.height,
    sha256: file.sha256,
    path: file.relative,
    kept_location: file.keptLocation ? 1 : 0,
    created_by: owner.actorId,
    created_at: owner.at,
    removed_at: null,
    removed_by: null,
    visit_id: null,
    referral_id: owner.referralId ?? null,
    original_name: owner.originalName ?? null,
  };
}

/** Undoes writeFileBytes when the transaction that was to record the file failed. */
export async function discardFileBytes(deps: Deps, relative: string): Promise<void> {
  await fs.promises.rm(path.join(filesRoot(deps), relative), { force: true });
}

export const fileRefOf = (row: Pick<FileRow, 'id' | 'created_at'>): FileRef => ({ id: row.id, url: `/api/files/${row.id}`, uploadedAt: row.created_at });

export interface StoredFile {
  mime: string;
  size: number;
  /** The name it was uploaded under, when kept (attachments). */
  name: string | null;
  stream: fs.ReadStream;
}

/** The bytes of a file row whose access the caller has checked; a missing file on disk is a 404. */
export function readStoredFile(deps: Deps, row: Pick<FileRow, 'path' | 'mime' | 'size'> & { original_name?: string | null }): StoredFile {
  const file = path.join(filesRoot(deps), row.path);
  if (!fs.existsSync(file)) throw notFound();
  return { mime: row.mime, size: row.size, name: row.original_name ?? null, stream: fs.createReadStream(file) };
}

/**
 * A file's bytes for someone who may read its child's file; anything else is the same 404 as a missing file.
 * Referral attachments are read only through their referral (its sides and rules), never here.
 */
export async function openFile(deps: Deps, ctx: RequestContext, id: string): Promise<StoredFile> {
  requirePermission(ctx.actor, 'child.read');
  const row = await findFile(deps.db, id);
  if (!row || row.referral_id || !(await findChildInScope(deps.db, row.child_id, ctx.actor.scopeRegion))) throw notFound();
  return readStoredFile(deps, row);
}
