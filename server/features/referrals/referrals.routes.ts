import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import {
  InboxPage,
  InboxQuery,
  InboxReferral,
  ReferralAttachment,
  ReferralCompleteInput,
  ReferralDeclineInput,
  ReferralInput,
  ReferralListQuery,
  ReferralNoteInput,
  ReferralOrganisations,
  ReferralPage,
  ReferralRecord,
  ReferralWorkInput,
} from '../../../domain/referrals/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { MAX_ATTACHMENT_BYTES } from '../../../domain/referrals/rules.js';
import { readUpload, sendStoredFile } from '../files/files.routes.js';
import {
  acceptReferral,
  attachToReferral,
  openInboxAttachment,
  openReferralAttachment,
  completeReferral,
  recordReferralWork,
  createReferral, declineReferral, getInboxReferral, getReferral, listInboxReferrals, listReferralOrganisations, listReferralsInScope, startReferral, withdrawReferral } from './referrals.service.js';

const params = z.object({ id: Id });
const fileParams = z.object({ id: Id, fileId: Id });
const tags = ['referrals'];

export function referralsRoutes(app: Api, deps: Deps): void {
  app.post(
    '/api/children/:id/referrals',
    { config: { access: 'referral.create' }, schema: { tags, summary: 'Refer the child (转介) to an organisation that covers it or lies in its county', params, body: ReferralInput, response: { 201: ReferralRecord } } },
    async (req, reply) => reply.status(201).send(await createReferral(deps, contextOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/children/:id/referral-organisations',
    { config: { access: 'referral.create' }, schema: { tags, summary: 'Organisations that may receive a referral about this child', params, response: { 200: ReferralOrganisations } } },
    (req) => listReferralOrganisations(deps, contextOf(req), req.params.id),
  );
  app.get(
    '/api/referrals',
    { config: { access: 'referral.read' }, schema: { tags, summary: 'Referrals of the scope (filters: state, overdue, organisation, region, child), newest first', querystring: ReferralListQuery, response: { 200: ReferralPage } } },
    (req) => listReferralsInScope(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/referrals/:id',
    { config: { access: 'referral.read' }, schema: { tags, summary: 'One referral with its trail of transitions', params, response: { 200: ReferralRecord } } },
    (req) => getReferral(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/referrals/:id/withdraw',
    { config: { access: 'referral.withdraw' }, schema: { tags, summary: 'Withdraw the referral while it is sent, accepted or in service', params, body: ReferralNoteInput, response: { 200: ReferralRecord } } },
    (req) => withdrawReferral(deps, contextOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/referrals/:id/attachments/:fileId',
    { config: { access: 'referral.read' }, schema: { tags, summary: 'Download an attachment of a referral of the scope', params: fileParams, response: { 200: z.unknown() } } },
    async (req, reply) => sendStoredFile(reply, await openReferralAttachment(deps, contextOf(req), req.params.id, req.params.fileId)),
  );
  app.get(
    '/api/inbox/referrals/:id/attachments/:fileId',
    {
      config: { access: 'referral.inbox' },
      schema: { tags, summary: "Download an attachment of the organisation's referral while it is open (audited)", params: fileParams, response: { 200: z.unknown() } },
    },
    async (req, reply) => sendStoredFile(reply, await openInboxAttachment(deps, contextOf(req), req.params.id, req.params.fileId)),
  );
  void app.register(async (scope: FastifyInstance) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 2, parts: 3 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/referrals/:id/attachments',
      {
        config: { access: 'referral.create' },
        schema: {
          tags,
          summary: 'Attach a file to an open referral of the scope (multipart "file": JPEG, PNG or WebP photo, stored as JPEG without location, or a PDF; ≤ 10 MB, at most 10)',
          params,
          response: { 201: ReferralAttachment },
        },
      },
      async (req, reply) => reply.status(201).send(await attachToReferral(deps, contextOf(req), req.params.id, await readUpload(req, 'attachment', 'attachment_too_large'))),
    );
  });
  app.get(
    '/api/inbox/referrals',
    { config: { access: 'referral.inbox' }, schema: { tags, summary: "The organisation's referrals: open ones, or its finished ones as read-only history", querystring: InboxQuery, response: { 200: InboxPage } } },
    (req) => listInboxReferrals(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/inbox/referrals/:id',
    { config: { access: 'referral.inbox' }, schema: { tags, summary: 'One referral of the organisation with the referral-scoped view of the child (while open)', params, response: { 200: InboxReferral } } },
    (req) => getInboxReferral(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/inbox/referrals/:id/accept',
    { config: { access: 'referral.respond' }, schema: { tags, summary: 'Accept a referral just sent', params, body: ReferralNoteInput, response: { 200: InboxReferral } } },
    (req) => acceptReferral(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/inbox/referrals/:id/decline',
    { config: { access: 'referral.respond' }, schema: { tags, summary: 'Decline a referral just sent, with a reason', params, body: ReferralDeclineInput, response: { 200: InboxReferral } } },
    (req) => declineReferral(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/inbox/referrals/:id/start',
    { config: { access: 'referral.respond' }, schema: { tags, summary: 'Start the service of an accepted referral', params, body: ReferralNoteInput, response: { 200: InboxReferral } } },
    (req) => startReferral(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/inbox/referrals/:id/complete',
    { config: { access: 'referral.respond' }, schema: { tags, summary: 'Complete the service with feedback; access to the child ends', params, body: ReferralCompleteInput, response: { 200: InboxReferral } } },
    (req) => completeReferral(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/inbox/referrals/:id/work',
    {
      config: { access: 'referral.respond' },
      schema: { tags, summary: 'Record a session, a contact or a note of the service while the referral is in service (on its trail, seen by the sender)', params, body: ReferralWorkInput, response: { 200: InboxReferral } },
    },
    (req) => recordReferralWork(deps, contextOf(req), req.params.id, req.body),
  );
}
