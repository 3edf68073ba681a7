import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, RegionChildren, RegionDetail, RegionSearchResult } from '../../../domain/api.js';
import { HUAIHUA_COUNTIES } from '../../seed/huaihua-network.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

const CITY = '431200000000';

describe(`regions (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let city: Session;
  let county: Session;
  let supervisor: Session;
  let director: Session;

  beforeAll(async () => {
    t = await createTestApp();
    [city, county, supervisor, director] = await Promise.all([
      signIn(t, 'city-431200'),
      signIn(t, 'county-431202'),
      signIn(t, 'supervisor-431202001000'),
      signIn(t, 'director-431202001201'),
    ]);
  });
  afterAll(() => t.close());

  const get = async <T>(s: Session, url: string) => {
    const res = await s.request('GET', url);
    return { status: res.status, body: res.json() as T };
  };

  it('a city admin starts at 怀化市 and sees exactly its 13 counties', async () => {
    const root = await get<RegionChildren>(city, '/api/regions');
    expect(root.status).toBe(200);
    expect(root.body.items.map((r) => [r.code, r.name, r.level])).toEqual([[CITY, '怀化市', 'city']]);
    expect(root.body.items[0]!.childCount).toBe(13);

    const children = await get<RegionChildren>(city, `/api/regions?parent=${CITY}`);
    expect(children.status).toBe(200);
    expect(children.body.parent?.code).toBe(CITY);
    expect(children.body.items).toHaveLength(13);
    expect(children.body.items.every((r) => r.level === 'county' && r.parentCode === CITY)).toBe(true);
    // The real county-level units of DESIGN §2, by code and name.
    expect(children.body.items.map((r) => [r.code, r.name])).toEqual(
      [...HUAIHUA_COUNTIES].sort((a, b) => a[0].localeCompare(b[0])).map(([code, name]) => [`${code}000000`, name]),
    );
    expect(children.body.items.map((r) => r.name)).toEqual(expect.arrayContaining(['鹤城区', '洪江区', '洪江市', '通道侗族自治县']));
  });

  it('counts the whole Huaihua network: 13 counties, 232 townships, 2,951 villages, one director and supervisor each', async () => {
    const detail = await get<RegionDetail>(city, `/api/regions/${CITY}`);
    expect(detail.status).toBe(200);
    expect(detail.body.counts).toEqual({ counties: 13, townships: 232, villages: 2951, directors: 2951, supervisors: 232 });
    expect(detail.body.path.map((r) => r.name)).toEqual(['湖南省', '怀化市']);
  });

  it('the counties’ children and counts add up to the city’s', async () => {
    const counties = (await get<RegionChildren>(city, `/api/regions?parent=${CITY}`)).body.items;
    let townships = 0;
    let villages = 0;
    for (const c of counties) {
      const detail = (await get<RegionDetail>(city, `/api/regions/${c.code}`)).body;
      expect(detail.counts.townships).toBe(c.childCount);
      townships += detail.counts.townships;
      villages += detail.counts.villages;
    }
    expect(townships).toBe(232);
    expect(villages).toBe(2951);
  });

  it('lists the townships of a county with their village counts, and a township’s villages', async () => {
    const townships = await get<RegionChildren>(county, '/api/regions?parent=431202000000');
    expect(townships.status).toBe(200);
    expect(townships.body.items.length).toBeGreaterThan(0);
    expect(townships.body.items.every((r) => r.level === 'township' && r.code.startsWith('431202') && r.code.endsWith('000'))).toBe(true);
    const first = townships.body.items.find((r) => r.code === '431202001000')!;
    const villages = await get<RegionChildren>(county, '/api/regions?parent=431202001000');
    expect(villages.body.items).toHaveLength(first.childCount);
    expect(villages.body.items.every((r) => r.level === 'village' && r.parentCode === '431202001000' && r.childCount === 0)).toBe(true);
    // Sorted by code.
    const codes = villages.body.items.map((r) => r.code);
    expect(codes).toEqual([...codes].sort());
  });

  it('a director’s root is his own village, and he cannot climb above it', async () => {
    const root = await get<RegionChildren>(director, '/api/regions');
    expect(root.body.items.map((r) => r.code)).toEqual(['431202001201']);
    const detail = await get<RegionDetail>(director, '/api/regions/431202001201');
    expect(detail.status).toBe(200);
    expect(detail.body.path.map((r) => r.code)).toEqual(['430000000000', CITY, '431202000000', '431202001000', '431202001201']);
    expect(detail.body.counts).toMatchObject({ villages: 1, directors: 1, townships: 0 });
    expect((await director.request('GET', '/api/regions/431202001000')).status).toBe(404);
    expect((await director.request('GET', '/api/regions?parent=431202001000')).status).toBe(404);
    expect((await director.request('GET', '/api/regions/431202001202')).status).toBe(404);
  });

  it('answers a region outside scope exactly like a region that does not exist', async () => {
    const cases: [Session, string, string][] = [
      [county, '431221000000', '431202999000'], // another county vs. a missing township of his own
      [city, OUTSIDE.county, '431299000000'], // 长沙 vs. a missing county of Huaihua
      [supervisor, '431202002000', '431202001999'],
    ];
    for (const [s, outside, missing] of cases) {
      for (const url of [`/api/regions/${outside}`, `/api/regions?parent=${outside}`]) {
        const a = await s.request('GET', url);
        const b = await s.request('GET', url.replace(outside, missing));
        expect(a.status, `${s.username} ${url}`).toBe(404);
        expect(b.status, `${s.username} ${url}`).toBe(404);
        expect(a.body).toBe(b.body);
      }
    }
    expect((await city.request('GET', '/api/regions/430000000000')).status).toBe(404); // the province is above the city admin
  });

  it('answers a malformed region code with 400 naming the field `code`', async () => {
    for (const bad of ['43120200', '4312020012011', '43120200120x', 'abc']) {
      const res = await county.request('GET', `/api/regions/${bad}`, undefined, { 'accept-language': 'en-US' });
      expect(res.status, bad).toBe(400);
      const error = (res.json() as ErrorBody).error;
      expect(error).toMatchObject({ code: 'VALIDATION', field: 'code' });
      expect(error.message).toMatch(/12-digit/);
    }
    const parent = await county.request('GET', '/api/regions?parent=4312');
    expect(parent.status).toBe(400);
    expect((parent.json() as ErrorBody).error.field).toBe('parent');
  });

  it('searches by name inside the scope only', async () => {
    // Pick a village name of another county; the county admin of 鹤城区 must not find it.
    const [elsewhere] = (await get<RegionChildren>(city, '/api/regions?parent=431221101000')).body.items;
    expect(elsewhere).toBeDefined();
    const fromCity = await get<RegionSearchResult>(city, `/api/regions/search?q=${encodeURIComponent(elsewhere!.name)}`);
    expect(fromCity.body.items.map((r) => r.code)).toContain(elsewhere!.code);
    const fromCounty = await get<RegionSearchResult>(county, `/api/regions/search?q=${encodeURIComponent(elsewhere!.name)}`);
    expect(fromCounty.body.items.every((r) => r.code.startsWith('431202'))).toBe(true);
    expect(fromCounty.body.items.map((r) => r.code)).not.toContain(elsewhere!.code);

    const villages = await get<RegionSearchResult>(county, `/api/regions/search?q=${encodeURIComponent('村')}&limit=50`);
    expect(villages.body.items).toHaveLength(50);
    for (const r of villages.body.items) {
      expect(r.code.startsWith('431202')).toBe(true);
      expect(r.name).toContain('村');
      expect(r.path.at(-1)?.code).toBe(r.code);
      expect(r.path.map((p) => p.name).slice(0, 3)).toEqual(['湖南省', '怀化市', '鹤城区']);
    }
    // 长沙's 芙蓉区 exists, but not for a Huaihua admin.
    expect((await get<RegionSearchResult>(city, `/api/regions/search?q=${encodeURIComponent('芙蓉')}`)).body.items).toEqual([]);
  });

  it('searches by code prefix inside the scope only', async () => {
    const byCode = await get<RegionSearchResult>(county, '/api/regions/search?q=431202001&limit=50');
    const expected = 1 + (await get<RegionChildren>(county, '/api/regions?parent=431202001000')).body.items.length;
    expect(byCode.body.items).toHaveLength(expected);
    expect(byCode.body.items.every((r) => r.code.startsWith('431202001'))).toBe(true);
    expect((await get<RegionSearchResult>(county, '/api/regions/search?q=431221')).body.items).toEqual([]);
    expect((await get<RegionSearchResult>(city, '/api/regions/search?q=4301')).body.items).toEqual([]);
    expect((await get<RegionSearchResult>(supervisor, '/api/regions/search?q=431202002')).body.items).toEqual([]);
    const own = await get<RegionSearchResult>(director, '/api/regions/search?q=4312');
    expect(own.body.items.map((r) => r.code)).toEqual(['431202001201']);
  });

  it('searches for an empty term are a validation error, not everything', async () => {
    const res = await county.request('GET', '/api/regions/search?q=');
    expect(res.status).toBe(400);
    expect((res.json() as ErrorBody).error.field).toBe('q');
  });

  it('every signed-in role with region.read starts at its own scope', async () => {
    const agency = await signIn(t, 'agency-social_work_station');
    const root = await get<RegionChildren>(agency, '/api/regions');
    expect(root.body.items.map((r) => r.code)).toEqual(['431202001000']);
    expect((await agency.request('GET', '/api/regions/431202002000')).status).toBe(404);
  });
});
