import { z } from 'zod';
import { RegionChildren, RegionChildrenQuery, RegionCode, RegionDetail, RegionSearchQuery, RegionSearchResult } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { getRegionDetail, listRegions, searchRegionsInScope } from './regions.service.js';

export function regionsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['regions']);
  route.get('/api/regions', 'region.read', { summary: 'Children of a region (or the scope root)', query: RegionChildrenQuery, response: RegionChildren }, ({ ctx, query }) => listRegions(deps, ctx, query.parent));
  route.get('/api/regions/search', 'region.read', { summary: 'Search regions by name or code', query: RegionSearchQuery, response: RegionSearchResult }, ({ ctx, query }) => searchRegionsInScope(deps, ctx, query.q, query.limit));
  route.get('/api/regions/:code', 'region.read', { summary: 'One region with its path and counts', params: z.object({ code: RegionCode }), response: RegionDetail }, ({ ctx, params }) => getRegionDetail(deps, ctx, params.code));
}
