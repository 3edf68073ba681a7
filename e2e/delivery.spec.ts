/**
 * The server the browser suite starts is `npm start` (server/main.ts) with the web app as
 * built: its files go out as compressed at build, and a reopen takes them from the cache
 * without asking the server (issue 12 §18).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowser } from './support/browser.js';
import { REPO_ROOT } from './support/server.js';

const DIST = path.join(REPO_ROOT, 'web/dist');

/** The bytes as they crossed the wire, not decoded (fetch and Playwright both decode). */
function rawGet(url: string, acceptEncoding: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

interface Seen {
  url: string;
  status: number;
  fromCache: boolean;
}

/** Every /assets/ request of the page: its status on the wire and whether the cache answered it. */
async function watchAssets(cdp: CDPSession): Promise<() => Seen[]> {
  const seen = new Map<string, Seen>();
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', (e) => {
    if (!new URL(e.response.url).pathname.startsWith('/assets/')) return;
    const prior = seen.get(e.requestId);
    // The service worker answers from its own caches (the precache, the scripts it kept); what it misses it
    // fetches through the same HTTP cache, where these files are immutable.
    const cached = e.response.fromDiskCache || e.response.fromPrefetchCache === true || e.response.fromServiceWorker === true;
    seen.set(e.requestId, { url: e.response.url, status: prior?.status ?? e.response.status, fromCache: prior?.fromCache || cached });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const prior = seen.get(e.requestId);
    seen.set(e.requestId, { url: prior?.url ?? '', status: prior?.status ?? 200, fromCache: true });
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const prior = seen.get(e.requestId);
    if (prior) prior.status = e.statusCode;
    else seen.set(e.requestId, { url: '', status: e.statusCode, fromCache: false });
  });
  return () => [...seen.values()].filter((s) => s.url);
}

async function homeShown(page: Page): Promise<void> {
  await page.locator('.home-page').waitFor();
  await page.locator('.home-page .ant-skeleton').first().waitFor({ state: 'detached' });
}

describe('the web app as npm start serves it (issue 12 §18)', () => {
  const browser = useBrowser();

  it('sends the built files brotli- or gzip-compressed as they were at build, hashed ones immutable, index.html no-cache', async () => {
    const index = await rawGet(`${browser.baseURL}/`, 'gzip, deflate, br, zstd');
    expect(index.headers['content-encoding']).toBe('br');
    expect(index.headers['cache-control']).toBe('no-cache');
    const html = zlib.brotliDecompressSync(index.body).toString('utf8');
    const entry = /<script type="module"[^>]* src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, html).toBeTruthy();

    const br = await rawGet(`${browser.baseURL}${entry}`, 'gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The very file the build wrote beside the script, not one compressed per request.
    expect(br.body.equals(fs.readFileSync(path.join(DIST, `${entry}.br`)))).toBe(true);

    const gz = await rawGet(`${browser.baseURL}${entry}`, 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.equals(fs.readFileSync(path.join(DIST, `${entry}.gz`)))).toBe(true);
    expect(gz.body.length).toBeLessThan(fs.statSync(path.join(DIST, entry!)).size / 2);
  });

  it('reopened, the app takes its scripts and styles from the cache without asking the server', async () => {
    const page = await browser.freshPage({ width: 360, height: 740 });
    await signIn(page, 'director-431202001201');
    await homeShown(page);

    // A new tab, opened before the first is closed (closing a browser's last tab ends its session cookie).
    const again = await browser.context.newPage();
    await page.close();
    const assets = await watchAssets(await browser.context.newCDPSession(again));
    await again.goto(`${browser.baseURL}/`);
    await homeShown(again);
    const seen = assets();
    // The home page's scripts (one shell chunk and its runtime since issue 15 §6) and its stylesheet at least.
    expect(seen.filter((s) => s.url.endsWith('.js')).length).toBeGreaterThanOrEqual(2);
    expect(seen.some((s) => s.url.endsWith('.css'))).toBe(true);
    // No request for a hashed file reached the server: none answered 304 or 200 from the network.
    expect(seen.filter((s) => !s.fromCache).map((s) => `${s.status} ${s.url}`)).toEqual([]);
    await again.close();
  });
});
