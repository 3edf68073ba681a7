import { z } from 'zod';
import { Id, UserCreateInput, UserListQuery, UserPage, UserRecord, UserUpdateInput, UserWithPassword } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { createUser, getUser, listUsersInScope, resetUserPassword, updateUserByAdmin } from './users.service.js';

const params = z.object({ id: Id });

export function usersRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['users']);
  route.get('/api/users', 'user.read', { summary: 'Accounts in scope', query: UserListQuery, response: UserPage }, ({ ctx, query }) => listUsersInScope(deps, ctx, query));
  route.get('/api/users/:id', 'user.read', { summary: 'One account (audited read)', params, response: UserRecord }, ({ ctx, params }) => getUser(deps, ctx, params.id));
  route.post('/api/users', 'user.manage', { summary: 'Create an account; returns a temporary password once', body: UserCreateInput, response: UserWithPassword, status: 201 }, ({ ctx, body }) => createUser(deps, ctx, body));
  route.patch('/api/users/:id', 'user.manage', { summary: 'Edit, disable or enable an account', params, body: UserUpdateInput, response: UserRecord }, ({ ctx, params, body }) => updateUserByAdmin(deps, ctx, params.id, body));
  route.post('/api/users/:id/reset-password', 'user.manage', { summary: 'Reset the password; returns a temporary password once', params, response: UserWithPassword }, ({ ctx, params }) => resetUserPassword(deps, ctx, params.id));
}
