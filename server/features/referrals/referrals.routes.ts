import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { InboxPage, InboxQuery, InboxReferral, ReferralAttachment, ReferralCompleteInput, ReferralDeclineInput, ReferralInput, ReferralListQuery, ReferralNoteInput, ReferralOrganisations, ReferralPage, ReferralRecord, ReferralWorkInput } from '../../../domain/referrals/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { readUpload, routesOf } from '../../core/route.js';
import { MAX_ATTACHMENT_BYTES } from '../../../domain/referrals/rules.js';
import { sendStoredFile } from '../files/files.routes.js';
import { acceptReferral, attachToReferral, openInboxAttachment, openReferralAttachment, completeReferral, recordReferralWork, createReferral, declineReferral, getInboxReferral, getReferral, listInboxReferrals, listReferralOrganisations, listReferralsInScope, startReferral, withdrawReferral } from './referrals.service.js';

const params = z.object({ id: Id });
const fileParams = z.object({ id: Id, fileId: Id });

export function referralsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['referrals']);
  route.post('/api/children/:id/referrals', 'referral.create', { summary: 'Refer the child (转介) to an organisation that covers it or lies in its county', params, body: ReferralInput, response: ReferralRecord, status: 201 }, ({ ctx, params, body }) => createReferral(deps, ctx, params.id, body));
  route.get('/api/children/:id/referral-organisations', 'referral.create', { summary: 'Organisations that may receive a referral about this child', params, response: ReferralOrganisations }, ({ ctx, params }) => listReferralOrganisations(deps, ctx, params.id));
  route.get('/api/referrals', 'referral.read', { summary: 'Referrals of the scope (filters: state, overdue, organisation, region, child), newest first', query: ReferralListQuery, response: ReferralPage }, ({ ctx, query }) => listReferralsInScope(deps, ctx, query));
  route.get('/api/referrals/:id', 'referral.read', { summary: 'One referral with its trail of transitions', params, response: ReferralRecord }, ({ ctx, params }) => getReferral(deps, ctx, params.id));
  route.post('/api/referrals/:id/withdraw', 'referral.withdraw', { summary: 'Withdraw the referral while it is sent, accepted or in service', params, body: ReferralNoteInput, response: ReferralRecord }, ({ ctx, params, body }) => withdrawReferral(deps, ctx, params.id, body));
  route.get('/api/referrals/:id/attachments/:fileId', 'referral.read', { summary: 'Download an attachment of a referral of the scope', params: fileParams, response: z.unknown() }, async ({ ctx, params, reply }) =>
    sendStoredFile(reply, await openReferralAttachment(deps, ctx, params.id, params.fileId)),
  );
  route.get('/api/inbox/referrals/:id/attachments/:fileId', 'referral.inbox', { summary: "Download an attachment of the organisation's referral while it is open (audited)", params: fileParams, response: z.unknown() }, async ({ ctx, params, reply }) =>
    sendStoredFile(reply, await openInboxAttachment(deps, ctx, params.id, params.fileId)),
  );
  route.upload(
    '/api/referrals/:id/attachments',
    'referral.create',
    { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 2, parts: 3 },
    { summary: 'Attach a file to an open referral of the scope (multipart "file": JPEG, PNG or WebP photo, stored as JPEG without location, or a PDF; ≤ 10 MB, at most 10)', params, response: ReferralAttachment, status: 201 },
    async ({ ctx, params, req }) => attachToReferral(deps, ctx, params.id, await readUpload(req, 'attachment', 'attachment_too_large')),
  );
  route.get('/api/inbox/referrals', 'referral.inbox', { summary: "The organisation's referrals: open ones, or its finished ones as read-only history", query: InboxQuery, response: InboxPage }, ({ ctx, query }) => listInboxReferrals(deps, ctx, query));
  route.get('/api/inbox/referrals/:id', 'referral.inbox', { summary: 'One referral of the organisation with the referral-scoped view of the child (while open)', params, response: InboxReferral }, ({ ctx, params }) => getInboxReferral(deps, ctx, params.id));
  route.post('/api/inbox/referrals/:id/accept', 'referral.respond', { summary: 'Accept a referral just sent', params, body: ReferralNoteInput, response: InboxReferral }, ({ ctx, params, body }) => acceptReferral(deps, ctx, params.id, body));
  route.post('/api/inbox/referrals/:id/decline', 'referral.respond', { summary: 'Decline a referral just sent, with a reason', params, body: ReferralDeclineInput, response: InboxReferral }, ({ ctx, params, body }) => declineReferral(deps, ctx, params.id, body));
  route.post('/api/inbox/referrals/:id/start', 'referral.respond', { summary: 'Start the service of an accepted referral', params, body: ReferralNoteInput, response: InboxReferral }, ({ ctx, params, body }) => startReferral(deps, ctx, params.id, body));
  route.post('/api/inbox/referrals/:id/complete', 'referral.respond', { summary: 'Complete the service with feedback; access to the child ends', params, body: ReferralCompleteInput, response: InboxReferral }, ({ ctx, params, body }) => completeReferral(deps, ctx, params.id, body));
  route.post('/api/inbox/referrals/:id/work', 'referral.respond', { summary: 'Record a session, a contact or a note of the service while the referral is in service (on its trail, seen by the sender)', params, body: ReferralWorkInput, response: InboxReferral }, ({ ctx, params, body }) => recordReferralWork(deps, ctx, params.id, body));
}
