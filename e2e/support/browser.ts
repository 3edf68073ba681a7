/** Chromium driven by playwright-core (Debian's /usr/bin/chromium; never `playwright install`). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { Me } from '../../domain/api.js';
import { REPO_ROOT } from './server.js';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'e2e/screenshots');
export const DEMO_PASSWORD = 'demo1234';

export interface BrowserSession {
  context: BrowserContext;
  baseURL: string;
  /** A new tab with no session and the default language. */
  freshPage: (viewport?: { width: number; height: number }) => Promise<Page>;
  /** Uncaught exceptions thrown in any page, and Content-Security-Policy violations, since the last call (a crash the UI may hide). */
  takePageErrors: () => string[];
  /**
   * Closes Chromium at once, pages, requests in flight and all, and starts it again on the same profile (its
   * IndexedDB, service worker, caches and persistent cookies), as a phone does when the browser is killed.
   */
  restart: () => Promise<void>;
  close: () => Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const baseURL = inject('baseURL');
  if (!baseURL) throw new Error('No baseURL: the e2e global setup did not start the server');
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-e2e-chromium-'));
  let pageErrors: string[] = [];
  const launch = async () => {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.setDefaultTimeout(20_000);
    context.on('weberror', (error) => pageErrors.push(error.error().message));
    // Something the Content-Security-Policy blocked (a style, a script, an image) fails the spec too (issue 11 §11):
    // Chromium reports it on the console, and each page reports its violations there as well.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`);
      });
    });
    context.on('console', (message) => {
      if (message.type() === 'error' && /content.security.policy/i.test(message.text())) pageErrors.push(`CSP: ${message.text()}`);
    });
    return context;
  };
  let context = await launch();
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    get context() {
      return context;
    },
    baseURL,
    freshPage: async (viewport) => {
      for (const page of context.pages()) await page.close();
      await context.clearCookies();
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      await page.goto(`${baseURL}/sign-in`);
      await page.evaluate(() => window.localStorage.clear());
      await page.reload();
      return page;
    },
    takePageErrors: () => {
      const errors = pageErrors;
      pageErrors = [];
      return errors;
    },
    restart: async () => {
      await context.close();
      context = await launch();
    },
    close: async () => {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * One browser for the enclosing describe block: opened before its tests,
 * closed after them, and every test fails on an uncaught error in a page.
 * The returned session is usable from the first test on.
 */
export function useBrowser(): BrowserSession {
  let session: BrowserSession | null = null;
  beforeAll(async () => {
    session = await openBrowser();
  });
  // A failure says what the browser showed: each page's address and visible words in the log (CI keeps no files),
  // and a screenshot beside the others.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      for (const [i, page] of (session?.context.pages() ?? []).entries()) {
        const text = await page.evaluate(() => document.body.innerText).catch((error: unknown) => `(unreadable: ${String(error)})`);
        console.error(`[${task.name}] page ${i + 1} at ${page.url()} shows:\n${text.replace(/\s+\n/g, '\n').slice(0, 2000)}`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `failed-${task.id}-${i + 1}.png`), fullPage: true }).catch(() => undefined);
      }
    });
  });
  afterEach(() => {
    expect(session!.takePageErrors()).toEqual([]);
  });
  afterAll(async () => {
    await session?.close();
  });
  return new Proxy({} as BrowserSession, {
    get: (_target, key) => {
      if (!session) throw new Error('the browser opens in beforeAll: use it inside a test');
      return Reflect.get(session, key) as unknown;
    },
  });
}

/** The whole page by default; `fullPage: false` keeps only the viewport (a modal over a long page). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** Signs in through the form and waits for the signed-in layout. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('scope-breadcrumb').first().waitFor();
}

/** The session as the server sees it (the page's cookies), parsed with the shared contract. */
export async function fetchMe(page: Page): Promise<Me> {
  const json: unknown = await page.evaluate(async () => {
    const response = await fetch('/api/me', { credentials: 'same-origin' });
    return (await response.json()) as unknown;
  });
  return Me.parse(json);
}

/** JSON from the API with the page's session (and its CSRF token on a write), as the page itself would call it. */
export async function api(page: Page, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const csrf = method === 'GET' ? null : (await fetchMe(page)).csrfToken;
  return page.evaluate(
    async ({ method, path, body, csrf }) => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (csrf) headers['x-csrf-token'] = csrf;
      const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as unknown };
    },
    { method, path, body, csrf },
  );
}

/**
 * Whether the page is wider than the screen. Right after `setViewportSize` the app may still be drawing the
 * other width's layout (antd's breakpoints re-render on the resize event), so the page gets a moment to settle
 * before a wide page counts: an overflow that is still there after three seconds is a real one.
 */
export async function hasHorizontalOverflow(page: Page): Promise<boolean> {
  const overflows = () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  const deadline = Date.now() + 3_000;
  while (await overflows()) {
    if (Date.now() > deadline) return true;
    await page.waitForTimeout(100);
  }
  return false;
}
