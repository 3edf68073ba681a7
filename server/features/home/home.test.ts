import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HomeSummary } from '../../../domain/api.js';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { InboxSummary, ReferralRecord } from '../../../domain/referrals/schema.js';
import type { PupilHome } from '../../../domain/visits/schema.js';
import { childInput, hanDigits } from '../children/children.test-data.js';
import { organisationOfKind, referralInput } from '../referrals/referrals.test-data.js';
import { visitInput } from '../visits/visits.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

/**
 * Each role's home starts with its own work (issue 12 point 11): the
 * network's staffing for those who run it, the organisation's referrals for
 * an agency, the school's pupils for a school contact, nothing borrowed for a
 * volunteer. The harness's clock reads 2026-11-29T02:00Z.
 */
describe(`each role's home (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let counsellor: Session;
  let police: Session;
  let teacher: Session;
  let volunteer: Session;
  let counselling = '';
  let policeOrg = '';
  let schoolId = '';
  let seq = 0;

  async function child(schooling: Partial<ChildDetail['schooling']> = {}): Promise<ChildDetail> {
    seq++;
    const res = await supervisor.request(
      'POST',
      '/api/children',
      childInput({ name: `首页${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${hanDigits(seq)}`, idNumber: null, birthDate: `2014-05-${String(seq).padStart(2, '0')}`, ...(schooling.schoolOrgId ? { schooling: { status: 'in_school', school: '青西小学', boarding: false, grade: '五年级', ...schooling } } : {}) }),
    );
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  async function refer(org: string, acceptBy?: string): Promise<string> {
    const res = await supervisor.request('POST', `/api/children/${(await child()).id}/referrals`, referralInput(org, acceptBy ? { acceptBy } : {}));
    expect(res.status, res.body).toBe(201);
    return (res.json() as ReferralRecord).id;
  }
  const home = async (s: Session) => {
    const res = await s.request('GET', '/api/home');
    expect(res.status, res.body).toBe(200);
    return res.json() as HomeSummary;
  };
  const inbox = async (s: Session) => {
    const res = await s.request('GET', '/api/home/inbox');
    expect(res.status, res.body).toBe(200);
    return res.json() as InboxSummary;
  };

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    counsellor = await signIn(t, 'agency-counselling');
    police = await signIn(t, 'agency-police');
    teacher = await signIn(t, 'school-demo');
    volunteer = await signIn(t, 'volunteer-demo');
    counselling = await organisationOfKind(t.deps.db, 'counselling');
    policeOrg = await organisationOfKind(t.deps.db, 'police');
    schoolId = await organisationOfKind(t.deps.db, 'school');
  });
  afterAll(() => t.close());

  it('gives directors, supervisors, county and city officials the staffing of their scope, and nobody else', async () => {
    const county = await home(await signIn(t, 'county-431202'));
    expect(county.region.code).toBe('431202000000');
    expect(county.counts).toMatchObject({ townships: expect.any(Number) as number, directors: expect.any(Number) as number });
    expect(county.counts!.townships).toBeGreaterThan(0);
    expect((await home(supervisor)).counts!.villages).toBeGreaterThan(0);
    expect((await home(await signIn(t, 'city-431200'))).counts!.counties).toBe(13);
    expect((await home(await signIn(t, 'director-431202001201'))).counts).not.toBeNull();
    // The agency used to see the city's staffing here; the school and the volunteer likewise.
    for (const s of [counsellor, police, teacher, volunteer]) expect((await home(s)).counts).toBeNull();
  });

  it("shows an agency its own organisation's referrals: to accept, overdue among them, accepted, in service", async () => {
    expect(await inbox(counsellor)).toEqual({ toAccept: 0, overdue: 0, accepted: 0, inService: 0 });
    const [late, waiting, toAccept, toStart, done] = [
      await refer(counselling, '2026-11-29T03:00:00.000Z'),
      await refer(counselling),
      await refer(counselling),
      await refer(counselling),
      await refer(counselling),
    ];
    expect(late && waiting).toBeTruthy();
    const act = async (id: string, action: string, body: Record<string, unknown> = {}) => expect((await counsellor.request('POST', `/api/inbox/referrals/${id}/${action}`, body)).status).toBe(200);
    await act(toAccept, 'accept');
    await act(toStart, 'accept');
    await act(toStart, 'start');
    await act(done, 'decline', { reason: '不在本机构服务范围内' });
    // The first one's deadline passes (sessions would not survive moving the clock two hours on).
    await t.deps.db.updateTable('referrals').set({ accept_by: '2026-11-29T01:59:00.000Z' }).where('id', '=', late).execute();
    expect(await inbox(counsellor)).toEqual({ toAccept: 2, overdue: 1, accepted: 1, inService: 1 });
    // Another organisation's inbox counts none of them.
    expect(await inbox(police)).toEqual({ toAccept: 0, overdue: 0, accepted: 0, inService: 0 });
    await refer(policeOrg);
    expect((await inbox(police)).toAccept).toBe(1);
    expect((await inbox(counsellor)).toAccept).toBe(2);
  });

  it("shows a school contact his school's pupils and those not visited this vacation", async () => {
    const before = (await teacher.request('GET', '/api/home/pupils')).json() as PupilHome;
    expect(before.vacation).toMatchObject({ season: 'summer', year: 2026, from: '2026-07-01', to: '2026-08-31' });
    const a = await child({ schoolOrgId: schoolId });
    await child({ schoolOrgId: schoolId });
    await child(); // not a pupil of his school
    let now = (await teacher.request('GET', '/api/home/pupils')).json() as PupilHome;
    expect(now.pupils - before.pupils).toBe(2);
    expect(now.notVisited - before.notVisited).toBe(2);
    expect((await teacher.request('POST', `/api/pupils/${a.id}/visits`, visitInput({ kind: 'school_vacation', visitDate: '2026-08-20' }))).status).toBe(201);
    now = (await teacher.request('GET', '/api/home/pupils')).json() as PupilHome;
    expect(now.pupils - before.pupils).toBe(2);
    expect(now.notVisited - before.notVisited).toBe(1);
  });

  it("refuses each role's figures to the roles they are not for", async () => {
    for (const s of [supervisor, teacher, volunteer]) expect((await s.request('GET', '/api/home/inbox')).status).toBe(403);
    for (const s of [supervisor, counsellor, volunteer]) expect((await s.request('GET', '/api/home/pupils')).status).toBe(403);
  });
});
