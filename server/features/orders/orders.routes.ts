import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { OrderEntryInput, OrderInput, OrderListQuery, OrderPage, OrderRecord, OrderTransitionInput } from '../../../domain/orders/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { getOrder, listOrdersInScope, recordOrder, recordOrderEntry, transitionOrder } from './orders.service.js';

const params = z.object({ id: Id });

export function ordersRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['orders']);
  route.post('/api/children/:id/orders', 'order.record', { summary: 'Record a supervision order, family-education guidance, temporary guardianship or a petition to revoke guardianship about the child', params, body: OrderInput, response: OrderRecord, status: 201 }, ({ ctx, params, body }) => recordOrder(deps, ctx, params.id, body));
  route.get('/api/orders', 'order.read', { summary: 'Orders of the scope (filters: kind, state, active, region, child), newest first', query: OrderListQuery, response: OrderPage }, ({ ctx, query }) => listOrdersInScope(deps, ctx, query));
  route.get('/api/orders/:id', 'order.read', { summary: 'One order with its checks, sessions and transitions', params, response: OrderRecord }, ({ ctx, params }) => getOrder(deps, ctx, params.id));
  route.post('/api/orders/:id/entries', 'order.record', { summary: 'Record a follow-up check (supervision order) or a guidance session', params, body: OrderEntryInput, response: OrderRecord }, ({ ctx, params, body }) => recordOrderEntry(deps, ctx, params.id, body));
  route.post('/api/orders/:id/transitions', 'order.close', { summary: 'Move the order to its next state (fulfil, escalate, close, complete, discontinue, end, decide, withdraw)', params, body: OrderTransitionInput, response: OrderRecord }, ({ ctx, params, body }) => transitionOrder(deps, ctx, params.id, body));
}
