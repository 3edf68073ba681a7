/**
 * Fast on a cheap phone (issue 12 §18): the web app's files go out as compressed at build
 * (brotli or gzip, as the browser asks) and hashed ones are kept a year without a round trip;
 * index.html is revalidated on every open; API answers are compressed and never stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildDetail } from '../../../domain/children/schema.js';
import { precompressDir } from '../../../web/precompress.js';
import { MANIFEST } from '../../../web/pwa.js';
import { buildApp } from '../../app.js';
import type { Api } from '../../core/http.js';
import { createTestApp, dialectUnderTest, signIn, type Session, type TestApp } from '../../test/harness.js';
import { childInput } from '../children/children.test-data.js';
import { phoneJpeg, uploadPhoto } from '../files/files.test-data.js';

const ASSET = '/assets/index-Cx7zDk7f.js';
const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';
const BROWSER = 'gzip, deflate, br, zstd';
const PUBLIC_ICONS = path.resolve(import.meta.dirname, '../../../web/public/icons');

/** A bundle-like script of ~40 KB: repetitive enough to compress as real JavaScript does. */
function script(): string {
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) lines.push(`export function tile${i}(t){return t("home.worklist.tile${i}",{count:${i * 7},label:"待访视 ${i}"})}`);
  return lines.join('\n');
}

describe(`compression and caching (${dialectUnderTest()})`, () => {
  let t: TestApp;
  let web: Api;
  let webRoot: string;
  let director: Session;
  const js = script();
  const indexHtml = `<!doctype html><html lang="zh-CN"><head><meta charset="UTF-8" /><title>守护 Shouhu</title><script type="module" src="${ASSET}"></script>${'<link rel="modulepreload" href="/assets/chunk-AbCd1234.js" />'.repeat(30)}</head><body><div id="root"></div></body></html>`;

  beforeAll(async () => {
    t = await createTestApp();
    director = await signIn(t, 'director-431202001201');
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), indexHtml);
    fs.writeFileSync(path.join(webRoot, ASSET), js);
    fs.writeFileSync(path.join(webRoot, 'sw.js'), `self.addEventListener('fetch', () => {});\n${'// precache list\n'.repeat(100)}`);
    fs.writeFileSync(path.join(webRoot, 'manifest.webmanifest'), JSON.stringify(MANIFEST));
    fs.mkdirSync(path.join(webRoot, 'icons'));
    fs.copyFileSync(path.join(PUBLIC_ICONS, 'icon-192.png'), path.join(webRoot, 'icons/icon-192.png'));
    // What the build does (web/precompress.ts, run by the Vite plugin).
    await precompressDir(webRoot);
    web = await buildApp(t.deps, { webRoot });
    await web.ready();
  });
  afterAll(async () => {
    await web.close();
    await t.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  describe('the web app', () => {
    it('sends a hashed asset brotli-compressed as built when the browser asks, and lets it be kept a year without asking again', async () => {
      const res = await web.inject({ url: ASSET, headers: { 'accept-encoding': BROWSER } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe(YEAR_IMMUTABLE);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      // The file compressed at build, not compressed again per request; a fraction of the script.
      expect(res.rawPayload.equals(fs.readFileSync(path.join(webRoot, `${ASSET}.br`)))).toBe(true);
      expect(zlib.brotliDecompressSync(res.rawPayload).toString('utf8')).toBe(js);
      expect(res.rawPayload.length).toBeLessThan(js.length / 5);
    });

    it('sends it gzip-compressed to a browser that asks only for gzip, and plain to one that asks for nothing', async () => {
      const gz = await web.inject({ url: ASSET, headers: { 'accept-encoding': 'gzip, deflate' } });
      expect(gz.statusCode).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['cache-control']).toBe(YEAR_IMMUTABLE);
      expect(zlib.gunzipSync(gz.rawPayload).toString('utf8')).toBe(js);
      expect(gz.rawPayload.length).toBeLessThan(js.length / 5);

      const plain = await web.inject({ url: ASSET });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe(YEAR_IMMUTABLE);
      expect(plain.body).toBe(js);
    });

    it('revalidates index.html on every open (no-cache): a new build is seen at once, an unchanged one costs a 304', async () => {
      for (const url of ['/', '/index.html', '/worklist?tab=overdue', '/children/0190a5b2-0000-7000-8000-000000000001']) {
        const res = await web.inject({ url, headers: { 'accept-encoding': BROWSER } });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(/text\/html/);
        expect(res.headers['cache-control'], url).toBe('no-cache');
        expect(res.headers['content-encoding'], url).toBe('br');
        expect(zlib.brotliDecompressSync(res.rawPayload).toString('utf8'), url).toBe(indexHtml);
      }
      const first = await web.inject({ url: '/' });
      expect(first.headers.etag).toBeTruthy();
      const again = await web.inject({ url: '/', headers: { 'if-none-match': String(first.headers.etag) } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });

    it('revalidates a file outside /assets/ (a service worker has no hash in its name)', async () => {
      const res = await web.inject({ url: '/sw.js', headers: { 'accept-encoding': BROWSER } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    });

    it('sends the service worker as JavaScript, revalidated on every check, compressed or not: a browser takes a new build at its next start', async () => {
      for (const encoding of [BROWSER, 'gzip', '']) {
        const res = await web.inject({ url: '/sw.js', headers: encoding ? { 'accept-encoding': encoding } : {} });
        expect(res.statusCode, encoding).toBe(200);
        // A worker script in another type is refused by the browser's registration.
        expect(res.headers['content-type'], encoding).toMatch(/^(?:text|application)\/javascript/);
        expect(res.headers['cache-control'], encoding).toBe('no-cache');
        expect(res.headers['service-worker-allowed'], encoding).toBeUndefined();
      }
      const first = await web.inject({ url: '/sw.js' });
      const again = await web.inject({ url: '/sw.js', headers: { 'if-none-match': String(first.headers.etag) } });
      expect(again.statusCode).toBe(304);
    });

    it('sends the web app manifest as application/manifest+json, revalidated, and its icons', async () => {
      const res = await web.inject({ url: '/manifest.webmanifest', headers: { 'accept-encoding': BROWSER } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
      expect(res.headers['cache-control']).toBe('no-cache');
      const body = res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(res.rawPayload).toString('utf8') : res.body;
      expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(MANIFEST)));

      const icon = await web.inject({ url: '/icons/icon-192.png', headers: { 'accept-encoding': BROWSER } });
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['content-type']).toBe('image/png');
      expect(icon.headers['cache-control']).toBe('no-cache');
      expect(icon.headers['content-encoding']).toBeUndefined();
    });

    it('answers a missing worker file 404 rather than index.html, which a browser would register as a broken worker', async () => {
      for (const url of ['/workbox-0ldBu1ld.js', '/sw.js.map', '/registerSW.js?v=2', '/manifest.json']) {
        const res = await web.inject({ url, headers: { 'accept-encoding': BROWSER } });
        expect(res.statusCode, url).toBe(404);
        expect(res.body, url).not.toContain('<div id="root">');
      }
    });

    it('answers 404 for an asset of another build, not index.html that a browser would run as a script', async () => {
      const res = await web.inject({ url: '/assets/index-0ldBu1ld.js', headers: { 'accept-encoding': BROWSER } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).not.toContain('<div id="root">');
      expect(String(res.headers['cache-control'] ?? '')).not.toMatch(/immutable/);
    });
  });

  describe('API answers', () => {
    it('are compressed (brotli or gzip, as asked) from 1 KB on, and never stored', async () => {
      // The township's villages with their counts: a list as the supervisor's pages load them.
      const supervisor = await signIn(t, 'supervisor-431202001000');
      const url = '/api/regions?parent=431202001000';
      const plain = await t.app.inject({ url, headers: { cookie: supervisor.cookie } });
      expect(plain.statusCode).toBe(200);
      expect(plain.rawPayload.length).toBeGreaterThan(1024);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe('no-store');

      const br = await t.app.inject({ url, headers: { cookie: supervisor.cookie, 'accept-encoding': BROWSER } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('no-store');
      expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());

      const gz = await t.app.inject({ url, headers: { cookie: supervisor.cookie, 'accept-encoding': 'gzip, deflate' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
    });

    it('are never stored, small ones and errors included; a small one is not compressed', async () => {
      const health = await t.app.inject({ url: '/api/health', headers: { 'accept-encoding': BROWSER } });
      expect(health.statusCode).toBe(200);
      expect(health.headers['cache-control']).toBe('no-store');
      expect(health.headers['content-encoding']).toBeUndefined();
      for (const url of ['/api/me', '/api/nope']) {
        const res = await t.app.inject({ url, headers: { 'accept-encoding': BROWSER } });
        expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
      const me = await t.app.inject({ url: '/api/me', headers: { cookie: director.cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.headers['cache-control']).toBe('no-store');
    });

    it('keep a caching rule their route sets: a photo, addressed by its id, stays private and immutable', async () => {
      const created = await director.request('POST', '/api/children', childInput({ idNumber: null }));
      expect(created.status, created.body).toBe(201);
      const uploaded = await uploadPhoto(director, (created.json() as ChildDetail).id, await phoneJpeg());
      expect(uploaded.status, uploaded.body).toBe(200);
      const photo = (uploaded.json() as ChildDetail).photo!;
      const res = await t.app.inject({ url: photo.url, headers: { cookie: director.cookie, 'accept-encoding': BROWSER } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      // A JPEG is compressed already.
      expect(res.headers['content-encoding']).toBeUndefined();
    });
  });
});
