import { OrganisationInput, OrganisationListQuery, OrganisationPage, OrganisationRecord } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { createOrganisation, listOrganisationsInScope } from './organisations.service.js';

export function organisationsRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/organisations',
    {
      config: { access: 'organisation.read' },
      schema: { tags: ['organisations'], summary: 'Organisations in scope', querystring: OrganisationListQuery, response: { 200: OrganisationPage } },
    },
    (req) => listOrganisationsInScope(deps, contextOf(req), req.query),
  );
  app.post(
    '/api/organisations',
    {
      config: { access: 'organisation.manage' },
      schema: { tags: ['organisations'], summary: 'Register an organisation', body: OrganisationInput, response: { 201: OrganisationRecord } },
    },
    async (req, reply) => reply.status(201).send(await createOrganisation(deps, contextOf(req), req.body)),
  );
}
