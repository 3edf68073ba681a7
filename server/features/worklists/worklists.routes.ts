import { WorklistCounts, WorklistCountsQuery, WorklistPage, WorklistQuery } from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { getWorklistCounts, listWorklist } from './worklists.service.js';


export function worklistsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['worklists']);
  route.get('/api/worklists/counts', 'worklist.read', { summary: 'Counts of every work list, and per region one level down with on-time rates', query: WorklistCountsQuery, response: WorklistCounts }, ({ ctx, query }) => getWorklistCounts(deps, ctx, query.region));
  route.get('/api/worklists', 'worklist.read', { summary: 'One work list (due this week, overdue, never visited, unseen, aging out, campaign tasks), most urgent first', query: WorklistQuery, response: WorklistPage }, ({ ctx, query }) => listWorklist(deps, ctx, query));
}
