import { z } from 'zod';
import { Id, UserCreateInput, UserListQuery, UserPage, UserRecord, UserUpdateInput, UserWithPassword } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { contextOf, type Api } from '../../core/http.js';
import { createUser, getUser, listUsersInScope, resetUserPassword, updateUserByAdmin } from './users.service.js';

const params = z.object({ id: Id });

export function usersRoutes(app: Api, deps: Deps): void {
  app.get(
    '/api/users',
    { config: { access: 'user.read' }, schema: { tags: ['users'], summary: 'Accounts in scope', querystring: UserListQuery, response: { 200: UserPage } } },
    (req) => listUsersInScope(deps, contextOf(req), req.query),
  );
  app.get(
    '/api/users/:id',
    { config: { access: 'user.read' }, schema: { tags: ['users'], summary: 'One account (audited read)', params, response: { 200: UserRecord } } },
    (req) => getUser(deps, contextOf(req), req.params.id),
  );
  app.post(
    '/api/users',
    {
      config: { access: 'user.manage' },
      schema: { tags: ['users'], summary: 'Create an account; returns a temporary password once', body: UserCreateInput, response: { 201: UserWithPassword } },
    },
    async (req, reply) => reply.status(201).send(await createUser(deps, contextOf(req), req.body)),
  );
  app.patch(
    '/api/users/:id',
    { config: { access: 'user.manage' }, schema: { tags: ['users'], summary: 'Edit, disable or enable an account', params, body: UserUpdateInput, response: { 200: UserRecord } } },
    (req) => updateUserByAdmin(deps, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/users/:id/reset-password',
    { config: { access: 'user.manage' }, schema: { tags: ['users'], summary: 'Reset the password; returns a temporary password once', params, response: { 200: UserWithPassword } } },
    (req) => resetUserPassword(deps, contextOf(req), req.params.id),
  );
}
