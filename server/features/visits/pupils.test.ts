import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail, ChildInput } from '../../../domain/children/schema.js';
import type { PupilFacets, PupilSummary } from '../../../domain/visits/schema.js';
import { childInput } from '../children/children.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { visitInput } from './visits.test-data.js';

type Page = { items: PupilSummary[]; total: number };

/**
 * A school contact's pupils by grade, class and "not yet visited this
 * vacation" (本假期未家访). The harness's clock reads 2026-11-29: the vacation
 * that counts is the summer one, 1 July to 31 August 2026.
 */
describe(`a school contact's pupils: grade, class, not visited this vacation (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let director: Session;
  let teacher: Session;
  let schoolId = '';
  const ids: Record<string, string> = {};

  async function pupil(name: string, schooling: Partial<ChildInput['schooling']>, birthDay: number): Promise<ChildDetail> {
    const res = await supervisor.request(
      'POST',
      '/api/children',
      childInput({ name, idNumber: null, birthDate: `2015-03-${String(birthDay).padStart(2, '0')}`, schooling: { status: 'in_school', school: '青西小学', boarding: false, schoolOrgId: schoolId, ...schooling } }),
    );
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  const list = async (query: string) => (await teacher.request('GET', `/api/pupils?q=${encodeURIComponent('甄')}&pageSize=50${query}`)).json() as Page;
  const names = (page: Page) => page.items.map((p) => p.name).sort();

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    director = await signIn(t, 'director-431202001201');
    teacher = await signIn(t, 'school-demo');
    schoolId = (await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'school').executeTakeFirstOrThrow()).id;
    // 甲 visited by the teacher on the last day of the summer vacation; 乙 the day after it; 丙 never;
    // 丁 only by the village director (no vacation home visit); 戊 visited in June (the winter vacation's term), no class on file.
    ids.甲 = (await pupil('甄甲', { grade: '五年级', className: '1班' }, 1)).id;
    ids.乙 = (await pupil('甄乙', { grade: '五年级', className: '2班' }, 2)).id;
    ids.丙 = (await pupil('甄丙', { grade: '四年级', className: '1班' }, 3)).id;
    ids.丁 = (await pupil('甄丁', { grade: '五年级', className: '1班' }, 4)).id;
    ids.戊 = (await pupil('甄戊', { grade: '十年级' }, 5)).id;
    const vacationVisit = (id: string, visitDate: string) => teacher.request('POST', `/api/pupils/${id}/visits`, visitInput({ kind: 'school_vacation', visitDate }));
    expect((await vacationVisit(ids.甲, '2026-08-31')).status).toBe(201);
    expect((await vacationVisit(ids.乙, '2026-09-01')).status).toBe(201);
    expect((await director.request('POST', `/api/children/${ids.丁}/visits`, visitInput({ visitDate: '2026-08-10' }))).status).toBe(201);
    expect((await vacationVisit(ids.戊, '2026-06-30')).status).toBe(201);
  });
  afterAll(() => t.close());

  it('filters by grade and by class, each pupil with his class', async () => {
    expect(names(await list(''))).toEqual(['甄丁', '甄丙', '甄戊', '甄乙', '甄甲'].sort());
    expect(names(await list(`&grade=${encodeURIComponent('五年级')}`))).toEqual(['甄丁', '甄乙', '甄甲'].sort());
    expect(names(await list(`&grade=${encodeURIComponent('五年级')}&class=${encodeURIComponent('1班')}`))).toEqual(['甄丁', '甄甲'].sort());
    expect(names(await list(`&class=${encodeURIComponent('1班')}`))).toEqual(['甄丁', '甄丙', '甄甲'].sort());
    expect((await list(`&grade=${encodeURIComponent('六年级')}`)).total).toBe(0);
    const page = await list('');
    expect(page.items.find((p) => p.id === ids.甲)).toMatchObject({ grade: '五年级', className: '1班' });
    expect(page.items.find((p) => p.id === ids.戊)).toMatchObject({ grade: '十年级', className: null });
  });

  it('"not yet visited this vacation" counts only a vacation home visit dated inside the window', async () => {
    const page = await list('');
    const visited = Object.fromEntries(page.items.map((p) => [p.name, p.visitedThisVacation]));
    expect(visited).toEqual({ 甄甲: true, 甄乙: false, 甄丙: false, 甄丁: false, 甄戊: false });
    expect(names(await list('&notVisited=true'))).toEqual(['甄丁', '甄丙', '甄戊', '甄乙'].sort());
    expect(names(await list(`&notVisited=true&grade=${encodeURIComponent('五年级')}&class=${encodeURIComponent('1班')}`))).toEqual(['甄丁']);
    // With the filter off, everybody again.
    expect((await list('&notVisited=false')).total).toBe(5);
  });

  it('offers the grades in school order, the classes of a grade, and the vacation window', async () => {
    const facets = (await teacher.request('GET', '/api/pupils/facets')).json() as PupilFacets;
    expect(facets.vacation).toEqual({ season: 'summer', year: 2026, from: '2026-07-01', to: '2026-08-31', inProgress: false });
    expect(facets.grades).toEqual(['四年级', '五年级', '十年级']);
    expect(facets.classes).toEqual(['1班', '2班']);
    const fifth = (await teacher.request('GET', `/api/pupils/facets?grade=${encodeURIComponent('五年级')}`)).json() as PupilFacets;
    expect(fifth.classes).toEqual(['1班', '2班']);
    const fourth = (await teacher.request('GET', `/api/pupils/facets?grade=${encodeURIComponent('四年级')}`)).json() as PupilFacets;
    expect(fourth.classes).toEqual(['1班']);
    // Staff have their own lists.
    expect((await director.request('GET', '/api/pupils/facets')).status).toBe(403);
  });

  it('when the winter vacation begins, the summer visits no longer count', async () => {
    t.clock.set('2027-01-10T02:00:00.000Z');
    try {
      // The old session has long expired by then.
      teacher = await signIn(t, 'school-demo');
      const facets = (await teacher.request('GET', '/api/pupils/facets')).json() as PupilFacets;
      expect(facets.vacation).toEqual({ season: 'winter', year: 2027, from: '2027-01-10', to: '2027-02-28', inProgress: true });
      expect((await list('&notVisited=true')).total).toBe(5);
      expect((await teacher.request('POST', `/api/pupils/${ids.丙}/visits`, visitInput({ kind: 'school_vacation', visitDate: '2027-01-10' }))).status).toBe(201);
      expect(names(await list('&notVisited=true'))).toEqual(['甄丁', '甄戊', '甄乙', '甄甲'].sort());
    } finally {
      t.clock.set('2026-11-29T02:00:00.000Z');
      teacher = await signIn(t, 'school-demo');
    }
  });
});
