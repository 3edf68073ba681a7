import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageGap, CoverageReport, CoverageRow, ErrorBody, RegionChildren, RegionDetail, UserRecord } from '../../../domain/api.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

type GapPage = { items: CoverageGap[]; total: number; page: number; pageSize: number };
const NUMBERS = ['townships', 'townshipsWithoutSupervisor', 'villages', 'villagesWithoutDirector', 'supervisors', 'directors'] as const;

describe(`staff coverage (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let county: Session;
  let city: Session;

  beforeAll(async () => {
    t = await createTestApp();
    [county, city] = await Promise.all([signIn(t, 'county-431202'), signIn(t, 'city-431200')]);
  });
  afterAll(() => t.close());

  const get = async <T>(s: Session, url: string) => {
    const res = await s.request('GET', url);
    expect(res.status, `${s.username} ${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };
  const userId = async (username: string) => (await get<{ items: UserRecord[] }>(county, `/api/users?q=${username}`)).items.find((u) => u.username === username)!.id;
  const sumRows = (rows: CoverageRow[]) => Object.fromEntries(NUMBERS.map((k) => [k, rows.reduce((n, r) => n + r[k], 0)]));

  it('gives a county admin one row per township, fully staffed, with totals equal to the sum of the rows', async () => {
    const report = await get<CoverageReport>(county, '/api/coverage');
    expect(report.region).toEqual({ code: '431202000000', name: '鹤城区', level: 'county' });
    expect(report.path.map((r) => r.name)).toEqual(['湖南省', '怀化市', '鹤城区']);

    const townships = (await get<RegionChildren>(county, '/api/regions?parent=431202000000')).items;
    expect(report.rows.map((r) => [r.code, r.name])).toEqual(townships.map((r) => [r.code, r.name]));
    expect(report.rows.every((r) => r.level === 'township')).toBe(true);
    for (const row of report.rows) {
      const own = townships.find((r) => r.code === row.code)!;
      expect(row, row.code).toMatchObject({ townships: 1, supervisors: 1, townshipsWithoutSupervisor: 0, villages: own.childCount, directors: own.childCount, villagesWithoutDirector: 0 });
    }
    expect(sumRows(report.rows)).toEqual(Object.fromEntries(NUMBERS.map((k) => [k, report.totals[k]])));
    const detail = await get<RegionDetail>(county, '/api/regions/431202000000');
    expect(report.totals).toMatchObject({ townships: detail.counts.townships, villages: detail.counts.villages, directors: detail.counts.directors });
  });

  it('gives the city admin one row per county, adding up to 232 townships and 2,951 villages', async () => {
    const report = await get<CoverageReport>(city, '/api/coverage');
    expect(report.rows).toHaveLength(13);
    expect(report.rows.every((r) => r.level === 'county')).toBe(true);
    expect(report.totals).toMatchObject({ townships: 232, villages: 2951, supervisors: 232, directors: 2951, villagesWithoutDirector: 0, townshipsWithoutSupervisor: 0 });
    expect(sumRows(report.rows)).toEqual(Object.fromEntries(NUMBERS.map((k) => [k, report.totals[k]])));
    // The 长沙 region added by the harness is not part of it.
    expect(report.rows.some((r) => r.code.startsWith('4301'))).toBe(false);
  });

  it('shows exactly the village of a disabled director as a gap, and removes it again when he is re-enabled', async () => {
    const village = '431202002203';
    const id = await userId(`director-${village}`);
    const gapsBefore = await get<GapPage>(county, '/api/coverage/gaps?kind=villages-without-director');
    expect(gapsBefore.total).toBe(0);

    expect((await county.request('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);

    const gaps = await get<GapPage>(county, '/api/coverage/gaps?kind=villages-without-director');
    expect(gaps.total).toBe(1);
    expect(gaps.items.map((g) => g.code)).toEqual([village]);
    expect(gaps.items[0]!.path.map((p) => p.code)).toEqual(['430000000000', '431200000000', '431202000000', '431202002000', village]);
    // The city admin sees the same gap; the neighbouring county does not.
    expect((await get<GapPage>(city, '/api/coverage/gaps?kind=villages-without-director')).items.map((g) => g.code)).toEqual([village]);
    const neighbour = await signIn(t, 'county-431221');
    expect((await get<GapPage>(neighbour, '/api/coverage/gaps?kind=villages-without-director')).total).toBe(0);
    // Townships are unaffected.
    expect((await get<GapPage>(county, '/api/coverage/gaps?kind=townships-without-supervisor')).total).toBe(0);

    const report = await get<CoverageReport>(county, '/api/coverage');
    const row = report.rows.find((r) => r.code === '431202002000')!;
    expect(row.villagesWithoutDirector).toBe(1);
    expect(row.directors).toBe(row.villages - 1);
    expect(report.rows.filter((r) => r.code !== '431202002000').every((r) => r.villagesWithoutDirector === 0)).toBe(true);
    expect(report.totals.villagesWithoutDirector).toBe(1);
    expect(report.totals.directors).toBe(report.totals.villages - 1);
    expect((await get<CoverageReport>(city, '/api/coverage')).totals).toMatchObject({ villagesWithoutDirector: 1, directors: 2950 });
    expect((await get<RegionDetail>(county, `/api/regions/${village}`)).counts.directors).toBe(0);

    expect((await county.request('PATCH', `/api/users/${id}`, { disabled: false })).status).toBe(200);
    expect((await get<GapPage>(county, '/api/coverage/gaps?kind=villages-without-director')).total).toBe(0);
    expect((await get<CoverageReport>(county, '/api/coverage')).totals).toMatchObject({ villagesWithoutDirector: 0, directors: report.totals.villages });
  });

  it('lists a township without an active supervisor as a gap', async () => {
    const id = await userId('supervisor-431202003000');
    expect((await county.request('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    const gaps = await get<GapPage>(county, '/api/coverage/gaps?kind=townships-without-supervisor');
    expect(gaps.items.map((g) => g.code)).toEqual(['431202003000']);
    const report = await get<CoverageReport>(county, '/api/coverage');
    expect(report.rows.find((r) => r.code === '431202003000')).toMatchObject({ townshipsWithoutSupervisor: 1, supervisors: 0 });
    expect(report.totals.townshipsWithoutSupervisor).toBe(1);
    expect((await county.request('PATCH', `/api/users/${id}`, { disabled: false })).status).toBe(200);
    expect((await get<GapPage>(county, '/api/coverage/gaps?kind=townships-without-supervisor')).total).toBe(0);
  });

  it('pages through gaps in code order', async () => {
    const villages = ['431202004201', '431202001201', '431202001202'];
    const ids = await Promise.all(villages.map((v) => userId(`director-${v}`)));
    for (const id of ids) expect((await county.request('PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    try {
      const first = await get<GapPage>(county, '/api/coverage/gaps?kind=villages-without-director&pageSize=2');
      const second = await get<GapPage>(county, '/api/coverage/gaps?kind=villages-without-director&pageSize=2&page=2');
      expect(first.total).toBe(3);
      expect(second.total).toBe(3);
      expect([...first.items, ...second.items].map((g) => g.code)).toEqual([...villages].sort());
      const scoped = await get<GapPage>(county, '/api/coverage/gaps?kind=villages-without-director&region=431202001000');
      expect(scoped.items.map((g) => g.code)).toEqual(['431202001201', '431202001202']);
    } finally {
      for (const id of ids) await county.request('PATCH', `/api/users/${id}`, { disabled: false });
    }
  });

  it('a supervisor sees his own township, one row per village, and nothing beyond', async () => {
    const supervisor = await signIn(t, 'supervisor-431202001000');
    const report = await get<CoverageReport>(supervisor, '/api/coverage');
    expect(report.region.code).toBe('431202001000');
    const villages = (await get<RegionChildren>(supervisor, '/api/regions?parent=431202001000')).items;
    expect(report.rows.map((r) => r.code)).toEqual(villages.map((r) => r.code));
    expect(report.rows.every((r) => r.level === 'village' && r.villages === 1 && r.directors === 1)).toBe(true);
    // The totals include the township itself and its own supervisor.
    expect(report.totals).toMatchObject({ townships: 1, supervisors: 1, villages: villages.length, directors: villages.length });
    for (const url of ['/api/coverage?region=431202002000', '/api/coverage?region=431202000000', '/api/coverage/gaps?kind=villages-without-director&region=431202002000']) {
      const res = await supervisor.request('GET', url);
      expect(res.status, url).toBe(404);
    }
  });

  it('answers a region outside scope like a missing one (404), and a malformed one with 400', async () => {
    const outside = await county.request('GET', '/api/coverage?region=431221000000');
    const missing = await county.request('GET', '/api/coverage?region=431202999000');
    expect(outside.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(outside.body).toBe(missing.body);
    expect((await city.request('GET', `/api/coverage?region=${OUTSIDE.county}`)).status).toBe(404);
    expect((await city.request('GET', `/api/coverage/gaps?kind=villages-without-director&region=${OUTSIDE.county}`)).status).toBe(404);
    const bad = await county.request('GET', '/api/coverage?region=4312');
    expect(bad.status).toBe(400);
    expect((bad.json() as ErrorBody).error.field).toBe('region');
    const badKind = await county.request('GET', '/api/coverage/gaps?kind=everything');
    expect(badKind.status).toBe(400);
    expect((badKind.json() as ErrorBody).error.field).toBe('kind');
  });

  it('is closed to a director', async () => {
    const director = await signIn(t, 'director-431202001201');
    const res = await director.request('GET', '/api/coverage');
    expect(res.status).toBe(403);
    expect((res.json() as ErrorBody).error.code).toBe('FORBIDDEN');
  });
});
