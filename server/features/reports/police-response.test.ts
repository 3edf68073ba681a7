import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { ReportPage, ReportRecord } from '../../../domain/reports/schema.js';
import { childInput } from '../children/children.test-data.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { reportInput } from './reports.test-data.js';

const VILLAGE = '431202001201';
const HOUR = 3_600_000;

/** Issue 12 point 10: the police acknowledge receipt, record the case number and the outcome, each on the report's trail. */
describe(`the police on a mandatory report (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let police: Session;
  let seq = 0;

  async function report(overrides: Parameters<typeof reportInput>[0] = {}): Promise<ReportRecord> {
    seq++;
    const child = await supervisor.request('POST', '/api/children', childInput({ name: `接警${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}`, idNumber: null, birthDate: `2013-05-${String(seq).padStart(2, '0')}` }));
    expect(child.status, child.body).toBe(201);
    const res = await director.request('POST', `/api/children/${(child.json() as ChildDetail).id}/reports`, reportInput(overrides));
    expect(res.status, res.body).toBe(201);
    return res.json() as ReportRecord;
  }
  const read = async (s: Session, id: string) => (await s.request('GET', `/api/reports/${id}`)).json() as ReportRecord;
  const auditRows = (action: string) => t.deps.db.selectFrom('audit_log').select(['actor_username', 'target_id', 'details']).where('action', '=', action).execute();

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    police = await signIn(t, 'agency-police');
  });
  afterAll(() => t.close());

  it('lets the police acknowledge receipt with its time, then record the case number and the outcome: each one entry and one audit row, seen by the director', async () => {
    const r = await report();
    const seen = await read(police, r.id);
    expect(seen.can).toMatchObject({ acknowledge: true, caseNo: false, outcome: false, police: false, addEntry: false, close: false });
    expect(seen.response).toEqual({ receivedAt: null, receivedBy: null, caseNo: null, outcome: null, outcomeNote: null, outcomeAt: null });

    // A case number before the receipt is acknowledged is refused, naming what comes first.
    const early = await police.request('POST', `/api/reports/${r.id}/case-number`, { caseNo: '怀公刑受字[2026]0001号', version: 1 });
    expect(early.status).toBe(400);
    expect(early.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'caseNo', message: '案件编号：请先确认接警，再登记案件编号或办理结果' } });

    const ack = await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:40:00.000Z', version: 1 });
    expect(ack.status, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ version: 2, response: { receivedAt: '2026-11-29T01:40:00.000Z' }, can: { acknowledge: false, caseNo: true, outcome: true } });
    expect((ack.json() as ReportRecord).response.receivedBy).toBeTruthy();

    const caseNo = await police.request('POST', `/api/reports/${r.id}/case-number`, { caseNo: ' 怀公刑受字[2026]0001号 ', version: 2 });
    expect(caseNo.status, caseNo.body).toBe(200);
    const outcome = await police.request('POST', `/api/reports/${r.id}/outcome`, { outcome: 'filed', note: '以故意伤害立案侦查', version: 3 });
    expect(outcome.status, outcome.body).toBe(200);
    expect(outcome.json()).toMatchObject({ version: 4, response: { caseNo: '怀公刑受字[2026]0001号', outcome: 'filed', outcomeNote: '以故意伤害立案侦查', outcomeAt: '2026-11-29T02:00:00.000Z' } });

    // The director sees all three on the report's trail, in order, with the police officer's name.
    const byDirector = await read(director, r.id);
    expect(byDirector.entries.map((e) => [e.kind, e.note, e.detail])).toEqual([
      ['created', null, null],
      ['received', null, '2026-11-29T01:40:00.000Z'],
      ['case_no', '怀公刑受字[2026]0001号', null],
      ['outcome', '以故意伤害立案侦查', 'filed'],
    ]);
    expect(new Set(byDirector.entries.slice(1).map((e) => e.actor)).size).toBe(1);
    expect(byDirector.can).toMatchObject({ acknowledge: false, caseNo: false, outcome: false });
    for (const action of ['report.police_received', 'report.police_case_no', 'report.police_outcome']) {
      expect((await auditRows(action)).filter((a) => a.target_id === r.id).map((a) => a.actor_username)).toEqual(['agency-police']);
    }
  });

  it('acknowledges once, never before the discovery nor in the future; a stale version changes nothing', async () => {
    const r = await report();
    const before = await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:00:00.000Z', version: 1 });
    expect(before.json()).toMatchObject({ error: { field: 'receivedAt', message: '接警时间：不能早于发现时间' } });
    const future = await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T03:00:00.000Z', version: 1 });
    expect(future.json()).toMatchObject({ error: { field: 'receivedAt', message: '接警时间：不能晚于当前时间' } });
    const stale = await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 5 });
    expect(stale.status).toBe(409);
    expect((await read(police, r.id)).version).toBe(1);
    expect((await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 1 })).status).toBe(200);
    const twice = await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:50:00.000Z', version: 2 });
    expect(twice.json()).toMatchObject({ error: { field: 'receivedAt', message: '接警时间：已登记过，不能重复登记' } });
    expect(await read(police, r.id)).toMatchObject({ version: 2, response: { receivedAt: '2026-11-29T01:45:00.000Z' } });
  });

  it('asks a note for the outcome "other"; a later outcome or case number replaces the earlier one, both kept on the trail', async () => {
    const r = await report();
    await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 1 });
    const bare = await police.request('POST', `/api/reports/${r.id}/outcome`, { outcome: 'other', version: 2 });
    expect(bare.status).toBe(400);
    expect(bare.json()).toMatchObject({ error: { field: 'note' } });
    const unknown = await police.request('POST', `/api/reports/${r.id}/outcome`, { outcome: 'arrested', version: 2 });
    expect(unknown.json()).toMatchObject({ error: { field: 'outcome' } });
    expect((await police.request('POST', `/api/reports/${r.id}/outcome`, { outcome: 'not_filed', version: 2 })).status).toBe(200);
    expect((await police.request('POST', `/api/reports/${r.id}/outcome`, { outcome: 'other', note: '经复议后移交检察院监督立案', version: 3 })).status).toBe(200);
    expect((await police.request('POST', `/api/reports/${r.id}/case-number`, { caseNo: 'A-1', version: 4 })).status).toBe(200);
    const last = (await police.request('POST', `/api/reports/${r.id}/case-number`, { caseNo: 'A-2', version: 5 })).json() as ReportRecord;
    expect(last.response).toMatchObject({ caseNo: 'A-2', outcome: 'other', outcomeNote: '经复议后移交检察院监督立案' });
    expect(last.entries.filter((e) => e.kind !== 'created').map((e) => e.detail ?? e.note)).toEqual(['2026-11-29T01:45:00.000Z', 'not_filed', 'other', 'A-1', 'A-2']);
  });

  it('refuses everything on a closed report, and changes nothing', async () => {
    const r = await report();
    expect((await police.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 1 })).status).toBe(200);
    expect((await supervisor.request('POST', `/api/reports/${r.id}/close`, { note: '已处理', version: 2 })).status).toBe(200);
    const audits = (await auditRows('report.police_case_no')).length;
    for (const [path, body] of [
      ['case-number', { caseNo: 'X-1' }],
      ['outcome', { outcome: 'filed' }],
      ['acknowledge', { receivedAt: '2026-11-29T01:50:00.000Z' }],
    ] as const) {
      const res = await police.request('POST', `/api/reports/${r.id}/${path}`, { ...body, version: 3 });
      expect(res.status, path).toBe(400);
      expect(res.json(), path).toMatchObject({ error: { field: 'status', message: '报告状态：该强制报告已结案，不能再修改' } });
    }
    expect((await read(police, r.id)).can).toMatchObject({ acknowledge: false, caseNo: false, outcome: false });
    expect((await auditRows('report.police_case_no')).length).toBe(audits);
    expect(await read(police, r.id)).toMatchObject({ version: 3, response: { caseNo: null, outcome: null } });
  });

  it('keeps these for the police: staff are refused (403), another agency and reports outside the area are not found (404)', async () => {
    const r = await report();
    for (const s of [director, supervisor, await signIn(t, 'county-431202')]) {
      expect((await s.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 1 })).status).toBe(403);
    }
    const counsellor = await signIn(t, 'agency-counselling');
    expect((await counsellor.request('POST', `/api/reports/${r.id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 1 })).status).toBe(404);
    // A report in 长沙 is outside the Huaihua police's area.
    const outsider = await signIn(t, OUTSIDE.director);
    const child = await outsider.request('POST', '/api/children', childInput({ name: '长沙儿童', idNumber: null, regionCode: OUTSIDE.village }));
    const far = await outsider.request('POST', `/api/children/${(child.json() as ChildDetail).id}/reports`, reportInput());
    expect(far.status, far.body).toBe(201);
    const res = await police.request('POST', `/api/reports/${(far.json() as ReportRecord).id}/acknowledge`, { receivedAt: '2026-11-29T01:45:00.000Z', version: 1 });
    expect(res.status).toBe(404);
    expect((await read(director, r.id)).version).toBe(1);
  });

  it("lists the police's queue: reports awaiting their acknowledgement first (the longest waiting at the top), late ones flagged, then the rest", async () => {
    const old = await report({ discoveredAt: new Date(Date.parse('2026-11-29T02:00:00.000Z') - 3 * HOUR).toISOString() });
    const fresh = await report({ discoveredAt: '2026-11-29T01:50:00.000Z' });
    const done = await report({ discoveredAt: '2026-11-29T01:55:00.000Z' });
    await police.request('POST', `/api/reports/${done.id}/acknowledge`, { receivedAt: '2026-11-29T01:58:00.000Z', version: 1 });
    const page = (await police.request('GET', '/api/reports?sort=police_queue&pageSize=200')).json() as ReportPage;
    const ids = page.items.map((i) => i.id);
    const at = (id: string) => ids.indexOf(id);
    expect(at(old.id)).toBeLessThan(at(fresh.id));
    expect(at(fresh.id)).toBeLessThan(at(done.id));
    // Every report awaiting them comes before every one acknowledged.
    const firstDone = page.items.findIndex((i) => !i.awaitingPolice);
    expect(page.items.slice(firstDone).every((i) => !i.awaitingPolice)).toBe(true);
    expect(page.items.find((i) => i.id === old.id)).toMatchObject({ awaitingPolice: true, policeLate: true });
    expect(page.items.find((i) => i.id === fresh.id)).toMatchObject({ awaitingPolice: true, policeLate: false });
    expect(page.items.find((i) => i.id === done.id)).toMatchObject({ awaitingPolice: false, policeLate: false, policeReceivedAt: '2026-11-29T01:58:00.000Z' });
    const waiting = (await police.request('GET', '/api/reports?awaitingPolice=true&pageSize=200')).json() as ReportPage;
    expect(waiting.items.every((i) => i.awaitingPolice)).toBe(true);
    expect(waiting.items.map((i) => i.id)).toEqual(expect.arrayContaining([old.id, fresh.id]));
    expect(waiting.items.map((i) => i.id)).not.toContain(done.id);
    const handled = (await police.request('GET', '/api/reports?awaitingPolice=false&pageSize=200')).json() as ReportPage;
    expect(handled.items.map((i) => i.id)).toContain(done.id);
    expect(handled.total + waiting.total).toBe(page.total);
  });
});
