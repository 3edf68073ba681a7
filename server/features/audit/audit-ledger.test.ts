import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../domain/api.js';
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS } from '../../../domain/audit/actions.js';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { childInput } from '../children/children.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';

type AuditPage = { items: AuditEntry[]; total: number };

/**
 * The audit log read as a ledger (issue 12 point 12): the child by name and
 * village only for a reader who may see him now, China-time days, an xlsx
 * export in words that is itself audited. The harness's clock reads
 * 2026-11-29T02:00Z (10:00 in China).
 */
describe(`the audit ledger (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let county: Session;
  let otherCounty: Session;
  let city: Session;
  let sysadmin: Session;
  let child: ChildDetail;

  const search = async (s: Session, query: string) => {
    const res = await s.request('GET', `/api/audit?pageSize=200&${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json() as AuditPage;
  };
  const download = (s: Session, query: string, locale = 'zh-CN') =>
    t.app.inject({ method: 'GET', url: `/api/audit/export.xlsx?${query}`, headers: { cookie: s.cookie, 'accept-language': locale } });
  const workbook = async (s: Session, query: string) => {
    const res = await download(s, query);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row) => rows.push(row));
    return { res, rows, cells: rows.map((row) => (row.values as unknown[]).slice(1)) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    otherCounty = await signIn(t, 'county-431221');
    city = await signIn(t, 'city-431200');
    sysadmin = await signIn(t, 'sysadmin');
    const res = await supervisor.request('POST', '/api/children', childInput({ name: '账本小明', idNumber: null, regionCode: '431202001201' }));
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
    expect((await county.request('GET', `/api/children/${child.id}`)).status).toBe(200);
  });
  afterAll(() => t.close());

  it('has one label per action code in both languages, none repeated within a language', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(Object.keys(AUDIT_ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
    for (const lang of [0, 1] as const) {
      const labels = AUDIT_ACTIONS.map((a) => AUDIT_ACTION_LABELS[a][lang]);
      expect(labels.every((l) => l.trim().length > 0)).toBe(true);
      expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([]);
    }
  });

  it("names the child and his village to a reader who may see him, and to nobody else: after a transfer the old county sees （范围外）", async () => {
    const reads = async (s: Session) => (await search(s, `action=child.read&q=${child.id}`)).items;
    const [row] = await reads(county);
    expect(row).toMatchObject({ action: 'child.read', child: { name: '账本小明', village: expect.any(String) as string } });
    expect(row!.child!.village).not.toBe('');
    // The system administrator reads the whole log but no child data.
    expect((await reads(sysadmin))[0]!.child).toEqual({ name: null, village: null });

    // Moved to 中方县: the row stays where it was written, the name goes with the child.
    const moved = await city.request('POST', `/api/children/${child.id}/transfer`, { regionCode: '431221101201', note: '随父母搬迁' });
    expect(moved.status, moved.body).toBe(200);
    expect((await reads(county))[0]!.child).toEqual({ name: null, village: null });
    expect((await reads(city))[0]!.child!.name).toBe('账本小明');
    // The transfer row is about the child too; 中方县 sees that row (written in the new county) with the name.
    const transfer = (await search(otherCounty, `action=child.transfer&q=${child.id}`)).items;
    expect(transfer.map((r) => r.child?.name)).toEqual(['账本小明']);
    expect(JSON.stringify(await search(county, `q=${child.id}`))).not.toContain('账本小明');
  });

  it('reads a bare date as a whole day in China time', async () => {
    // 00:30 on 30 November in China is 16:30Z on the 29th: a UTC reading would file it under the 29th.
    t.clock.set(new Date('2026-11-29T16:30:00.000Z'));
    try {
      await signIn(t, 'director-431202001202');
    } finally {
      t.clock.set(new Date('2026-11-29T02:00:00.000Z'));
    }
    const day = async (d: string) => (await search(city, `action=auth.login&q=director-431202001202&from=${d}&to=${d}`)).total;
    expect(await day('2026-11-30')).toBe(1);
    expect(await day('2026-11-29')).toBe(0);
  });

  it('exports the rows the filters find in words, China time, the child by name only in scope, and audits the export', async () => {
    const before = (await search(county, 'action=audit.export')).total;
    const { res, cells } = await workbook(county, `action=child.read&q=${child.id}`);
    expect(res.headers['x-total-count']).toBe('1');
    expect(cells[0]).toEqual(['时间（北京时间）', '操作人', '角色', '操作', '儿童', '村（社区）', '对象', '详情', '区划代码', '来源 IP', '序号']);
    expect(cells).toHaveLength(2);
    const row = cells[1]!;
    expect(row[0]).toMatch(/^2026-11-29 10:00:\d\d$/);
    expect(row.slice(1, 5)).toEqual(['county-431202', '县（区）民政管理员', '查看儿童档案', '（范围外）']);
    expect(row[6]).toBe('儿童档案');

    const mine = (await search(county, 'action=audit.export')).items;
    expect(mine).toHaveLength(before + 1);
    expect(mine[0]).toMatchObject({ action: 'audit.export', actorUsername: 'county-431202', details: { filters: { action: 'child.read', q: child.id }, count: 1 } });

    // The city still sees the child: by name; in English when asked.
    const en = await download(city, `action=child.read&q=${child.id}`, 'en-US');
    expect(en.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    const enRow = (wb.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
    expect(enRow.slice(3, 5)).toEqual(['Opened child file', '账本小明']);
  });

  it('writes details as labelled fields, and text that looks like a formula as a plain text cell', async () => {
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '=HYPERLINK("http://x","y")', password: 'guess-1234' } });
    const { rows } = await workbook(sysadmin, 'action=auth.login_failed');
    const row = rows.find((r) => r.getCell(8).text.includes('HYPERLINK'))!;
    expect(row).toBeDefined();
    const details = row.getCell(8);
    expect(details.type).toBe(ExcelJS.ValueType.String);
    expect(details.value).toBe('用户名：=HYPERLINK("http://x","y")；理由：unknown_user');
    expect(row.getCell(4).value).toBe('登录失败');
  });

  it('refuses the export to those who may not read the log', async () => {
    const director = await signIn(t, 'director-431202001201');
    expect((await director.request('GET', '/api/audit/export.xlsx')).status).toBe(403);
  });
});
