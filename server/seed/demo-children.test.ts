import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialectUnderTest, signIn, type TestApp } from '../test/harness.js';
import { buildDemoChildren, DEMO_CHILDREN } from './demo-children.js';

describe(`demo population (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let seconds = 0;
  beforeAll(async () => {
    const started = Date.now();
    t = await createTestApp({}, { demoChildren: true });
    seconds = (Date.now() - started) / 1000;
  }, 120_000);
  afterAll(() => t.close());

  it('is deterministic', () => {
    const villages = [{ code: '431202001201', name: '青西村' }, { code: '431221101202', name: '花桥村' }];
    const a = buildDemoChildren(villages, '2026-11-29', 200);
    const b = buildDemoChildren(villages, '2026-11-29', 200);
    expect(a).toEqual(b);
    expect(a).toHaveLength(200);
  });

  it('seeds about 20,000 real files with a plausible mix', async () => {
    const rows = await t.deps.db.selectFrom('children').select(['status', 'left_behind', 'distress', 'unsupported', 'id_hash', 'id_masked', 'school_status', 'region_code', 'profile']).execute();
    console.log(`demo population (${dialectUnderTest()}): ${rows.length} children, app with seed ready in ${seconds.toFixed(1)} s`);
    expect(rows.length).toBe(DEMO_CHILDREN);
    const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
    expect(share((r) => r.left_behind === 1)).toBeGreaterThan(0.3);
    expect(share((r) => r.left_behind === 1)).toBeLessThan(0.7);
    expect(share((r) => r.unsupported === 1)).toBeGreaterThan(0.01);
    expect(share((r) => r.distress === 1)).toBeGreaterThan(0.05);
    expect(share((r) => r.status === 'pending')).toBeGreaterThan(0.04);
    expect(share((r) => r.id_hash === null)).toBeGreaterThan(0.03);
    expect(share((r) => r.school_status === 'dropped_out')).toBeGreaterThan(0.01);
    expect(rows.filter((r) => r.id_masked).every((r) => /^4312\d{2}\*{11}[\dX]$/.test(r.id_masked!))).toBe(true);
    expect(JSON.stringify(rows.slice(0, 50).map((r) => r.profile))).not.toMatch(/1[358]\d{9}/); // phones sealed
    expect(new Set(rows.map((r) => r.region_code.slice(0, 6))).size).toBe(13);
    const hashes = rows.map((r) => r.id_hash).filter((h) => h !== null);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('shows the population through the API, scoped', async () => {
    const county = await signIn(t, 'county-431202');
    const list = (await county.request('GET', '/api/children?category=left_behind&pageSize=5')).json() as { total: number; items: { region: { code: string } }[] };
    expect(list.total).toBeGreaterThan(100);
    expect(list.items.every((c) => c.region.code.startsWith('431202'))).toBe(true);
  });
});
