import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { LETTER_KINDS } from '../../../domain/letters/rules.js';
import { ChildLetters, LetterDocument, LetterSignInput } from '../../../domain/letters/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { readUpload } from '../files/files.routes.js';
import { MAX_IMAGE_BYTES } from '../files/files.service.js';
import { attachLetterScan, getChildLetters, getLetterDocument, signLetter } from './letters.service.js';

const params = z.object({ id: Id });
const tags = ['letters'];

export function lettersRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/children/:id/letters',
    {
      config: { access: 'letter.read' },
      schema: { tags, summary: 'The guardianship letters the child needs, whether each is signed for the current carer, and every letter signed', params, response: { 200: ChildLetters } },
    },
    (req) => getChildLetters(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/children/:id/letters',
    {
      config: { access: 'letter.record' },
      schema: { tags, summary: 'Record a signed paper letter (signed for the carer the file records now)', params, body: LetterSignInput, response: { 201: ChildLetters } },
    },
    async (req, reply) => reply.status(201).send(await signLetter(deps, contextOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/children/:id/letters/:kind/document',
    {
      config: { access: 'letter.record' },
      schema: {
        tags,
        summary: 'The letter to print, filled from the file (phones in clear: audited)',
        params: z.object({ id: Id, kind: z.enum(LETTER_KINDS) }),
        response: { 200: LetterDocument },
      },
    },
    (req) => getLetterDocument(deps, contextOf(req), req.params.id, req.params.kind),
  );

  void app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 2, parts: 3 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/letters/:id/scan',
      {
        config: { access: 'letter.record' },
        schema: { tags, summary: 'Attach the scan of a signed letter (multipart field "file": a photo of the paper, JPEG, PNG or WebP ≤ 10 MB)', params, response: { 200: ChildLetters } },
      },
      async (req) => {
        const upload = await readUpload(req, 'scan');
        return attachLetterScan(deps, contextOf(req), req.params.id, upload.buffer);
      },
    );
  });
}
