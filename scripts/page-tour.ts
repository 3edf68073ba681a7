/**
 * `npx tsx scripts/page-tour.ts --base-url http://127.0.0.1:PORT --out DIR [--roles director,county] [--pages home,child]`
 * (also `npm run tour -- …`): every page each demo role can reach, as a full-page PNG at a phone's
 * 360×740 (mobile, touch) and a desktop's 1366×900, named `<role>-<page>-<360|1366>.png`.
 *
 * Made to compare two builds of the web app (issue 14 §6: no change a user can see), so it knows
 * the app only by its URLs and its JSON API, never by importing web code: the same tour runs
 * against an older tree. Each role signs in through the form once; a page is visited when the
 * role holds its permission (GET /api/me). Pages about one record take the record from the API
 * as that user, picked the same way on every run (children by name, others in the list's own
 * order), so two servers seeded alike show the same record. A page whose record does not exist
 * (no report in the demo seed, say) is listed as skipped.
 *
 * Read-only: every request but the sign-in that is not GET/HEAD is aborted and listed (a page that
 * writes on opening would show up there). One browser, one page at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'demo1234';

/** One demo account per role (README.md, Demo accounts). */
const ROLES: readonly { role: string; username: string }[] = [
  { role: 'director', username: 'director-431202001201' },
  { role: 'supervisor', username: 'supervisor-431202001000' },
  { role: 'county', username: 'county-431202' },
  { role: 'city', username: 'city-431200' },
  { role: 'agency', username: 'agency-police' },
  { role: 'school', username: 'school-demo' },
  { role: 'volunteer', username: 'volunteer-demo' },
  { role: 'sysadmin', username: 'sysadmin' },
];

const VIEWPORTS = [
  { label: '360', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  { label: '1366', viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false },
] as const;

/** The records a page may be about, found through the API as the signed-in user. */
interface Records {
  child: string | null;
  /** A visit of the first child (in name order) that has one. */
  visit: string | null;
  report: string | null;
  referral: string | null;
  order: string | null;
  campaign: string | null;
  inboxReferral: string | null;
  pupil: string | null;
  pupilVisit: string | null;
}

interface TourPage {
  name: string;
  /** The action the page needs (as the web app's routes declare it); null: every signed-in user. */
  permission: string | null;
  /** The URL path, or null when the record it is about does not exist for this user. */
  path: (records: Records) => string | null;
}

const of = (id: string | null, build: (id: string) => string): string | null => (id === null ? null : build(id));

/** Every route of the signed-in app (web/src/features/*\/index.ts; before issue 14, web/src/routes.tsx). */
const PAGES: readonly TourPage[] = [
  { name: 'home', permission: null, path: () => '/' },
  { name: 'worklist', permission: 'worklist.read', path: () => '/worklist' },
  { name: 'outbox', permission: 'visit.record', path: () => '/outbox' },
  { name: 'inbox', permission: 'referral.inbox', path: () => '/inbox' },
  { name: 'inbox-referral', permission: 'referral.inbox', path: (r) => of(r.inboxReferral, (id) => `/inbox/${id}`) },
  { name: 'reports', permission: 'report.read', path: () => '/reports' },
  { name: 'report', permission: 'report.read', path: (r) => of(r.report, (id) => `/reports/${id}`) },
  { name: 'referrals', permission: 'referral.read', path: () => '/referrals' },
  { name: 'referral', permission: 'referral.read', path: (r) => of(r.referral, (id) => `/referrals/${id}`) },
  { name: 'orders', permission: 'order.read', path: () => '/orders' },
  { name: 'order', permission: 'order.read', path: (r) => of(r.order, (id) => `/orders/${id}`) },
  { name: 'campaigns', permission: 'campaign.read', path: () => '/campaigns' },
  { name: 'campaign', permission: 'campaign.read', path: (r) => of(r.campaign, (id) => `/campaigns/${id}`) },
  { name: 'children', permission: 'child.read', path: () => '/children' },
  { name: 'child-review', permission: 'child.approve', path: () => '/children/review' },
  { name: 'child-new', permission: 'child.register', path: () => '/children/new' },
  { name: 'children-import', permission: 'child.import', path: () => '/children/import' },
  { name: 'child', permission: 'child.read', path: (r) => of(r.child, (id) => `/children/${id}`) },
  { name: 'child-edit', permission: 'child.update', path: (r) => of(r.child, (id) => `/children/${id}/edit`) },
  { name: 'visit-new', permission: 'visit.record', path: (r) => of(r.child, (id) => `/children/${id}/visits/new`) },
  { name: 'visit-edit', permission: 'visit.record', path: (r) => of(r.visit, (id) => `/visits/${id}/edit`) },
  { name: 'letter-print', permission: 'letter.record', path: (r) => of(r.child, (id) => `/children/${id}/letters/guardian/print`) },
  { name: 'report-new', permission: 'report.create', path: (r) => of(r.child, (id) => `/children/${id}/reports/new`) },
  { name: 'referral-new', permission: 'referral.create', path: (r) => of(r.child, (id) => `/children/${id}/referrals/new`) },
  { name: 'order-new', permission: 'order.record', path: (r) => of(r.child, (id) => `/children/${id}/orders/new`) },
  { name: 'regions', permission: 'region.read', path: () => '/regions' },
  { name: 'coverage', permission: 'coverage.read', path: () => '/coverage' },
  { name: 'users', permission: 'user.read', path: () => '/users' },
  { name: 'organisations', permission: 'organisation.read', path: () => '/organisations' },
  { name: 'audit', permission: 'audit.read', path: () => '/audit' },
  { name: 'settings', permission: 'settings.manage', path: () => '/settings' },
  { name: 'pupils', permission: 'pupil.read', path: () => '/pupils' },
  { name: 'pupil-visit-new', permission: 'pupil.visit', path: (r) => of(r.pupil, (id) => `/pupils/${id}/visits/new`) },
  { name: 'pupil-visit-edit', permission: 'pupil.visit', path: (r) => of(r.pupilVisit, (id) => `/pupils/visits/${id}/edit`) },
  { name: 'account', permission: null, path: () => '/account' },
  { name: 'not-found', permission: null, path: () => '/no-such-page' },
];

const SETTLE_TIMEOUT_MS = 30_000;

// ------------------------------------------------------------------ arguments

function parseArgs() {
  const argv = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (flag: string): string[] | null => value(flag)?.split(',').filter(Boolean) ?? null;
  const baseUrl = value('--base-url');
  const out = value('--out');
  if (!baseUrl || !out) {
    console.error('usage: npx tsx scripts/page-tour.ts --base-url http://127.0.0.1:PORT --out DIR [--roles a,b] [--pages x,y]');
    process.exit(2);
  }
  return { baseUrl: baseUrl.replace(/\/$/, ''), out: path.resolve(out), roles: list('--roles'), pages: list('--pages') };
}

// ------------------------------------------------------------------ the API, as the signed-in user

interface Listed {
  id: string;
  name?: string;
  birthDate?: string;
}

async function getJson(request: APIRequestContext, baseUrl: string, urlPath: string): Promise<unknown> {
  const response = await request.get(`${baseUrl}${urlPath}`, { headers: { Accept: 'application/json' } });
  if (!response.ok()) throw new Error(`GET ${urlPath}: ${response.status()}`);
  return response.json();
}

async function listItems(request: APIRequestContext, baseUrl: string, urlPath: string): Promise<Listed[]> {
  const body = (await getJson(request, baseUrl, urlPath)) as { items?: Listed[] };
  return body.items ?? [];
}

async function permissionsOf(request: APIRequestContext, baseUrl: string): Promise<Set<string>> {
  const me = (await getJson(request, baseUrl, '/api/me')) as { permissions: string[] };
  return new Set(me.permissions);
}

/** Children in name order (then birth date): the server's tie-break may differ between runs, this does not. */
function byNameThenBirth(a: Listed, b: Listed): number {
  return (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN') || (a.birthDate ?? '').localeCompare(b.birthDate ?? '');
}

async function findRecords(request: APIRequestContext, baseUrl: string, can: Set<string>): Promise<Records> {
  const first = async (permission: string, urlPath: string): Promise<string | null> =>
    can.has(permission) ? ((await listItems(request, baseUrl, urlPath))[0]?.id ?? null) : null;

  const children = can.has('child.read') ? (await listItems(request, baseUrl, '/api/children?sort=name&pageSize=200&status=active')).sort(byNameThenBirth) : [];
  let visit: string | null = null;
  for (const child of children.slice(0, 30)) {
    visit = (await listItems(request, baseUrl, `/api/children/${child.id}/visits?pageSize=1`))[0]?.id ?? null;
    if (visit) break;
  }
  const pupils = can.has('pupil.read') ? (await listItems(request, baseUrl, '/api/pupils?pageSize=200')).sort(byNameThenBirth) : [];
  const pupilVisit = pupils.map((p) => (p as Listed & { correctableVisit?: { id: string } | null }).correctableVisit?.id).find((id) => id) ?? null;

  return {
    child: children[0]?.id ?? null,
    visit,
    report: await first('report.read', '/api/reports?pageSize=1'),
    referral: await first('referral.read', '/api/referrals?pageSize=1'),
    order: await first('order.read', '/api/orders?pageSize=1'),
    campaign: await first('campaign.read', '/api/campaigns?pageSize=1'),
    inboxReferral: await first('referral.inbox', '/api/inbox/referrals?pageSize=1'),
    pupil: can.has('pupil.visit') ? (pupils[0]?.id ?? null) : null,
    pupilVisit: can.has('pupil.visit') ? pupilVisit : null,
  };
}

// ------------------------------------------------------------------ the browser

/** Writes are refused: the tour looks, it never changes the data it compares. */
async function readOnly(context: BrowserContext, blocked: string[]): Promise<void> {
  await context.route('**/*', async (route) => {
    const request = route.request();
    const method = request.method();
    const { pathname } = new URL(request.url());
    if (method === 'GET' || method === 'HEAD' || (method === 'POST' && pathname === '/api/auth/login')) return route.continue();
    blocked.push(`${method} ${pathname}`);
    return route.abort('blockedbyclient');
  });
}

async function newContext(browser: Browser, viewport: (typeof VIEWPORTS)[number], storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: viewport.viewport,
    isMobile: viewport.isMobile,
    hasTouch: viewport.hasTouch,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    storageState,
  });
  context.setDefaultTimeout(SETTLE_TIMEOUT_MS);
  return context;
}

async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('scope-breadcrumb').first().waitFor();
}

/** Until nothing loads: no request in flight, no skeleton, no spinning spinner, the fonts in. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelector('.ant-skeleton, .ant-spin-spinning') === null, null, { timeout: SETTLE_TIMEOUT_MS });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForLoadState('networkidle');
  // Charts draw over a few frames after their data arrives.
  await page.waitForTimeout(400);
}

async function shoot(page: Page, baseUrl: string, urlPath: string, file: string): Promise<void> {
  await page.goto(`${baseUrl}${urlPath}`);
  await settle(page);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
}

// ------------------------------------------------------------------ the tour

interface Outcome {
  role: string;
  shot: string[];
  skipped: string[];
  failed: string[];
}

async function tourRole(browser: Browser, baseUrl: string, out: string, account: (typeof ROLES)[number], only: string[] | null, blocked: string[]): Promise<Outcome> {
  const outcome: Outcome = { role: account.role, shot: [], skipped: [], failed: [] };
  const desktop = VIEWPORTS.find((v) => v.label === '1366')!;
  const signInContext = await newContext(browser, desktop);
  await readOnly(signInContext, blocked);
  const signInPage = await signInContext.newPage();
  await signIn(signInPage, baseUrl, account.username);
  const state = await signInContext.storageState();
  const can = await permissionsOf(signInContext.request, baseUrl);
  const records = await findRecords(signInContext.request, baseUrl, can);
  await signInContext.close();

  const pages = PAGES.filter((p) => (p.permission === null || can.has(p.permission)) && (only === null || only.includes(p.name)));
  for (const viewport of VIEWPORTS) {
    // The session cookie goes over: one sign-in per role keeps well under the sign-in rate limit.
    const context = await newContext(browser, viewport, state);
    await readOnly(context, blocked);
    const page = await context.newPage();
    for (const tourPage of pages) {
      const urlPath = tourPage.path(records);
      const name = `${account.role}-${tourPage.name}-${viewport.label}`;
      if (urlPath === null) {
        if (viewport === VIEWPORTS[0]) outcome.skipped.push(tourPage.name);
        continue;
      }
      try {
        await shoot(page, baseUrl, urlPath, path.join(out, `${name}.png`));
        outcome.shot.push(name);
        console.log(`  ${name}  ${urlPath}`);
      } catch (error) {
        outcome.failed.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        console.log(`  ${name}  FAILED`);
      }
    }
    await context.close();
  }
  return outcome;
}

async function tourSignIn(browser: Browser, baseUrl: string, out: string): Promise<string[]> {
  const shot: string[] = [];
  for (const viewport of VIEWPORTS) {
    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    const name = `public-sign-in-${viewport.label}`;
    await shoot(page, baseUrl, '/sign-in', path.join(out, `${name}.png`));
    shot.push(name);
    await context.close();
  }
  return shot;
}

async function main(): Promise<void> {
  const { baseUrl, out, roles, pages } = parseArgs();
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
  });
  const blocked: string[] = [];
  const outcomes: Outcome[] = [];
  try {
    if (roles === null || roles.includes('public')) {
      console.log('public');
      outcomes.push({ role: 'public', shot: await tourSignIn(browser, baseUrl, out), skipped: [], failed: [] });
    }
    for (const account of ROLES.filter((a) => roles === null || roles.includes(a.role))) {
      console.log(account.role);
      outcomes.push(await tourRole(browser, baseUrl, out, account, pages, blocked));
    }
  } finally {
    await browser.close();
  }

  console.log('\nrole         pages  shots  skipped (no record)');
  for (const o of outcomes) {
    console.log(`${o.role.padEnd(12)} ${String(o.shot.length / VIEWPORTS.length).padStart(5)}  ${String(o.shot.length).padStart(5)}  ${o.skipped.join(', ')}`);
  }
  const failed = outcomes.flatMap((o) => o.failed);
  if (blocked.length > 0) console.log(`\nWrites refused (${blocked.length}):\n  ${[...new Set(blocked)].join('\n  ')}`);
  if (failed.length > 0) console.log(`\nFailed (${failed.length}):\n  ${failed.join('\n  ')}`);
  console.log(`\n${outcomes.reduce((n, o) => n + o.shot.length, 0)} screenshots in ${out}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
