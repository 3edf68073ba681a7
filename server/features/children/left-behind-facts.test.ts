/**
 * Issue 12 §7: a child with both parents away and a grandparent as carer must
 * not vanish from 留守 because the date the parents left is blank. The date is
 * asked (a month is enough) or "more than six months, date unknown" is
 * recorded on purpose; neither is refused on registration, edit and import;
 * existing files in that state are listed as 缺少关键信息, not re-categorised.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail, ChildInput, ParentInput } from '../../../domain/children/schema.js';
import type { WorklistCounts, WorklistPage } from '../../../domain/visits/schema.js';
import * as migration from '../../db/migrations/0020-record-missing-facts-and-all-fine.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { buildRoster, rosterRow, testId, upload, waitForJob } from '../children-import/import-test-files.js';
import { NO_OVERRIDES, categoriesOf, factsOf, openProfile, sealProfile } from './child-file.js';
import { categorySettings } from '../shared/stored-settings.js';
import { rederiveCategories } from './child-rederive.js';
import { childInput } from './children.test-data.js';

const VILLAGE = '431202001201';
const away = (extra: Partial<ParentInput> = {}): ParentInput => ({ status: 'working_away', skills: [], workProvince: '广东省', ...extra });
const grandparentCare = { caregiver: { kind: 'grandparent' as const, capacity: 'fair' as const, name: '王奶奶' } };

describe(`a left-behind child does not vanish silently (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let seq = 0;
  const input = (father: ParentInput, mother: ParentInput, extra: Partial<ChildInput> = {}): ChildInput => {
    seq++;
    return childInput({ name: `留守${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}`, idNumber: null, birthDate: `2016-03-${String(seq).padStart(2, '0')}`, father, mother, ...grandparentCare, ...extra });
  };
  const countChildren = async () => Number((await t.deps.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
  });
  afterAll(() => t.close());

  it('refuses a parent working away with neither a date nor "date unknown", naming the field, and writes nothing', async () => {
    const before = await countChildren();
    const res = await director.request('POST', '/api/children', input(away({ since: '2024-01-15' }), away()));
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'mother.since' } });
    expect((res.json() as { error: { message: string } }).error.message).toBe('母亲状态起始日期：外出务工须填写离家日期（年月即可），或注明“离家超过六个月，具体日期不详”');
    // Working within the county decides nothing: no date needed.
    const within = await director.request('POST', '/api/children', input(away({ since: '2024-01-15' }), away({ workAwayCrossesCounty: false })));
    expect(within.status, within.body).toBe(201);
    expect((within.json() as ChildDetail).leftBehind).toBe(false);
    expect(await countChildren()).toBe(before + 1);
    // A month that does not exist, a month to come, a day that does not exist.
    for (const [since, reason] of [['2025-13', '应为 YYYY-MM-DD 或 YYYY-MM'], ['2026-12', '不能晚于今天'], ['2025-02-30', '应为 YYYY-MM-DD 或 YYYY-MM'], ['2025/03', '应为 YYYY-MM-DD 或 YYYY-MM']] as const) {
      const bad = await director.request('POST', '/api/children', input(away({ since }), away({ since: '2024-01-15' })));
      expect(bad.status, since).toBe(400);
      expect(bad.json(), since).toMatchObject({ error: { field: 'father.since' } });
      expect((bad.json() as { error: { message: string } }).error.message, since).toContain(reason);
    }
    expect(await countChildren()).toBe(before + 1);
  });

  it('counts a month as enough, and "more than six months, date unknown" as stated by whom, in the reasons', async () => {
    const res = await director.request('POST', '/api/children', input(away({ sinceUnknown: true }), away({ since: '2025-03' })));
    expect(res.status, res.body).toBe(201);
    const child = res.json() as ChildDetail;
    expect(child.leftBehind).toBe(true);
    expect(child.missingFacts).toEqual([]);
    expect(child.father).toMatchObject({ since: null, sinceUnknown: true });
    // Stated by the director who registered the file.
    const by = child.father.sinceStatedBy!;
    const me = (await director.request('GET', '/api/me')).json() as { user: { displayName: string } };
    expect(by).toBe(me.user.displayName);
    expect(child.mother).toMatchObject({ since: '2025-03', sinceUnknown: false, sinceStatedBy: null });
    expect(child.categories.leftBehind.reasons).toEqual([
      { code: 'under_age', params: { age: 10, maxAge: 16 } },
      { code: 'rural_hukou' },
      { code: 'parent_away_date_unknown', params: { parent: 'father', by } },
      { code: 'parent_away_since', params: { parent: 'mother', since: '2025-03', months: 19 } },
      { code: 'both_parents_away' },
    ]);

    // The supervisor edits something else: the statement keeps its author; a date replaces it.
    const kept = await supervisor.request('PUT', `/api/children/${child.id}`, { ...input(away({ sinceUnknown: true }), away({ since: '2025-03' }), { name: child.name, birthDate: child.birthDate, notes: '奶奶腿脚不便' }), version: child.version });
    expect(kept.status, kept.body).toBe(200);
    expect((kept.json() as ChildDetail).father).toMatchObject({ sinceUnknown: true, sinceStatedBy: by });
    const edited = kept.json() as ChildDetail;
    const dated = await supervisor.request('PUT', `/api/children/${child.id}`, { ...input(away({ since: '2026-09-01', sinceUnknown: true }), away({ since: '2025-03' }), { name: child.name, birthDate: child.birthDate }), version: edited.version });
    expect(dated.status, dated.body).toBe(200);
    const after = dated.json() as ChildDetail;
    // The father left two months ago after all: not left-behind (yet), and the file says why.
    expect(after.father).toMatchObject({ since: '2026-09-01', sinceUnknown: false, sinceStatedBy: null });
    expect(after.leftBehind).toBe(false);
    expect(after.categories.leftBehind.reasons).toContainEqual({ code: 'parent_away_too_short', params: { parent: 'father', months: 2, required: 6 } });
    // An edit may not blank the date either.
    const blank = await supervisor.request('PUT', `/api/children/${child.id}`, { ...input(away(), away({ since: '2025-03' }), { name: child.name, birthDate: child.birthDate }), version: after.version });
    expect(blank.json()).toMatchObject({ error: { field: 'father.since' } });
  });

  it('imports the same choice (a month, or 是 in the "date unknown" column) and refuses a row with neither', async () => {
    const rows = [
      rosterRow({ 姓名: '导入年月', 出生日期: '2015-06-01', 身份证号: testId('2015-06-01', 41, 'female'), 父亲状态起始日期: '2024年3月', 母亲状态起始日期: '2024-05' }),
      rosterRow({ 姓名: '导入不详', 出生日期: '2015-06-02', 身份证号: testId('2015-06-02', 42, 'female'), 父亲状态起始日期: null, '父亲离家超过六个月（日期不详）': '是' }),
      rosterRow({ 姓名: '导入空白', 出生日期: '2015-06-03', 身份证号: testId('2015-06-03', 43, 'female'), 母亲状态起始日期: null }),
    ];
    const county = await signIn(t, 'county-431202');
    const dry = await waitForJob(county, (await upload(county, await buildRoster(rows), { dryRun: true })).jobId!);
    expect(dry.result).toMatchObject({ rows: 3, valid: 2, invalid: 1 });
    expect(dry.result!.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [4, '母亲状态起始日期', '母亲状态起始日期：外出务工须填写离家日期（年月即可），或注明“离家超过六个月，具体日期不详”'],
    ]);
    const commit = await waitForJob(county, (await upload(county, await buildRoster(rows.slice(0, 2)), { dryRun: false })).jobId!);
    expect(commit.result, JSON.stringify(commit.result?.errors)).toMatchObject({ committed: true, imported: 2 });
    const written = await t.deps.db.selectFrom('children').select(['id', 'name', 'left_behind', 'missing_facts']).where('name', 'in', ['导入年月', '导入不详']).orderBy('name').execute();
    expect(written.map((c) => [c.name, c.left_behind, c.missing_facts])).toEqual([
      ['导入不详', 1, null],
      ['导入年月', 1, null],
    ]);
    const stated = (await county.request('GET', `/api/children/${written.find((c) => c.name === '导入不详')!.id}`)).json() as ChildDetail;
    expect(stated.categories.leftBehind.reasons).toContainEqual({ code: 'parent_away_date_unknown', params: { parent: 'father', by: stated.father.sinceStatedBy! } });
    const month = (await county.request('GET', `/api/children/${written.find((c) => c.name === '导入年月')!.id}`)).json() as ChildDetail;
    expect([month.father.since, month.mother.since]).toEqual(['2024-03', '2024-05']);
  });

  it('lists an existing file with a parent away and no date as 缺少关键信息 (migration, then start-up re-derivation), without re-categorising it', async () => {
    // A file as the app stored it before issue 12: both parents away, the date blank, not counted as left-behind.
    const res = await supervisor.request('POST', '/api/children', input(away({ since: '2024-01-15' }), away({ since: '2024-01-15' }), { name: '旧档案' }));
    expect(res.status, res.body).toBe(201);
    const id = (res.json() as ChildDetail).id;
    const row = await t.deps.db.selectFrom('children').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const profile = openProfile(row.profile, t.deps.crypto);
    const { sinceUnknown: _fu, sinceStatedBy: _fb, ...father } = { ...profile.father, since: null };
    const { sinceUnknown: _mu, sinceStatedBy: _mb, ...mother } = { ...profile.mother, since: null };
    const legacy = { ...profile, father, mother } as typeof profile;
    const categories = categoriesOf(factsOf({ birthDate: row.birth_date, sex: row.sex as 'male', profile: legacy }), '2026-11-29', await categorySettings(t.deps.db), NO_OVERRIDES);
    expect(categories.leftBehind.value).toBe(false);
    await t.deps.db
      .updateTable('children')
      .set({ profile: JSON.stringify(sealProfile(legacy, t.deps.crypto)), categories: JSON.stringify(categories), left_behind: 0, missing_facts: null })
      .where('id', '=', id)
      .execute();

    // The migration finds it (redone here over this file, on this dialect).
    const untyped = t.deps.db as unknown as Kysely<unknown>;
    await migration.down(untyped);
    await migration.up(untyped);
    const migrated = await t.deps.db.selectFrom('children').select(['missing_facts', 'left_behind']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(migrated).toEqual({ missing_facts: 'father.since,mother.since', left_behind: 0 });
    // Every other file of this test was left alone.
    const others = await t.deps.db.selectFrom('children').select('name').where('missing_facts', 'is not', null).execute();
    expect(others.map((o) => o.name)).toEqual(['旧档案']);

    // The start-up re-derivation keeps it so, and does not change its categories.
    await t.deps.db.updateTable('children').set({ missing_facts: null }).where('id', '=', id).execute();
    const history = async () => (await t.deps.db.selectFrom('child_changes').select('action').where('child_id', '=', id).execute()).map((h) => h.action);
    const before = await history();
    await rederiveCategories(t.deps);
    const rederived = await t.deps.db.selectFrom('children').select(['missing_facts', 'left_behind', 'categories']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(rederived.missing_facts).toBe('father.since,mother.since');
    expect(rederived.left_behind).toBe(0);
    expect(await history()).toEqual(before);

    // The supervisor's work list and counts (and the director's) name it with what is missing.
    for (const s of [supervisor, director]) {
      const list = (await s.request('GET', '/api/worklists?kind=facts_missing')).json() as WorklistPage;
      expect(list.items.map((r) => [r.name, r.missingFacts])).toEqual([['旧档案', ['father.since', 'mother.since']]]);
      expect(((await s.request('GET', '/api/worklists/counts')).json() as WorklistCounts).counts.facts_missing).toBe(1);
    }
    const page = (await supervisor.request('GET', `/api/children/${id}`)).json() as ChildDetail;
    expect(page.missingFacts).toEqual(['father.since', 'mother.since']);
    expect(page.categories.leftBehind.reasons).toContainEqual({ code: 'parent_away_since_unknown', params: { parent: 'father' } });

    // Filled in: counted, and off the list.
    const fixed = await supervisor.request('PUT', `/api/children/${id}`, { ...input(away({ sinceUnknown: true }), away({ since: '2024-06' }), { name: '旧档案', birthDate: page.birthDate }), version: page.version });
    expect(fixed.status, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ leftBehind: true, missingFacts: [] });
    expect(((await supervisor.request('GET', '/api/worklists?kind=facts_missing')).json() as WorklistPage).total).toBe(0);
    expect(((await supervisor.request('GET', '/api/worklists/counts')).json() as WorklistCounts).counts.facts_missing).toBe(0);
  });

  it('a pending file from before names its missing fact in the file the approval dialog reads', async () => {
    // A pending registration from before issue 12 (no date, no statement): the supervisor sees why it is not 留守.
    const res = await director.request('POST', '/api/children', input(away({ since: '2024-01-15' }), away({ sinceUnknown: true })));
    const id = (res.json() as ChildDetail).id;
    const row = await t.deps.db.selectFrom('children').select('profile').where('id', '=', id).executeTakeFirstOrThrow();
    const profile = JSON.parse(row.profile) as { mother: Record<string, unknown> };
    profile.mother = { ...profile.mother, sinceUnknown: false, sinceStatedBy: null };
    await t.deps.db.updateTable('children').set({ profile: JSON.stringify(profile) }).where('id', '=', id).execute();
    const pending = (await supervisor.request('GET', `/api/children/${id}`)).json() as ChildDetail;
    expect(pending.status).toBe('pending');
    expect(pending.missingFacts).toEqual(['mother.since']);
  });
});
