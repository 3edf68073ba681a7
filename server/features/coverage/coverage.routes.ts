import { CoverageGapPage, CoverageGapQuery, CoverageQuery, CoverageReport } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { getCoverage, getCoverageGaps } from './coverage.service.js';

export function coverageRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['coverage']);
  route.get('/api/coverage', 'coverage.read', { summary: 'Staff coverage per child region', query: CoverageQuery, response: CoverageReport }, ({ ctx, query }) => getCoverage(deps, ctx, query.region));
  route.get('/api/coverage/gaps', 'coverage.read', { summary: 'Villages without a director / townships without a supervisor', query: CoverageGapQuery, response: CoverageGapPage }, ({ ctx, query }) => getCoverageGaps(deps, ctx, query));
}
