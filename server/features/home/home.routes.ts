import { HomeSummary } from '../../../domain/api.js';
import { InboxSummary } from '../../../domain/referrals/schema.js';
import { PupilHome } from '../../../domain/visits/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { summariseInbox } from '../referrals/referrals.service.js';
import { countPupilsOfSchool } from '../visits/pupils.service.js';
import { getHomeSummary } from './home.service.js';

/** Each role's home starts with what waits for it: one endpoint per kind of work, each declaring the action it needs. */
export function homeRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['home']);
  route.get('/api/home', 'authenticated', { summary: 'The scope, and its staffing for those who run the network', response: HomeSummary }, ({ ctx }) => getHomeSummary(deps, ctx));
  route.get('/api/home/inbox', 'referral.inbox', { summary: "An agency's home: its organisation's referrals to accept (overdue among them), accepted and in service", response: InboxSummary }, ({ ctx }) => summariseInbox(deps, ctx));
  route.get('/api/home/pupils', 'pupil.read', { summary: "A school contact's home: the school's pupils on the register and those not visited this vacation", response: PupilHome }, ({ ctx }) => countPupilsOfSchool(deps, ctx));
}
