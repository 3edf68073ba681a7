import { LoginInput, Me, Ok, PreferencesInput, ChangePasswordInput } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { dummyPasswordHash } from '../../core/passwords.js';
import { perAddressAndOverall } from '../../core/rate-limit.js';
import { contextOf, type Api } from '../../core/http.js';
import { SESSION_COOKIE } from './auth.hooks.js';
import { buildMe, changePassword, login, logout, setPreferences } from './auth.service.js';

export function authRoutes(app: Api, deps: Deps): void {
  // Secure when configured, or when the request itself arrived over HTTPS (TRUST_PROXY=1 behind a proxy).
  const cookieOptions = (protocol: string) => ({ httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies || protocol === 'https', path: '/' }) as const;
  const sessionOf = (req: { sessionId: string | null; csrfToken: string | null }) => {
    if (!req.sessionId || !req.csrfToken) throw new AppError('UNAUTHENTICATED');
    return { id: req.sessionId, csrf: req.csrfToken };
  };

  // The first unknown username must not take longer than later ones: the dummy hash is made before listening.
  app.addHook('onReady', async () => {
    await dummyPasswordHash();
  });
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      // Per client address, then for everyone together (LOGIN_RATE_PER_ADDRESS, LOGIN_RATE_GLOBAL a minute).
      onRequest: perAddressAndOverall(app, deps.config.loginRatePerAddress, deps.config.loginRateGlobal),
      schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: LoginInput, response: { 200: Me } },
    },
    async (req, reply) => {
      const result = await login(deps, req.body, { ip: req.ip, requestId: String(req.id), userAgent: req.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, result.sessionToken, cookieOptions(req.protocol));
      return result.me;
    },
  );
  app.post(
    '/api/auth/logout',
    { config: { access: 'session', csrf: false }, schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok } } },
    async (req, reply) => {
      await logout(deps, contextOf(req), sessionOf(req).id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );
  app.get(
    '/api/me',
    { config: { access: 'session' }, schema: { tags: ['auth'], summary: 'The signed-in user, role, scope and permissions', response: { 200: Me } } },
    (req) => buildMe(deps, contextOf(req).actor, sessionOf(req).csrf),
  );
  app.patch(
    '/api/me/preferences',
    { config: { access: 'session' }, schema: { tags: ['auth'], summary: 'Set the interface language', body: PreferencesInput, response: { 200: Me } } },
    async (req) => {
      const ctx = contextOf(req);
      await setPreferences(deps, ctx, req.body.locale);
      return buildMe(deps, { ...ctx.actor, locale: req.body.locale }, sessionOf(req).csrf);
    },
  );
  app.post(
    '/api/me/password',
    { config: { access: 'session' }, schema: { tags: ['auth'], summary: 'Change the own password', body: ChangePasswordInput, response: { 200: Ok } } },
    async (req) => {
      await changePassword(deps, contextOf(req), sessionOf(req).id, req.body);
      return { ok: true as const };
    },
  );
}
