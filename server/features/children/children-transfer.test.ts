/**
 * Records follow a transferred child (issue 11 point 1): everything scoped by
 * the child's village moves with it in the transfer's transaction, so the old
 * village, township and county lose it and the new ones gain it; an agency
 * keeps what it holds through its own referral; audit rows stay as written.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { ReportRecord } from '../../../domain/reports/schema.js';
import { WORKLIST_KINDS, type CampaignDetail, type CampaignTaskRow, type WorklistPage } from '../../../domain/visits/schema.js';
import { newId } from '../../core/ids.js';
import * as migration from '../../db/migrations/0015-repair-transferred-records.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { multipart } from '../children-import/import-test-files.js';
import { phoneJpeg } from '../files/files.test-data.js';
import { supervisionInput } from '../orders/orders.test-data.js';
import { attachFile, organisationOfKind, referralInput, scanPdf } from '../referrals/referrals.test-data.js';
import { reportInput } from '../reports/reports.test-data.js';
import { visitInput } from '../visits/visits.test-data.js';
import { CHILD_SCOPED_TABLES, type ChildScopedTable } from './children.repository.js';
import { childInput, hanDigits } from './children.test-data.js';

const OLD_VILLAGE = '431202001201'; // 鹤城区 青西街道
const OLD_TOWNSHIP = '431202001000';
const SAME_COUNTY_VILLAGE = '431202002201'; // 鹤城区, another township
const NEW_VILLAGE = '431221001201'; // 中方县
const NEW_TOWNSHIP = '431221001000';
const letterInput = { kind: 'guardian', signedOn: '2026-11-20', guardianName: '王大山', guardianRelation: 'father' };
const checklist = [{ key: 'carer', label: '照护人仍在且有能力' }];

type Page<T> = { items: T[]; total: number };

describe(`records follow a transferred child (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let city: Session;
  let oldDirector: Session;
  let oldSupervisor: Session;
  let oldCounty: Session;
  let newDirector: Session;
  let newSupervisor: Session;
  let newCounty: Session;
  let station: Session;
  let stationId: string;
  let seq = 0;

  /** An active file in the old village: a girl of eleven (the report's sexual-assault trigger is about girls under 14). */
  async function registerGirl(regionCode = OLD_VILLAGE, by: Session = oldSupervisor): Promise<string> {
    seq++;
    const res = await by.request(
      'POST',
      '/api/children',
      childInput({ name: `迁移${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${hanDigits(seq)}`, sex: 'female', idNumber: null, birthDate: `2015-04-${String(seq).padStart(2, '0')}`, regionCode }),
    );
    expect(res.status, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  }
  async function created(s: Session, url: string, body: unknown): Promise<string> {
    const res = await s.request('POST', url, body);
    expect(res.status, `${url}: ${res.body}`).toBe(201);
    const json = res.json() as { id?: string; history?: { id: string }[] };
    return json.id ?? json.history![0]!.id;
  }
  async function transfer(childId: string, regionCode: string, by: Session = city) {
    const res = await by.request('POST', `/api/children/${childId}/transfer`, { regionCode, note: '随父母迁居' });
    expect(res.status, res.body).toBe(200);
    return res.json() as ChildDetail;
  }
  /** A duplicate warning dismissed at registration, as registration records it (the candidate: the first file of the village). */
  async function dismissedDuplicate(childId: string): Promise<void> {
    const candidate = await t.deps.db.selectFrom('children').select('id').where('id', '!=', childId).orderBy('id').executeTakeFirstOrThrow();
    await t.deps.db
      .insertInto('duplicate_reviews')
      .values({ id: newId(), child_id: childId, candidate_id: candidate.id, region_code: OLD_VILLAGE, decision: 'dismissed', reason: '同名不同人', actor_id: null, at: '2026-11-29T01:00:00.000Z' })
      .execute();
  }
  const status = async (s: Session, method: string, url: string, body?: unknown) => (await s.request(method, url, body)).status;
  const regionsOf = async (table: ChildScopedTable, childId: string) =>
    (await t.deps.db.selectFrom(table).select('region_code').where('child_id', '=', childId).execute()).map((r) => r.region_code);
  const countiesOf = async (table: 'visits' | 'protection_reports' | 'referrals' | 'protection_orders', childId: string) =>
    (await t.deps.db.selectFrom(table).select('county_code').where('child_id', '=', childId).execute()).map((r) => r.county_code);
  const openCampaign = async (by: Session, regionCode: string) => (await by.request('POST', '/api/campaigns', { name: `核查${++seq}`, regionCode, startDate: '2026-11-20', endDate: '2026-12-31', categories: [], checklist })).json() as CampaignDetail;
  const taskOf = async (campaignId: string, childId: string) =>
    t.deps.db.selectFrom('campaign_tasks').selectAll().where('campaign_id', '=', campaignId).where('child_id', '=', childId).executeTakeFirstOrThrow();
  const tasksOf = async (s: Session, campaignId: string) => {
    const res = await s.request('GET', `/api/campaigns/${campaignId}/tasks?pageSize=200`);
    expect(res.status, res.body).toBe(200);
    return res.json() as Page<CampaignTaskRow>;
  };
  const campaignOf = async (s: Session, campaignId: string) => (await s.request('GET', `/api/campaigns/${campaignId}`)).json() as CampaignDetail;

  /** The transferred child and its records, written in the old village before the transfer. */
  const rich = { child: '', visit: '', report: '', referral: '', attachment: '', order: '', letter: '', cityTask: '', countyTask: '', cityCampaign: '', countyCampaign: '' };

  beforeAll(async () => {
    t = await createTestApp();
    [city, oldDirector, oldSupervisor, oldCounty, newDirector, newSupervisor, newCounty, station] = await Promise.all([
      signIn(t, 'city-431200'),
      signIn(t, `director-${OLD_VILLAGE}`),
      signIn(t, `supervisor-${OLD_TOWNSHIP}`),
      signIn(t, 'county-431202'),
      signIn(t, `director-${NEW_VILLAGE}`),
      signIn(t, `supervisor-${NEW_TOWNSHIP}`),
      signIn(t, 'county-431221'),
      signIn(t, 'agency-social_work_station'),
    ]);
    stationId = await organisationOfKind(t.deps.db, 'social_work_station');

    await registerGirl(SAME_COUNTY_VILLAGE, await signIn(t, 'supervisor-431202002000'));
    rich.child = await registerGirl();
    await dismissedDuplicate(rich.child);
    rich.cityCampaign = (await openCampaign(city, '431200000000')).id;
    rich.countyCampaign = (await openCampaign(oldCounty, '431202000000')).id;
    rich.cityTask = (await taskOf(rich.cityCampaign, rich.child)).id;
    rich.countyTask = (await taskOf(rich.countyCampaign, rich.child)).id;
    rich.visit = await created(oldDirector, `/api/children/${rich.child}/visits`, visitInput());
    // Discovered two hours before the clock, police not told: a late report.
    rich.report = await created(oldDirector, `/api/children/${rich.child}/reports`, reportInput({ triggers: ['girl_under14_sexual_assault'], discoveredAt: '2026-11-29T00:00:00.000Z', reporterName: '赵举报' }));
    // The township's social-work station (registered at the old township) receives a referral with an attachment.
    rich.referral = await created(oldSupervisor, `/api/children/${rich.child}/referrals`, referralInput(stationId));
    const attached = await attachFile(oldSupervisor, rich.referral, 'scan.pdf', scanPdf());
    expect(attached.status, attached.body).toBe(201);
    rich.attachment = (attached.json() as { id: string }).id;
    rich.order = await created(oldSupervisor, `/api/children/${rich.child}/orders`, supervisionInput());
    rich.letter = await created(oldDirector, `/api/children/${rich.child}/letters`, letterInput);
    const scan = multipart('scan.jpg', await phoneJpeg());
    expect((await oldDirector.request('POST', `/api/letters/${rich.letter}/scan`, scan.body, scan.headers)).status).toBe(200);

    const moved = await transfer(rich.child, NEW_VILLAGE);
    expect(moved.region.code).toBe(NEW_VILLAGE);
  });
  afterAll(() => t.close());

  const OLD = () => [oldDirector, oldSupervisor, oldCounty];
  const NEW = () => [newDirector, newSupervisor, newCounty];

  it('lists every table that has child_id and region_code in CHILD_SCOPED_TABLES, each with county_code where it has one and an index on child_id', async () => {
    const db = t.deps.db;
    const schema = t.deps.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
    const tables = (await db.introspection.getTables()).filter((table) => schema === undefined || table.schema === schema);
    const columnsOf = (name: string) => tables.find((table) => table.name === name)!.columns.map((c) => c.name);
    const owned = tables.filter((table) => table.columns.some((c) => c.name === 'child_id') && table.columns.some((c) => c.name === 'region_code')).map((table) => table.name);
    // A sanity check that introspection saw the schema at all.
    expect(owned).toContain('visits');
    expect(owned.sort(), 'tables holding a child’s village that a transfer would leave behind').toEqual(Object.keys(CHILD_SCOPED_TABLES).sort());
    for (const [table, { county }] of Object.entries(CHILD_SCOPED_TABLES)) {
      expect(columnsOf(table).includes('county_code'), `${table}: county_code`).toBe(county);
      const leading =
        t.deps.dialect === 'postgres'
          ? (await sql<{ def: string }>`select indexdef as def from pg_indexes where schemaname = current_schema() and tablename = ${table}`.execute(db)).rows.filter((r) => /\(child_id[,)]/.test(r.def))
          : (await sql<{ name: string }>`select il.name from pragma_index_list(${table}) il, pragma_index_info(il.name) ii where ii.seqno = 0 and ii.name = 'child_id'`.execute(db)).rows;
      expect(leading.length, `${table}: an index starting with child_id (a transfer updates by it)`).toBeGreaterThan(0);
    }
  });

  it('moves every row of the child to the new village and county in the same transaction; the audit rows stay where they were written', async () => {
    for (const table of Object.keys(CHILD_SCOPED_TABLES) as ChildScopedTable[]) {
      const regions = await regionsOf(table, rich.child);
      expect(regions.length, `${table} has rows of the child`).toBeGreaterThan(0);
      expect(new Set(regions), table).toEqual(new Set([NEW_VILLAGE]));
    }
    for (const table of ['visits', 'protection_reports', 'referrals', 'protection_orders'] as const) expect(new Set(await countiesOf(table, rich.child)), table).toEqual(new Set(['431221']));
    // History, as written: the report's creation was audited in the old village, the transfer in the new one.
    const audits = await t.deps.db.selectFrom('audit_log').select(['action', 'region_code', 'details']).where('target_id', 'in', [rich.report, rich.child]).execute();
    expect(audits.find((a) => a.action === 'report.create')?.region_code).toBe(OLD_VILLAGE);
    const transferAudit = audits.find((a) => a.action === 'child.transfer')!;
    expect(transferAudit.region_code).toBe(NEW_VILLAGE);
    expect(JSON.parse(transferAudit.details!)).toMatchObject({ from: OLD_VILLAGE, to: NEW_VILLAGE, moved: { visits: 1, protection_reports: 1, referrals: 1, protection_orders: 1, campaign_tasks: 2 }, campaignTasks: { withdrawn: 1 } });
  });

  it('reports: the old scope gets 404 on the report and every action, the new county reads it with the reporter and sees the late-report alert', async () => {
    for (const s of OLD()) {
      expect(await status(s, 'GET', `/api/reports/${rich.report}`), s.username).toBe(404);
      expect(await status(s, 'POST', `/api/reports/${rich.report}/entries`, { kind: 'action', note: '旧辖区', version: 1 }), s.username).toBe(404);
      expect(await status(s, 'POST', `/api/reports/${rich.report}/police`, { notifiedAt: '2026-11-29T01:40:00.000Z', method: 'phone_110', receiptNo: 'x', version: 1 }), s.username).toBe(404);
      expect(await status(s, 'POST', `/api/children/${rich.child}/reports`, reportInput()), s.username).toBe(404);
      const late = await s.request('GET', '/api/reports?late=true&pageSize=200');
      expect(late.status).toBe(200);
      expect(late.body, s.username).not.toContain(rich.report);
      expect(late.body).not.toContain(rich.child);
    }
    for (const s of NEW()) {
      expect(await status(s, 'GET', `/api/reports/${rich.report}`), s.username).toBe(200);
      const late = (await s.request('GET', '/api/reports?late=true&pageSize=200')).json() as Page<{ id: string; late: boolean; region: { code: string } }>;
      expect(late.items.find((r) => r.id === rich.report), s.username).toMatchObject({ late: true, region: { code: NEW_VILLAGE } });
    }
    const report = (await newCounty.request('GET', `/api/reports/${rich.report}`)).json() as ReportRecord;
    expect(report).toMatchObject({ triggers: ['girl_under14_sexual_assault'], reporter: { name: '赵举报' }, region: { code: NEW_VILLAGE } });
    const entry = await newDirector.request('POST', `/api/reports/${rich.report}/entries`, { kind: 'action', note: '新村已跟进', version: report.version });
    expect(entry.status, entry.body).toBe(200);
  });

  it('referrals: the old scope loses the referral and its attachment; the new one reads it; the receiving station still holds it in its inbox', async () => {
    for (const s of OLD()) {
      expect(await status(s, 'GET', `/api/referrals/${rich.referral}`), s.username).toBe(404);
      expect(await status(s, 'GET', `/api/referrals/${rich.referral}/attachments/${rich.attachment}`), s.username).toBe(404);
      expect(await status(s, 'POST', `/api/referrals/${rich.referral}/withdraw`, {}), s.username).toBe(404);
      expect((await s.request('GET', '/api/referrals?pageSize=200')).body, s.username).not.toContain(rich.referral);
    }
    for (const s of NEW()) {
      expect(await status(s, 'GET', `/api/referrals/${rich.referral}`), s.username).toBe(200);
      expect(await status(s, 'GET', `/api/referrals/${rich.referral}/attachments/${rich.attachment}`), s.username).toBe(200);
      expect((await s.request('GET', '/api/referrals?pageSize=200')).body, s.username).toContain(rich.referral);
    }
    // Scoped by organisation, not region: the station of the old township keeps its referral and can act on it.
    expect((await station.request('GET', '/api/inbox/referrals?pageSize=200')).body).toContain(rich.referral);
    expect(await status(station, 'GET', `/api/inbox/referrals/${rich.referral}`)).toBe(200);
    expect(await status(station, 'GET', `/api/inbox/referrals/${rich.referral}/attachments/${rich.attachment}`)).toBe(200);
    expect(await status(station, 'POST', `/api/inbox/referrals/${rich.referral}/accept`, {})).toBe(200);
  });

  it('orders: the old scope gets 404 on the order, its entries and the list; the new one reads and records', async () => {
    for (const s of OLD()) {
      expect(await status(s, 'GET', `/api/orders/${rich.order}`), s.username).toBe(404);
      expect(await status(s, 'POST', `/api/orders/${rich.order}/entries`, { type: 'check', date: '2026-11-29', finding: '旧辖区', compliant: true, version: 1 }), s.username).toBe(404);
      expect((await s.request('GET', '/api/orders?pageSize=200')).body, s.username).not.toContain(rich.order);
    }
    for (const s of NEW()) {
      expect(await status(s, 'GET', `/api/orders/${rich.order}`), s.username).toBe(200);
      expect((await s.request('GET', '/api/orders?pageSize=200')).body, s.username).toContain(rich.order);
    }
    const order = (await newSupervisor.request('GET', `/api/orders/${rich.order}`)).json() as { version: number };
    expect(await status(newSupervisor, 'POST', `/api/orders/${rich.order}/entries`, { type: 'check', date: '2026-11-29', finding: '新辖区回访', compliant: true, version: order.version })).toBe(200);
  });

  it('letters: the old scope can neither read, print nor scan them; the new one can', async () => {
    const scan = multipart('scan.jpg', await phoneJpeg());
    for (const s of OLD()) {
      expect(await status(s, 'GET', `/api/children/${rich.child}/letters`), s.username).toBe(404);
      expect(await status(s, 'GET', `/api/children/${rich.child}/letters/guardian/document`), s.username).toBe(404);
      expect((await s.request('POST', `/api/letters/${rich.letter}/scan`, scan.body, scan.headers)).status, s.username).toBe(404);
    }
    for (const s of NEW()) {
      const letters = await s.request('GET', `/api/children/${rich.child}/letters`);
      expect(letters.status, s.username).toBe(200);
      expect(letters.body).toContain(rich.letter);
      expect(await status(s, 'GET', `/api/children/${rich.child}/letters/guardian/document`), s.username).toBe(200);
    }
    expect((await newDirector.request('POST', `/api/letters/${rich.letter}/scan`, scan.body, scan.headers)).status).toBe(200);
  });

  it('visits: the old scope loses the visits and cannot correct its own; the new one reads them in its village', async () => {
    for (const s of OLD()) {
      expect(await status(s, 'GET', `/api/visits/${rich.visit}`), s.username).toBe(404);
      expect(await status(s, 'GET', `/api/children/${rich.child}/visits`), s.username).toBe(404);
      expect(await status(s, 'GET', `/api/children/${rich.child}/timeline`), s.username).toBe(404);
    }
    expect(await status(oldDirector, 'PUT', `/api/visits/${rich.visit}`, { ...visitInput({ notes: '更正' }), version: 1 })).toBe(404);
    for (const s of NEW()) {
      const visit = await s.request('GET', `/api/visits/${rich.visit}`);
      expect(visit.status, s.username).toBe(200);
      expect(visit.json()).toMatchObject({ region: { code: NEW_VILLAGE } });
      expect((await s.request('GET', `/api/children/${rich.child}/visits`)).body).toContain(rich.visit);
    }
    expect(await status(newDirector, 'POST', `/api/children/${rich.child}/visits`, visitInput({ visitDate: '2026-11-29' }))).toBe(201);
  });

  it('work lists: the child and its tasks leave every list of the old scope and show in the new one', async () => {
    const listed = async (s: Session) => {
      const bodies = await Promise.all(WORKLIST_KINDS.map(async (kind) => (await s.request('GET', `/api/worklists?kind=${kind}&pageSize=200`)).json() as WorklistPage));
      return bodies.flatMap((b) => b.items);
    };
    for (const s of OLD()) {
      const rows = await listed(s);
      expect(rows.filter((r) => r.childId === rich.child), s.username).toEqual([]);
    }
    for (const s of NEW()) {
      const rows = (await listed(s)).filter((r) => r.childId === rich.child);
      expect(rows.length, s.username).toBeGreaterThan(0);
      // The city-wide campaign's task came along (the county campaign's was withdrawn).
      expect(rows.filter((r) => r.campaignTaskId !== null).map((r) => r.campaignTaskId), s.username).toEqual([rich.cityTask]);
    }
    const counts = (await newDirector.request('GET', '/api/worklists/counts')).json() as { counts: Record<string, number> };
    expect(counts.counts.campaign).toBe(1);
    expect((await oldDirector.request('GET', '/api/worklists/counts')).json()).toMatchObject({ counts: { campaign: 0 } });
  });

  it('campaign tasks: a campaign holding the new village keeps the task, open, for the new scope; one that does not withdraws it and shows only a count', async () => {
    // City-wide: the task moved with the child.
    expect((await tasksOf(oldDirector, rich.cityCampaign)).items.map((r) => r.childId)).not.toContain(rich.child);
    expect((await tasksOf(newDirector, rich.cityCampaign)).items.find((r) => r.childId === rich.child)).toMatchObject({ status: 'open', region: { code: NEW_VILLAGE } });
    expect(await status(oldDirector, 'GET', `/api/campaign-tasks/${rich.cityTask}`)).toBe(404);
    expect(await status(newDirector, 'GET', `/api/campaign-tasks/${rich.cityTask}`)).toBe(200);
    // 鹤城区's campaign: withdrawn, in no list, named nowhere; the county admin who runs it sees how many moved away.
    expect(await taskOf(rich.countyCampaign, rich.child)).toMatchObject({ status: 'withdrawn', region_code: NEW_VILLAGE });
    for (const s of [oldDirector, oldSupervisor, oldCounty, city]) {
      const tasks = await s.request('GET', `/api/campaigns/${rich.countyCampaign}/tasks?pageSize=200`);
      expect(tasks.body, s.username).not.toContain(rich.child);
      expect(await status(s, 'GET', `/api/campaign-tasks/${rich.countyTask}`), s.username).toBe(404);
    }
    expect(await status(newDirector, 'GET', `/api/campaign-tasks/${rich.countyTask}`)).toBe(404);
    expect(await campaignOf(oldCounty, rich.countyCampaign)).toMatchObject({ movedAway: 1 });
    expect(await campaignOf(oldDirector, rich.countyCampaign)).toMatchObject({ movedAway: null });
    expect(await campaignOf(city, rich.cityCampaign)).toMatchObject({ movedAway: 0 });
    // Nobody can complete the withdrawn task.
    const answer = { carer: { ok: true } };
    const refused = await newDirector.request('POST', `/api/children/${rich.child}/visits`, visitInput({ visitDate: '2026-11-29', kind: 'key_verification', campaignTaskId: rich.countyTask, campaignAnswers: answer }));
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ error: { field: 'campaignTaskId' } });
  });

  it('campaign tasks: a done task keeps the closed campaign’s report but no longer names the child; a move back opens a withdrawn task again; a move inside the region keeps it open', async () => {
    const done = await registerGirl();
    const back = await registerGirl();
    const inside = await registerGirl();
    const campaign = await openCampaign(oldCounty, '431202000000');
    const doneTask = await taskOf(campaign.id, done);
    const visit = await oldDirector.request('POST', `/api/children/${done}/visits`, visitInput({ visitDate: '2026-11-29', kind: 'key_verification', campaignTaskId: doneTask.id, campaignAnswers: { carer: { ok: false, note: '照护人外出' } } }));
    expect(visit.status, visit.body).toBe(201);
    expect((await oldCounty.request('POST', `/api/campaigns/${campaign.id}/close`)).status).toBe(200);
    const before = await campaignOf(oldCounty, campaign.id);
    expect(before.summary).toMatchObject({ done: 1, problems: 1 });

    await transfer(done, NEW_VILLAGE);
    await transfer(back, NEW_VILLAGE);
    await transfer(inside, SAME_COUNTY_VILLAGE);
    expect(await taskOf(campaign.id, done)).toMatchObject({ status: 'done', region_code: NEW_VILLAGE });
    expect(await taskOf(campaign.id, back)).toMatchObject({ status: 'withdrawn' });
    expect(await taskOf(campaign.id, inside)).toMatchObject({ status: 'open', region_code: SAME_COUNTY_VILLAGE });
    const after = await campaignOf(oldCounty, campaign.id);
    expect(after.summary, 'the closing report is frozen').toEqual(before.summary);
    expect(after).toMatchObject({ movedAway: 2, tasks: before.tasks - 2, done: before.done - 1 });
    const listedIds = (await tasksOf(oldCounty, campaign.id)).items.map((r) => r.childId);
    expect(listedIds).not.toContain(done);
    expect(listedIds).toContain(inside);
    expect((await tasksOf(oldDirector, campaign.id)).items.map((r) => r.childId)).not.toContain(inside);
    expect((await tasksOf(await signIn(t, `director-${SAME_COUNTY_VILLAGE}`), campaign.id)).items.map((r) => r.childId)).toContain(inside);

    // The child comes back into 鹤城区: the withdrawn task is open again, in its new village.
    await transfer(back, SAME_COUNTY_VILLAGE);
    expect(await taskOf(campaign.id, back)).toMatchObject({ status: 'open', region_code: SAME_COUNTY_VILLAGE });
    expect(await campaignOf(oldCounty, campaign.id)).toMatchObject({ movedAway: 1 });
  });

  it('a failure part way rolls the whole transfer back: the child and every record stay where they were', async () => {
    const child = await registerGirl();
    await created(oldDirector, `/api/children/${child}/visits`, visitInput());
    await created(oldDirector, `/api/children/${child}/reports`, reportInput());
    await created(oldSupervisor, `/api/children/${child}/orders`, supervisionInput());
    await dismissedDuplicate(child);
    const campaign = await openCampaign(oldCounty, '431202000000');
    // Orders move after visits and reports: make that statement fail.
    const db = t.deps.db;
    if (t.deps.dialect === 'postgres') {
      await sql`create function refuse_move() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`.execute(db);
      await sql`create trigger refuse_move before update on protection_orders for each row execute function refuse_move()`.execute(db);
    } else {
      await sql`create trigger refuse_move before update on protection_orders begin select raise(abort, 'refused by test'); end`.execute(db);
    }
    try {
      const res = await city.request('POST', `/api/children/${child}/transfer`, { regionCode: NEW_VILLAGE });
      expect(res.status).toBe(500);
    } finally {
      await sql`drop trigger refuse_move ${t.deps.dialect === 'postgres' ? sql`on protection_orders` : sql``}`.execute(db);
      if (t.deps.dialect === 'postgres') await sql`drop function refuse_move()`.execute(db);
    }
    expect((await db.selectFrom('children').select(['region_code', 'version']).where('id', '=', child).executeTakeFirstOrThrow()).region_code).toBe(OLD_VILLAGE);
    for (const table of Object.keys(CHILD_SCOPED_TABLES) as ChildScopedTable[]) {
      for (const region of await regionsOf(table, child)) expect(region, table).toBe(OLD_VILLAGE);
    }
    expect(await taskOf(campaign.id, child)).toMatchObject({ status: 'open', region_code: OLD_VILLAGE });
    expect(await status(oldDirector, 'GET', `/api/children/${child}/visits`)).toBe(200);
    expect(await db.selectFrom('audit_log').select('seq').where('action', '=', 'child.transfer').where('target_id', '=', child).execute()).toEqual([]);
  });

  it('migration 0015 moves rows left behind by transfers made before it, and withdraws their open tasks of campaigns that no longer hold the child', async () => {
    const child = await registerGirl();
    const stays = await registerGirl();
    const cityCampaign = (await openCampaign(city, '431200000000')).id;
    const countyCampaign = (await openCampaign(oldCounty, '431202000000')).id;
    await created(oldDirector, `/api/children/${child}/visits`, visitInput());
    await created(oldDirector, `/api/children/${child}/reports`, reportInput());
    await created(oldSupervisor, `/api/children/${child}/referrals`, referralInput(stationId));
    await created(oldSupervisor, `/api/children/${child}/orders`, supervisionInput());
    await created(oldDirector, `/api/children/${stays}/visits`, visitInput());
    await dismissedDuplicate(child);
    // A transfer as the code before 0015 made it: the child's row only.
    await t.deps.db.updateTable('children').set({ region_code: NEW_VILLAGE, county_code: '431221' }).where('id', '=', child).execute();
    expect(new Set(await regionsOf('visits', child))).toEqual(new Set([OLD_VILLAGE]));

    const untyped = t.deps.db as unknown as Kysely<unknown>;
    await migration.down(untyped);
    await migration.up(untyped);

    for (const table of Object.keys(CHILD_SCOPED_TABLES) as ChildScopedTable[]) {
      const regions = await regionsOf(table, child);
      expect(regions.length, table).toBeGreaterThan(0);
      expect(new Set(regions), table).toEqual(new Set([NEW_VILLAGE]));
    }
    for (const table of ['visits', 'protection_reports', 'referrals', 'protection_orders'] as const) expect(new Set(await countiesOf(table, child)), table).toEqual(new Set(['431221']));
    expect(await taskOf(cityCampaign, child)).toMatchObject({ status: 'open' });
    expect(await taskOf(countyCampaign, child)).toMatchObject({ status: 'withdrawn' });
    // Rows already in place are untouched.
    expect(new Set(await regionsOf('visits', stays))).toEqual(new Set([OLD_VILLAGE]));
    expect(await taskOf(countyCampaign, stays)).toMatchObject({ status: 'open', region_code: OLD_VILLAGE });
    expect(await status(newCounty, 'GET', `/api/reports?childId=${child}`)).toBe(200);
    expect((await newCounty.request('GET', `/api/reports?childId=${child}`)).json()).toMatchObject({ total: 1 });
    expect((await oldCounty.request('GET', `/api/reports?childId=${child}`)).json()).toMatchObject({ total: 0 });
  });
});
