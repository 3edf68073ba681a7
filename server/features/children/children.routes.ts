import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import { ChildDetail, ChildHistory, ChildListQuery, ChildPage, ChildRegistration, ChildUpdate, CloseInput, DuplicateCheckInput, DuplicateCheckResult, OverrideInput, ReturnInput, RevealInput, RevealResult, ReviewInput, SchoolChoices, SchoolChoicesQuery, TransferInput } from '../../../domain/children/schema.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { perUserPerMinute } from '../../core/rate-limit.js';
import { checkDuplicates } from './child-duplicates.js';
import { updateChild } from './child-edit.js';
import { overrideCategory } from './child-overrides.js';
import { getChild, getChildHistory, listChildrenInScope } from './child-read.js';
import { listSchoolChoices, registerChild } from './child-registration.js';
import { revealField } from './child-reveal.js';
import { approveClosure, approveRegistration, closeChild, rejectClosure, returnRegistration } from './child-review.js';
import { transferChild } from './child-transfer.js';

const params = z.object({ id: Id });

export function childrenRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['children']);
  route.get('/api/children', 'child.read', { summary: 'Child files in scope: filters, search, sort, pages', query: ChildListQuery, response: ChildPage }, ({ ctx, query }) => listChildrenInScope(deps, ctx, query));
  route.post('/api/children', 'child.register', { summary: 'Register a child (409 DUPLICATE lists possible duplicates)', body: ChildRegistration, response: ChildDetail, status: 201 }, ({ ctx, body }) => registerChild(deps, ctx, body));
  // Throttled per user (DUPLICATE_CHECK_RATE a minute): the check must not become a way to probe ID numbers.
  route.post('/api/children/duplicates', 'child.read', { summary: 'Possible duplicates of a child being entered', body: DuplicateCheckInput, response: DuplicateCheckResult, config: { rateLimit: perUserPerMinute(deps.config.duplicateCheckRate) } }, ({ ctx, body }) => checkDuplicates(deps, ctx, { ...body, idNumber: body.idNumber ?? null }));
  route.get('/api/children/schools', 'child.read', { summary: 'Schools a pupil of this village may be linked to (for vacation visits by their contact)', query: SchoolChoicesQuery, response: SchoolChoices }, ({ ctx, query }) => listSchoolChoices(deps, ctx, query.regionCode));

  route.get('/api/children/:id', 'child.read', { summary: 'One child file, numbers masked (audited read)', params, response: ChildDetail }, ({ ctx, params }) => getChild(deps, ctx, params.id));
  route.put('/api/children/:id', 'child.update', { summary: 'Edit a child file (409 CONFLICT on a stale version)', params, body: ChildUpdate, response: ChildDetail }, ({ ctx, params, body }) => updateChild(deps, ctx, params.id, body));
  route.get('/api/children/:id/history', 'child.read', { summary: 'Every change: who, when, old → new', params, response: ChildHistory }, ({ ctx, params }) => getChildHistory(deps, ctx, params.id));
  route.post('/api/children/:id/approve', 'child.approve', { summary: 'Approve a registration', params, body: ReviewInput, response: ChildDetail }, ({ ctx, params, body }) => approveRegistration(deps, ctx, params.id, body.comment));
  route.post('/api/children/:id/return', 'child.approve', { summary: 'Return a registration with a comment', params, body: ReturnInput, response: ChildDetail }, ({ ctx, params, body }) => returnRegistration(deps, ctx, params.id, body.comment));
  route.post('/api/children/:id/close', 'child.close', { summary: 'Close a file (a director’s closure awaits approval)', params, body: CloseInput, response: ChildDetail }, ({ ctx, params, body }) => closeChild(deps, ctx, params.id, body.reason, body.note));
  route.post('/api/children/:id/approve-closure', 'child.approve', { summary: 'Approve a requested closure', params, body: ReviewInput, response: ChildDetail }, ({ ctx, params, body }) => approveClosure(deps, ctx, params.id, body.comment));
  route.post('/api/children/:id/reject-closure', 'child.approve', { summary: 'Reject a requested closure', params, body: ReturnInput, response: ChildDetail }, ({ ctx, params, body }) => rejectClosure(deps, ctx, params.id, body.comment));
  route.post('/api/children/:id/transfer', 'child.transfer', { summary: 'Move the child to another village, keeping its history', params, body: TransferInput, response: ChildDetail }, ({ ctx, params, body }) => transferChild(deps, ctx, params.id, body.regionCode, body.note));
  route.post('/api/children/:id/categories', 'child.override', { summary: 'Override a derived category with a reason (value null clears)', params, body: OverrideInput, response: ChildDetail }, ({ ctx, params, body }) => overrideCategory(deps, ctx, params.id, body));
  route.post('/api/children/:id/reveal', 'child.reveal', { summary: 'Reveal one protected number (audited)', params, body: RevealInput, response: RevealResult }, ({ ctx, params, body }) => revealField(deps, ctx, params.id, body.field));
}
