import { z } from 'zod';
import { RegionChildren, RegionChildrenQuery, RegionCode, RegionDetail, RegionSearchQuery, RegionSearchResult } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { getRegionDetail, listRegions, searchRegionsInScope } from './regions.service.js';

export function regionsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/regions',
    {
      config: { access: 'region.read' },
      schema: { tags: ['regions'], summary: 'Children of a region (or the scope root)', querystring: RegionChildrenQuery, response: { 200: RegionChildren } },
    },
    (req) => listRegions(deps, contextOf(req), req.query.parent),
  );
  app.get(
    '/api/regions/search',
    {
      config: { access: 'region.read' },
      schema: { tags: ['regions'], summary: 'Search regions by name or code', querystring: RegionSearchQuery, response: { 200: RegionSearchResult } },
    },
    (req) => searchRegionsInScope(deps, contextOf(req), req.query.q, req.query.limit),
  );
  app.get(
    '/api/regions/:code',
    {
      config: { access: 'region.read' },
      schema: { tags: ['regions'], summary: 'One region with its path and counts', params: z.object({ code: RegionCode }), response: { 200: RegionDetail } },
    },
    (req) => getRegionDetail(deps, contextOf(req), req.params.code),
  );
}
