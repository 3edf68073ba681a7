/**
 * Runs before every /api route: resolves the session, enforces the route's
 * declared access, the first-password change and the CSRF defences.
 */
import type { FastifyRequest } from 'fastify';
import { actorCan } from '../../../domain/access.js';
import { ORGANISATION_ROLES, type Role } from '../../../domain/roles.js';
import { requirePermission } from '../../core/access.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import type { Api } from '../../core/http.js';
import { resolveSession } from './auth.service.js';

export const SESSION_COOKIE = 'shouhu_session';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Browsers send Origin (and Sec-Fetch-Site) on cross-site writes: refuse those outright. */
function assertSameOrigin(req: FastifyRequest): void {
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new AppError('CSRF');
  const origin = req.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('CSRF');
  }
  // req.host honours X-Forwarded-Host when TRUST_PROXY=1 (behind a reverse proxy).
  if (host !== req.host) throw new AppError('CSRF');
}

export function registerAuthHooks(app: Api, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);

  // Fail closed: an /api route without an access declaration stops the server from starting.
  app.addHook('onRoute', (route) => {
    // The documentation's pages and files (registered by @fastify/swagger-ui) are for signed-in staff.
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, access: 'api.docs' };
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    const access = config.access;
    if (!access) return; // static files, the web app, metrics
    const mutating = MUTATING.has(req.method);
    if (mutating) assertSameOrigin(req);
    if (access === 'public') return;

    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('UNAUTHENTICATED');
    const session = await resolveSession(deps, token);
    req.actor = session.actor;
    req.sessionId = session.sessionId;
    req.csrfToken = session.csrfToken;

    if (mutating && config.csrf !== false && req.headers['x-csrf-token'] !== session.csrfToken) throw new AppError('CSRF');
    if (access === 'session') return;
    if (session.actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (access === 'authenticated') return;
    // An organisation's user (agency, school, volunteer) sees only what is referred or assigned to
    // its organisation: any other record, and every route about a record his role cannot use (a
    // child's full file, a staff referral), is for him one that does not exist — 404, not 403.
    if (isOrganisationRole(session.actor.role) && req.routeOptions.url?.includes('/:') && !actorCan(session.actor, access)) throw new AppError('NOT_FOUND');
    requirePermission(session.actor, access);
  });
}

const isOrganisationRole = (role: Role) => (ORGANISATION_ROLES as readonly Role[]).includes(role);
