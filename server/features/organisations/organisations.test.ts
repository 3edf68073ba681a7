import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Me, OrganisationRecord, UserWithPassword } from '../../../domain/api.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

type OrgPage = { items: OrganisationRecord[]; total: number; page: number; pageSize: number };

describe(`organisations (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let county: Session;
  let city: Session;

  beforeAll(async () => {
    t = await createTestApp();
    [county, city] = await Promise.all([signIn(t, 'county-431202'), signIn(t, 'city-431200')]);
  });
  afterAll(() => t.close());

  const list = async (s: Session, query = '') => {
    const res = await s.request('GET', `/api/organisations?${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json() as OrgPage;
  };
  const create = (s: Session, body: object) => s.request('POST', '/api/organisations', body);
  const errorOf = (res: { json: () => unknown }) => (res.json() as ErrorBody).error;
  const lastSeq = async () => Number((await t.deps.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);
  const orgCount = async () => Number((await t.deps.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('lists the organisations in scope only, with their region and member count', async () => {
    const all = await list(city, 'pageSize=200');
    expect(all.items.length).toBe(all.total);
    expect(all.items.every((o) => o.regionCode.startsWith('4312'))).toBe(true);
    expect(all.items.map((o) => o.kind)).toEqual(expect.arrayContaining(['police', 'school', 'volunteer_team', 'social_work_station']));
    const police = all.items.find((o) => o.kind === 'police')!;
    expect(police).toMatchObject({ name: '怀化市公安局', regionCode: '431200000000', regionName: '怀化市', userCount: 1 });

    const mine = await list(county, 'pageSize=200');
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.total).toBeLessThan(all.total);
    expect(mine.items.every((o) => o.regionCode.startsWith('431202'))).toBe(true);
    expect(mine.items.map((o) => o.id)).not.toContain(police.id);
    // Every organisation of the city list that lies in 鹤城区 is in the county list, and no other.
    expect(mine.items.map((o) => o.id).sort()).toEqual(
      all.items
        .filter((o) => o.regionCode.startsWith('431202'))
        .map((o) => o.id)
        .sort(),
    );
  });

  it('filters by kind and by name, and pages', async () => {
    const schools = await list(city, 'kind=school');
    expect(schools.items.length).toBeGreaterThan(0);
    expect(schools.items.every((o) => o.kind === 'school')).toBe(true);
    const byName = await list(city, `q=${encodeURIComponent('公安')}`);
    expect(byName.items.map((o) => o.name)).toEqual(['怀化市公安局']);
    const all = await list(city, 'pageSize=200');
    const first = await list(city, 'pageSize=3&page=1');
    const second = await list(city, 'pageSize=3&page=2');
    expect(first.total).toBe(all.total);
    expect([...first.items, ...second.items].map((o) => o.id)).toEqual(all.items.slice(0, 6).map((o) => o.id));
    expect((await city.request('GET', '/api/organisations?kind=bank')).status).toBe(400);
  });

  it('creates an organisation in scope (201) with one audit row', async () => {
    const seq = await lastSeq();
    const res = await create(county, { name: '鹤城区青西街道社会工作服务站二站', kind: 'social_work_station', regionCode: '431202001000' });
    expect(res.status).toBe(201);
    const org = res.json() as OrganisationRecord;
    expect(org).toMatchObject({ kind: 'social_work_station', regionCode: '431202001000', userCount: 0 });
    expect(org.regionName).toMatch(/街道$/);
    expect((await list(county, 'pageSize=200')).items.map((o) => o.id)).toContain(org.id);
    const rows = await t.deps.db.selectFrom('audit_log').selectAll().where('seq', '>', seq).execute();
    expect(rows.map((r) => [r.action, r.target_id, r.region_code])).toEqual([['organisation.create', org.id, '431202001000']]);
    // The neighbouring county does not see it.
    const neighbour = await signIn(t, 'county-431221');
    expect((await list(neighbour, 'pageSize=200')).items.map((o) => o.id)).not.toContain(org.id);
  });

  it('refuses a region outside scope (400, field regionCode) and writes nothing', async () => {
    const before = await orgCount();
    const seq = await lastSeq();
    for (const regionCode of ['431221000000', '431200000000', OUTSIDE.county, '431202999000']) {
      const res = await create(county, { name: '越界机构', kind: 'counselling', regionCode });
      expect(res.status, regionCode).toBe(400);
      expect(errorOf(res), regionCode).toMatchObject({ code: 'VALIDATION', field: 'regionCode' });
    }
    expect((await create(city, { name: '长沙机构', kind: 'court', regionCode: OUTSIDE.county })).status).toBe(400);
    const invalid = await create(county, { name: 'x', kind: 'counselling', regionCode: '431202000000' });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid).field).toBe('name');
    expect(await orgCount()).toBe(before);
    expect(await lastSeq()).toBe(seq);
  });

  it('is closed to roles without organisation rights', async () => {
    const supervisor = await signIn(t, 'supervisor-431202001000');
    expect((await supervisor.request('GET', '/api/organisations')).status).toBe(403);
    expect((await create(supervisor, { name: '督导员的机构', kind: 'counselling', regionCode: '431202001000' })).status).toBe(403);
  });

  describe('accounts of organisation roles', () => {
    let school: OrganisationRecord;
    let agency: OrganisationRecord;
    let team: OrganisationRecord;

    beforeAll(async () => {
      const make = async (name: string, kind: string) => (await create(county, { name, kind, regionCode: '431202002000' })).json() as OrganisationRecord;
      school = await make('松马街道中心小学', 'school');
      agency = await make('鹤城区心理咨询中心', 'counselling');
      team = await make('鹤城区青年志愿服务队', 'volunteer_team');
    });

    it('attaches an agency, school or volunteer account to an organisation of a fitting kind', async () => {
      const cases: [string, OrganisationRecord][] = [
        ['agency', agency],
        ['school', school],
        ['volunteer', team],
      ];
      for (const [role, org] of cases) {
        const res = await county.request('POST', '/api/users', { username: `member-${role}`, displayName: '成员', role, organisationId: org.id });
        expect(res.status, role).toBe(201);
        const { user, temporaryPassword } = res.json() as UserWithPassword;
        expect(user).toMatchObject({ organisationId: org.id, organisationName: org.name, regionCode: org.regionCode });
        const s = await signIn(t, user.username, temporaryPassword);
        expect(((await s.request('GET', '/api/me')).json() as Me).scope).toMatchObject({ kind: 'organisation', organisation: { id: org.id, kind: org.kind } });
      }
      expect((await list(county, 'pageSize=200')).items.find((o) => o.id === agency.id)?.userCount).toBe(1);
    });

    it('refuses an organisation of the wrong kind (400, field organisationId, kind_mismatch)', async () => {
      const cases: [string, OrganisationRecord][] = [
        ['agency', school],
        ['agency', team],
        ['school', agency],
        ['school', team],
        ['volunteer', school],
        ['volunteer', agency],
      ];
      for (const [role, org] of cases) {
        const res = await county.request('POST', '/api/users', { username: `misfit-${role}-${org.kind}`, displayName: '错配', role, organisationId: org.id }, { 'accept-language': 'en-US' });
        expect(res.status, `${role} in ${org.kind}`).toBe(400);
        expect(errorOf(res), `${role} in ${org.kind}`).toMatchObject({ code: 'VALIDATION', field: 'organisationId' });
        expect(errorOf(res).message).toMatch(/does not fit the role/);
      }
      const misfits = await t.deps.db.selectFrom('users').select('username').where('username', 'like', 'misfit-%').execute();
      expect(misfits).toEqual([]);
    });

    it('requires an organisation for those roles, and one in scope', async () => {
      const none = await county.request('POST', '/api/users', { username: 'member-without-org', displayName: '无机构', role: 'agency', regionCode: '431202002000' });
      expect(none.status).toBe(400);
      expect(errorOf(none).field).toBe('organisationId');
      const police = (await list(city, 'kind=police')).items[0]!;
      const foreign = await county.request('POST', '/api/users', { username: 'member-of-city-org', displayName: '市级', role: 'agency', organisationId: police.id });
      expect(foreign.status).toBe(400);
      expect(errorOf(foreign).field).toBe('organisationId');
    });
  });
});
