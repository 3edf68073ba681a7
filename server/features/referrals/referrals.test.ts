import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import type { InboxPage, InboxReferral, ReferralPage, ReferralRecord } from '../../../domain/referrals/schema.js';
import type { ChildTimeline, RecordedVisit } from '../../../domain/visits/schema.js';
import { childInput, hanDigits } from '../children/children.test-data.js';
import { visitInput } from '../visits/visits.test-data.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { organisationOfKind, referralInput } from './referrals.test-data.js';

const VILLAGE = '431202001201';
const NO_SUCH = '01234567-0000-7000-8000-000000000000';

describe(`referrals (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let director: Session;
  let supervisor: Session;
  let otherCounty: Session;
  let outsider: Session;
  /** A user of the counselling centre (心理健康服务中心) and one of the police. */
  let counsellor: Session;
  let police: Session;
  let counselling = '';
  let policeOrg = '';
  let seq = 0;

  async function activeChild(): Promise<ChildDetail> {
    seq++;
    const res = await supervisor.request('POST', '/api/children', childInput({ name: `转介${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}${hanDigits(seq)}`, idNumber: null, birthDate: `2014-04-${String(seq).padStart(2, '0')}` }));
    expect(res.status, res.body).toBe(201);
    return res.json() as ChildDetail;
  }
  async function refer(s: Session, childId: string, org = counselling, overrides: Parameters<typeof referralInput>[1] = {}): Promise<ReferralRecord> {
    const res = await s.request('POST', `/api/children/${childId}/referrals`, referralInput(org, overrides));
    expect(res.status, res.body).toBe(201);
    return res.json() as ReferralRecord;
  }
  const staffView = async (id: string) => (await supervisor.request('GET', `/api/referrals/${id}`)).json() as ReferralRecord;
  const count = async (table: 'audit_log' | 'referral_events', where: [string, string]) =>
    Number(
      (
        await t.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(where[0] as 'id', '=', where[1])
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, `director-${VILLAGE}`);
    supervisor = await signIn(t, 'supervisor-431202001000');
    otherCounty = await signIn(t, 'county-431221');
    outsider = await signIn(t, OUTSIDE.director);
    counsellor = await signIn(t, 'agency-counselling');
    police = await signIn(t, 'agency-police');
    counselling = await organisationOfKind(t.deps.db, 'counselling');
    policeOrg = await organisationOfKind(t.deps.db, 'police');
  });
  afterAll(() => t.close());

  it('sends a referral with its deadline, one event and one audit row; the receiver sees it in its inbox, others do not', async () => {
    const child = await activeChild();
    const r = await refer(director, child.id, counselling, { acceptBy: '2026-11-30T02:00:00.000Z' });
    expect(r).toMatchObject({ state: 'sent', urgency: 'urgent', acceptBy: '2026-11-30T02:00:00.000Z', overdue: false, organisation: { id: counselling, kind: 'counselling' }, child: { id: child.id }, region: { code: VILLAGE }, can: { withdraw: true }, version: 1 });
    expect(r.events.map((e) => [e.action, e.from, e.to])).toEqual([['create', null, 'sent']]);
    expect(await count('audit_log', ['target_id', r.id])).toBe(1);

    const inbox = (await counsellor.request('GET', '/api/inbox/referrals')).json() as InboxPage;
    expect(inbox.items.map((i) => i.id)).toContain(r.id);
    const policeInbox = (await police.request('GET', '/api/inbox/referrals')).json() as InboxPage;
    expect(policeInbox.items.map((i) => i.id)).not.toContain(r.id);

    const list = (await supervisor.request('GET', `/api/referrals?state=sent&organisationId=${counselling}&pageSize=200`)).json() as ReferralPage;
    expect(list.items.map((i) => i.id)).toContain(r.id);
    for (const s of [otherCounty, outsider]) {
      expect((await s.request('GET', `/api/referrals/${r.id}`)).status).toBe(404);
      expect(((await s.request('GET', '/api/referrals?pageSize=200')).json() as ReferralPage).items.map((i) => i.id)).not.toContain(r.id);
    }
  });

  it('offers as receivers only organisations of a receiving kind covering the child or inside its county', async () => {
    const child = await activeChild();
    const res = await director.request('GET', `/api/children/${child.id}/referral-organisations`);
    expect(res.status, res.body).toBe(200);
    const items = (res.json() as { items: { id: string; kind: string }[] }).items;
    expect(items.map((o) => o.id)).toContain(counselling);
    const all = await t.deps.db.selectFrom('organisations').select(['id', 'kind', 'region_code']).execute();
    for (const o of items) {
      const row = all.find((r) => r.id === o.id)!;
      expect(row.kind).not.toBe('school');
      expect(VILLAGE.startsWith(row.region_code.replace(/0+$/, '')) || row.region_code.startsWith('431202')).toBe(true);
    }
    // Every one offered is accepted by the send, and one not offered (a school) is refused.
    const school = all.find((r) => r.kind === 'school')!;
    expect(items.some((o) => o.id === school.id)).toBe(false);
    expect((await director.request('POST', `/api/children/${child.id}/referrals`, referralInput(school.id))).status).toBe(400);
    expect((await otherCounty.request('GET', `/api/children/${child.id}/referral-organisations`)).status).toBe(404);
    expect((await counsellor.request('GET', `/api/children/${child.id}/referral-organisations`)).status).toBe(404);
  });

  it('defaults the deadline from the urgency and refuses a deadline in the past, an organisation of another county or kind, changing nothing', async () => {
    const child = await activeChild();
    const r = await refer(supervisor, child.id, counselling, { urgency: 'emergency' });
    expect(r.acceptBy).toBe('2026-11-30T02:00:00.000Z');
    const past = await supervisor.request('POST', `/api/children/${child.id}/referrals`, referralInput(counselling, { acceptBy: '2026-11-29T01:00:00.000Z' }));
    expect(past.status).toBe(400);
    expect(past.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'acceptBy' } });
    const [otherTownshipStation] = await t.deps.db.insertInto('organisations').values({ id: crypto.randomUUID(), name: '外县社工站', kind: 'social_work_station', region_code: '431221001000', created_at: '2026-11-29T00:00:00.000Z' }).returning('id').execute();
    const school = await organisationOfKind(t.deps.db, 'school');
    for (const org of [otherTownshipStation!.id, school, NO_SUCH]) {
      const res = await supervisor.request('POST', `/api/children/${child.id}/referrals`, referralInput(org));
      expect(res.status, org).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'toOrganisationId' } });
    }
    const list = (await supervisor.request('GET', `/api/referrals?childId=${child.id}`)).json() as ReferralPage;
    expect(list.total).toBe(1);
  });

  it('drives sent → accepted → in service → completed through the inbox; every illegal move is refused naming state, and changes nothing', async () => {
    const child = await activeChild();
    const r = await refer(director, child.id);
    const moves = {
      accept: { note: '已安排心理咨询师' },
      decline: { reason: '超出服务范围' },
      start: { note: '首次面谈' },
      complete: { feedback: '已完成六次辅导，情绪好转' },
    } as const;
    type Move = keyof typeof moves;
    const expectRefused = async (allowed: Move[], state: string) => {
      for (const move of Object.keys(moves) as Move[]) {
        if (allowed.includes(move)) continue;
        const before = await staffView(r.id);
        const events = await count('referral_events', ['referral_id', r.id]);
        const audits = await count('audit_log', ['target_id', r.id]);
        const res = await counsellor.request('POST', `/api/inbox/referrals/${r.id}/${move}`, moves[move]);
        expect(res.status, `${move} from ${state}`).toBe(400);
        expect(res.json(), `${move} from ${state}`).toMatchObject({ error: { code: 'VALIDATION', field: 'state' } });
        expect(await staffView(r.id)).toEqual(before);
        expect(await count('referral_events', ['referral_id', r.id])).toBe(events);
        expect(await count('audit_log', ['target_id', r.id])).toBe(audits);
      }
    };

    await expectRefused(['accept', 'decline'], 'sent');
    // The sender cannot act for the receiver, nor the receiver withdraw.
    expect((await supervisor.request('POST', `/api/inbox/referrals/${r.id}/accept`, {})).status).toBe(403);
    expect((await counsellor.request('POST', `/api/referrals/${r.id}/withdraw`, {})).status).toBe(404);

    const accepted = await counsellor.request('POST', `/api/inbox/referrals/${r.id}/accept`, moves.accept);
    expect(accepted.status, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'accepted', can: { accept: false, decline: false, start: true, complete: false } });
    await expectRefused(['start'], 'accepted');

    expect((await counsellor.request('POST', `/api/inbox/referrals/${r.id}/start`, moves.start)).json()).toMatchObject({ state: 'in_service' });
    await expectRefused(['complete'], 'in_service');

    const done = (await counsellor.request('POST', `/api/inbox/referrals/${r.id}/complete`, moves.complete)).json() as InboxReferral;
    expect(done).toMatchObject({ state: 'completed', feedback: '已完成六次辅导，情绪好转', readOnly: true, child: null });
    await expectRefused([], 'completed');
    const withdraw = await supervisor.request('POST', `/api/referrals/${r.id}/withdraw`, {});
    expect(withdraw.status).toBe(400);
    expect(withdraw.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'state', message: '转介状态：该转介已结束（已拒绝、已完成或已撤回），不能再变更' } });

    const trail = await staffView(r.id);
    expect(trail.events.map((e) => `${e.action}:${e.from ?? ''}→${e.to}:${e.side}`)).toEqual(['create:→sent:sender', 'accept:sent→accepted:receiver', 'start:accepted→in_service:receiver', 'complete:in_service→completed:receiver']);
    expect(trail.can.withdraw).toBe(false);
    for (const action of ['referral.create', 'referral.accept', 'referral.start', 'referral.complete']) {
      const n = await t.deps.db.selectFrom('audit_log').select('action').where('target_id', '=', r.id).where('action', '=', action).execute();
      expect(n, action).toHaveLength(1);
    }
  });

  it('declines with a reason (then nothing more), and the sender withdraws from sent, accepted and in service', async () => {
    const child = await activeChild();
    const declined = await refer(director, child.id);
    const empty = await counsellor.request('POST', `/api/inbox/referrals/${declined.id}/decline`, { reason: ' ' });
    expect(empty.status).toBe(400);
    const res = await counsellor.request('POST', `/api/inbox/referrals/${declined.id}/decline`, { reason: '超出服务范围' });
    expect(res.json()).toMatchObject({ state: 'declined', declineReason: '超出服务范围', readOnly: true, child: null });
    expect((await supervisor.request('POST', `/api/referrals/${declined.id}/withdraw`, {})).status).toBe(400);

    for (const steps of [[], ['accept'], ['accept', 'start']]) {
      const r = await refer(director, child.id);
      for (const step of steps) expect((await counsellor.request('POST', `/api/inbox/referrals/${r.id}/${step}`, {})).status).toBe(200);
      const w = await director.request('POST', `/api/referrals/${r.id}/withdraw`, { note: '家庭已搬离' });
      expect(w.status, w.body).toBe(200);
      expect(w.json()).toMatchObject({ state: 'withdrawn', can: { withdraw: false } });
      const again = await director.request('POST', `/api/referrals/${r.id}/withdraw`, {});
      expect(again.status).toBe(400);
      const seen = (await counsellor.request('GET', `/api/inbox/referrals/${r.id}`)).json() as InboxReferral;
      expect(seen).toMatchObject({ state: 'withdrawn', readOnly: true, child: null });
      expect(seen.events.every((e) => e.side === 'receiver')).toBe(true);
    }
  });

  it('shows the agency a referral-scoped view of the child while open: contacts only when shared, audited; never the file, another child or another referral', async () => {
    const child = await activeChild();
    const other = await activeChild();
    const r = await refer(director, child.id);
    const withoutContacts = await refer(director, child.id, counselling, { shareContacts: false });
    const toPolice = await refer(director, other.id, policeOrg);
    const reveals = await count('audit_log', ['target_id', child.id]);

    const res = await counsellor.request('GET', `/api/inbox/referrals/${r.id}`);
    expect(res.status, res.body).toBe(200);
    const view = res.json() as InboxReferral;
    expect(view).toMatchObject({ reason: referralInput(counselling).reason, urgency: 'urgent', readOnly: false, can: { accept: true, decline: true, start: false, complete: false } });
    expect(view.child).toEqual({ name: child.name, age: 12, sex: 'male', villageName: child.region.name, contacts: { caregiverName: '王奶奶', caregiverRelation: null, caregiverPhone: '13900001111' } });
    expect(res.body).not.toContain(VILLAGE);
    expect(await count('audit_log', ['target_id', child.id])).toBe(reveals + 1);

    const noContacts = (await counsellor.request('GET', `/api/inbox/referrals/${withoutContacts.id}`)).json() as InboxReferral;
    expect(noContacts.child?.contacts).toBeNull();
    expect(JSON.stringify(noContacts)).not.toContain('13900001111');

    // Another organisation's referral, a missing one, the staff routes and the full file.
    for (const url of [`/api/inbox/referrals/${toPolice.id}`, `/api/inbox/referrals/${NO_SUCH}`]) expect((await counsellor.request('GET', url)).status, url).toBe(404);
    expect((await counsellor.request('POST', `/api/inbox/referrals/${toPolice.id}/accept`, {})).status).toBe(404);
    expect((await staffView(toPolice.id)).state).toBe('sent');
    // Every record route of the file or the staff side answers as for a missing record; the lists are refused.
    const missing = await counsellor.request('GET', '/api/children/01234567-0000-7000-8000-000000000000');
    for (const url of [`/api/children/${child.id}`, `/api/children/${other.id}`, `/api/children/${child.id}/timeline`, `/api/children/${child.id}/visits`, `/api/children/${child.id}/letters`, `/api/referrals/${r.id}`]) {
      const probe = await counsellor.request('GET', url);
      expect(probe.status, url).toBe(404);
      expect(probe.body, url).toBe(missing.body);
    }
    for (const url of ['/api/children', '/api/referrals']) {
      const probe = await counsellor.request('GET', url);
      expect(probe.status, url).toBe(403);
      expect(probe.body).not.toContain(child.name);
    }
    expect((await counsellor.request('POST', `/api/children/${child.id}/reveal`, { field: 'caregiver.phone' })).status).toBe(404);

    // Access to the child ends with the referral; the inbox keeps it as history.
    for (const step of [['accept', {}], ['start', {}], ['complete', { feedback: '已结案' }]] as const) {
      expect((await counsellor.request('POST', `/api/inbox/referrals/${r.id}/${step[0]}`, step[1])).status).toBe(200);
    }
    const after = await counsellor.request('GET', `/api/inbox/referrals/${r.id}`);
    expect(after.json()).toMatchObject({ state: 'completed', child: null, readOnly: true });
    expect(after.body).not.toContain('13900001111');
    expect(after.body).not.toContain('王奶奶');
    const open = (await counsellor.request('GET', '/api/inbox/referrals?pageSize=200')).json() as InboxPage;
    expect(open.items.map((i) => i.id)).not.toContain(r.id);
    const finished = (await counsellor.request('GET', '/api/inbox/referrals?view=finished&pageSize=200')).json() as InboxPage;
    expect(finished.items.find((i) => i.id === r.id)).toMatchObject({ state: 'completed', readOnly: true });
  });

  it('lists overdue referrals (still not accepted after their deadline) with the clock', async () => {
    const child = await activeChild();
    const r = await refer(supervisor, child.id, counselling, { acceptBy: '2026-11-29T02:01:00.000Z' });
    const overdueIds = async () => ((await supervisor.request('GET', '/api/referrals?overdue=true&pageSize=200')).json() as ReferralPage).items.map((i) => i.id);
    expect(await overdueIds()).not.toContain(r.id);
    t.clock.set(new Date('2026-11-29T02:01:00.001Z'));
    try {
      expect(await overdueIds()).toContain(r.id);
      expect((await staffView(r.id)).overdue).toBe(true);
      expect(((await counsellor.request('GET', `/api/inbox/referrals/${r.id}`)).json() as InboxReferral).overdue).toBe(true);
      await counsellor.request('POST', `/api/inbox/referrals/${r.id}/accept`, {});
      expect(await overdueIds()).not.toContain(r.id);
    } finally {
      t.clock.set(new Date('2026-11-29T02:00:00.000Z'));
    }
  });

  it('a visit with a serious psychological concern proposes the township social-work station, which can then be sent the referral', async () => {
    const child = await activeChild();
    const station = (await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'social_work_station').where('region_code', '=', '431202001000').executeTakeFirstOrThrow()).id;
    const res = await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ factors: { psych_concern: true } }));
    expect(res.status, res.body).toBe(201);
    const visit = res.json() as RecordedVisit;
    expect(visit.suggestions).toContain('referral_social_work');
    expect(visit.referralTo).toMatchObject({ organisationId: station });
    const plain = (await director.request('POST', `/api/children/${child.id}/visits`, visitInput({ visitDate: '2026-11-28' }))).json() as RecordedVisit;
    expect(plain.referralTo).toBeUndefined();
    const r = await refer(director, child.id, station, { visitId: visit.id });
    expect(r).toMatchObject({ organisation: { id: station, kind: 'social_work_station' }, visitId: visit.id });
  });

  it('shows referrals on the child timeline, newest first', async () => {
    const child = await activeChild();
    const visit = await director.request('POST', `/api/children/${child.id}/visits`, visitInput());
    const visitId = (visit.json() as { id: string }).id;
    t.clock.set(new Date('2026-11-29T02:01:00.000Z'));
    let r: ReferralRecord;
    try {
      r = await refer(director, child.id, counselling, { visitId });
    } finally {
      t.clock.set(new Date('2026-11-29T02:00:00.000Z'));
    }
    const timeline = (await director.request('GET', `/api/children/${child.id}/timeline`)).json() as ChildTimeline;
    const item = timeline.items.find((i) => i.kind === 'referral');
    expect(item).toMatchObject({ kind: 'referral', visitId, details: { referralId: r.id, state: 'sent', organisation: { id: counselling } } });
    expect(timeline.items[0]!.kind).toBe('referral');
  });
});
