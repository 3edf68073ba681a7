import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { OrderEntryInput, OrderInput, OrderListQuery, OrderPage, OrderRecord, OrderTransitionInput } from '../../../domain/orders/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { getOrder, listOrdersInScope, recordOrder, recordOrderEntry, transitionOrder } from './orders.service.js';

const params = z.object({ id: Id });
const tags = ['orders'];

export function ordersRoutes(app: Api, deps: Deps): void {
  app.post(
    '/api/children/:id/orders',
    {
      config: { access: 'order.record' },
      schema: { tags, summary: 'Record a supervision order, family-education guidance, temporary guardianship or a petition to revoke guardianship about the child', params, body: OrderInput, response: { 201: OrderRecord } },
    },
    async (req, reply) => reply.status(201).send(await recordOrder(deps, contextOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/orders',
    { config: { access: 'order.read' }, schema: { tags, summary: 'Orders of the scope (filters: kind, state, active, region, child), newest first', querystring: OrderListQuery, response: { 200: OrderPage } } },
    (req) => listOrdersInScope(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/orders/:id',
    { config: { access: 'order.read' }, schema: { tags, summary: 'One order with its checks, sessions and transitions', params, response: { 200: OrderRecord } } },
    (req) => getOrder(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/orders/:id/entries',
    { config: { access: 'order.record' }, schema: { tags, summary: 'Record a follow-up check (supervision order) or a guidance session', params, body: OrderEntryInput, response: { 200: OrderRecord } } },
    (req) => recordOrderEntry(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/orders/:id/transitions',
    { config: { access: 'order.close' }, schema: { tags, summary: 'Move the order to its next state (fulfil, escalate, close, complete, discontinue, end, decide, withdraw)', params, body: OrderTransitionInput, response: { 200: OrderRecord } } },
    (req) => transitionOrder(deps, contextOf(req), req.params.id, req.body),
  );
}
