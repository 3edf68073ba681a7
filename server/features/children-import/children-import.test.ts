import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobStatus } from '../../../domain/children/import.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { DEFAULT_SCHEDULE_SETTINGS } from '../../../domain/visits/schedule.js';
import { namePinyin, similarNames } from '../children/child-file.js';
import { writeSetting } from '../settings/settings.repository.js';
import { similarNamesWithPinyin } from './children-import.service.js';
import { IMPORT_COLUMNS } from './import-columns.js';
import { buildRoster, multipart, rosterRow, testId, upload, waitForJob, type RosterRow } from './import-test-files.js';
import { readXlsxSheet } from './xlsx-reader.js';

const VILLAGE = '431202001201';

describe(`roster import and export (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let county: Session;
  let otherCounty: Session;
  const countChildren = async () => Number((await t.deps.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    // On disk: the import runs in its own thread with its own connection, as on a server (SQLite in memory has no second connection).
    t = await createTestApp({}, { onDisk: true });
    supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    otherCounty = await signIn(t, 'county-431221');
  });
  afterAll(() => t.close());

  it('serves a template with Chinese headers, a sheet of allowed values and an example row that is never imported', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/children/import/template', headers: { cookie: supervisor.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const sheet = readXlsxSheet(res.rawPayload, { sheetName: '儿童信息' });
    const headers = sheet.rows[0]!.cells.map((c) => (c?.t === 'text' ? c.v : ''));
    expect(headers).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect(headers).toEqual(expect.arrayContaining(['姓名', '身份证号', '村（社区）代码', '父亲状态', '监护能力', '低保']));
    const help = readXlsxSheet(res.rawPayload, { sheetName: '填写说明' });
    expect(JSON.stringify(help.rows)).toContain('外出务工/死亡/宣告失踪/服刑在押/强制隔离戒毒/失联/重病/重残/不详');

    // Uploaded unchanged, the template has no data rows: the example is skipped.
    const up = await upload(supervisor, res.rawPayload, { dryRun: true, fileName: '模板.xlsx' });
    const job = await waitForJob(supervisor, up.jobId!);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toContain('没有可导入的数据行');
  });

  it('reports every bad row by row and column, and a commit writes nothing', async () => {
    const good = rosterRow({ 姓名: '张好', 身份证号: testId('2016-05-20', 11, 'female') });
    const badChecksum = testId('2015-03-10', 12);
    const rows: RosterRow[] = [
      good, // row 2
      rosterRow({ 姓名: '校验错', 出生日期: '2015-03-10', 性别: '男', 身份证号: badChecksum.slice(0, 17) + (badChecksum.endsWith('1') ? '2' : '1') }), // 3
      rosterRow({ 姓名: '无此日', 出生日期: '2015-02-30', 身份证号: null }), // 4
      rosterRow({ 姓名: '无此村', '村（社区）代码': '431202999999', 身份证号: null }), // 5
      rosterRow({ 姓名: '外县村', '村（社区）代码': '431221001201', 身份证号: null }), // 6
      rosterRow({ 姓名: null, 身份证号: null }), // 7
      rosterRow({ 姓名: '公式', 身份证号: null, 出生日期: { formula: 'DATE(2015,1,1)', result: new Date('2015-01-01') } }), // 8
      rosterRow({ 姓名: '张好二', 身份证号: testId('2016-05-20', 11, 'female') }), // 9: same ID as row 2
      rosterRow({ 姓名: '错状态', 父亲状态: '出国', 身份证号: null }), // 10
    ];
    const before = await countChildren();
    const file = await buildRoster(rows);
    const dry = await waitForJob(supervisor, (await upload(supervisor, file, { dryRun: true })).jobId!);
    expect(dry.state, JSON.stringify(dry.error)).toBe('done');
    const r = dry.result!;
    expect(r.rows).toBe(9);
    expect(r.valid).toBe(1);
    expect(r.invalid).toBe(8);
    const at = (row: number) => r.errors.filter((e) => e.row === row).map((e) => `${e.columnLetter} ${e.column} ${e.message}`);
    expect(at(3)).toEqual(['E 身份证号 身份证号：身份证号校验码错误']);
    expect(at(4)).toEqual(['D 出生日期 出生日期：不是真实存在的日期']);
    expect(at(5)).toEqual(['H 村（社区）代码 村（社区）代码：不存在或不在您的管辖范围内']);
    expect(at(6)).toEqual(at(5)); // outside scope reads exactly like unknown
    expect(at(7)).toEqual(['A 姓名 姓名：必填']);
    expect(at(8)[0]).toMatch(/^D 出生日期 出生日期：是公式，不予读取/);
    expect(at(9)).toEqual(['E 身份证号 身份证号：与第 2 行的身份证号相同']);
    expect(at(10)).toEqual([expect.stringMatching(/^L 父亲状态 父亲状态：须为以下之一：在家\/外出务工\//)]);

    const commit = await waitForJob(supervisor, (await upload(supervisor, file, { dryRun: false })).jobId!);
    expect(commit.result).toMatchObject({ committed: false, imported: 0, invalid: 8 });
    expect(await countChildren()).toBe(before);

    // In English for an English-speaking user; the error report lists every row.
    const m = multipart('roster.xlsx', file);
    const en = await supervisor.request('POST', '/api/children/import?dryRun=true', m.body, { ...m.headers, 'accept-language': 'en-US' });
    const enJob = await waitForJob(supervisor, (en.json() as { jobId: string }).jobId);
    expect(enJob.result!.errors.find((e) => e.row === 3)!.message).toBe('ID number: has a wrong check character');
    const report = await t.app.inject({ method: 'GET', url: `/api/children/import/${dry.jobId}/errors.xlsx`, headers: { cookie: supervisor.cookie } });
    expect(report.statusCode).toBe(200);
    const lines = readXlsxSheet(report.rawPayload).rows.slice(1).map((row) => row.cells.map((c) => (c?.t === 'text' ? c.v : c?.t === 'number' ? c.v : '')));
    expect(lines).toContainEqual([3, 'E', '身份证号', '错误', '身份证号：身份证号校验码错误']);
    expect(lines.length).toBe(r.errorCount + r.warningCount);
  });

  it('imports a clean file in one transaction: all rows active, history for each, one audit row', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      rosterRow({ 姓名: `清${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10)]}`, 出生日期: `2014-0${1 + (i % 9)}-1${i % 10}`, 身份证号: testId(`2014-0${1 + (i % 9)}-1${i % 10}`, 100 + i, 'female') }),
    );
    rows[3] = { ...rows[3]!, 身份证号: null, 户籍类型: '无户籍', 就学状态: '辍学', 父亲状态: '服刑在押', 父亲状态起始日期: new Date('2022-01-05') };
    const before = await countChildren();
    const auditBefore = await t.deps.db.selectFrom('audit_log').select('seq').where('action', '=', 'child.import').execute();
    const job = await waitForJob(county, (await upload(county, await buildRoster(rows), { dryRun: false, fileName: '鹤城区花名册.xlsx' })).jobId!);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result).toMatchObject({ rows: 30, valid: 30, committed: true, imported: 30, errorCount: 0 });
    expect(job.percent).toBe(100);
    expect(await countChildren()).toBe(before + 30);
    const written = await t.deps.db.selectFrom('children').selectAll().where('name', 'like', '清%').execute();
    expect(written).toHaveLength(30);
    expect(new Set(written.map((c) => c.status))).toEqual(new Set(['active']));
    expect(written.filter((c) => c.left_behind === 1).length).toBeGreaterThan(20);
    expect(written.find((c) => c.id_hash === null)).toBeTruthy();
    // Never visited: each is due for a first visit 30 days after the import (2026-11-29), whatever its risk interval.
    expect(written.filter((c) => c.risk_level === 'low').length).toBeGreaterThan(20);
    expect(new Set(written.map((c) => c.next_visit_due))).toEqual(new Set(['2026-12-29']));
    const history = await t.deps.db.selectFrom('child_changes').select(['action', 'comment']).where('child_id', 'in', written.map((c) => c.id)).execute();
    expect(history).toHaveLength(30);
    expect(history[0]).toEqual({ action: 'import', comment: '鹤城区花名册.xlsx' });
    const audits = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'child.import').execute();
    expect(audits.length).toBe(auditBefore.length + 1);
    expect(JSON.parse(audits[audits.length - 1]!.details!)).toEqual({ count: 30, fileName: '鹤城区花名册.xlsx' });

    // The same file again: every row is now a duplicate of a file in the database.
    const again = await waitForJob(county, (await upload(county, await buildRoster(rows), { dryRun: true })).jobId!);
    expect(again.result!.invalid).toBe(30);
    expect(again.result!.errors[0]!.message).toMatch(/^身份证号：该身份证号已有档案（.+）$/);
    expect(again.result!.errors.find((e) => e.row === 5)!.message).toMatch(/^姓名：.+已有同名、同出生日期的档案$/);
  });

  it('gives imported files the first-visit date of the stored visit settings', async () => {
    const stored = await t.deps.db.selectFrom('settings').select('value').where('key', '=', 'visit_schedule').executeTakeFirst();
    await writeSetting(t.deps.db, 'visit_schedule', { ...DEFAULT_SCHEDULE_SETTINGS, firstVisitDays: 12 }, new Date().toISOString());
    try {
      const row = rosterRow({ 姓名: '首访期', 出生日期: '2013-06-06', 身份证号: testId('2013-06-06', 300, 'female') });
      const job = await waitForJob(county, (await upload(county, await buildRoster([row]), { dryRun: false })).jobId!);
      expect(job.result, JSON.stringify(job.result?.errors)).toMatchObject({ committed: true, imported: 1 });
      const written = await t.deps.db.selectFrom('children').select(['next_visit_due', 'risk_level']).where('name', '=', '首访期').executeTakeFirstOrThrow();
      expect(written).toEqual({ next_visit_due: '2026-12-11', risk_level: 'low' });
    } finally {
      if (stored) await writeSetting(t.deps.db, 'visit_schedule', JSON.parse(stored.value), new Date().toISOString());
      else await t.deps.db.deleteFrom('settings').where('key', '=', 'visit_schedule').execute();
    }
  });

  it('hides a job from everyone but the user who started it', async () => {
    const up = await upload(supervisor, await buildRoster([rosterRow({ 姓名: '隐藏', 身份证号: null })]), { dryRun: true });
    await waitForJob(supervisor, up.jobId!);
    for (const other of [county, otherCounty]) {
      expect((await other.request('GET', `/api/children/import/${up.jobId}`)).status).toBe(404);
      expect((await other.request('GET', `/api/children/import/${up.jobId}/errors.xlsx`)).status).toBe(404);
    }
    expect((await supervisor.request('GET', '/api/children/import/01234567-0000-7000-8000-000000000000')).status).toBe(404);
  });

  it('refuses what is not an xlsx file, and a director may not import', async () => {
    const csv = await upload(supervisor, Buffer.from('姓名,性别\n王,男\n'), { dryRun: true, fileName: 'roster.csv' });
    expect(csv.status).toBe(400);
    expect(JSON.parse(csv.body)).toMatchObject({ error: { code: 'VALIDATION', field: 'file', message: '文件：须为 Excel 2007 及以上的 .xlsx 文件' } });
    const director = await signIn(t, `director-${VILLAGE}`);
    expect((await upload(director, await buildRoster([rosterRow()]), { dryRun: true })).status).toBe(403);
  });

  it('exports only children in scope, with masked ID numbers, and audits the export', async () => {
    const outsider = await signIn(t, OUTSIDE.director);
    const { childInput } = await import('../children/children.test-data.js');
    const res = await outsider.request('POST', '/api/children', childInput({ name: '外地导出', regionCode: OUTSIDE.village, idNumber: null }));
    expect(res.status, res.body).toBe(201);

    const exp = await t.app.inject({ method: 'GET', url: '/api/children/export?status=active', headers: { cookie: county.cookie } });
    expect(exp.statusCode, exp.body.slice(0, 200)).toBe(200);
    const sheet = readXlsxSheet(exp.rawPayload);
    const header = sheet.rows[0]!.cells.map((c) => (c?.t === 'text' ? c.v : ''));
    const col = (name: string) => header.indexOf(name);
    const rows = sheet.rows.slice(1).map((r) => r.cells.map((c) => (c?.t === 'text' ? c.v : c?.t === 'number' ? String(c.v) : '')));
    const total = Number(exp.headers['x-total-count']);
    expect(rows.length).toBe(total);
    expect(total).toBeGreaterThanOrEqual(30);
    expect(rows.every((r) => r[col('村（社区）代码')]!.startsWith('431202'))).toBe(true);
    expect(rows.some((r) => r[col('姓名')] === '外地导出')).toBe(false);
    const ids = rows.map((r) => r[col('身份证号（脱敏）')]).filter((v) => v);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((v) => /^\d{6}\*{11}[\dX]$/.test(v!))).toBe(true);
    expect(exp.rawPayload.toString('latin1')).not.toContain(testId('2014-01-10', 100, 'female'));

    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'child.export').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_username).toBe('county-431202');
    expect(JSON.parse(audit.details!)).toMatchObject({ count: total, filters: { status: 'active' } });

    // A region outside scope is "not found", as for the list.
    expect((await county.request('GET', `/api/children/export?region=${OUTSIDE.county}`)).status).toBe(404);
    expect((await otherCounty.request('GET', '/api/children/export')).status).toBe(200);
  });

  it('commits a file checked by a dry run, checking the database again in the commit', async () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      rosterRow({ 姓名: `复核${'甲乙丙丁戊己庚辛壬癸子丑'[i]}`, 出生日期: `2013-02-${String(10 + i)}`, 身份证号: testId(`2013-02-${String(10 + i)}`, 200 + i, 'female') }),
    );
    rows.push(rosterRow({ 姓名: '复核甲', 出生日期: '2013-02-10', 身份证号: null, '村（社区）代码': '431202001202' })); // same name and day as row 2, another village: a warning
    const file = await buildRoster(rows);
    const dry = await waitForJob(county, (await upload(county, file, { dryRun: true })).jobId!);
    expect(dry.result).toMatchObject({ rows: 13, valid: 13, errorCount: 0, warningCount: 1 });

    // Meanwhile the child of row 3 gets a file (another roster): the commit must still find it.
    const other = await waitForJob(supervisor, (await upload(supervisor, await buildRoster([rows[1]!]), { dryRun: false })).jobId!);
    expect(other.result, JSON.stringify(other.result?.errors)).toMatchObject({ imported: 1 });
    const before = await countChildren();
    const refused = await waitForJob(county, (await upload(county, file, { dryRun: false })).jobId!);
    expect(refused.result).toMatchObject({ committed: false, imported: 0, invalid: 1, warningCount: 1 });
    expect(refused.result!.errors.map((e) => `${e.row} ${e.message}`)).toEqual([expect.stringMatching(/^3 身份证号：该身份证号已有档案/)]);
    expect(await countChildren()).toBe(before);

    // Without that row: checked, then committed as checked.
    const clean = await buildRoster(rows.filter((_, i) => i !== 1));
    const dry2 = await waitForJob(county, (await upload(county, clean, { dryRun: true })).jobId!);
    expect(dry2.result).toMatchObject({ rows: 12, errorCount: 0, warningCount: 1 });
    const commit = await waitForJob(county, (await upload(county, clean, { dryRun: false, fileName: '复核.xlsx' })).jobId!);
    expect(commit.result).toMatchObject({ rows: 12, valid: 12, committed: true, imported: 12, errorCount: 0 });
    expect(commit.result!.warnings).toEqual(dry2.result!.warnings);
    expect(await countChildren()).toBe(before + 12);
    const written = await t.deps.db.selectFrom('children').select(['name', 'id_hash', 'id_cipher', 'status']).where('name', 'like', '复核%').execute();
    expect(written.filter((c) => c.id_hash !== null)).toHaveLength(12); // 11 imported + the one of the other roster
    expect(new Set(written.map((c) => c.id_cipher)).size).toBe(written.length); // every number sealed on its own
    expect(t.deps.crypto.keyedHash(testId('2013-02-12', 202, 'female'))).toBe(written.find((c) => c.name === '复核丙')!.id_hash);

    // A village that stops existing between the dry run and the commit is an error of the commit.
    const moving = await buildRoster([rosterRow({ 姓名: '复核迁', 身份证号: null, '村（社区）代码': '431202001203' })]);
    expect((await waitForJob(county, (await upload(county, moving, { dryRun: true })).jobId!)).result).toMatchObject({ errorCount: 0 });
    await t.deps.db.updateTable('regions').set({ valid_to: '2026-11-01' }).where('code', '=', '431202001203').execute();
    try {
      const gone = await waitForJob(county, (await upload(county, moving, { dryRun: false })).jobId!);
      expect(gone.result).toMatchObject({ committed: false, imported: 0 });
      expect(gone.result!.errors.map((e) => e.message)).toEqual(['村（社区）代码：不存在或不在您的管辖范围内']);
    } finally {
      await t.deps.db.updateTable('regions').set({ valid_to: null }).where('code', '=', '431202001203').execute();
    }
  });

  it('finds similar names exactly as the registration form does', () => {
    const names = ['张伟', '章伟', '张伟伟', '张', '李小明', '李晓明', '李明', '王小明', '杨浩宇', '杨浩', '陈思', '陈斯', '欧阳娜娜', '欧阳那那', '吕', '吕布', 'Ann', 'Anne', 'nna'];
    for (const a of names) for (const b of names) expect(similarNamesWithPinyin(a, namePinyin(a), b, namePinyin(b)), `${a} / ${b}`).toBe(similarNames(a, b));
    // Edit distances at the edges, on arbitrary strings standing in for names and their pinyin.
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const word = () => Array.from({ length: Math.floor(random() * 5) }, () => 'ab张章'[Math.floor(random() * 4)]).join('');
    for (let i = 0; i < 20_000; i++) {
      const [a, b, pa, pb] = [word(), word(), word(), word()];
      expect(similarNamesWithPinyin(a, pa, b, pb), `${a} ${pa} / ${b} ${pb}`).toBe(similarNames(a, b, { a: pa, b: pb }));
    }
  });

  it('imports 50,000 rows in one transaction, reporting progress on the way', async () => {
    const city = await signIn(t, 'city-431200');
    const villages = (await t.deps.db.selectFrom('regions').select('code').where('level', '=', 'village').where('code', 'like', '4312%').orderBy('code').execute()).map((v) => v.code);
    const SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢唐向舒田龙';
    const GIVEN = '建国华明丽芳军平伟英红霞勇敏静强艳娟辉涛琴春秀玲兰桂志海燕文雨欣怡梓涵宇轩浩然子墨';
    const N = 50_000;
    const rows: RosterRow[] = [];
    for (let i = 0; i < N; i++) {
      const day = new Date(Date.UTC(2009, 0, 1) + (i % 5000) * 86_400_000).toISOString().slice(0, 10);
      const sex = i % 2 === 0 ? 'male' : 'female';
      rows.push(
        rosterRow({
          姓名: SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / 31) % GIVEN.length]! + GIVEN[Math.floor(i / 7) % GIVEN.length]!,
          性别: sex === 'male' ? '男' : '女',
          出生日期: day,
          身份证号: i % 10 === 0 ? null : testId(day, Math.floor(i / 5000), sex),
          '村（社区）代码': villages[i % villages.length]!,
        }),
      );
    }
    const file = await buildRoster(rows);
    const before = await countChildren();
    const started = Date.now();
    const up = await upload(city, file, { dryRun: false, fileName: '全市花名册.xlsx' });
    expect(up.status, up.body).toBe(202);
    const progress: number[] = [];
    let job: ImportJobStatus;
    for (;;) {
      job = (await city.request('GET', `/api/children/import/${up.jobId}`)).json() as ImportJobStatus;
      progress.push(job.percent);
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.errorCount, JSON.stringify(job.result!.errors.slice(0, 3))).toBe(0);
    expect(job.result!.imported).toBe(N);
    expect(await countChildren()).toBe(before + N);
    console.log(`import of ${N} rows (${dialectUnderTest()}): ${seconds.toFixed(1)} s, ${Math.round(N / seconds)} rows/s (job ${job.result!.elapsedMs} ms; ${(file.length / 1e6).toFixed(1)} MB; progress seen ${[...new Set(progress)].join(' ')})`);
    // The speed target (≥ 5,000 rows/s) is measured by `npm run bench`, not asserted by a timed test.
    expect(new Set(progress.filter((p) => p > 0 && p < 100)).size).toBeGreaterThan(2);
  }, 180_000);
});
