import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { OutgoingTransferRequest, TransferRequestDecline, TransferRequestInput, TransferRequests } from '../../../domain/children/transfer-requests.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { perUserPerMinute } from '../../core/rate-limit.js';
import { acceptTransferRequest, declineTransferRequest, listTransferRequests, requestTransfer } from './transfer-requests.service.js';

const params = z.object({ id: Id });

export function transferRequestsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['children']);
  route.get('/api/transfer-requests', 'worklist.read', { summary: 'Open transfer requests about files of the scope, and the actor’s own requests', response: TransferRequests }, ({ ctx }) => listTransferRequests(deps, ctx));
  // Like the duplicate check, it tells whether a number has a file elsewhere: throttled the same.
  route.post(
    '/api/transfer-requests',
    'child.register',
    {
      summary: 'Ask for the child whose ID number has a file outside the scope to be moved to a village of it (201; 200 with the open request already made)',
      body: TransferRequestInput,
      response: OutgoingTransferRequest,
      status: 201,
      alsoStatus: [200],
      config: { rateLimit: perUserPerMinute(deps.config.duplicateCheckRate) },
    },
    async ({ ctx, body, reply }) => {
      const { created, request } = await requestTransfer(deps, ctx, body);
      return reply.status(created ? 201 : 200).send(request);
    },
  );
  route.post('/api/transfer-requests/:id/accept', 'child.handover', { summary: 'Transfer the child to the village asked for', params, response: TransferRequests }, ({ ctx, params }) => acceptTransferRequest(deps, ctx, params.id));
  route.post('/api/transfer-requests/:id/decline', 'child.handover', { summary: 'Decline a transfer request with a reason the asker reads', params, body: TransferRequestDecline, response: TransferRequests }, ({ ctx, params, body }) => declineTransferRequest(deps, ctx, params.id, body.reason));
}
