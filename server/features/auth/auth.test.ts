import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Me, UserWithPassword } from '../../../domain/api.js';
import { DEMO_PASSWORD, createTestApp, dialectUnderTest, signIn, sessionFrom, type Session, type TestApp } from '../../test/harness.js';

const MINUTE = 60_000;

describe(`auth: sign-in, sessions, passwords (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let countyAdmin: Session;
  /** The villages of 鹤城区; each has a demo director, and each test below takes its own. */
  let V: string[] = [];
  const dir = (i: number) => `director-${V[i]!}`;

  beforeAll(async () => {
    t = await createTestApp();
    V = (await t.deps.db.selectFrom('regions').select('code').where('level', '=', 'village').where('code', 'like', '431202%').orderBy('code').execute()).map(
      (r) => r.code,
    );
    countyAdmin = await signIn(t, 'county-431202');
  });
  afterAll(() => t.close());

  const login = (username: string, password: string, headers: Record<string, string> = {}, client: { remoteAddress?: string } = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers, ...client });
  const me = (s: Session, headers: Record<string, string> = {}) => s.request('GET', '/api/me', undefined, headers);
  const errorOf = (res: { json: () => unknown }) => (res.json() as ErrorBody).error;
  const auditActions = async (username: string) =>
    (await t.deps.db.selectFrom('audit_log').select('action').where('actor_username', '=', username).orderBy('seq').execute()).map((r) => r.action);
  /** Keeps the county admin's session alive across tests that move the clock. */
  const admin = async () => {
    countyAdmin = await signIn(t, 'county-431202');
    return countyAdmin;
  };

  describe('sign-in', () => {
    it('sets an HttpOnly, SameSite=Lax session cookie and returns who I am, my scope and my permissions', async () => {
      const res = await login('county-431202', DEMO_PASSWORD);
      expect(res.statusCode).toBe(200);
      const setCookie = [res.headers['set-cookie']].flat().join('\n');
      expect(setCookie).toMatch(/^shouhu_session=[^;]{20,};/);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
      expect(setCookie).toMatch(/;\s*Path=\//i);
      const body = res.json<Me>();
      expect(body.user).toMatchObject({ username: 'county-431202', role: 'county_admin', locale: 'zh-CN', mustChangePassword: false });
      expect(body.scope.kind).toBe('region');
      expect(body.scope.region).toEqual({ code: '431202000000', name: '鹤城区', level: 'county' });
      expect(body.scope.path.map((r) => r.name)).toEqual(['湖南省', '怀化市', '鹤城区']);
      expect(body.permissions).toEqual(expect.arrayContaining(['region.read', 'coverage.read', 'user.read', 'user.manage', 'audit.read']));
      expect(body.csrfToken.length).toBeGreaterThanOrEqual(16);
      // Nothing secret travels back.
      expect(res.body).not.toMatch(/scrypt|password_hash|passwordHash/);
    });

    it('gives a director his village as scope and no administrative permissions', async () => {
      const s = await signIn(t, 'director-431202001201');
      const body = (await me(s)).json() as Me;
      expect(body.user.role).toBe('director');
      expect(body.scope.region.code).toBe('431202001201');
      expect(body.scope.path.map((r) => r.code)).toEqual(['430000000000', '431200000000', '431202000000', '431202001000', '431202001201']);
      expect(body.scope.path.slice(1, 3).map((r) => r.name)).toEqual(['怀化市', '鹤城区']);
      expect(body.permissions).toEqual(expect.arrayContaining(['region.read', 'child.read', 'child.register']));
      expect(body.permissions.filter((p) => /^(user|audit|organisation|coverage)\./.test(p))).toEqual([]);
    });

    it('gives an agency account its organisation as scope', async () => {
      const s = await signIn(t, 'agency-police');
      const body = (await me(s)).json() as Me;
      expect(body.scope).toMatchObject({ kind: 'organisation', organisation: { kind: 'police', name: '怀化市公安局' } });
    });

    it('issues a distinct session and CSRF token per sign-in', async () => {
      const a = await signIn(t, dir(2));
      const b = await signIn(t, dir(2));
      expect(a.cookie).not.toBe(b.cookie);
      expect(a.csrf).not.toBe(b.csrf);
      expect((await me(a)).status).toBe(200);
      expect((await me(b)).status).toBe(200);
    });

    it('refuses a wrong password with 401 BAD_CREDENTIALS, in Chinese by default and in English when asked', async () => {
      const zh = await login(dir(3), 'wrong-password1');
      expect(zh.statusCode).toBe(401);
      expect(zh.headers['set-cookie']).toBeUndefined();
      expect(errorOf(zh)).toEqual({ code: 'BAD_CREDENTIALS', message: '用户名或密码错误；连续多次输错后，须等待 15 分钟再试' });
      const en = await login(dir(3), 'wrong-password1', { 'accept-language': 'en-US,en;q=0.9' });
      expect(en.statusCode).toBe(401);
      expect(errorOf(en)).toEqual({ code: 'BAD_CREDENTIALS', message: 'Wrong username or password; after repeated mistakes, wait 15 minutes before trying again' });
    });

    it('answers an unknown username exactly as a wrong password, so that usernames cannot be probed', async () => {
      const unknown = await login('director-999999999999', 'wrong-password1');
      const wrong = await login(dir(4), 'wrong-password1');
      expect(unknown.statusCode).toBe(wrong.statusCode);
      expect(unknown.json()).toEqual(wrong.json());
    });

    it('rejects a login body without a password as a validation error naming the field', async () => {
      const res = await login(dir(4), '');
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION', field: 'password' });
    });

    // Issue 11 §5: the lock is per (account, address) and answers exactly like a wrong password (before: 423 for everyone).
    it('after 5 failures locks that address out of the account, even against the right password, answered as a wrong password, until the lock time has passed', async () => {
      const username = dir(5);
      const from = { remoteAddress: '203.0.113.5' };
      for (let i = 1; i <= 5; i++) expect((await login(username, `wrong-${i}x`, {}, from)).statusCode).toBe(401);

      const right = await login(username, DEMO_PASSWORD, {}, from);
      const wrong = await login(username, 'wrong-6x', {}, from);
      expect(right.statusCode).toBe(401);
      expect(right.body).toBe(wrong.body);
      expect(right.headers['set-cookie']).toBeUndefined();

      // The admin sees the lock.
      const list = (await (await admin()).request('GET', `/api/users?q=${username}`)).json() as { items: { locked: boolean }[] };
      expect(list.items[0]?.locked).toBe(true);

      t.clock.advance(14 * MINUTE);
      expect((await login(username, DEMO_PASSWORD, {}, from)).statusCode).toBe(401);
      t.clock.advance(1 * MINUTE + 1000);
      expect((await login(username, DEMO_PASSWORD, {}, from)).statusCode).toBe(200);
    });

    it('counts only consecutive failures: a successful sign-in resets the count', async () => {
      const username = dir(6);
      for (let i = 0; i < 4; i++) expect((await login(username, 'wrong-pass1')).statusCode).toBe(401);
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await login(username, 'wrong-pass1')).statusCode).toBe(401);
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('refuses a disabled account even with the right password', async () => {
      const username = dir(7);
      const found = (await (await admin()).request('GET', `/api/users?q=${username}`)).json() as { items: { id: string }[] };
      const id = found.items[0]!.id;
      expect((await countyAdmin.request('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
      const res = await login(username, DEMO_PASSWORD);
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('ACCOUNT_DISABLED');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await countyAdmin.request('PATCH', `/api/users/${id}`, { disabled: false })).status).toBe(200);
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('records auth.login, auth.login_failed and auth.logout in the audit log', async () => {
      const username = dir(8);
      expect((await login(username, 'not-my-pass1')).statusCode).toBe(401);
      const s = await signIn(t, username);
      expect((await s.request('POST', '/api/auth/logout')).status).toBe(200);
      expect(await auditActions(username)).toEqual(['auth.login_failed', 'auth.login', 'auth.logout']);
      // An unknown username is recorded too, with the name that was tried.
      await login('nobody-at-all', 'x1234567');
      const rows = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login_failed').where('actor_id', 'is', null).execute();
      expect(rows.some((r) => r.details?.includes('nobody-at-all'))).toBe(true);
    });
  });

  describe('sessions', () => {
    it('expires after 60 idle minutes but stays alive while used', async () => {
      const s = await signIn(t, dir(9));
      t.clock.advance(59 * MINUTE);
      expect((await me(s)).status).toBe(200);
      t.clock.advance(59 * MINUTE); // 118 min after sign-in, 59 after the last request
      expect((await me(s)).status).toBe(200);
      t.clock.advance(61 * MINUTE);
      const res = await me(s);
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('SESSION_EXPIRED');
      // The expired session is gone for good.
      expect((await me(s)).status).toBe(401);
    });

    it('expires 12 hours after sign-in even when used all the time', async () => {
      const s = await signIn(t, dir(10));
      for (let i = 0; i < 23; i++) {
        t.clock.advance(30 * MINUTE);
        expect((await me(s)).status, `after ${(i + 1) * 30} minutes`).toBe(200);
      }
      t.clock.advance(29 * MINUTE); // 11 h 59 min
      expect((await me(s)).status).toBe(200);
      t.clock.advance(1 * MINUTE); // 12 h
      const res = await me(s);
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe('SESSION_EXPIRED');
    });

    it('answers a request without a session with 401 UNAUTHENTICATED', async () => {
      const res = await t.app.inject({ url: '/api/me' });
      expect(res.statusCode).toBe(401);
      expect(res.json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
      const forged = await t.app.inject({ url: '/api/regions', headers: { cookie: 'shouhu_session=forged-token' } });
      expect(forged.statusCode).toBe(401);
    });

    it('signing out ends the session and clears the cookie', async () => {
      const s = await signIn(t, dir(11));
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
      expect(res.statusCode).toBe(200);
      expect([res.headers['set-cookie']].flat().join('\n')).toMatch(/shouhu_session=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/i);
      const after = await me(s);
      expect(after.status).toBe(401);
      expect(errorOf(after).code).toBe('UNAUTHENTICATED');
    });
  });

  describe('CSRF and origin checks', () => {
    it('refuses a write without the x-csrf-token header, and nothing changes', async () => {
      const s = await signIn(t, dir(12));
      const res = await t.app.inject({ method: 'PATCH', url: '/api/me/preferences', headers: { cookie: s.cookie }, payload: { locale: 'en-US' } });
      expect(res.statusCode).toBe(403);
      expect(res.json<ErrorBody>().error.code).toBe('CSRF');
      expect(((await me(s)).json() as Me).user.locale).toBe('zh-CN');
    });

    it('refuses a write carrying the CSRF token of another session', async () => {
      const mine = await signIn(t, dir(12));
      const other = await signIn(t, dir(13));
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/api/me/preferences',
        headers: { cookie: mine.cookie, 'x-csrf-token': other.csrf },
        payload: { locale: 'en-US' },
      });
      expect(res.statusCode).toBe(403);
      expect(((await me(mine)).json() as Me).user.locale).toBe('zh-CN');
    });

    it('refuses an admin write without the token: no account is created', async () => {
      const s = await admin();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: s.cookie },
        payload: { username: 'csrf-victim', displayName: '测试', role: 'director', regionCode: V[1]! },
      });
      expect(res.statusCode).toBe(403);
      expect(await t.deps.db.selectFrom('users').select('id').where('username', '=', 'csrf-victim').executeTakeFirst()).toBeUndefined();
    });

    it('refuses writes sent from a foreign Origin, even with a valid token, and sign-ins from one', async () => {
      const s = await signIn(t, dir(14));
      const res = await s.request('PATCH', '/api/me/preferences', { locale: 'en-US' }, { host: 'shouhu.test', origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('CSRF');
      expect(((await me(s)).json() as Me).user.locale).toBe('zh-CN');

      const crossSite = await s.request('PATCH', '/api/me/preferences', { locale: 'en-US' }, { 'sec-fetch-site': 'cross-site' });
      expect(crossSite.status).toBe(403);

      const forgedLogin = await login(dir(14), DEMO_PASSWORD, { host: 'shouhu.test', origin: 'https://evil.example' });
      expect(forgedLogin.statusCode).toBe(403);
      expect(forgedLogin.headers['set-cookie']).toBeUndefined();

      // The same request from our own origin goes through.
      const same = await s.request('PATCH', '/api/me/preferences', { locale: 'en-US' }, { host: 'shouhu.test', origin: 'https://shouhu.test' });
      expect(same.status).toBe(200);
      expect(((await me(s)).json() as Me).user.locale).toBe('en-US');
    });
  });

  describe('passwords', () => {
    it('refuses a wrong current password (400, field currentPassword) and a weak new one (400 WEAK_PASSWORD)', async () => {
      const s = await signIn(t, dir(15));
      const wrong = await s.request('POST', '/api/me/password', { currentPassword: 'not-it-123', newPassword: 'Better-pass-42' });
      expect(wrong.status).toBe(400);
      expect(errorOf(wrong)).toMatchObject({ code: 'WRONG_PASSWORD', field: 'currentPassword' });
      for (const weak of ['short1', 'onlyletterspassword', '12345678901']) {
        const res = await s.request('POST', '/api/me/password', { currentPassword: DEMO_PASSWORD, newPassword: weak });
        expect(res.status, weak).toBe(400);
        expect(errorOf(res), weak).toMatchObject({ code: 'WEAK_PASSWORD', field: 'newPassword' });
      }
      const same = await s.request('POST', '/api/me/password', { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD });
      expect(same.status).toBe(400);
      expect(errorOf(same).field).toBe('newPassword');
      // None of these changed anything.
      expect((await login(dir(15), DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('a changed password replaces the old one and signs out the other sessions of that user', async () => {
      const username = dir(16);
      const here = await signIn(t, username);
      const elsewhere = await signIn(t, username);
      const other = await signIn(t, dir(17));
      const res = await here.request('POST', '/api/me/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Shouhu-2026x' });
      expect(res.status).toBe(200);
      expect((await me(here)).status).toBe(200);
      expect((await me(elsewhere)).status).toBe(401);
      expect((await me(other)).status).toBe(200);
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(401);
      expect((await login(username, 'Shouhu-2026x')).statusCode).toBe(200);
      expect(await auditActions(username)).toContain('auth.password_change');
    });

    it('a new account must change its first password: every other route answers 403 PASSWORD_CHANGE_REQUIRED until it does', async () => {
      const created = await (await admin()).request('POST', '/api/users', {
        username: 'first-login-director',
        displayName: '新主任',
        role: 'director',
        regionCode: V[18]!,
      });
      expect(created.status).toBe(201);
      const { user, temporaryPassword } = created.json() as UserWithPassword;
      const s = await signIn(t, user.username, temporaryPassword);
      expect(((await me(s)).json() as Me).user.mustChangePassword).toBe(true);

      // The language can be switched on the forced change-password page too.
      const allowed = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/auth/logout', 'PATCH /api/me/preferences']);
      const leaks: string[] = [];
      for (const route of t.routes) {
        const key = `${route.method} ${route.url}`;
        if (!route.url.startsWith('/api/') || !route.access || route.access === 'public' || allowed.has(key)) continue;
        const url = route.url.replace(':id', user.id).replace(':code', '431202001218');
        const res = await s.request(route.method, url, route.method === 'GET' ? undefined : {});
        const code = res.status === 403 ? (res.json() as ErrorBody).error.code : null;
        if (code !== 'PASSWORD_CHANGE_REQUIRED') leaks.push(`${key} → ${res.status} ${code ?? ''}`.trim());
      }
      expect(leaks).toEqual([]);

      const changed = await s.request('POST', '/api/me/password', { currentPassword: temporaryPassword, newPassword: 'Mine-2026abc' });
      expect(changed.status).toBe(200);
      expect(((await me(s)).json() as Me).user.mustChangePassword).toBe(false);
      expect((await s.request('GET', '/api/regions')).status).toBe(200);
    });

    it('the sign-out stays possible before the first password change', async () => {
      const created = await (await admin()).request('POST', '/api/users', {
        username: 'first-login-leaver',
        displayName: '新主任',
        role: 'director',
        regionCode: V[19]!,
      });
      const { temporaryPassword } = created.json() as UserWithPassword;
      const s = await signIn(t, 'first-login-leaver', temporaryPassword);
      expect((await s.request('GET', '/api/regions')).status).toBe(403);
      expect((await s.request('POST', '/api/auth/logout')).status).toBe(200);
      expect((await me(s)).status).toBe(401);
    });
  });

  describe('preferences', () => {
    it('the chosen language is kept across sessions and used for errors when the browser sends no Accept-Language', async () => {
      const username = dir(20);
      const s = await signIn(t, username);
      const notFoundZh = await s.request('GET', '/api/regions/431221000000');
      expect(notFoundZh.status).toBe(404);
      expect(errorOf(notFoundZh).message).toBe('记录不存在');

      const res = await s.request('PATCH', '/api/me/preferences', { locale: 'en-US' });
      expect(res.status).toBe(200);
      expect((res.json() as Me).user.locale).toBe('en-US');

      const again = await signIn(t, username);
      expect(((await me(again)).json() as Me).user.locale).toBe('en-US');
      const notFoundEn = await again.request('GET', '/api/regions/431221000000');
      expect(errorOf(notFoundEn)).toEqual({ code: 'NOT_FOUND', message: 'Not found' });
      // An explicit Accept-Language still wins.
      const asked = await again.request('GET', '/api/regions/431221000000', undefined, { 'accept-language': 'zh-CN' });
      expect(errorOf(asked).message).toBe('记录不存在');
    });

    it('refuses an unsupported language with a validation error naming the field', async () => {
      const s = await signIn(t, dir(21));
      const res = await s.request('PATCH', '/api/me/preferences', { locale: 'fr-FR' });
      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION', field: 'locale' });
    });
  });

  it('the session of another user cannot be used with my CSRF token (cookie decides who I am)', async () => {
    const a = await signIn(t, dir(22));
    const b = await signIn(t, dir(23));
    const mixed = sessionFrom(t, a.username, a.cookie, b.csrf);
    expect((await mixed.request('PATCH', '/api/me/preferences', { locale: 'en-US' })).status).toBe(403);
  });
});
