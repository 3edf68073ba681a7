import { WorklistCounts, WorklistCountsQuery, WorklistPage, WorklistQuery } from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { getWorklistCounts, listWorklist } from './worklists.service.js';

const tags = ['worklists'];

export function worklistsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/worklists/counts',
    {
      config: { access: 'worklist.read' },
      schema: { tags, summary: 'Counts of every work list, and per region one level down with on-time rates', querystring: WorklistCountsQuery, response: { 200: WorklistCounts } },
    },
    (req) => getWorklistCounts(deps, contextOf(req), req.query.region),
  );
  app.get(
    '/api/worklists',
    {
      config: { access: 'worklist.read' },
      schema: { tags, summary: 'One work list (due this week, overdue, never visited, unseen, aging out, campaign tasks), most urgent first', querystring: WorklistQuery, response: { 200: WorklistPage } },
    },
    (req) => listWorklist(deps, contextOf(req), req.query),
  );
}
