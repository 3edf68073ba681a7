/**
 * The children export (issue 12 points 3, 4 and 14): region columns complete
 * for every role, full numbers only on purpose (with a reason, audited), and
 * times in China time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { childInput, idFor } from '../children/children.test-data.js';
import { readXlsxSheet } from './xlsx-reader.js';

const VILLAGE = '431202001201';
const TOWNSHIP = '431202001000';
const COUNTY = '431202000000';

describe(`children export (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let county: Session;
  let city: Session;
  let child: ChildDetail;
  const ID = idFor('2014-06-01', '571');
  const names: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    // Everything happens at 00:30 on 30 November in Huaihua, which is still 29 November in UTC.
    t.clock.set('2026-11-29T16:30:00.000Z');
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, `supervisor-${TOWNSHIP}`);
    county = await signIn(t, 'county-431202');
    city = await signIn(t, 'city-431200');
    for (const code of [VILLAGE, TOWNSHIP, COUNTY]) {
      names[code] = (await t.deps.db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirstOrThrow()).name;
    }
    const res = await supervisor.request(
      'POST',
      '/api/children',
      childInput({
        name: '导出核对',
        birthDate: '2014-06-01',
        idNumber: ID,
        father: { status: 'working_away', since: '2025-02-01', skills: [], workProvince: '广东省', phone: '13812340001' },
        mother: { status: 'working_away', since: '2025-02-01', skills: [], workProvince: '浙江省', phone: '13812340002' },
        caregiver: { kind: 'grandparent', capacity: 'fair', name: '王奶奶', phone: '13900000003' },
      }),
    );
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
  });
  afterAll(() => t.close());

  /** The export as rows of text by header. */
  const table = (payload: Buffer) => {
    const sheet = readXlsxSheet(payload);
    const header = sheet.rows[0]!.cells.map((c) => (c?.t === 'text' ? c.v : ''));
    const rows = sheet.rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, ((c) => (c?.t === 'text' ? c.v : c?.t === 'number' ? String(c.v) : ''))(r.cells[i])])));
    return { header, rows };
  };
  const exportAs = async (session: Session, url = '/api/children/export') => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return table(res.rawPayload);
  };
  const exportFull = (session: Session, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/children/export/full', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...headers }, payload: body });

  it('fills the county, township and village columns of every row, for a director, a supervisor, a county and a city user', async () => {
    for (const session of [director, supervisor, county, city]) {
      const { rows } = await exportAs(session, `/api/children/export?region=${VILLAGE}`);
      expect(rows.length, session.username).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row['县（市、区）'], `${session.username}: county`).toBe(names[COUNTY]);
        expect(row['乡镇（街道）'], `${session.username}: township`).toBe(names[TOWNSHIP]);
        expect(row['村（社区）'], `${session.username}: village`).toBe(names[VILLAGE]);
      }
    }
    // Across a whole city: no row of any county lacks its county or township.
    const { rows } = await exportAs(city);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => !r['县（市、区）'] || !r['乡镇（街道）'] || !r['村（社区）'])).toEqual([]);
  });

  it('writes the update time in China time: a change at 16:30 UTC is 00:30 the next day', async () => {
    const { rows } = await exportAs(supervisor);
    const row = rows.find((r) => r['姓名'] === '导出核对')!;
    expect(row['更新时间']).toBe('2026-11-30 00:30');
  });

  it('masks by default: no full ID number, no phone', async () => {
    const { header, rows } = await exportAs(county);
    expect(header).toContain('身份证号（脱敏）');
    expect(header).not.toContain('身份证号');
    expect(header.filter((h) => h.includes('电话'))).toEqual([]);
    const row = rows.find((r) => r['姓名'] === '导出核对')!;
    expect(row['身份证号（脱敏）']).toBe(child.idNumberMasked);
    expect(JSON.stringify(rows)).not.toContain(ID);
    expect(JSON.stringify(rows)).not.toContain('13812340001');
  });

  it('writes the full ID and phone numbers for a user who may reveal them, with a reason, and audits the reason and the count, never a number', async () => {
    const before = await t.deps.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const res = await exportFull(supervisor, { status: 'active', reason: '民政局年度核对需完整号码' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('含完整号码');
    const { header, rows } = table(res.rawPayload);
    expect(header).toEqual(expect.arrayContaining(['身份证号', '父亲电话', '母亲电话', '监护人电话', '县（市、区）']));
    expect(header).not.toContain('身份证号（脱敏）');
    const row = rows.find((r) => r['姓名'] === '导出核对')!;
    expect(row).toMatchObject({ 身份证号: ID, 父亲电话: '13812340001', 母亲电话: '13812340002', 监护人电话: '13900000003' });
    expect(Number(res.headers['x-total-count'])).toBe(rows.length);

    const written = await t.deps.db.selectFrom('audit_log').selectAll().where('seq', '>', before.seq).orderBy('seq').execute();
    expect(written.map((r) => r.action)).toEqual(['child.export.full']);
    expect(written[0]!.actor_username).toBe(supervisor.username);
    expect(JSON.parse(written[0]!.details!)).toEqual({ filters: { status: 'active', sort: '-updatedAt' }, count: rows.length, fullNumbers: true, reason: '民政局年度核对需完整号码' });
    const stored = JSON.stringify(written);
    for (const secret of [ID, '13812340001', '13812340002', '13900000003', t.deps.crypto.keyedHash(ID)]) expect(stored).not.toContain(secret);
  });

  it('refuses a full export without a reason, naming the field, and writes no audit row', async () => {
    const before = await t.deps.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
      const res = await exportFull(county, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'reason' } });
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(/^理由：/);
    }
    const after = await t.deps.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(after.seq).toBe(before.seq);
  });

  it('refuses a full export to a role that may not reveal numbers (403), and a region outside the scope (404)', async () => {
    const sysadmin = await signIn(t, 'sysadmin');
    expect((await exportFull(sysadmin, { reason: '核对' })).statusCode).toBe(403);
    const agency = await signIn(t, 'agency-police');
    expect((await exportFull(agency, { reason: '核对' })).statusCode).toBe(403);
    expect((await exportFull(county, { region: OUTSIDE.county, reason: '核对' })).statusCode).toBe(404);
    const otherCounty = await signIn(t, 'county-431221');
    const { rows } = table((await exportFull(otherCounty, { reason: '核对' })).rawPayload);
    expect(rows.some((r) => r['姓名'] === '导出核对')).toBe(false);
  });
});
