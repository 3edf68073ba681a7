import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDetail, CampaignRecord, CampaignTaskDetail, CampaignTaskRow } from '../../../domain/visits/schema.js';
import { newId } from '../../core/ids.js';
import type { ChildRow } from '../../db/schema.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { childInput } from '../children/children.test-data.js';
import { visitInput } from '../visits/visits.test-data.js';

const VILLAGE_A = '431202001201'; // 寨林村, 青西街道, 鹤城区
const VILLAGE_B = '431202001202'; // 陈松村, same township
const VILLAGE_C = '431202002201'; // 云云村, 松马街道, 鹤城区
const OTHER_COUNTY_VILLAGE = '431221001201'; // 中方县
const TOWNSHIP = '431202001000';
const COUNTY = '431202000000';
const CITY = '431200000000';

type Page<T> = { items: T[]; total: number };

const CHECKLIST = [
  { key: 'carer_present', label: '照护人仍在且有能力' },
  { key: 'letter_signed', label: '委托监护责任书已签订' },
  { key: 'parent_contact', label: '与父母保持联系' },
  { key: 'school', label: '按时上学' },
];

describe(`key verification campaigns (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let county: Session;
  let city: Session;
  let supervisor: Session;
  let directorA: Session;
  let directorB: Session;
  let otherCounty: Session;
  let otherDirector: Session;
  let outsideAdmin: Session;
  /** Child ids by label. */
  const kids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    county = await signIn(t, 'county-431202');
    city = await signIn(t, 'city-431200');
    supervisor = await signIn(t, 'supervisor-431202001000');
    directorA = await signIn(t, `director-${VILLAGE_A}`);
    directorB = await signIn(t, `director-${VILLAGE_B}`);
    otherCounty = await signIn(t, 'county-431221');
    otherDirector = await signIn(t, `director-${OTHER_COUNTY_VILLAGE}`);
    outsideAdmin = await signIn(t, OUTSIDE.countyAdmin);
    // One file registered properly, then copied with the facts each case needs.
    const res = await supervisor.request('POST', '/api/children', childInput({ name: '模板儿童', idNumber: null }));
    expect(res.status, res.body).toBe(201);
    const template = await t.deps.db.selectFrom('children').selectAll().where('id', '=', (res.json() as { id: string }).id).executeTakeFirstOrThrow();
    await t.deps.db.deleteFrom('child_changes').where('child_id', '=', template.id).execute();
    await t.deps.db.deleteFrom('children').where('id', '=', template.id).execute();
    const add = async (label: string, pinyin: string, region: string, facts: Partial<ChildRow> = {}) => {
      const id = newId();
      kids[label] = id;
      await t.deps.db
        .insertInto('children')
        .values({ ...template, id, name: label, name_pinyin: pinyin, region_code: region, county_code: region.slice(0, 6), left_behind: 0, distress: 0, unsupported: 0, status: 'active', ...facts })
        .execute();
    };
    await add('甲留守', 'jialiushou', VILLAGE_A, { left_behind: 1 });
    await add('乙困境', 'yikunjing', VILLAGE_A, { distress: 1 });
    await add('丙普通', 'bingputong', VILLAGE_A);
    await add('丁待审', 'dingdaishen', VILLAGE_A, { status: 'pending', left_behind: 1 });
    await add('戊已销', 'wuyixiao', VILLAGE_A, { status: 'closed', left_behind: 1 });
    await add('己留守', 'jiliushou', VILLAGE_B, { left_behind: 1, unsupported: 1 });
    await add('庚留守', 'gengliushou', VILLAGE_C, { left_behind: 1 });
    await add('辛外县', 'xinwaixian', OTHER_COUNTY_VILLAGE, { left_behind: 1 });
    await add('壬外市', 'renwaishi', OUTSIDE.village, { left_behind: 1 });
  });
  afterAll(() => t.close());

  const input = (over: Record<string, unknown> = {}) => ({
    name: '2026 年度委托照护核查',
    regionCode: COUNTY,
    startDate: '2026-11-20',
    endDate: '2026-12-31',
    categories: [],
    checklist: CHECKLIST,
    ...over,
  });
  const create = async (session: Session, over: Record<string, unknown> = {}) => {
    const res = await session.request('POST', '/api/campaigns', input(over));
    expect(res.status, res.body).toBe(201);
    return res.json() as CampaignDetail;
  };
  const taskChildren = async (campaignId: string) =>
    (await t.deps.db.selectFrom('campaign_tasks').select(['child_id', 'region_code', 'status']).where('campaign_id', '=', campaignId).execute()).map((r) => r.child_id).sort();
  const ids = (...labels: string[]) => labels.map((l) => kids[l]!).sort();
  const tasksOf = async (session: Session, campaignId: string, query = '') => {
    const res = await session.request('GET', `/api/campaigns/${campaignId}/tasks?pageSize=200${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json() as Page<CampaignTaskRow>;
  };

  /** The village's director completes a task: a key-verification visit with the campaign's answers (features/visits). */
  const complete = async (session: Session, task: CampaignTaskRow, answers: Record<string, { ok: boolean; note?: string }>) => {
    const res = await session.request('POST', `/api/children/${task.childId}/visits`, visitInput({ visitDate: '2026-11-29', kind: 'key_verification', campaignTaskId: task.id, campaignAnswers: answers }));
    expect(res.status, res.body).toBe(201);
  };
  const allOk = Object.fromEntries(CHECKLIST.map((i) => [i.key, { ok: true }]));

  it('gives a task to every active child of the region, and only to them', async () => {
    const preview = await county.request('GET', `/api/campaigns/preview?regionCode=${COUNTY}`);
    expect(preview.json()).toEqual({ children: 5 });
    const campaign = await create(county);
    expect(campaign).toMatchObject({ status: 'open', tasks: 5, done: 0, problems: 0, region: { code: COUNTY, name: '鹤城区' }, canClose: true, summary: null });
    // Pending and closed files get none; neither do other counties and cities.
    expect(await taskChildren(campaign.id)).toEqual(ids('甲留守', '乙困境', '丙普通', '己留守', '庚留守'));
    const rows = await t.deps.db.selectFrom('campaign_tasks').selectAll().where('campaign_id', '=', campaign.id).execute();
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row).toMatchObject({ status: 'open', visit_id: null, problems: 0, done_at: null });
      expect(row.region_code).toBe((await t.deps.db.selectFrom('children').select('region_code').where('id', '=', row.child_id).executeTakeFirstOrThrow()).region_code);
    }
    const entry = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'campaign.create').where('target_id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details!)).toMatchObject({ tasks: 5, name: '2026 年度委托照护核查' });
  });

  it('narrows to the categories asked for, in a township', async () => {
    const preview = await county.request('GET', `/api/campaigns/preview?regionCode=${TOWNSHIP}&categories=left_behind,unsupported`);
    expect(preview.json()).toEqual({ children: 2 });
    const campaign = await create(county, { name: '青西街道留守儿童核查', regionCode: TOWNSHIP, categories: ['left_behind', 'unsupported'] });
    expect(await taskChildren(campaign.id)).toEqual(ids('甲留守', '己留守'));
    const distress = await create(county, { name: '困境儿童核查', regionCode: VILLAGE_A, categories: ['distress'] });
    expect(await taskChildren(distress.id)).toEqual(ids('乙困境'));
  });

  it('lets a city admin open a city-wide campaign over every county, and nothing beyond the city', async () => {
    const campaign = await create(city, { name: '全市核查', regionCode: CITY, categories: ['left_behind'] });
    expect(await taskChildren(campaign.id)).toEqual(ids('甲留守', '己留守', '庚留守', '辛外县'));
    // The other county's admin sees it, with his county's task only, and may not close it for the others.
    const seen = (await otherCounty.request('GET', `/api/campaigns/${campaign.id}`)).json() as CampaignDetail;
    expect(seen).toMatchObject({ tasks: 1, canClose: false, progressRegion: { code: '431221000000' } });
    expect((await otherCounty.request('POST', `/api/campaigns/${campaign.id}/close`)).status).toBe(403);
    await city.request('POST', `/api/campaigns/${campaign.id}/close`);
  });

  it('refuses regions outside scope, periods backwards or over, repeated checklist keys', async () => {
    const refused = async (session: Session, over: Record<string, unknown>, field: string) => {
      const res = await session.request('POST', '/api/campaigns', input(over));
      expect(res.status, res.body).toBe(400);
      expect((res.json() as { error: { field: string } }).error.field).toBe(field);
      return (res.json() as { error: { message: string } }).error.message;
    };
    expect(await refused(county, { regionCode: '431221000000' }, 'regionCode')).toBe('区划代码：不存在或不在您的管辖范围内');
    expect(await refused(county, { regionCode: '431202999999' }, 'regionCode')).toBe('区划代码：不存在或不在您的管辖范围内');
    expect(await refused(county, { regionCode: CITY }, 'regionCode')).toBe('区划代码：不存在或不在您的管辖范围内');
    expect(await refused(county, { startDate: '2026-12-10', endDate: '2026-12-09' }, 'endDate')).toBe('结束日期：不能早于开始日期');
    expect(await refused(county, { startDate: '2026-11-01', endDate: '2026-11-28' }, 'endDate')).toBe('结束日期：不能早于今天');
    expect(await refused(county, { endDate: '2026-02-30' }, 'endDate')).toBe('结束日期：不是真实存在的日期');
    expect(await refused(county, { checklist: [CHECKLIST[0], { ...CHECKLIST[0], label: '又一项' }] }, 'checklist')).toBe('核查项目：检查项重复');
    expect((await county.request('POST', '/api/campaigns', input({ checklist: [] }))).status).toBe(400);
    expect((await county.request('GET', `/api/campaigns/preview?regionCode=431221000000`)).status).toBe(404);
    // Directors and supervisors read campaigns but do not open them.
    expect((await supervisor.request('POST', '/api/campaigns', input({ regionCode: TOWNSHIP }))).status).toBe(403);
    expect((await directorA.request('POST', '/api/campaigns', input({ regionCode: VILLAGE_A }))).status).toBe(403);
  });

  it('counts progress per sub-region for each viewer after tasks are completed', async () => {
    const campaign = await create(county, { name: '进度核查' });
    const inA = await tasksOf(directorA, campaign.id);
    // A director sees his village's tasks only, in name order within the village.
    expect(inA.items.map((r) => r.childName)).toEqual(['丙普通', '甲留守', '乙困境']);
    expect(inA.items.every((r) => r.region.code === VILLAGE_A && r.township === '青西街道' && r.status === 'open')).toBe(true);
    const byName = new Map(inA.items.map((r) => [r.childName, r]));
    await complete(directorA, byName.get('甲留守')!, { ...allOk, letter_signed: { ok: false, note: '责任书未签' }, school: { ok: false } });
    await complete(directorA, byName.get('乙困境')!, allOk);

    const asCounty = (await county.request('GET', `/api/campaigns/${campaign.id}`)).json() as CampaignDetail;
    expect(asCounty).toMatchObject({ tasks: 5, done: 2, problems: 1, progressRegion: { code: COUNTY } });
    expect(asCounty.progress).toEqual([
      { region: { code: TOWNSHIP, name: '青西街道', level: 'township' }, tasks: 4, done: 2, problems: 1 },
      { region: { code: '431202002000', name: '松马街道', level: 'township' }, tasks: 1, done: 0, problems: 0 },
    ]);
    // Drilling into the township: per village.
    const drill = (await county.request('GET', `/api/campaigns/${campaign.id}?region=${TOWNSHIP}`)).json() as CampaignDetail;
    expect(drill.progressPath.map((r) => r.code)).toEqual([COUNTY, TOWNSHIP]);
    expect(drill.progress.map((p) => [p.region.code, p.tasks, p.done, p.problems])).toEqual([
      [VILLAGE_A, 3, 2, 1],
      [VILLAGE_B, 1, 0, 0],
    ]);
    const asSupervisor = (await supervisor.request('GET', `/api/campaigns/${campaign.id}`)).json() as CampaignDetail;
    expect(asSupervisor).toMatchObject({ tasks: 4, done: 2, problems: 1, progressRegion: { code: TOWNSHIP }, canClose: false });
    expect(asSupervisor.progress.map((p) => p.region.code)).toEqual([VILLAGE_A, VILLAGE_B]);
    const asDirector = (await directorB.request('GET', `/api/campaigns/${campaign.id}`)).json() as CampaignDetail;
    expect(asDirector).toMatchObject({ tasks: 1, done: 0, progress: [{ region: { code: VILLAGE_B }, tasks: 1, done: 0, problems: 0 }] });

    // The list counts what each viewer is responsible for.
    const list = (await directorA.request('GET', '/api/campaigns?status=open')).json() as Page<CampaignRecord>;
    expect(list.items.find((c) => c.id === campaign.id)).toMatchObject({ tasks: 3, done: 2, problems: 1 });
    // Filters of the task list.
    expect((await tasksOf(county, campaign.id, '&status=done')).items.map((r) => r.childName).sort()).toEqual(['乙困境', '甲留守']);
    expect((await tasksOf(county, campaign.id, `&status=open&region=${TOWNSHIP}`)).items.map((r) => r.childName).sort()).toEqual(['丙普通', '己留守']);
    expect((await tasksOf(county, campaign.id, `&region=${VILLAGE_C}`)).total).toBe(1);
    // A region filter outside what the viewer sees reads as missing.
    expect((await directorA.request('GET', `/api/campaigns/${campaign.id}/tasks?region=${VILLAGE_B}`)).status).toBe(404);
    expect((await supervisor.request('GET', `/api/campaigns/${campaign.id}?region=${COUNTY}`)).status).toBe(404);

    // The visit form's view of one task.
    const task = (await directorA.request('GET', `/api/campaign-tasks/${byName.get('丙普通')!.id}`)).json() as CampaignTaskDetail;
    expect(task).toMatchObject({ campaignId: campaign.id, campaignName: '进度核查', campaignStatus: 'open', checklist: CHECKLIST, childId: kids['丙普通'], childName: '丙普通', status: 'open', visitId: null });
    expect((await directorB.request('GET', `/api/campaign-tasks/${byName.get('丙普通')!.id}`)).status).toBe(404);
  });

  it('closes with a stored summary; open tasks stay not done; a second close is refused', async () => {
    const campaign = await create(county, { name: '结束核查', regionCode: TOWNSHIP });
    const tasks = await tasksOf(county, campaign.id);
    const byName = new Map(tasks.items.map((r) => [r.childName, r]));
    await complete(directorA, byName.get('甲留守')!, { ...allOk, letter_signed: { ok: false }, carer_present: { ok: false } });
    await complete(directorB, byName.get('己留守')!, { ...allOk, letter_signed: { ok: false } });
    await complete(directorA, byName.get('乙困境')!, allOk);

    expect((await supervisor.request('POST', `/api/campaigns/${campaign.id}/close`)).status).toBe(403);
    const res = await county.request('POST', `/api/campaigns/${campaign.id}/close`);
    expect(res.status, res.body).toBe(200);
    const closed = res.json() as CampaignDetail;
    expect(closed).toMatchObject({ status: 'closed', canClose: false, tasks: 4, done: 3, problems: 2 });
    expect(closed.closedAt).toBe(t.clock.now().toISOString());
    const { closedBy, ...summary } = closed.summary!;
    expect(closedBy).toMatch(/鹤城区民政局/);
    expect(summary).toEqual({
      closedAt: t.clock.now().toISOString(),
      tasks: 4,
      done: 3,
      notDone: 1,
      problems: 2,
      items: [
        { key: 'carer_present', label: '照护人仍在且有能力', problems: 1 },
        { key: 'letter_signed', label: '委托监护责任书已签订', problems: 2 },
        { key: 'parent_contact', label: '与父母保持联系', problems: 0 },
        { key: 'school', label: '按时上学', problems: 0 },
      ],
      regions: [
        { region: { code: VILLAGE_A, name: '寨林村', level: 'village' }, tasks: 3, done: 2, problems: 1 },
        { region: { code: VILLAGE_B, name: '陈松村', level: 'village' }, tasks: 1, done: 1, problems: 1 },
      ],
    });
    const stored = await t.deps.db.selectFrom('campaigns').selectAll().where('id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.summary!)).toEqual(closed.summary);
    // The task not done stays open (not done), and the campaign says so.
    expect((await tasksOf(county, campaign.id, '&status=open')).items.map((r) => r.childName)).toEqual(['丙普通']);
    expect(((await directorA.request('GET', `/api/campaign-tasks/${byName.get('丙普通')!.id}`)).json() as CampaignTaskDetail).campaignStatus).toBe('closed');
    // A closed campaign takes no more completions.
    const late = await directorA.request('POST', `/api/children/${kids['丙普通']}/visits`, visitInput({ visitDate: '2026-11-29', kind: 'key_verification', campaignTaskId: byName.get('丙普通')!.id, campaignAnswers: allOk }));
    expect(late.status).toBe(400);
    expect((late.json() as { error: { field: string } }).error.field).toBe('campaignTaskId');
    expect((await tasksOf(county, campaign.id, '&status=open')).total).toBe(1);
    // The report is the admin's; a director sees his village's numbers, not the stored report of the township.
    expect(((await directorA.request('GET', `/api/campaigns/${campaign.id}`)).json() as CampaignDetail).summary).toBeNull();

    const again = await county.request('POST', `/api/campaigns/${campaign.id}/close`);
    expect(again.status).toBe(409);
    expect((again.json() as { error: { code: string } }).error.code).toBe('CAMPAIGN_CLOSED');
    const entries = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'campaign.close').where('target_id', '=', campaign.id).execute();
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.details!)).toMatchObject({ tasks: 4, done: 3, notDone: 1, problems: 2 });

    const listed = (await county.request('GET', '/api/campaigns?status=closed')).json() as Page<CampaignRecord>;
    expect(listed.items.map((c) => c.id)).toContain(campaign.id);
    expect(((await county.request('GET', '/api/campaigns?status=open')).json() as Page<CampaignRecord>).items.map((c) => c.id)).not.toContain(campaign.id);
  });

  it('refuses to complete a task of a closed campaign, naming the field, and writes nothing (not even the visit)', async () => {
    const campaign = await create(county, { name: '已结束再核查', regionCode: VILLAGE_A });
    const task = (await tasksOf(directorA, campaign.id)).items.find((r) => r.childName === '甲留守')!;
    expect((await county.request('POST', `/api/campaigns/${campaign.id}/close`)).status).toBe(200);
    const childBefore = await t.deps.db.selectFrom('children').selectAll().where('id', '=', task.childId).executeTakeFirstOrThrow();
    const visitsBefore = await t.deps.db.selectFrom('visits').select('id').where('child_id', '=', task.childId).execute();
    const id = newId();
    const body = visitInput({ id, visitDate: '2026-11-29', kind: 'key_verification', campaignTaskId: task.id, campaignAnswers: allOk });

    const zh = await directorA.request('POST', `/api/children/${task.childId}/visits`, body);
    expect(zh.status).toBe(400);
    expect(zh.json()).toEqual({ error: { code: 'VALIDATION', field: 'campaignTaskId', message: '核查任务：所属核查已结束，不能再完成' } });
    const en = await directorA.request('POST', `/api/children/${task.childId}/visits`, body, { 'accept-language': 'en-US' });
    expect(en.status).toBe(400);
    expect((en.json() as { error: { message: string } }).error.message).toBe('Verification task: belongs to a campaign that has been closed: it can no longer be completed');

    // Nothing written: no visit, the task open and unlinked, the child's file as it was, the stored report unchanged.
    expect(await t.deps.db.selectFrom('visits').select('id').where('child_id', '=', task.childId).execute()).toEqual(visitsBefore);
    expect(await t.deps.db.selectFrom('visits').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    expect(await t.deps.db.selectFrom('campaign_tasks').select(['status', 'visit_id', 'problems']).where('id', '=', task.id).executeTakeFirstOrThrow()).toEqual({ status: 'open', visit_id: null, problems: 0 });
    expect(await t.deps.db.selectFrom('children').selectAll().where('id', '=', task.childId).executeTakeFirstOrThrow()).toEqual(childBefore);
    const closed = (await county.request('GET', `/api/campaigns/${campaign.id}`)).json() as CampaignDetail;
    expect(closed.summary).toMatchObject({ tasks: 3, done: 0, notDone: 3 });
    expect(closed).toMatchObject({ done: 0 });
    expect(await t.deps.db.selectFrom('audit_log').select('seq').where('target_id', '=', id).execute()).toEqual([]);
  });

  // PostgreSQL runs writers side by side: a close in flight holds the campaign FOR UPDATE, and a completion
  // arriving meanwhile waits for it, then finds the campaign closed instead of landing after the summary.
  it.runIf(dialectUnderTest() === 'postgres')('makes a completion wait for a close in flight, then refuses it', async () => {
    const campaign = await create(county, { name: '并发核查', regionCode: VILLAGE_B });
    const task = (await tasksOf(directorB, campaign.id)).items[0]!;
    let settled = false;
    let completion!: Promise<{ status: number; json: () => unknown }>;
    await t.deps.db.transaction().execute(async (trx) => {
      // What closeCampaign does first, by hand, so the close can be held open.
      await trx.selectFrom('campaigns').select('status').where('id', '=', campaign.id).forUpdate().execute();
      completion = directorB.request('POST', `/api/children/${task.childId}/visits`, visitInput({ visitDate: '2026-11-29', kind: 'key_verification', campaignTaskId: task.id, campaignAnswers: allOk }));
      void completion.finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      await trx.updateTable('campaigns').set({ status: 'closed', closed_at: t.clock.now().toISOString() }).where('id', '=', campaign.id).execute();
    });
    const res = await completion;
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { field: 'campaignTaskId' } });
    expect(await t.deps.db.selectFrom('campaign_tasks').select('status').where('id', '=', task.id).executeTakeFirstOrThrow()).toEqual({ status: 'open' });
    expect(await t.deps.db.selectFrom('visits').select('id').where('child_id', '=', task.childId).where('campaign_task_id', '=', task.id).execute()).toEqual([]);
  });

  it('exports the summary and the task list with Chinese headers (audited)', async () => {
    const campaign = await create(county, { name: '导出核查', regionCode: TOWNSHIP });
    const tasks = await tasksOf(county, campaign.id);
    const first = tasks.items.find((r) => r.childName === '甲留守')!;
    await complete(directorA, first, { ...allOk, letter_signed: { ok: false, note: '监护人外出未签' } });

    const directorName = ((await directorA.request('GET', '/api/me')).json() as { user: { displayName: string } }).user.displayName;
    const res = await t.app.inject({ method: 'GET', url: `/api/campaigns/${campaign.id}/export.xlsx`, headers: { cookie: county.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('重点核查-导出核查-');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['核查汇总', '任务清单']);
    const values = (ws: ExcelJS.Worksheet) => {
      const out: unknown[][] = [];
      ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    const summary = values(wb.getWorksheet('核查汇总')!);
    expect(summary[0]).toEqual(['导出核查']);
    expect(summary).toContainEqual(['核查范围', '青西街道']);
    expect(summary).toContainEqual(['核查期间', '2026-11-20 ~ 2026-12-31']);
    expect(summary).toContainEqual(['应核查人数', '已核查', '未核查', '完成率', '发现问题人数']);
    expect(summary).toContainEqual([4, 1, 3, '25%', 1]);
    expect(summary).toContainEqual(['委托监护责任书已签订', 1]);
    expect(summary).toContainEqual(['寨林村', 3, 1, 2, '33.3%', 1]);
    expect(summary).toContainEqual(['陈松村', 1, 0, 1, '0%', 0]);
    const list = values(wb.getWorksheet('任务清单')!);
    expect(list[0]).toEqual(['序号', '乡镇（街道）', '村（社区）', '儿童姓名', '性别', '出生日期', '核查状态', '核查日期', '核查人', '问题项数', '存在问题的项目', '问题说明']);
    expect(list).toHaveLength(5);
    expect(list.slice(1).map((r) => r[3])).toEqual(['丙普通', '甲留守', '乙困境', '己留守']);
    expect(list[2]).toEqual([2, '青西街道', '寨林村', '甲留守', '男', '2015-03-10', '已核查', '2026-11-29', directorName, 1, '委托监护责任书已签订', '委托监护责任书已签订：监护人外出未签']);
    expect(list[1]!.slice(6)).toEqual(['未核查']);

    const entry = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'campaign.export').where('target_id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details!)).toMatchObject({ tasks: 4 });
    // A director exports his own village's part only (issue 12: directors export their village); another county's admin finds nothing.
    const own = await t.app.inject({ method: 'GET', url: `/api/campaigns/${campaign.id}/export.xlsx`, headers: { cookie: directorA.cookie } });
    expect(own.statusCode, own.body).toBe(200);
    const ownBook = new ExcelJS.Workbook();
    await ownBook.xlsx.load(own.rawPayload as unknown as ArrayBuffer);
    const ownList = values(ownBook.getWorksheet('任务清单')!).slice(1);
    expect(ownList.map((r) => r[3])).toEqual(['丙普通', '甲留守', '乙困境']);
    expect(ownList.every((r) => r[2] === '寨林村')).toBe(true);
    expect((await otherCounty.request('GET', `/api/campaigns/${campaign.id}/export.xlsx`)).status).toBe(404);
  });

  it('answers 404 to another county, exactly as for a missing campaign', async () => {
    const campaign = await create(county, { name: '范围核查' });
    const task = (await tasksOf(county, campaign.id)).items[0]!;
    const missing = '01234567-0000-7000-8000-000000000000';
    for (const session of [otherCounty, otherDirector, outsideAdmin]) {
      for (const [method, url, missingUrl] of [
        ['GET', `/api/campaigns/${campaign.id}`, `/api/campaigns/${missing}`],
        ['GET', `/api/campaigns/${campaign.id}/tasks`, `/api/campaigns/${missing}/tasks`],
        ['GET', `/api/campaign-tasks/${task.id}`, `/api/campaign-tasks/${missing}`],
      ] as const) {
        const res = await session.request(method, url);
        expect(res.status, `${session.username} ${url}`).toBe(404);
        expect(res.body).toBe((await session.request(method, missingUrl)).body);
      }
      const list = (await session.request('GET', '/api/campaigns?pageSize=200')).json() as Page<CampaignRecord>;
      expect(list.items.map((c) => c.id)).not.toContain(campaign.id);
    }
    for (const session of [otherCounty, outsideAdmin]) {
      expect((await session.request('POST', `/api/campaigns/${campaign.id}/close`)).status).toBe(404);
      expect((await session.request('GET', `/api/campaigns/${campaign.id}/export.xlsx`)).status).toBe(404);
    }
    // The outside city's admin does not see the city-wide campaign either; the director of a village does.
    const cityWide = await create(city, { name: '全市核查二', regionCode: CITY, categories: ['distress'] });
    expect(((await outsideAdmin.request('GET', '/api/campaigns')).json() as Page<CampaignRecord>).items.map((c) => c.id)).not.toContain(cityWide.id);
    const mine = ((await directorA.request('GET', '/api/campaigns')).json() as Page<CampaignRecord>).items.find((c) => c.id === cityWide.id);
    expect(mine).toMatchObject({ tasks: 1, region: { code: CITY } });
    expect(((await directorB.request('GET', '/api/campaigns')).json() as Page<CampaignRecord>).items.find((c) => c.id === cityWide.id)).toMatchObject({ tasks: 0 });
  });
});
