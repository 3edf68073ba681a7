import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { OrderPage, OrderRecord } from '../../../domain/orders/schema.js';
import type { ChildTimeline } from '../../../domain/visits/schema.js';
import { childInput } from '../children/children.test-data.js';
import { organisationOfKind } from '../referrals/referrals.test-data.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { guidanceInput, revocationInput, supervisionInput, temporaryGuardianshipInput } from './orders.test-data.js';

const VILLAGE = '431202001201';
// The harness's clock: 2026-11-29T02:00Z (10:00 in China).

describe(`orders and state guardianship (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let county: Session;
  let otherCounty: Session;
  let outsider: Session;
  let seq = 0;

  async function activeChild(): Promise<ChildDetail> {
    seq++;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `监护${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}`, idNumber: null, birthDate: `2013-05-${String(seq).padStart(2, '0')}` }));
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  async function record(s: Session, childId: string, body: unknown): Promise<OrderRecord> {
    const res = await s.request('POST', `/api/children/${childId}/orders`, body);
    expect(res.status, res.body).toBe(201);
    return res.json() as OrderRecord;
  }
  const read = async (s: Session, id: string) => (await s.request('GET', `/api/orders/${id}`)).json() as OrderRecord;
  const auditCount = async (action: string) =>
    Number((await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);
  const entryCount = async (orderId: string) =>
    Number((await t.deps.db.selectFrom('protection_order_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', orderId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    county = await signIn(t, 'county-431202');
    otherCounty = await signIn(t, 'county-431221');
    outsider = await signIn(t, OUTSIDE.director);
  });
  afterAll(() => t.close());

  it('records a supervision order with follow-up checks, then fulfils and closes it; each step one entry and one audit row', async () => {
    const child = await activeChild();
    const procuratorate = await organisationOfKind(t.deps.db, 'procuratorate');
    const audits = await auditCount('order.create');
    const order = await record(director, child.id, supervisionInput({ issuerOrganisationId: procuratorate, issuerName: null }));
    expect(order).toMatchObject({
      kind: 'supervision',
      state: 'issued',
      child: { id: child.id },
      region: { code: VILLAGE },
      date: '2026-11-28',
      issuer: '怀化市人民检察院',
      issuerOrganisationId: procuratorate,
      details: { orderNo: '鹤检督监〔2026〕3号', addressee: 'father', addresseeName: '李大山' },
      version: 1,
      can: { check: true, session: false, actions: [] }, // a director records, but does not close
    });
    expect(await auditCount('order.create')).toBe(audits + 1);

    const check = await director.request('POST', `/api/orders/${order.id}/entries`, { type: 'check', date: '2026-11-29', finding: '父亲已按时视频通话', compliant: true, version: 1 });
    expect(check.status, check.body).toBe(200);
    expect(check.json()).toMatchObject({ state: 'issued', version: 2 });
    expect((await read(county, order.id)).can.actions).toEqual(['fulfil', 'escalate', 'close']);

    const fulfilled = await county.request('POST', `/api/orders/${order.id}/transitions`, { action: 'fulfil', note: '连续两次回访均已履行', version: 2 });
    expect(fulfilled.status, fulfilled.body).toBe(200);
    expect(fulfilled.json()).toMatchObject({ state: 'fulfilled', version: 3, can: { check: false, actions: ['close'] } });
    const closed = await county.request('POST', `/api/orders/${order.id}/transitions`, { action: 'close', version: 3 });
    expect(closed.json()).toMatchObject({ state: 'closed', version: 4, can: { actions: [] } });
    const entries = (closed.json() as OrderRecord).entries;
    expect(entries.map((e) => e.type)).toEqual(['created', 'check', 'fulfil', 'close']);
    expect(entries[1]).toMatchObject({ date: '2026-11-29', note: '父亲已按时视频通话', ok: true });
    expect(await auditCount('order.fulfil')).toBeGreaterThanOrEqual(1);
  });

  it('refuses every illegal move naming orderState, a stale version with 409, and changes nothing', async () => {
    const child = await activeChild();
    const order = await record(director, child.id, temporaryGuardianshipInput());
    const illegal = [
      { action: 'fulfil' },
      { action: 'decide', date: '2026-11-29', outcome: 'revoked', newGuardian: { name: '张三', relation: '舅舅' } },
      { action: 'withdraw', note: 'x' },
      { action: 'complete' },
      { action: 'close' },
    ];
    const audits = await auditCount('order.end');
    for (const body of illegal) {
      const res = await county.request('POST', `/api/orders/${order.id}/transitions`, { ...body, version: 1 });
      expect(res.status, body.action).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'orderState', message: '措施状态：当前状态下不能执行该操作' } });
    }
    const check = await director.request('POST', `/api/orders/${order.id}/entries`, { type: 'check', date: '2026-11-29', finding: 'x', compliant: true, version: 1 });
    expect(check.json()).toMatchObject({ error: { field: 'orderState' } });
    const stale = await county.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'returned', version: 5 });
    expect(stale.status).toBe(409);
    expect(await read(county, order.id)).toMatchObject({ state: 'active', version: 1 });
    expect(await entryCount(order.id)).toBe(1);

    const ended = await county.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'returned', note: '祖母出院，返回家庭', version: 1 });
    expect(ended.status, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ state: 'ended', details: { endedOn: '2026-11-29', outcome: 'returned', ground: 'guardian_neglect', placement: 'protection_centre' } });
    expect(await auditCount('order.end')).toBe(audits + 1);
    const again = await county.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'returned', version: 2 });
    expect(again.json()).toMatchObject({ error: { field: 'orderState' } });
    const en = await county.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'returned', version: 2 }, { 'accept-language': 'en-US' });
    expect((en.json() as { error: { message: string } }).error.message).toBe('Order state: does not allow this action now');
    expect(await auditCount('order.end')).toBe(audits + 1);
  });

  it('refuses a check with a stale version (409), a date before the order or in the future, writing nothing', async () => {
    const child = await activeChild();
    const order = await record(director, child.id, supervisionInput());
    const check = (over: Record<string, unknown>) => director.request('POST', `/api/orders/${order.id}/entries`, { type: 'check', date: '2026-11-29', finding: '已回访', compliant: false, version: 1, ...over });
    expect((await check({ version: 2 })).status).toBe(409);
    expect((await check({ date: '2026-11-27' })).json()).toMatchObject({ error: { field: 'date', message: '日期：不能早于发出、开始或申请日期' } });
    expect((await check({ date: '2026-12-01' })).json()).toMatchObject({ error: { field: 'date' } });
    expect((await check({ type: 'session', topic: 'x', attended: true })).json()).toMatchObject({ error: { field: 'orderState' } });
    expect(await entryCount(order.id)).toBe(1);
    expect(await read(director, order.id)).toMatchObject({ version: 1, entries: [{ type: 'created' }] });
    const ok = await check({});
    expect(ok.json()).toMatchObject({ version: 2, entries: [{ type: 'created' }, { type: 'check', ok: false }] });
  });

  it('ending a temporary guardianship needs its date and an outcome of its own kind; a director may not end it', async () => {
    const child = await activeChild();
    const order = await record(director, child.id, temporaryGuardianshipInput({ ground: 'guardian_harm', placement: 'foster_family' }));
    expect((await director.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'returned', version: 1 })).status).toBe(403);
    const cases: [Record<string, unknown>, string][] = [
      [{ outcome: 'returned' }, 'date'],
      [{ date: '2026-11-29' }, 'outcome'],
      [{ date: '2026-11-29', outcome: 'revoked' }, 'outcome'],
      [{ date: '2026-11-19', outcome: 'returned' }, 'date'], // before the start
      [{ date: '2026-12-01', outcome: 'returned' }, 'date'], // in the future
      [{ date: '2026-11-29', outcome: 'other' }, 'note'],
    ];
    for (const [body, field] of cases) {
      const res = await supervisor.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', ...body, version: 1 });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.json() as { error: { field?: string } }).error.field, JSON.stringify(body)).toBe(field);
    }
    const ended = await supervisor.request('POST', `/api/orders/${order.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'long_term_state', version: 1 });
    expect(ended.json()).toMatchObject({ state: 'ended', details: { outcome: 'long_term_state' } });
  });

  it('family-education guidance: sessions with attendance, the rate, then completion; no sessions afterwards', async () => {
    const child = await activeChild();
    const order = await record(supervisor, child.id, guidanceInput());
    expect(order).toMatchObject({ state: 'active', attendanceRate: 0, can: { session: true, check: false, actions: ['complete', 'discontinue'] } });
    let version = 1;
    for (const [date, attended] of [['2026-11-08', true], ['2026-11-15', false], ['2026-11-22', true]] as const) {
      const res = await director.request('POST', `/api/orders/${order.id}/entries`, { type: 'session', date, topic: '亲子沟通', attended, version });
      expect(res.status, res.body).toBe(200);
      version = (res.json() as OrderRecord).version;
    }
    expect(await read(director, order.id)).toMatchObject({ attendanceRate: 50 });
    const noReason = await supervisor.request('POST', `/api/orders/${order.id}/transitions`, { action: 'discontinue', version });
    expect(noReason.json()).toMatchObject({ error: { field: 'note' } });
    const done = await supervisor.request('POST', `/api/orders/${order.id}/transitions`, { action: 'complete', version });
    expect(done.json()).toMatchObject({ state: 'completed', can: { session: false } });
    const late = await director.request('POST', `/api/orders/${order.id}/entries`, { type: 'session', date: '2026-11-29', topic: 'x', attended: true, version: version + 1 });
    expect(late.json()).toMatchObject({ error: { field: 'orderState', message: '措施状态：只有进行中的家庭教育指导可以登记指导' } });
  });

  it('petition to revoke guardianship: a revocation needs the new guardian; withdrawn is final', async () => {
    const child = await activeChild();
    const court = await organisationOfKind(t.deps.db, 'court');
    const petition = await record(county, child.id, revocationInput({ issuerOrganisationId: court, issuerName: null }));
    expect(petition).toMatchObject({ state: 'filed', details: { petitioner: '鹤城区民政局', hearingOn: '2026-12-10' }, can: { actions: ['decide', 'withdraw'] } });
    const noGuardian = await county.request('POST', `/api/orders/${petition.id}/transitions`, { action: 'decide', date: '2026-11-29', outcome: 'revoked', version: 1 });
    expect(noGuardian.json()).toMatchObject({ error: { field: 'newGuardian' } });
    const decided = await county.request('POST', `/api/orders/${petition.id}/transitions`, { action: 'decide', date: '2026-11-29', outcome: 'revoked', newGuardian: { name: '怀化市儿童福利院', relation: '民政部门长期监护' }, version: 1 });
    expect(decided.json()).toMatchObject({ state: 'decided', details: { decidedOn: '2026-11-29', outcome: 'revoked', newGuardian: { name: '怀化市儿童福利院' } } });

    const other = await record(county, child.id, revocationInput());
    const withdrawn = await county.request('POST', `/api/orders/${other.id}/transitions`, { action: 'withdraw', note: '父亲已改正', version: 1 });
    expect(withdrawn.json()).toMatchObject({ state: 'withdrawn', details: { outcome: 'withdrawn' } });
    const decideAfter = await county.request('POST', `/api/orders/${other.id}/transitions`, { action: 'decide', date: '2026-11-29', outcome: 'rejected', version: 2 });
    expect(decideAfter.json()).toMatchObject({ error: { field: 'orderState' } });
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const child = await activeChild();
    const police = await organisationOfKind(t.deps.db, 'police');
    const cases: [unknown, string][] = [
      [supervisionInput({ issuerName: null }), 'issuerName'],
      [supervisionInput({ issuerOrganisationId: police }), 'issuerOrganisationId'],
      [supervisionInput({ orderNo: '' }), 'orderNo'],
      [supervisionInput({ issuedOn: '2026-12-01' }), 'issuedOn'],
      [temporaryGuardianshipInput({ ground: 'nonsense' as 'guardian_harm' }), 'ground'],
      [temporaryGuardianshipInput({ placement: 'hotel' as 'relative' }), 'placement'],
      [guidanceInput({ plannedSessions: 0 }), 'plannedSessions'],
      [revocationInput({ hearingOn: '2026-11-01' }), 'hearingOn'],
      [{ kind: 'eviction' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const res = await director.request('POST', `/api/children/${child.id}/orders`, body);
      expect(res.status, field).toBe(400);
      expect((res.json() as { error: { field?: string } }).error.field, JSON.stringify(body)).toBe(field);
    }
    expect(((await director.request('GET', `/api/orders?childId=${child.id}`)).json() as OrderPage).total).toBe(0);
  });

  it('answers 404 out of scope: another county, 长沙, a missing id alike; agencies and schools are refused', async () => {
    const child = await activeChild();
    const order = await record(director, child.id, supervisionInput());
    const missing = await otherCounty.request('GET', '/api/orders/01234567-0000-7000-8000-000000000000');
    for (const s of [otherCounty, outsider]) {
      const res = await s.request('GET', `/api/orders/${order.id}`);
      expect(res.status).toBe(404);
      expect(res.body).toBe(missing.body);
      expect((await s.request('POST', `/api/orders/${order.id}/entries`, { type: 'check', date: '2026-11-29', finding: 'x', compliant: true, version: 1 })).status).toBe(404);
      expect((await s.request('POST', `/api/children/${child.id}/orders`, supervisionInput())).status).toBe(404);
      const list = (await s.request('GET', '/api/orders?pageSize=200')).json() as OrderPage;
      expect(list.items.map((o) => o.id)).not.toContain(order.id);
    }
    const closer = await otherCounty.request('POST', `/api/orders/${order.id}/transitions`, { action: 'close', version: 1 });
    expect(closer.status).toBe(404);
    for (const username of ['agency-procuratorate', 'agency-police', 'school-demo', 'volunteer-demo', 'sysadmin']) {
      const s = await signIn(t, username);
      // An organisation's user meets a record route as a missing record; sysadmin (no child data) is refused.
      expect((await s.request('GET', `/api/orders/${order.id}`)).status, username).toBe(username === 'sysadmin' ? 403 : 404);
      expect((await s.request('GET', '/api/orders')).status, username).toBe(403);
    }
    expect(await read(director, order.id)).toMatchObject({ version: 1, state: 'issued' });
  });

  it('lists orders in scope by kind, state and active, and shows them on the child timeline', async () => {
    const child = await activeChild();
    const supervision = await record(director, child.id, supervisionInput());
    const guardianship = await record(director, child.id, temporaryGuardianshipInput());
    await county.request('POST', `/api/orders/${guardianship.id}/transitions`, { action: 'end', date: '2026-11-29', outcome: 'returned', version: 1 });
    const all = (await county.request('GET', `/api/orders?childId=${child.id}`)).json() as OrderPage;
    expect(all.items.map((o) => o.id)).toEqual([supervision.id, guardianship.id]); // issued 11-28, started 11-20
    const active = (await county.request('GET', `/api/orders?childId=${child.id}&active=true`)).json() as OrderPage;
    expect(active.items.map((o) => o.id)).toEqual([supervision.id]);
    const inactive = (await county.request('GET', `/api/orders?childId=${child.id}&active=false`)).json() as OrderPage;
    expect(inactive.items.map((o) => o.id)).toEqual([guardianship.id]);
    const byKind = (await supervisor.request('GET', `/api/orders?kind=temporary_guardianship&state=ended&region=${VILLAGE}&pageSize=200`)).json() as OrderPage;
    expect(byKind.items.map((o) => o.id)).toContain(guardianship.id);
    expect(byKind.items.every((o) => o.kind === 'temporary_guardianship' && o.state === 'ended')).toBe(true);
    expect((await supervisor.request('GET', `/api/orders?region=${OUTSIDE.village}`)).status).toBe(404);
    const paged = (await county.request('GET', `/api/orders?childId=${child.id}&pageSize=1&page=2`)).json() as OrderPage;
    expect(paged).toMatchObject({ total: 2, page: 2, items: [{ id: guardianship.id }] });

    const timeline = (await director.request('GET', `/api/children/${child.id}/timeline`)).json() as ChildTimeline;
    const orders = timeline.items.filter((i) => i.kind === 'order');
    expect(orders.map((i) => i.details.orderId)).toEqual([supervision.id, guardianship.id]);
    expect(orders[0]).toMatchObject({ title: '督促监护令', at: '2026-11-28T04:00:00.000Z', details: { orderKind: 'supervision', state: 'issued', issuer: '鹤城区人民检察院' } });
    expect(orders[1]).toMatchObject({ title: '临时监护', at: '2026-11-20T04:00:00.000Z', details: { state: 'ended', ground: 'guardian_neglect', outcome: 'returned' } });
  });
});
