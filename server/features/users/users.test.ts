import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Me, RegionDetail, UserRecord, UserWithPassword } from '../../../domain/api.js';
import { DEMO_PASSWORD, OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

type UserPage = { items: UserRecord[]; total: number; page: number; pageSize: number };

describe(`users (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let county: Session;
  let city: Session;

  beforeAll(async () => {
    t = await createTestApp();
    [county, city] = await Promise.all([signIn(t, 'county-431202'), signIn(t, 'city-431200')]);
  });
  afterAll(() => t.close());

  const list = async (s: Session, query: string) => {
    const res = await s.request('GET', `/api/users?${query}`);
    expect(res.status, `${s.username} /api/users?${query}: ${res.body}`).toBe(200);
    return res.json() as UserPage;
  };
  const byName = async (s: Session, username: string) => {
    const found = (await list(s, `q=${encodeURIComponent(username)}`)).items.find((u) => u.username === username);
    if (!found) throw new Error(`${username} not visible to ${s.username}`);
    return found;
  };
  const errorOf = (res: { json: () => unknown }) => (res.json() as ErrorBody).error;
  const count = async (table: 'users' | 'audit_log' | 'sessions') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const auditRowsSince = async (seq: number) => t.deps.db.selectFrom('audit_log').selectAll().where('seq', '>', seq).orderBy('seq').execute();
  const lastSeq = async () => Number((await t.deps.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);
  const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  describe('listing', () => {
    it('pages through every account in scope exactly once, and nothing outside it', async () => {
      const first = await list(county, 'pageSize=50');
      expect(first.page).toBe(1);
      expect(first.pageSize).toBe(50);
      expect(first.items).toHaveLength(50);
      const seen = new Set<string>();
      const pages = Math.ceil(first.total / 50);
      for (let page = 1; page <= pages; page++) {
        const { items } = await list(county, `pageSize=50&page=${page}`);
        for (const u of items) {
          expect(u.regionCode?.startsWith('431202'), u.username).toBe(true);
          seen.add(u.id);
        }
      }
      expect(seen.size).toBe(first.total);
      expect((await list(county, `pageSize=50&page=${pages + 1}`)).items).toEqual([]);

      // The total agrees with the network: one director per village, one supervisor per township.
      const detail = (await county.request('GET', '/api/regions/431202000000')).json() as RegionDetail;
      expect((await list(county, 'role=director')).total).toBe(detail.counts.villages);
      expect((await list(county, 'role=supervisor')).total).toBe(detail.counts.townships);
      const roles = ['director', 'supervisor', 'county_admin', 'city_admin', 'school', 'agency', 'volunteer', 'sysadmin'];
      let sum = 0;
      for (const role of roles) sum += (await list(county, `role=${role}&pageSize=1`)).total;
      expect(sum).toBe(first.total);
      // The city-wide agencies and admins sit above the county: not in its list.
      expect((await list(county, 'role=city_admin')).total).toBe(0);
      expect((await list(county, 'q=agency-police')).total).toBe(0);
      expect((await list(county, 'q=county-431221')).total).toBe(0);
    });

    it('never lists the 长沙 accounts, whoever asks', async () => {
      for (const s of [county, city, await signIn(t, 'sysadmin')]) {
        expect((await list(s, 'q=430102')).total, s.username).toBe(0);
      }
      const all = await list(city, 'pageSize=200&role=county_admin');
      expect(all.items.map((u) => u.username)).not.toContain(OUTSIDE.countyAdmin);
      expect(all.total).toBe(13);
    });

    it('filters by role, by text and by region', async () => {
      const supervisors = await list(county, 'role=supervisor&pageSize=200');
      expect(supervisors.items.length).toBeGreaterThan(0);
      expect(supervisors.items.every((u) => u.role === 'supervisor')).toBe(true);

      const q = await list(county, 'q=director-431202001&pageSize=200');
      expect(q.total).toBeGreaterThan(0);
      expect(q.items.every((u) => u.username.startsWith('director-431202001'))).toBe(true);

      const region = await list(county, 'region=431202001000&pageSize=200');
      expect(region.items.every((u) => u.regionCode?.startsWith('431202001'))).toBe(true);
      const villagesOfTownship = ((await county.request('GET', '/api/regions/431202001000')).json() as RegionDetail).counts.villages;
      expect(region.items.filter((u) => u.role === 'director')).toHaveLength(villagesOfTownship);
      expect(region.items.filter((u) => u.role === 'supervisor').map((u) => u.username)).toEqual(['supervisor-431202001000']);

      const combined = await list(county, 'region=431202001000&role=director&q=201');
      expect(combined.items.map((u) => u.username)).toEqual(['director-431202001201']);
      // Display names are searched too.
      const someone = region.items[0]!;
      expect((await list(county, `q=${encodeURIComponent(someone.displayName)}`)).items.map((u) => u.id)).toContain(someone.id);
    });

    it('answers a region filter outside scope with 404, not an empty or a foreign list', async () => {
      expect((await county.request('GET', '/api/users?region=431221000000')).status).toBe(404);
      expect((await city.request('GET', `/api/users?region=${OUTSIDE.county}`)).status).toBe(404);
      expect((await county.request('GET', '/api/users?region=4312')).status).toBe(400);
    });

    it('sorts by username in both directions', async () => {
      const asc = (await list(county, 'role=supervisor&sort=username&pageSize=200')).items.map((u) => u.username);
      expect(asc).toEqual([...asc].sort());
      const desc = (await list(county, 'role=supervisor&sort=-username&pageSize=200')).items.map((u) => u.username);
      expect(desc).toEqual([...asc].reverse());
      expect((await county.request('GET', '/api/users?sort=password')).status).toBe(400);
    });

    it('sorting by last sign-in, newest first, starts with the most recent sign-ins', async () => {
      t.clock.advance(60_000);
      await signIn(t, 'director-431202002201');
      t.clock.advance(60_000);
      await signIn(t, 'director-431202002202');
      const { items } = await list(county, 'region=431202002000&sort=-lastLoginAt&pageSize=5');
      expect(items.slice(0, 2).map((u) => u.username)).toEqual(['director-431202002202', 'director-431202002201']);
      expect(items[0]!.lastLoginAt).toBe(t.clock.now().toISOString());
    });

    it('lets a supervisor read the accounts of his township only, and not manage them', async () => {
      const supervisor = await signIn(t, 'supervisor-431202001000');
      const page = await list(supervisor, 'pageSize=200');
      expect(page.items.every((u) => u.regionCode?.startsWith('431202001'))).toBe(true);
      expect(page.items.some((u) => u.username === 'director-431202001201')).toBe(true);
      const res = await supervisor.request('POST', '/api/users', { username: 'by-supervisor', displayName: '某', role: 'director', regionCode: '431202001201' });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    });

    it('is closed to a director', async () => {
      const director = await signIn(t, 'director-431202001201');
      expect((await director.request('GET', '/api/users')).status).toBe(403);
    });
  });

  describe('reading one account', () => {
    it('answers an account outside scope exactly like a missing one', async () => {
      const other = (await list(city, 'q=director-431221&pageSize=1')).items[0]!;
      const outside = await county.request('GET', `/api/users/${other.id}`);
      const missing = await county.request('GET', '/api/users/0190aaaa-0000-7000-8000-000000000000');
      expect(outside.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(outside.body).toBe(missing.body);
      // 长沙 for the city admin.
      const changsha = await t.deps.db.selectFrom('users').select('id').where('username', '=', OUTSIDE.director).executeTakeFirstOrThrow();
      expect((await city.request('GET', `/api/users/${changsha.id}`)).status).toBe(404);
      // A director of the city's own counties is readable by the city admin.
      expect((await city.request('GET', `/api/users/${other.id}`)).status).toBe(200);
    });

    it('appends a user.read audit row for each read, and none for a refused one', async () => {
      const target = await byName(county, 'director-431202001203');
      const before = await lastSeq();
      const res = await county.request('GET', `/api/users/${target.id}`);
      expect(res.status).toBe(200);
      expect((res.json() as UserRecord).username).toBe('director-431202001203');
      const rows = await auditRowsSince(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'user.read', actor_username: 'county-431202', target_id: target.id, region_code: '431202001203' });

      const other = (await list(city, 'q=director-431221&pageSize=1')).items[0]!;
      const afterRead = await lastSeq();
      expect((await county.request('GET', `/api/users/${other.id}`)).status).toBe(404);
      expect(await lastSeq()).toBe(afterRead);
    });
  });

  describe('creating', () => {
    it('creates a director in scope with a temporary password that signs in and must then be changed', async () => {
      const usersBefore = await count('users');
      const seq = await lastSeq();
      const res = await county.request('POST', '/api/users', { username: 'new.director-1', displayName: '  龙小梅 ', role: 'director', regionCode: '431202001204' });
      expect(res.status).toBe(201);
      const { user, temporaryPassword } = res.json() as UserWithPassword;
      expect(user).toMatchObject({
        username: 'new.director-1',
        displayName: '龙小梅',
        role: 'director',
        regionCode: '431202001204',
        disabled: false,
        locked: false,
        mustChangePassword: true,
        lastLoginAt: null,
      });
      expect(user.regionName).toBeTruthy();
      expect(temporaryPassword).toMatch(/^(?=.*[a-z])(?=.*\d).{8,}$/);
      expect(await count('users')).toBe(usersBefore + 1);
      const rows = await auditRowsSince(seq);
      expect(rows.map((r) => r.action)).toEqual(['user.create']);
      expect(rows[0]).toMatchObject({ target_id: user.id, region_code: '431202001204', actor_username: 'county-431202' });
      expect(rows[0]!.details).not.toContain(temporaryPassword);

      const s = await signIn(t, 'new.director-1', temporaryPassword);
      expect(((await s.request('GET', '/api/me')).json() as Me).user.mustChangePassword).toBe(true);
      expect((await s.request('GET', '/api/regions')).status).toBe(403);
      expect((await byName(county, 'new.director-1')).id).toBe(user.id);
    });

    it('refuses a username that is taken (409, field username) and writes nothing', async () => {
      const users = await count('users');
      const seq = await lastSeq();
      for (const username of ['director-431202001201', 'county-431221', OUTSIDE.director]) {
        const res = await county.request('POST', '/api/users', { username, displayName: '重复', role: 'director', regionCode: '431202001205' });
        expect(res.status, username).toBe(409);
        expect(errorOf(res), username).toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
      }
      expect(await count('users')).toBe(users);
      expect(await lastSeq()).toBe(seq);
    });

    it('simultaneous creations of one username: one succeeds, the others get 409, never a 500', async () => {
      // Two admins (or a double-click) submitting the same new account at once.
      for (let round = 0; round < 3; round++) {
        const body = { username: `race-director-${round}`, displayName: '并发', role: 'director', regionCode: '431202001206' };
        const results = await Promise.all([county, city, county, city, county, city].map((s) => s.request('POST', '/api/users', body)));
        const statuses = results.map((r) => r.status).sort();
        expect(statuses, `round ${round}: ${results.map((r) => r.body).join(' | ')}`).toEqual([201, 409, 409, 409, 409, 409]);
        expect(await t.deps.db.selectFrom('users').select('id').where('username', '=', body.username).execute()).toHaveLength(1);
      }
    });

    it('refuses a region of the wrong level for the role (400 REGION_LEVEL, field regionCode)', async () => {
      const users = await count('users');
      const cases: [string, string, RegExp][] = [
        ['director', '431202001000', /村/],
        ['supervisor', '431202001201', /乡镇/],
        ['supervisor', '431202000000', /乡镇/],
      ];
      for (const [role, regionCode, level] of cases) {
        const res = await county.request('POST', '/api/users', { username: `wrong-level-${role}`, displayName: '层级', role, regionCode });
        expect(res.status, `${role} at ${regionCode}`).toBe(400);
        expect(errorOf(res)).toMatchObject({ code: 'REGION_LEVEL', field: 'regionCode' });
        expect(errorOf(res).message).toMatch(level);
      }
      expect(await count('users')).toBe(users);
    });

    it('refuses a region outside scope (400, field regionCode) and writes nothing', async () => {
      const users = await count('users');
      const seq = await lastSeq();
      for (const regionCode of ['431221101201', OUTSIDE.village, '431202999201']) {
        const res = await county.request('POST', '/api/users', { username: 'out-of-scope', displayName: '越界', role: 'director', regionCode });
        expect(res.status, regionCode).toBe(400);
        expect(errorOf(res), regionCode).toMatchObject({ code: 'VALIDATION', field: 'regionCode' });
      }
      const missing = await county.request('POST', '/api/users', { username: 'no-region', displayName: '无区划', role: 'director' });
      expect(missing.status).toBe(400);
      expect(errorOf(missing).field).toBe('regionCode');
      expect(await count('users')).toBe(users);
      expect(await lastSeq()).toBe(seq);
    });

    it('refuses roles the admin may not create (403 ROLE_NOT_ALLOWED)', async () => {
      const users = await count('users');
      const cases: [Session, string, string][] = [
        [county, 'city_admin', '431200000000'],
        [county, 'county_admin', '431202000000'],
        [county, 'sysadmin', '431200000000'],
        [city, 'city_admin', '431200000000'],
      ];
      for (const [s, role, regionCode] of cases) {
        const res = await s.request('POST', '/api/users', { username: `escalate-${role}`, displayName: '提权', role, regionCode });
        expect(res.status, `${s.username} → ${role}`).toBe(403);
        expect(errorOf(res).code).toBe('ROLE_NOT_ALLOWED');
      }
      expect(await count('users')).toBe(users);
      // The city admin may create a county admin.
      const ok = await city.request('POST', '/api/users', { username: 'county-431202-deputy', displayName: '副局长', role: 'county_admin', regionCode: '431202000000' });
      expect(ok.status).toBe(201);
    });

    it('validates the username format and names the field', async () => {
      for (const username of ['Upper-Case', 'ab', '-leading', 'spa ce', '中文名']) {
        const res = await county.request('POST', '/api/users', { username, displayName: '格式', role: 'director', regionCode: '431202001207' });
        expect(res.status, username).toBe(400);
        expect(errorOf(res).field, username).toBe('username');
      }
    });
  });

  describe('managing', () => {
    it('resetting a password invalidates the old one, signs the user out and clears a lockout', async () => {
      const username = 'director-431202001208';
      const target = await byName(county, username);
      const session = await signIn(t, username);
      for (let i = 0; i < 5; i++) await login(username, `wrong-guess-${i}`);
      // Locked from this address: the right password is answered as a wrong one (issue 11 §5; before: 423).
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(401);
      expect((await byName(county, username)).locked).toBe(true);

      const seq = await lastSeq();
      const res = await county.request('POST', `/api/users/${target.id}/reset-password`);
      expect(res.status).toBe(200);
      const { user, temporaryPassword } = res.json() as UserWithPassword;
      expect(user).toMatchObject({ locked: false, mustChangePassword: true });
      expect((await auditRowsSince(seq)).map((r) => r.action)).toEqual(['user.reset_password']);

      expect((await session.request('GET', '/api/me')).status).toBe(401);
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(401);
      const fresh = await signIn(t, username, temporaryPassword);
      expect(((await fresh.request('GET', '/api/me')).json() as Me).user.mustChangePassword).toBe(true);
    });

    it('disabling an account signs it out at once; enabling lets it sign in again', async () => {
      const username = 'director-431202001209';
      const target = await byName(county, username);
      const a = await signIn(t, username);
      const b = await signIn(t, username);
      const seq = await lastSeq();
      const res = await county.request('PATCH', `/api/users/${target.id}`, { disabled: true });
      expect(res.status).toBe(200);
      expect((res.json() as UserRecord).disabled).toBe(true);
      expect((await a.request('GET', '/api/me')).status).toBe(401);
      expect((await b.request('GET', '/api/regions')).status).toBe(401);
      expect(await t.deps.db.selectFrom('sessions').select('id').where('user_id', '=', target.id).execute()).toEqual([]);
      expect((await list(county, `q=${username}&disabled=true`)).items.map((u) => u.id)).toEqual([target.id]);

      const enabled = await county.request('PATCH', `/api/users/${target.id}`, { disabled: false });
      expect((enabled.json() as UserRecord).disabled).toBe(false);
      expect((await auditRowsSince(seq)).map((r) => r.action)).toEqual(['user.disable', 'user.enable']);
      expect((await login(username, DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('nobody can disable his own account', async () => {
      const sysadmin = await signIn(t, 'sysadmin');
      const self = await byName(sysadmin, 'sysadmin');
      const res = await sysadmin.request('PATCH', `/api/users/${self.id}`, { disabled: true });
      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION', field: 'disabled' });
      expect((await sysadmin.request('GET', '/api/me')).status).toBe(200);

      const own = await byName(county, 'county-431202');
      const mine = await county.request('PATCH', `/api/users/${own.id}`, { disabled: true });
      expect(mine.status).toBeGreaterThanOrEqual(400);
      expect(mine.status).toBeLessThan(500);
      expect((await county.request('GET', '/api/me')).status).toBe(200);
      expect((await byName(county, 'county-431202')).disabled).toBe(false);
    });

    it('cannot touch an account outside scope: 404, nothing written', async () => {
      const other = (await list(city, 'q=director-431221&pageSize=1')).items[0]!;
      const seq = await lastSeq();
      expect((await county.request('PATCH', `/api/users/${other.id}`, { disabled: true })).status).toBe(404);
      expect((await county.request('POST', `/api/users/${other.id}/reset-password`)).status).toBe(404);
      expect((await city.request('GET', `/api/users/${other.id}`)).json()).toMatchObject({ disabled: false });
      expect(await lastSeq()).toBe(seq + 1); // only the city admin's read above
    });

    it('cannot move an account out of scope or to a region of the wrong level', async () => {
      const target = await byName(county, 'director-431202001210');
      const seq = await lastSeq();
      const away = await county.request('PATCH', `/api/users/${target.id}`, { regionCode: '431221101201' });
      expect(away.status).toBe(400);
      expect(errorOf(away).field).toBe('regionCode');
      const level = await county.request('PATCH', `/api/users/${target.id}`, { regionCode: '431202002000' });
      expect(level.status).toBe(400);
      expect(errorOf(level).code).toBe('REGION_LEVEL');
      expect(await lastSeq()).toBe(seq);
      expect((await byName(county, 'director-431202001210')).regionCode).toBe('431202001210');
    });

    it('every change appends exactly one audit row; an edit is reflected in the record', async () => {
      const target = await byName(county, 'director-431202002203');
      const seq = await lastSeq();
      t.clock.advance(1000);
      const res = await county.request('PATCH', `/api/users/${target.id}`, { displayName: '田秀英' });
      expect(res.status).toBe(200);
      const updated = res.json() as UserRecord;
      expect(updated.displayName).toBe('田秀英');
      expect(updated.updatedAt > target.updatedAt).toBe(true);
      const rows = await auditRowsSince(seq);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'user.update', target_id: target.id });
      expect(JSON.parse(rows[0]!.details!)).toMatchObject({ changes: { displayName: { from: target.displayName, to: '田秀英' } } });

      const invalid = await county.request('PATCH', `/api/users/${target.id}`, { displayName: '' });
      expect(invalid.status).toBe(400);
      expect(await lastSeq()).toBe(seq + 1);
    });
  });
});
