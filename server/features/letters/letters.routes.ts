import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { LETTER_KINDS } from '../../../domain/letters/rules.js';
import { ChildLetters, LetterDocument, LetterSignInput } from '../../../domain/letters/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { readUpload, routesOf } from '../../core/route.js';
import { IMAGE_UPLOAD_LIMITS } from '../files/files.routes.js';
import { attachLetterScan, getChildLetters, getLetterDocument, signLetter } from './letters.service.js';

const params = z.object({ id: Id });

export function lettersRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['letters']);
  route.get('/api/children/:id/letters', 'letter.read', { summary: 'The guardianship letters the child needs, whether each is signed for the current carer, and every letter signed', params, response: ChildLetters }, ({ ctx, params }) => getChildLetters(deps, ctx, params.id));
  route.post('/api/children/:id/letters', 'letter.record', { summary: 'Record a signed paper letter (signed for the carer the file records now)', params, body: LetterSignInput, response: ChildLetters, status: 201 }, ({ ctx, params, body }) => signLetter(deps, ctx, params.id, body));
  route.get('/api/children/:id/letters/:kind/document', 'letter.record', { summary: 'The letter to print, filled from the file (phones in clear: audited)', params: z.object({ id: Id, kind: z.enum(LETTER_KINDS) }), response: LetterDocument }, ({ ctx, params }) => getLetterDocument(deps, ctx, params.id, params.kind));

  route.upload(
    '/api/letters/:id/scan',
    'letter.record',
    IMAGE_UPLOAD_LIMITS,
    { summary: 'Attach the scan of a signed letter (multipart field "file": a photo of the paper, JPEG, PNG or WebP ≤ 10 MB)', params, response: ChildLetters },
    async ({ ctx, params, req }) => attachLetterScan(deps, ctx, params.id, (await readUpload(req, 'scan')).buffer),
  );
}
