/**
 * The system administrator is configuration only (issue 11 §6): it cannot create, edit,
 * reset or re-enable an account that can see child data, so it cannot give itself a way to a
 * child's file; such accounts come from county and city administrators or from the command
 * line on the server. The access walker also scans every answer it gets for child data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Me, UserRecord, UserWithPassword } from '../../../domain/api.js';
import { childInput } from '../children/children.test-data.js';
import { DEMO_PASSWORD, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { createUserOnHost } from './users.service.js';

describe(`the system administrator and child data (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let sysadmin: Session;
  let city: Session;
  let childId = '';

  beforeAll(async () => {
    t = await createTestApp();
    [sysadmin, city] = await Promise.all([signIn(t, 'sysadmin'), signIn(t, 'city-431200')]);
    const registered = await (await signIn(t, 'supervisor-431202001000')).request('POST', '/api/children', childInput({ name: '管理员不可见', idNumber: null }));
    expect(registered.status).toBe(201);
    childId = (registered.json() as { id: string }).id;
  });
  afterAll(() => t.close());

  const errorOf = (res: { json: () => unknown }) => (res.json() as ErrorBody).error;
  const byName = async (username: string) => {
    const found = ((await city.request('GET', `/api/users?q=${username}`)).json() as { items: UserRecord[] }).items.find((u) => u.username === username);
    if (!found) throw new Error(`${username} not found`);
    return found;
  };
  const auditCount = async (action: string) =>
    Number((await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  it('cannot create an account of any role that sees child data: nothing is created', async () => {
    const before = await auditCount('user.create');
    const attempts = [
      { role: 'city_admin', regionCode: '431200000000' },
      { role: 'county_admin', regionCode: '431202000000' },
      { role: 'supervisor', regionCode: '431202001000' },
      { role: 'director', regionCode: '431202001201' },
    ];
    for (const [i, a] of attempts.entries()) {
      const res = await sysadmin.request('POST', '/api/users', { username: `raised-${i}`, displayName: '越权', ...a });
      expect(res.status, a.role).toBe(403);
      expect(errorOf(res), a.role).toMatchObject({ code: 'ROLE_NOT_ALLOWED', field: 'role' });
    }
    const organisation = await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow();
    expect((await sysadmin.request('POST', '/api/users', { username: 'raised-agency', displayName: '越权', role: 'agency', organisationId: organisation.id })).status).toBe(403);
    expect(await t.deps.db.selectFrom('users').select('id').where('username', 'like', 'raised-%').execute()).toEqual([]);
    expect(await auditCount('user.create')).toBe(before);
  });

  it('manages system administrator accounts: creates one, resets its password', async () => {
    const created = await sysadmin.request('POST', '/api/users', { username: 'sysadmin-deputy', displayName: '副管理员', role: 'sysadmin', regionCode: '431200000000' });
    expect(created.status).toBe(201);
    const { user } = created.json() as UserWithPassword;
    expect((await sysadmin.request('POST', `/api/users/${user.id}/reset-password`)).status).toBe(200);
    expect((await sysadmin.request('PATCH', `/api/users/${user.id}`, { displayName: '第二管理员' })).status).toBe(200);
  });

  it('cannot reset the password of a city administrator, whose password and session keep working', async () => {
    const target = await byName('city-431200');
    const res = await sysadmin.request('POST', `/api/users/${target.id}/reset-password`);
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('ROLE_NOT_ALLOWED');
    expect(res.body).not.toContain('temporaryPassword');
    expect((await city.request('GET', '/api/me')).status).toBe(200);
    expect((await signIn(t, 'city-431200', DEMO_PASSWORD)).username).toBe('city-431200');
  });

  it('cannot move or rename an account with child access', async () => {
    const director = await byName('director-431202001202');
    const moved = await sysadmin.request('PATCH', `/api/users/${director.id}`, { regionCode: '431202001203' });
    expect(moved.status).toBe(403);
    const renamed = await sysadmin.request('PATCH', `/api/users/${director.id}`, { displayName: '改名' });
    expect(renamed.status).toBe(403);
    // Disabling together with another change is no emergency brake: refused as a whole.
    expect((await sysadmin.request('PATCH', `/api/users/${director.id}`, { disabled: true, regionCode: '431202001203' })).status).toBe(403);
    expect(await byName('director-431202001202')).toMatchObject({ regionCode: '431202001202', displayName: director.displayName, disabled: false });
  });

  it('may disable an account with child access (an emergency brake) but not enable it again; a city admin does', async () => {
    const director = await byName('director-431202001204');
    const session = await signIn(t, 'director-431202001204');
    const disabled = await sysadmin.request('PATCH', `/api/users/${director.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect((await session.request('GET', '/api/me')).status).toBe(401);
    const enabled = await sysadmin.request('PATCH', `/api/users/${director.id}`, { disabled: false });
    expect(enabled.status).toBe(403);
    expect(errorOf(enabled).code).toBe('ROLE_NOT_ALLOWED');
    expect((await byName('director-431202001204')).disabled).toBe(true);
    expect((await city.request('PATCH', `/api/users/${director.id}`, { disabled: false })).status).toBe(200);
  });

  it('holds no child action and reaches no child: the file, its timeline, the list, the export, the work lists', async () => {
    const me = (await sysadmin.request('GET', '/api/me')).json() as Me;
    expect(me.permissions.filter((p) => /^(child|visit|report|referral|order|letter|campaign|worklist|pupil|risk)\./.test(p))).toEqual([]);
    for (const url of [`/api/children/${childId}`, '/api/children', `/api/children/${childId}/timeline`, '/api/children/export', '/api/worklists?kind=overdue']) {
      const res = await sysadmin.request('GET', url);
      expect(res.status, url).toBe(403);
      expect(res.body, url).not.toContain('管理员不可见');
    }
  });

  it('an account with child access can still be made on the server itself (npm run cli -- create-user), audited as the command line', async () => {
    const created = await createUserOnHost(t.deps, { username: 'first-city-admin', displayName: '首任', role: 'city_admin', regionCode: '431200000000' });
    expect(created.user).toMatchObject({ role: 'city_admin', mustChangePassword: true });
    const row = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.create').where('target_id', '=', created.user.id).executeTakeFirstOrThrow();
    expect(row.actor_username).toBe('cli');
  });
});
