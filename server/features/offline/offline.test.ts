/**
 * Offline field work, the server's side (issue 15): the working set a phone
 * keeps, the key that locks it, idempotent resends from the outbox, and how
 * queued records meet a file that changed meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { OfflineKey, WorkingSet } from '../../../domain/offline/schema.js';
import type { ReportRecord } from '../../../domain/reports/schema.js';
import type { RecordedVisit, VisitRecord } from '../../../domain/visits/schema.js';
import { newId } from '../../core/ids.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { childInput, hanDigits, idFor } from '../children/children.test-data.js';
import { organisationOfKind, referralInput } from '../referrals/referrals.test-data.js';
import { reportInput } from '../reports/reports.test-data.js';
import { visitInput } from '../visits/visits.test-data.js';

const VILLAGE = '431202001201';
const NEIGHBOUR = '431202001202';
type ErrorAnswer = { error: { code: string; field?: string; message: string; data?: { currentVersion?: number } } };

describe(`offline field work (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let seq = 0;

  /** An active child (registered by the supervisor, so no approval is pending), with an ID number to mask. */
  async function activeChild(regionCode = VILLAGE): Promise<ChildDetail> {
    seq++;
    const birth = `2014-03-${String(seq).padStart(2, '0')}`;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `离线${hanDigits(seq)}`, idNumber: idFor(birth, String(101 + 2 * seq)), birthDate: birth, regionCode }));
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  const count = async (table: 'visits' | 'protection_reports' | 'visit_revisions' | 'audit_log', column: string, value: string) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a column chosen by the test
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column as any, '=', value).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
  });
  afterAll(() => t.close());

  describe('the working set', () => {
    it('gives a director his village’s open files as the child page shows them, their last 3 visits, open reports and referrals, in one audited download', async () => {
      const visited = await activeChild();
      const quiet = await activeChild();
      const closed = await activeChild();
      expect((await supervisor.request('POST', `/api/children/${closed.id}/close`, { reason: 'moved_away' })).status).toBe(200);
      const elsewhere = await activeChild(NEIGHBOUR);
      for (const day of ['2026-11-01', '2026-11-10', '2026-11-20', '2026-11-25']) {
        expect((await director.request('POST', `/api/children/${visited.id}/visits`, visitInput({ visitDate: day }))).status).toBe(201);
      }
      const report = (await director.request('POST', `/api/children/${visited.id}/reports`, reportInput())).json() as ReportRecord;
      const referral = await director.request('POST', `/api/children/${quiet.id}/referrals`, referralInput(await organisationOfKind(t.deps.db, 'social_work_station')));
      expect(referral.status, referral.body).toBe(201);
      const audits = await count('audit_log', 'action', 'offline.working_set');
      const reads = await count('audit_log', 'action', 'child.read');

      const res = await director.request('GET', '/api/offline/working-set');
      expect(res.status, res.body).toBe(200);
      const set = res.json() as WorkingSet;
      expect(set.generatedAt).toBe('2026-11-29T02:00:00.000Z');
      expect(set.maxOfflineDays).toBe(14);
      expect(set.scheduleSettings.intervalDays.urgent).toBe(7);
      expect(set.villages.map((v) => v.region.code)).toEqual([VILLAGE]);
      const village = set.villages[0]!;
      const ids = village.children.map((c) => c.child.id);
      expect(ids).toContain(visited.id);
      expect(ids).toContain(quiet.id);
      expect(ids).not.toContain(closed.id);
      expect(ids).not.toContain(elsewhere.id);

      // Exactly the child page's presentation: masked numbers, schedule, risk, categories, version.
      const kept = village.children.find((c) => c.child.id === visited.id)!;
      const page = (await director.request('GET', `/api/children/${visited.id}`)).json() as ChildDetail;
      expect(kept.child).toEqual(page);
      // Masked as the page masks it: no full ID number, no caregiver's phone anywhere in the download.
      expect(kept.child.idNumberMasked).toMatch(/^\d{6}\*{11}[\dX]$/);
      expect(res.body).not.toMatch(/(?<![\w-])\d{17}[\dX](?![\w-])/);
      expect(res.body).not.toContain('13900001111');
      expect(kept.child.schedule?.risk.level).toBe('urgent');
      expect(kept.visits.map((v) => v.visitDate)).toEqual(['2026-11-25', '2026-11-20', '2026-11-10']);
      const detail = (await director.request('GET', `/api/visits/${kept.visits[0]!.id}`)).json() as VisitRecord;
      expect(kept.visits[0]).toEqual(detail);

      expect(village.reports.map((r) => r.id)).toEqual([report.id]);
      expect(village.referrals.map((r) => r.id)).toEqual([(referral.json() as { id: string }).id]);

      // One audit row for the whole download (who, how many files), no audit row per file.
      expect(await count('audit_log', 'action', 'offline.working_set')).toBe(audits + 1);
      expect(await count('audit_log', 'action', 'child.read')).toBe(reads + 1); // the page read above
      const row = await t.deps.db.selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'offline.working_set').orderBy('seq', 'desc').executeTakeFirstOrThrow();
      expect(row.actor_username).toBe(`director-${VILLAGE}`);
      expect(JSON.parse(row.details!)).toMatchObject({ villages: [VILLAGE], children: village.children.length, reports: 1, referrals: 1 });
      // No photo bytes, only references.
      expect(res.body).not.toMatch(/base64|data:image/);
    });

    it('gives a supervisor the villages he names, each of his scope, at most 10, with a field error otherwise', async () => {
      const child = await activeChild(NEIGHBOUR);
      const both = await supervisor.request('GET', `/api/offline/working-set?villages=${VILLAGE},${NEIGHBOUR}`);
      expect(both.status, both.body).toBe(200);
      const set = both.json() as WorkingSet;
      expect(set.villages.map((v) => v.region.code)).toEqual([VILLAGE, NEIGHBOUR]);
      expect(set.villages[1]!.children.map((c) => c.child.id)).toContain(child.id);

      const refused = async (session: Session, query: string, reason: string) => {
        const res = await session.request('GET', `/api/offline/working-set${query}`);
        expect(res.status, res.body).toBe(400);
        expect((res.json() as ErrorAnswer).error.field).toBe('villages');
        expect((res.json() as ErrorAnswer).error.message).toContain(reason);
      };
      await refused(supervisor, '', '请选择要离线保存的村');
      const eleven = Array.from({ length: 11 }, (_, i) => `431202001${String(201 + i).padStart(3, '0')}`).join(',');
      await refused(supervisor, `?villages=${eleven}`, '最多离线保存 10 个');
      await refused(supervisor, '?villages=431221001201', '不在您的管辖范围内');
      await refused(supervisor, '?villages=431202001000', '村（社区）一级');
      // A director names only his own village.
      await refused(director, `?villages=${NEIGHBOUR}`, '不在您的管辖范围内');
      expect((await director.request('GET', `/api/offline/working-set?villages=${VILLAGE}`)).status).toBe(200);
    });

    it('is refused to roles that make no field visits', async () => {
      const school = await signIn(t, 'school-demo');
      expect((await school.request('GET', '/api/offline/working-set')).status).toBe(403);
      expect((await school.request('POST', '/api/offline/key')).status).toBe(403);
    });
  });

  describe('the key of the phone’s copy', () => {
    it('is one random 256-bit key per session, kept sealed with the session, gone with it; a new session gets a new one', async () => {
      const session = await signIn(t, `director-${VILLAGE}`);
      const first = await session.request('POST', '/api/offline/key');
      expect(first.status, first.body).toBe(200);
      const key = first.json() as OfflineKey;
      expect(Buffer.from(key.key, 'base64')).toHaveLength(32);
      expect(key).toMatchObject({ algorithm: 'AES-GCM', maxOfflineDays: 14 });
      expect(Date.parse(key.expiresAt)).toBeGreaterThan(Date.parse('2026-11-29T02:00:00.000Z'));
      expect(((await session.request('POST', '/api/offline/key')).json() as OfflineKey).key).toBe(key.key);
      expect(await count('audit_log', 'action', 'offline.key')).toBeGreaterThanOrEqual(1);

      // Stored sealed: the database alone does not give it.
      const stored = await t.deps.db.selectFrom('sessions').select('offline_key').where('offline_key', 'is not', null).execute();
      expect(stored.length).toBeGreaterThan(0);
      for (const row of stored) expect(row.offline_key).not.toContain(key.key);

      const other = await signIn(t, `director-${VILLAGE}`);
      expect(((await other.request('POST', '/api/offline/key')).json() as OfflineKey).key).not.toBe(key.key);

      const before = (await t.deps.db.selectFrom('sessions').select('offline_key').where('offline_key', 'is not', null).execute()).length;
      expect((await session.request('POST', '/api/auth/logout')).status).toBe(200);
      expect((await t.deps.db.selectFrom('sessions').select('offline_key').where('offline_key', 'is not', null).execute()).length).toBe(before - 1);
      expect((await session.request('POST', '/api/offline/key')).status).toBe(401);
    });

    it('ends with an expired session', async () => {
      const session = await signIn(t, `director-${VILLAGE}`);
      expect((await session.request('POST', '/api/offline/key')).status).toBe(200);
      t.clock.set(new Date(Date.parse('2026-11-29T02:00:00.000Z') + (t.deps.config.sessionMaxHours + 1) * 3_600_000));
      try {
        expect((await session.request('POST', '/api/offline/key')).status).toBe(401);
      } finally {
        t.clock.set(new Date('2026-11-29T02:00:00.000Z'));
      }
    });

    it('says how many days the phone keeps its copy (a setting)', async () => {
      const city = await signIn(t, 'city-431200');
      const res = await city.request('PUT', '/api/settings/offline', { maxOfflineDays: 7 });
      expect(res.status, res.body).toBe(200);
      try {
        expect(((await director.request('POST', '/api/offline/key')).json() as OfflineKey).maxOfflineDays).toBe(7);
        expect(((await director.request('GET', '/api/offline/working-set')).json() as WorkingSet).maxOfflineDays).toBe(7);
        expect((await director.request('PUT', '/api/settings/offline', { maxOfflineDays: 30 })).status).toBe(403);
      } finally {
        await city.request('PUT', '/api/settings/offline', { maxOfflineDays: 14 });
      }
    });
  });

  describe('resends from the outbox', () => {
    it('records a visit sent twice with its client id once; the same id with other content is refused and writes nothing', async () => {
      const child = await activeChild();
      const id = newId();
      const body = visitInput({ id, visitDate: '2026-11-27', notes: '离线记录' });
      const first = await director.request('POST', `/api/children/${child.id}/visits`, body);
      expect(first.status, first.body).toBe(201);
      const again = await director.request('POST', `/api/children/${child.id}/visits`, body);
      expect(again.status, again.body).toBe(200);
      expect((again.json() as RecordedVisit).id).toBe(id);
      expect(await count('visits', 'child_id', child.id)).toBe(1);
      expect(await count('audit_log', 'target_id', id)).toBe(1);

      const changed = await director.request('POST', `/api/children/${child.id}/visits`, { ...body, notes: '另一份内容' });
      expect(changed.status).toBe(409);
      expect((changed.json() as ErrorAnswer).error).toMatchObject({ code: 'REPLAY_MISMATCH', field: 'id' });
      expect(await count('visits', 'child_id', child.id)).toBe(1);
    });

    it('records a mandatory report sent twice with its client id once; the same id with other content is refused', async () => {
      const child = await activeChild();
      const id = newId();
      const body = reportInput({ id });
      const first = await director.request('POST', `/api/children/${child.id}/reports`, body);
      expect(first.status, first.body).toBe(201);
      expect((first.json() as ReportRecord).id).toBe(id);
      const again = await director.request('POST', `/api/children/${child.id}/reports`, body);
      expect(again.status, again.body).toBe(200);
      expect((again.json() as ReportRecord).id).toBe(id);
      expect(await count('protection_reports', 'child_id', child.id)).toBe(1);
      expect(await count('audit_log', 'target_id', id)).toBe(1);

      const changed = await director.request('POST', `/api/children/${child.id}/reports`, { ...body, reporterName: '另一人' });
      expect(changed.status).toBe(409);
      expect((changed.json() as ErrorAnswer).error.code).toBe('REPLAY_MISMATCH');
      expect((changed.json() as ErrorAnswer).error.message).toContain('未保存');
      // The id of another child's report: refused, not the other report.
      const other = await activeChild();
      expect((await director.request('POST', `/api/children/${other.id}/reports`, body)).status).toBe(409);
      expect(await count('protection_reports', 'child_id', other.id)).toBe(0);
    });

    it('applies a visit correction sent twice once (one revision); a stale correction with other content is refused with the current version', async () => {
      const child = await activeChild();
      const visit = (await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-27' }))).json() as RecordedVisit;
      const correction = { ...visitInput({ visitDate: '2026-11-27', notes: '补充：祖母腿脚不便' }), version: visit.version };
      const first = await director.request('PUT', `/api/visits/${visit.id}`, correction);
      expect(first.status, first.body).toBe(200);
      const again = await director.request('PUT', `/api/visits/${visit.id}`, correction);
      expect(again.status, again.body).toBe(200);
      expect((again.json() as RecordedVisit).version).toBe(visit.version + 1);
      expect(await count('visit_revisions', 'visit_id', visit.id)).toBe(1);

      const stale = await director.request('PUT', `/api/visits/${visit.id}`, { ...correction, notes: '又一次更正' });
      expect(stale.status).toBe(409);
      expect((stale.json() as ErrorAnswer).error.data?.currentVersion).toBe(visit.version + 1);
    });
  });

  describe('a file that changed while the phone was offline', () => {
    it('accepts a queued visit after a risk override; risk and schedule come from the server’s state', async () => {
      const child = await activeChild();
      expect((await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-25' }))).status).toBe(201);
      const overridden = await supervisor.request('POST', `/api/children/${child.id}/risk`, { level: 'high', reason: '督导走访后上调' });
      expect(overridden.status, overridden.body).toBe(200);
      expect((overridden.json() as ChildDetail).schedule).toMatchObject({ risk: { level: 'high' }, nextDue: '2026-12-25' });

      // Recorded offline on the 20th, before the visit of the 25th: it lands in its place.
      const queued = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ id: newId(), visitDate: '2026-11-20', factors: { ...visitInput().factors, psych_concern: true } }));
      expect(queued.status, queued.body).toBe(201);
      expect(queued.json() as RecordedVisit).toMatchObject({ visitDate: '2026-11-20', dueDate: '2026-12-25', onTime: true });
      const after = (await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail;
      // The override holds; the later visit of the 25th answered the concern as absent, so it is not a factor; the due date follows the last visit.
      expect(after.schedule).toMatchObject({ risk: { level: 'high', derived: 'low', factors: [] }, lastVisitDate: '2026-11-25', intervalDays: 30, nextDue: '2026-12-25' });
      expect(after.version).toBeGreaterThan((overridden.json() as ChildDetail).version);
    });

    it('refuses a queued visit or report for a child closed meanwhile (CHILD_CLOSED) and writes nothing', async () => {
      const child = await activeChild();
      expect((await supervisor.request('POST', `/api/children/${child.id}/close`, { reason: 'moved_away' })).status).toBe(200);
      const audits = await count('audit_log', 'action', 'visit.record');
      const visit = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ id: newId() }));
      expect(visit.status).toBe(409);
      expect((visit.json() as ErrorAnswer).error.code).toBe('CHILD_CLOSED');
      expect((visit.json() as ErrorAnswer).error.message).toContain('已销档');
      const report = await director.request('POST', `/api/children/${child.id}/reports`, reportInput({ id: newId() }));
      expect((report.json() as ErrorAnswer).error.code).toBe('CHILD_CLOSED');
      expect(await count('visits', 'child_id', child.id)).toBe(0);
      expect(await count('protection_reports', 'child_id', child.id)).toBe(0);
      expect(await count('audit_log', 'action', 'visit.record')).toBe(audits);
    });

    it('refuses a queued visit for a child transferred out of the director’s scope (CHILD_MOVED); an unknown id stays not found', async () => {
      const child = await activeChild();
      const moved = await supervisor.request('POST', `/api/children/${child.id}/transfer`, { regionCode: NEIGHBOUR });
      expect(moved.status, moved.body).toBe(200);
      const visit = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ id: newId() }));
      expect(visit.status).toBe(404);
      expect((visit.json() as ErrorAnswer).error.code).toBe('CHILD_MOVED');
      expect((visit.json() as ErrorAnswer).error.message).toContain('已转出您的辖区');
      expect(visit.body).not.toContain(NEIGHBOUR);
      expect(await count('visits', 'child_id', child.id)).toBe(0);
      // The supervisor still has the child in scope: his visit is recorded.
      expect((await supervisor.request('POST', `/api/children/${child.id}/visits`, visitInput())).status).toBe(201);
      // A child that was never in the director's scope is not found, as always.
      const foreign = await director.request('POST', `/api/children/${newId()}/visits`, visitInput({ id: newId() }));
      expect(foreign.status).toBe(404);
      expect((foreign.json() as ErrorAnswer).error.code).toBe('NOT_FOUND');
    });

    it('refuses an edit of the file against a stale version with 409 and the current version', async () => {
      const child = await activeChild();
      const { regionCode: _region, ...fields } = childInput({ name: child.name, idNumber: undefined, birthDate: child.birthDate });
      const edit = { ...fields, version: child.version, schooling: { status: 'dropped_out', boarding: false } };
      expect((await director.request('POST', `/api/children/${child.id}/visits`, visitInput())).status).toBe(201);
      const current = ((await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail).version;
      expect(current).toBeGreaterThan(child.version);
      const stale = await director.request('PUT', `/api/children/${child.id}`, edit);
      expect(stale.status).toBe(409);
      expect((stale.json() as ErrorAnswer).error).toMatchObject({ code: 'CONFLICT', field: 'version', data: { currentVersion: current } });
      expect(((await director.request('GET', `/api/children/${child.id}`)).json() as ChildDetail).schooling.status).toBe('in_school');
    });
  });
});
