/**
 * One ID number, one person, one file (issue 12 §1): an identical number is
 * never registered twice — in scope the existing file is opened, outside it
 * the owning side is asked to transfer the child — and the asker learns
 * nothing of that file until it is his.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../../../domain/children/id-number.js';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { OutgoingTransferRequest, TransferRequests } from '../../../domain/children/transfer-requests.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { childInput } from '../children/children.test-data.js';

const VILLAGE = '431202001201'; // 鹤城区 青西街道
const BIRTH = '2014-06-18';
const FIRST17 = `431202${BIRTH.replaceAll('-', '')}517`;
const ID_NUMBER = FIRST17 + computeCheckCharacter(FIRST17);
const NAME = '覃思远';

describe(`same ID number, one file; transfer requests (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let child: ChildDetail;
  let director: Session; // the owning village's
  let supervisor: Session;
  let county: Session;
  let asker: Session; // a director of 中方县
  let askerVillage: string;
  let otherCounty: Session;
  const count = async () => Number((await t.deps.db.selectFrom('children').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const auditOf = async (action: string) =>
    (await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq', 'desc').execute()).map((r) => ({ ...r, details: JSON.parse(r.details ?? 'null') as Record<string, unknown> }));
  const lists = async (s: Session) => {
    const res = await s.request('GET', '/api/transfer-requests');
    expect(res.status, res.body).toBe(200);
    return res.json() as TransferRequests;
  };
  /** Nothing of the file reaches the asker before the transfer: name, birth date, id, place. */
  const expectNothingOfChild = (body: string) => {
    for (const secret of [NAME, BIRTH, child.id, '431202', child.region.name, ID_NUMBER]) expect(body, `tells ${secret}`).not.toContain(secret);
  };

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, 'director-431202001201');
    supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    otherCounty = await signIn(t, 'county-431221');
    const res = await supervisor.request('POST', '/api/children', childInput({ name: NAME, idNumber: ID_NUMBER, birthDate: BIRTH, sex: 'male', regionCode: VILLAGE }));
    expect(res.status, res.body).toBe(201);
    child = res.json() as ChildDetail;
    const other = await t.deps.db.selectFrom('users').select(['username', 'region_code']).where('role', '=', 'director').where('region_code', 'like', '431221%').orderBy('username').executeTakeFirstOrThrow();
    asker = await signIn(t, other.username);
    askerVillage = other.region_code!;
  });
  afterAll(() => t.close());

  it('refuses a second file with the same number in scope, even with a reason, naming idNumber; a similar name keeps its dismissal', async () => {
    const before = await count();
    const again = childInput({ name: '覃思源', idNumber: ID_NUMBER, birthDate: BIRTH, sex: 'male', regionCode: VILLAGE });
    const res = await director.request('POST', '/api/children', again);
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'DUPLICATE_ID', field: 'idNumber', message: `该身份证号已有档案（${child.region.name}），同一身份证号不能再登记一份：请打开已有档案`, data: { candidates: [{ id: child.id, match: 'same_id_number' }] } } });
    const insisted = await director.request('POST', '/api/children', { ...again, duplicateDecision: { action: 'dismiss', reason: '不是同一人', candidateIds: [child.id] } });
    expect(insisted.status).toBe(409);
    expect(insisted.json()).toMatchObject({ error: { code: 'DUPLICATE_ID', field: 'idNumber' } });
    // An edit to that number: the same.
    const own = (await director.request('POST', '/api/children', childInput({ name: '覃小雨', idNumber: null, birthDate: '2015-01-01', regionCode: VILLAGE }))).json() as ChildDetail;
    const { regionCode: _r, ...rest } = childInput({ name: '覃小雨', idNumber: ID_NUMBER, birthDate: BIRTH, sex: 'male' });
    const edit = await director.request('PUT', `/api/children/${own.id}`, { ...rest, version: own.version, duplicateDecision: { action: 'dismiss', reason: '不是同一人', candidateIds: [child.id] } });
    expect(edit.status).toBe(409);
    expect(edit.json()).toMatchObject({ error: { code: 'DUPLICATE_ID', field: 'idNumber' } });
    expect(await count()).toBe(before + 1);
    // A similar name and the same birth date, no ID number: still saved with a reason.
    const similar = childInput({ name: '覃思源', idNumber: null, birthDate: BIRTH, sex: 'male', regionCode: VILLAGE });
    expect((await director.request('POST', '/api/children', similar)).status).toBe(409);
    const saved = await director.request('POST', '/api/children', { ...similar, duplicateDecision: { action: 'dismiss', reason: '堂兄弟，同日出生', candidateIds: [child.id] } });
    expect(saved.status, saved.body).toBe(201);
  });

  let requestId = '';

  it('lets a user outside the scope ask for the child, telling him nothing of the file, and audits it', async () => {
    const input = { idNumber: ID_NUMBER, name: '覃思远', regionCode: askerVillage, note: '一家人五月搬来本村居住' };
    const res = await asker.request('POST', '/api/transfer-requests', input);
    expect(res.status, res.body).toBe(201);
    const request = res.json() as OutgoingTransferRequest;
    expect(request).toMatchObject({ name: '覃思远', note: input.note, to: { code: askerVillage, level: 'village' }, state: 'open', declineReason: null, childId: null });
    expectNothingOfChild(res.body.replace('覃思远', ''));
    requestId = request.id;
    // Asking again while it is open answers the same request.
    const again = await asker.request('POST', '/api/transfer-requests', input);
    expect(again.status).toBe(200);
    expect((again.json() as OutgoingTransferRequest).id).toBe(requestId);
    const [row] = await auditOf('child.transfer_request');
    expect(row).toMatchObject({ actor_username: asker.username, target_id: child.id, region_code: VILLAGE, details: { requestId } });
    expect(JSON.stringify(row)).not.toContain(ID_NUMBER);
    expect((await auditOf('child.transfer_request')).length).toBe(1);
  });

  it('refuses a request for a number in scope, a number without a file, or a village outside the scope, naming the field', async () => {
    const inScope = await director.request('POST', '/api/transfer-requests', { idNumber: ID_NUMBER, name: '覃思远', regionCode: VILLAGE, note: '测试一下' });
    expect(inScope.status).toBe(400);
    expect(inScope.json()).toMatchObject({ error: { field: 'idNumber', message: '身份证号：该身份证号的档案就在您的辖区内：请打开该档案' } });
    const first17 = '43122120140618999';
    const none = await asker.request('POST', '/api/transfer-requests', { idNumber: first17 + computeCheckCharacter(first17), name: '覃思远', regionCode: askerVillage, note: '测试一下' });
    expect(none.status).toBe(400);
    expect(none.json()).toMatchObject({ error: { field: 'idNumber' } });
    const outside = await asker.request('POST', '/api/transfer-requests', { idNumber: ID_NUMBER, name: '覃思远', regionCode: VILLAGE, note: '测试一下' });
    expect(outside.status).toBe(400);
    expect(outside.json()).toMatchObject({ error: { field: 'regionCode' } });
    const formula = await asker.request('POST', '/api/transfer-requests', { idNumber: ID_NUMBER, name: '=HYPERLINK("x")', regionCode: askerVillage, note: '测试一下' });
    expect(formula.json()).toMatchObject({ error: { field: 'name' } });
  });

  it('shows the request to the owning director, supervisor and county, not to another county; the asker sees only his own', async () => {
    for (const s of [director, supervisor, county]) {
      const { incoming } = await lists(s);
      expect(incoming, s.username).toEqual([
        expect.objectContaining({ id: requestId, askedName: '覃思远', note: '一家人五月搬来本村居住' }),
      ]);
      expect(incoming[0]!.child).toMatchObject({ id: child.id, name: NAME });
      expect(incoming[0]!.askedBy).not.toBe('');
      expect(incoming[0]!.to).toMatch(/中方县/);
    }
    expect((await lists(otherCounty)).incoming).toEqual([]);
    const mine = await lists(asker);
    expect(mine.incoming).toEqual([]);
    expect(mine.outgoing.map((r) => [r.id, r.state, r.childId])).toEqual([[requestId, 'open', null]]);
    expectNothingOfChild((await asker.request('GET', '/api/transfer-requests')).body.replaceAll('覃思远', ''));
    // Deciding is for the owning side only: outside it the request does not exist.
    expect((await otherCounty.request('POST', `/api/transfer-requests/${requestId}/accept`, {})).status).toBe(404);
    expect((await asker.request('POST', `/api/transfer-requests/${requestId}/accept`, {})).status).toBe(404);
    // A school contact holds no child.handover: for an organisation's user a record route answers 404.
    expect((await (await signIn(t, 'school-demo')).request('POST', `/api/transfer-requests/${requestId}/accept`, {})).status).toBe(404);
  });

  it('declines with a reason the asker reads, audited once; a settled request is not decided again', async () => {
    const missing = await supervisor.request('POST', `/api/transfer-requests/${requestId}/decline`, {});
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ error: { field: 'reason' } });
    const res = await supervisor.request('POST', `/api/transfer-requests/${requestId}/decline`, { reason: '经核实，该儿童仍在本村生活' });
    expect(res.status, res.body).toBe(200);
    expect((res.json() as TransferRequests).incoming).toEqual([]);
    const mine = (await lists(asker)).outgoing[0]!;
    expect(mine).toMatchObject({ id: requestId, state: 'declined', declineReason: '经核实，该儿童仍在本村生活', childId: null });
    expect(mine.decidedAt).not.toBeNull();
    const [row] = await auditOf('child.transfer_request.decline');
    expect(row).toMatchObject({ actor_username: 'supervisor-431202001000', target_id: child.id, details: { requestId, reason: '经核实，该儿童仍在本村生活' } });
    const twice = await director.request('POST', `/api/transfer-requests/${requestId}/accept`, {});
    expect(twice.status).toBe(409);
    expect((await t.deps.db.selectFrom('children').select('region_code').where('id', '=', child.id).executeTakeFirstOrThrow()).region_code).toBe(VILLAGE);
  });

  it('transfers the child to the asker’s village on the owning director’s word: the asker then opens the file, the old side no longer', async () => {
    const res = await asker.request('POST', '/api/transfer-requests', { idNumber: ID_NUMBER, name: '覃思远', regionCode: askerVillage, note: '已在本村小学就读' });
    expect(res.status, res.body).toBe(201);
    const second = (res.json() as OutgoingTransferRequest).id;
    expect((await asker.request('GET', `/api/children/${child.id}`)).status).toBe(404);
    const accepted = await director.request('POST', `/api/transfer-requests/${second}/accept`, {});
    expect(accepted.status, accepted.body).toBe(200);
    const mine = (await lists(asker)).outgoing;
    expect(mine.map((r) => [r.id, r.state, r.childId])).toEqual([
      [second, 'transferred', child.id],
      [requestId, 'declined', null],
    ]);
    const opened = await asker.request('GET', `/api/children/${child.id}`);
    expect(opened.status).toBe(200);
    expect((opened.json() as ChildDetail).region.code).toBe(askerVillage);
    expect((await director.request('GET', `/api/children/${child.id}`)).status).toBe(404);
    const moves = (await auditOf('child.transfer')).filter((r) => r.target_id === child.id);
    expect(moves).toHaveLength(1);
    // Written where the decision was taken (the old county reads it); the request names where the child went.
    expect(moves[0]).toMatchObject({ actor_username: 'director-431202001201', region_code: VILLAGE, details: { from: VILLAGE, requestId: second } });
    expect(JSON.stringify(moves[0]!.details)).not.toContain(askerVillage);
    // The file's history says who moved it and why.
    const history = await t.deps.db.selectFrom('child_changes').selectAll().where('child_id', '=', child.id).where('action', '=', 'transfer').execute();
    expect(history.map((h) => h.comment)).toEqual(['已在本村小学就读']);
    // Now in the asker's scope, his number is his own file: a second registration is refused in scope.
    const again = await asker.request('POST', '/api/children', childInput({ name: NAME, idNumber: ID_NUMBER, birthDate: BIRTH, sex: 'male', regionCode: askerVillage }));
    expect(again.json()).toMatchObject({ error: { code: 'DUPLICATE_ID', field: 'idNumber' } });
  });
});
