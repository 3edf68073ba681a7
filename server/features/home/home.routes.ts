import { HomeSummary } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { getHomeSummary } from './home.service.js';

export function homeRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/home',
    { config: { access: 'authenticated' }, schema: { tags: ['home'], summary: 'Counts for the home page, within scope', response: { 200: HomeSummary } } },
    (req) => getHomeSummary(deps, contextOf(req)),
  );
}
