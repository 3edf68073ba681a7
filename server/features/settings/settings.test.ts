import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../../test/harness.js';
import { childInput } from '../children/children.test-data.js';
import { rederiveCategories } from '../children/child-rederive.js';

describe(`category settings (${dialectUnderTest()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('starts from the defaults: six months away, under 16', async () => {
    const director = await signIn(t, 'director-431202001201');
    const res = await director.request('GET', '/api/settings/categories');
    expect(res.json()).toEqual({ leftBehindMinAbsenceMonths: 6, leftBehindMaxAge: 16, unsupportedMinMonths: 6 });
    const refused = await director.request('PUT', '/api/settings/categories', { leftBehindMinAbsenceMonths: 3, leftBehindMaxAge: 16, unsupportedMinMonths: 6 });
    expect(refused.status).toBe(403);
  });

  it('a shorter absence threshold makes a child left-behind after re-derivation, and is audited', async () => {
    const supervisor = await signIn(t, 'supervisor-431202001000');
    const away = { status: 'working_away' as const, since: '2026-07-20', skills: [] };
    const created = await supervisor.request('POST', '/api/children', childInput({ name: '陈小雨', idNumber: null, father: away, mother: away }));
    expect(created.status, created.body).toBe(201);
    const child = created.json() as ChildDetail;
    expect(child.leftBehind).toBe(false);

    const city = await signIn(t, 'city-431200');
    const bad = await city.request('PUT', '/api/settings/categories', { leftBehindMinAbsenceMonths: 0, leftBehindMaxAge: 16, unsupportedMinMonths: 6 });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'leftBehindMinAbsenceMonths' } });

    const set = await city.request('PUT', '/api/settings/categories', { leftBehindMinAbsenceMonths: 3, leftBehindMaxAge: 16, unsupportedMinMonths: 6 });
    expect(set.status, set.body).toBe(200);
    await rederiveCategories(t.deps);
    const after = (await supervisor.request('GET', `/api/children/${child.id}`)).json() as ChildDetail;
    expect(after.leftBehind).toBe(true);
    const rows = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'settings.categories').execute();
    expect(rows).toHaveLength(1);
  });
});
