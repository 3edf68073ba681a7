import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { OutgoingTransferRequest, TransferRequestDecline, TransferRequestInput, TransferRequests } from '../../../domain/children/transfer-requests.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { perUserPerMinute } from '../../core/rate-limit.js';
import { acceptTransferRequest, declineTransferRequest, listTransferRequests, requestTransfer } from './transfer-requests.service.js';

const params = z.object({ id: Id });
const tags = ['children'];

export function transferRequestsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/transfer-requests',
    { config: { access: 'worklist.read' }, schema: { tags, summary: 'Open transfer requests about files of the scope, and the actor’s own requests', response: { 200: TransferRequests } } },
    (req) => listTransferRequests(deps, contextOf(req)),
  );
  app.post(
    '/api/transfer-requests',
    {
      // Like the duplicate check, it tells whether a number has a file elsewhere: throttled the same.
      config: { access: 'child.register', rateLimit: perUserPerMinute(deps.config.duplicateCheckRate) },
      schema: {
        tags,
        summary: 'Ask for the child whose ID number has a file outside the scope to be moved to a village of it (201; 200 with the open request already made)',
        body: TransferRequestInput,
        response: { 200: OutgoingTransferRequest, 201: OutgoingTransferRequest },
      },
    },
    async (req, reply) => {
      const { created, request } = await requestTransfer(deps, contextOf(req), req.body);
      return reply.status(created ? 201 : 200).send(request);
    },
  );
  app.post(
    '/api/transfer-requests/:id/accept',
    { config: { access: 'child.handover' }, schema: { tags, summary: 'Transfer the child to the village asked for', params, response: { 200: TransferRequests } } },
    (req) => acceptTransferRequest(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/transfer-requests/:id/decline',
    { config: { access: 'child.handover' }, schema: { tags, summary: 'Decline a transfer request with a reason the asker reads', params, body: TransferRequestDecline, response: { 200: TransferRequests } } },
    (req) => declineTransferRequest(deps, contextOf(req), req.params.id, req.body.reason),
  );
}
