import { CoverageGapPage, CoverageGapQuery, CoverageQuery, CoverageReport } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { getCoverage, getCoverageGaps } from './coverage.service.js';

export function coverageRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/coverage',
    {
      config: { access: 'coverage.read' },
      schema: { tags: ['coverage'], summary: 'Staff coverage per child region', querystring: CoverageQuery, response: { 200: CoverageReport } },
    },
    (req) => getCoverage(deps, contextOf(req), req.query.region),
  );
  app.get(
    '/api/coverage/gaps',
    {
      config: { access: 'coverage.read' },
      schema: { tags: ['coverage'], summary: 'Villages without a director / townships without a supervisor', querystring: CoverageGapQuery, response: { 200: CoverageGapPage } },
    },
    (req) => getCoverageGaps(deps, contextOf(req), req.query),
  );
}
