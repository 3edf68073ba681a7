import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { ChildDetail } from '../../../domain/children/schema.js';
import type { Deps } from '../../core/deps.js';
import { AppError, invalid } from '../../core/errors.js';
import { contextOf, type Api } from '../../core/http.js';
import { removeChildPhoto, setChildPhoto } from '../children/children.service.js';
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

/** The one file of a multipart upload (field "file"), with multipart's own errors turned into field errors. */
export async function readUpload(req: FastifyRequest, field = 'file', tooLarge = 'image_too_large'): Promise<{ fileName: string; buffer: Buffer }> {
  try {
    const part = await req.file();
    if (!part) throw invalid(field, 'file_required');
    return { fileName: part.filename, buffer: await part.toBuffer() };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw invalid(field, tooLarge);
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw invalid(field, 'file_required');
    throw err;
  }
}

export function filesRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/files/:id',
    {
      config: { access: 'child.read' },
      schema: { tags: ['files'], summary: 'An uploaded file (photo), for whoever may read its child; 404 otherwise', params, response: { 200: z.unknown() } },
    },
    async (req, reply) => {
      // The bytes behind an id never change.
      return sendStoredFile(reply, await openFile(deps, contextOf(req), req.params.id));
    },
  );

  app.delete(
    '/api/children/:id/photo',
    { config: { access: 'child.update' }, schema: { tags: ['children'], summary: 'Take the photo off a child file (kept as history)', params, response: { 200: ChildDetail } } },
    (req) => removeChildPhoto(deps, contextOf(req), req.params.id),
  );

  void app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 2, parts: 3 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/children/:id/photo',
      {
        config: { access: 'child.update' },
        schema: {
          tags: ['children'],
          summary: 'Set the child’s photo (multipart field "file": JPEG, PNG or WebP ≤ 10 MB; stored as JPEG without location)',
          params,
          response: { 200: ChildDetail },
        },
      },
      async (req) => {
        const upload = await readUpload(req);
        return setChildPhoto(deps, contextOf(req), req.params.id, upload.buffer);
      },
    );
  });
}
