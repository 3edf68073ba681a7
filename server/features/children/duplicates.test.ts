import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../../../domain/children/id-number.js';
import type { ChildDetail, DuplicateCheckResult } from '../../../domain/children/schema.js';
import type { ImportJobStatus } from '../../../domain/children/import.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { buildRoster, rosterRow, upload, waitForJob } from '../children-import/import-test-files.js';
import { readXlsxSheet } from '../children-import/xlsx-reader.js';
import { childInput } from './children.test-data.js';

const VILLAGE = '431202001201'; // 鹤城区
const BIRTH = '2015-03-10';
const FIRST17 = `431202${BIRTH.replaceAll('-', '')}739`;
const ID_NUMBER = FIRST17 + computeCheckCharacter(FIRST17);
const NAME = '滕子墨';

/** What must never reach an actor outside 鹤城区 about the child: name, birth date, place, internal id. */
function expectNothingOf(body: string, child: ChildDetail, label: string): void {
  for (const secret of [child.name, child.name.slice(0, 1) + '**', BIRTH, '431202', child.id, child.region.name]) {
    expect(body, `${label} tells ${secret}`).not.toContain(secret);
  }
}

describe(`duplicate check out of scope (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let child: ChildDetail;
  let supervisor: Session;
  let otherCounty: Session;
  let otherDirector: Session;
  let otherVillage: string;
  let neighbour: Session;

  /** The newest audit rows of one action, by one user. */
  const auditRows = async (username: string) =>
    (await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'child.duplicates.check').where('actor_username', '=', username).orderBy('seq', 'desc').execute()).map(
      (r) => ({ ...r, details: JSON.parse(r.details ?? 'null') as Record<string, unknown> }),
    );

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    const res = await supervisor.request('POST', '/api/children', childInput({ name: NAME, idNumber: ID_NUMBER, birthDate: BIRTH, regionCode: VILLAGE }));
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
    otherCounty = await signIn(t, 'county-431221'); // 中方县
    const director = await t.deps.db.selectFrom('users').select(['username', 'region_code']).where('role', '=', 'director').where('region_code', 'like', '431221%').orderBy('username').executeTakeFirstOrThrow();
    otherDirector = await signIn(t, director.username);
    otherVillage = director.region_code!;
    // A director of another village of 鹤城区: the child is outside his scope too, his office the same county's.
    neighbour = await signIn(t, 'director-431202001202');
  });
  afterAll(() => t.close());

  const probe = (regionCode: string, overrides: Record<string, unknown> = {}) => ({ name: '张三', birthDate: BIRTH, idNumber: ID_NUMBER, regionCode, ...overrides });

  it('tells a county admin of another county only that the number has a file elsewhere, and whom to ask: his own county office', async () => {
    const res = await otherCounty.request('POST', '/api/children/duplicates', probe('431221001201'));
    expect(res.status, res.body).toBe(200);
    expect(res.json()).toEqual({
      candidates: [],
      elsewhere: { match: 'same_id_number', contact: { code: '431221000000', name: '中方县', level: 'county' } },
    } satisfies DuplicateCheckResult);
    expectNothingOf(res.body, child, 'the check');

    const [row] = await auditRows('county-431221');
    expect(row).toMatchObject({ action: 'child.duplicates.check', region_code: '431221000000', details: { source: 'check', inScope: 0, outOfScope: 1 } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(ID_NUMBER);
    expect(stored).not.toContain(t.deps.crypto.keyedHash(ID_NUMBER));
    expect(stored).not.toContain(child.id);
  });

  it('tells a director of another county, or of another village, the same, with his own county office', async () => {
    const far = await otherDirector.request('POST', '/api/children/duplicates', probe(otherVillage));
    expect(far.status, far.body).toBe(200);
    expect((far.json() as DuplicateCheckResult).elsewhere?.contact).toEqual({ code: '431221000000', name: '中方县', level: 'county' });
    expectNothingOf(far.body, child, 'the check');

    const near = await neighbour.request('POST', '/api/children/duplicates', probe('431202001202'));
    expect(near.status, near.body).toBe(200);
    expect(near.json()).toEqual({ candidates: [], elsewhere: { match: 'same_id_number', contact: { code: '431202000000', name: '鹤城区', level: 'county' } } });
    expect(near.body).not.toContain(child.id);
    expect(near.body).not.toContain(NAME);
    expect((await auditRows('director-431202001202'))[0]!.details).toEqual({ source: 'check', inScope: 0, outOfScope: 1 });
  });

  it('does not tell a similar name and birth date outside the scope at all', async () => {
    const similar = await otherCounty.request('POST', '/api/children/duplicates', probe('431221001201', { name: NAME, idNumber: null }));
    expect(similar.status).toBe(200);
    expect(similar.json()).toEqual({ candidates: [], elsewhere: null });
    expect((await auditRows('county-431221'))[0]!.details).toEqual({ source: 'check', inScope: 0, outOfScope: 0 });
    // And it does not stop a registration either (a refusal would tell it).
    const twin = await otherDirector.request('POST', '/api/children', childInput({ name: '滕子默', idNumber: null, birthDate: BIRTH, regionCode: otherVillage }));
    expect(twin.status, twin.body).toBe(201);
  });

  it('shows a file in scope as before: name, masked number, village, to open', async () => {
    const res = await supervisor.request('POST', '/api/children/duplicates', probe(VILLAGE));
    expect(res.status).toBe(200);
    const body = res.json() as DuplicateCheckResult;
    expect(body.elsewhere).toBeNull();
    expect(body.candidates).toEqual([
      expect.objectContaining({ id: child.id, name: NAME, birthDate: BIRTH, idNumberMasked: child.idNumberMasked, region: { code: VILLAGE, name: child.region.name, level: 'village' }, match: 'same_id_number' }),
    ]);
    expect((await auditRows('supervisor-431202001000'))[0]!.details).toEqual({ source: 'check', inScope: 1, outOfScope: 0 });
  });

  it('refuses a check for a village outside the scope, naming the field', async () => {
    const res = await otherCounty.request('POST', '/api/children/duplicates', probe(VILLAGE));
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'regionCode' } });
  });

  it('answers a registration with that number 409 "exists elsewhere, ask 中方县民政局", writes nothing, and audits the check', async () => {
    const count = async () => Number((await t.deps.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const input = childInput({ name: '张三', idNumber: ID_NUMBER, birthDate: BIRTH, regionCode: otherVillage });
    const res = await otherDirector.request('POST', '/api/children', input);
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      error: {
        code: 'DUPLICATE_ELSEWHERE',
        field: 'idNumber',
        message: '该身份证号在您的辖区外已有档案，不能再登记一份。请联系中方县民政局核实',
        data: { candidates: [], elsewhere: { match: 'same_id_number', contact: { code: '431221000000', name: '中方县', level: 'county' } } },
      },
    });
    expectNothingOf(res.body, child, 'the 409');
    const english = await otherDirector.request('POST', '/api/children', input, { 'accept-language': 'en-US' });
    expect((english.json() as { error: { message: string } }).error.message).toBe(
      'A file with this ID number exists outside your area; a second one cannot be registered. Ask the civil affairs bureau of 中方县 to check',
    );
    // One ID number, one file: no reason lets it through.
    const insisted = await otherDirector.request('POST', '/api/children', { ...input, duplicateDecision: { action: 'dismiss', reason: '不是同一人', candidateIds: [child.id] } });
    expect(insisted.status).toBe(409);
    expect(await count()).toBe(before);
    const rows = await auditRows(otherDirector.username);
    expect(rows[0]!.details).toEqual({ source: 'register', inScope: 0, outOfScope: 1 });
    expect(JSON.stringify(rows)).not.toContain(ID_NUMBER);
  });

  it('answers an edit to that number the same way', async () => {
    const own = await otherDirector.request('POST', '/api/children', childInput({ name: '李四', idNumber: null, birthDate: '2014-02-02', regionCode: otherVillage }));
    expect(own.status, own.body).toBe(201);
    const mine = own.json() as ChildDetail;
    const { regionCode: _r, ...rest } = childInput({ name: '李四', idNumber: ID_NUMBER, birthDate: BIRTH });
    const res = await otherDirector.request('PUT', `/api/children/${mine.id}`, { ...rest, version: mine.version });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'DUPLICATE_ELSEWHERE', field: 'idNumber', data: { candidates: [], elsewhere: { contact: { name: '中方县' } } } } });
    expectNothingOf(res.body, child, 'the edit');
    expect((await auditRows(otherDirector.username))[0]!.details).toEqual({ source: 'update', inScope: 0, outOfScope: 1 });
  });

  it('says the same in an import dry run and its error report, and tells no similar name outside the scope', async () => {
    const rows = [
      rosterRow({ 姓名: '王五', 性别: '男', 出生日期: BIRTH, 身份证号: ID_NUMBER, '村（社区）代码': '431221001201' }),
      rosterRow({ 姓名: NAME, 性别: '男', 出生日期: BIRTH, 身份证号: null, '村（社区）代码': '431221001201' }),
    ];
    const up = await upload(otherCounty, await buildRoster(rows), { dryRun: true });
    expect(up.status, up.body).toBe(202);
    const job: ImportJobStatus = await waitForJob(otherCounty, up.jobId!);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.errors).toEqual([expect.objectContaining({ row: 2, field: 'idNumber', message: '身份证号：该身份证号在您的辖区外已有档案，请联系中方县民政局核实' })]);
    // The similar name told is the twin registered in 中方县 above (in scope); the 鹤城区 child is not told.
    const twinVillage = (await t.deps.db.selectFrom('regions').select('name').where('code', '=', otherVillage).executeTakeFirstOrThrow()).name;
    expect(job.result!.warnings.map((w) => w.message)).toEqual([`姓名：已有姓名相近（滕子默）且出生日期相同的档案（${twinVillage}），请核对是否为同一人`]);
    const answer = JSON.stringify(job);
    for (const secret of [child.id, '431202', child.region.name, `${NAME.slice(0, 1)}**`]) expect(answer).not.toContain(secret);
    expect(answer).not.toContain(NAME);

    const report = await t.app.inject({ method: 'GET', url: `/api/children/import/${up.jobId}/errors.xlsx`, headers: { cookie: otherCounty.cookie } });
    expect(report.statusCode).toBe(200);
    const text = JSON.stringify(readXlsxSheet(report.rawPayload).rows);
    expect(text).toContain('该身份证号在您的辖区外已有档案，请联系中方县民政局核实');
    for (const secret of [child.id, '431202', child.region.name]) expect(text).not.toContain(secret);

    const audit = (await auditRows('county-431221'))[0]!;
    expect(audit.details).toEqual({ source: 'import', jobId: up.jobId, dryRun: true, inScope: 1, outOfScope: 1 }); // the twin, and the 鹤城区 file
    expect(JSON.stringify(audit)).not.toContain(ID_NUMBER);
  });
});
