import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { ReportInput, ReportPage, ReportRecord } from '../../../domain/reports/schema.js';
import type { ChildTimeline } from '../../../domain/visits/schema.js';
import { childInput } from '../children/children.test-data.js';
import { visitInput } from '../visits/visits.test-data.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { prepareDatabase } from '../../bootstrap.js';
import { createFieldCrypto } from '../../core/crypto.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { reportInput } from './reports.test-data.js';
import { encryptClearReporters } from './reports.service.js';

const VILLAGE = '431202001201';
// The harness's clock: 2026-11-29T02:00Z (10:00 in China).
const NOW = '2026-11-29T02:00:00.000Z';
const HOUR = 3_600_000;

describe(`mandatory reports (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let county: Session;
  let otherCounty: Session;
  let outsider: Session;
  let seq = 0;

  async function activeChild(): Promise<ChildDetail> {
    seq++;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `报告${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}`, idNumber: null, birthDate: `2014-03-${String(seq).padStart(2, '0')}` }));
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  async function raise(s: Session, childId: string, overrides: Parameters<typeof reportInput>[0] = {}): Promise<ReportRecord> {
    const res = await s.request('POST', `/api/children/${childId}/reports`, reportInput(overrides));
    expect(res.status, res.body).toBe(201);
    return res.json() as ReportRecord;
  }
  const read = async (s: Session, id: string) => (await s.request('GET', `/api/reports/${id}`)).json() as ReportRecord;
  const auditCount = async (action: string) =>
    Number((await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    otherCounty = await signIn(t, 'county-431221');
    outsider = await signIn(t, OUTSIDE.director);
  });
  afterAll(() => t.close());

  it('raises a report from a visit: the child becomes urgent with its due date moved, in one transaction with history and audit', async () => {
    const child = await activeChild();
    expect(child.riskLevel).toBe('low');
    const visit = await director.request('POST', `/api/children/${child.id}/visits`, visitInput());
    expect(visit.status, visit.body).toBe(201);
    const visitId = (visit.json() as { id: string }).id;
    const audits = await auditCount('report.create');

    const report = await raise(director, child.id, { visitId, triggers: ['injury_malnutrition_abuse', 'abandoned_or_neglected', 'abandoned_or_neglected'] });
    expect(report).toMatchObject({
      child: { id: child.id },
      region: { code: VILLAGE, level: 'village' },
      visitId,
      triggers: ['injury_malnutrition_abuse', 'abandoned_or_neglected'],
      discoveredAt: '2026-11-29T01:30:00.000Z',
      status: 'open',
      police: null,
      minutesToPolice: null,
      late: false,
      version: 1,
      can: { police: true, addEntry: true, close: false },
    });
    expect(report.entries.map((e) => e.kind)).toEqual(['created']);
    expect(await auditCount('report.create')).toBe(audits + 1);

    const after = (await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail;
    expect(after.riskLevel).toBe('urgent');
    expect(after.schedule).toMatchObject({ risk: { level: 'urgent', override: { level: 'urgent', reason: '强制报告' } }, intervalDays: 7 });
    expect(after.schedule?.nextDue).not.toBe(child.schedule?.nextDue);

    // A supervisor can still set the risk by hand later, with a reason.
    const override = await supervisor.request('POST', `/api/children/${child.id}/risk`, { level: 'high', reason: '公安已介入，孩子由姑姑照护' });
    expect(override.status, override.body).toBe(200);
    expect((override.json() as ChildDetail).riskLevel).toBe('high');
  });

  it('shows the reporter only to civil-affairs administrators', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id);
    for (const s of [director, supervisor]) {
      const seen = await read(s, report.id);
      expect(seen.reporter, s.username).toBeNull();
      expect(seen.reporterHidden).toBe(true);
      const raw = (await s.request('GET', `/api/reports/${report.id}`)).body;
      expect(raw).not.toContain('张报告');
      expect(raw).not.toContain('13800000000');
    }
    const admin = await read(county, report.id);
    expect(admin.reporter).toEqual({ name: '张报告', phone: '13800000000', unit: '青西村儿童之家' });
    expect(admin.reporterHidden).toBe(false);
    // Nor does the audit log keep it.
    const rows = await t.deps.db.selectFrom('audit_log').select('details').where('target_id', '=', report.id).execute();
    expect(JSON.stringify(rows)).not.toContain('张报告');
  });

  it('audits every answer that names the reporter (the report id, no personal data), and no other reading', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id);
    const reads = () => t.deps.db.selectFrom('audit_log').select(['actor_username', 'target_type', 'details', 'region_code']).where('action', '=', 'report.reporter.read').where('target_id', '=', report.id).execute();
    expect(await reads()).toEqual([]);
    // A director and a supervisor get the report without the reporter: nothing to audit.
    await read(director, report.id);
    await read(supervisor, report.id);
    expect(await reads()).toEqual([]);
    // Lists carry no reporter, so listing is no reading of it.
    const list = await county.request('GET', `/api/reports?childId=${child.id}`);
    expect(list.body).not.toContain('张报告');
    expect(await reads()).toEqual([]);

    expect((await read(county, report.id)).reporter).not.toBeNull();
    const rows = await reads();
    expect(rows).toEqual([{ actor_username: 'county-431202', target_type: 'report', details: null, region_code: child.region.code }]);
    // An answer after a change names the reporter too, and is on record as well.
    const added = await county.request('POST', `/api/reports/${report.id}/entries`, { kind: 'action', note: '已联系学校', version: report.version });
    expect(added.status, added.body).toBe(200);
    expect((await reads()).length).toBe(2);
    const police = await signIn(t, 'agency-police');
    await read(police, report.id);
    expect((await reads()).map((r) => r.actor_username)).toEqual(['county-431202', 'county-431202', 'agency-police']);
  });

  it('lets the police (an agency of kind police) read reports of their area with the reporter, and no other agency', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id);
    const police = await signIn(t, 'agency-police');
    const me = (await police.request('GET', '/api/me')).json() as { permissions: string[] };
    expect(me.permissions).toEqual(expect.arrayContaining(['report.read', 'report.reporter']));
    const seen = await read(police, report.id);
    expect(seen.reporter).toEqual({ name: '张报告', phone: '13800000000', unit: '青西村儿童之家' });
    expect(seen.can).toMatchObject({ police: false, addEntry: false, close: false });
    const list = (await police.request('GET', '/api/reports?pageSize=200')).json() as { items: { id: string }[] };
    expect(list.items.map((r) => r.id)).toContain(report.id);
    // Reading reports gives no way into the child's file, nor any write.
    expect((await police.request('GET', `/api/children/${child.id}`)).status).toBe(404);
    expect((await police.request('POST', `/api/reports/${report.id}/close`, { note: '结案', version: seen.version })).status).toBe(404);
    const counsellor = await signIn(t, 'agency-counselling');
    expect((await counsellor.request('GET', `/api/reports/${report.id}`)).status).toBe(404);
    expect((await counsellor.request('GET', '/api/reports')).status).toBe(403);
    expect(((await counsellor.request('GET', '/api/me')).json() as { permissions: string[] }).permissions).not.toContain('report.read');
  });

  /** Every row of every table of this test's database, as text (PostgreSQL: this test's schema only). */
  async function wholeDatabase(): Promise<string> {
    const schema = dialectUnderTest() === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.deps.db)).rows[0]!.s : undefined;
    const tables = (await t.deps.db.introspection.getTables()).filter((table) => table.schema === schema);
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['protection_reports', 'protection_report_entries', 'audit_log', 'child_changes']));
    const parts: string[] = [];
    for (const table of tables) parts.push(JSON.stringify(await sql`select * from ${sql.table(table.name)}`.execute(t.deps.db)));
    return parts.join('\n');
  }
  const SECRET = { reporterName: '密报人甲', reporterPhone: '13987650001', reporterUnit: '密报单位乙' };
  const inClear = (text: string) => Object.values(SECRET).filter((v) => text.includes(v));

  it('keeps the reporter encrypted at rest: nothing of it in clear in any table, the authorised reader sees it', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id, SECRET);
    expect(inClear(await wholeDatabase())).toEqual([]);
    const row = await t.deps.db.selectFrom('protection_reports').select(['reporter_name', 'reporter_phone', 'reporter_unit']).where('id', '=', report.id).executeTakeFirstOrThrow();
    for (const v of Object.values(row)) expect(v).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect((await read(county, report.id)).reporter).toEqual({ name: '密报人甲', phone: '13987650001', unit: '密报单位乙' });
    expect((await read(director, report.id)).reporter).toBeNull();
    // No phone or unit: nothing stored for them. A name of the longest allowed (64 characters) fits encrypted too.
    const longName = '长'.repeat(64);
    const bare = await raise(director, child.id, { reporterName: longName, reporterPhone: null, reporterUnit: null });
    expect(await t.deps.db.selectFrom('protection_reports').select(['reporter_phone', 'reporter_unit']).where('id', '=', bare.id).executeTakeFirstOrThrow()).toEqual({ reporter_phone: null, reporter_unit: null });
    expect((await read(county, bare.id)).reporter).toEqual({ name: longName, phone: null, unit: null });
  });

  it('encrypts at start-up the reporters stored in clear before, once (idempotent), with one audit row', async () => {
    const child = await activeChild();
    const old = await raise(director, child.id);
    const partly = await raise(director, child.id);
    // As a report raised before reporters were encrypted left them; the second with only its phone still in clear.
    await t.deps.db.updateTable('protection_reports').set({ reporter_name: SECRET.reporterName, reporter_phone: SECRET.reporterPhone, reporter_unit: SECRET.reporterUnit }).where('id', '=', old.id).execute();
    const kept = await t.deps.db.selectFrom('protection_reports').select(['reporter_name', 'reporter_unit']).where('id', '=', partly.id).executeTakeFirstOrThrow();
    await t.deps.db.updateTable('protection_reports').set({ reporter_phone: '13987650002' }).where('id', '=', partly.id).execute();
    expect(inClear(await wholeDatabase())).toEqual(Object.values(SECRET));
    const audits = await auditCount('report.reporter.encrypt');

    // The server starting again: migrations (nothing new), then the step.
    await prepareDatabase(t.deps, { demoChildren: false });
    const all = await wholeDatabase();
    expect(inClear(all)).toEqual([]);
    expect(all).not.toContain('13987650002');
    expect(await auditCount('report.reporter.encrypt')).toBe(audits + 1);
    const audit = await t.deps.db.selectFrom('audit_log').select(['details', 'actor_username']).where('action', '=', 'report.reporter.encrypt').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ details: JSON.stringify({ count: 2 }), actor_username: null });
    expect((await read(county, old.id)).reporter).toEqual({ name: '密报人甲', phone: '13987650001', unit: '密报单位乙' });
    expect((await read(county, partly.id)).reporter).toEqual({ name: '张报告', phone: '13987650002', unit: '青西村儿童之家' });
    // What was already encrypted was left as it was.
    expect(await t.deps.db.selectFrom('protection_reports').select(['reporter_name', 'reporter_unit']).where('id', '=', partly.id).executeTakeFirstOrThrow()).toEqual(kept);

    // Once more: nothing left to do, nothing changed, no audit row.
    const before = await t.deps.db.selectFrom('protection_reports').select(['id', 'reporter_name', 'reporter_phone', 'reporter_unit']).orderBy('id').execute();
    expect(await encryptClearReporters(t.deps)).toBe(0);
    expect(await t.deps.db.selectFrom('protection_reports').select(['id', 'reporter_name', 'reporter_phone', 'reporter_unit']).orderBy('id').execute()).toEqual(before);
    expect(await auditCount('report.reporter.encrypt')).toBe(audits + 1);
  });

  it.skipIf(dialectUnderTest() === 'postgres')('leaves no reporter in clear in the SQLite file or its log after the start-up step (freed bytes zeroed)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-reporter-'));
    const file = path.join(dir, 'shouhu.db');
    const handle = openDatabase({ sqliteFile: file });
    try {
      const deps = { db: handle.db, dialect: handle.dialect, clock: t.clock, crypto: createFieldCrypto(randomBytes(32)) };
      await migrateToLatest(handle.db);
      await sql`pragma foreign_keys = off`.execute(handle.db);
      const at = '2026-11-01T00:00:00.000Z';
      await handle.db
        .insertInto('protection_reports')
        .values({
          id: '01900000-0000-7000-8000-000000000001',
          child_id: '01900000-0000-7000-8000-000000000002',
          visit_id: null,
          region_code: VILLAGE,
          county_code: VILLAGE.slice(0, 6),
          triggers: '["other_serious_harm"]',
          discovered_at: at,
          reporter_name: SECRET.reporterName,
          reporter_phone: SECRET.reporterPhone,
          reporter_unit: SECRET.reporterUnit,
          description: null,
          police_notified_at: null,
          police_method: null,
          police_receipt_no: null,
          status: 'open',
          closed_at: null,
          closed_by: null,
          closure_note: null,
          created_by: null,
          created_by_name: '旧系统',
          created_at: at,
          updated_by: null,
          updated_at: at,
          version: 1,
        })
        .execute();
      await sql`pragma wal_checkpoint(truncate)`.execute(handle.db);
      const onDisk = () => ['', '-wal'].map((suffix) => (fs.existsSync(file + suffix) ? fs.readFileSync(file + suffix).toString('latin1') : '')).join('');
      const bytes = (v: string) => Buffer.from(v, 'utf8').toString('latin1');
      // The premise: the row in clear is in the file.
      expect(Object.values(SECRET).filter((v) => onDisk().includes(bytes(v)))).toEqual(Object.values(SECRET));
      expect(await encryptClearReporters(deps)).toBe(1);
      expect(Object.values(SECRET).filter((v) => onDisk().includes(bytes(v)))).toEqual([]);
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records the police once, with the minutes from discovery; refuses a second record, a time before the discovery and a stale version, changing nothing', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id);
    const before = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: '2026-11-29T01:00:00.000Z', method: 'phone_110', receiptNo: 'JJ-1', version: 1 });
    expect(before.status).toBe(400);
    expect(before.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'notifiedAt', message: '报警时间：不能早于发现时间' } });
    const stale = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: '2026-11-29T01:45:00.000Z', method: 'phone_110', receiptNo: 'JJ-1', version: 7 });
    expect(stale.status).toBe(409);
    expect((await read(director, report.id)).version).toBe(1);

    const ok = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: '2026-11-29T01:45:00.000Z', method: 'phone_110', receiptNo: ' 湘公(怀)受字[2026]1001号 ', version: 1 });
    expect(ok.status, ok.body).toBe(200);
    const told = ok.json() as ReportRecord;
    expect(told).toMatchObject({ police: { notifiedAt: '2026-11-29T01:45:00.000Z', method: 'phone_110', receiptNo: '湘公(怀)受字[2026]1001号' }, minutesToPolice: 15, late: false, policeToldLate: false, version: 2 });
    expect(told.can.police).toBe(false);

    const again = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: '2026-11-29T01:50:00.000Z', method: 'in_person', receiptNo: 'X', version: 2 });
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'police' } });
    const en = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: '2026-11-29T01:50:00.000Z', method: 'in_person', version: 2 }, { 'accept-language': 'en-US' });
    expect((en.json() as { error: { message: string } }).error.message).toContain('already recorded');
    expect(await read(director, report.id)).toMatchObject({ version: 2, police: { method: 'phone_110' } });
  });

  it('takes actions and feedback while open; closing twice, adding or recording police on a closed report are refused and change nothing', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id);
    const action = await director.request('POST', `/api/reports/${report.id}/entries`, { kind: 'action', note: '已联系派出所，民警到场', version: 1 });
    expect(action.status, action.body).toBe(200);
    const feedback = await supervisor.request('POST', `/api/reports/${report.id}/entries`, { kind: 'feedback', note: '公安已立案', version: 2 });
    expect(feedback.status, feedback.body).toBe(200);

    const byDirector = await director.request('POST', `/api/reports/${report.id}/close`, { note: '结案', version: 3 });
    expect(byDirector.status).toBe(403);
    const empty = await supervisor.request('POST', `/api/reports/${report.id}/close`, { note: '', version: 3 });
    expect(empty.status).toBe(400);
    expect(empty.json()).toMatchObject({ error: { field: 'note' } });

    const closed = await supervisor.request('POST', `/api/reports/${report.id}/close`, { note: '公安已处理，孩子安全', version: 3 });
    expect(closed.status, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closureNote: '公安已处理，孩子安全', version: 4, can: { police: false, addEntry: false, close: false } });
    const entries = (closed.json() as ReportRecord).entries.map((e) => e.kind);
    expect(entries).toEqual(['created', 'action', 'feedback', 'closed']);

    const audits = await auditCount('report.close');
    const twice = await supervisor.request('POST', `/api/reports/${report.id}/close`, { note: '再次结案', version: 4 });
    expect(twice.status).toBe(400);
    expect(twice.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'status', message: '报告状态：该强制报告已结案，不能再修改' } });
    const police = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: '2026-11-29T01:45:00.000Z', method: 'phone_110', version: 4 });
    expect(police.json()).toMatchObject({ error: { field: 'status' } });
    const more = await director.request('POST', `/api/reports/${report.id}/entries`, { kind: 'action', note: '补充', version: 4 });
    expect(more.json()).toMatchObject({ error: { field: 'status' } });
    expect(await auditCount('report.close')).toBe(audits);
    expect(await read(supervisor, report.id)).toMatchObject({ version: 4, police: null, closureNote: '公安已处理，孩子安全' });
  });

  it('refuses bad input naming the field: no trigger, unknown trigger, discovery in the future, a visit of another child', async () => {
    const child = await activeChild();
    const other = await activeChild();
    const otherVisit = (await director.request('POST', `/api/children/${other.id}/visits`, visitInput())).json() as { id: string };
    const cases: [Parameters<typeof reportInput>[0], string][] = [
      [{ triggers: [] }, 'triggers'],
      [{ triggers: ['nonsense' as 'organised_begging'] }, 'triggers.0'],
      [{ discoveredAt: '2026-11-29T03:00:00.000Z' }, 'discoveredAt'],
      [{ visitId: otherVisit.id }, 'visitId'],
      [{ reporterName: '' }, 'reporterName'],
      [{ police: { notifiedAt: '2026-11-29T01:00:00.000Z', method: 'phone_110' } }, 'police.notifiedAt'],
    ];
    for (const [overrides, field] of cases) {
      const res = await director.request('POST', `/api/children/${child.id}/reports`, reportInput(overrides));
      expect(res.status, field).toBe(400);
      expect((res.json() as { error: { field?: string } }).error.field, JSON.stringify(overrides)).toBe(field);
    }
    const list = (await director.request('GET', `/api/reports?childId=${child.id}`)).json() as ReportPage;
    expect(list.total).toBe(0);
    expect(((await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail).riskLevel).toBe('low');
  });

  it('checks the triggers against the child: no girl trigger for a boy, under 14 / 14 and over on the day of the discovery (China time)', async () => {
    const childOf = async (name: string, sex: 'male' | 'female', birthDate: string) => {
      const res = await supervisor.request('POST', '/api/children', childInput({ name, sex, birthDate, idNumber: null }));
      expect(res.status, res.body).toBe(201);
      return res.json() as ChildDetail;
    };
    // Discovered 2026-11-29T01:30Z, 09:30 on 29 November in Huaihua.
    const boy = await childOf('触发男', 'male', '2015-03-10');
    const girl13 = await childOf('触发女甲', 'female', '2012-11-30'); // 14 tomorrow
    const girl14 = await childOf('触发女乙', 'female', '2012-11-29'); // 14 today
    const refused = async (child: ChildDetail, triggers: ReportInput['triggers'], discoveredAt?: string) => {
      const audits = await auditCount('report.create');
      const res = await director.request('POST', `/api/children/${child.id}/reports`, reportInput({ triggers, ...(discoveredAt ? { discoveredAt } : {}) }));
      expect(res.status, `${child.name} ${triggers.join()}`).toBe(400);
      expect(await auditCount('report.create')).toBe(audits);
      return (res.json() as { error: { field: string; message: string; data: { triggers: string[] } } }).error;
    };
    const boyError = await refused(boy, ['injury_malnutrition_abuse', 'girl_under14_sexual_assault']);
    expect(boyError).toEqual({
      code: 'VALIDATION',
      field: 'triggers',
      message: '报告情形：所选情形与该儿童不符（性别，或发现当天的年龄：不满 14 周岁 / 已满 14 周岁）',
      data: { triggers: ['girl_under14_sexual_assault'] },
    });
    expect((await refused(boy, ['girl_over14_pregnant_by_assault'])).data.triggers).toEqual(['girl_over14_pregnant_by_assault']);
    expect((await refused(girl13, ['girl_over14_pregnant_by_assault'])).field).toBe('triggers');
    expect((await refused(girl14, ['girl_under14_sexual_assault'])).field).toBe('triggers');
    // The day before in China (the evening of 28 November UTC+8), the second girl was still 13.
    expect((await refused(girl14, ['girl_over14_pregnant_by_assault'], '2026-11-28T15:59:00.000Z')).field).toBe('triggers');
    const en = await director.request('POST', `/api/children/${boy.id}/reports`, reportInput({ triggers: ['girl_under14_sexual_assault'] }), { 'accept-language': 'en-US' });
    expect((en.json() as { error: { message: string } }).error.message).toBe('Triggers: a chosen trigger does not fit this child (sex, or age on the day of the discovery: under 14 / 14 or over)');
    // Nothing was written for any of them: no report, the risk untouched.
    for (const c of [boy, girl13, girl14]) {
      expect(((await director.request('GET', `/api/reports?childId=${c.id}`)).json() as ReportPage).total).toBe(0);
      expect(((await director.request('GET', `/api/children/${c.id}`)).json() as ChildDetail).riskLevel).toBe('low');
    }

    // What fits is taken: the boy's private-parts injury, each girl's own trigger.
    expect((await raise(director, boy.id, { triggers: ['private_parts_injury'] })).triggers).toEqual(['private_parts_injury']);
    expect((await raise(director, girl13.id, { triggers: ['girl_under14_sexual_assault'] })).triggers).toEqual(['girl_under14_sexual_assault']);
    expect((await raise(director, girl14.id, { triggers: ['girl_over14_pregnant_by_assault', 'other_serious_harm'] })).triggers).toEqual(['girl_over14_pregnant_by_assault', 'other_serious_harm']);
    expect((await raise(director, girl14.id, { triggers: ['girl_under14_sexual_assault'], discoveredAt: '2026-11-28T15:59:00.000Z' })).triggers).toEqual(['girl_under14_sexual_assault']);
  });

  it('answers 404 out of scope: another county, 长沙, and a missing id alike', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id);
    const missing = await otherCounty.request('GET', '/api/reports/01234567-0000-7000-8000-000000000000');
    for (const s of [otherCounty, outsider]) {
      const res = await s.request('GET', `/api/reports/${report.id}`);
      expect(res.status).toBe(404);
      expect(res.body).toBe(missing.body);
      expect((await s.request('POST', `/api/reports/${report.id}/entries`, { kind: 'action', note: 'x', version: 1 })).status).toBe(404);
      expect((await s.request('POST', `/api/children/${child.id}/reports`, reportInput())).status).toBe(404);
    }
    const list = (await otherCounty.request('GET', '/api/reports?pageSize=200')).json() as ReportPage;
    expect(list.items.map((r) => r.id)).not.toContain(report.id);
  });

  it('lists a report as late after one hour without the police, until the police are recorded (frozen clock)', async () => {
    const child = await activeChild();
    // Discovered 59 minutes ago: not late yet.
    const report = await raise(director, child.id, { discoveredAt: new Date(Date.parse(NOW) - 59 * 60_000).toISOString() });
    const lateIds = async (s: Session) => ((await s.request('GET', `/api/reports?late=true&pageSize=200`)).json() as ReportPage).items.map((r) => r.id);
    try {
      expect(report.late).toBe(false);
      expect(await lateIds(supervisor)).not.toContain(report.id);
      t.clock.set(new Date(Date.parse(NOW) + 60_000)); // exactly 60 minutes: still within the hour
      expect(await lateIds(supervisor)).not.toContain(report.id);
      t.clock.set(new Date(Date.parse(NOW) + 2 * 60_000)); // 61 minutes
      for (const s of [supervisor, county, director]) expect(await lateIds(s), s.username).toContain(report.id);
      const row = ((await supervisor.request('GET', `/api/reports?late=true&pageSize=200`)).json() as ReportPage).items.find((r) => r.id === report.id);
      expect(row).toMatchObject({ late: true, status: 'open', policeNotifiedAt: null });
      expect(await lateIds(otherCounty)).not.toContain(report.id);
      const notLate = ((await supervisor.request('GET', `/api/reports?late=false&pageSize=200`)).json() as ReportPage).items.map((r) => r.id);
      expect(notLate).not.toContain(report.id);

      const told = await director.request('POST', `/api/reports/${report.id}/police`, { notifiedAt: new Date(Date.parse(NOW) + 60_000).toISOString(), method: 'phone_110', receiptNo: 'R-2', version: 1 });
      expect(told.status, told.body).toBe(200);
      expect(told.json()).toMatchObject({ late: false, minutesToPolice: 60, policeToldLate: false });
      expect(await lateIds(supervisor)).not.toContain(report.id);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('lists reports in scope with filters and sort, and shows them on the child timeline newest first', async () => {
    const child = await activeChild();
    const older = await raise(director, child.id, { discoveredAt: '2026-11-28T01:00:00.000Z' });
    const newer = await raise(director, child.id, { discoveredAt: '2026-11-29T01:00:00.000Z', police: { notifiedAt: '2026-11-29T01:20:00.000Z', method: 'in_person', receiptNo: 'A1' } });
    expect(newer.minutesToPolice).toBe(20);
    const page = (await county.request('GET', `/api/reports?childId=${child.id}`)).json() as ReportPage;
    expect(page.items.map((r) => r.id)).toEqual([newer.id, older.id]);
    const asc = (await county.request('GET', `/api/reports?childId=${child.id}&sort=discovered_asc`)).json() as ReportPage;
    expect(asc.items.map((r) => r.id)).toEqual([older.id, newer.id]);
    const late = (await county.request('GET', `/api/reports?childId=${child.id}&late=true`)).json() as ReportPage;
    expect(late.items.map((r) => r.id)).toEqual([older.id]);
    const village = (await supervisor.request('GET', `/api/reports?region=${VILLAGE}&status=open&pageSize=200`)).json() as ReportPage;
    expect(village.items.map((r) => r.id)).toContain(older.id);
    expect((await supervisor.request('GET', `/api/reports?region=${OUTSIDE.village}`)).status).toBe(404);

    const timeline = (await director.request('GET', `/api/children/${child.id}/timeline`)).json() as ChildTimeline;
    const reports = timeline.items.filter((i) => i.kind === 'report');
    expect(reports.map((i) => i.details.reportId)).toEqual([newer.id, older.id]);
    expect(reports[1]!.details).toMatchObject({ late: true, status: 'open' });
    expect(JSON.stringify(timeline)).not.toContain('张报告');
    // Raising it set the risk to urgent: a risk item named after the report, with the reason.
    const risk = timeline.items.filter((i) => i.kind === 'risk' && i.details.action === 'report');
    expect(risk).toHaveLength(2);
    expect(risk.find((i) => i.details.riskTo === 'urgent')).toMatchObject({ title: '强制报告（风险等级设为紧急）', details: { comment: '强制报告', riskFrom: 'low' } });
  });

  it('keeps the hour rule honest over a two-hour-old report raised without the police', async () => {
    const child = await activeChild();
    const report = await raise(director, child.id, { discoveredAt: new Date(Date.parse(NOW) - 2 * HOUR).toISOString() });
    expect(report.late).toBe(true);
    const closed = await county.request('POST', `/api/reports/${report.id}/close`, { note: '误报', version: 1 });
    expect(closed.json()).toMatchObject({ late: false, status: 'closed' });
  });
});
