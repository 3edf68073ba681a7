/**
 * `npm run bench:web [-- --runs 5] [--root [LABEL=]DIR]… [--build] [--url URL] [--json FILE]`: a village director's
 * phone, in Chromium on a throttled profile (issue 12 §18, issue 15 §6): 1.6 Mbps down, 750 kbps up,
 * 150 ms latency, CPU 4× slower, 360×740 screen.
 *
 * Each root (default: this checkout) is started as `npm start` would be, on a scratch demo data
 * directory; each run is a new browser profile (nothing cached) that signs in as the director
 * (the session cookie only, no page loaded) and then times, until the data is on screen:
 *   1. first open of the home page (cold cache), then one tap to the work list;
 *   2. reopen: a new tab on the home page (warm cache), then the same tap.
 * With several roots the runs alternate between them, so that each sees the same load on a
 * shared machine. Prints the median of the runs (and their range), the requests and bytes on
 * the wire of each step, and the gzip size of the JavaScript the first open loaded.
 * `--url URL` measures a server already running with the demo data instead of starting one.
 * A benchmark, not a test: nothing here runs in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { REPO_ROOT, startServer, type RunningServer } from '../e2e/support/server.js';

const PROFILE = { downKbps: 1600, upKbps: 750, latencyMs: 150, cpuSlowdown: 4, width: 360, height: 740 };
/** Issue 15 §6: the JavaScript of the first page at most 300 KB gzip, the page usable within 5 s on this profile. */
const FIRST_PAGE_BUDGET = { jsGzipBytes: 300 * 1024, usableMs: 5000 };
const DIRECTOR = 'director-431202001201';
const DEMO_PASSWORD = 'demo1234';
const STEP_TIMEOUT_MS = 120_000;
/** After the data is on screen, a step lasts until no request has been in flight for this long (what it pulls in afterwards counts). */
const QUIET_MS = 1000;

// ------------------------------------------------------------------ arguments

interface Root {
  label: string;
  dir: string;
}

function args() {
  const argv = process.argv.slice(2);
  const values = (flag: string) => argv.flatMap((a, i) => (a === flag && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
  const roots: Root[] = values('--root').map((spec) => {
    const eq = spec.indexOf('=');
    const dir = path.resolve(eq > 0 ? spec.slice(eq + 1) : spec);
    return { label: eq > 0 ? spec.slice(0, eq) : path.basename(dir), dir };
  });
  const runs = Number(values('--runs')[0] ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  return {
    roots: roots.length > 0 ? roots : [{ label: path.basename(REPO_ROOT), dir: REPO_ROOT }],
    runs,
    build: argv.includes('--build'),
    json: values('--json')[0],
    user: values('--user')[0] ?? DIRECTOR,
    /** A server already running (demo data), measured instead of starting the root; the root still gives web/dist for the JS sizes. */
    url: values('--url')[0],
  };
}

/** `npm run build:web` in a root when asked, or when it has no build yet. */
function ensureBuilt(root: Root, force: boolean, log: (s: string) => void): void {
  if (!force && fs.existsSync(path.join(root.dir, 'web/dist/index.html'))) return;
  log(`Building the web app in ${root.dir}…`);
  const result = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root.dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed in ${root.dir}`);
}

// ------------------------------------------------------------------ the page side

interface Marks {
  home?: number;
  tap?: number;
  worklist?: number;
}

/**
 * Runs in every page before its own scripts: notes (performance.now(), from the navigation's
 * start) when the home page's data is first in the DOM, when the work-list link is tapped, and
 * when the work list's rows (or its empty state) first replace its skeleton.
 * A string, not a function: tsx would wrap the inner functions in a helper the page lacks.
 */
const PAGE_MARKS = `(() => {
  const marks = {};
  window.__shouhuBench = marks;
  const homeReady = () => {
    const card = document.querySelector('[data-testid="home-worklist"]');
    if (!card || !document.querySelector('[data-testid="home-scope"]')) return false;
    if (document.querySelector('.home-page .ant-skeleton, .home-page .ant-spin-spinning')) return false;
    return [...card.querySelectorAll('.ant-statistic-content-value')].some((el) => /\\d/.test(el.textContent || ''));
  };
  const worklistReady = () => {
    const page = document.querySelector('.worklist-page');
    if (!page || page.querySelector('.ant-skeleton, .ant-spin-spinning')) return false;
    return page.querySelector('[data-testid="worklist-row"], [data-testid="worklist-empty"]') !== null;
  };
  const check = () => {
    const now = performance.now();
    if (marks.home === undefined && homeReady()) marks.home = now;
    if (marks.tap !== undefined && marks.worklist === undefined && worklistReady()) marks.worklist = now;
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-testid="home-worklist-link"]')) marks.tap = performance.now();
  }, true);
})();`;

async function waitForMark(page: Page, name: keyof Marks): Promise<number> {
  await page.waitForFunction((key) => (window as unknown as { __shouhuBench?: Marks }).__shouhuBench?.[key] !== undefined, name, {
    timeout: STEP_TIMEOUT_MS,
    polling: 100,
  });
  return page.evaluate((key) => (window as unknown as { __shouhuBench: Marks }).__shouhuBench[key]!, name);
}

// ------------------------------------------------------------------ the network side (CDP)

interface StepTraffic {
  /** Requests the page made (data: URLs aside), whether or not the network answered them. */
  requests: number;
  /** Of those, answered from the browser's cache without asking the server. */
  fromCache: number;
  /** Of those, answered 304 Not Modified (a round trip for nothing). */
  notModified: number;
  /** Bytes received on the wire (headers and bodies as sent, compressed or not). */
  bytes: number;
  /** Paths of the scripts requested. */
  scripts: string[];
}

interface Recorder {
  begin(): void;
  /** Waits until nothing has been in flight for QUIET_MS, then returns the step's traffic. */
  end(): Promise<StepTraffic>;
}

/** Throttles the page (network and CPU) and counts what goes over the wire. */
async function throttle(context: BrowserContext, page: Page): Promise<Recorder> {
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PROFILE.latencyMs,
    downloadThroughput: (PROFILE.downKbps * 1000) / 8,
    uploadThroughput: (PROFILE.upKbps * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuSlowdown });

  let step: StepTraffic = { requests: 0, fromCache: 0, notModified: 0, bytes: 0, scripts: [] };
  const inFlight = new Set<string>();
  let lastActivity = Date.now();
  const settle = (id: string) => {
    inFlight.delete(id);
    lastActivity = Date.now();
  };
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:')) return;
    step.requests++;
    if (e.type === 'Script') step.scripts.push(new URL(e.request.url).pathname);
    inFlight.add(e.requestId);
    lastActivity = Date.now();
  });
  // Chromium reports a revalidated response with its cached status (200): the status on the wire is in the extra info.
  const cached = new Set<string>();
  const revalidated = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) cached.add(e.requestId);
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    if (e.statusCode === 304) revalidated.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (inFlight.has(e.requestId)) step.bytes += e.encodedDataLength;
    settle(e.requestId);
  });
  cdp.on('Network.loadingFailed', (e) => settle(e.requestId));

  return {
    begin: () => {
      step = { requests: 0, fromCache: 0, notModified: 0, bytes: 0, scripts: [] };
      cached.clear();
      revalidated.clear();
      inFlight.clear();
      lastActivity = Date.now();
    },
    end: async () => {
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      while (Date.now() < deadline && (inFlight.size > 0 || Date.now() - lastActivity < QUIET_MS)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { ...step, fromCache: cached.size, notModified: revalidated.size };
    },
  };
}

// ------------------------------------------------------------------ one run

const STEPS = ['first open (cold cache)', 'tap: home → work list', 'reopen (warm cache)', 'tap again (warm cache)'] as const;
type StepName = (typeof STEPS)[number];

interface StepResult extends StepTraffic {
  ms: number;
}

interface RunResult {
  steps: Record<StepName, StepResult>;
  /** gzip -9 of the JavaScript files the first open loaded, as built (whatever the server sent). */
  firstPageJsGzipBytes: number;
  firstPageJsFiles: number;
}

function launch(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: PROFILE.width, height: PROFILE.height },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function openHome(context: BrowserContext, baseURL: string): Promise<{ page: Page; recorder: Recorder; result: StepResult }> {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const recorder = await throttle(context, page);
  recorder.begin();
  await page.goto(`${baseURL}/`, { waitUntil: 'commit', timeout: STEP_TIMEOUT_MS });
  const ms = await waitForMark(page, 'home');
  return { page, recorder, result: { ms, ...(await recorder.end()) } };
}

async function tapWorklist(page: Page, recorder: Recorder): Promise<StepResult> {
  recorder.begin();
  await page.locator('[data-testid="home-worklist-link"]').click();
  const shown = await waitForMark(page, 'worklist');
  const tapped = await page.evaluate(() => (window as unknown as { __shouhuBench: Marks }).__shouhuBench.tap!);
  if (!page.url().includes('/worklist')) throw new Error(`the tap led to ${page.url()}, not the work list`);
  return { ms: shown - tapped, ...(await recorder.end()) };
}

async function oneRun(root: Root, baseURL: string, user: string): Promise<RunResult> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-bench-web-'));
  const context = await launch(profileDir);
  try {
    await context.addInitScript({ content: PAGE_MARKS });
    // The session cookie only: the browser has loaded nothing of the app before the first open.
    const login = await context.request.post(`${baseURL}/api/auth/login`, { data: { username: user, password: DEMO_PASSWORD } });
    if (!login.ok()) throw new Error(`sign-in of ${user} failed: ${login.status()} ${await login.text()}`);

    const first = await openHome(context, baseURL);
    const tap = await tapWorklist(first.page, first.recorder);
    await first.page.close();
    const again = await openHome(context, baseURL);
    const tapAgain = await tapWorklist(again.page, again.recorder);
    await again.page.close();

    const scripts = [...new Set(first.result.scripts)];
    const firstPageJsGzipBytes = scripts.reduce((sum, p) => {
      const file = path.join(root.dir, 'web/dist', p);
      return fs.existsSync(file) ? sum + zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length : sum;
    }, 0);
    return {
      steps: { 'first open (cold cache)': first.result, 'tap: home → work list': tap, 'reopen (warm cache)': again.result, 'tap again (warm cache)': tapAgain },
      firstPageJsGzipBytes,
      firstPageJsFiles: scripts.length,
    };
  } finally {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

function summarise(results: RunResult[]) {
  const steps = Object.fromEntries(
    STEPS.map((name) => {
      const xs = results.map((r) => r.steps[name]);
      const ms = xs.map((x) => x.ms);
      return [
        name,
        {
          ms: median(ms),
          minMs: Math.min(...ms),
          maxMs: Math.max(...ms),
          runsMs: ms.map((x) => Math.round(x)),
          requests: median(xs.map((x) => x.requests)),
          fromCache: median(xs.map((x) => x.fromCache)),
          notModified: median(xs.map((x) => x.notModified)),
          bytes: median(xs.map((x) => x.bytes)),
        },
      ];
    }),
  ) as Record<StepName, { ms: number; minMs: number; maxMs: number; runsMs: number[]; requests: number; fromCache: number; notModified: number; bytes: number }>;
  return { steps, firstPageJsGzipBytes: median(results.map((r) => r.firstPageJsGzipBytes)), firstPageJsFiles: median(results.map((r) => r.firstPageJsFiles)) };
}

async function main() {
  const opts = args();
  const log = (s: string) => console.log(s);
  if (opts.url && opts.roots.length > 1) throw new Error('--url measures one server: give at most one --root with it');
  if (!opts.url) for (const root of opts.roots) ensureBuilt(root, opts.build, log);

  const servers: Pick<RunningServer, 'baseURL' | 'stop'>[] = opts.url ? [{ baseURL: opts.url.replace(/\/$/, ''), stop: async () => {} }] : [];
  const results = new Map<Root, RunResult[]>(opts.roots.map((r) => [r, []]));
  try {
    for (const root of opts.url ? [] : opts.roots) {
      log(`Starting ${root.label} (${root.dir}) on a scratch demo data directory (the first start seeds the demo network)…`);
      servers.push(await startServer({ root: root.dir }));
    }
    for (let run = 0; run < opts.runs; run++) {
      // Alternate the order, so that no root always runs right after the other.
      const order = opts.roots.map((root, i) => ({ root, server: servers[i]! }));
      if (run % 2 === 1) order.reverse();
      for (const { root, server } of order) {
        const r = await oneRun(root, server.baseURL, opts.user);
        results.get(root)!.push(r);
        log(`  run ${run + 1}/${opts.runs} ${root.label}: ${STEPS.map((s) => `${s} ${seconds(r.steps[s].ms)}`).join(', ')}`);
      }
    }
  } finally {
    for (const server of servers) await server.stop();
  }

  const summaries = opts.roots.map((root) => ({ root, ...summarise(results.get(root)!) }));
  const col = 30;
  const line = (label: string, cells: string[]) => label.padEnd(34) + cells.map((c) => c.padStart(col)).join('');
  log('');
  log(
    `Shouhu web bench — ${opts.user} in Chromium, ${PROFILE.downKbps / 1000} Mbps down / ${PROFILE.upKbps} kbps up / ${PROFILE.latencyMs} ms latency, ` +
      `CPU ${PROFILE.cpuSlowdown}× slower, ${PROFILE.width}×${PROFILE.height}; median of ${opts.runs} run(s) (min–max), until the data is on screen.`,
  );
  log(line('', summaries.map((s) => s.root.label)));
  for (const name of STEPS) {
    log(line(name, summaries.map((s) => `${seconds(s.steps[name].ms)} (${(s.steps[name].minMs / 1000).toFixed(1)}–${(s.steps[name].maxMs / 1000).toFixed(1)})`)));
    log(line('  requests (cached / 304)', summaries.map((s) => `${s.steps[name].requests} (${s.steps[name].fromCache} / ${s.steps[name].notModified})`)));
    log(line('  bytes on the wire', summaries.map((s) => kb(s.steps[name].bytes))));
  }
  log(line('JS of the first page, gzip -9', summaries.map((s) => `${kb(s.firstPageJsGzipBytes)} in ${s.firstPageJsFiles} files`)));
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  log(
    line(
      'first page (≤ 300 KB, ≤ 5 s)',
      summaries.map((s) => {
        const usableMs = s.steps['first open (cold cache)'].ms;
        return `${kb(s.firstPageJsGzipBytes)} ${mark(s.firstPageJsGzipBytes <= FIRST_PAGE_BUDGET.jsGzipBytes)}  ${seconds(usableMs)} ${mark(usableMs <= FIRST_PAGE_BUDGET.usableMs)}`;
      }),
    ),
  );
  log('(issue 15 §6: the JavaScript of the first page at most 300 KB gzip, usable — its data on screen, cold cache — within 5 s)');

  if (opts.json) {
    const out = summaries.map((s) => ({ root: s.root.label, dir: s.root.dir, profile: PROFILE, user: opts.user, runs: opts.runs, steps: s.steps, firstPageJsGzipBytes: s.firstPageJsGzipBytes, firstPageJsFiles: s.firstPageJsFiles, firstPageBudget: FIRST_PAGE_BUDGET, firstPageWithinBudget: s.firstPageJsGzipBytes <= FIRST_PAGE_BUDGET.jsGzipBytes && s.steps['first open (cold cache)'].ms <= FIRST_PAGE_BUDGET.usableMs }));
    fs.writeFileSync(opts.json, JSON.stringify(out, null, 2) + '\n');
    log(`Wrote ${opts.json}`);
  }
}

await main();
