import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesName, readNameQuery, spellName } from '../../../domain/children/name-search.js';
import type { ChildDetail } from '../../../domain/children/schema.js';

type ChildPage = { items: { name: string }[]; total: number };
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { readXlsxSheet } from '../children-import/xlsx-reader.js';
import { childInput } from './children.test-data.js';
import { spellStoredNames } from './child-rederive.js';

/** Names on the register, and what users type (issue 12 point 9). */
const NAMES = ['王晓明', '米杰睿', '单田芳', '曾小贤', '解晓东', '张晓明', '吕小红', '万明', '王安明', '吴爱', '李西安', '李先', '欧阳娜娜', '阿依古丽·买买提', '王小明', '汪晓敏', '魏雪梅', '杨安宁刚', '杨洋'];
const QUERIES = [
  'wxm', 'WXM', 'mjr', 'wangxiaoming', 'wang xiao ming', 'wangxiao', 'wangxm', 'wxming', 'wangxiaom', 'wxiaoming', 'w x ming', 'wang', 'w', 'wx',
  'stf', 'shantianfang', 'dantianfang', 'zxx', 'xxd', 'jxd', 'zhxm', 'lvxh', 'wanming', 'wam', 'wa', 'lixian', 'lxa', 'oynn', 'ouyangnana', 'ayglmmt', 'ayiguli', 'xm', 'mi jie rui', "li xi'an", 'yang', 'yan', 'yg', 'yangy',
];

describe(`pinyin search in every child search (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  const ids = new Map<string, string>();
  const names = (page: { items: { name: string }[] }) => page.items.map((i) => i.name).sort();
  const expected = (q: string) => NAMES.filter((n) => matchesName(spellName(n), readNameQuery(q))).sort();

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    for (const [i, name] of NAMES.entries()) {
      const res = await supervisor.request('POST', '/api/children', childInput({ name, idNumber: null, birthDate: `2013-0${1 + (i % 9)}-${String(10 + i).padStart(2, '0')}` }));
      expect(res.status, `${name}: ${res.body}`).toBe(201);
      ids.set(name, (res.json() as ChildDetail).id);
    }
  });
  afterAll(() => t.close());

  it('finds by initials, full pinyin with or without spaces, and mixed, case-insensitive — the SQL answers what the rule says', async () => {
    for (const q of QUERIES) {
      const page = (await supervisor.request('GET', `/api/children?q=${encodeURIComponent(q)}&pageSize=200`)).json() as ChildPage;
      expect(names(page), q).toEqual(expected(q));
      expect(page.total, q).toBe(expected(q).length);
    }
    // What the issue names, spelled out.
    const found = async (q: string) => names((await supervisor.request('GET', `/api/children?q=${encodeURIComponent(q)}&pageSize=200`)).json() as ChildPage);
    expect(await found('wxm')).toEqual(['汪晓敏', '王小明', '王晓明', '魏雪梅'].sort());
    expect(await found('mjr')).toEqual(['米杰睿']);
    expect(await found('wangxm')).toEqual(['汪晓敏', '王小明', '王晓明'].sort());
    expect(await found('wxming')).toEqual(['王小明', '王晓明'].sort());
    expect(await found('Wang Xiao Ming')).toEqual(['王小明', '王晓明'].sort());
    expect(await found('wangxiaomi')).toEqual(['汪晓敏', '王小明', '王晓明'].sort());
    // Polyphonic surnames are read as surnames.
    expect(await found('stf')).toEqual(['单田芳']);
    expect(await found('dantianfang')).toEqual([]);
    expect(await found('zxx')).toEqual(['曾小贤']);
    expect(await found('xxd')).toEqual(['解晓东']);
    // Found by the full pinyin and by its initials alike, counted once.
    expect(await found('yang')).toEqual(['杨安宁刚', '杨洋'].sort());
    expect(((await supervisor.request('GET', '/api/children?q=yang')).json() as ChildPage).total).toBe(2);
    // Characters still search the name.
    expect(await found('王晓')).toEqual(['王晓明']);
  });

  it('searches the same way in the export and in a school contact’s pupils', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/children/export?q=wxm', headers: { cookie: supervisor.cookie } });
    expect(res.statusCode).toBe(200);
    const sheet = readXlsxSheet(res.rawPayload);
    const header = sheet.rows[0]!.cells.map((c) => (c?.t === 'text' ? c.v : ''));
    const exported = sheet.rows.slice(1).map((r) => r.cells[header.indexOf('姓名')]).map((c) => (c?.t === 'text' ? c.v : ''));
    expect(exported.sort()).toEqual(expected('wxm'));
    const school = await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'school').executeTakeFirstOrThrow();
    const pupil = await supervisor.request('POST', '/api/children', childInput({ name: '米小睿', idNumber: null, birthDate: '2014-12-12', schooling: { status: 'in_school', school: '青西小学', grade: '五年级', boarding: false, schoolOrgId: school.id } }));
    expect(pupil.status, pupil.body).toBe(201);
    const teacher = await signIn(t, 'school-demo');
    for (const [q, n] of [['mxr', 1], ['mixr', 1], ['mi xiao rui', 1], ['mjr', 0], ['米小', 1]] as const) {
      expect(((await teacher.request('GET', `/api/pupils?q=${encodeURIComponent(q)}`)).json() as { total: number }).total, q).toBe(n);
    }
  });

  it('spells at start-up the names stored before (surnames read again as surnames), in batches with an audit row each, once', async () => {
    const id = ids.get('单田芳')!;
    // As a file from before migration 0022 looks: no initials, no syllables, 单 read as dan.
    await t.deps.db.updateTable('children').set({ name_initials: sql`null`, name_syllables: sql`null`, name_pinyin: 'dantianfang' }).where('id', 'in', [id, ids.get('曾小贤')!, ids.get('解晓东')!]).execute();
    expect(((await supervisor.request('GET', '/api/children?q=stf')).json() as ChildPage).total).toBe(0);
    const audits = async () => (await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'child.names.spell').execute()).map((r) => JSON.parse(r.details ?? '{}') as { count: number });
    expect(await spellStoredNames(t.deps, { batch: 2 })).toBe(3);
    expect((await audits()).map((a) => a.count)).toEqual([2, 1]);
    const row = await t.deps.db.selectFrom('children').select(['name_pinyin', 'name_initials', 'name_syllables']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name_pinyin: 'shantianfang', name_initials: 'stf', name_syllables: 'shan..tian..fang..' });
    expect(names((await supervisor.request('GET', '/api/children?q=stf')).json() as ChildPage)).toEqual(['单田芳']);
    expect(await spellStoredNames(t.deps)).toBe(0);
    expect(await audits()).toHaveLength(2);
  });

  it('keeps the spellings with the name on an edit', async () => {
    const id = ids.get('万明')!;
    const current = (await supervisor.request('GET', `/api/children/${id}`)).json() as ChildDetail;
    const { regionCode: _r, ...rest } = childInput({ name: '米杰明', idNumber: null, birthDate: current.birthDate });
    const res = await supervisor.request('PUT', `/api/children/${id}`, { ...rest, version: current.version });
    expect(res.status, res.body).toBe(200);
    expect(names((await supervisor.request('GET', '/api/children?q=mjm')).json() as ChildPage)).toEqual(['米杰明']);
    expect(names((await supervisor.request('GET', '/api/children?q=wanming')).json() as ChildPage)).toEqual([]);
  });

  it.runIf(dialectUnderTest() === 'sqlite')('answers a pinyin search from index ranges (the list and its count from the name indexes alone), never a scan of the children table', async () => {
    const { filtered, listQueries } = await import('./children.repository.js');
    const planOf = async (compiled: { sql: string; parameters: readonly unknown[] }) =>
      (await t.deps.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]))).rows.map((r) => r.detail).join(' | ');
    for (const q of ['wxm', 'wangxm', 'wxming', 'wang xiao ming', 'zhxm', 'yang']) {
      for (const scope of ['431202001000', '431202000000', '431200000000']) {
        const f = { scopeRegion: scope, q, sort: { column: 'updated_at' as const, desc: true }, page: 1, pageSize: 20 };
        const { page, count } = listQueries(t.deps.db, f);
        const pageIds = t.deps.db.selectFrom(page).select('page.page_id');
        const exported = filtered(t.deps.db, f).select((eb) => eb.fn.countAll<number>().as('n'));
        for (const [what, compiled] of [['page', pageIds.compile()], ['count', count.compile()], ['export', exported.compile()]] as const) {
          const plan = await planOf(compiled);
          const label = `${what} ${q} in ${scope}: ${plan}`;
          expect(plan, label).not.toMatch(/SCAN children/);
          expect(plan, label).toMatch(/SEARCH children USING COVERING INDEX children_pinyin_idx \(name_pinyin>\? AND name_pinyin<\?\)/);
          expect(plan, label).toMatch(/SEARCH children USING COVERING INDEX children_initials_idx \(name_initials>\? AND name_initials<\?\)/);
          // The list's page and count read no row of the table: every branch is answered by its index.
          if (what !== 'export') expect(plan.replace(/COVERING INDEX/g, ''), label).not.toMatch(/SEARCH children USING INDEX/);
        }
      }
    }
  });

  it.runIf(dialectUnderTest() === 'sqlite')('answers a search by characters in a township or a county from the name index, never by reading the scope for names', async () => {
    const { listQueries } = await import('./children.repository.js');
    const planOf = async (compiled: { sql: string; parameters: readonly unknown[] }) =>
      (await t.deps.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]))).rows.map((r) => r.detail).join(' | ');
    for (const q of ['杨', '王小']) {
      for (const scope of ['431202001000', '431202000000']) {
        const { page, count } = listQueries(t.deps.db, { scopeRegion: scope, q, sort: { column: 'updated_at', desc: true }, page: 1, pageSize: 20 });
        for (const compiled of [t.deps.db.selectFrom(page).select('page.page_id').compile(), count.compile()]) {
          const plan = await planOf(compiled);
          expect(plan, `${q} in ${scope}: ${plan}`).toContain('SEARCH children USING COVERING INDEX children_name_idx (name>? AND name<?)');
        }
      }
    }
  });
});
