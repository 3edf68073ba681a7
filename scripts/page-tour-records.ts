/**
 * `npx tsx scripts/page-tour-records.ts --base-url http://127.0.0.1:PORT` (also `npm run tour:records -- …`):
 * adds to a freshly seeded demo server the records the demo seed lacks, so that the page tour
 * (scripts/page-tour.ts) also shows a report, a referral (and the police's inbox record of it), an
 * order and a campaign. Run it once on each server of a comparison, before the tour: the records
 * are the same on both, about the director's first child by name, with fixed times (no "late"
 * that appears between two runs an hour apart). Writes, unlike the tour: never point it at real data.
 */
import { request, type APIRequestContext } from 'playwright-core';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'demo1234';
const DIRECTOR = 'director-431202001201';
const DIRECTOR_VILLAGE = '431202001201';
const COUNTY = 'county-431202';

function baseUrlArg(): string {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--base-url');
  const baseUrl = i >= 0 ? argv[i + 1] : undefined;
  if (!baseUrl) {
    console.error('usage: npx tsx scripts/page-tour-records.ts --base-url http://127.0.0.1:PORT');
    process.exit(2);
  }
  return baseUrl.replace(/\/$/, '');
}

/** A China calendar day `days` from today, and an instant at `hour`:00 China time on it. */
function chinaDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
const chinaInstant = (days: number, hour: number): string => new Date(`${chinaDay(days)}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

interface Session {
  get: (path: string) => Promise<unknown>;
  post: (path: string, body: unknown) => Promise<unknown>;
  close: () => Promise<void>;
}

async function signIn(baseUrl: string, username: string): Promise<Session> {
  // The CSRF check wants the app's own origin on a write.
  const api: APIRequestContext = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { Origin: baseUrl, Accept: 'application/json' } });
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, csrf?: string): Promise<unknown> => {
    const response = await api.fetch(path, { method, data: body, headers: csrf ? { 'x-csrf-token': csrf } : {} });
    if (!response.ok()) throw new Error(`${method} ${path} as ${username}: ${response.status()} ${await response.text()}`);
    return response.json();
  };
  await call('POST', '/api/auth/login', { username, password: DEMO_PASSWORD });
  const { csrfToken } = (await call('GET', '/api/me')) as { csrfToken: string };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body, csrfToken), close: () => api.dispose() };
}

async function main(): Promise<void> {
  const baseUrl = baseUrlArg();
  const director = await signIn(baseUrl, DIRECTOR);
  const { items: children } = (await director.get('/api/children?sort=name&pageSize=200&status=active')) as { items: { id: string; name: string; birthDate: string }[] };
  const child = [...children].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.birthDate.localeCompare(b.birthDate))[0];
  if (!child) throw new Error(`${DIRECTOR} has no active child: is this the demo seed?`);

  await director.post(`/api/children/${child.id}/reports`, {
    triggers: ['abandoned_or_neglected'],
    discoveredAt: chinaInstant(-2, 10),
    reporterName: '李主任',
    description: '页面巡检用的示例报告 (page tour sample report)',
  });
  const { items: organisations } = (await director.get(`/api/children/${child.id}/referral-organisations`)) as { items: { id: string; kind: string }[] };
  const police = organisations.find((o) => o.kind === 'police');
  if (!police) throw new Error('no police organisation may receive a referral about the child');
  await director.post(`/api/children/${child.id}/referrals`, {
    toOrganisationId: police.id,
    reason: '页面巡检用的示例转介 (page tour sample referral)',
    urgency: 'urgent',
    acceptBy: chinaInstant(2, 18),
    shareContacts: false,
  });
  await director.post(`/api/children/${child.id}/orders`, {
    kind: 'temporary_guardianship',
    startedOn: chinaDay(-1),
    placement: 'relative',
    placementName: '陈平艳',
    ground: 'guardian_missing',
    assessment: '页面巡检用的示例 (page tour sample)',
  });
  await director.close();

  const county = await signIn(baseUrl, COUNTY);
  await county.post('/api/campaigns', {
    name: '页面巡检示例核查 (page tour sample)',
    regionCode: DIRECTOR_VILLAGE,
    startDate: chinaDay(-1),
    endDate: chinaDay(29),
    categories: [],
    checklist: [{ key: 'at_home', label: '孩子在家 (child at home)' }],
  });
  await county.close();
  console.log(`Added a report, a referral to the police, an order about ${child.name} and a campaign over ${DIRECTOR_VILLAGE} at ${baseUrl}.`);
}

await main();
