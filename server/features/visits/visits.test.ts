import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail, ChildInput, ChildSummary } from '../../../domain/children/schema.js';
import type { RecordedVisit, VisitRecord } from '../../../domain/visits/schema.js';
import { newId } from '../../core/ids.js';
import { childInput } from '../children/children.test-data.js';
import { phoneJpeg } from '../files/files.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { uploadVisitPhoto, visitInput } from './visits.test-data.js';

const VILLAGE = '431202001201';
// The harness's clock: 2026-11-29 10:00 in China.
const TODAY = '2026-11-29';

describe(`visits (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let otherCounty: Session;
  let seq = 0;

  /** An active child in the village (registered by the supervisor, so no approval is pending). */
  async function activeChild(overrides: Partial<ChildInput> = {}): Promise<ChildDetail> {
    seq++;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `走访${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(seq / 10) % 10]}`, idNumber: null, birthDate: `2014-02-${String(seq).padStart(2, '0')}`, ...overrides }));
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  const detail = async (s: Session, id: string) => (await s.request('GET', `/api/children/${id}`)).json() as ChildDetail;
  const count = async (table: 'visits' | 'audit_log' | 'child_changes' | 'visit_revisions', where?: [string, string]) => {
    let q = t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a column name chosen by the test
    if (where) q = q.where(where[0] as any, '=', where[1]);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    otherCounty = await signIn(t, 'county-431221');
  });
  afterAll(() => t.close());

  it('records a visit: risk, last visit and next due date move with it, the answer suggests a referral', async () => {
    const child = await activeChild();
    // Never visited: due for a first visit 30 days after registration, not one 90-day interval later.
    expect(child.schedule).toMatchObject({ risk: { level: 'low', factors: [] }, lastVisitDate: null, intervalDays: 90, firstVisitDays: 30, nextDue: '2026-12-29', state: 'ok' });
    const audits = await count('audit_log', ['action', 'visit.record']);

    const res = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-28', factors: { psych_concern: true, living_alone: false } }));
    expect(res.status, res.body).toBe(201);
    const visit = res.json() as RecordedVisit;
    expect(visit).toMatchObject({ childId: child.id, kind: 'home', visitDate: '2026-11-28', dueDate: '2026-12-29', onTime: true, version: 1, corrected: false, correction: 'author' });
    expect(visit.visitor.name).toBeTruthy();
    expect(visit.region.code).toBe(VILLAGE);
    expect(visit.suggestions).toEqual(['referral_social_work']);

    // A serious psychological concern is a high risk: visited every 30 days from now on.
    const after = await detail(director, child.id);
    expect(after.riskLevel).toBe('high');
    expect(after.schedule).toMatchObject({ risk: { level: 'high', derived: 'high', factors: ['psych_concern'] }, lastVisitDate: '2026-11-28', lastSeenDate: '2026-11-28', intervalDays: 30, firstVisitDays: null, nextDue: '2026-12-28', unseenStreak: 0 });
    expect(after.nextVisitDue).toBe('2026-12-28');
    const history = (await director.request('GET', `/api/children/${child.id}/history`)).json() as { items: { action: string; changes: { field: string; from: unknown; to: unknown }[] }[] };
    expect(history.items[0]!.action).toBe('visit');
    expect(history.items[0]!.changes).toEqual(expect.arrayContaining([{ field: 'riskLevel', from: 'low', to: 'high' }, { field: 'nextVisitDue', from: '2026-12-29', to: '2026-12-28' }]));
    expect(await count('audit_log', ['action', 'visit.record'])).toBe(audits + 1);

    // A later visit that finds the concern gone brings the level down; an unanswered factor stays as it was.
    const phone = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: TODAY, kind: 'phone', seenInPerson: false, factors: { psych_concern: false } }));
    expect(phone.status, phone.body).toBe(201);
    expect((phone.json() as RecordedVisit).suggestions).toEqual([]);
    expect((await detail(director, child.id)).schedule).toMatchObject({ risk: { level: 'low' }, lastVisitDate: TODAY, lastSeenDate: '2026-11-28', unseenStreak: 1, nextDue: '2027-02-27' });

    const list = (await director.request('GET', `/api/children/${child.id}/visits`)).json() as { items: VisitRecord[]; total: number };
    expect(list.total).toBe(2);
    expect(list.items.map((v) => v.visitDate)).toEqual([TODAY, '2026-11-28']);
  });

  it('records a resent visit (same client id) once, answering the stored visit', async () => {
    const child = await activeChild();
    const id = newId();
    const before = await count('audit_log');
    const first = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ id }));
    expect(first.status, first.body).toBe(201);
    const again = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ id }));
    expect(again.status, again.body).toBe(200);
    expect((again.json() as VisitRecord).id).toBe(id);
    expect((again.json() as VisitRecord).notes).toBeNull();
    // The same id with other content: refused (issue 15), the stored visit unchanged.
    const changed = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ id, notes: '重发' }));
    expect(changed.status, changed.body).toBe(409);
    expect(changed.json()).toMatchObject({ error: { code: 'REPLAY_MISMATCH', field: 'id' } });
    expect(await count('visits', ['child_id', child.id])).toBe(1);
    expect(await count('audit_log')).toBe(before + 1);
    // The same id for another child is a conflict, never a second visit.
    const other = await activeChild();
    expect((await director.request('POST', `/api/children/${other.id}/visits`, visitInput({ id }))).status).toBe(409);
  });

  it('writes nothing when a late step fails (a closed campaign’s task): no visit, no photo attached, no schedule change', async () => {
    const child = await activeChild();
    const photo = await uploadVisitPhoto(director, child.id, await phoneJpeg());
    expect(photo.status, photo.body).toBe(201);
    const photoId = (photo.json() as { id: string }).id;
    const campaignId = newId();
    const taskId = newId();
    await t.deps.db
      .insertInto('campaigns')
      .values({ id: campaignId, name: '委托照护年度核查', region_code: '431202000000', start_date: '2026-11-01', end_date: '2026-11-20', categories: '[]', checklist: JSON.stringify([{ key: 'carer_present', label: '照护人在位' }]), status: 'closed', created_by: null, created_at: '2026-11-01T00:00:00.000Z', closed_by: null, closed_at: '2026-11-21T00:00:00.000Z', summary: null })
      .execute();
    await t.deps.db.insertInto('campaign_tasks').values({ id: taskId, campaign_id: campaignId, child_id: child.id, region_code: VILLAGE, status: 'open', visit_id: null, problems: 0, done_at: null }).execute();
    const [visits, changes, audits] = [await count('visits'), await count('child_changes', ['child_id', child.id]), await count('audit_log')];

    const res = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ kind: 'key_verification', photoIds: [photoId], factors: { abuse_signs: true }, campaignTaskId: taskId, campaignAnswers: { carer_present: { ok: false } } }));
    expect(res.status, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'campaignTaskId' } });
    expect(await count('visits')).toBe(visits);
    expect(await count('child_changes', ['child_id', child.id])).toBe(changes);
    expect(await count('audit_log')).toBe(audits);
    const file = await t.deps.db.selectFrom('files').select(['visit_id']).where('id', '=', photoId).executeTakeFirstOrThrow();
    expect(file.visit_id).toBeNull();
    const after = await detail(director, child.id);
    expect(after.version).toBe(child.version);
    expect(after.schedule).toEqual(child.schedule);

    // With the campaign open, the same visit completes the task and counts the problem found.
    await t.deps.db.updateTable('campaigns').set({ status: 'open', closed_at: null }).where('id', '=', campaignId).execute();
    const done = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ kind: 'key_verification', photoIds: [photoId], factors: { abuse_signs: true }, campaignTaskId: taskId, campaignAnswers: { carer_present: { ok: false } } }));
    expect(done.status, done.body).toBe(201);
    const visit = done.json() as RecordedVisit;
    expect(visit.photos.map((p) => p.id)).toEqual([photoId]);
    expect(visit.suggestions).toEqual(['mandatory_report']);
    const task = await t.deps.db.selectFrom('campaign_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    expect(task).toMatchObject({ status: 'done', visit_id: visit.id, problems: 1 });
    expect((await detail(director, child.id)).schedule?.risk.level).toBe('urgent');
    // A task is completed once.
    const twice = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ kind: 'key_verification', campaignTaskId: taskId, campaignAnswers: { carer_present: { ok: true } } }));
    expect(twice.status).toBe(400);
    expect(twice.json()).toMatchObject({ error: { field: 'campaignTaskId' } });
  });

  it('a child in entrusted care last visited 31 days ago is overdue on the child page and in the list alike; 30 days ago is due today', async () => {
    const entrusted = { kind: 'entrusted' as const, capacity: 'good' as const, name: '张阿姨', phone: '13900002222' };
    const late = await activeChild({ caregiver: entrusted });
    const onTime = await activeChild({ caregiver: entrusted });
    expect((await director.request('POST', `/api/children/${late.id}/visits`, visitInput({ visitDate: '2026-10-29' }))).status).toBe(201);
    expect((await director.request('POST', `/api/children/${onTime.id}/visits`, visitInput({ visitDate: '2026-10-30' }))).status).toBe(201);

    const lateDetail = await detail(director, late.id);
    expect(lateDetail.schedule).toMatchObject({ priorityGroups: ['entrusted_care'], intervalDays: 30, nextDue: '2026-11-28', state: 'overdue' });
    expect(lateDetail.visitState).toBe('overdue');
    const onTimeDetail = await detail(director, onTime.id);
    expect(onTimeDetail.schedule).toMatchObject({ nextDue: TODAY, state: 'due_soon' });

    const list = (await director.request('GET', '/api/children?pageSize=200')).json() as { items: ChildSummary[] };
    expect(list.items.find((c) => c.id === late.id)).toMatchObject({ nextVisitDue: '2026-11-28', visitState: 'overdue' });
    expect(list.items.find((c) => c.id === onTime.id)).toMatchObject({ nextVisitDue: TODAY, visitState: 'due_soon' });
  });

  it('refuses a visit dated in the future or before the child’s birth, of a school contact’s kind, or with photos not its own, naming the field', async () => {
    const child = await activeChild({ birthDate: '2016-05-01' });
    const other = await activeChild();
    const future = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-30' }));
    expect(future.status).toBe(400);
    expect(future.json()).toMatchObject({ error: { field: 'visitDate' } });
    expect(future.body).toContain('不能晚于今天');
    const unborn = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2016-04-30' }));
    expect(unborn.json()).toMatchObject({ error: { field: 'visitDate' } });
    expect(unborn.body).toContain('不能早于儿童出生日期');
    const kind = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ kind: 'school_vacation' }));
    expect(kind.json()).toMatchObject({ error: { field: 'kind' } });
    const photo = (await uploadVisitPhoto(director, other.id, await phoneJpeg())).json() as { id: string };
    const foreign = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ photoIds: [photo.id] }));
    expect(foreign.status).toBe(400);
    expect(foreign.json()).toMatchObject({ error: { field: 'photoIds' } });
    expect(await count('visits', ['child_id', child.id])).toBe(0);
  });

  it('refuses a visit whose checklist nobody answered, naming the item; records a deliberate "all fine" tap as such', async () => {
    const child = await activeChild();
    const before = [await count('visits', ['child_id', child.id]), await count('audit_log')];
    // Nothing answered: no item is taken as fine.
    const empty = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ checklist: {} }));
    expect(empty.status).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'checklist.safety', message: '逐项查看：人身安全：未作答，请选择正常、关注或严重' } });
    const { needs: _n, ...sixOfSeven } = visitInput().checklist;
    expect((await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ checklist: sixOfSeven }))).json()).toMatchObject({ error: { field: 'checklist.needs' } });
    // "All fine in one tap" with an item that is not fine is a contradiction.
    const mixed = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ checklistAllFine: true, checklist: { ...visitInput().checklist, health: { rating: 'concern', note: '咳嗽' } } }));
    expect(mixed.status).toBe(400);
    expect(mixed.json()).toMatchObject({ error: { field: 'checklistAllFine', message: '全部正常（一键）：有一项不是“正常”，不能记为全部正常' } });
    expect([await count('visits', ['child_id', child.id]), await count('audit_log')]).toEqual(before);

    // The tap, recorded on the visit and in the audit row.
    const tapped = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ checklistAllFine: true }));
    expect(tapped.status, tapped.body).toBe(201);
    const visit = tapped.json() as RecordedVisit;
    expect(visit.checklistAllFine).toBe(true);
    expect(((await director.request('GET', `/api/visits/${visit.id}`)).json() as VisitRecord).checklistAllFine).toBe(true);
    const audit = await t.deps.db.selectFrom('audit_log').select('details').where('action', '=', 'visit.record').where('target_id', '=', visit.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details!)).toMatchObject({ checklistAllFine: true });
    // Answered item by item, it is not.
    const byItem = (await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-28' }))).json() as VisitRecord;
    expect(byItem.checklistAllFine).toBe(false);
    // A correction that finds a concern drops the one-tap mark (kept as a revision), or is refused.
    const stillTapped = await director.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ checklistAllFine: true, checklist: { ...visitInput().checklist, needs: { rating: 'concern', note: '缺冬衣' } } }), version: 1 });
    expect(stillTapped.json()).toMatchObject({ error: { field: 'checklistAllFine' } });
    const corrected = await director.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ checklistAllFine: false, checklist: { ...visitInput().checklist, needs: { rating: 'concern', note: '缺冬衣' } } }), version: 1 });
    expect(corrected.status, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({ checklistAllFine: false, version: 2 });
    const revision = await t.deps.db.selectFrom('visit_revisions').select('changes').where('visit_id', '=', visit.id).executeTakeFirstOrThrow();
    expect(JSON.parse(revision.changes)).toEqual(expect.arrayContaining([{ field: 'checklistAllFine', from: true, to: false }]));
  });

  it('stores visit photos without their location unless kept on purpose, and refuses other files with a clear message', async () => {
    const child = await activeChild();
    const plain = await uploadVisitPhoto(director, child.id, await phoneJpeg(3000, 2000));
    expect(plain.status, plain.body).toBe(201);
    const kept = await uploadVisitPhoto(director, child.id, await phoneJpeg(), { keepLocation: true });
    expect(kept.status, kept.body).toBe(201);
    const fetch = (id: string) => t.app.inject({ method: 'GET', url: `/api/files/${id}`, headers: { cookie: director.cookie } });
    const plainMeta = await sharp((await fetch((plain.json() as { id: string }).id)).rawPayload).metadata();
    expect(plainMeta.exif).toBeUndefined();
    expect(Math.max(plainMeta.width, plainMeta.height)).toBe(2048);
    const keptMeta = await sharp((await fetch((kept.json() as { id: string }).id)).rawPayload).metadata();
    expect(keptMeta.exif).toBeDefined();

    const text = await uploadVisitPhoto(director, child.id, Buffer.from('not a photo'), { fileName: 'a.jpg' });
    expect(text.status).toBe(400);
    expect(text.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'file', message: '文件：须为 JPEG、PNG 或 WebP 格式的照片' } });
    const big = await uploadVisitPhoto(director, child.id, Buffer.alloc(10 * 1024 * 1024 + 1, 1));
    expect(big.status).toBe(400);
    expect(big.json()).toMatchObject({ error: { field: 'file', message: '文件：照片不能超过 10 MB' } });
  });

  it('lets the author correct a visit alone for 24 hours; later a supervisor with a reason; every correction kept as a revision', async () => {
    const child = await activeChild();
    const recorded = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-27' }));
    const visit = recorded.json() as VisitRecord;
    expect(visit.correction).toBe('author');

    const own = await director.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ visitDate: '2026-11-27', notes: '奶奶腿脚不便', factors: { carer_unfit: true } }), version: 1 });
    expect(own.status, own.body).toBe(200);
    expect(own.json()).toMatchObject({ version: 2, corrected: true, notes: '奶奶腿脚不便' });
    // The correction moves the schedule like the visit did: an unfit carer is a high risk.
    expect((await detail(director, child.id)).schedule).toMatchObject({ risk: { level: 'high' }, nextDue: '2026-12-27' });
    const stale = await director.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ notes: '旧版本' }), version: 1 });
    expect(stale.status).toBe(409);

    // Recorded 25 hours ago: the author's own window is over.
    await t.deps.db.updateTable('visits').set({ created_at: new Date(t.clock.now().getTime() - 25 * 3_600_000).toISOString() }).where('id', '=', visit.id).execute();
    {
      const late = await director.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ visitDate: '2026-11-27', notes: '再改' }), version: 2 });
      expect(late.status).toBe(403);
      expect(((await director.request('GET', `/api/visits/${visit.id}`)).json() as VisitRecord).correction).toBe('none');
      const noReason = await supervisor.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ visitDate: '2026-11-26' }), version: 2 });
      expect(noReason.status).toBe(400);
      expect(noReason.json()).toMatchObject({ error: { field: 'reason' } });
      const bySupervisor = await supervisor.request('PUT', `/api/visits/${visit.id}`, { ...visitInput({ visitDate: '2026-11-26' }), version: 2, reason: '日期登记错误，实为 26 日' });
      expect(bySupervisor.status, bySupervisor.body).toBe(200);
      expect(bySupervisor.json()).toMatchObject({ version: 3, visitDate: '2026-11-26', notes: null });
      // Not another supervisor's township.
      const otherSupervisor = await signIn(t, 'supervisor-431202002000');
      expect((await otherSupervisor.request('PUT', `/api/visits/${visit.id}`, { ...visitInput(), version: 3, reason: '越权' })).status).toBe(404);
    }
    const revisions = await t.deps.db.selectFrom('visit_revisions').selectAll().where('visit_id', '=', visit.id).orderBy('at').execute();
    expect(revisions).toHaveLength(2);
    expect(revisions[0]!.reason).toBeNull();
    expect(JSON.parse(revisions[0]!.changes)).toEqual(
      expect.arrayContaining([
        { field: 'notes', from: null, to: '奶奶腿脚不便' },
        { field: 'factors', from: visitInput().factors, to: { carer_unfit: true } },
      ]),
    );
    expect(revisions[1]!.reason).toBe('日期登记错误，实为 26 日');
    expect(JSON.parse(revisions[1]!.changes)).toEqual(expect.arrayContaining([{ field: 'visitDate', from: '2026-11-27', to: '2026-11-26' }]));
    expect((await detail(director, child.id)).schedule).toMatchObject({ risk: { level: 'low' }, lastVisitDate: '2026-11-26', nextDue: '2027-02-24' });
  });

  it('a supervisor sets the risk level by hand with a reason, and clears it; the due date follows; a director may not', async () => {
    const child = await activeChild();
    await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-20' }));
    expect((await director.request('POST', `/api/children/${child.id}/risk`, { level: 'urgent', reason: '家中失火' })).status).toBe(403);
    const set = await supervisor.request('POST', `/api/children/${child.id}/risk`, { level: 'urgent', reason: '家中失火，临时安置' });
    expect(set.status, set.body).toBe(200);
    const after = set.json() as ChildDetail;
    expect(after.riskLevel).toBe('urgent');
    expect(after.schedule).toMatchObject({ risk: { level: 'urgent', derived: 'low', override: { level: 'urgent', reason: '家中失火，临时安置' } }, intervalDays: 7, nextDue: '2026-11-27', state: 'overdue' });
    const noReason = await supervisor.request('POST', `/api/children/${child.id}/risk`, { level: 'high', reason: '' });
    expect(noReason.status).toBe(400);
    const cleared = (await supervisor.request('POST', `/api/children/${child.id}/risk`, { level: null, reason: '已妥善安置' })).json() as ChildDetail;
    expect(cleared.schedule).toMatchObject({ risk: { level: 'low', override: null }, nextDue: '2027-02-18' });
    const timeline = (await director.request('GET', `/api/children/${child.id}/timeline`)).json() as { items: { kind: string; title: string; visitId: string | null; details: Record<string, unknown> }[] };
    expect(timeline.items.map((i) => i.kind)).toEqual(['risk', 'risk', 'registration', 'visit']);
    expect(timeline.items[1]).toMatchObject({ title: '人工调整风险等级', details: { riskFrom: 'low', riskTo: 'urgent', comment: '家中失火，临时安置' } });
    expect(timeline.items[3]).toMatchObject({ kind: 'visit', title: '入户走访', details: { seenInPerson: true } });
    expect((await otherCounty.request('GET', `/api/children/${child.id}/timeline`)).status).toBe(404);
  });

  it('a school contact sees only his pupils, records a vacation visit that counts for the schedule, and never reads the file', async () => {
    const school = await t.deps.db.selectFrom('organisations').select(['id', 'region_code']).where('kind', '=', 'school').executeTakeFirstOrThrow();
    const police = await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'police').executeTakeFirstOrThrow();
    const schooling = (schoolOrgId: string) => ({ status: 'in_school' as const, school: '青西小学', grade: '五年级', boarding: false, schoolOrgId });
    // Only a school whose area holds the child's village, in the child's county.
    const notSchool = await supervisor.request('POST', '/api/children', childInput({ name: '钱不行', idNumber: null, birthDate: '2015-09-09', schooling: schooling(police.id) }));
    expect(notSchool.status).toBe(400);
    expect(notSchool.json()).toMatchObject({ error: { field: 'schooling.schoolOrgId' } });
    const otherTownship = await signIn(t, 'supervisor-431202002000');
    const village2 = await t.deps.db.selectFrom('regions').select('code').where('parent_code', '=', '431202002000').orderBy('code').executeTakeFirstOrThrow();
    const far = await otherTownship.request('POST', '/api/children', childInput({ name: '孙远方', idNumber: null, birthDate: '2015-09-10', regionCode: village2.code, schooling: schooling(school.id) }));
    expect(far.status).toBe(400);
    expect(far.json()).toMatchObject({ error: { field: 'schooling.schoolOrgId' } });

    const pupil = await activeChild({ name: '李学生', schooling: schooling(school.id) });
    const notPupil = await activeChild({ name: '李旁人' });
    const teacher = await signIn(t, 'school-demo');
    const pupils = (await teacher.request('GET', '/api/pupils')).json() as { items: { id: string; name: string; grade: string | null; lastVacationVisitDate: string | null }[]; total: number };
    expect(pupils.items.map((p) => p.id)).toEqual([pupil.id]);
    expect(pupils.items[0]).toMatchObject({ name: '李学生', grade: '五年级', lastVacationVisitDate: null });
    expect(((await teacher.request('GET', '/api/pupils?q=li')).json() as { total: number }).total).toBe(1);
    expect(((await teacher.request('GET', '/api/pupils?q=王')).json() as { total: number }).total).toBe(0);

    const home = await teacher.request('POST', `/api/pupils/${pupil.id}/visits`, visitInput());
    expect(home.status).toBe(400);
    expect(home.json()).toMatchObject({ error: { field: 'kind' } });
    const vacation = await teacher.request('POST', `/api/pupils/${pupil.id}/visits`, visitInput({ kind: 'school_vacation', present: ['child', 'grandparent', 'teacher'], dropoutRisk: true }));
    expect(vacation.status, vacation.body).toBe(201);
    const visit = vacation.json() as RecordedVisit;
    expect(visit).toMatchObject({ kind: 'school_vacation', dropoutRisk: true, visitor: { role: 'school' }, correction: 'author' });
    const fixed = await teacher.request('PUT', `/api/pupils/visits/${visit.id}`, { ...visitInput({ kind: 'school_vacation', dropoutRisk: false, notes: '已返校' }), version: 1 });
    expect(fixed.status, fixed.body).toBe(200);
    expect((await detail(director, pupil.id)).schedule?.lastVisitDate).toBe('2026-11-28');
    expect(((await teacher.request('GET', '/api/pupils')).json() as { items: { lastVacationVisitDate: string }[] }).items[0]!.lastVacationVisitDate).toBe('2026-11-28');
    // The civil-affairs side sees it on the child's timeline.
    const timeline = (await director.request('GET', `/api/children/${pupil.id}/timeline`)).json() as { items: { kind: string; title: string }[] };
    // The visit is dated the day before the file was registered in the system.
    expect(timeline.items.map((i) => i.kind)).toEqual(['change', 'registration', 'visit']);
    expect(timeline.items[2]).toMatchObject({ kind: 'visit', title: '寒暑假家访', details: { dropoutRisk: false } });

    // Never the file, the visits list or a photo upload (for a school contact they do not exist); other children are not his.
    for (const url of [`/api/children/${pupil.id}`, `/api/children/${pupil.id}/visits`, `/api/children/${pupil.id}/timeline`, `/api/visits/${visit.id}`]) {
      expect((await teacher.request('GET', url)).status, url).toBe(404);
    }
    expect((await teacher.request('POST', `/api/pupils/${notPupil.id}/visits`, visitInput({ kind: 'school_vacation' }))).status).toBe(404);
    expect((await teacher.request('POST', `/api/pupils/${newId()}/visits`, visitInput({ kind: 'school_vacation' }))).status).toBe(404);
    const staffVisit = (await director.request('POST', `/api/children/${pupil.id}/visits`, visitInput())).json() as VisitRecord;
    expect((await teacher.request('PUT', `/api/pupils/visits/${staffVisit.id}`, { ...visitInput({ kind: 'school_vacation' }), version: 1 })).status).toBe(403);
    // A pupil whose file is closed drops off the list.
    await supervisor.request('POST', `/api/children/${pupil.id}/close`, { reason: 'moved_away' });
    expect(((await teacher.request('GET', '/api/pupils')).json() as { total: number }).total).toBe(0);
    expect((await teacher.request('POST', `/api/pupils/${pupil.id}/visits`, visitInput({ kind: 'school_vacation' }))).status).toBe(404);
  });

  it('a vacation visit stores only the checklist items the teacher was asked; the others stay unknown, for risk too', async () => {
    const school = await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'school').executeTakeFirstOrThrow();
    const pupil = await activeChild({ name: '周假期', schooling: { status: 'in_school', school: '青西小学', grade: '四年级', boarding: false, schoolOrgId: school.id } });
    // A director found a psychological concern: high risk.
    expect((await director.request('POST', `/api/children/${pupil.id}/visits`, visitInput({ visitDate: '2026-11-20', factors: { psych_concern: true } }))).status).toBe(201);
    const before = await t.deps.db.selectFrom('children').select(['risk_level', 'risk_factors', 'risk_observed']).where('id', '=', pupil.id).executeTakeFirstOrThrow();
    expect(before.risk_level).toBe('high');

    const teacher = await signIn(t, 'school-demo');
    const fine = { rating: 'fine' as const };
    const asked = { schooling: { rating: 'concern' as const, note: '想随父母外出打工' }, emotional_state: fine, safety: fine, needs: fine };
    const res = await teacher.request('POST', `/api/pupils/${pupil.id}/visits`, visitInput({ kind: 'school_vacation', checklist: asked, factors: {}, dropoutRisk: true }));
    expect(res.status, res.body).toBe(201);
    const visit = res.json() as RecordedVisit;
    expect(visit.checklist).toEqual({ ...asked, schooling: { rating: 'concern', note: '想随父母外出打工' } });
    expect(visit.checklist.living_conditions).toBeUndefined();
    const stored = await t.deps.db.selectFrom('visits').select('checklist').where('id', '=', visit.id).executeTakeFirstOrThrow();
    expect(Object.keys(JSON.parse(stored.checklist) as object).sort()).toEqual(['emotional_state', 'needs', 'safety', 'schooling']);
    // Not asked is no information: the risk the director found stands, and nothing was observed as fine.
    expect(await t.deps.db.selectFrom('children').select(['risk_level', 'risk_factors', 'risk_observed']).where('id', '=', pupil.id).executeTakeFirstOrThrow()).toEqual(before);
    expect((await detail(director, pupil.id)).schedule?.lastVisitDate).toBe('2026-11-28');
    // The director reads it as it was given.
    expect(((await director.request('GET', `/api/visits/${visit.id}`)).json() as VisitRecord).checklist).toEqual(visit.checklist);

    // The items a teacher is asked are still required, and a correction keeps the others unknown.
    const { needs: _n, ...withoutNeeds } = asked;
    const short = await teacher.request('POST', `/api/pupils/${pupil.id}/visits`, visitInput({ kind: 'school_vacation', checklist: withoutNeeds }));
    expect(short.status).toBe(400);
    expect(short.json()).toMatchObject({ error: { field: 'checklist.needs', message: '逐项查看：生活需求：未作答，请选择正常、关注或严重' } });
    const fixed = await teacher.request('PUT', `/api/pupils/visits/${visit.id}`, { ...visitInput({ kind: 'school_vacation', checklist: { ...asked, schooling: fine }, factors: {}, dropoutRisk: false }), version: 1 });
    expect(fixed.status, fixed.body).toBe(200);
    expect((fixed.json() as RecordedVisit).checklist).toEqual({ ...asked, schooling: fine });
    // A staff visit answers every item.
    const { health: _h, ...withoutHealth } = visitInput().checklist;
    const staff = await director.request('POST', `/api/children/${pupil.id}/visits`, visitInput({ checklist: withoutHealth }));
    expect(staff.status).toBe(400);
    expect(staff.json()).toMatchObject({ error: { field: 'checklist.health' } });
  });

  it('a school contact reads back his own vacation visit to correct it within 24 hours, with its version', async () => {
    const school = await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'school').executeTakeFirstOrThrow();
    const pupil = await activeChild({ name: '吴改正', schooling: { status: 'in_school', school: '青西小学', grade: '三年级', boarding: false, schoolOrgId: school.id } });
    const teacher = await signIn(t, 'school-demo');
    const row = async (as: Session = teacher) => {
      const res = await as.request('GET', `/api/pupils?q=${encodeURIComponent('吴改正')}`);
      expect(res.status, res.body).toBe(200);
      return (res.json() as { items: { id: string; correctableVisit: { id: string; visitDate: string } | null }[] }).items.find((p) => p.id === pupil.id)!;
    };
    expect((await row()).correctableVisit).toBeNull();
    const saved = (await teacher.request('POST', `/api/pupils/${pupil.id}/visits`, visitInput({ kind: 'school_vacation', factors: {}, notes: '家中有祖母照看' }))).json() as RecordedVisit;
    expect((await row()).correctableVisit).toEqual({ id: saved.id, visitDate: '2026-11-28' });

    const read = await teacher.request('GET', `/api/pupils/visits/${saved.id}`);
    expect(read.status, read.body).toBe(200);
    expect(read.json()).toMatchObject({ id: saved.id, version: 1, notes: '家中有祖母照看', correction: 'author' });
    const fixed = await teacher.request('PUT', `/api/pupils/visits/${saved.id}`, { ...visitInput({ kind: 'school_vacation', factors: {}, notes: '祖母生病，父亲已返家' }), version: 1 });
    expect(fixed.status, fixed.body).toBe(200);
    expect(((await teacher.request('GET', `/api/pupils/visits/${saved.id}`)).json() as VisitRecord).version).toBe(2);
    // A stale version is refused, saying which version is current.
    const stale = await teacher.request('PUT', `/api/pupils/visits/${saved.id}`, { ...visitInput({ kind: 'school_vacation', factors: {}, notes: '旧页面' }), version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'CONFLICT', field: 'version', data: { currentVersion: 2 } } });

    // Nobody else reads it this way: staff have their own routes, another visit is not his.
    expect((await director.request('GET', `/api/pupils/visits/${saved.id}`)).status).toBe(403);
    const staffVisit = (await director.request('POST', `/api/children/${pupil.id}/visits`, visitInput())).json() as VisitRecord;
    expect((await teacher.request('GET', `/api/pupils/visits/${staffVisit.id}`)).status).toBe(404);
    // After 24 hours the list offers no correction any more.
    t.clock.advance(24 * 3_600_000 + 1000);
    try {
      const nextDay = await signIn(t, 'school-demo');
      expect((await row(nextDay)).correctableVisit).toBeNull();
      expect(((await nextDay.request('GET', `/api/pupils/visits/${saved.id}`)).json() as VisitRecord).correction).toBe('none');
    } finally {
      t.clock.advance(-(24 * 3_600_000 + 1000));
    }
  });

  it('new visit intervals move every open file’s due date, and only the city admin may set them', async () => {
    const child = await activeChild();
    await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-20' }));
    expect((await detail(director, child.id)).schedule?.nextDue).toBe('2027-02-18');
    const settings = { intervalDays: { urgent: 7, high: 30, medium: 45, low: 45 }, priorityMaxDays: 30, dueSoonDays: 7, firstVisitDays: 30 };
    expect((await director.request('PUT', '/api/settings/visit-schedule', settings)).status).toBe(403);
    const city = await signIn(t, 'city-431200');
    const bad = await city.request('PUT', '/api/settings/visit-schedule', { ...settings, dueSoonDays: 0 });
    expect(bad.json()).toMatchObject({ error: { field: 'dueSoonDays' } });
    // A more urgent level never waits longer than a less urgent one.
    const unordered = await city.request('PUT', '/api/settings/visit-schedule', { ...settings, intervalDays: { ...settings.intervalDays, urgent: 40 } });
    expect(unordered.status).toBe(400);
    const refusal = unordered.json() as { error: { field: string; message: string } };
    expect(refusal.error.field).toBe('intervalDays.urgent');
    expect(refusal.error.message).toContain('紧急 ≤ 高 ≤ 中 ≤ 低');
    let recomputed: Promise<unknown> = Promise.resolve();
    const { setScheduleSettings } = await import('./visits.service.js');
    await setScheduleSettings(t.deps, { actor: { id: 'x', username: 'city', displayName: 'city', role: 'city_admin', locale: 'zh-CN', scopeRegion: '431200000000', organisationId: null, mustChangePassword: false }, ip: null, requestId: null }, settings, (p) => {
      recomputed = p;
    });
    await recomputed;
    expect((await director.request('GET', '/api/settings/visit-schedule')).json()).toEqual(settings);
    expect((await detail(director, child.id)).schedule).toMatchObject({ intervalDays: 45, nextDue: '2027-01-04' });
    const put = await city.request('PUT', '/api/settings/visit-schedule', { ...settings, intervalDays: { ...settings.intervalDays, low: 90 } });
    expect(put.status, put.body).toBe(200);
  });

  it('answers 404 for children and visits outside the scope, as for missing ones', async () => {
    const child = await activeChild();
    const visit = (await director.request('POST', `/api/children/${child.id}/visits`, visitInput())).json() as VisitRecord;
    for (const [method, url, body] of [
      ['GET', `/api/children/${child.id}/visits`, undefined],
      ['POST', `/api/children/${child.id}/visits`, visitInput()],
      ['GET', `/api/visits/${visit.id}`, undefined],
    ] as const) {
      const res = await otherCounty.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect((await director.request('GET', `/api/visits/${visit.id}`)).status).toBe(200);
    expect((await director.request('GET', `/api/visits/${newId()}`)).status).toBe(404);
  });
});
