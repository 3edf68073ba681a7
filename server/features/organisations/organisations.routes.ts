import { OrganisationInput, OrganisationListQuery, OrganisationPage, OrganisationRecord } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { createOrganisation, listOrganisationsInScope } from './organisations.service.js';

export function organisationsRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['organisations']);
  route.get('/api/organisations', 'organisation.read', { summary: 'Organisations in scope', query: OrganisationListQuery, response: OrganisationPage }, ({ ctx, query }) => listOrganisationsInScope(deps, ctx, query));
  route.post('/api/organisations', 'organisation.manage', { summary: 'Register an organisation', body: OrganisationInput, response: OrganisationRecord, status: 201 }, ({ ctx, body }) => createOrganisation(deps, ctx, body));
}
