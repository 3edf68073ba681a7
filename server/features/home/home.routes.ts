import { HomeSummary } from '../../../domain/api.js';
import { InboxSummary } from '../../../domain/referrals/schema.js';
import { PupilHome } from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { summariseInbox } from '../referrals/referrals.service.js';
import { countPupilsOfSchool } from '../visits/pupils.service.js';
import { getHomeSummary } from './home.service.js';

/** Each role's home starts with what waits for it: one endpoint per kind of work, each declaring the action it needs. */
export function homeRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/home',
    { config: { access: 'authenticated' }, schema: { tags: ['home'], summary: 'The scope, and its staffing for those who run the network', response: { 200: HomeSummary } } },
    (req) => getHomeSummary(deps, contextOf(req)),
  );
  app.get(
    '/api/home/inbox',
    { config: { access: 'referral.inbox' }, schema: { tags: ['home'], summary: "An agency's home: its organisation's referrals to accept (overdue among them), accepted and in service", response: { 200: InboxSummary } } },
    (req) => summariseInbox(deps, contextOf(req)),
  );
  app.get(
    '/api/home/pupils',
    { config: { access: 'pupil.read' }, schema: { tags: ['home'], summary: "A school contact's home: the school's pupils on the register and those not visited this vacation", response: { 200: PupilHome } } },
    (req) => countPupilsOfSchool(deps, contextOf(req)),
  );
}
