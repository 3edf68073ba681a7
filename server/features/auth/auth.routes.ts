import { LoginInput, Me, Ok, PhoneInput, PreferencesInput, ChangePasswordInput } from '../../../domain/api.js';
import type { Deps } from '../../core/deps.js';
import { AppError } from '../../core/errors.js';
import { dummyPasswordHash } from '../../core/passwords.js';
import { perAddressAndOverall } from '../../core/rate-limit.js';
import type { Api } from '../../core/http.js';
import { routesOf } from '../../core/route.js';
import { SESSION_COOKIE } from './auth.hooks.js';
import { buildMe, changePassword, login, logout, setOwnPhone, setPreferences } from './auth.service.js';

export function authRoutes(app: Api, deps: Deps): void {
  const route = routesOf(app, ['auth']);
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
  // Per client address, then for everyone together (LOGIN_RATE_PER_ADDRESS, LOGIN_RATE_GLOBAL a minute).
  const loginLimit = perAddressAndOverall(app, deps.config.loginRatePerAddress, deps.config.loginRateGlobal);
  route.post('/api/auth/login', 'public', { summary: 'Sign in; sets the session cookie', body: LoginInput, response: Me, onRequest: loginLimit }, async ({ body, req, reply }) => {
    const result = await login(deps, body, { ip: req.ip, requestId: String(req.id), userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, result.sessionToken, cookieOptions(req.protocol));
    return result.me;
  });
  route.post('/api/auth/logout', 'session', { summary: 'Sign out', response: Ok, config: { csrf: false } }, async ({ ctx, req, reply }) => {
    await logout(deps, ctx, sessionOf(req).id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });
  route.get('/api/me', 'session', { summary: 'The signed-in user, role, scope and permissions', response: Me }, ({ ctx, req }) => buildMe(deps, ctx.actor, sessionOf(req).csrf));
  route.patch('/api/me/preferences', 'session', { summary: 'Set the interface language', body: PreferencesInput, response: Me }, async ({ ctx, body, req }) => {
    await setPreferences(deps, ctx, body.locale);
    return buildMe(deps, { ...ctx.actor, locale: body.locale }, sessionOf(req).csrf);
  });
  route.patch('/api/me/phone', 'authenticated', { summary: 'Set or clear the own work phone (printed on the guardianship letters that name this user)', body: PhoneInput, response: Me }, async ({ ctx, body, req }) => {
    const phone = await setOwnPhone(deps, ctx, body.phone);
    return buildMe(deps, { ...ctx.actor, phone }, sessionOf(req).csrf);
  });
  route.post('/api/me/password', 'session', { summary: 'Change the own password', body: ChangePasswordInput, response: Ok }, async ({ ctx, body, req }) => {
    await changePassword(deps, ctx, sessionOf(req).id, body);
    return { ok: true as const };
  });
}
