import { z } from 'zod';
import { Id } from '../../../domain/api.js';
import {
  ChildDetail,
  ChildHistory,
  ChildListQuery,
  ChildPage,
  ChildRegistration,
  ChildUpdate,
  CloseInput,
  DuplicateCheckInput,
  DuplicateCheckResult,
  OverrideInput,
  ReturnInput,
  RevealInput,
  RevealResult,
  ReviewInput,
  SchoolChoices,
  SchoolChoicesQuery,
  TransferInput,
} from '../../../domain/children/schema.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { perUserPerMinute } from '../../core/rate-limit.js';
import {
  approveClosure,
  approveRegistration,
  checkDuplicates,
  closeChild,
  getChild,
  getChildHistory,
  listChildrenInScope,
  listSchoolChoices,
  overrideCategory,
  registerChild,
  rejectClosure,
  returnRegistration,
  revealField,
  transferChild,
  updateChild,
} from './children.service.js';

const params = z.object({ id: Id });
const tags = ['children'];

export function childrenRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/children',
    { config: { access: 'child.read' }, schema: { tags, summary: 'Child files in scope: filters, search, sort, pages', querystring: ChildListQuery, response: { 200: ChildPage } } },
    (req) => listChildrenInScope(deps, contextOf(req), req.query),
  );
  app.post(
    '/api/children',
    {
      config: { access: 'child.register' },
      schema: { tags, summary: 'Register a child (409 DUPLICATE lists possible duplicates)', body: ChildRegistration, response: { 201: ChildDetail } },
    },
    async (req, reply) => reply.status(201).send(await registerChild(deps, contextOf(req), req.body)),
  );
  app.post(
    '/api/children/duplicates',
    // Throttled per user (DUPLICATE_CHECK_RATE a minute): the check must not become a way to probe ID numbers.
    { config: { access: 'child.read', rateLimit: perUserPerMinute(deps.config.duplicateCheckRate) }, schema: { tags, summary: 'Possible duplicates of a child being entered', body: DuplicateCheckInput, response: { 200: DuplicateCheckResult } } },
    (req) => checkDuplicates(deps, contextOf(req), { ...req.body, idNumber: req.body.idNumber ?? null }),
  );
  app.get(
    '/api/children/schools',
    {
      config: { access: 'child.read' },
      schema: { tags, summary: 'Schools a pupil of this village may be linked to (for vacation visits by their contact)', querystring: SchoolChoicesQuery, response: { 200: SchoolChoices } },
    },
    (req) => listSchoolChoices(deps, contextOf(req), req.query.regionCode),
  );

  app.get(
    '/api/children/:id',
    { config: { access: 'child.read' }, schema: { tags, summary: 'One child file, numbers masked (audited read)', params, response: { 200: ChildDetail } } },
    (req) => getChild(deps, contextOf(req), req.params.id),
  );
  app.put(
    '/api/children/:id',
    { config: { access: 'child.update' }, schema: { tags, summary: 'Edit a child file (409 CONFLICT on a stale version)', params, body: ChildUpdate, response: { 200: ChildDetail } } },
    (req) => updateChild(deps, contextOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/children/:id/history',
    { config: { access: 'child.read' }, schema: { tags, summary: 'Every change: who, when, old → new', params, response: { 200: ChildHistory } } },
    (req) => getChildHistory(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/children/:id/approve',
    { config: { access: 'child.approve' }, schema: { tags, summary: 'Approve a registration', params, body: ReviewInput, response: { 200: ChildDetail } } },
    (req) => approveRegistration(deps, contextOf(req), req.params.id, req.body.comment),
  );
  app.post(
    '/api/children/:id/return',
    { config: { access: 'child.approve' }, schema: { tags, summary: 'Return a registration with a comment', params, body: ReturnInput, response: { 200: ChildDetail } } },
    (req) => returnRegistration(deps, contextOf(req), req.params.id, req.body.comment),
  );
  app.post(
    '/api/children/:id/close',
    { config: { access: 'child.close' }, schema: { tags, summary: 'Close a file (a director’s closure awaits approval)', params, body: CloseInput, response: { 200: ChildDetail } } },
    (req) => closeChild(deps, contextOf(req), req.params.id, req.body.reason, req.body.note),
  );
  app.post(
    '/api/children/:id/approve-closure',
    { config: { access: 'child.approve' }, schema: { tags, summary: 'Approve a requested closure', params, body: ReviewInput, response: { 200: ChildDetail } } },
    (req) => approveClosure(deps, contextOf(req), req.params.id, req.body.comment),
  );
  app.post(
    '/api/children/:id/reject-closure',
    { config: { access: 'child.approve' }, schema: { tags, summary: 'Reject a requested closure', params, body: ReturnInput, response: { 200: ChildDetail } } },
    (req) => rejectClosure(deps, contextOf(req), req.params.id, req.body.comment),
  );
  app.post(
    '/api/children/:id/transfer',
    { config: { access: 'child.transfer' }, schema: { tags, summary: 'Move the child to another village, keeping its history', params, body: TransferInput, response: { 200: ChildDetail } } },
    (req) => transferChild(deps, contextOf(req), req.params.id, req.body.regionCode, req.body.note),
  );
  app.post(
    '/api/children/:id/categories',
    { config: { access: 'child.override' }, schema: { tags, summary: 'Override a derived category with a reason (value null clears)', params, body: OverrideInput, response: { 200: ChildDetail } } },
    (req) => overrideCategory(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/children/:id/reveal',
    { config: { access: 'child.reveal' }, schema: { tags, summary: 'Reveal one protected number (audited)', params, body: RevealInput, response: { 200: RevealResult } } },
    (req) => revealField(deps, contextOf(req), req.params.id, req.body.field),
  );
}
