import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localToday } from '../core/clock.js';
import { rederiveCategories } from '../features/children/child-rederive.js';
import { foldVisits } from '../features/visits/visit-record.js';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../test/harness.js';
import { seedDemoChildren } from './demo-children.js';

describe(`demo visits (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let seconds = 0;
  // A tenth of the demo population: the same code as the full seed (demo-children.test.ts seeds it all).
  beforeAll(async () => {
    t = await createTestApp();
    const started = Date.now();
    await seedDemoChildren(t.deps, 2_500);
    seconds = (Date.now() - started) / 1000;
  }, 120_000);
  afterAll(() => t.close());

  it('gives the demo children a plausible year of visits', async () => {
    const today = localToday(t.deps.clock);
    const children = await t.deps.db.selectFrom('children').select(['id', 'status', 'next_visit_due', 'last_visit_date', 'unseen_streak', 'school_org_id', 'risk_level']).execute();
    const visits = await t.deps.db.selectFrom('visits').select(['child_id', 'visit_date', 'kind', 'on_time', 'visitor_role']).execute();
    const active = children.filter((c) => c.status === 'active');
    const share = (f: (c: (typeof active)[number]) => boolean) => active.filter(f).length / active.length;
    console.log(`demo visits (${dialectUnderTest()}): ${visits.length} visits of ${active.length} active children, seeded with the children in ${seconds.toFixed(1)} s`);
    expect(visits.length).toBeGreaterThan(active.length * 3);
    expect(visits.every((v) => v.visit_date <= today && v.visit_date > '2020-01-01')).toBe(true);
    const overdue = share((c) => c.next_visit_due! < today);
    expect(overdue).toBeGreaterThan(0.05);
    expect(overdue).toBeLessThan(0.14);
    expect(share((c) => c.last_visit_date === null)).toBeGreaterThan(0.02);
    expect(share((c) => c.unseen_streak >= 2)).toBeGreaterThan(0.02);
    expect(share((c) => c.risk_level !== 'low')).toBeGreaterThan(0.05);
    expect(visits.filter((v) => v.on_time === 1).length / visits.length).toBeGreaterThan(0.75);
    expect(visits.some((v) => v.kind === 'school_vacation' && v.visitor_role === 'school')).toBe(true);
    expect(children.filter((c) => c.status !== 'active').every((c) => c.last_visit_date === null)).toBe(true);
  });

  it('stores the same schedule that recording the visits would: re-deriving every file changes nothing', async () => {
    const sample = await t.deps.db.selectFrom('children').select(['id', 'last_visit_date', 'last_seen_date', 'unseen_streak']).where('status', '=', 'active').orderBy('id').limit(300).execute();
    for (const child of sample) {
      const rows = await t.deps.db.selectFrom('visits').select(['id', 'visit_date', 'created_at', 'seen_in_person', 'factors']).where('child_id', '=', child.id).execute();
      const folded = foldVisits(rows);
      expect({ last: child.last_visit_date, seen: child.last_seen_date, streak: child.unseen_streak }).toEqual({ last: folded.lastVisitDate, seen: folded.lastSeenDate, streak: folded.unseenStreak });
    }
    // The daily job recomputes risk and due date with computeSchedule: nothing to change.
    expect((await rederiveCategories(t.deps)).changed).toBe(0);
  }, 120_000);

  it('links pupils to the demo school, whose contact sees them', async () => {
    const teacher = await signIn(t, 'school-demo');
    const pupils = (await teacher.request('GET', '/api/pupils?pageSize=200')).json() as { total: number; items: { region: { code: string } }[] };
    expect(pupils.total).toBeGreaterThan(3);
    expect(pupils.items.every((p) => p.region.code.startsWith('431202001'))).toBe(true);
  });
});
