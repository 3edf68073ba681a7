import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { ChildDetail } from '../../../domain/children/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { readUpload, routesOf } from '../../core/route.js';
import { removeChildPhoto, setChildPhoto } from '../children/child-photo.js';
import { MAX_IMAGE_BYTES, openFile, type StoredFile } from './files.service.js';

const params = z.object({ id: Id });

/**
 * Sends stored bytes. Photos may show inline; anything else (a PDF scan) is a
 * download only, in a CSP sandbox, so a crafted document never runs as this site.
 */
export function sendStoredFile(reply: FastifyReply, file: StoredFile) {
  reply.header('content-type', file.mime).header('content-length', file.size).header('cache-control', 'private, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
  if (!file.mime.startsWith('image/') || file.name) {
    const name = file.name ?? 'file';
    const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    reply.header('content-disposition', `${file.mime.startsWith('image/') ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    reply.header('content-security-policy', "sandbox; default-src 'none'");
  }
  return reply.send(file.stream);
}

/** The multipart limits of a photo upload: one file of at most MAX_IMAGE_BYTES, a field or two. */
export const IMAGE_UPLOAD_LIMITS = { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 2, parts: 3 };


export function filesRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['files']);
  // The bytes behind an id never change.
  route.get('/api/files/:id', 'child.read', { summary: 'An uploaded file (photo), for whoever may read its child; 404 otherwise', params, response: z.unknown() }, async ({ ctx, params, reply }) => sendStoredFile(reply, await openFile(deps, ctx, params.id)));

  route.delete('/api/children/:id/photo', 'child.update', { tags: ['children'], summary: 'Take the photo off a child file (kept as history)', params, response: ChildDetail }, ({ ctx, params }) => removeChildPhoto(deps, ctx, params.id));

  route.upload(
    '/api/children/:id/photo',
    'child.update',
    IMAGE_UPLOAD_LIMITS,
    { tags: ['children'], summary: 'Set the child’s photo (multipart field "file": JPEG, PNG or WebP ≤ 10 MB; stored as JPEG without location)', params, response: ChildDetail },
    async ({ ctx, params, req }) => setChildPhoto(deps, ctx, params.id, (await readUpload(req)).buffer),
  );
}
