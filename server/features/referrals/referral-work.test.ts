import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { InboxReferral, ReferralRecord } from '../../../domain/referrals/schema.js';
import { childInput } from '../children/children.test-data.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { organisationOfKind, referralInput, sessionInput } from './referrals.test-data.js';

/** Issue 12 point 13: between "started" and "completed" an agency records its sessions, contacts and notes on the referral's trail. */
describe(`an agency's work on a referral (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let supervisor: Session;
  let counsellor: Session;
  let police: Session;
  let counselling = '';
  let seq = 0;

  /** A referral to the counselling centre, moved by it through `steps`. */
  async function referral(steps: string[] = ['accept', 'start']): Promise<string> {
    seq++;
    const child = await supervisor.request('POST', '/api/children', childInput({ name: `服务${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}`, idNumber: null, birthDate: `2014-06-${String(seq).padStart(2, '0')}` }));
    expect(child.status, child.body).toBe(201);
    const sent = await supervisor.request('POST', `/api/children/${(child.json() as ChildDetail).id}/referrals`, referralInput(counselling));
    expect(sent.status, sent.body).toBe(201);
    const id = (sent.json() as ReferralRecord).id;
    for (const step of steps) expect((await counsellor.request('POST', `/api/inbox/referrals/${id}/${step}`, step === 'complete' ? { feedback: '服务完成' } : {})).status).toBe(200);
    return id;
  }
  const record = (s: Session, id: string, body: unknown) => s.request('POST', `/api/inbox/referrals/${id}/work`, body);
  const rows = async (table: 'referral_work' | 'audit_log', column: 'referral_id' | 'target_id', id: string) =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column, '=', id).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    supervisor = await signIn(t, 'supervisor-431202001000');
    counsellor = await signIn(t, 'agency-counselling');
    police = await signIn(t, 'agency-police');
    counselling = await organisationOfKind(t.deps.db, 'counselling');
  });
  afterAll(() => t.close());

  it('records a session, a contact and a note while in service, each one row and one audit row; the sending staff see them on the referral', async () => {
    const id = await referral();
    const audits = await rows('audit_log', 'target_id', id);
    const s = await record(counsellor, id, sessionInput());
    expect(s.status, s.body).toBe(200);
    expect((s.json() as InboxReferral).can.recordWork).toBe(true);
    expect((await record(counsellor, id, { kind: 'contact', date: '2026-11-29', method: 'phone', withWhom: ' 奶奶 ', note: '约好周六上门' })).status).toBe(200);
    const n = await record(counsellor, id, { kind: 'note', date: '2026-11-29', note: '班主任反映孩子本周按时到校' });
    expect(n.status, n.body).toBe(200);
    const inbox = n.json() as InboxReferral;
    expect(inbox.work.map((w) => w.kind)).toEqual(['session', 'contact', 'note']);
    expect(await rows('referral_work', 'referral_id', id)).toBe(3);
    expect(await rows('audit_log', 'target_id', id)).toBe(audits + 3);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', id).where('action', 'like', 'referral.work.%').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['referral.work.session', 'referral.work.contact', 'referral.work.note']);
    // The audit row carries what happened, not what was written about the child.
    expect(audit.map((a) => a.details).join()).not.toContain('班主任');

    const staff = (await supervisor.request('GET', `/api/referrals/${id}`)).json() as ReferralRecord;
    expect(staff.work).toEqual([
      expect.objectContaining({ kind: 'session', date: '2026-11-29', durationMinutes: 50, sessionKind: 'individual', method: null, withWhom: null, note: '建立信任关系，孩子愿意谈学校的事' }),
      expect.objectContaining({ kind: 'contact', date: '2026-11-29', method: 'phone', withWhom: '奶奶', note: '约好周六上门', durationMinutes: null }),
      expect.objectContaining({ kind: 'note', date: '2026-11-29', note: '班主任反映孩子本周按时到校' }),
    ]);
    expect(staff.work.every((w) => w.actor !== null && w.actor !== '')).toBe(true);
    // The organisation keeps its own record once the service is completed; nothing more can be added.
    expect((await counsellor.request('POST', `/api/inbox/referrals/${id}/complete`, { feedback: '三次辅导后情绪稳定' })).status).toBe(200);
    const after = (await counsellor.request('GET', `/api/inbox/referrals/${id}`)).json() as InboxReferral;
    expect(after.work).toHaveLength(3);
    expect(after.can.recordWork).toBe(false);
    const late = await record(counsellor, id, sessionInput());
    expect(late.status).toBe(400);
    expect(late.json()).toMatchObject({ error: { field: 'state', message: '转介状态：该转介已结束（已拒绝、已完成或已撤回），不能再变更' } });
    expect(await rows('referral_work', 'referral_id', id)).toBe(3);
  });

  it('refuses work before the service starts, naming why, and writes nothing', async () => {
    for (const steps of [[], ['accept']]) {
      const id = await referral(steps);
      const res = await record(counsellor, id, sessionInput());
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'state', message: '转介状态：须先开始服务，服务中才能登记服务记录' } });
      expect((await counsellor.request('GET', `/api/inbox/referrals/${id}`)).json()).toMatchObject({ can: { recordWork: false }, work: [] });
      expect(await rows('referral_work', 'referral_id', id)).toBe(0);
    }
    const withdrawn = await referral(['accept', 'start']);
    expect((await supervisor.request('POST', `/api/referrals/${withdrawn}/withdraw`, {})).status).toBe(200);
    expect((await record(counsellor, withdrawn, sessionInput())).json()).toMatchObject({ error: { field: 'state' } });
  });

  it('refuses bad input naming the field: a future day, a day before the referral, no such day, a session of no length, a contact with nobody, an empty note', async () => {
    const id = await referral();
    const cases: [unknown, string][] = [
      [sessionInput({ date: '2026-11-30' }), 'date'],
      [sessionInput({ date: '2026-11-20' }), 'date'],
      [sessionInput({ date: '2026-02-30' }), 'date'],
      [sessionInput({ durationMinutes: 0 }), 'durationMinutes'],
      [sessionInput({ durationMinutes: 1441 }), 'durationMinutes'],
      [{ kind: 'contact', date: '2026-11-29', method: 'phone', withWhom: '  ' }, 'withWhom'],
      [{ kind: 'contact', date: '2026-11-29', method: 'letter', withWhom: '父亲' }, 'method'],
      [{ kind: 'note', date: '2026-11-29', note: '' }, 'note'],
    ];
    for (const [body, field] of cases) {
      const res = await record(counsellor, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ error: { code: 'VALIDATION', field } });
    }
    expect(await rows('referral_work', 'referral_id', id)).toBe(0);
  });

  it("keeps each organisation to its own referrals: another agency's user gets 404, staff are refused", async () => {
    const id = await referral();
    expect((await record(police, id, sessionInput())).status).toBe(404);
    expect((await record(supervisor, id, sessionInput())).status).toBe(403);
    expect(await rows('referral_work', 'referral_id', id)).toBe(0);
  });
});
