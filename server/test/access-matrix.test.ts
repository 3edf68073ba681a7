/**
 * The access matrix, walked: every registered /api route × every role ×
 * (in scope, out of scope, signed out). A route added without a case here
 * fails the first test. Every answer is also scanned for region codes outside
 * the actor's scope, so a list that leaks a record fails even with a 200.
 */
import { auditActionLabel, isAuditAction } from '../../domain/audit/actions.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorCan, type Action } from '../../domain/access.js';
import { ancestorCodes, isWithinRegion } from '../../domain/regions.js';
import { ORGANISATION_ROLES, ROLES, type Role } from '../../domain/roles.js';
import { computeCheckCharacter } from '../../domain/children/id-number.js';
import { childInput, hanDigits, idFor } from '../features/children/children.test-data.js';
import { buildRoster, multipart, rosterRow, waitForJob } from '../features/children-import/import-test-files.js';
import { phoneJpeg, uploadPhoto } from '../features/files/files.test-data.js';
import { attachFile, organisationOfKind, referralInput, scanPdf, sessionInput } from '../features/referrals/referrals.test-data.js';
import { supervisionInput, temporaryGuardianshipInput } from '../features/orders/orders.test-data.js';
import { reportInput } from '../features/reports/reports.test-data.js';
import { visitInput } from '../features/visits/visits.test-data.js';
import { WORKLIST_KINDS } from '../../domain/visits/schema.js';
import { OUTSIDE, createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from './harness.js';

const ACCOUNTS: Record<Role, string> = {
  director: 'director-431202001201',
  supervisor: 'supervisor-431202001000',
  county_admin: 'county-431202',
  city_admin: 'city-431200',
  school: 'school-demo',
  agency: 'agency-police',
  volunteer: 'volunteer-demo',
  sysadmin: 'sysadmin',
};

interface Probe {
  url: string;
  body?: unknown;
  /** For bodies that are not JSON (the multipart roster upload). */
  headers?: Record<string, string>;
}
interface Actor {
  role: Role;
  session: Session;
  scope: string;
  /** A director in scope that this test may modify (never one of the signed-in accounts). */
  targetUserId: string | null;
  villageInScope: string;
  /** A user outside every Huaihua scope (长沙). */
  outsideUserId: string;
}

/** A child in village 431202001201 (in every Huaihua staff scope) and one in 长沙 (in none). */
const CHILD = { inside: '', outside: '' };
/**
 * The 长沙 child's ID number (born 2015-03-10, a boy) and a name like his: every duplicate check in scope probes
 * them, and no answer may tell anything of that child (issue 11 §3: the check is no oracle).
 */
const OUTSIDE_FIRST17 = '43010220150310555';
const OUTSIDE_ID = OUTSIDE_FIRST17 + computeCheckCharacter(OUTSIDE_FIRST17);
const OUTSIDE_NAME = '外地儿童';
const OUTSIDE_LOOKALIKE = '外地儿同';
/** A photo of each of those children, and an upload body. */
const PHOTO = { inside: '', outside: '', upload: { body: Buffer.alloc(0) as Buffer, headers: {} as Record<string, string> } };
/** A child only visits touch (the walker closes and moves CHILD), one in 长沙, and a visit of each. */
const VISITED = { child: '', outsideChild: '', visit: '', outsideVisit: '' };
/** A pupil of the demo school (school-demo's); VISITED.child is no pupil of it. */
const PUPIL = { child: '' };
/** A vacation visit the actor (a school contact) recorded just now; other roles are refused first. */
async function ownPupilVisit(a: Actor): Promise<Probe> {
  const res = await a.session.request('POST', `/api/pupils/${PUPIL.child}/visits`, visitInput({ kind: 'school_vacation' }));
  const id = res.status === 201 ? (res.json() as { id: string }).id : VISITED.visit;
  return { url: `/api/pupils/visits/${id}`, body: { ...visitInput({ kind: 'school_vacation', notes: '更正' }), version: 1 } };
}
const visitedProbe = (suffix: string, body?: unknown): Pick<Case, 'inScope' | 'outOfScope'> => ({
  inScope: () => ({ url: `/api/children/${VISITED.child}${suffix}`, body }),
  outOfScope: () => ({ url: `/api/children/${VISITED.outsideChild}${suffix}`, body }),
});
/** A visit the actor itself recorded just now (it may correct it alone); roles that cannot record are refused first. */
async function ownVisit(a: Actor): Promise<Probe> {
  const res = await a.session.request('POST', `/api/children/${VISITED.child}/visits`, visitInput());
  const id = res.status === 201 ? (res.json() as { id: string }).id : VISITED.visit;
  return { url: `/api/visits/${id}`, body: { ...visitInput({ notes: '更正' }), version: 1 } };
}
const childProbe = (suffix: string, body?: unknown): Pick<Case, 'inScope' | 'outOfScope'> => ({
  inScope: () => ({ url: `/api/children/${CHILD.inside}${suffix}`, body }),
  outOfScope: () => ({ url: `/api/children/${CHILD.outside}${suffix}`, body }),
});
// Workflow actions depend on the file's state, which earlier roles change: 409 INVALID_STATE still proves access.
const STATEFUL = [200, 409];
interface Case {
  inScope?: (a: Actor) => Probe | Promise<Probe>;
  outOfScope?: (a: Actor) => Probe;
  /** Answers that count as "reached the record" for an in-scope probe (default: any 2xx). */
  ok?: number[];
  /** Roles that see this route system-wide by design (exempt from the foreign-code scan). */
  systemWide?: Role[];
  /** Routes whose behaviour is the session itself; tested in auth.test.ts. */
  skip?: string;
  /**
   * Roles that hold the route's action and are still refused the in-scope probe, by a rule of
   * their own: the system administrator manages system administrator accounts only (the probe's
   * target is a director).
   */
  refusedInScope?: Partial<Record<Role, number>>;
  /** The same for the out-of-scope probe (a role refused whatever the region). */
  refusedOutOfScope?: Partial<Record<Role, number>>;
}

/**
 * A role without the route's action: 403 — except an organisation's user (agency, school, volunteer)
 * on a route about one record, for whom every record not referred or assigned to it does not exist (404).
 */
const refusal = (role: Role, url: string) => ((ORGANISATION_ROLES as readonly Role[]).includes(role) && url.includes('/:') ? 404 : 403);

let seq = 0;
const unique = () => `walker-${++seq}`;

/** A campaign over village 431202001201 (seen from every Huaihua staff scope) and one in 长沙, with a task each. */
const CAMPAIGN = { inside: '', outside: '', insideTask: '', outsideTask: '' };
const campaignInput = (regionCode: string) => ({
  name: unique(),
  regionCode,
  startDate: '2026-12-01',
  endDate: '2026-12-31',
  categories: [],
  checklist: [{ key: 'carer', label: '照护人仍在且有能力' }],
});
const campaignProbe = (suffix: string): Pick<Case, 'inScope' | 'outOfScope'> => ({
  inScope: () => ({ url: `/api/campaigns/${CAMPAIGN.inside}${suffix}` }),
  outOfScope: () => ({ url: `/api/campaigns/${CAMPAIGN.outside}${suffix}` }),
});
/** A campaign the actor opens just to close it; roles that may not are refused before the id matters. */
async function ownCampaign(a: Actor): Promise<Probe> {
  const res = await a.session.request('POST', '/api/campaigns', campaignInput(a.villageInScope));
  return { url: `/api/campaigns/${res.status === 201 ? (res.json() as { id: string }).id : CAMPAIGN.inside}/close` };
}

/** A signed guardian letter of VISITED.child and one of the 长沙 child (their scans are the probes). */
const LETTER = { inside: '', outside: '' };
const letterInput = { kind: 'guardian', signedOn: '2026-11-20', guardianName: '走查', guardianRelation: 'father' };

/** A mandatory report about VISITED.child and one about the 长沙 child. */
const REPORT = { inside: '', outside: '' };
/** A report the actor raises just now (its transitions start from version 1); roles that may not raise are refused before the id matters. */
function ownReport(suffix: string, body: Record<string, unknown>): (a: Actor) => Promise<Probe> {
  return async (a) => {
    const res = await a.session.request('POST', `/api/children/${VISITED.child}/reports`, reportInput());
    const id = res.status === 201 ? (res.json() as { id: string }).id : REPORT.inside;
    return { url: `/api/reports/${id}${suffix}`, body: { ...body, version: 1 } };
  };
}
/**
 * The police's own record on a report the supervisor raises just now: `acknowledged` first when the actor may
 * (the case number and the outcome come after the receipt). Roles that may not are refused before the id matters.
 */
function policeProbe(suffix: string, body: Record<string, unknown>, acknowledged: boolean): Pick<Case, 'inScope' | 'outOfScope'> {
  return {
    inScope: async (a) => {
      const res = await REFERRAL.sender!.request('POST', `/api/children/${VISITED.child}/reports`, reportInput());
      if (res.status !== 201) throw new Error(`report: ${res.body}`);
      const id = (res.json() as { id: string }).id;
      let version = 1;
      if (acknowledged && (await a.session.request('POST', `/api/reports/${id}/acknowledge`, { receivedAt: '2026-11-29T01:40:00.000Z', version })).status === 200) version++;
      return { url: `/api/reports/${id}${suffix}`, body: { ...body, version } };
    },
    outOfScope: () => ({ url: `/api/reports/${REPORT.outside}${suffix}`, body: { ...body, version: 1 } }),
  };
}
const reportProbe = (suffix: string, body: Record<string, unknown>): Pick<Case, 'inScope' | 'outOfScope'> => ({
  inScope: ownReport(suffix, body),
  outOfScope: () => ({ url: `/api/reports/${REPORT.outside}${suffix}`, body: { ...body, version: 1 } }),
});

/** A supervision order about VISITED.child and one about the 长沙 child. */
const ORDER = { inside: '', outside: '' };
/** An order the actor records just now (its changes start from version 1); roles that may not record are refused before the id matters. */
function orderProbe(input: unknown, suffix: string, body: Record<string, unknown>): Pick<Case, 'inScope' | 'outOfScope'> {
  return {
    inScope: async (a) => {
      const res = await a.session.request('POST', `/api/children/${VISITED.child}/orders`, input);
      const id = res.status === 201 ? (res.json() as { id: string }).id : ORDER.inside;
      return { url: `/api/orders/${id}${suffix}`, body: { ...body, version: 1 } };
    },
    outOfScope: () => ({ url: `/api/orders/${ORDER.outside}${suffix}`, body: { ...body, version: 1 } }),
  };
}

/**
 * Referrals about VISITED.child to the police (agency-police's organisation) and about the 长沙 child to a
 * 长沙 organisation (out of every Huaihua scope, and another organisation than agency-police's).
 */
const REFERRAL = { inside: '', outside: '', organisation: '', sender: null as Session | null };
/** An attachment of each of those referrals. */
const ATTACHMENT = { inside: '', outside: '' };
/** A referral the supervisor sends just now, for the actor to attach a scan to (ten at most per referral). */
async function attachProbe(): Promise<Probe> {
  const res = await REFERRAL.sender!.request('POST', `/api/children/${VISITED.child}/referrals`, referralInput(REFERRAL.organisation));
  if (res.status !== 201) throw new Error(`referral: ${res.body}`);
  return { url: `/api/referrals/${(res.json() as { id: string }).id}/attachments`, ...multipart('scan.pdf', scanPdf()) };
}
/** A referral the actor withdraws just now (its own, still open); roles that may not are refused before the id matters. */
async function ownReferral(a: Actor): Promise<Probe> {
  const res = await a.session.request('POST', `/api/children/${VISITED.child}/referrals`, referralInput(REFERRAL.organisation));
  const id = res.status === 201 ? (res.json() as { id: string }).id : REFERRAL.inside;
  return { url: `/api/referrals/${id}/withdraw`, body: {} };
}
/** A referral to agency-police sent just now by the supervisor and moved by the actor through `steps` (only an agency user can). */
function inboxProbe(action: string, steps: string[], body: Record<string, unknown>): Pick<Case, 'inScope' | 'outOfScope'> {
  return {
    inScope: async (a) => {
      const res = await REFERRAL.sender!.request('POST', `/api/children/${VISITED.child}/referrals`, referralInput(REFERRAL.organisation));
      if (res.status !== 201) throw new Error(`referral: ${res.body}`);
      const id = (res.json() as { id: string }).id;
      for (const step of steps) await a.session.request('POST', `/api/inbox/referrals/${id}/${step}`, {});
      return { url: `/api/inbox/referrals/${id}/${action}`, body };
    },
    outOfScope: () => ({ url: `/api/inbox/referrals/${REFERRAL.outside}/${action}`, body }),
  };
}

/**
 * Transfer requests (issue 12 §1): one a Huaihua director made for the 长沙 child (out of every Huaihua scope:
 * its owners are in 长沙), and, for the in-scope probes, a fresh file of 431202001201 that the 长沙 director asks for.
 */
const TRANSFER_REQUEST = { outside: '', asker: null as Session | null };
let handoverSeq = 0;
async function requestedChild(): Promise<string> {
  const n = ++handoverSeq;
  const birth = `2012-05-${String(n).padStart(2, '0')}`;
  const idNumber = idFor(birth, String(301 + 2 * n)); // odd: a boy
  const owner = await REFERRAL.sender!.request('POST', '/api/children', childInput({ name: `走查移交${hanDigits(n)}`, sex: 'male', idNumber, birthDate: birth, regionCode: '431202001201' }));
  if (owner.status !== 201) throw new Error(`registering a child to hand over: ${owner.body}`);
  const res = await TRANSFER_REQUEST.asker!.request('POST', '/api/transfer-requests', { idNumber, name: '走查移交', regionCode: OUTSIDE.village, note: '走查' });
  if (res.status !== 201) throw new Error(`transfer request: ${res.body}`);
  return (res.json() as { id: string }).id;
}

const CASES: Record<string, Case> = {
  'GET /api/transfer-requests': { inScope: () => ({ url: '/api/transfer-requests' }) },
  'POST /api/transfer-requests': {
    inScope: (a) => ({ url: '/api/transfer-requests', body: { idNumber: OUTSIDE_ID, name: '走查转入', regionCode: a.villageInScope, note: '走查' } }),
    outOfScope: () => ({ url: '/api/transfer-requests', body: { idNumber: OUTSIDE_ID, name: '走查转入', regionCode: OUTSIDE.village, note: '走查' } }),
  },
  'POST /api/transfer-requests/:id/accept': {
    inScope: async () => ({ url: `/api/transfer-requests/${await requestedChild()}/accept`, body: {} }),
    outOfScope: () => ({ url: `/api/transfer-requests/${TRANSFER_REQUEST.outside}/accept`, body: {} }),
  },
  'POST /api/transfer-requests/:id/decline': {
    inScope: async () => ({ url: `/api/transfer-requests/${await requestedChild()}/decline`, body: { reason: '走查' } }),
    outOfScope: () => ({ url: `/api/transfer-requests/${TRANSFER_REQUEST.outside}/decline`, body: { reason: '走查' } }),
  },
  'GET /api/health': { inScope: () => ({ url: '/api/health' }) },
  'GET /api/openapi.json': { inScope: () => ({ url: '/api/openapi.json' }) },
  'POST /api/auth/login': { skip: 'signing in is what every probe starts with; auth.test.ts' },
  'POST /api/auth/logout': { skip: 'would end the walker session; auth.test.ts' },
  'GET /api/me': { inScope: () => ({ url: '/api/me' }) },
  'PATCH /api/me/preferences': { inScope: () => ({ url: '/api/me/preferences', body: { locale: 'zh-CN' } }) },
  'PATCH /api/me/phone': { inScope: () => ({ url: '/api/me/phone', body: { phone: '0745-2712345' } }) },
  'POST /api/me/password': { skip: 'changes the walker password; auth.test.ts' },
  'GET /api/home': { inScope: () => ({ url: '/api/home' }) },
  'GET /api/home/inbox': { inScope: () => ({ url: '/api/home/inbox' }) },
  'GET /api/home/pupils': { inScope: () => ({ url: '/api/home/pupils' }) },
  'GET /api/regions': {
    inScope: (a) => ({ url: `/api/regions?parent=${a.scope}` }),
    outOfScope: () => ({ url: `/api/regions?parent=${OUTSIDE.county}` }),
  },
  'GET /api/regions/search': { inScope: () => ({ url: `/api/regions/search?q=4` }) },
  'GET /api/regions/:code': {
    inScope: (a) => ({ url: `/api/regions/${a.villageInScope}` }),
    outOfScope: () => ({ url: `/api/regions/${OUTSIDE.village}` }),
  },
  'GET /api/coverage': {
    inScope: (a) => ({ url: `/api/coverage?region=${a.scope}` }),
    outOfScope: () => ({ url: `/api/coverage?region=${OUTSIDE.county}` }),
  },
  'GET /api/coverage/gaps': {
    inScope: (a) => ({ url: `/api/coverage/gaps?kind=villages-without-director&region=${a.scope}` }),
    outOfScope: () => ({ url: `/api/coverage/gaps?kind=villages-without-director&region=${OUTSIDE.county}` }),
  },
  'GET /api/users': {
    inScope: () => ({ url: '/api/users?pageSize=200' }),
    outOfScope: () => ({ url: `/api/users?region=${OUTSIDE.county}` }),
  },
  'GET /api/users/:id': {
    inScope: (a) => ({ url: `/api/users/${a.targetUserId}` }),
    outOfScope: (a) => ({ url: `/api/users/${a.outsideUserId}` }),
  },
  'POST /api/users': {
    inScope: (a) => ({ url: '/api/users', body: { username: unique(), displayName: '测试', role: 'director', regionCode: a.villageInScope } }),
    outOfScope: () => ({ url: '/api/users', body: { username: unique(), displayName: '测试', role: 'director', regionCode: OUTSIDE.village } }),
    refusedInScope: { sysadmin: 403 },
    refusedOutOfScope: { sysadmin: 403 },
  },
  'PATCH /api/users/:id': {
    inScope: (a) => ({ url: `/api/users/${a.targetUserId}`, body: { displayName: '改名' } }),
    outOfScope: (a) => ({ url: `/api/users/${a.outsideUserId}`, body: { displayName: '改名' } }),
    refusedInScope: { sysadmin: 403 },
  },
  'POST /api/users/:id/reset-password': {
    inScope: (a) => ({ url: `/api/users/${a.targetUserId}/reset-password` }),
    outOfScope: (a) => ({ url: `/api/users/${a.outsideUserId}/reset-password` }),
    refusedInScope: { sysadmin: 403 },
  },
  'GET /api/organisations': { inScope: () => ({ url: '/api/organisations?pageSize=200' }) },
  'POST /api/organisations': {
    inScope: (a) => ({ url: '/api/organisations', body: { name: `${unique()} 社工站`, kind: 'social_work_station', regionCode: a.villageInScope } }),
    outOfScope: () => ({ url: '/api/organisations', body: { name: `${unique()} 社工站`, kind: 'social_work_station', regionCode: OUTSIDE.village } }),
  },
  // The system administrator audits the whole installation (security events have no region).
  'GET /api/audit': { inScope: () => ({ url: '/api/audit?pageSize=200' }), systemWide: ['sysadmin'] },
  'GET /api/audit/export.xlsx': { inScope: () => ({ url: '/api/audit/export.xlsx?action=auth.login' }), systemWide: ['sysadmin'] },
  'GET /api/settings/categories': { inScope: () => ({ url: '/api/settings/categories' }) },
  'PUT /api/settings/categories': {
    inScope: () => ({ url: '/api/settings/categories', body: { leftBehindMinAbsenceMonths: 6, leftBehindMaxAge: 16, unsupportedMinMonths: 6 } }),
  },
  'GET /api/campaigns': { inScope: () => ({ url: '/api/campaigns?pageSize=200' }) },
  'GET /api/campaigns/preview': {
    inScope: (a) => ({ url: `/api/campaigns/preview?regionCode=${a.villageInScope}` }),
    outOfScope: () => ({ url: `/api/campaigns/preview?regionCode=${OUTSIDE.village}` }),
  },
  'POST /api/campaigns': {
    inScope: (a) => ({ url: '/api/campaigns', body: campaignInput(a.villageInScope) }),
    outOfScope: () => ({ url: '/api/campaigns', body: campaignInput(OUTSIDE.village) }),
  },
  'GET /api/campaigns/:id': campaignProbe(''),
  'GET /api/campaigns/:id/tasks': campaignProbe('/tasks'),
  'GET /api/campaigns/:id/export.xlsx': campaignProbe('/export.xlsx'),
  'POST /api/campaigns/:id/close': { inScope: ownCampaign, outOfScope: () => ({ url: `/api/campaigns/${CAMPAIGN.outside}/close` }) },
  'GET /api/campaign-tasks/:taskId': {
    inScope: () => ({ url: `/api/campaign-tasks/${CAMPAIGN.insideTask}` }),
    outOfScope: () => ({ url: `/api/campaign-tasks/${CAMPAIGN.outsideTask}` }),
  },
  'GET /api/children': {
    inScope: () => ({ url: '/api/children?pageSize=200' }),
    outOfScope: () => ({ url: `/api/children?region=${OUTSIDE.county}` }),
  },
  'POST /api/children': {
    inScope: (a) => ({ url: '/api/children', body: childInput({ name: `走查${hanDigits(++seq)}`, idNumber: null, regionCode: a.villageInScope, birthDate: `2014-01-${String(10 + seq).padStart(2, '0')}` }) }),
    outOfScope: () => ({ url: '/api/children', body: childInput({ name: `走查${hanDigits(++seq)}`, idNumber: null, regionCode: OUTSIDE.village }) }),
  },
  'POST /api/children/duplicates': {
    inScope: (a) => ({ url: '/api/children/duplicates', body: { name: OUTSIDE_LOOKALIKE, birthDate: '2015-03-10', idNumber: OUTSIDE_ID, regionCode: a.villageInScope } }),
    outOfScope: () => ({ url: '/api/children/duplicates', body: { name: OUTSIDE_LOOKALIKE, birthDate: '2015-03-10', idNumber: OUTSIDE_ID, regionCode: OUTSIDE.village } }),
  },
  'GET /api/children/schools': {
    inScope: (a) => ({ url: `/api/children/schools?regionCode=${a.villageInScope}` }),
    outOfScope: () => ({ url: `/api/children/schools?regionCode=${OUTSIDE.village}` }),
  },
  'GET /api/children/:id': childProbe(''),
  'GET /api/children/:id/history': childProbe('/history'),
  'PUT /api/children/:id': {
    inScope: async (a) => {
      const current = (await a.session.request('GET', `/api/children/${CHILD.inside}`)).json() as { version?: number };
      const { regionCode: _r, ...rest } = childInput();
      return { url: `/api/children/${CHILD.inside}`, body: { ...rest, version: current.version ?? 1 } };
    },
    outOfScope: () => {
      const { regionCode: _r, ...rest } = childInput();
      return { url: `/api/children/${CHILD.outside}`, body: { ...rest, version: 1 } };
    },
    ok: STATEFUL,
  },
  'POST /api/children/:id/approve': { ...childProbe('/approve', {}), ok: STATEFUL },
  'POST /api/children/:id/return': { ...childProbe('/return', { comment: '请补充材料' }), ok: STATEFUL },
  'POST /api/children/:id/close': { ...childProbe('/close', { reason: 'moved_away' }), ok: STATEFUL },
  'POST /api/children/:id/approve-closure': { ...childProbe('/approve-closure', {}), ok: STATEFUL },
  'POST /api/children/:id/reject-closure': { ...childProbe('/reject-closure', { comment: '仍需关注' }), ok: STATEFUL },
  'POST /api/children/:id/transfer': {
    inScope: async (a) => {
      // Roles that cannot read the file get no region back; they are refused before the target matters.
      const current = (await a.session.request('GET', `/api/children/${CHILD.inside}`)).json() as { region?: { code: string } };
      const target = current.region?.code === '431202001201' ? '431202001202' : '431202001201';
      return { url: `/api/children/${CHILD.inside}/transfer`, body: { regionCode: target } };
    },
    outOfScope: () => ({ url: `/api/children/${CHILD.outside}/transfer`, body: { regionCode: '431202001201' } }),
    ok: STATEFUL,
  },
  'POST /api/children/:id/categories': { ...childProbe('/categories', { category: 'distress', value: true, reason: '走查' }), ok: STATEFUL },
  'POST /api/children/:id/reveal': childProbe('/reveal', { field: 'idNumber' }),
  'POST /api/children/:id/photo': {
    inScope: async () => ({ url: `/api/children/${CHILD.inside}/photo`, ...multipart('photo.jpg', await phoneJpeg()) }),
    outOfScope: () => ({ url: `/api/children/${CHILD.outside}/photo`, ...PHOTO.upload }),
    ok: STATEFUL,
  },
  // Each role first sets a photo (when it may), then takes it off.
  'DELETE /api/children/:id/photo': {
    inScope: async (a) => {
      await uploadPhoto(a.session, CHILD.inside, await phoneJpeg());
      return { url: `/api/children/${CHILD.inside}/photo` };
    },
    outOfScope: () => ({ url: `/api/children/${CHILD.outside}/photo` }),
    ok: STATEFUL,
  },
  'GET /api/files/:id': {
    inScope: () => ({ url: `/api/files/${PHOTO.inside}` }),
    outOfScope: () => ({ url: `/api/files/${PHOTO.outside}` }),
  },
  'POST /api/children/:id/visits': visitedProbe('/visits', visitInput()),
  'GET /api/children/:id/visits': visitedProbe('/visits'),
  'GET /api/visits/:id': {
    inScope: () => ({ url: `/api/visits/${VISITED.visit}` }),
    outOfScope: () => ({ url: `/api/visits/${VISITED.outsideVisit}` }),
  },
  'PUT /api/visits/:id': {
    inScope: ownVisit,
    outOfScope: () => ({ url: `/api/visits/${VISITED.outsideVisit}`, body: { ...visitInput({ notes: '更正' }), version: 1, reason: '走查' } }),
  },
  'POST /api/children/:id/visit-photos': {
    inScope: async () => ({ url: `/api/children/${VISITED.child}/visit-photos`, ...multipart('visit.jpg', await phoneJpeg()) }),
    outOfScope: () => ({ url: `/api/children/${VISITED.outsideChild}/visit-photos`, ...PHOTO.upload }),
  },
  'POST /api/children/:id/risk': visitedProbe('/risk', { level: 'high', reason: '走查' }),
  'GET /api/settings/visit-schedule': { inScope: () => ({ url: '/api/settings/visit-schedule' }) },
  'GET /api/children/:id/timeline': visitedProbe('/timeline'),
  'GET /api/pupils': { inScope: () => ({ url: '/api/pupils?pageSize=200' }) },
  'GET /api/pupils/facets': { inScope: () => ({ url: '/api/pupils/facets' }) },
  'POST /api/pupils/:id/visits': {
    inScope: () => ({ url: `/api/pupils/${PUPIL.child}/visits`, body: visitInput({ kind: 'school_vacation', dropoutRisk: true }) }),
    outOfScope: () => ({ url: `/api/pupils/${VISITED.child}/visits`, body: visitInput({ kind: 'school_vacation' }) }),
  },
  'GET /api/pupils/visits/:id': {
    inScope: async (a) => ({ url: (await ownPupilVisit(a)).url }),
    outOfScope: () => ({ url: `/api/pupils/visits/${VISITED.visit}` }),
  },
  'PUT /api/pupils/visits/:id': {
    inScope: ownPupilVisit,
    outOfScope: () => ({ url: `/api/pupils/visits/${VISITED.visit}`, body: { ...visitInput({ kind: 'school_vacation' }), version: 1 } }),
  },
  'PUT /api/settings/visit-schedule': {
    inScope: () => ({ url: '/api/settings/visit-schedule', body: { intervalDays: { urgent: 7, high: 30, medium: 60, low: 90 }, priorityMaxDays: 30, dueSoonDays: 7, firstVisitDays: 30 } }),
  },
  'GET /api/children/import/template': { inScope: () => ({ url: '/api/children/import/template' }) },
  'POST /api/children/import': { inScope: async (a) => ({ url: '/api/children/import?dryRun=true', ...(await rosterUpload(a)) }), ok: [202] },
  // Out of scope: a job that another role started (only its owner sees it).
  'GET /api/children/import/:jobId': {
    inScope: async (a) => ({ url: `/api/children/import/${await finishedJob(a)}` }),
    outOfScope: (a) => ({ url: `/api/children/import/${foreignJob(a)}` }),
  },
  'GET /api/children/import/:jobId/errors.xlsx': {
    inScope: async (a) => ({ url: `/api/children/import/${await finishedJob(a)}/errors.xlsx` }),
    outOfScope: (a) => ({ url: `/api/children/import/${foreignJob(a)}/errors.xlsx` }),
  },
  'GET /api/children/export': {
    inScope: () => ({ url: '/api/children/export' }),
    outOfScope: () => ({ url: `/api/children/export?region=${OUTSIDE.county}` }),
  },
  // Full numbers: only for who may reveal them, with a reason (issue 12 point 4). A region outside the scope: children-export.test.ts (404, as for the masked export).
  'POST /api/children/export/full': { inScope: () => ({ url: '/api/children/export/full', body: { status: 'active', reason: '走查核对' } }) },
  // Export jobs (issue 13 point 4): started in scope; out of scope, a region outside it. A job is its owner's only: another role's job answers 404.
  'POST /api/children/export/jobs': {
    inScope: () => ({ url: '/api/children/export/jobs', body: { status: 'active' } }),
    outOfScope: () => ({ url: '/api/children/export/jobs', body: { region: OUTSIDE.county } }),
    ok: [202],
    // A filter, not a record to create: a region outside the scope is not found (as for GET /api/children/export).
    refusedOutOfScope: { director: 404, supervisor: 404, county_admin: 404, city_admin: 404 },
  },
  'GET /api/children/export/jobs/:jobId': {
    inScope: async (a) => ({ url: `/api/children/export/jobs/${await finishedExport(a)}` }),
    outOfScope: (a) => ({ url: `/api/children/export/jobs/${foreignExport(a)}` }),
  },
  'GET /api/children/export/jobs/:jobId/file': {
    inScope: async (a) => ({ url: `/api/children/export/jobs/${await finishedExport(a)}/file` }),
    outOfScope: (a) => ({ url: `/api/children/export/jobs/${foreignExport(a)}/file` }),
  },
  'GET /api/children/:id/letters': visitedProbe('/letters'),
  'POST /api/children/:id/letters': visitedProbe('/letters', letterInput),
  'GET /api/children/:id/letters/:kind/document': visitedProbe('/letters/guardian/document'),
  'POST /api/letters/:id/scan': {
    inScope: async () => ({ url: `/api/letters/${LETTER.inside}/scan`, ...multipart('scan.jpg', await phoneJpeg()) }),
    outOfScope: () => ({ url: `/api/letters/${LETTER.outside}/scan`, ...PHOTO.upload }),
  },
  'POST /api/children/:id/reports': visitedProbe('/reports', reportInput()),
  'GET /api/reports': {
    inScope: () => ({ url: '/api/reports?pageSize=200' }),
    outOfScope: () => ({ url: `/api/reports?region=${OUTSIDE.county}` }),
  },
  'GET /api/reports/:id': {
    inScope: () => ({ url: `/api/reports/${REPORT.inside}` }),
    outOfScope: () => ({ url: `/api/reports/${REPORT.outside}` }),
  },
  'POST /api/reports/:id/police': reportProbe('/police', { notifiedAt: '2026-11-29T01:40:00.000Z', method: 'phone_110', receiptNo: 'walker' }),
  'POST /api/reports/:id/entries': reportProbe('/entries', { kind: 'action', note: '走查' }),
  'POST /api/reports/:id/close': reportProbe('/close', { note: '走查' }),
  'POST /api/reports/:id/acknowledge': policeProbe('/acknowledge', { receivedAt: '2026-11-29T01:40:00.000Z' }, false),
  'POST /api/reports/:id/case-number': policeProbe('/case-number', { caseNo: '走查-1' }, true),
  'POST /api/reports/:id/outcome': policeProbe('/outcome', { outcome: 'filed' }, true),
  'POST /api/children/:id/orders': visitedProbe('/orders', supervisionInput()),
  'GET /api/orders': {
    inScope: () => ({ url: '/api/orders?pageSize=200' }),
    outOfScope: () => ({ url: `/api/orders?region=${OUTSIDE.county}` }),
  },
  'GET /api/orders/:id': {
    inScope: () => ({ url: `/api/orders/${ORDER.inside}` }),
    outOfScope: () => ({ url: `/api/orders/${ORDER.outside}` }),
  },
  'POST /api/orders/:id/entries': orderProbe(supervisionInput(), '/entries', { type: 'check', date: '2026-11-29', finding: '走查', compliant: true }),
  'POST /api/orders/:id/transitions': orderProbe(temporaryGuardianshipInput(), '/transitions', { action: 'end', date: '2026-11-29', outcome: 'returned' }),
  'POST /api/children/:id/referrals': {
    inScope: () => ({ url: `/api/children/${VISITED.child}/referrals`, body: referralInput(REFERRAL.organisation) }),
    outOfScope: () => ({ url: `/api/children/${VISITED.outsideChild}/referrals`, body: referralInput(REFERRAL.organisation) }),
  },
  'GET /api/children/:id/referral-organisations': {
    inScope: () => ({ url: `/api/children/${VISITED.child}/referral-organisations` }),
    outOfScope: () => ({ url: `/api/children/${VISITED.outsideChild}/referral-organisations` }),
  },
  'GET /api/referrals': {
    inScope: () => ({ url: '/api/referrals?pageSize=200' }),
    outOfScope: () => ({ url: `/api/referrals?region=${OUTSIDE.county}` }),
  },
  'GET /api/referrals/:id': {
    inScope: () => ({ url: `/api/referrals/${REFERRAL.inside}` }),
    outOfScope: () => ({ url: `/api/referrals/${REFERRAL.outside}` }),
  },
  'POST /api/referrals/:id/withdraw': { inScope: ownReferral, outOfScope: () => ({ url: `/api/referrals/${REFERRAL.outside}/withdraw`, body: {} }) },
  'POST /api/referrals/:id/attachments': { inScope: attachProbe, outOfScope: () => ({ url: `/api/referrals/${REFERRAL.outside}/attachments`, ...multipart('scan.pdf', scanPdf()) }) },
  'GET /api/referrals/:id/attachments/:fileId': {
    inScope: () => ({ url: `/api/referrals/${REFERRAL.inside}/attachments/${ATTACHMENT.inside}` }),
    outOfScope: () => ({ url: `/api/referrals/${REFERRAL.outside}/attachments/${ATTACHMENT.outside}` }),
  },
  'GET /api/inbox/referrals/:id/attachments/:fileId': {
    inScope: () => ({ url: `/api/inbox/referrals/${REFERRAL.inside}/attachments/${ATTACHMENT.inside}` }),
    outOfScope: () => ({ url: `/api/inbox/referrals/${REFERRAL.outside}/attachments/${ATTACHMENT.outside}` }),
  },
  'GET /api/inbox/referrals': { inScope: () => ({ url: '/api/inbox/referrals?pageSize=200' }) },
  'GET /api/inbox/referrals/:id': {
    inScope: () => ({ url: `/api/inbox/referrals/${REFERRAL.inside}` }),
    outOfScope: () => ({ url: `/api/inbox/referrals/${REFERRAL.outside}` }),
  },
  'POST /api/inbox/referrals/:id/accept': inboxProbe('accept', [], {}),
  'POST /api/inbox/referrals/:id/decline': inboxProbe('decline', [], { reason: '走查' }),
  'POST /api/inbox/referrals/:id/start': inboxProbe('start', ['accept'], {}),
  'POST /api/inbox/referrals/:id/complete': inboxProbe('complete', ['accept', 'start'], { feedback: '走查' }),
  'POST /api/inbox/referrals/:id/work': inboxProbe('work', ['accept', 'start'], sessionInput()),
  // Offline field work (issue 15): the phone's working set of named villages; a village outside the scope is a field error.
  'GET /api/offline/working-set': {
    inScope: (a) => ({ url: `/api/offline/working-set?villages=${a.villageInScope}` }),
    outOfScope: () => ({ url: `/api/offline/working-set?villages=${OUTSIDE.village}` }),
    refusedOutOfScope: { director: 400, supervisor: 400, county_admin: 400, city_admin: 400 },
  },
  'POST /api/offline/key': { inScope: () => ({ url: '/api/offline/key' }) },
  'GET /api/settings/offline': { inScope: () => ({ url: '/api/settings/offline' }) },
  'PUT /api/settings/offline': { inScope: () => ({ url: '/api/settings/offline', body: { maxOfflineDays: 14 } }) },
  'GET /api/worklists/counts': {
    inScope: (a) => ({ url: `/api/worklists/counts?region=${a.scope}` }),
    outOfScope: () => ({ url: `/api/worklists/counts?region=${OUTSIDE.county}` }),
  },
  'GET /api/worklists': {
    inScope: (a) => ({ url: `/api/worklists?kind=overdue&region=${a.scope}&pageSize=200` }),
    outOfScope: () => ({ url: `/api/worklists?kind=never_visited&region=${OUTSIDE.village}` }),
  },
};

/** A roster in the actor's first village, as a multipart upload: a new child, and two rows probing the 长沙 child (its ID number, a name like its). */
async function rosterUpload(a: Actor): Promise<{ body: Buffer; headers: Record<string, string> }> {
  const probe = { 性别: '男', 出生日期: '2015-03-10', '村（社区）代码': a.villageInScope };
  return multipart(
    'walker.xlsx',
    await buildRoster([
      rosterRow({ 姓名: `走查导入${hanDigits(++seq)}`, 身份证号: null, '村（社区）代码': a.villageInScope }),
      rosterRow({ ...probe, 姓名: `走查号码${hanDigits(seq)}`, 身份证号: OUTSIDE_ID }),
      rosterRow({ ...probe, 姓名: OUTSIDE_LOOKALIKE, 身份证号: null }),
    ]),
  );
}
const JOBS = new Map<Role, string>();
const NO_JOB = '01234567-0000-7000-8000-000000000000';
/** A finished dry-run job of this actor (a placeholder id for roles that may not import: they are refused first). */
async function finishedJob(a: Actor): Promise<string> {
  const upload = await rosterUpload(a);
  const res = await a.session.request('POST', '/api/children/import?dryRun=true', upload.body, upload.headers);
  if (res.status !== 202) return NO_JOB;
  const { jobId } = res.json() as { jobId: string };
  await waitForJob(a.session, jobId);
  JOBS.set(a.role, jobId);
  return jobId;
}
const foreignJob = (a: Actor) => [...JOBS].find(([role]) => role !== a.role)?.[1] ?? NO_JOB;
const EXPORTS = new Map<Role, string>();
/** An export job of the actor's, finished (a job per probe: each may be downloaded). */
async function finishedExport(a: Actor): Promise<string> {
  let res = await a.session.request('POST', '/api/children/export/jobs', { status: 'active' });
  // The walk's own POST probe may still be running: one export per user at a time.
  for (let i = 0; i < 400 && res.status === 409; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    res = await a.session.request('POST', '/api/children/export/jobs', { status: 'active' });
  }
  if (res.status !== 202) return NO_JOB;
  const { jobId } = res.json() as { jobId: string };
  for (let i = 0; i < 400; i++) {
    const job = (await a.session.request('GET', `/api/children/export/jobs/${jobId}`)).json() as { state: string };
    if (job.state !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  EXPORTS.set(a.role, jobId);
  return jobId;
}
const foreignExport = (a: Actor) => [...EXPORTS].find(([role]) => role !== a.role)?.[1] ?? NO_JOB;


/**
 * Records outside every Huaihua scope (长沙) that an answer to a Huaihua actor must never name: their ids, and
 * the 长沙 children's names, whole or as a first character with stars.
 */
function leakedRecords(body: string): string[] {
  const ids = [CHILD.outside, VISITED.outsideChild, VISITED.outsideVisit, PHOTO.outside, LETTER.outside, REPORT.outside, ORDER.outside, REFERRAL.outside, ATTACHMENT.outside, CAMPAIGN.outside, CAMPAIGN.outsideTask];
  const names = [OUTSIDE_NAME, '吴外地', `${OUTSIDE_NAME.slice(0, 1)}**`, '吴**'];
  return [...ids.filter((id) => id !== ''), ...names].filter((secret) => body.includes(secret));
}

/**
 * What only a child's file and its records hold: the walker's children, the relatives and phone
 * of the test file, and the comments written on returning and refusing a closure (which the
 * audit log keeps in its details). The system administrator must meet none of it (issue 11 §6).
 */
const CHILD_DATA = ['走查儿童', '走查待审', '外地儿童', '周走访', '吴外地', '郑学生', '王大山', '李秀英', '王奶奶', '13900001111', '请补充材料', '仍需关注'];
const childDataIn = (body: string) => CHILD_DATA.filter((marker) => body.includes(marker));

/** Every 12-digit code in an answer must be in scope or above it (the breadcrumb path). */
function leakedCodes(body: string, scope: string): string[] {
  const allowedAbove = new Set(ancestorCodes(scope));
  const codes = body.match(/(?<![\w-])\d{12}(?![\w-])/g) ?? [];
  return [...new Set(codes)].filter((c) => !isWithinRegion(c, scope) && !allowedAbove.has(c));
}

describe(`access matrix (${dialectUnderTest()})`, () => {
  let t: TestApp;
  const actors = new Map<Role, Actor>();

  beforeAll(async () => {
    t = await createTestApp();
    const outside = await t.deps.db.selectFrom('users').select('id').where('username', '=', OUTSIDE.director).executeTakeFirstOrThrow();
    const register = async (username: string, regionCode: string, name: string) => {
      const s = await signIn(t, username);
      const res = await s.request('POST', '/api/children', childInput({ name, regionCode, idNumber: null }));
      if (res.status !== 201) throw new Error(`registering ${name}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    CHILD.inside = await register('supervisor-431202001000', '431202001201', '走查儿童');
    const outsider = await signIn(t, OUTSIDE.director);
    const outsideChild = await outsider.request('POST', '/api/children', childInput({ name: OUTSIDE_NAME, regionCode: OUTSIDE.village, idNumber: OUTSIDE_ID }));
    if (outsideChild.status !== 201) throw new Error(`registering ${OUTSIDE_NAME}: ${outsideChild.body}`);
    CHILD.outside = (outsideChild.json() as { id: string }).id;
    const openCampaign = async (username: string, regionCode: string) => {
      const res = await (await signIn(t, username)).request('POST', '/api/campaigns', campaignInput(regionCode));
      if (res.status !== 201) throw new Error(`campaign in ${regionCode}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    CAMPAIGN.inside = await openCampaign('county-431202', '431202001201');
    CAMPAIGN.insideTask = (await t.deps.db.selectFrom('campaign_tasks').select('id').where('campaign_id', '=', CAMPAIGN.inside).where('child_id', '=', CHILD.inside).executeTakeFirstOrThrow()).id;
    CAMPAIGN.outside = await openCampaign(OUTSIDE.countyAdmin, OUTSIDE.village);
    // The 长沙 child awaits approval (a director registered it), so it got no task: give it one.
    CAMPAIGN.outsideTask = crypto.randomUUID();
    await t.deps.db.insertInto('campaign_tasks').values({ id: CAMPAIGN.outsideTask, campaign_id: CAMPAIGN.outside, child_id: CHILD.outside, region_code: OUTSIDE.village, status: 'open', visit_id: null, problems: 0, done_at: null }).execute();
    const photoOf = async (username: string, childId: string) => {
      const res = await uploadPhoto(await signIn(t, username), childId, await phoneJpeg());
      if (res.status !== 200) throw new Error(`photo of ${childId}: ${res.body}`);
      return (res.json() as { photo: { id: string } }).photo.id;
    };
    PHOTO.inside = await photoOf('supervisor-431202001000', CHILD.inside);
    PHOTO.outside = await photoOf(OUTSIDE.director, CHILD.outside);
    PHOTO.upload = multipart('photo.jpg', await phoneJpeg());
    const registerBorn = async (username: string, regionCode: string, name: string, birthDate: string) => {
      const res = await (await signIn(t, username)).request('POST', '/api/children', childInput({ name, regionCode, idNumber: null, birthDate }));
      if (res.status !== 201) throw new Error(`registering ${name}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    VISITED.child = await registerBorn('supervisor-431202001000', '431202001201', '周走访', '2013-06-06');
    VISITED.outsideChild = await registerBorn(OUTSIDE.director, OUTSIDE.village, '吴外地', '2013-07-07');
    const visitOf = async (username: string, childId: string) => {
      const res = await (await signIn(t, username)).request('POST', `/api/children/${childId}/visits`, visitInput());
      if (res.status !== 201) throw new Error(`visit of ${childId}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    VISITED.visit = await visitOf('supervisor-431202001000', VISITED.child);
    const school = await t.deps.db.selectFrom('organisations').select('id').where('kind', '=', 'school').executeTakeFirstOrThrow();
    const pupil = await (await signIn(t, 'supervisor-431202001000')).request('POST', '/api/children', childInput({ name: '郑学生', idNumber: null, birthDate: '2013-08-08', schooling: { status: 'in_school', school: '青西小学', grade: '六年级', boarding: false, schoolOrgId: school.id } }));
    if (pupil.status !== 201) throw new Error(`registering a pupil: ${pupil.body}`);
    PUPIL.child = (pupil.json() as { id: string }).id;
    VISITED.outsideVisit = await visitOf(OUTSIDE.director, VISITED.outsideChild);
    const reportOf = async (username: string, childId: string) => {
      const res = await (await signIn(t, username)).request('POST', `/api/children/${childId}/reports`, reportInput());
      if (res.status !== 201) throw new Error(`report on ${childId}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    const letterOf = async (username: string, childId: string) => {
      const res = await (await signIn(t, username)).request('POST', `/api/children/${childId}/letters`, letterInput);
      if (res.status !== 201) throw new Error(`letter of ${childId}: ${res.body}`);
      return (res.json() as { history: { id: string }[] }).history[0]!.id;
    };
    LETTER.inside = await letterOf('supervisor-431202001000', VISITED.child);
    LETTER.outside = await letterOf(OUTSIDE.director, VISITED.outsideChild);
    REPORT.inside = await reportOf('supervisor-431202001000', VISITED.child);
    REPORT.outside = await reportOf(OUTSIDE.director, VISITED.outsideChild);
    const orderOf = async (username: string, childId: string) => {
      const res = await (await signIn(t, username)).request('POST', `/api/children/${childId}/orders`, supervisionInput());
      if (res.status !== 201) throw new Error(`order on ${childId}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    ORDER.inside = await orderOf('supervisor-431202001000', VISITED.child);
    ORDER.outside = await orderOf(OUTSIDE.director, VISITED.outsideChild);
    REFERRAL.organisation = await organisationOfKind(t.deps.db, 'police');
    REFERRAL.sender = await signIn(t, 'supervisor-431202001000');
    const outsideOrg = crypto.randomUUID();
    await t.deps.db.insertInto('organisations').values({ id: outsideOrg, name: '长沙市公安局', kind: 'police', region_code: OUTSIDE.city, created_at: '2026-11-29T00:00:00.000Z' }).execute();
    const referralOf = async (session: Session, childId: string, organisationId: string) => {
      const res = await session.request('POST', `/api/children/${childId}/referrals`, referralInput(organisationId));
      if (res.status !== 201) throw new Error(`referral of ${childId}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    REFERRAL.inside = await referralOf(REFERRAL.sender, VISITED.child, REFERRAL.organisation);
    const outsideSender = await signIn(t, OUTSIDE.director);
    REFERRAL.outside = await referralOf(outsideSender, VISITED.outsideChild, outsideOrg);
    const attachmentOf = async (session: Session, referralId: string) => {
      const res = await attachFile(session, referralId, 'scan.pdf', scanPdf());
      if (res.status !== 201) throw new Error(`attachment of ${referralId}: ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    ATTACHMENT.inside = await attachmentOf(REFERRAL.sender, REFERRAL.inside);
    TRANSFER_REQUEST.asker = await signIn(t, OUTSIDE.director);
    const asked = await (await signIn(t, 'director-431202001201')).request('POST', '/api/transfer-requests', { idNumber: OUTSIDE_ID, name: '走查转入', regionCode: '431202001201', note: '走查' });
    if (asked.status !== 201) throw new Error(`transfer request: ${asked.body}`);
    TRANSFER_REQUEST.outside = (asked.json() as { id: string }).id;
    ATTACHMENT.outside = await attachmentOf(outsideSender, REFERRAL.outside);
    const signedIn = Object.values(ACCOUNTS);
    for (const role of ROLES) {
      const session = await signIn(t, ACCOUNTS[role]);
      const me = (await session.request('GET', '/api/me')).json() as { scope: { region: { code: string } } };
      const scope = me.scope.region.code;
      const prefix = scope.replace(/0+$/, '');
      const target = await t.deps.db
        .selectFrom('users')
        .select(['id', 'region_code'])
        .where('role', '=', 'director')
        .where('region_code', 'like', `${prefix}%`)
        .where('username', 'not in', signedIn)
        .orderBy('username')
        .executeTakeFirst();
      const village = await t.deps.db
        .selectFrom('regions')
        .select('code')
        .where('level', '=', 'village')
        .where('code', 'like', `${prefix}%`)
        .orderBy('code')
        .executeTakeFirst();
      actors.set(role, {
        role,
        session,
        scope,
        targetUserId: target?.id ?? null,
        villageInScope: village?.code ?? scope,
        outsideUserId: outside.id,
      });
    }
  });
  afterAll(() => t.close());

  it('has a case for every registered /api route', () => {
    const registered = t.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);
    expect(registered.length).toBeGreaterThan(15);
    const missing = registered.filter((r) => !(r in CASES));
    expect(missing, 'routes without an access-matrix case').toEqual([]);
    for (const r of t.routes.filter((x) => x.url.startsWith('/api/') && !x.url.startsWith('/api/docs'))) {
      expect(r.access, `${r.method} ${r.url} declares its access`).toBeTruthy();
    }
  });

  it('refuses every non-public route to a signed-out caller with 401', async () => {
    for (const route of t.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))) {
      if (route.access === 'public') continue;
      const url = route.url.replace(':id', '01234567-0000-7000-8000-000000000000').replace(':code', '431202000000');
      const res = await t.app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' ? undefined : {} });
      expect(res.statusCode, `${route.method} ${route.url} signed out`).toBe(401);
    }
  });

  for (const role of ROLES) {
    it(`walks every route as ${role}`, async () => {
      const actor = actors.get(role)!;
      for (const route of t.routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'))) {
        const key = `${route.method} ${route.url}`;
        const c = CASES[key];
        if (!c || c.skip) continue;
        const access = route.access!;
        // The agency account walked is the police's: it also holds what its organisation's kind grants (reading mandatory reports).
        const permitted = access === 'public' || access === 'authenticated' || access === 'session' || actorCan({ role, organisationKind: role === 'agency' ? 'police' : null }, access as Action);
        const needsTarget = route.url.startsWith('/api/users/:id') && !actor.targetUserId;

        if (c.inScope && !needsTarget) {
          const probe = await c.inScope(actor);
          const res = await actor.session.request(route.method, probe.url, probe.body, probe.headers);
          if (role === 'sysadmin') expect(childDataIn(res.body), `sysadmin ${key} answers with child data`).toEqual([]);
          if (permitted && c.refusedInScope?.[role]) {
            expect(res.status, `${role} ${key} in scope, refused by its own rule: ${res.body.slice(0, 200)}`).toBe(c.refusedInScope[role]);
          } else if (permitted) {
            if (c.ok) expect(c.ok, `${role} ${key} in scope: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
            else expect(res.status, `${role} ${key} in scope: ${res.body.slice(0, 200)}`).toBeLessThan(300);
            if (key !== 'GET /api/openapi.json' && !c.systemWide?.includes(role)) {
              expect(leakedCodes(res.body, actor.scope), `${role} ${key} leaks codes outside scope`).toEqual([]);
              expect(leakedRecords(res.body), `${role} ${key} names records outside scope`).toEqual([]);
            }
          } else {
            expect(res.status, `${role} ${key} without permission`).toBe(refusal(role, route.url));
          }
        }
        if (c.outOfScope) {
          const probe = c.outOfScope(actor);
          const res = await actor.session.request(route.method, probe.url, probe.body, probe.headers);
          if (role === 'sysadmin') expect(childDataIn(res.body), `sysadmin ${key} answers with child data`).toEqual([]);
          if (!permitted) {
            expect(res.status, `${role} ${key} without permission`).toBe(refusal(role, route.url));
          } else if (c.refusedOutOfScope?.[role]) {
            expect(res.status, `${role} ${key} out of scope, refused by its own rule`).toBe(c.refusedOutOfScope[role]);
          } else if (route.method === 'POST' && !route.url.includes(':') && probe.body) {
            // Creating under a region outside scope: the region "does not exist" for this actor.
            expect(res.status, `${role} ${key} out of scope`).toBe(400);
            expect(res.json()).toMatchObject({ error: { field: 'regionCode' } });
          } else {
            expect(res.status, `${role} ${key} out of scope: ${res.body.slice(0, 200)}`).toBe(404);
            expect(res.body).not.toContain(OUTSIDE.director);
          }
        }
      }
    });
  }

  // The walk above wrote rows of nearly every kind: each action code must have its words on the audit page.
  it('writes only audit action codes that have a label in both languages', async () => {
    const written = (await t.deps.db.selectFrom('audit_log').select('action').distinct().execute()).map((r) => r.action);
    expect(written.length).toBeGreaterThan(40);
    expect(written.filter((action) => !isAuditAction(action))).toEqual([]);
    for (const action of written) expect(auditActionLabel(action, 'en-US'), action).not.toBe(action);
  });

  it('answers a registration with an ID number filed outside the scope 409, naming nothing of that file', async () => {
    const registrars = ROLES.filter((role) => actorCan({ role }, 'child.register'));
    expect(registrars).toEqual(expect.arrayContaining(['director', 'supervisor']));
    for (const role of registrars) {
      const actor = actors.get(role)!;
      const res = await actor.session.request('POST', '/api/children', childInput({ name: OUTSIDE_LOOKALIKE, idNumber: OUTSIDE_ID, regionCode: actor.villageInScope }));
      expect(res.status, `${role}: ${res.body}`).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'DUPLICATE_ELSEWHERE', field: 'idNumber', data: { candidates: [] } } });
      expect(leakedCodes(res.body, actor.scope), `${role} registration leaks codes outside scope`).toEqual([]);
      expect(leakedRecords(res.body), `${role} registration names records outside scope`).toEqual([]);
    }
  });

  it('the system administrator reaches no child data through the audit log: rows about children come without details', async () => {
    // A registration returned with a comment: the comment is kept in its audit row's details.
    const registered = await actors.get('director')!.session.request('POST', '/api/children', childInput({ name: '走查待审', idNumber: null, regionCode: '431202001201', birthDate: '2014-02-02' }));
    expect(registered.status).toBe(201);
    const returned = await actors.get('supervisor')!.session.request('POST', `/api/children/${(registered.json() as { id: string }).id}/return`, { comment: '请补充材料' });
    expect(returned.status).toBe(200);
    const raw = await t.deps.db.selectFrom('audit_log').select(['action', 'details']).execute();
    expect(raw.filter((r) => r.details && childDataIn(r.details).length > 0).length, 'rows with child data to hide').toBeGreaterThan(0);
    const sysadmin = actors.get('sysadmin')!.session;
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const res = await sysadmin.request('GET', `/api/audit?pageSize=200&page=${page}`);
      expect(res.status).toBe(200);
      const { items, total } = res.json() as { items: { action: string; details: unknown }[]; total: number };
      expect(childDataIn(res.body), `audit page ${page}`).toEqual([]);
      seen.push(...items.filter((r) => r.details !== null).map((r) => r.action));
      if (page * 200 >= total) break;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((action) => !/^(auth|user|organisation|settings|seed)\./.test(action))).toEqual([]);
    // A county administrator still reads the details of its own rows.
    const county = await actors.get('county_admin')!.session.request('GET', '/api/audit?pageSize=200&action=child.return');
    expect(childDataIn(county.body)).toContain('请补充材料');
  });

  it('answers an out-of-scope record exactly like a missing one', async () => {
    const county = actors.get('county_admin')!;
    const outside = await county.session.request('GET', `/api/regions/${OUTSIDE.village}`);
    const missing = await county.session.request('GET', '/api/regions/431202999999');
    expect(outside.status).toBe(404);
    expect(outside.body).toBe(missing.body);
    const otherCounty = await county.session.request('GET', '/api/regions/431221000000');
    expect(otherCounty.status).toBe(404);
    expect(otherCounty.body).toBe(missing.body);
  });
});

/**
 * The transfer case (issue 11): a child with a late mandatory report (the reporter named, a sexual-assault
 * trigger), referrals with an attachment, orders, a signed letter with its scan, a visit, a photo and a task of a
 * city-wide campaign is moved by the city to another county. Then every route about any of those records answers
 * as for a missing record (404) to the old village's director, township's supervisor and county's admin, and works
 * for the new ones; no list of the old scope names them; the receiving organisation keeps its referral. A route
 * with a record in its path that is neither walked here nor exempted (with the reason) fails the first test.
 */
const TRANSFER = {
  from: { village: '431202001201', township: '431202001000', county: '431202' },
  to: { village: '431221001201', township: '431221001000', county: '431221', otherVillage: '431221001202' },
};
/** Routes with a record in their path that are not a child's records, and why. */
const NOT_A_CHILD_RECORD: [RegExp, string][] = [
  [/ \/api\/users\//, 'accounts'],
  [/ \/api\/regions\//, 'the hierarchy'],
  [/ \/api\/children\/import\//, 'import jobs belong to whoever started them'],
  [/ \/api\/children\/export\/jobs\//, 'export jobs belong to whoever started them'],
  [/ \/api\/campaigns\/:id/, "a campaign is its region's; its task list is checked below"],
  [/ \/api\/pupils\//, "a school contact's pupils, scoped by the school (the main walk)"],
  [/ \/api\/inbox\//, "the receiving organisation's own; checked below to keep working"],
  [/ \/api\/transfer-requests\//, "a request about a file is read through the file's village, wherever it is now (transfer-requests.test.ts)"],
];
type Side = 'old' | 'new';
interface TransferActor {
  role: Role;
  side: Side;
  /** 0, 1, 2: director, supervisor, county admin (each new one acts on a record of its own where an action can be taken once). */
  index: number;
  session: Session;
  scope: string;
}
interface TransferCase {
  probe: (a: TransferActor) => Probe | Promise<Probe>;
  /** Answers that count as "reached the record" for the new scope (default: any 2xx). */
  ok?: number[];
}

describe(`access matrix after a transfer to another county (${dialectUnderTest()})`, () => {
  let t: TestApp;
  const actors: TransferActor[] = [];
  let agency: Session;
  /** What the child had before it moved (`extra…`: one per new actor, for actions that can be taken once). */
  const R = {
    /** The social-work station of the old township, which receives the referrals. */
    station: '',
    police: '',
    child: '',
    input: childInput(),
    photo: '',
    visit: '',
    report: '',
    extraReports: [] as string[],
    referral: '',
    attachment: '',
    extraReferrals: [] as string[],
    order: '',
    extraOrders: [] as string[],
    letter: '',
    cityCampaign: '',
    cityTask: '',
    countyCampaign: '',
  };
  const version = async (a: TransferActor, url: string) => ((await a.session.request('GET', url)).json() as { version?: number }).version ?? 1;
  const pick = (a: TransferActor, own: string[], shared: string) => (a.side === 'new' ? own[a.index]! : shared);

  const CASES_AFTER_TRANSFER: Record<string, TransferCase> = {
    'GET /api/children/:id': { probe: () => ({ url: `/api/children/${R.child}` }) },
    'GET /api/children/:id/history': { probe: () => ({ url: `/api/children/${R.child}/history` }) },
    'GET /api/children/:id/timeline': { probe: () => ({ url: `/api/children/${R.child}/timeline` }) },
    'GET /api/files/:id': { probe: () => ({ url: `/api/files/${R.photo}` }) },
    'PUT /api/children/:id': {
      probe: async (a) => {
        const { regionCode: _r, ...rest } = R.input;
        return { url: `/api/children/${R.child}`, body: { ...rest, version: await version(a, `/api/children/${R.child}`) } };
      },
    },
    'POST /api/children/:id/categories': { probe: () => ({ url: `/api/children/${R.child}/categories`, body: { category: 'distress', value: true, reason: '迁移走查' } }) },
    'POST /api/children/:id/reveal': { probe: () => ({ url: `/api/children/${R.child}/reveal`, body: { field: 'father.phone' } }) },
    'POST /api/children/:id/photo': { probe: async () => ({ url: `/api/children/${R.child}/photo`, ...multipart('photo.jpg', await phoneJpeg()) }) },
    // Each one first sets a photo (only the new ones can), then takes it off.
    'DELETE /api/children/:id/photo': {
      probe: async (a) => {
        await uploadPhoto(a.session, R.child, await phoneJpeg());
        return { url: `/api/children/${R.child}/photo` };
      },
    },
    'POST /api/children/:id/visits': { probe: () => ({ url: `/api/children/${R.child}/visits`, body: visitInput({ visitDate: '2026-11-29' }) }) },
    'GET /api/children/:id/visits': { probe: () => ({ url: `/api/children/${R.child}/visits` }) },
    'GET /api/visits/:id': { probe: () => ({ url: `/api/visits/${R.visit}` }) },
    // The old director corrects the visit he made himself (within 24 hours): no longer his child. The new ones correct one of their own.
    'PUT /api/visits/:id': {
      probe: async (a) => {
        const res = await a.session.request('POST', `/api/children/${R.child}/visits`, visitInput({ visitDate: '2026-11-29' }));
        const id = res.status === 201 ? (res.json() as { id: string }).id : R.visit;
        return { url: `/api/visits/${id}`, body: { ...visitInput({ visitDate: '2026-11-29', notes: '更正' }), version: 1, reason: '迁移走查' } };
      },
    },
    'POST /api/children/:id/visit-photos': { probe: async () => ({ url: `/api/children/${R.child}/visit-photos`, ...multipart('visit.jpg', await phoneJpeg()) }) },
    'POST /api/children/:id/risk': { probe: () => ({ url: `/api/children/${R.child}/risk`, body: { level: 'high', reason: '迁移走查' } }) },
    'GET /api/children/:id/letters': { probe: () => ({ url: `/api/children/${R.child}/letters` }) },
    'POST /api/children/:id/letters': { probe: () => ({ url: `/api/children/${R.child}/letters`, body: letterInput }) },
    'GET /api/children/:id/letters/:kind/document': { probe: () => ({ url: `/api/children/${R.child}/letters/guardian/document` }) },
    'POST /api/letters/:id/scan': { probe: async () => ({ url: `/api/letters/${R.letter}/scan`, ...multipart('scan.jpg', await phoneJpeg()) }) },
    'POST /api/children/:id/reports': { probe: () => ({ url: `/api/children/${R.child}/reports`, body: reportInput() }) },
    'GET /api/reports/:id': { probe: () => ({ url: `/api/reports/${R.report}` }) },
    'POST /api/reports/:id/entries': {
      probe: async (a) => ({ url: `/api/reports/${R.report}/entries`, body: { kind: 'action', note: '迁移走查', version: await version(a, `/api/reports/${R.report}`) } }),
    },
    'POST /api/reports/:id/police': {
      probe: (a) => ({ url: `/api/reports/${pick(a, R.extraReports, R.report)}/police`, body: { notifiedAt: '2026-11-29T01:40:00.000Z', method: 'phone_110', receiptNo: 'walker', version: 1 } }),
    },
    'POST /api/reports/:id/close': {
      probe: async (a) => {
        const id = pick(a, R.extraReports, R.report);
        return { url: `/api/reports/${id}/close`, body: { note: '迁移走查', version: await version(a, `/api/reports/${id}`) } };
      },
    },
    // The police's own record: staff of either side are refused (403); the police keep their city-wide area.
    'POST /api/reports/:id/acknowledge': { probe: () => ({ url: `/api/reports/${R.report}/acknowledge`, body: { receivedAt: '2026-11-29T01:40:00.000Z', version: 1 } }) },
    'POST /api/reports/:id/case-number': { probe: () => ({ url: `/api/reports/${R.report}/case-number`, body: { caseNo: '迁移走查', version: 1 } }) },
    'POST /api/reports/:id/outcome': { probe: () => ({ url: `/api/reports/${R.report}/outcome`, body: { outcome: 'filed', version: 1 } }) },
    'POST /api/children/:id/orders': { probe: () => ({ url: `/api/children/${R.child}/orders`, body: supervisionInput() }) },
    'GET /api/orders/:id': { probe: () => ({ url: `/api/orders/${R.order}` }) },
    'POST /api/orders/:id/entries': {
      probe: async (a) => ({ url: `/api/orders/${R.order}/entries`, body: { type: 'check', date: '2026-11-29', finding: '迁移走查', compliant: true, version: await version(a, `/api/orders/${R.order}`) } }),
    },
    'POST /api/orders/:id/transitions': {
      probe: (a) => ({ url: `/api/orders/${pick(a, R.extraOrders, R.order)}/transitions`, body: { action: 'end', date: '2026-11-29', outcome: 'returned', version: 1 } }),
    },
    // The old township's station no longer covers the child; the city's police do.
    'POST /api/children/:id/referrals': { probe: () => ({ url: `/api/children/${R.child}/referrals`, body: referralInput(R.police) }) },
    'GET /api/children/:id/referral-organisations': { probe: () => ({ url: `/api/children/${R.child}/referral-organisations` }) },
    'GET /api/referrals/:id': { probe: () => ({ url: `/api/referrals/${R.referral}` }) },
    'POST /api/referrals/:id/attachments': { probe: () => ({ url: `/api/referrals/${R.referral}/attachments`, ...multipart('scan.pdf', scanPdf()) }) },
    'GET /api/referrals/:id/attachments/:fileId': { probe: () => ({ url: `/api/referrals/${R.referral}/attachments/${R.attachment}` }) },
    'POST /api/referrals/:id/withdraw': { probe: (a) => ({ url: `/api/referrals/${pick(a, R.extraReferrals, R.referral)}/withdraw`, body: {} }) },
    'GET /api/campaign-tasks/:taskId': { probe: () => ({ url: `/api/campaign-tasks/${R.cityTask}` }) },
    // The file's workflow last (each answer depends on the state the one before left: 409 still proves access), the child back to active.
    'POST /api/children/:id/approve': { probe: () => ({ url: `/api/children/${R.child}/approve`, body: {} }), ok: STATEFUL },
    'POST /api/children/:id/return': { probe: () => ({ url: `/api/children/${R.child}/return`, body: { comment: '请补充材料' } }), ok: STATEFUL },
    'POST /api/children/:id/close': { probe: () => ({ url: `/api/children/${R.child}/close`, body: { reason: 'moved_away' } }), ok: STATEFUL },
    'POST /api/children/:id/reject-closure': { probe: () => ({ url: `/api/children/${R.child}/reject-closure`, body: { comment: '仍需关注' } }), ok: STATEFUL },
    'POST /api/children/:id/approve-closure': { probe: () => ({ url: `/api/children/${R.child}/approve-closure`, body: {} }), ok: STATEFUL },
    // The old county takes it back: not his to move. The new supervisor moves it next door, the new county back again.
    'POST /api/children/:id/transfer': {
      probe: (a) => ({ url: `/api/children/${R.child}/transfer`, body: { regionCode: a.side === 'old' ? TRANSFER.from.village : a.role === 'supervisor' ? TRANSFER.to.otherVillage : TRANSFER.to.village } }),
    },
  };

  beforeAll(async () => {
    t = await createTestApp();
    const supervisor = await signIn(t, `supervisor-${TRANSFER.from.township}`);
    const director = await signIn(t, `director-${TRANSFER.from.village}`);
    const city = await signIn(t, 'city-431200');
    agency = await signIn(t, 'agency-social_work_station');
    R.station = await organisationOfKind(t.deps.db, 'social_work_station');
    R.police = await organisationOfKind(t.deps.db, 'police');
    const created = async (s: Session, url: string, body: unknown, headers?: Record<string, string>) => {
      const res = await s.request('POST', url, body, headers);
      if (res.status !== 201 && res.status !== 200) throw new Error(`${url}: ${res.status} ${res.body}`);
      const json = res.json() as { id?: string; history?: { id: string }[]; photo?: { id: string } };
      return json.photo?.id ?? json.id ?? json.history![0]!.id;
    };
    R.input = childInput({ name: '迁移走查', sex: 'female', idNumber: null, birthDate: '2015-05-05', regionCode: TRANSFER.from.village });
    R.child = await created(supervisor, '/api/children', R.input);
    R.photo = await created(supervisor, `/api/children/${R.child}/photo`, ...(({ body, headers }) => [body, headers] as const)(multipart('photo.jpg', await phoneJpeg())));
    const campaign = async (s: Session, regionCode: string) => created(s, '/api/campaigns', campaignInput(regionCode));
    R.cityCampaign = await campaign(city, '431200000000');
    R.countyCampaign = await campaign(await signIn(t, `county-${TRANSFER.from.county}`), `${TRANSFER.from.county}000000`);
    R.cityTask = (await t.deps.db.selectFrom('campaign_tasks').select('id').where('campaign_id', '=', R.cityCampaign).where('child_id', '=', R.child).executeTakeFirstOrThrow()).id;
    R.visit = await created(director, `/api/children/${R.child}/visits`, visitInput({ visitDate: '2026-11-29' }));
    // Two hours old, police not told: late. The reporter is named; the trigger is the gravest one.
    R.report = await created(director, `/api/children/${R.child}/reports`, reportInput({ triggers: ['girl_under14_sexual_assault'], discoveredAt: '2026-11-29T00:00:00.000Z', reporterName: '赵举报' }));
    for (let i = 0; i < 3; i++) R.extraReports.push(await created(director, `/api/children/${R.child}/reports`, reportInput()));
    R.referral = await created(supervisor, `/api/children/${R.child}/referrals`, referralInput(R.station));
    const pdf = multipart('scan.pdf', scanPdf());
    R.attachment = await created(supervisor, `/api/referrals/${R.referral}/attachments`, pdf.body, pdf.headers);
    for (let i = 0; i < 3; i++) R.extraReferrals.push(await created(supervisor, `/api/children/${R.child}/referrals`, referralInput(R.station)));
    R.order = await created(supervisor, `/api/children/${R.child}/orders`, supervisionInput());
    for (let i = 0; i < 3; i++) R.extraOrders.push(await created(supervisor, `/api/children/${R.child}/orders`, temporaryGuardianshipInput()));
    R.letter = await created(director, `/api/children/${R.child}/letters`, letterInput);
    const scan = multipart('scan.jpg', await phoneJpeg());
    await created(director, `/api/letters/${R.letter}/scan`, scan.body, scan.headers);

    const moved = await city.request('POST', `/api/children/${R.child}/transfer`, { regionCode: TRANSFER.to.village, note: '随父母迁居' });
    if (moved.status !== 200) throw new Error(`transfer: ${moved.body}`);

    const accounts: [Role, Side, string][] = [
      ['director', 'old', `director-${TRANSFER.from.village}`],
      ['supervisor', 'old', `supervisor-${TRANSFER.from.township}`],
      ['county_admin', 'old', `county-${TRANSFER.from.county}`],
      ['director', 'new', `director-${TRANSFER.to.village}`],
      ['supervisor', 'new', `supervisor-${TRANSFER.to.township}`],
      ['county_admin', 'new', `county-${TRANSFER.to.county}`],
    ];
    for (const [role, side, username] of accounts) {
      const session = await signIn(t, username);
      const me = (await session.request('GET', '/api/me')).json() as { scope: { region: { code: string } } };
      actors.push({ role, side, index: actors.filter((x) => x.side === side).length, session, scope: me.scope.region.code });
    }
  });
  afterAll(() => t.close());

  const recordRoutes = () => t.routes.filter((r) => r.url.startsWith('/api/') && r.url.includes('/:')).map((r) => `${r.method} ${r.url}`);

  it('has a case for every route about a record, or a reason why it is not one of a child’s records', () => {
    const missing = recordRoutes().filter((key) => !(key in CASES_AFTER_TRANSFER) && !NOT_A_CHILD_RECORD.some(([pattern]) => pattern.test(key)));
    expect(missing, 'routes about a record that the transfer walk does not try').toEqual([]);
    const stale = Object.keys(CASES_AFTER_TRANSFER).filter((key) => !recordRoutes().includes(key));
    expect(stale, 'transfer cases of routes that no longer exist').toEqual([]);
  });

  it('answers 404 on every record of the child to the old village, township and county, and works for the new ones', async () => {
    const accessOf = new Map(t.routes.map((r) => [`${r.method} ${r.url}`, r.access!]));
    for (const [key, c] of Object.entries(CASES_AFTER_TRANSFER)) {
      const method = key.split(' ')[0]!;
      for (const a of actors) {
        const permitted = actorCan({ role: a.role, organisationKind: null }, accessOf.get(key) as Action);
        const probe = await c.probe(a);
        const res = await a.session.request(method, probe.url, probe.body, probe.headers);
        const label = `${a.side} ${a.role} ${key}: ${res.status} ${res.body.slice(0, 200)}`;
        if (!permitted) expect(res.status, label).toBe(403);
        else if (a.side === 'old') {
          expect(res.status, label).toBe(404);
          expect(res.body, label).not.toContain('迁移走查');
        } else {
          if (c.ok) expect(c.ok, label).toContain(res.status);
          else expect(res.status, label).toBeLessThan(300);
          // Where the child came from is history (its transfer entry); nothing else of the old county shows.
          const leaks = leakedCodes(res.body, a.scope).filter((code) => !(key.endsWith('/history') || key.endsWith('/timeline')) || code !== TRANSFER.from.village);
          expect(leaks, `${label} leaks codes outside scope`).toEqual([]);
        }
      }
    }
  });

  it('names the child and its records in no list of the old scope, and in the lists of the new one; the late report alerts the new county', async () => {
    const ids = [R.child, R.report, R.referral, R.order, R.cityTask];
    const lists = [
      '/api/children?pageSize=200',
      '/api/reports?pageSize=200',
      '/api/reports?late=true&pageSize=200',
      '/api/referrals?pageSize=200',
      '/api/orders?pageSize=200',
      `/api/campaigns/${R.cityCampaign}/tasks?pageSize=200`,
      ...WORKLIST_KINDS.map((kind) => `/api/worklists?kind=${kind}&pageSize=200`),
    ];
    for (const a of actors) {
      const bodies = await Promise.all(lists.map(async (url) => ({ url, res: await a.session.request('GET', url) })));
      for (const { url, res } of bodies) {
        expect(res.status, `${a.side} ${a.role} ${url}`).toBe(200);
        if (a.side === 'old') for (const id of ids) expect(res.body, `${a.side} ${a.role} ${url} names ${id}`).not.toContain(id);
      }
      // 鹤城区's own campaign does not hold the new village: the child's task there was withdrawn, listed to no one.
      if (a.side === 'old') expect((await a.session.request('GET', `/api/campaigns/${R.countyCampaign}/tasks?pageSize=200`)).body, a.role).not.toContain(R.child);
      if (a.side === 'new') {
        const body = (url: string) => bodies.find((b) => b.url === url)!.res.body;
        expect(body('/api/children?pageSize=200')).toContain(R.child);
        expect(body('/api/reports?late=true&pageSize=200'), `${a.role}: the late report`).toContain(R.report);
        expect(body('/api/referrals?pageSize=200')).toContain(R.referral);
        expect(body('/api/orders?pageSize=200')).toContain(R.order);
        expect(body(`/api/campaigns/${R.cityCampaign}/tasks?pageSize=200`)).toContain(R.cityTask);
        expect(body('/api/worklists?kind=campaign&pageSize=200')).toContain(R.cityTask);
      }
    }
  });

  it('leaves the receiving organisation its referral, its attachment and its actions', async () => {
    expect((await agency.request('GET', '/api/inbox/referrals?pageSize=200')).body).toContain(R.referral);
    expect((await agency.request('GET', `/api/inbox/referrals/${R.referral}`)).status).toBe(200);
    expect((await agency.request('GET', `/api/inbox/referrals/${R.referral}/attachments/${R.attachment}`)).status).toBe(200);
    expect((await agency.request('POST', `/api/inbox/referrals/${R.referral}/accept`, {})).status).toBe(200);
  });
});
