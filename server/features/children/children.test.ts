import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { childInput, idFor, hanDigits } from './children.test-data.js';
import { rederiveCategories } from './child-rederive.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

const VILLAGE = '431202001201';

describe(`child file (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let otherCounty: Session;
  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    otherCounty = await signIn(t, 'county-431221');
  });
  afterAll(() => t.close());

  it('a director registers a left-behind child, pending until the supervisor approves', async () => {
    const res = await director.request('POST', '/api/children', childInput());
    expect(res.status, res.body).toBe(201);
    const child = res.json() as ChildDetail;
    expect(child.status).toBe('pending');
    expect(child.leftBehind).toBe(true);
    expect(child.categories.leftBehind.reasons.length).toBeGreaterThan(0);
    expect(child.idNumberMasked).toMatch(/^431202\*{11}[\dX]$/);
    expect(child.father.phone).toBe('138****5678');
    expect(child.agingOutDate).toBe('2031-03-10');

    const approved = await supervisor.request('POST', `/api/children/${child.id}/approve`, {});
    expect(approved.status, approved.body).toBe(200);
    expect((approved.json() as ChildDetail).status).toBe('active');

    expect((await otherCounty.request('GET', `/api/children/${child.id}`)).status).toBe(404);
  });

  it('refuses a duplicate ID number; saves a similar name only with a recorded reason', async () => {
    const again = await director.request('POST', '/api/children', childInput({ name: '王晓明' }));
    expect(again.status).toBe(409);
    const body = again.json() as { error: { code: string; data: { candidates: { id: string; match: string }[] } } };
    // The same ID number is never a second file (issue 12 §1): no reason is asked for, none would pass.
    expect(body.error.code).toBe('DUPLICATE_ID');
    expect(body.error.data.candidates[0]!.match).toBe('same_id_number');
    const similar = await director.request('POST', '/api/children', childInput({ name: '王晓明', idNumber: null }));
    expect(similar.status).toBe(409);
    const candidates = (similar.json() as typeof body).error.data.candidates;
    expect(candidates.map((c) => c.match)).toContain('similar_name_birth');
    const saved = await director.request('POST', '/api/children', {
      ...childInput({ name: '王晓明', idNumber: null }),
      duplicateDecision: { action: 'dismiss', reason: '双胞胎兄弟，另一人', candidateIds: candidates.map((c) => c.id) },
    });
    expect(saved.status, saved.body).toBe(201);
  });

  it('refuses a wrong check character naming the field, and writes nothing', async () => {
    const bad = idFor('2016-01-01', '111').slice(0, 17) + (idFor('2016-01-01', '111').endsWith('1') ? '2' : '1');
    const before = await supervisor.request('GET', '/api/children?pageSize=1');
    const res = await director.request('POST', '/api/children', childInput({ name: '赵一', birthDate: '2016-01-01', idNumber: bad }));
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'idNumber', message: '身份证号：身份证号校验码错误' } });
    const after = await supervisor.request('GET', '/api/children?pageSize=1');
    expect((after.json() as { total: number }).total).toBe((before.json() as { total: number }).total);
  });

  it('keeps history, rejects a stale version, reveals the ID number with an audit row', async () => {
    const list = (await director.request('GET', '/api/children?q=王小明')).json() as { items: { id: string }[] };
    const id = list.items[0]!.id;
    const child = (await director.request('GET', `/api/children/${id}`)).json() as ChildDetail;
    const edit = { ...childInput(), version: child.version, regionCode: undefined, schooling: { status: 'dropped_out', boarding: false } };
    const saved = await director.request('PUT', `/api/children/${id}`, edit);
    expect(saved.status, saved.body).toBe(200);
    const stale = await director.request('PUT', `/api/children/${id}`, edit);
    expect(stale.status).toBe(409);
    const history = (await director.request('GET', `/api/children/${id}/history`)).json() as { items: { action: string; changes: { field: string; from: unknown; to: unknown }[] }[] };
    expect(history.items[0]!.action).toBe('update');
    expect(history.items[0]!.changes).toContainEqual({ field: 'schooling.status', from: 'in_school', to: 'dropped_out' });
    const reveal = await director.request('POST', `/api/children/${id}/reveal`, { field: 'idNumber' });
    expect(reveal.json()).toEqual({ field: 'idNumber', value: idFor('2015-03-10', '123') });
    const rows = await t.deps.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'child.reveal').execute();
    expect(rows).toContainEqual({ action: 'child.reveal', target_id: id });
  });

  it('keeps protected numbers that an edit leaves out, and erases one sent as null', async () => {
    const list = (await director.request('GET', '/api/children?q=王小明')).json() as { items: { id: string }[] };
    const id = list.items[0]!.id;
    const child = (await director.request('GET', `/api/children/${id}`)).json() as ChildDetail;
    const { regionCode: _r, idNumber: _i, ...rest } = childInput();
    const body = {
      ...rest,
      version: child.version,
      schooling: { status: 'dropped_out', boarding: false },
      father: { ...rest.father, phone: undefined },
      mother: { ...rest.mother, phone: null },
      caregiver: { ...rest.caregiver, phone: undefined },
    };
    const saved = await director.request('PUT', `/api/children/${id}`, body);
    expect(saved.status, saved.body).toBe(200);
    const reveal = async (field: string) => ((await director.request('POST', `/api/children/${id}/reveal`, { field })).json() as { value: string | null }).value;
    expect(await reveal('idNumber')).toBe(idFor('2015-03-10', '123'));
    expect(await reveal('father.phone')).toBe('13812345678');
    expect(await reveal('caregiver.phone')).toBe('13900001111');
    expect(await reveal('mother.phone')).toBeNull();
  });

  it('links a pupil to a school of his area, keeps the link through an edit that leaves it out, and unlinks on null', async () => {
    const choices = await director.request('GET', `/api/children/schools?regionCode=${VILLAGE}`);
    expect(choices.status, choices.body).toBe(200);
    const schools = (choices.json() as { items: { id: string; name: string; regionCode: string }[] }).items;
    expect(schools.length).toBeGreaterThan(0);
    for (const s of schools) expect(VILLAGE.startsWith(s.regionCode.replace(/0+$/, ''))).toBe(true);
    expect((await otherCounty.request('GET', `/api/children/schools?regionCode=${VILLAGE}`)).status).toBe(404);
    const township = await director.request('GET', '/api/children/schools?regionCode=431202001000');
    expect(township.status).toBe(404); // above the director's village: outside his scope
    const notVillage = await supervisor.request('GET', '/api/children/schools?regionCode=431202001000');
    expect(notVillage.status).toBe(400);
    expect(notVillage.json()).toMatchObject({ error: { field: 'regionCode' } });

    const school = schools[0]!;
    const { regionCode: _r, ...rest } = childInput({ name: '学小林', idNumber: null, birthDate: '2014-04-04' });
    const created = await director.request('POST', '/api/children', { ...rest, regionCode: VILLAGE, schooling: { status: 'in_school', school: school.name, grade: '四年级', boarding: false, schoolOrgId: school.id } });
    expect(created.status, created.body).toBe(201);
    const child = created.json() as ChildDetail;
    expect(child.schooling.schoolOrgId).toBe(school.id);
    const linked = async () => (await t.deps.db.selectFrom('children').select('school_org_id').where('id', '=', child.id).executeTakeFirstOrThrow()).school_org_id;

    // A form that does not show the link (an older page, another client) must not unlink the pupil.
    const edited = await director.request('PUT', `/api/children/${child.id}`, { ...rest, version: child.version, schooling: { status: 'in_school', school: school.name, grade: '五年级', boarding: false } });
    expect(edited.status, edited.body).toBe(200);
    expect((edited.json() as ChildDetail).schooling).toMatchObject({ grade: '五年级', schoolOrgId: school.id });
    expect(await linked()).toBe(school.id);

    const unlinked = await director.request('PUT', `/api/children/${child.id}`, {
      ...rest,
      version: (edited.json() as ChildDetail).version,
      schooling: { status: 'in_school', school: null, grade: '五年级', boarding: false, schoolOrgId: null },
    });
    expect(unlinked.status, unlinked.body).toBe(200);
    expect(await linked()).toBeNull();
  });

  it('answers other requests while it re-derives every open file', async () => {
    // Enough open files for many batches of one (different birth dates: no duplicate warnings).
    for (let i = 1; i <= 28; i++) {
      const res = await director.request('POST', '/api/children', childInput({ name: `等候${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${hanDigits(i)}`, idNumber: null, birthDate: `2012-02-${String(i).padStart(2, '0')}` }));
      expect(res.status, res.body).toBe(201);
    }
    const order: string[] = [];
    const work = rederiveCategories(t.deps, { batch: 1 }).then(() => order.push('re-derivation'));
    const answered = director.request('GET', '/api/me').then((res) => order.push(`request ${res.status}`));
    await Promise.all([work, answered]);
    expect(order).toEqual(['request 200', 're-derivation']);
  });

  it('stores no ID or phone number in clear', async () => {
    const rows = await t.deps.db.selectFrom('children').select(['profile', 'id_cipher']).execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(idFor('2015-03-10', '123'));
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('13900001111');
  });

  it('re-derives categories as time passes: six months after the parents left, the child becomes left-behind', async () => {
    const away = { status: 'working_away' as const, since: '2026-08-15', skills: [] };
    const res = await supervisor.request('POST', '/api/children', childInput({ name: '刘小芳', sex: 'female', birthDate: '2017-06-01', idNumber: null, father: away, mother: away }));
    expect(res.status, res.body).toBe(201);
    const child = res.json() as ChildDetail;
    expect(child.leftBehind).toBe(false);
    expect(child.categories.leftBehind.reasons.length).toBeGreaterThan(0);

    t.clock.set('2027-02-14T02:00:00.000Z');
    await rederiveCategories(t.deps);
    // Months later the old session has expired: sign in again.
    const later = await signIn(t, 'supervisor-431202001000');
    expect(((await later.request('GET', `/api/children/${child.id}`)).json() as ChildDetail).leftBehind).toBe(false);

    t.clock.set('2027-02-15T02:00:00.000Z');
    const result = await rederiveCategories(t.deps);
    expect(result.changed).toBeGreaterThanOrEqual(1);
    const latest = await signIn(t, 'supervisor-431202001000');
    const after = (await latest.request('GET', `/api/children/${child.id}`)).json() as ChildDetail;
    expect(after.leftBehind).toBe(true);
    expect(after.agingOutDate).toBe('2033-06-01');
    const history = (await latest.request('GET', `/api/children/${child.id}/history`)).json() as { items: { action: string; actorName: string | null }[] };
    expect(history.items[0]).toMatchObject({ action: 'rederive', actorName: null });
    t.clock.set('2026-11-29T02:00:00.000Z');
    supervisor = await signIn(t, 'supervisor-431202001000');
    director = await signIn(t, `director-${VILLAGE}`);
  });

  it.runIf(dialectUnderTest() === 'postgres')('compares searched names by code point on PostgreSQL whatever the database default collation', async () => {
    const { sql } = await import('kysely');
    const rows = await sql<{ column_name: string; collation_name: string }>`
      select column_name, collation_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'children' and column_name in ('name', 'name_pinyin', 'name_initials', 'name_syllables') order by column_name`.execute(t.deps.db);
    expect(rows.rows).toEqual([
      { column_name: 'name', collation_name: 'C' },
      { column_name: 'name_initials', collation_name: 'C' },
      { column_name: 'name_pinyin', collation_name: 'C' },
      { column_name: 'name_syllables', collation_name: 'C' },
    ]);
  });
});
