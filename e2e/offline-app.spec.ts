/**
 * The installable app (issue 15 §1): after one visit online, the service worker keeps the app, so
 * it opens with no signal; the pages say they are offline where their data cannot load, and the
 * worker never answers nor keeps an /api/ request. The manifest is linked and installable.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowser } from './support/browser.js';
import { overdueNewChildren } from './support/children.js';
import { REPO_ROOT } from './support/server.js';

const SW_FILES = ['sw.js', 'sw.js.br', 'sw.js.gz'].map((name) => path.join(REPO_ROOT, 'web/dist', name));

/**
 * The server's sw.js as a new build would change it (the server reads its files per request), in its
 * plain and precompressed forms: it answers "which build?" with `build`. Returns the undo.
 */
function deployNewWorker(build: string): () => void {
  const saved = SW_FILES.map((file) => (fs.existsSync(file) ? fs.readFileSync(file) : null));
  const script = `${fs.readFileSync(SW_FILES[0]!, 'utf8')}\nself.addEventListener('message', (e) => { if (e.data === 'build?') e.source.postMessage('${build}'); });\n`;
  fs.writeFileSync(SW_FILES[0]!, script);
  if (saved[1]) fs.writeFileSync(SW_FILES[1]!, zlib.brotliCompressSync(script));
  if (saved[2]) fs.writeFileSync(SW_FILES[2]!, zlib.gzipSync(script));
  return () => SW_FILES.forEach((file, i) => (saved[i] ? fs.writeFileSync(file, saved[i]) : fs.rmSync(file, { force: true })));
}

/** What the worker running the page answers to "which build?" (the built one does not answer). */
function askBuild(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        navigator.serviceWorker.addEventListener('message', (e) => resolve(String(e.data)), { once: true });
        navigator.serviceWorker.controller?.postMessage('build?');
        setTimeout(() => resolve('no answer'), 2000);
      }),
  );
}

const DIRECTOR = 'director-431202001201';
const SUPERVISOR = 'supervisor-431202001000';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Every URL the page's caches hold (the worker's precache and its kept scripts), as paths. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** Waits until the service worker is active and runs this page (clientsClaim on its first install). */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 90_000 });
}

describe('the app offline (issue 15 §1)', () => {
  const browser = useBrowser();

  it('links a web app manifest with the fields and icons Chromium needs to install the app', async () => {
    const page = await browser.freshPage();
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const fetched = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { type: response.headers.get('content-type'), text: await response.text() };
    }, href!);
    expect(fetched.type).toMatch(/^application\/manifest\+json/);
    const manifest = JSON.parse(fetched.text) as Record<string, unknown> & { icons: ManifestIcon[] };
    expect(manifest).toMatchObject({ name: '守护 Shouhu', short_name: '守护', lang: 'zh-CN', start_url: '/', display: 'standalone', theme_color: '#1f6f5c' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons) {
      const image = await page.evaluate(async (src) => {
        const response = await fetch(src);
        const bitmap = await createImageBitmap(await response.blob());
        return { status: response.status, type: response.headers.get('content-type'), width: bitmap.width, height: bitmap.height };
      }, icon.src);
      expect(image, icon.src).toEqual({ status: 200, type: 'image/png', width: Number(icon.sizes.split('x')[0]), height: Number(icon.sizes.split('x')[1]) });
    }

    // Chromium's own reading: the manifest parses without errors and nothing stands in the way of installing.
    const cdp = await browser.context.newCDPSession(page);
    const parsed = await cdp.send('Page.getAppManifest');
    expect(parsed.errors).toEqual([]);
    expect(parsed.url).toBe(`${browser.baseURL}/manifest.webmanifest`);
    const installability = await cdp.send('Page.getInstallabilityErrors');
    expect(installability.installabilityErrors.map((e) => e.errorId)).toEqual([]);
    await cdp.detach();
  });

  it('after one visit online, opens with no signal: the shell and menu render and the page says it is offline', async () => {
    // A child of his own on the overdue list, whatever other specs have visited (and signed in as the director).
    const { page, children } = await overdueNewChildren(browser, 1);
    await page.goto(browser.baseURL);
    await page.locator('.home-page').waitFor();
    await page.getByTestId('nav-menu').getByText('工作清单').click();
    await page.getByTestId('worklist-child-link').first().waitFor();
    await controlled(page);
    // The worker runs the page after a reload too, and keeps the shell: index.html and the entry script.
    await page.reload();
    await page.getByTestId('scope-breadcrumb').first().waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${browser.baseURL}/sw.js`);
    const entry = await page.locator('script[type="module"]').first().getAttribute('src');
    const kept = await cachedPaths(page);
    expect(kept).toContain('/index.html');
    expect(kept).toContain(entry);
    expect(kept.filter((p) => p.startsWith('/assets/') && p.endsWith('.js')).length).toBeGreaterThan(20);
    // API answers hold personal data: the worker never keeps one.
    expect(kept.filter((p) => p.startsWith('/api/'))).toEqual([]);
    await expect.poll(() => page.getByTestId('offline-notice').count()).toBe(0);
    // The phone's copy of his village is made once the page is idle (the outbox page says when).
    await page.goto(`${browser.baseURL}/outbox`);
    await expect.poll(() => page.getByTestId('outbox-kept').textContent(), { timeout: 30_000 }).toContain('1 个村');

    await browser.context.setOffline(true);
    try {
      await page.reload();
      // The app shell from the worker, the session as last seen online: the layout, the director's menu and scope.
      await page.getByTestId('scope-breadcrumb').first().waitFor();
      await page.getByTestId('nav-menu').getByText('工作清单').waitFor();
      // A page opened by its address, never opened offline before: index.html from the worker, the page's script from
      // its cache, its data from the phone's copy, and the line says so.
      await page.goto(`${browser.baseURL}/worklist`);
      await page.getByTestId('nav-menu').getByText('工作清单').waitFor();
      const notice = page.getByTestId('offline-notice');
      await expect.poll(() => notice.textContent()).toContain('离线：显示的是手机上保存的数据');
      await page.getByTestId('worklist-child-link').filter({ hasText: children[0]!.name }).waitFor();

      // A page whose data the phone does not keep says so.
      await page.goto(`${browser.baseURL}/referrals`);
      await page.getByTestId('nav-menu').getByText('转介').waitFor();
      await expect.poll(() => notice.textContent()).toContain('离线：暂无离线数据');

      // An /api/ request is not answered by the worker: offline it fails as a network error, never index.html.
      const api = await page.evaluate(async () => {
        try {
          const response = await fetch('/api/me');
          return `answered ${response.status} ${response.headers.get('content-type')}`;
        } catch {
          return 'network error';
        }
      });
      expect(api).toBe('network error');
    } finally {
      await browser.context.setOffline(false);
    }

    // Back online, the work list opened again loads its data from the server and the notice goes away.
    await page.goto(`${browser.baseURL}/worklist`);
    await page.getByTestId('worklist-child-link').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('offline-notice').count()).toBe(0);
  });

  it('signing out forgets the kept session, and the next user of the profile gets his own app', async () => {
    const page = await browser.freshPage();
    await signIn(page, DIRECTOR);
    expect(await page.evaluate(() => window.localStorage.getItem('shouhu.offlineSession'))).toContain(DIRECTOR);
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.locator('#username').waitFor();
    expect(await page.evaluate(() => window.localStorage.getItem('shouhu.offlineSession'))).toBeNull();

    // The worker of the earlier test still runs the profile: a fresh page signs in as another user, served the same build.
    const next = await browser.freshPage();
    expect(await next.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${browser.baseURL}/sw.js`);
    await signIn(next, SUPERVISOR);
    expect(await next.evaluate(() => window.localStorage.getItem('shouhu.offlineSession'))).toContain(SUPERVISOR);
  });

  it('takes a new build at the next start, never under an open page: the new worker waits until every tab is closed', async () => {
    const page = await browser.freshPage();
    await signIn(page, DIRECTOR);
    await controlled(page);
    expect(await askBuild(page)).toBe('no answer');

    const undo = deployNewWorker('build 2');
    try {
      // The browser checks for an update (as it does on each start); the new worker installs and waits.
      const state = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        await registration!.update();
        const installing = registration!.installing ?? registration!.waiting;
        if (installing && installing.state !== 'installed') {
          await new Promise<void>((resolve) => installing.addEventListener('statechange', () => installing.state === 'installed' && resolve()));
        }
        return { waiting: registration!.waiting?.state ?? null };
      });
      expect(state).toEqual({ waiting: 'installed' });
      // The open page keeps the worker it started with, and so does a second tab opened meanwhile.
      expect(await askBuild(page)).toBe('no answer');
      const second = await browser.context.newPage();
      await second.goto(`${browser.baseURL}/worklist`);
      await second.getByTestId('scope-breadcrumb').first().waitFor();
      expect(await askBuild(second)).toBe('no answer');

      // Every tab closed, the app started again: the new build runs it (at the sign-in page: closing the last tab ended the session cookie).
      // Chromium activates the waiting worker a moment after its last client goes: a start within that moment still
      // gets the old worker (and holds it), so a start is tried again, as a user would open the app again.
      let build = 'no answer';
      for (let start = 1; start <= 5 && build !== 'build 2'; start++) {
        for (const open of browser.context.pages()) await open.close();
        await new Promise((resolve) => setTimeout(resolve, 1_000 * start));
        const next = await browser.context.newPage();
        await next.goto(`${browser.baseURL}/`);
        await next.locator('#username').waitFor();
        for (let look = 0; look < 10 && build !== 'build 2'; look++) {
          build = await askBuild(next);
          if (build !== 'build 2') await next.waitForTimeout(500);
        }
      }
      expect(build).toBe('build 2');
    } finally {
      undo();
    }
  });
});
