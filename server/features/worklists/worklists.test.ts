import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../domain/api.js';
import type { ChildDetail, ChildInput, ChildSummary } from '../../../domain/children/schema.js';
import { addDays } from '../../../domain/children/dates.js';
import type { ScheduleSettings } from '../../../domain/visits/schedule.js';
import { CHECKLIST_ITEMS, type WorklistCounts, type WorklistKind, type WorklistPage, type WorklistRow } from '../../../domain/visits/schema.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { rederiveCategories } from '../children/child-rederive.js';
import { writeSetting } from '../settings/settings.repository.js';
import { childInput } from '../children/children.test-data.js';

/** The harness clock: 2026-11-29 02:00 UTC, i.e. 2026-11-29 in China. */
const TODAY = '2026-11-29';
const day = (offset: number) => addDays(TODAY, offset);
const at = (date: string) => `${date}T02:00:00.000Z`;

const TOWNSHIP = '431202001000';
const VILLAGE = '431202001201';
const NEIGHBOUR_VILLAGE = '431202001202';
const OTHER_TOWNSHIP_VILLAGE = '431202002201';
const COUNTY = '431202000000';

const ENTRUSTED: Partial<ChildInput> = { caregiver: { kind: 'entrusted', capacity: 'good', name: '张阿姨', phone: '13900002222' } };

describe(`work lists (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let director: Session;
  let county: Session;
  let city: Session;
  /** The supervisor of the other township registers and visits its child. */
  let otherSupervisor: Session;
  const ids: Record<string, string> = {};
  let seq = 0;

  /** Sessions expire as the clock moves: everyone signs in again at each date. */
  async function signInAll(): Promise<void> {
    [supervisor, otherSupervisor, director, county, city] = await Promise.all([
      signIn(t, `supervisor-${TOWNSHIP}`),
      signIn(t, 'supervisor-431202002000'),
      signIn(t, `director-${VILLAGE}`),
      signIn(t, 'county-431202'),
      signIn(t, 'city-431200'),
    ]);
  }

  async function at_(date: string): Promise<void> {
    t.clock.set(at(date));
    await signInAll();
  }

  /** Registers an active file (a supervisor's registration needs no approval) on the clock's date. */
  async function register(key: string, regionCode: string, overrides: Partial<ChildInput> = {}): Promise<string> {
    const by = regionCode.startsWith(TOWNSHIP.slice(0, 9)) ? supervisor : otherSupervisor;
    const res = await by.request('POST', '/api/children', childInput({ name: `清单${key}`, idNumber: null, birthDate: `2014-02-${String(10 + ++seq).padStart(2, '0')}`, regionCode, ...overrides }));
    expect(res.status, res.body).toBe(201);
    ids[key] = (res.json() as { id: string }).id;
    return ids[key];
  }

  /** A visit recorded through the API (by the village’s director unless `by` says otherwise), on the clock’s date. */
  async function recordVisit(childId: string, visitDate: string, seenInPerson = true, by: Session = director): Promise<void> {
    const body = {
      visitDate,
      kind: 'home',
      seenInPerson,
      present: seenInPerson ? ['child'] : [],
      checklist: Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, { rating: 'fine' }])),
      factors: {},
      followUps: [],
      photoIds: [],
    };
    const res = await by.request('POST', `/api/children/${childId}/visits`, body);
    expect(res.status, res.body).toBe(201);
  }

  const get = async <T>(s: Session, url: string): Promise<T> => {
    const res = await s.request('GET', url);
    expect(res.status, `${s.username} ${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };
  const list = (s: Session, kind: WorklistKind, region?: string) =>
    get<WorklistPage>(s, `/api/worklists?kind=${kind}&pageSize=200${region ? `&region=${region}` : ''}`);
  const counts = (s: Session, region?: string) => get<WorklistCounts>(s, `/api/worklists/counts${region ? `?region=${region}` : ''}`);
  const names = (page: WorklistPage) => page.items.map((r) => r.name);

  beforeAll(async () => {
    t = await createTestApp();
    // Forty days ago: the files are opened.
    await at_(day(-40));
    await register('逾期', VILLAGE, ENTRUSTED);
    await register('今日', VILLAGE, ENTRUSTED);
    await register('七天', VILLAGE, ENTRUSTED);
    await register('八天', VILLAGE, ENTRUSTED);
    await register('未见', VILLAGE, ENTRUSTED);
    await register('邻村', NEIGHBOUR_VILLAGE, ENTRUSTED);
    await register('外乡', OTHER_TOWNSHIP_VILLAGE, ENTRUSTED);
    // Visits, each on its own day: an entrusted carer's child is due 30 days after the last visit.
    const visits: [string, number, boolean][] = [
      ['逾期', -31, true], // due yesterday: overdue by one day
      ['外乡', -31, true],
      ['邻村', -31, true],
      ['今日', -30, true], // due today: due this week, not overdue
      ['未见', -28, false],
      ['未见', -25, false], // not seen in the last two visits; due in five days
      ['七天', -23, true], // due in seven days: the last day of "this week"
      ['八天', -22, true], // due in eight days: outside
    ];
    for (const [key, offset, seen] of visits) {
      await at_(day(offset));
      const by = key === '外乡' ? otherSupervisor : key === '邻村' ? supervisor : director;
      await recordVisit(ids[key]!, day(offset), seen, by);
    }
    await at_(TODAY);
    // Registered today and never visited, low risk and in no priority group: due for a first visit in 30 days
    // (the first-visit setting), not one 90-day interval later; on the never-visited list only.
    await register('新登记', VILLAGE);
  });
  afterAll(() => t.close());

  it('puts the child last visited 31 days ago with an entrusted carer on the overdue list of the director, supervisor and county alike', async () => {
    const mine = await list(director, 'overdue');
    expect(names(mine)).toEqual(['清单逾期']);
    expect(mine.items[0]).toMatchObject({
      childId: ids['逾期'],
      region: { code: VILLAGE, level: 'village' },
      lastVisitDate: day(-31),
      nextDue: day(-1),
      state: 'overdue',
      daysOverdue: 1,
      riskLevel: 'low',
    });
    expect((await counts(director)).counts.overdue).toBe(1);

    const township = await counts(supervisor);
    expect(township.region).toMatchObject({ code: TOWNSHIP, level: 'township' });
    expect(township.counts.overdue).toBe(2);
    const village = township.regions.find((r) => r.region.code === VILLAGE)!;
    expect(village).toMatchObject({ overdue: 1, active: 6, neverVisited: 1 });
    expect(township.regions.find((r) => r.region.code === NEIGHBOUR_VILLAGE)).toMatchObject({ overdue: 1, active: 1 });
    // Every village of the township has a row, the two with overdue children first.
    expect(township.regions.length).toBeGreaterThan(2);
    expect(township.regions.slice(0, 2).map((r) => r.region.code)).toEqual([VILLAGE, NEIGHBOUR_VILLAGE]);
    expect(names(await list(supervisor, 'overdue'))).toEqual(expect.arrayContaining(['清单逾期', '清单邻村']));

    const perTownship = await counts(county);
    expect(perTownship.counts.overdue).toBe(3);
    expect(perTownship.regions.slice(0, 2).map((r) => [r.region.code, r.overdue])).toEqual([
      [TOWNSHIP, 2],
      ['431202002000', 1],
    ]);
    expect(perTownship.regions.every((r) => r.region.level === 'township' && r.directors.length === 0)).toBe(true);
    const perCounty = await counts(city);
    // A city's counties carry counts but no on-time rates (they would read every visit of the city).
    expect(perCounty.regions[0]).toMatchObject({ region: { code: COUNTY, level: 'county' }, overdue: 3, active: 8, onTimeRate: null, visits: null });
  });

  it('counts a child due today and one due in seven days as due this week, and one due in eight days not', async () => {
    const week = await list(director, 'due_this_week');
    expect(names(week)).toEqual(['清单今日', '清单未见', '清单七天']);
    expect(week.items.map((r) => [r.nextDue, r.state, r.daysOverdue])).toEqual([
      [TODAY, 'due_soon', 0],
      [day(5), 'due_soon', 0],
      [day(7), 'due_soon', 0],
    ]);
    expect((await counts(director)).counts.due_this_week).toBe(3);
    // Of those, one is due today: the home tile says so in the work list's words.
    expect((await counts(director)).dueToday).toBe(1);
    expect((await counts(supervisor)).dueToday).toBe(1);
    expect(names(await list(director, 'overdue'))).not.toContain('清单今日');
  });

  it('lists the child never visited, and the one not seen in person in the last two visits', async () => {
    const never = await list(director, 'never_visited');
    expect(never.items.map((r) => [r.name, r.lastVisitDate, r.state])).toEqual([['清单新登记', null, 'ok']]);
    const unseen = await list(director, 'unseen');
    expect(names(unseen)).toEqual(['清单未见']);
    expect((await counts(director)).counts).toMatchObject({ never_visited: 1, unseen: 1, campaign: 0 });
  });

  it('a low-risk child registered today is due for a first visit in 30 days: on the child page, the list and the work lists alike', async () => {
    const id = ids['新登记']!;
    type Shown = { page: ChildDetail['schedule']; listed: ChildSummary | undefined; never: WorklistRow | undefined; township: WorklistRow | undefined };
    const shown = async (): Promise<Shown> => ({
      page: (await get<ChildDetail>(director, `/api/children/${id}`)).schedule,
      listed: (await get<{ items: ChildSummary[] }>(director, `/api/children?q=${encodeURIComponent('清单新登记')}`)).items.find((c) => c.id === id),
      never: (await list(director, 'never_visited')).items.find((r) => r.childId === id),
      township: (await list(supervisor, 'never_visited')).items.find((r) => r.childId === id),
    });
    const today = await shown();
    expect(today.page).toMatchObject({ risk: { level: 'low' }, intervalDays: 90, firstVisitDays: 30, lastVisitDate: null, nextDue: day(30), state: 'ok' });
    expect(today.listed).toMatchObject({ riskLevel: 'low', nextVisitDue: day(30), visitState: 'ok' });
    expect(today.never).toMatchObject({ nextDue: day(30), state: 'ok', daysOverdue: 0 });
    expect(today.township).toMatchObject({ nextDue: day(30), state: 'ok' });
    try {
      // 30 days on, the due date is today: due this week everywhere, not yet overdue.
      await at_(day(30));
      const due = await shown();
      expect([due.page?.state, due.listed?.visitState, due.never?.state, due.township?.state]).toEqual(['due_soon', 'due_soon', 'due_soon', 'due_soon']);
      expect(names(await list(director, 'due_this_week'))).toContain('清单新登记');
      // A day later nobody has seen him: overdue everywhere.
      await at_(day(31));
      const late = await shown();
      expect([late.page?.state, late.listed?.visitState, late.never?.state, late.township?.state]).toEqual(['overdue', 'overdue', 'overdue', 'overdue']);
      expect((await list(director, 'overdue')).items.find((r) => r.childId === id)).toMatchObject({ nextDue: day(30), daysOverdue: 1 });
      expect(names(await list(supervisor, 'overdue'))).toContain('清单新登记');
    } finally {
      await at_(TODAY);
    }
  });

  it('moves a never-visited file’s first-visit date when the setting changes (re-derivation, approval)', async () => {
    const id = ids['新登记']!;
    const settings = await get<ScheduleSettings>(city, '/api/settings/visit-schedule');
    expect(settings.firstVisitDays).toBe(30);
    // A file registered by the director waits for approval with the first-visit date of its registration.
    const res = await director.request('POST', '/api/children', childInput({ name: '清单待批', idNumber: null, birthDate: '2014-03-01', regionCode: VILLAGE }));
    expect(res.status, res.body).toBe(201);
    const pending = res.json() as ChildDetail;
    expect(pending).toMatchObject({ status: 'pending', nextVisitDue: day(30) });
    try {
      // The setting changes (stored only: the background re-derivation has not reached the file yet);
      // approval puts the file on the work lists with the due date worked out under the setting in force.
      await writeSetting(t.deps.db, 'visit_schedule', { ...settings, firstVisitDays: 14 }, new Date().toISOString());
      await at_(day(3));
      const approved = await supervisor.request('POST', `/api/children/${pending.id}/approve`, { comment: null });
      expect(approved.status, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ nextVisitDue: day(14), schedule: { nextDue: day(14), firstVisitDays: 14 } });
      expect((await list(director, 'never_visited')).items.find((r) => r.childId === pending.id)).toMatchObject({ nextDue: day(14), state: 'ok' });
      // Off the lists again, so that the tests below count the files they set up.
      expect((await supervisor.request('POST', `/api/children/${pending.id}/close`, { reason: 'moved_away', note: null })).status).toBe(200);

      // Through the settings page: every open never-visited file is re-derived.
      await at_(TODAY);
      const put = await city.request('PUT', '/api/settings/visit-schedule', { ...settings, firstVisitDays: 10 });
      expect(put.status, put.body).toBe(200);
      await rederiveCategories(t.deps);
      expect((await get<ChildDetail>(director, `/api/children/${id}`)).schedule).toMatchObject({ firstVisitDays: 10, nextDue: day(10) });
      expect((await list(director, 'never_visited')).items.find((r) => r.childId === id)).toMatchObject({ nextDue: day(10) });
    } finally {
      await at_(TODAY);
      expect((await city.request('PUT', '/api/settings/visit-schedule', settings)).status).toBe(200);
      await rederiveCategories(t.deps);
    }
    expect((await get<ChildDetail>(director, `/api/children/${id}`)).schedule?.nextDue).toBe(day(30));
  });

  it('never shows another township’s children, answers a region outside scope with 404, and narrows within scope', async () => {
    for (const kind of ['overdue', 'due_this_week', 'never_visited', 'unseen', 'aging_out'] as const) {
      expect(names(await list(supervisor, kind)), kind).not.toContain('清单外乡');
      expect(names(await list(director, kind)), kind).not.toContain('清单邻村');
    }
    expect((await counts(supervisor)).regions.every((r) => r.region.code.startsWith('431202001'))).toBe(true);

    const asked = [
      [supervisor, '/api/worklists?region=431202002000'],
      [supervisor, '/api/worklists/counts?region=431202002201'],
      [director, `/api/worklists?region=${NEIGHBOUR_VILLAGE}`],
      [county, `/api/worklists/counts?region=${OUTSIDE.county}`],
      [city, `/api/worklists?kind=overdue&region=${OUTSIDE.village}`],
    ] as const;
    for (const [s, url] of asked) {
      const res = await s.request('GET', url);
      expect(res.status, `${s.username} ${url}`).toBe(404);
    }
    const missing = await county.request('GET', '/api/worklists?region=431202999000');
    const outside = await county.request('GET', '/api/worklists?region=431221000000');
    expect(missing.status).toBe(404);
    expect(outside.body).toBe(missing.body);
    const bad = await county.request('GET', '/api/worklists?region=4312');
    expect(bad.status).toBe(400);
    expect((bad.json() as ErrorBody).error.field).toBe('region');

    // The county narrowed to the other township sees its child and no other.
    expect(names(await list(county, 'overdue', '431202002000'))).toEqual(['清单外乡']);
    const narrowed = await counts(supervisor, NEIGHBOUR_VILLAGE);
    expect(narrowed.region.code).toBe(NEIGHBOUR_VILLAGE);
    expect(narrowed.path.map((r) => r.code)).toContain(TOWNSHIP);
    expect(narrowed.counts.overdue).toBe(1);
    expect(narrowed.regions).toEqual([]);
  });

  it('gives each village and its director an on-time rate that moves when a visit is recorded', async () => {
    const before = (await counts(supervisor)).regions.find((r) => r.region.code === VILLAGE)!;
    // Six visits in the last 90 days, all by their due date; one child overdue now: 6 / (6 + 1).
    expect(before).toMatchObject({ visits: 6, overdue: 1 });
    expect(before.onTimeRate).toBeCloseTo(6 / 7);
    expect(before.directors).toHaveLength(1);
    expect(before.directors[0]).toMatchObject({ visits: 6 });
    expect(before.directors[0]!.onTimeRate).toBeCloseTo(6 / 7);

    // A visit by its due date raises the rate.
    await recordVisit(ids['今日']!, TODAY);
    const onTime = (await counts(supervisor)).regions.find((r) => r.region.code === VILLAGE)!;
    expect(onTime.visits).toBe(7);
    expect(onTime.onTimeRate).toBeCloseTo(7 / 8);
    expect(onTime.directors[0]!.onTimeRate).toBeCloseTo(7 / 8);

    // A late visit takes the child off the overdue list; late it was, so the rate stays where the overdue child had put it.
    await recordVisit(ids['逾期']!, TODAY);
    expect(names(await list(director, 'overdue'))).toEqual([]);
    const late = (await counts(supervisor)).regions.find((r) => r.region.code === VILLAGE)!;
    expect(late).toMatchObject({ visits: 8, overdue: 0 });
    expect(late.onTimeRate).toBeCloseTo(7 / 8);
    const townships = await counts(county);
    expect(townships.counts.overdue).toBe(2);
    // The county's row for the township: its villages' visits (8 + the neighbour's 1, all but one on time), nothing overdue left there.
    const township = townships.regions.find((r) => r.region.code === TOWNSHIP)!;
    expect(township).toMatchObject({ visits: 9, overdue: 1 });
    expect(township.onTimeRate).toBeCloseTo(8 / 10);

    // A village with neither visits nor overdue children has no rate.
    const quiet = (await counts(supervisor)).regions.find((r) => r.region.code !== VILLAGE && r.region.code !== NEIGHBOUR_VILLAGE)!;
    expect(quiet).toMatchObject({ visits: 0, overdue: 0, onTimeRate: null });
  });

  it('pages a list in order, most overdue first', async () => {
    const first = await get<WorklistPage>(county, '/api/worklists?kind=due_this_week&pageSize=1');
    const second = await get<WorklistPage>(county, '/api/worklists?kind=due_this_week&pageSize=1&page=2');
    expect(first.total).toBe(2);
    expect([...first.items, ...second.items].map((r) => r.nextDue)).toEqual([day(5), day(7)]);
  });

  it('lists the open tasks of an open verification campaign (重点核查) until they are done', async () => {
    const checklist = [{ key: 'carer_present', label: '照护人仍在且有能力' }];
    const opened = await county.request('POST', '/api/campaigns', { name: '委托照护核查', regionCode: TOWNSHIP, startDate: TODAY, endDate: day(30), categories: [], checklist });
    expect(opened.status, opened.body).toBe(201);
    const tasks = await list(director, 'campaign');
    expect(tasks.total).toBe(6);
    expect(tasks.items.every((r) => r.campaignName === '委托照护核查' && r.campaignTaskId && r.region.code === VILLAGE)).toBe(true);
    expect((await counts(director)).counts.campaign).toBe(6);
    expect((await counts(supervisor)).counts.campaign).toBe(7);
    expect((await counts(otherSupervisor)).counts.campaign).toBe(0);

    const task = tasks.items.find((r) => r.childId === ids['八天'])!;
    const done = await director.request('POST', `/api/children/${task.childId}/visits`, {
      visitDate: TODAY,
      kind: 'key_verification',
      seenInPerson: true,
      present: ['child'],
      checklist: Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, { rating: 'fine' }])),
      factors: {},
      followUps: [],
      photoIds: [],
      campaignTaskId: task.campaignTaskId,
      campaignAnswers: { carer_present: { ok: true } },
    });
    expect(done.status, done.body).toBe(201);
    const after = await list(director, 'campaign');
    expect(after.total).toBe(5);
    expect(after.items.map((r) => r.childId)).not.toContain(ids['八天']);
  });

  it('is closed to roles without work lists', async () => {
    for (const username of ['school-demo', 'sysadmin']) {
      const s = await signIn(t, username);
      expect((await s.request('GET', '/api/worklists')).status, username).toBe(403);
      expect((await s.request('GET', '/api/worklists/counts')).status, username).toBe(403);
    }
  });
});
